//! How failures read on screen.

use leptos::prelude::*;

use crate::api::ApiError;

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
                        .map(|(_, error)| view! { <li>{error.to_string()}</li> })
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
            {error.to_string()}
            {code.map(|code| view! { <code class="error-code">{code}</code> })}
        </p>
    }
}
