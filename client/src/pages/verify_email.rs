//! `/verify-email/{secret}`: the link of an address-verification mail. Confirms the
//! address with the server (signed in or not: the secret says whose address it is), then
//! says so; a signed-in account is read again so the app knows its address is verified.

use leptos::prelude::*;

use crate::api::{self, ApiError};
use crate::auth::{Auth, AuthStatus};
use crate::components::error_notice::ApiErrorNotice;
use crate::i18n::t;
use crate::router::Link;

/// Confirms once on opening, and tells how it went.
#[component]
pub fn VerifyEmailPage(
    /// The verification's secret, from the URL.
    secret: String,
) -> impl IntoView {
    let auth = Auth::get();
    // Untracked: reading the account again must not confirm a second time.
    let signed_in = untrack(move || auth.status() == AuthStatus::SignedIn);
    let confirmed = LocalResource::new(move || {
        let secret = secret.clone();
        async move {
            api::account::confirm_verification(secret).await?;
            // `email_verified` changed: the inbox offers to accept invitations now.
            if signed_in {
                if let Ok(me) = api::account::me().await {
                    auth.signed_in(me);
                }
            }
            Ok::<(), ApiError>(())
        }
    });
    document().set_title(t().verify_page_title);
    view! {
        <section class="page narrow" data-testid="verify-email-page">
            {move || match confirmed.get() {
                None => view! { <p class="muted">{t().confirming_address}</p> }.into_any(),
                Some(Ok(())) => view! {
                    <div data-testid="verify-email-done">
                        <h1>{t().address_confirmed}</h1>
                        <p>{t().address_confirmed_hint}</p>
                        <p><Link href="/">{t().go_to_your_maps}</Link></p>
                    </div>
                }
                .into_any(),
                Some(Err(error)) => view! { <VerificationFailed error/> }.into_any(),
            }}
        </section>
    }
}

/// The link is unknown, used or expired (404), or the server could not be asked.
#[component]
fn VerificationFailed(error: ApiError) -> impl IntoView {
    let gone = matches!(error, ApiError::Server { status: 404, .. });
    view! {
        <div data-testid="verify-email-error">
            <h1>{t().confirmation_does_not_work}</h1>
            {if gone {
                view! {
                    <p>{t().confirmation_gone_hint}</p>
                }
                .into_any()
            } else {
                view! { <ApiErrorNotice error testid="verify-email-failure"/> }.into_any()
            }}
            <p><Link href="/account">{t().your_account}</Link></p>

        </div>
    }
}
