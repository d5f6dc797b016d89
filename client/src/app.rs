//! The app's frame: the top bar, and the page the URL and the auth state call for.

use leptos::prelude::*;

use crate::api;
use crate::auth::{redirect, Auth, AuthState, AuthStatus};
use crate::components::error_notice::ApiErrorNotice;
use crate::components::shortcuts::Shortcuts;
use crate::components::user_menu::UserMenu;
use crate::i18n::{t, I18n};
use crate::inbox::InboxBell;
use crate::pages::account::AccountPage;
use crate::pages::invitation::InvitationPage;
use crate::pages::join::JoinPage;
use crate::pages::login::LoginPage;
use crate::pages::map::MapPage;
use crate::pages::maps::MapsPage;
use crate::pages::not_found::NotFoundPage;
use crate::pages::verify_email::VerifyEmailPage;
use crate::router::{Link, Route, Router};

/// The whole app: a top bar with the account menu, then the page the URL points at.
/// Pages that need an account send a signed-out visitor to `/login` and back afterwards.
#[component]
pub fn App() -> impl IntoView {
    let i18n = I18n::install();
    let router = Router::install();
    crate::inbox::InboxTarget::install();
    let route = router.route();
    let auth = Auth::install(router);
    let status = Memo::new(move |_| auth.status());

    // Redirects replace the history entry, so Back skips pages that only redirect.
    Effect::new(move || {
        if let Some(target) = redirect(&route.get(), status.get()) {
            router.replace(&target);
        }
    });

    let sign_out = Action::new_local(|_: &()| api::account::logout());
    Effect::watch(
        move || sign_out.value().get(),
        move |result, _, _| {
            if let Some(Ok(())) = result {
                router.navigate(&Route::Login { next: None }.path());
                auth.signed_out();
            }
        },
        false,
    );
    let sign_out_error = Signal::derive(move || sign_out.value().get().and_then(Result::err));
    let sign_in_href = Signal::derive(move || match route.get() {
        Route::Login { .. } => None,
        route => Some(
            Route::Login {
                next: Some(route.path()),
            }
            .path(),
        ),
    });

    // A language switch renders the whole frame again, in the new language.
    move || {
        i18n.lang();
        view! {
            <header class="topbar">
                <Link href="/" class="brand">"Parcours"</Link>
                <div class="topbar-right">
                <Shortcuts/>
                {move || (status.get() == AuthStatus::SignedIn).then(|| view! { <InboxBell/> })}
                <UserMenu
                    me=Signal::derive(move || auth.me())
                    checking=Signal::derive(move || status.get() == AuthStatus::Checking)
                    sign_in_href
                    on_sign_out=Callback::new(move |()| {
                        sign_out.dispatch(());
                    })
                    pending=sign_out.pending()
                    error=sign_out_error
                />
                </div>
            </header>
            <main class="content">{move || page(route.get(), status.get(), auth)}</main>
        }
    }
}

/// The page for `route`, given what is known about the visitor.
fn page(route: Route, status: AuthStatus, auth: Auth) -> AnyView {
    document().set_title("Parcours");
    if redirect(&route, status).is_some() {
        // The redirect effect is about to change the URL.
        return view! { <p class="muted">{t().redirecting}</p> }.into_any();
    }
    match status {
        AuthStatus::Checking => {
            return view! { <p class="muted" data-testid="auth-checking">{t().loading}</p> }
                .into_any();
        }
        AuthStatus::Unreachable => return view! { <AuthUnreachable auth/> }.into_any(),
        AuthStatus::SignedIn | AuthStatus::SignedOut => {}
    }
    match route {
        Route::Maps => view! { <MapsPage/> }.into_any(),
        Route::Map { id, link } => view! { <MapPage id link/> }.into_any(),
        Route::Login { .. } => view! { <LoginPage/> }.into_any(),
        Route::Account => view! { <AccountPage/> }.into_any(),
        Route::Join { token } => view! { <JoinPage token/> }.into_any(),
        Route::Invite { secret } => view! { <InvitationPage secret/> }.into_any(),
        Route::VerifyEmail { secret } => view! { <VerifyEmailPage secret/> }.into_any(),
        Route::NotFound => view! { <NotFoundPage/> }.into_any(),
    }
}

/// `GET /api/session` failed: say so, and offer to ask again.
#[component]
fn AuthUnreachable(auth: Auth) -> impl IntoView {
    let error = match auth.state() {
        AuthState::Unreachable(error) => Some(error),
        _ => None,
    };
    view! {
        <section class="page" data-testid="auth-unreachable">
            <h1>{t().unreachable_title}</h1>
            {error.map(|error| view! { <ApiErrorNotice error testid="auth-unreachable-error"/> })}
            <p>
                <button
                    type="button"
                    class="button-primary"
                    data-testid="auth-retry"
                    on:click=move |_| auth.check()
                >
                    {t().try_again}
                </button>
            </p>
        </section>
    }
}
