//! Handing a map over to another member.

use leptos::prelude::*;
use parcours_shared::api::Member;
use parcours_shared::ids::UserId;

use crate::api::ApiError;
use crate::components::error_notice::ApiErrorNotice;
use crate::i18n::t;

/// A select of the other members and a button: the picked member becomes the owner and
/// the caller an editor.
#[component]
pub fn TransferForm(
    /// Members who could take the map over (everyone but the caller).
    candidates: Vec<Member>,
    /// Called with the member picked.
    on_submit: Callback<UserId>,
    /// True while a transfer is in flight.
    #[prop(into)]
    pending: Signal<bool>,
    /// The last transfer's error, if it failed.
    #[prop(into)]
    error: Signal<Option<ApiError>>,
) -> impl IntoView {
    if candidates.is_empty() {
        return view! {
                    <p class="muted" data-testid="transfer-none">{t().transfer_none}
        </p>
                }
        .into_any();
    }
    let picked = RwSignal::new(String::new());
    let options = candidates
        .into_iter()
        .map(|member| {
            view! {
                <option value=member.user_id.to_string()>
                    {format!("{} ({})", member.display_name, member.email)}
                </option>
            }
        })
        .collect::<Vec<_>>();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let user = picked.get_untracked();
        if !user.is_empty() {
            on_submit.run(UserId(user));
        }
    };
    view! {
        <form class="form-row" data-testid="transfer-form" on:submit=submit novalidate>
            <label class="field field-grow">
                <span class="field-label">{t().new_owner}</span>
                <select data-testid="transfer-select" bind:value=picked>
                    <option value="">{t().choose_member}</option>
                    {options}
                </select>
            </label>
            <button
                type="submit"
                class="button-danger-solid"
                data-testid="transfer-submit"
                disabled=move || pending.get() || picked.get().is_empty()
            >
                {t().transfer_ownership}
            </button>
        </form>
        <p class="hint">{t().transfer_hint}</p>

        {move || error.get().map(|error| view! { <ApiErrorNotice error testid="transfer-error"/> })}
    }
    .into_any()
}
