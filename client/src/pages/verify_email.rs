//! `/verify-email/{secret}`: the link of an address-verification mail. Confirms the
//! address with the server (signed in or not: the secret says whose address it is), then
//! says so; a signed-in account is read again so the app knows its address is verified.

use leptos::prelude::*;

use crate::api::{self, ApiError};
use crate::auth::{Auth, AuthStatus};
use crate::components::error_notice::ApiErrorNotice;
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
    document().set_title("Confirm your address · Parcours");
    view! {
        <section class="page narrow" data-testid="verify-email-page">
            {move || match confirmed.get() {
                None => view! { <p class="muted">"Confirming your address…"</p> }.into_any(),
                Some(Ok(())) => view! {
                    <div data-testid="verify-email-done">
                        <h1>"Your address is confirmed"</h1>
                        <p>
                            "Thank you. Invitations to this address can now be accepted "
                            "straight from your inbox."
                        </p>
                        <p><Link href="/">"Go to your maps"</Link></p>
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
            <h1>"This confirmation link does not work"</h1>
            {if gone {
                view! {
                    <p>
                        "It was already used, or it has expired. You can ask for a new one "
                        "on your account page."
                    </p>
                }
                .into_any()
            } else {
                view! { <ApiErrorNotice error testid="verify-email-failure"/> }.into_any()
            }}
            <p><Link href="/account">"Your account"</Link></p>
        </div>
    }
}
