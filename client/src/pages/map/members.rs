//! The people on a map, as a member who is not an owner sees them: read-only, with a way
//! to leave. Pending invitations are the owner's business: never shown here (the server
//! lists none to anyone else anyway).

use leptos::prelude::*;
use parcours_shared::ids::UserId;
use parcours_shared::MapId;

use crate::api;
use crate::components::error_notice::{ApiErrorNotice, ErrorList};
use crate::components::share::members::MemberTable;
use crate::i18n::t;
use crate::router::Router;

/// Loads the members of `map` and lists them; "Leave" on the caller's own row removes
/// them from the map and goes back to the map list.
#[component]
pub fn MembersPanel(
    /// The map.
    map: MapId,
    /// The signed-in account.
    me: Option<UserId>,
) -> impl IntoView {
    let router = Router::get();
    let leave_map = map.clone();
    let leave = Action::new_local(move |user: &UserId| {
        api::sharing::remove_member(leave_map.clone(), user.clone())
    });
    Effect::watch(
        move || leave.value().get(),
        move |result, _, _| {
            if let Some(Ok(())) = result {
                router.navigate("/");
            }
        },
        false,
    );
    let leave_error = move || leave.value().get().and_then(Result::err);
    let members = LocalResource::new(move || api::sharing::members(map.clone()));
    view! {
        <section class="card people-panel" data-testid="members-panel">
            <h2>{t().people_on_map}</h2>
            <Transition fallback=|| view! { <p class="muted">{t().loading_members}</p> }>
                <ErrorBoundary fallback=|errors| {
                    view! { <ErrorList errors context=t().members_load_failed/> }

                }>
                    {move || {
                        let me = me.clone();
                        Suspend::new(async move {
                            members.await.map(|list| view! {
                                <MemberTable
                                    members=list.members
                                    me
                                    editable=false
                                    on_change_role=Callback::new(|_| {})
                                    on_remove=Callback::new(move |user| {
                                        leave.dispatch(user);
                                    })
                                    busy=leave.pending()
                                />
                            })
                        })
                    }}
                </ErrorBoundary>
            </Transition>
            {move || leave_error().map(|error| view! { <ApiErrorNotice error testid="member-error"/> })}
        </section>
    }
}
