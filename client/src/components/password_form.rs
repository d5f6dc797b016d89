//! The change-password form of the account page.

use leptos::prelude::*;
use parcours_shared::api::{ChangePassword, MIN_PASSWORD_CHARS};

use crate::api::ApiError;
use crate::components::error_notice::ApiErrorNotice;
use crate::i18n::{fill, t};

/// Current and new password; hands a [`ChangePassword`] to `on_submit` and clears both
/// fields once `done` counts another success.
#[component]
pub fn ChangePasswordForm(
    /// Called with the request when the user submits.
    on_submit: Callback<ChangePassword>,
    /// True while a change is in flight: the button is disabled.
    #[prop(into)]
    pending: Signal<bool>,
    /// The last change's error, if it failed.
    #[prop(into)]
    error: Signal<Option<ApiError>>,
    /// Number of successful changes so far; the form clears when it grows.
    #[prop(into)]
    done: Signal<usize>,
) -> impl IntoView {
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    Effect::watch(
        move || done.get(),
        move |_, _, _| {
            current.set(String::new());
            new.set(String::new());
        },
        false,
    );
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        on_submit.run(ChangePassword {
            current_password: current.get_untracked(),
            new_password: new.get_untracked(),
        });
    };
    view! {
        <form class="card auth-form" data-testid="password-form" on:submit=submit novalidate>
            <h2>{t().change_password}</h2>
            <label class="field">
                <span class="field-label">{t().current_password}</span>
                <input
                    type="password"
                    autocomplete="current-password"
                    data-testid="account-current-password"
                    bind:value=current
                />
            </label>
            <label class="field">
                <span class="field-label">{t().new_password}</span>
                <input
                    type="password"
                    autocomplete="new-password"
                    data-testid="account-new-password"
                    bind:value=new
                />
            </label>
            <p class="hint">
                {fill(t().new_password_hint, &[("n", &MIN_PASSWORD_CHARS)])}
            </p>
            {move || error.get().map(|error| view! { <ApiErrorNotice error testid="account-error"/> })}
            <button type="submit" class="button-primary" data-testid="account-submit" disabled=move || pending.get()>
                {move || if pending.get() { t().changing } else { t().change_password }}

            </button>
        </form>
    }
}
