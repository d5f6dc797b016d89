//! How a role shows: a badge, or a select to change it.

use leptos::prelude::*;
use parcours_shared::ids::Role;

use crate::format::{role_hint, role_label};

/// A role as a small coloured label.
#[component]
pub fn RoleBadge(
    /// The role to show.
    role: Role,
    /// `data-testid` of the badge.
    #[prop(optional, into)]
    testid: Option<String>,
) -> impl IntoView {
    view! {
        <span class="role" data-role=role.as_str() data-testid=testid title=role_hint(role)>
            {role_label(role)}
        </span>
    }
}

/// A `<select>` of `roles`, showing `value`; calls `on_change` with the picked role.
#[component]
pub fn RoleSelect(
    /// The roles offered, in order.
    roles: Vec<Role>,
    /// The role shown as selected.
    #[prop(into)]
    value: Signal<Role>,
    /// Called with the role the user picks.
    on_change: Callback<Role>,
    /// `data-testid` of the select.
    #[prop(into)]
    testid: String,
    /// Accessible name, e.g. "Role of Ada".
    #[prop(into)]
    label: String,
    /// True while the select must not be used.
    #[prop(optional, into)]
    disabled: Signal<bool>,
) -> impl IntoView {
    let options = roles
        .into_iter()
        .map(|role| {
            view! {
                <option value=role.as_str() selected=move || value.get() == role>
                    {role_label(role)}
                </option>
            }
        })
        .collect::<Vec<_>>();
    view! {
        <select
            class="role-select"
            data-testid=testid
            aria-label=label
            prop:value=move || value.get().as_str()
            disabled=move || disabled.get()
            on:change=move |ev| {
                if let Some(role) = Role::parse(&event_target_value(&ev)) {
                    on_change.run(role);
                }
            }
        >
            {options}
        </select>
    }
}
