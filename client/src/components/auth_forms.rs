//! The sign-in and sign-up forms of the `/login` page (the sign-up form also serves the
//! invitation page, carrying the invitation's secret).

use leptos::prelude::*;
use parcours_shared::api::{Login, SignUp, MIN_PASSWORD_CHARS};

use crate::api::ApiError;
use crate::components::error_notice::ApiErrorNotice;
use crate::i18n::{fill, t};

/// Email and password; hands a [`Login`] to `on_submit`. The server checks everything and
/// its message is shown as it is.
#[component]
pub fn LoginForm(
    /// Called with the request when the user submits.
    on_submit: Callback<Login>,
    /// True while a login is in flight: the button is disabled.
    #[prop(into)]
    pending: Signal<bool>,
    /// The last login's error, if it failed.
    #[prop(into)]
    error: Signal<Option<ApiError>>,
) -> impl IntoView {
    let t = t();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        on_submit.run(Login {
            email: email.get_untracked().trim().to_owned(),
            password: password.get_untracked(),
        });
    };
    view! {
        <form class="card auth-form" data-testid="login-form" on:submit=submit novalidate>
            <h2>{t.sign_in}</h2>
            <label class="field">
                <span class="field-label">{t.email}</span>
                <input type="email" name="email" autocomplete="username" data-testid="login-email" bind:value=email/>
            </label>
            <label class="field">
                <span class="field-label">{t.password}</span>
                <input
                    type="password"
                    name="password"
                    autocomplete="current-password"
                    data-testid="login-password"
                    bind:value=password
                />
            </label>
            {move || error.get().map(|error| view! { <ApiErrorNotice error testid="auth-error"/> })}
            <button type="submit" class="button-primary" data-testid="login-submit" disabled=move || pending.get()>
                {move || if pending.get() { t.signing_in } else { t.sign_in }}
            </button>
        </form>
    }
}

/// Display name, email and password; hands a [`SignUp`] to `on_submit` (with the
/// `invitation` secret, if any).
#[component]
pub fn SignUpForm(
    /// Called with the request when the user submits.
    on_submit: Callback<SignUp>,
    /// True while a sign-up is in flight: the button is disabled.
    #[prop(into)]
    pending: Signal<bool>,
    /// The last sign-up's error, if it failed.
    #[prop(into)]
    error: Signal<Option<ApiError>>,
    /// An invitation's secret: the new account accepts it at once.
    #[prop(optional)]
    invitation: Option<String>,
    /// The email to start with (the address an invitation was sent to).
    #[prop(optional)]
    initial_email: Option<String>,
    /// The form's heading; "Create an account" unless given.
    #[prop(optional)]
    heading: Option<&'static str>,
) -> impl IntoView {
    let t = t();
    let heading = heading.unwrap_or(t.create_account_heading);
    let name = RwSignal::new(String::new());
    let email = RwSignal::new(initial_email.unwrap_or_default());
    let password = RwSignal::new(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        on_submit.run(SignUp {
            invitation: invitation.clone(),
            email: email.get_untracked().trim().to_owned(),
            display_name: name.get_untracked().trim().to_owned(),
            password: password.get_untracked(),
        });
    };
    view! {
        <form class="card auth-form" data-testid="signup-form" on:submit=submit novalidate>
            <h2>{heading}</h2>
            <label class="field">
                <span class="field-label">{t.display_name}</span>
                <input type="text" name="display_name" autocomplete="name" data-testid="signup-name" bind:value=name/>
            </label>
            <label class="field">
                <span class="field-label">{t.email}</span>
                <input type="email" name="email" autocomplete="email" data-testid="signup-email" bind:value=email/>
            </label>
            <label class="field">
                <span class="field-label">{t.password}</span>
                <input
                    type="password"
                    name="new-password"
                    autocomplete="new-password"
                    data-testid="signup-password"
                    bind:value=password
                />
            </label>
            <p class="hint">{fill(t.password_hint, &[("n", &MIN_PASSWORD_CHARS)])}</p>
            {move || error.get().map(|error| view! { <ApiErrorNotice error testid="auth-error"/> })}
            <button type="submit" class="button-primary" data-testid="signup-submit" disabled=move || pending.get()>
                {move || if pending.get() { t.creating_account } else { t.create_account }}
            </button>
        </form>
    }
}
