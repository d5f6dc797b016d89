//! One map's page: its head, the live board between the review rounds above it and
//! the comments panel beside it, and who it is shared with. The page connects the live
//! map and makes the one memoized [`MapView`] its parts read.
//!
//! - [`board`]: the live journey-map board (with each element's comment marker).
//! - [`comments`]: comment threads, their state and their side panel.
//! - [`share`]: the owner's share dialog.
//! - [`rounds`]: review rounds: open rounds' banners, starting one, past summaries.
//! - [`history`]: versions, any past moment shown read-only, comparisons, element
//!   history, restores, what changed since the last visit.
//! - [`export_menu`]: download links for every export format, live or past.
//! - [`evidence`]: event logs imported, mapped onto the journey and analysed: the
//!   metrics row, charts, friction list, mapping table and import.
//! - [`method`]: the six steps of the method checked live against the map, their
//!   progress in the head and the panel with a way to each fix.
//! - [`follow`]: following another person's view (and presentation) through presence.
//! - [`present`]: presentation mode, one stage at a time, full screen.
//! - [`members`]: the read-only member list other members see.
//! - [`stream`]: the map's one event stream, shared by comments, rounds and evidence.

pub mod board;
pub mod comments;
pub mod evidence;
pub mod export_menu;
pub mod follow;
pub mod history;
pub mod members;
pub mod method;
pub mod present;
pub mod rounds;
pub mod share;
pub mod stream;

use leptos::prelude::*;
use parcours_shared::api::MapDetail;
use parcours_shared::view::MapView;
use parcours_shared::MapId;

use crate::api;
use crate::auth::Auth;
use crate::components::error_notice::ErrorList;
use crate::components::role::RoleBadge;
use crate::format::{edited_ago, itinerary_label, local_date_time, now_ms};
use crate::i18n::t;
use crate::live::presence::{color_for, PresenceUser};
use crate::live::LiveMap;
use crate::router::Link;

use self::board::Board;
use self::comments::{Comments, CommentsPanel, CommentsToggle};
use self::evidence::{Evidence, EvidencePanel};
use self::export_menu::ExportMenu;
use self::follow::Follow;
use self::history::{History, HistoryNotices, HistoryPanel};
use self::members::MembersPanel;
use self::method::{Method, MethodPanel, MethodToggle};
use self::present::{phone_screen, PhoneBoard, PresentButton, Presentation, PresentationOverlay};
use self::rounds::Rounds;
use self::share::ShareDialog;
use self::stream::MapStream;

/// Loads `GET /api/maps/{id}` (with the public link's token, if any) and shows what it
/// holds; owners get a "Share" button, other members the list of people.
#[component]
pub fn MapPage(
    /// The map to show.
    id: MapId,
    /// Token of a public share link from the URL (`?link=`): the visitor need not be a
    /// member, nor signed in.
    link: Option<String>,
) -> impl IntoView {
    let map_id = id.clone();
    let public_link = link.clone();
    let detail =
        LocalResource::new(move || api::maps::get_map(map_id.clone(), public_link.clone()));
    let on_access_changed = Callback::new(move |()| detail.refetch());
    view! {
        <section class="page">
            <p class="breadcrumb">
                <Link href="/">{t().all_maps}</Link>
            </p>
            <Transition fallback=|| view! { <p class="muted">{t().loading_map}</p> }>
                <ErrorBoundary fallback=|errors| {
                    view! { <ErrorList errors context=t().map_load_failed/> }
                }>
                    {move || {
                        let link = link.clone();
                        Suspend::new(async move {
                            detail
                                .await
                                .map(|detail| view! { <MapOverview detail link on_access_changed/> })
                        })
                    }}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}

/// The map's head (title, kind, last edit, status, the caller's role), the review
/// rounds, the live board, the comments panel, and its sharing.
#[component]
fn MapOverview(
    /// The loaded map.
    detail: MapDetail,
    /// The public link's token when opened with one (`?link=`): read-only, no sharing
    /// controls.
    link: Option<String>,
    /// Called after a change that may change the caller's own access (ownership
    /// transferred, own role changed): the map is loaded again.
    on_access_changed: Callback<()>,
) -> impl IntoView {
    let me = Auth::get().me();
    let MapDetail {
        summary,
        discussion,
        ..
    } = detail;
    let through_link = link.is_some();
    let user = match &me {
        Some(me) => PresenceUser {
            name: me.display_name.clone(),
            color: color_for(&me.id.0).to_owned(),
            editor: summary.role.can_edit() && !through_link,
        },
        None => PresenceUser {
            name: t().guest.into(),
            color: color_for("guest").to_owned(),
            editor: false,
        },
    };
    let live = LiveMap::connect(summary.id.as_str(), link.as_deref(), user);
    // The whole map, re-read after every change; the board, the rounds and the
    // comments all read this one copy.
    let view: Memo<MapView> = Memo::new(move |_| live.read(|doc| doc.view()).unwrap_or_default());
    let can_edit = summary.role.can_edit() && !through_link;
    document().set_title(&format!("{} · Parcours", summary.title));
    let role = summary.role;
    // Evidence (imported event logs) is for signed-in members: a public link shows the
    // map, not the customer data behind it.
    let members_only = me.is_some() && !through_link;
    // One event stream for the page: threads, rounds and evidence all arrive on it.
    if discussion || members_only {
        MapStream::open(api::comments::map_events_url(&summary.id, link.as_deref()));
    }
    // A public link made without the discussion shows the board alone: no threads,
    // markers or rounds are loaded (the server would refuse them anyway).
    if discussion {
        Comments::install(
            summary.id.clone(),
            link.clone(),
            me.as_ref().map(|me| me.id.clone()),
            role,
        );
    }
    let evidence = members_only.then(|| Evidence::install(summary.id.clone(), role));
    // The method reads the rounds and logs just installed for its validation step.
    let validated_at_load = summary
        .method_done
        .contains(&parcours_shared::method::MethodStep::Validation);
    Method::install(view, can_edit, validated_at_load);
    let presentation = Presentation::install(view);
    Follow::install(live, presentation, can_edit);
    // Version history is for signed-in members: a public link sees the live map only.
    let history = members_only.then(|| History::install(summary.id.clone(), role));
    // The past being viewed, shown read-only in place of the live board.
    let past_view: Memo<MapView> = Memo::new(move |_| {
        history
            .and_then(|h| h.past.with(|p| p.as_ref().map(|p| p.view.clone())))
            .unwrap_or_default()
    });
    let in_past = Memo::new(move |_| history.is_some_and(|h| h.past.with(Option::is_some)));
    // What the export menu downloads: the past shown, or the live map.
    let past_shown = Signal::derive(move || history.and_then(|h| h.past.get()));
    let phone = phone_screen();
    let board = move || {
        if phone.get() {
            let shown = if in_past.get() { past_view } else { view };
            view! { <PhoneBoard view=shown/> }.into_any()
        } else if in_past.get() {
            view! { <Board live view=past_view can_edit=false frozen=true/> }.into_any()
        } else {
            view! { <Board live view can_edit/> }.into_any()
        }
    };
    let sharing_open = RwSignal::new(false);
    let can_share = role.is_owner() && !through_link && me.is_some();
    let sharing = if can_share {
        let map = summary.id.clone();
        let title = summary.title.clone();
        let me = me.clone().map(|me| me.id);
        view! {
            {move || sharing_open.get().then(|| view! {
                <ShareDialog
                    map=map.clone()
                    title=title.clone()
                    me=me.clone()
                    on_close=Callback::new(move |()| sharing_open.set(false))
                    on_access_changed
                />
            })}
        }
        .into_any()
    } else if !through_link && me.is_some() {
        view! { <MembersPanel map=summary.id.clone() me=me.clone().map(|me| me.id)/> }.into_any()
    } else {
        ().into_any()
    };
    // The itinerary kind as the live document says (the board's switch or a template
    // filling the map changes it); the list's until the document has loaded.
    let listed_kind = summary.itinerary;
    let kind = Memo::new(move |_| {
        let v = view.get();
        if v.meta.schema_version == 0 {
            listed_kind
        } else {
            v.meta.itinerary
        }
    });
    view! {
        <header class="page-head page-head-actions" data-testid="map-head">
            <div>
            <h1 data-testid="map-title">{summary.title}</h1>
            <p class="muted">
                <span class="kind" data-kind=move || kind.get().as_str()>
                    {move || itinerary_label(kind.get())}
                </span>
                " · "
                <span title=local_date_time(summary.updated_at)>
                    {t().edited} {edited_ago(summary.updated_at, now_ms())}
                </span>
                {summary.archived.then(|| view! {
                    " · " <span class="badge badge-archived">{t().archived}</span>
                })}
                " · "
                <RoleBadge role testid="map-role"/>
                {through_link.then(|| view! {
                    " · " <span class="badge badge-public" data-testid="map-public-link">{t().shared_by_link}</span>
                })}
            </p>
            </div>
            <div class="head-buttons">
                <PresentButton/>
                {discussion.then(|| view! { <CommentsToggle/> })}
                <MethodToggle/>
                <ExportMenu map=summary.id.clone() link=link.clone() past=past_shown/>
                {can_share.then(|| view! {
                    <button
                        type="button"
                        class="button-primary"
                        data-testid="share-open"
                        on:click=move |_| sharing_open.set(true)
                    >
                        {t().share}
                    </button>
                })}
            </div>
        </header>
        <div class="map-layout">
            <div class="map-main">
                <Rounds live view/>
                {history.is_some().then(|| view! {
                    <HistoryNotices/>
                    <HistoryPanel view/>
                })}
                {evidence.is_some().then(|| view! { <EvidencePanel view/> })}
                <MethodPanel/>
                {board}
            </div>
            {discussion.then(|| view! { <CommentsPanel view/> })}
        </div>
        {sharing}
        <PresentationOverlay/>
    }
}
