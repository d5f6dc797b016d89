//! The list of maps on the home page.

use leptos::prelude::*;
use parcours_shared::api::MapSummary;
use parcours_shared::method::MethodStep;

use crate::components::role::RoleBadge;
use crate::format::{edited_ago, itinerary_label, local_date_time, now_ms, step_title};

use crate::i18n::{fill, t};
use crate::router::{Link, Route};

/// Every map as a row (title, itinerary kind, the caller's role, progress through the
/// method, last edit, archived flag), or an empty state.
#[component]
pub fn MapTable(
    /// The maps, in the order the server listed them.
    maps: Vec<MapSummary>,
) -> impl IntoView {
    if maps.is_empty() {
        return view! {
            <div class="empty" data-testid="maps-empty">
                <p class="empty-title">{t().no_maps}</p>
                <p class="muted">{t().no_maps_hint}</p>
            </div>
        }
        .into_any();
    }
    let now = now_ms();
    let rows = maps
        .into_iter()
        .map(|map| view! { <MapRow map now/> })
        .collect::<Vec<_>>();
    view! {
        <table class="maps" data-testid="maps-table">
            <thead>
                <tr>
                    <th scope="col">{t().title}</th>
                    <th scope="col">{t().itinerary}</th>
                    <th scope="col">{t().your_role}</th>
                    <th scope="col">{t().method}</th>
                    <th scope="col">{t().last_edited}</th>
                    <th scope="col">{t().on_it_now}</th>
                    <th scope="col">{t().status}</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
    .into_any()
}

/// One map in the table; its title links to the map's page.
#[component]
fn MapRow(
    /// The map to show.
    map: MapSummary,
    /// "Now" for relative times, read once for the whole table.
    now: i64,
) -> impl IntoView {
    let href = Route::map(map.id.clone()).path();
    let row_class = if map.archived { "archived" } else { "" };
    view! {
        <tr class=row_class data-testid="map-row" data-map-id=map.id.to_string() data-role=map.role.as_str()>
            <td class="map-title">
                <Link href>{map.title}</Link>
            </td>
            <td>
                <span class="kind" data-kind=map.itinerary.as_str()>
                    {itinerary_label(map.itinerary)}
                </span>
            </td>
            <td>
                <RoleBadge role=map.role testid="map-role"/>
            </td>
            <td>
                <MethodProgress done=map.method_done.clone()/>
            </td>
            <td title=local_date_time(map.updated_at)>{edited_ago(map.updated_at, now)}</td>
            <td class="online" data-testid="map-online" data-count=map.online.len()>
                {if map.online.is_empty() {
                    view! { <span class="muted">"—"</span> }.into_any()
                } else {
                    let names = map.online.join(", ");
                    let initials = map
                        .online
                        .iter()
                        .map(|name| view! { <span class="online-avatar" title=name.clone()>{initials(name)}</span> })
                        .collect::<Vec<_>>();
                    view! { <span class="online-list" aria-label=names>{initials}</span> }.into_any()
                }}
            </td>
            <td>
                {if map.archived {
                    view! { <span class="badge badge-archived" data-testid="map-archived">{t().archived}</span> }.into_any()
                } else {
                    view! { <span class="badge">{t().map_active}</span> }.into_any()
                }}
            </td>
        </tr>
    }
}

/// How far a map has come through the six steps: "3 of 6" and one mark per step.
#[component]
fn MethodProgress(
    /// The steps the map passes.
    done: Vec<MethodStep>,
) -> impl IntoView {
    let count = done.len();
    let total = MethodStep::ALL.len();
    let marks = MethodStep::ALL
        .iter()
        .map(|step| {
            let is_done = done.contains(step);
            let title = format!(
                "{}. {}{}",
                step.number(),
                step_title(*step),
                if is_done {
                    t().step_is_done
                } else {
                    t().step_is_to_do
                }
            );
            view! {
                <span
                    class="method-mark"
                    class:method-mark-done=is_done
                    data-step=step.as_str()
                    data-done=is_done.to_string()
                    title=title
                ></span>
            }
        })
        .collect_view();
    let names: Vec<&str> = done.iter().map(|s| step_title(*s)).collect();
    let steps = fill(t().steps_done, &[("done", &count), ("total", &total)]);
    let label = if names.is_empty() {
        steps
    } else {
        format!(
            "{steps}{}",
            fill(t().colon_list, &[("list", &names.join(", "))])
        )
    };
    view! {
        <span class="method-summary" data-testid="map-method" data-done=count.to_string()>
            <span class="method-marks" aria-hidden="true">{marks}</span>
            <span class="method-count" aria-hidden="true">{fill(t().n_of_total, &[("n", &count), ("total", &total)])}</span>

            <span class="visually-hidden">{label}</span>
        </span>
    }
}

/// Up to two initials of a display name, for a small avatar.
fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter_map(|word| word.chars().next())
        .take(2)
        .flat_map(char::to_uppercase)
        .collect()
}
