//! Share links: the list (with revoke, and the choice to remove who joined through the
//! link), the create form, and the new link's URL.

use leptos::prelude::*;
use parcours_shared::api::{CreateLink, ShareLink};
use parcours_shared::ids::Role;

use crate::api::ApiError;
use crate::components::copy_field::CopyField;
use crate::components::error_notice::ApiErrorNotice;
use crate::components::role::{RoleBadge, RoleSelect};
use crate::format::{link_expiry, local_date, local_date_time, now_ms, DAY_MS};
use crate::i18n::{fill, t};

/// Roles a share link can give (never owner).
const LINK_ROLES: [Role; 3] = [Role::Viewer, Role::Commenter, Role::Editor];

/// Longest expiry offered, in days (ten years: "practically never", but still bounded).
const MAX_LINK_DAYS: i64 = 3650;

/// What revoking a link asks the server to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RevokeLink {
    /// The link's id.
    pub link: String,
    /// Also remove the members who joined through the link.
    pub remove_members: bool,
}

/// Every share link of the map, newest as the server lists them. An active link's
/// "Revoke…" asks to confirm, with the choice to also remove the people who joined
/// through it.
#[component]
pub fn LinkTable(
    /// The links (their tokens are never listed).
    links: Vec<ShareLink>,
    /// Called with the link to revoke, once confirmed.
    on_revoke: Callback<RevokeLink>,
    /// True while a change is in flight.
    #[prop(into)]
    busy: Signal<bool>,
) -> impl IntoView {
    if links.is_empty() {
        return view! { <p class="muted" data-testid="links-empty">{t().no_links}</p> }.into_any();
    }
    let now = now_ms();
    // The link whose revocation is being confirmed, and that confirmation's checkbox.
    let confirming = RwSignal::new(None::<String>);
    let remove_members = RwSignal::new(false);
    let rows = links
        .into_iter()
        .map(|link| {
            let expired = link.expires_at.is_some_and(|at| at <= now);
            let status = if link.revoked {
                t().link_revoked
            } else if expired {
                t().link_expired
            } else {
                t().link_active
            };
            let revoke = (!link.revoked).then(|| {
                let id = link.id.clone();
                view! {
                    <button
                        type="button"
                        class="button-quiet button-danger"
                        data-testid="link-revoke"
                        disabled=move || busy.get()
                        on:click=move |_| {
                            remove_members.set(false);
                            confirming.set(Some(id.clone()));
                        }
                    >
                        {t().revoke_ellipsis}
                    </button>
                }
            });
            let id = link.id.clone();
            let confirm = move || {
                (confirming.get().as_ref() == Some(&id)).then(|| {
                    let id = id.clone();
                    view! { <ConfirmRevoke id remove_members confirming on_revoke busy/> }
                })
            };
            view! {
                <tr
                    data-testid="link-row"
                    data-link-id=link.id.clone()
                    class:inactive=link.revoked || expired
                >
                    <td><RoleBadge role=link.role/></td>
                    <td>
                        {if link.public {
                            let shows = if link.include_comments {
                                t().link_shows_all
                            } else {
                                t().link_shows_map
                            };
                            view! {
                                <span class="badge badge-public" data-testid="link-public">{t().public_badge}</span>
                                " "
                                <span
                                    class="muted"
                                    data-testid="link-shows"
                                    data-comments=link.include_comments.to_string()
                                >
                                    {shows}
                                </span>
                            }.into_any()
                        } else {
                            view! { <span class="badge">{t().sign_in_badge}</span> }.into_any()
                        }}
                    </td>
                    <td class="muted" data-testid="link-expiry">{fill(t().link_expires, &[("when", &link_expiry(link.expires_at, now))])}</td>
                    <td class="muted" title=local_date_time(link.created_at)>{fill(t().link_created_on, &[("date", &local_date(link.created_at))])}</td>
                    <td data-testid="link-status">{status}</td>
                    <td class="person-actions">{revoke}</td>
                </tr>
                {confirm}
            }
        })
        .collect::<Vec<_>>();
    view! {
        <table class="people links" data-testid="link-list">
            <tbody>{rows}</tbody>
        </table>
    }
    .into_any()
}

/// The confirmation row under a link being revoked.
#[component]
fn ConfirmRevoke(
    id: String,
    remove_members: RwSignal<bool>,
    confirming: RwSignal<Option<String>>,
    on_revoke: Callback<RevokeLink>,
    busy: Signal<bool>,
) -> impl IntoView {
    view! {
        <tr class="link-confirm" data-testid="link-revoke-confirm-row">
            <td colspan="6">
                <div class="form-row">
                    <label class="checkbox">
                        <input type="checkbox" data-testid="link-revoke-members" bind:checked=remove_members/>
                        {t().revoke_remove_members}
                    </label>
                    <button
                        type="button"
                        class="button-danger-solid"
                        data-testid="link-revoke-confirm"
                        disabled=move || busy.get()
                        on:click=move |_| {
                            on_revoke.run(RevokeLink {
                                link: id.clone(),
                                remove_members: remove_members.get_untracked(),
                            });
                            confirming.set(None);
                        }
                    >
                        {t().revoke_link}
                    </button>
                    <button
                        type="button"
                        class="button-quiet"
                        data-testid="link-revoke-cancel"
                        on:click=move |_| confirming.set(None)
                    >
                        {t().cancel}
                    </button>
                </div>
            </td>
        </tr>
    }
}

/// Role, optional expiry in days, and "public" (viewer links only); hands a
/// [`CreateLink`] to `on_submit`.
#[component]
pub fn CreateLinkForm(
    /// Called with the request when the owner submits.
    on_submit: Callback<CreateLink>,
    /// True while a create is in flight.
    #[prop(into)]
    pending: Signal<bool>,
    /// The last create's error, if it failed.
    #[prop(into)]
    error: Signal<Option<ApiError>>,
) -> impl IntoView {
    let role = RwSignal::new(Role::Viewer);
    let days = RwSignal::new(String::new());
    let public = RwSignal::new(false);
    let include_comments = RwSignal::new(false);
    let invalid = RwSignal::new(None::<String>);
    // Only viewer links may be public: un-tick the box when another role is picked.
    Effect::watch(
        move || role.get(),
        move |role, _, _| {
            if *role != Role::Viewer {
                public.set(false);
            }
        },
        false,
    );
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let expires_at = match parse_days(&days.get_untracked()) {
            Ok(days) => days.map(|days| now_ms() + days * DAY_MS),
            Err(problem) => {
                invalid.set(Some(problem));
                return;
            }
        };
        invalid.set(None);
        let role = role.get_untracked();
        on_submit.run(CreateLink {
            role,
            expires_at,
            public: role == Role::Viewer && public.get_untracked(),
            include_comments: public.get_untracked() && include_comments.get_untracked(),
        });
    };
    view! {
        <form class="form-row link-form" data-testid="link-create-form" on:submit=submit novalidate>
            <label class="field">
                <span class="field-label">{t().role}</span>
                <RoleSelect
                    roles=LINK_ROLES.to_vec()
                    value=role
                    on_change=Callback::new(move |picked| role.set(picked))
                    testid="link-create-role"
                    label=t().role_link_gives
                />
            </label>
            <label class="field">
                <span class="field-label">{t().expires_after_days}</span>
                <input
                    type="number"
                    min="1"
                    max=MAX_LINK_DAYS
                    step="1"
                    placeholder=t().expiry_never
                    class="input-days"
                    data-testid="link-create-expiry"
                    bind:value=days
                />
            </label>
            <label
                class="checkbox"
                class:disabled=move || role.get() != Role::Viewer
                title=t().public_title
            >
                <input
                    type="checkbox"
                    data-testid="link-create-public"
                    disabled=move || role.get() != Role::Viewer
                    bind:checked=public
                />
                {t().public_no_account}
            </label>
            <label
                class="checkbox"
                class:disabled=move || !public.get()
                title=t().include_comments_title
            >
                <input
                    type="checkbox"
                    data-testid="link-create-comments"
                    disabled=move || !public.get()
                    bind:checked=include_comments
                />
                {t().include_comments}
            </label>
            <button type="submit" class="button-primary" data-testid="link-create-submit" disabled=move || pending.get()>
                {move || if pending.get() { t().creating } else { t().create_link }}
            </button>
        </form>
        {move || invalid.get().map(|problem| view! {
            <p class="notice notice-error" role="alert" data-testid="link-create-invalid">{problem}</p>
        })}
        {move || error.get().map(|error| view! { <ApiErrorNotice error testid="link-create-error"/> })}
    }
}

/// The URL of a link just created, to copy; its token is shown this once.
#[component]
pub fn NewLinkUrl(
    /// The full URL to hand out.
    url: String,
    /// True for a public link (opens the map without an account).
    public: bool,
) -> impl IntoView {
    view! {
        <div class="new-link notice notice-ok" data-testid="link-created">
            <p>
                {if public {
                    t().public_link_created
                } else {
                    t().link_created
                }}
            </p>
            <CopyField url input_testid="link-url" button_testid="link-copy"/>
        </div>
    }
}

/// Reads the expiry field: empty means no expiry; otherwise whole days, 1 to [`MAX_LINK_DAYS`].
fn parse_days(input: &str) -> Result<Option<i64>, String> {
    let input = input.trim();
    if input.is_empty() {
        return Ok(None);
    }
    match input.parse::<i64>() {
        Ok(days) if (1..=MAX_LINK_DAYS).contains(&days) => Ok(Some(days)),
        _ => Err(fill(t().expiry_invalid, &[("max", &MAX_LINK_DAYS)])),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expiry_days_are_optional_whole_and_bounded() {
        assert_eq!(parse_days(""), Ok(None));
        assert_eq!(parse_days(" 7 "), Ok(Some(7)));
        assert!(parse_days("0").is_err());
        assert!(parse_days("1.5").is_err());
        assert!(parse_days("99999").is_err());
    }
}
