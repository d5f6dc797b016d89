//! Invitations, as the owner handles them: the invite form, the link an invitation
//! (or a new one sent again) comes with, and the pending invitations with "Send again"
//! and "Withdraw". Only owners ever get pending invitations from the server.

use leptos::prelude::*;
use parcours_shared::api::{Invitation, Invite, InviteResult, INVITATION_DAYS};
use parcours_shared::ids::Role;

use crate::api::ApiError;
use crate::components::copy_field::CopyField;
use crate::components::error_notice::ApiErrorNotice;
use crate::components::role::{RoleBadge, RoleSelect};
use crate::format::{edited_ago, local_date, local_date_time, now_ms, role_label};
use crate::i18n::{fill, t};
use crate::route::invitation_url;

/// The pending invitations, one row each with "Send again" (a new link; the old one stops
/// working) and "Withdraw". Nothing when there are none.
#[component]
pub fn InvitationList(
    /// The pending invitations, as the server lists them.
    invitations: Vec<Invitation>,
    /// Called with the id of the invitation to send again.
    on_resend: Callback<String>,
    /// Called with the id of the invitation to withdraw.
    on_withdraw: Callback<String>,
    /// True while a change is in flight: the buttons are disabled.
    #[prop(into)]
    busy: Signal<bool>,
) -> impl IntoView {
    if invitations.is_empty() {
        return ().into_any();
    }
    let now = now_ms();
    let rows = invitations
        .into_iter()
        .map(|invitation| {
            let (resend_id, withdraw_id) = (invitation.id.clone(), invitation.id.clone());
            let email = invitation.email.clone();
            let link_state = if invitation.has_link {
                fill(t().link_works_until, &[("date", &local_date(invitation.expires_at))])
            } else {
                t().no_link_yet.to_owned()
            };
            view! {
                <tr
                    data-testid="invitation-row"
                    data-email=email
                    data-invitation-id=invitation.id.clone()
                    data-role=invitation.role.as_str()
                >
                    <td class="person">
                        <span class="person-name">{invitation.email}</span>
                        <span class="person-email muted">
                            <span title=local_date_time(invitation.invited_at)>
                                {fill(t().invited_ago, &[("ago", &edited_ago(invitation.invited_at, now))])}
                            </span>
                            " · " {link_state}
                        </span>
                    </td>
                    <td class="person-role"><RoleBadge role=invitation.role/></td>
                    <td class="person-actions">
                        <button
                            type="button"
                            class="button-quiet"
                            data-testid="invitation-resend"
                            disabled=move || busy.get()
                            on:click=move |_| on_resend.run(resend_id.clone())
                        >
                            {t().send_again}
                        </button>
                        " "
                        <button
                            type="button"
                            class="button-quiet button-danger"
                            data-testid="invitation-withdraw"
                            disabled=move || busy.get()
                            on:click=move |_| on_withdraw.run(withdraw_id.clone())
                        >
                            {t().withdraw}
                        </button>
                    </td>
                </tr>
            }
        })
        .collect::<Vec<_>>();
    view! {
        <div class="invitations">
            <h4>{t().pending_invitations}</h4>
            <table class="people" data-testid="invitation-list">
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}

/// Email and role; hands an [`Invite`] to `on_submit`, and clears the email when an
/// invite went through (`result` changed to a success).
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
                <span class="field-label">{t().invite_by_email}</span>
                <input type="email" placeholder=t().email_placeholder data-testid="invite-email" bind:value=email/>
            </label>
            <label class="field">
                <span class="field-label">{t().role}</span>
                <RoleSelect
                    roles=Role::ALL.to_vec()
                    value=role
                    on_change=Callback::new(move |picked| role.set(picked))
                    testid="invite-role"
                    label=t().role_for_invited
                />
            </label>
            <button type="submit" class="button-primary" data-testid="invite-submit" disabled=move || pending.get()>
                {move || if pending.get() { t().inviting } else { t().invite }}
            </button>
        </form>
        {move || error.get().map(|error| view! { <ApiErrorNotice error testid="invite-error"/> })}
    }
}

/// The link an invitation just made (or sent again) comes with, to copy and pass on: it
/// is shown this once. Says whether it was emailed, and whether the address already has
/// an account (which then also finds the invitation in its inbox).
#[component]
pub fn InvitationLink(
    /// The server's answer to the invite or the resend.
    result: InviteResult,
    /// True when this is a new link for an invitation sent before.
    resent: bool,
) -> impl IntoView {
    let origin = window().location().origin().unwrap_or_default();
    let url = invitation_url(&origin, &result.link);
    let email = result.invitation.email.clone();
    let role = role_label(result.invitation.role).to_lowercase();
    let headline = if resent {
        fill(t().new_invite_link, &[("email", &email), ("role", &role)])
    } else {
        fill(t().is_invited_as, &[("email", &email), ("role", &role)])
    };
    let delivery = if result.emailed {
        t().invite_emailed
    } else {
        t().invite_not_emailed
    };
    let account = result.existing_account.then_some(t().invite_has_account);
    view! {
        <div class="new-link notice notice-ok invitation-link" role="status" data-testid="invite-result"
            data-email=email data-emailed=result.emailed.to_string()>
            <p><strong>{headline}</strong></p>
            <p data-testid="invite-delivery">{delivery}</p>
            <CopyField url input_testid="invite-link" button_testid="invite-link-copy" label=t().copy_link/>
            <p class="hint">
                {fill(t().invite_link_hint, &[("days", &INVITATION_DAYS)])}

                {account}
            </p>
        </div>
    }
}
