//! One map's page. For now: its head and what the document holds; the editor comes later.

use leptos::prelude::*;
use parcours_shared::api::MapDetail;
use parcours_shared::MapId;

use crate::api;
use crate::components::error_notice::ErrorList;
use crate::format::{edited_ago, itinerary_label, local_date_time, now_ms};
use crate::router::Link;

/// Loads `GET /api/maps/{id}` and shows what it holds.
#[component]
pub fn MapPage(
    /// The map to show.
    id: MapId,
) -> impl IntoView {
    let detail = LocalResource::new(move || api::get_map(id.clone()));
    view! {
        <section class="page">
            <p class="breadcrumb">
                <Link href="/">"← All maps"</Link>
            </p>
            <Transition fallback=|| view! { <p class="muted">"Loading the map…"</p> }>
                <ErrorBoundary fallback=|errors| {
                    view! { <ErrorList errors context="Could not load this map."/> }
                }>
                    {move || Suspend::new(async move {
                        detail.await.map(|detail| view! { <MapOverview detail/> })
                    })}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}

/// The map's head (title, kind, last edit, status), its objective, and how much it holds.
#[component]
fn MapOverview(
    /// The loaded map.
    detail: MapDetail,
) -> impl IntoView {
    let MapDetail {
        summary,
        view: contents,
    } = detail;
    let objective = (!contents.meta.objective.trim().is_empty()).then_some(contents.meta.objective);
    let counts = [
        ("stages", "map-stage-count", contents.stages.len()),
        ("lanes", "map-lane-count", contents.lanes.len()),
        ("cards", "map-card-count", contents.cards.len()),
        ("personas", "map-persona-count", contents.personas.len()),
    ]
    .into_iter()
    .map(|(label, testid, count)| {
        view! {
            <div class="count">
                <span class="count-value" data-testid=testid>{count}</span>
                <span class="count-label">{label}</span>
            </div>
        }
    })
    .collect::<Vec<_>>();
    document().set_title(&format!("{} · Parcours", summary.title));
    view! {
        <header class="page-head" data-testid="map-head">
            <h1 data-testid="map-title">{summary.title}</h1>
            <p class="muted">
                <span class="kind" data-kind=summary.itinerary.as_str()>
                    {itinerary_label(summary.itinerary)}
                </span>
                " · "
                <span title=local_date_time(summary.updated_at)>
                    "edited " {edited_ago(summary.updated_at, now_ms())}
                </span>
                {summary.archived.then(|| view! {
                    " · " <span class="badge badge-archived">"Archived"</span>
                })}
            </p>
        </header>
        {objective.map(|objective| view! {
            <p class="objective" data-testid="map-objective">
                <span class="field-label">"Objective"</span>
                {objective}
            </p>
        })}
        <div class="counts" data-testid="map-counts">{counts}</div>
        <p class="card muted">"The live editor for this map is on its way."</p>
    }
}
