//! `/invite/{secret}`: what an invitation link offers (the map, the role, who sent it).
//! Signed in: "Accept", then the map opens. Signed out: sign up with the invitation (the
//! new account joins at once, then the map opens), or sign in and come back here.

use leptos::prelude::*;
use parcours_shared::api::{InvitationPreview, Me, Session, SignUp};
use parcours_shared::MapId;

use crate::api::{self, ApiError};
use crate::auth::Auth;
use crate::components::auth_forms::SignUpForm;
use crate::components::error_notice::ApiErrorNotice;
use crate::components::role::RoleBadge;
use crate::format::local_date_time;
use crate::i18n::{fill, t};
use crate::router::{Link, Route, Router};

/// Loads the invitation's preview, then offers to accept it (signed in) or to sign up
/// with it (signed out); says plainly when the link no longer works.
#[component]
pub fn InvitationPage(
    /// The invitation's secret, from the URL.
    secret: String,
) -> impl IntoView {
    let wanted = secret.clone();
    let preview = LocalResource::new(move || api::sharing::invitation_preview(wanted.clone()));
    document().set_title(t().invitation_page_title);
    view! {
        <section class="page" data-testid="invitation-page">
            {move || match preview.get() {
                None => view! { <p class="muted">{t().opening_invitation}</p> }.into_any(),
                Some(Err(error)) => view! { <InvitationUnusable error/> }.into_any(),
                Some(Ok(preview)) => {
                    view! { <InvitationOffer preview secret=secret.clone()/> }.into_any()
                }
            }}
        </section>
    }
}

/// The invitation is unknown, used, withdrawn, replaced or expired (404), or could not be
/// loaded.
#[component]
fn InvitationUnusable(error: ApiError) -> impl IntoView {
    let gone = matches!(error, ApiError::Server { status: 404, .. });
    let code = error.code().unwrap_or("").to_owned();
    view! {
        <div data-testid="invitation-error" data-code=code>
            {if gone {
                view! {
                    <h1>{t().invitation_does_not_work}</h1>
                    <p>{t().invitation_gone_hint}</p>
                }
                .into_any()
            } else {
                view! {
                    <h1>{t().invitation_load_failed}</h1>
                    <ApiErrorNotice error testid="invitation-load-error"/>
                }
                .into_any()
            }}
            <p><Link href="/">{t().go_to_parcours}</Link></p>
        </div>
    }
}

/// What the invitation offers, and the way in that fits the visitor.
#[component]
fn InvitationOffer(preview: InvitationPreview, secret: String) -> impl IntoView {
    let InvitationPreview {
        map_id,
        map_title,
        role,
        invited_by,
        email,
        expires_at,
    } = preview;
    document().set_title(&fill(t().invitation_to_title, &[("title", &map_title)]));
    let invited_by = if invited_by.trim().is_empty() {
        t().someone.to_owned()
    } else {
        invited_by
    };
    let way_in = match Auth::get().me() {
        Some(me) => view! { <AcceptInvitation secret me invited=email.clone()/> }.into_any(),
        None => view! { <SignUpWithInvitation secret map_id email=email.clone()/> }.into_any(),
    };
    view! {
        <header class="page-head">
            <h1>
                {t().join_open} <span data-testid="invitation-map-title">{map_title}</span> {t().join_close}
            </h1>
            <p class="muted">
                <strong data-testid="invitation-from">{invited_by}</strong>
                {t().invited_word} <span data-testid="invitation-email">{email}</span>
                {t().to_this_map_as}
                <RoleBadge role testid="invitation-role"/>
                {fill(t().link_works_once, &[("until", &local_date_time(expires_at))])}
            </p>
        </header>
        {way_in}
    }
}

/// Signed in: accept with this account, then open the map.
#[component]
fn AcceptInvitation(secret: String, me: Me, invited: String) -> impl IntoView {
    let router = Router::get();
    let accept = Action::new_local(move |(): &()| api::sharing::accept_invitation(secret.clone()));
    Effect::watch(
        move || accept.value().get(),
        move |result, _, _| {
            if let Some(Ok(accepted)) = result {
                router.replace(&Route::map(accepted.map_id.clone()).path());
            }
        },
        false,
    );
    let other_address = !me.email.eq_ignore_ascii_case(&invited);
    let error = move || accept.value().get().and_then(Result::err);
    view! {
        <div class="card narrow" data-testid="invitation-signed-in">
            <p>
                {t().signed_in_as} " " <strong>{me.display_name}</strong> " ("
                <span data-testid="invitation-account">{me.email}</span> ")."
            </p>
            {other_address.then(|| view! {
                <p class="notice" data-testid="invitation-other-address">
                    {t().invitation_sent_to} " " <strong>{invited.clone()}</strong>
                    {t().other_address_hint}
                </p>
            })}
            {move || error().map(|error| view! { <ApiErrorNotice error testid="invitation-accept-error"/> })}
            <p>
                <button
                    type="button"
                    class="button-primary"
                    data-testid="invitation-accept"
                    disabled=move || accept.pending().get()
                    on:click=move |_| {
                        accept.dispatch(());
                    }
                >
                    {move || if accept.pending().get() { t().accepting } else { t().accept_and_open }}
                </button>
            </p>
        </div>
    }
}

/// Signed out: sign up with the invitation (the account joins the map at once and the
/// map opens), or sign in and come back here.
#[component]
fn SignUpWithInvitation(secret: String, map_id: MapId, email: String) -> impl IntoView {
    let auth = Auth::get();
    let router = Router::get();
    let sign_up = Action::new_local(|request: &SignUp| api::account::sign_up(request.clone()));
    Effect::watch(
        move || sign_up.value().get(),
        move |result: &Option<Result<Session, ApiError>>, _, _| {
            if let Some(Ok(session)) = result {
                // The new account is a member already: straight to the map.
                router.replace(&Route::map(map_id.clone()).path());
                auth.signed_in(session.user.clone());
            }
        },
        false,
    );
    let error = Signal::derive(move || sign_up.value().get().and_then(Result::err));
    let sign_in = Route::Login {
        next: Some(
            Route::Invite {
                secret: secret.clone(),
            }
            .path(),
        ),
    }
    .path();
    view! {
        <div class="auth-grid">
            <SignUpForm
                on_submit=Callback::new(move |request| {
                    sign_up.dispatch(request);
                })
                pending=sign_up.pending()
                error
                invitation=secret
                initial_email=email
                heading=t().create_account_to_join
            />
            <div class="card auth-form" data-testid="invitation-have-account">
                <h2>{t().already_have_account}</h2>
                <p>{t().sign_in_and_come_back}</p>
                <p>
                    <Link href=sign_in>
                        <span data-testid="invitation-signin">{t().sign_in_to_accept}</span>

                    </Link>
                </p>
            </div>
        </div>
    }
}
