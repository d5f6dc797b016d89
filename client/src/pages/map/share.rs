//! The owner's share dialog: members and their roles, invitations (with the link each
//! comes with), share links, ownership transfer and the audit trail. It loads them,
//! changes them, and reloads what a change affects.

use std::collections::HashMap;

use leptos::prelude::*;
use parcours_shared::api::{ChangeRole, CreateLink, Invite, InviteResult, TransferOwnership};
use parcours_shared::ids::{Role, UserId};
use parcours_shared::MapId;

use crate::api::{self, ApiError};
use crate::components::dialog::Dialog;
use crate::components::error_notice::{ApiErrorNotice, ErrorList};
use crate::components::share::audit::AuditList;
use crate::components::share::invitations::{InvitationLink, InvitationList, InviteForm};
use crate::components::share::links::{CreateLinkForm, LinkTable, NewLinkUrl, RevokeLink};
use crate::components::share::members::MemberTable;
use crate::components::share::transfer::TransferForm;
use crate::i18n::{fill, t};
use crate::route::share_url;
use crate::router::Router;

/// A modal over the map page. Closes with its × button, Escape, or a click beside it.
#[component]
pub fn ShareDialog(
    /// The map being shared.
    map: MapId,
    /// Its title, for the dialog's heading.
    title: String,
    /// The signed-in owner.
    me: Option<UserId>,
    /// Called to close the dialog.
    on_close: Callback<()>,
    /// Called when the caller's own access changed (ownership transferred, own role
    /// changed): the page reloads the map, and the dialog goes with the owner role.
    on_access_changed: Callback<()>,
) -> impl IntoView {
    let router = Router::get();

    // Changes. Each answer carries its input, to tell whether it concerned the caller.
    let m = map.clone();
    let invite =
        Action::new_local(move |request: &Invite| api::sharing::invite(m.clone(), request.clone()));
    let m = map.clone();
    let change_role = Action::new_local(move |(user, role): &(UserId, Role)| {
        let (map, user, role) = (m.clone(), user.clone(), *role);
        async move {
            let result = api::sharing::change_role(map, user.clone(), ChangeRole { role }).await;
            (user, result.map(|_| ()))
        }
    });
    let m = map.clone();
    let remove = Action::new_local(move |user: &UserId| {
        let (map, user) = (m.clone(), user.clone());
        async move {
            let result = api::sharing::remove_member(map, user.clone()).await;
            (user, result)
        }
    });
    let m = map.clone();
    let transfer = Action::new_local(move |user: &UserId| {
        let body = TransferOwnership {
            user_id: user.clone(),
        };
        api::sharing::transfer(m.clone(), body)
    });
    let m = map.clone();
    let create_link = Action::new_local(move |request: &CreateLink| {
        api::sharing::create_link(m.clone(), request.clone())
    });
    let m = map.clone();
    let revoke = Action::new_local(move |request: &RevokeLink| {
        api::sharing::revoke_link(m.clone(), request.link.clone(), request.remove_members)
    });
    let m = map.clone();
    let resend = Action::new_local(move |invitation: &String| {
        api::sharing::resend_invitation(m.clone(), invitation.clone())
    });
    let m = map.clone();
    let withdraw = Action::new_local(move |invitation: &String| {
        api::sharing::withdraw_invitation(m.clone(), invitation.clone())
    });

    // What the dialog shows, reloaded after every change that touches it.
    let m = map.clone();
    let members = LocalResource::new(move || {
        for version in [
            invite.version(),
            change_role.version(),
            remove.version(),
            transfer.version(),
            revoke.version(),
            resend.version(),
            withdraw.version(),
        ] {
            version.track();
        }
        api::sharing::members(m.clone())
    });
    let m = map.clone();
    let links = LocalResource::new(move || {
        create_link.version().track();
        revoke.version().track();
        api::sharing::links(m.clone())
    });
    let m = map.clone();
    let audit = LocalResource::new(move || {
        for version in [
            invite.version(),
            change_role.version(),
            remove.version(),
            transfer.version(),
            create_link.version(),
            revoke.version(),
            resend.version(),
            withdraw.version(),
        ] {
            version.track();
        }
        api::sharing::audit(m.clone())
    });

    // The link of the last invitation made or sent again (true: sent again), shown until
    // the next one; and the last "Send again" or "Withdraw" error.
    let shown_link = RwSignal::new(None::<(InviteResult, bool)>);
    let invitation_error = RwSignal::new(None::<ApiError>);
    Effect::watch(
        move || invite.value().get(),
        move |result, _, _| {
            if let Some(Ok(result)) = result {
                shown_link.set(Some((result.clone(), false)));
            }
        },
        false,
    );
    Effect::watch(
        move || resend.value().get(),
        move |result, _, _| match result {
            Some(Ok(result)) => {
                invitation_error.set(None);
                shown_link.set(Some((result.clone(), true)));
            }
            Some(Err(error)) => invitation_error.set(Some(error.clone())),
            None => {}
        },
        false,
    );
    Effect::watch(
        move || withdraw.value().get(),
        move |result, _, _| {
            if let Some(result) = result {
                invitation_error.set(result.clone().err());
            }
        },
        false,
    );

    // The last role change or removal's error (e.g. `last_owner`), shown above the list.
    let member_error = RwSignal::new(None::<ApiError>);
    let me_for_role = me.clone();
    Effect::watch(
        move || change_role.value().get(),
        move |answer, _, _| {
            if let Some((user, result)) = answer {
                member_error.set(result.clone().err());
                if result.is_ok() && Some(user) == me_for_role.as_ref() {
                    on_access_changed.run(());
                }
            }
        },
        false,
    );
    let me_for_remove = me.clone();
    Effect::watch(
        move || remove.value().get(),
        move |answer, _, _| {
            if let Some((user, result)) = answer {
                member_error.set(result.clone().err());
                if result.is_ok() && Some(user) == me_for_remove.as_ref() {
                    router.navigate("/");
                }
            }
        },
        false,
    );
    Effect::watch(
        move || transfer.value().get(),
        move |result, _, _| {
            if let Some(Ok(())) = result {
                on_access_changed.run(());
            }
        },
        false,
    );

    let busy = Signal::derive(move || change_role.pending().get() || remove.pending().get());
    let invitations_busy =
        Signal::derive(move || resend.pending().get() || withdraw.pending().get());
    let origin = window().location().origin().unwrap_or_default();
    let link_map = map.clone();
    let new_link = Signal::derive(move || {
        let link = create_link.value().get()?.ok()?;
        let token = link.token?;
        Some((
            share_url(&origin, &link_map, &token, link.public),
            link.public,
        ))
    });

    // Copy handles, for the section closures the view may run again.
    let me_members = StoredValue::new(me.clone());
    let me_transfer = StoredValue::new(me);
    view! {
        <Dialog
            title=fill(t().share_title, &[("title", &title)])
            testid="share-dialog"
            close_testid="share-close"
            on_close
        >

                <section class="dialog-section" data-testid="share-people">
                    <h3>{t().people}</h3>
                    {move || member_error.get().map(|error| view! { <ApiErrorNotice error testid="member-error"/> })}
                    <Loaded what=t().loading_members load_failed=t().members_load_failed>
                        {move || {
                            let me = me_members.get_value();
                            Suspend::new(async move {
                                members.await.map(|list| view! {
                                    <MemberTable
                                        members=list.members
                                        me
                                        editable=true
                                        on_change_role=Callback::new(move |change| {
                                            change_role.dispatch(change);
                                        })
                                        on_remove=Callback::new(move |user| {
                                            remove.dispatch(user);
                                        })
                                        busy
                                    />
                                    <InvitationList
                                        invitations=list.invitations
                                        on_resend=Callback::new(move |invitation| {
                                            resend.dispatch(invitation);
                                        })
                                        on_withdraw=Callback::new(move |invitation| {
                                            withdraw.dispatch(invitation);
                                        })
                                        busy=invitations_busy
                                    />
                                })
                            })
                        }}
                    </Loaded>
                    <InviteForm
                        on_submit=Callback::new(move |request| {
                            invite.dispatch(request);
                        })
                        pending=invite.pending()
                        error=Signal::derive(move || invite.value().get().and_then(Result::err))
                        result=Signal::derive(move || invite.value().get().and_then(Result::ok))
                    />
                    {move || invitation_error.get().map(|error| view! {
                        <ApiErrorNotice error testid="invitation-error"/>
                    })}
                    {move || shown_link.get().map(|(result, resent)| view! {
                        <InvitationLink result resent/>
                    })}
                </section>

                <section class="dialog-section" data-testid="share-links">
                    <h3>{t().share_links}</h3>
                    <CreateLinkForm
                        on_submit=Callback::new(move |request| {
                            create_link.dispatch(request);
                        })
                        pending=create_link.pending()
                        error=Signal::derive(move || create_link.value().get().and_then(Result::err))
                    />
                    {move || new_link.get().map(|(url, public)| view! { <NewLinkUrl url public/> })}
                    {move || revoke.value().get().and_then(Result::err).map(|error| view! {
                        <ApiErrorNotice error testid="link-revoke-error"/>
                    })}
                    <Loaded what=t().loading_links load_failed=t().links_load_failed>
                        {move || Suspend::new(async move {
                            links.await.map(|list| view! {
                                <LinkTable
                                    links=list.links
                                    on_revoke=Callback::new(move |link| {
                                        revoke.dispatch(link);
                                    })
                                    busy=revoke.pending()
                                />
                            })
                        })}
                    </Loaded>
                </section>

                <section class="dialog-section" data-testid="share-transfer">
                    <h3>{t().transfer_ownership}</h3>
                    <Loaded what=t().loading_members load_failed=t().members_load_failed>
                        {move || {
                            let me = me_transfer.get_value();
                            Suspend::new(async move {
                                members.await.map(|list| {
                                    let candidates = list
                                        .members
                                        .into_iter()
                                        .filter(|member| Some(&member.user_id) != me.as_ref())
                                        .collect::<Vec<_>>();
                                    view! {
                                        <TransferForm
                                            candidates
                                            on_submit=Callback::new(move |user| {
                                                transfer.dispatch(user);
                                            })
                                            pending=transfer.pending()
                                            error=Signal::derive(move || transfer.value().get().and_then(Result::err))
                                        />
                                    }
                                })
                            })
                        }}
                    </Loaded>
                </section>

                <section class="dialog-section" data-testid="share-audit">
                    <h3>{t().audit_trail}</h3>
                    <Loaded what=t().loading_audit load_failed=t().audit_load_failed>
                        {move || Suspend::new(async move {
                            let names = members.await.map(|list| {
                                list.members
                                    .into_iter()
                                    .map(|member| (member.user_id.0, member.display_name))
                                    .collect::<HashMap<_, _>>()
                            });
                            audit.await.map(|log| view! {
                                <AuditList entries=log.entries names=names.unwrap_or_default()/>
                            })
                        })}
                    </Loaded>
                </section>
        </Dialog>
    }
}

/// A `Transition` and an `ErrorBoundary` around one section's data.
#[component]
fn Loaded(
    /// What shows while it loads, e.g. "Loading the members…".
    what: &'static str,
    /// What shows above the errors when it fails.
    load_failed: &'static str,
    children: ChildrenFn,
) -> impl IntoView {
    view! {
        <Transition fallback=move || view! { <p class="muted">{what}</p> }>
            <ErrorBoundary fallback=move |errors| {
                view! { <ErrorList errors context=load_failed/> }

            }>{children()}</ErrorBoundary>
        </Transition>
    }
}
