//! An invitation in the inbox: someone invited the account's address to a map. It is
//! accepted right here once the address is verified; until then, the link sent to the
//! address is the way in.

use leptos::prelude::*;
use parcours_shared::api::InboxItem;
use parcours_shared::MapId;

use crate::api::ApiError;
use crate::components::error_notice::ApiErrorNotice;
use crate::format::{edited_ago, local_date_time, now_ms};
use crate::i18n::t;
use crate::router::Link;

/// The item's text, and "Accept" (verified address) or how to get in otherwise.
#[component]
pub fn InboxInvitation(
    /// The inbox item (kind `invitation`; its `map_id` is the map).
    item: InboxItem,
    /// Whether the account's address is verified (only then may the inbox accept).
    #[prop(into)]
    verified: Signal<bool>,
    /// Called with the map to accept the invitation to.
    on_accept: Callback<MapId>,
    /// True while an accept is in flight.
    #[prop(into)]
    pending: Signal<bool>,
    /// The last accept's error for this map, if it failed.
    #[prop(into)]
    error: Signal<Option<ApiError>>,
    /// Called when the user follows a link out of the inbox (it then closes).
    on_leave: Callback<()>,
) -> impl IntoView {
    let map = item.map_id.clone();
    view! {
        <div
            class="inbox-item inbox-invitation"
            class:inbox-item-unread=!item.read
            data-testid="inbox-item"
            data-item-id=item.id.to_string()
            data-kind=item.kind.as_str()
            data-read=item.read.to_string()
            data-map-id=item.map_id.to_string()
        >
            <span class="inbox-kind">{t().inbox_invitation}</span>
            <span class="inbox-text">{crate::i18n::forms::inbox_line(&item)}</span>
            <span class="muted inbox-time" title=local_date_time(item.created_at)>
                {edited_ago(item.created_at, now_ms())}
            </span>
            {move || if verified.get() {
                let map = map.clone();
                view! {
                    <button
                        type="button"
                        class="button-primary button-small"
                        data-testid="inbox-invitation-accept"
                        disabled=move || pending.get()
                        on:click=move |_| on_accept.run(map.clone())
                    >
                        {move || if pending.get() { t().accepting } else { t().accept }}
                    </button>
                }
                .into_any()
            } else {
                view! {
                    <span class="inbox-hint" data-testid="inbox-invitation-unverified">
                        {t().to_accept_open_link} " "
                        <span on:click=move |_| on_leave.run(())>
                            <Link href="/account">{t().verify_your_address}</Link>

                        </span>
                        "."
                    </span>
                }
                .into_any()
            }}
            {move || error.get().map(|error| view! {
                <ApiErrorNotice error testid="inbox-invitation-error"/>
            })}
        </div>
    }
}
