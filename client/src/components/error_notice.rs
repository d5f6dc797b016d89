//! How failures read on screen.

use leptos::prelude::*;

use crate::api::ApiError;
use crate::i18n::{fill, t};

/// The error in the language shown: the app's own words for the server's codes it
/// knows, else the server's message as sent.
pub fn worded(error: &ApiError) -> String {
    let t = t();
    match error {
        ApiError::Server { code, message, .. } => match code.as_str() {
            "invalid_credentials" => t.err_invalid_credentials.to_owned(),
            "signup_closed" => t.err_signup_closed.to_owned(),
            "too_many_attempts" => t.err_too_many_attempts.to_owned(),
            "invalid_email" => t.err_invalid_email.to_owned(),
            "email_taken" => t.err_email_taken.to_owned(),
            "unauthorized" => t.err_unauthorized.to_owned(),
            "internal" => t.err_internal.to_owned(),
            _ => message.clone(),
        },
        ApiError::Network(why) => fill(t.err_network, &[("why", why)]),
        ApiError::Unexpected { status } => fill(t.err_unexpected, &[("status", status)]),
    }
}

/// The fallback of an `ErrorBoundary`: every error it caught, one line each.
#[component]
pub fn ErrorList(
    /// The errors the boundary caught.
    errors: ArcRwSignal<Errors>,
    /// What was being attempted, e.g. "Could not load the maps".
    #[prop(into)]
    context: String,
) -> impl IntoView {
    view! {
        <div class="notice notice-error" role="alert" data-testid="load-error">
            <strong>{context}</strong>
            <ul>
                {move || {
                    errors
                        .read()
                        .iter()
                        .map(|(_, error)| {
                            let said = error
                                .downcast_ref::<ApiError>()
                                .map(worded)
                                .unwrap_or_else(|| error.to_string());
                            view! { <li>{said}</li> }
                        })

                        .collect::<Vec<_>>()
                }}
            </ul>
        </div>
    }
}

/// One API error, with the server's machine code (if any) in small print.
#[component]
pub fn ApiErrorNotice(
    /// The error to show.
    error: ApiError,
    /// `data-testid` of the notice, so tests can tell notices apart.
    #[prop(into)]
    testid: String,
) -> impl IntoView {
    let code = match &error {
        ApiError::Server { code, .. } => Some(code.clone()),
        _ => None,
    };
    view! {
        <p class="notice notice-error" role="alert" data-testid=testid>
            {worded(&error)}
            {code.map(|code| view! { <code class="error-code">{code}</code> })}
        </p>
    }
}
