//! The account page's email section: whether the address is verified, and a way to get
//! the verification mail when it is not.

use leptos::prelude::*;

use crate::api::ApiError;
use crate::components::error_notice::ApiErrorNotice;
use crate::i18n::{fill, t};

/// The error code of a server that sends no mail (so addresses cannot be verified).
const MAIL_OFF: &str = "mail_off";

/// "Verified", or "not verified" with a "Send verification email" button, what came of
/// it, and the server's message when it could not send (e.g. it sends no mail at all).
#[component]
pub fn EmailVerification(
    /// The account's address.
    #[prop(into)]
    email: Signal<String>,
    /// Whether the account proved it receives mail there.
    #[prop(into)]
    verified: Signal<bool>,
    /// Called when the user asks for the verification mail.
    on_send: Callback<()>,
    /// True while asking.
    #[prop(into)]
    pending: Signal<bool>,
    /// The last request's error, if it failed.
    #[prop(into)]
    error: Signal<Option<ApiError>>,
    /// True once a mail was sent.
    #[prop(into)]
    sent: Signal<bool>,
) -> impl IntoView {
    let status = move || {
        if verified.get() {
            view! {
                <p>
                    <span class="badge badge-ok">{t().verified}</span>
                    " " {fill(t().email_is_verified, &[("email", &email.get())])}
                </p>
            }
            .into_any()
        } else {
            view! {
                <p>
                    <span class="badge badge-warn">{t().not_verified}</span>
                    " " {fill(t().email_not_verified, &[("email", &email.get())])}
                </p>
                <p>
                    <button
                        type="button"
                        class="button-quiet"
                        data-testid="account-verify-send"
                        disabled=move || pending.get()
                        on:click=move |_| on_send.run(())
                    >
                        {move || if pending.get() { t().sending } else { t().send_verification }}
                    </button>
                </p>
                {move || sent.get().then(|| view! {
                    <p class="notice notice-ok" role="status" data-testid="account-verify-sent">
                        {fill(t().verification_sent, &[("email", &email.get())])}
                    </p>
                })}
                {move || error.get().map(|error| {
                    let mail_off = error.code() == Some(MAIL_OFF);
                    view! {
                        <ApiErrorNotice error testid="account-verify-error"/>
                        {mail_off.then(|| view! {
                            <p class="hint">
                                {t().mail_off_hint}
                            </p>
                        })}
                    }
                })}
            }
            .into_any()
        }
    };
    view! {
        <section
            class="card email-status"
            data-testid="account-email-status"
            data-verified=move || verified.get().to_string()
        >
            <h2>{t().email_address}</h2>

            {status}
        </section>
    }
}
