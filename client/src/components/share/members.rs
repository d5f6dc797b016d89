//! The people on a map: members, pending invitations, and the invite form.

use leptos::prelude::*;
use parcours_shared::api::{Invitation, Invite, InviteResult, Member};
use parcours_shared::ids::{Role, UserId};

use crate::api::ApiError;
use crate::components::error_notice::ApiErrorNotice;
use crate::components::role::{RoleBadge, RoleSelect};
use crate::format::{edited_ago, local_date_time, now_ms, role_label};

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
    let label = format!("Role of {display_name}");
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
        (_, true) => (Some("Leave"), "member-leave"),
        (true, false) => (Some("Remove"), "member-remove"),
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
                {is_me.then(|| view! { <span class="muted">" (you)"</span> })}
                <span class="person-email muted">{email}</span>
            </td>
            <td class="person-role">{role_cell}</td>
            <td class="person-actions">{remove}</td>
        </tr>
    }
}

/// Emails invited without an account yet, with the role they will get at sign-up.
#[component]
pub fn InvitationList(
    /// The pending invitations.
    invitations: Vec<Invitation>,
) -> impl IntoView {
    if invitations.is_empty() {
        return ().into_any();
    }
    let now = now_ms();
    let rows = invitations
        .into_iter()
        .map(|invitation| {
            let email = invitation.email.clone();
            view! {
                <li data-testid="invitation-row" data-email=email>
                    <span class="person-name">{invitation.email}</span>
                    " "
                    <RoleBadge role=invitation.role/>
                    <span class="muted" title=local_date_time(invitation.invited_at)>
                        " · invited " {edited_ago(invitation.invited_at, now)}
                    </span>
                </li>
            }
        })
        .collect::<Vec<_>>();
    view! {
        <div class="invitations">
            <h4>"Pending invitations"</h4>
            <ul class="plain-list" data-testid="invitation-list">{rows}</ul>
        </div>
    }
    .into_any()
}

/// Email and role; hands an [`Invite`] to `on_submit`, says what happened after, and
/// clears the email when an invite went through.
#[component]
pub fn InviteForm(
    /// Called with the request when the owner submits.
    on_submit: Callback<Invite>,
    /// True while an invite is in flight.
    #[prop(into)]
    pending: Signal<bool>,
    /// The last invite's error, if it failed.
    #[prop(into)]
    error: Signal<Option<ApiError>>,
    /// The last invite's result, if it succeeded.
    #[prop(into)]
    result: Signal<Option<InviteResult>>,
) -> impl IntoView {
    let email = RwSignal::new(String::new());
    let role = RwSignal::new(Role::Editor);
    Effect::watch(
        move || result.get(),
        move |result, _, _| {
            if result.is_some() {
                email.set(String::new());
            }
        },
        false,
    );
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        on_submit.run(Invite {
            email: email.get_untracked().trim().to_owned(),
            role: role.get_untracked(),
        });
    };
    view! {
        <form class="form-row invite-form" data-testid="invite-form" on:submit=submit novalidate>
            <label class="field field-grow">
                <span class="field-label">"Invite by email"</span>
                <input type="email" placeholder="name@example.com" data-testid="invite-email" bind:value=email/>
            </label>
            <label class="field">
                <span class="field-label">"Role"</span>
                <RoleSelect
                    roles=Role::ALL.to_vec()
                    value=role
                    on_change=Callback::new(move |picked| role.set(picked))
                    testid="invite-role"
                    label="Role for the invited person"
                />
            </label>
            <button type="submit" class="button-primary" data-testid="invite-submit" disabled=move || pending.get()>
                {move || if pending.get() { "Inviting…" } else { "Invite" }}
            </button>
        </form>
        {move || error.get().map(|error| view! { <ApiErrorNotice error testid="invite-error"/> })}
        {move || result.get().map(|result| view! {
            <p class="notice notice-ok" role="status" data-testid="invite-result">{invite_outcome(&result)}</p>
        })}
    }
}

/// One sentence on what an invite did.
fn invite_outcome(result: &InviteResult) -> String {
    let origin = window().location().origin().unwrap_or_default();
    let sent = if result.emailed {
        "It was emailed to them; you can also pass the link on yourself"
    } else {
        "Send them this link (it works once, and is shown only now)"
    };
    format!(
        "{} is invited as {}. {sent}: {origin}{}",
        result.invitation.email,
        role_label(result.invitation.role).to_lowercase(),
        result.link
    )
}
