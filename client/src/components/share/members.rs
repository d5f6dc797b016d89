//! The people on a map: its members (invitations are in [`super::invitations`]).

use leptos::prelude::*;
use parcours_shared::api::Member;
use parcours_shared::ids::{Role, UserId};

use crate::components::role::{RoleBadge, RoleSelect};
use crate::i18n::{fill, t};

/// Every member, one row each. For an owner (`editable`), each row has a role select and
/// a remove button; otherwise roles are read-only and only the caller's own row offers
/// to leave.
#[component]
pub fn MemberTable(
    /// The members, in the server's order.
    members: Vec<Member>,
    /// The signed-in account, to mark "you" and offer to leave.
    me: Option<UserId>,
    /// True for an owner: roles can be changed and members removed.
    editable: bool,
    /// Called with a member and the role the owner picked.
    on_change_role: Callback<(UserId, Role)>,
    /// Called with the member to remove (the caller themself: leave the map).
    on_remove: Callback<UserId>,
    /// True while a change is in flight: the controls are disabled.
    #[prop(into)]
    busy: Signal<bool>,
) -> impl IntoView {
    let rows = members
        .into_iter()
        .map(|member| {
            let is_me = me.as_ref() == Some(&member.user_id);
            view! { <MemberRow member is_me editable on_change_role on_remove busy/> }
        })
        .collect::<Vec<_>>();
    view! {
        <table class="people" data-testid="member-list">
            <tbody>{rows}</tbody>
        </table>
    }
}

#[component]
fn MemberRow(
    member: Member,
    is_me: bool,
    editable: bool,
    on_change_role: Callback<(UserId, Role)>,
    on_remove: Callback<UserId>,
    busy: Signal<bool>,
) -> impl IntoView {
    let Member {
        user_id,
        email,
        display_name,
        role,
    } = member;
    let label = fill(t().role_of, &[("name", &display_name)]);
    let role_cell = if editable {
        let user = user_id.clone();
        view! {
            <RoleSelect
                roles=Role::ALL.to_vec()
                value=Signal::stored(role)
                on_change=Callback::new(move |role| on_change_role.run((user.clone(), role)))
                testid="member-role"
                label
                disabled=busy
            />
        }
        .into_any()
    } else {
        view! { <RoleBadge role testid="member-role-label"/> }.into_any()
    };
    let (remove_label, remove_testid) = match (editable, is_me) {
        (_, true) => (Some(t().leave), "member-leave"),
        (true, false) => (Some(t().remove), "member-remove"),
        (false, false) => (None, ""),
    };
    let remove = remove_label.map(|text| {
        let user = user_id.clone();
        view! {
            <button
                type="button"
                class="button-quiet button-danger"
                data-testid=remove_testid
                disabled=move || busy.get()
                on:click=move |_| on_remove.run(user.clone())
            >
                {text}
            </button>
        }
    });
    view! {
        <tr data-testid="member-row" data-user-id=user_id.to_string() data-role=role.as_str()>
            <td class="person">
                <span class="person-name">{display_name}</span>
                {is_me.then(|| view! { <span class="muted">{t().you_suffix}</span> })}

                <span class="person-email muted">{email}</span>
            </td>
            <td class="person-role">{role_cell}</td>
            <td class="person-actions">{remove}</td>
        </tr>
    }
}
