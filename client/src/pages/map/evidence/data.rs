//! The event-logs tab: the map's logs (name, rows, bad rows, status; delete for
//! editors), imports running now, the bad rows of the log shown, and the import form.

use leptos::prelude::*;
use leptos::task::spawn_local;
use parcours_shared::api::{BadRow, Dataset};

use super::import::ImportForm;
use super::state::Evidence;
use super::words::count;
use crate::api::{self, ApiError};
use crate::components::error_notice::ApiErrorNotice;
use crate::format::local_date_time;
use crate::i18n::{fill, t};

/// The logs, then (editors) the import form.
#[component]
pub fn DataTab() -> impl IntoView {
    let Some(e) = Evidence::get() else {
        return ().into_any();
    };
    let error = RwSignal::new(None::<ApiError>);
    let list = move || {
        let datasets = e.datasets.get();
        if datasets.is_empty() {
            return view! { <p class="muted" data-testid="dataset-list-empty">{t().no_log_imported}</p> }.into_any();
        }
        let shown = e.current.with(|d| d.as_ref().map(|d| d.id.clone()));
        let rows = datasets
            .into_iter()
            .map(|d| {
                let is_shown = shown.as_deref() == Some(d.id.as_str());
                view! { <DatasetRow e d is_shown error/> }
            })
            .collect_view();
        view! {
            <table class="evidence-table dataset-list" data-testid="dataset-list">
                <thead><tr>
                    <th>{t().name}</th><th class="num">{t().rows}</th><th class="num">{t().bad_rows}</th>
                    <th class="num">{t().cases}</th><th>{t().imported}</th><th>{t().status}</th><th></th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        }
        .into_any()
    };
    let running = move || {
        let known = e
            .datasets
            .with(|ds| ds.iter().map(|d| d.id.clone()).collect::<Vec<_>>());
        e.progress
            .get()
            .into_iter()
            .filter(|(id, _)| !known.contains(id))
            .map(|(id, p)| {
                view! {
                    <p class="muted" data-testid="import-running" data-dataset-id=id>
                        {fill(t().import_running, &[("n", &count(p.rows))])}
                    </p>
                }
            })
            .collect_view()
    };
    let bad_rows = move || {
        e.current.get().filter(|d| d.bad_rows > 0).map(|d| {
            view! { <BadRows name=d.name.clone() total=d.bad_rows samples=d.bad_samples.clone()/> }
        })
    };
    view! {
        {list}
        {running}
        {move || error.get().map(|error| view! { <ApiErrorNotice error testid="dataset-error"/> })}
        {bad_rows}
        {e.can_edit.then(|| view! { <ImportForm e/> })}
    }
    .into_any()
}

/// One log of the list.
#[component]
fn DatasetRow(
    e: Evidence,
    d: Dataset,
    is_shown: bool,
    error: RwSignal<Option<ApiError>>,
) -> impl IntoView {
    let id = d.id.clone();
    let name = d.name.clone();
    let show_id = d.id.clone();
    let remove = move |_| {
        let sure = window()
            .confirm_with_message(&fill(t().delete_log_confirm, &[("name", &name)]))
            .unwrap_or(false);
        if !sure {
            return;
        }
        let map = e.map.get_value();
        let id = id.clone();
        spawn_local(async move {
            match api::evidence::delete(map, id.clone()).await {
                Ok(()) => {
                    error.try_set(None);
                    e.datasets.try_update(|ds| ds.retain(|d| d.id != id));
                }
                Err(err) => {
                    error.try_set(Some(err));
                }
            }
        });
    };
    let ready = d.status == "ready";
    view! {
        <tr data-testid="dataset-row" data-dataset-id=d.id.clone() data-status=d.status.clone()
            data-rows=d.rows.to_string() data-bad-rows=d.bad_rows.to_string() class:dataset-shown=is_shown>
            <td>
                {if ready && !is_shown {
                    view! {
                        <button type="button" class="link-button" data-testid="dataset-show"
                            title=t().show_log_results
                            on:click=move |_| e.chosen.set(Some(show_id.clone()))>{d.name.clone()}</button>
                    }.into_any()
                } else {
                    view! { <b>{d.name.clone()}</b> }.into_any()
                }}
            </td>
            <td class="num">{count(d.rows)}</td>
            <td class="num">{count(d.bad_rows)}</td>
            <td class="num">{count(d.cases)}</td>
            <td>{local_date_time(d.created_at)}</td>
            <td><span class="badge" class:badge-ok=ready data-testid="dataset-status">{if ready { t().ready } else { t().importing }}</span></td>
            <td>
                {e.can_edit.then(|| view! {
                    <button type="button" class="button-quiet button-small button-danger" data-testid="dataset-delete"
                        on:click=remove>{t().delete}</button>
                })}
            </td>
        </tr>
    }
}

/// The bad rows an import skipped: how many, and the first ones with their line.
#[component]
pub fn BadRows(name: String, total: u64, samples: Vec<BadRow>) -> impl IntoView {
    let listed = samples.len() as u64;
    let items = samples
        .into_iter()
        .map(|b| {
            view! {
                <li data-testid="bad-row" data-line=b.line.to_string()>
                    <span class="bad-line">{fill(t().line_n, &[("n", &b.line)])}</span> " " {crate::i18n::forms::bad_row_reason(&b)}
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="bad-rows" data-testid="bad-rows" data-total=total.to_string()>
            <h3>{fill(t().bad_rows_skipped, &[("n", &count(total)), ("name", &name)])}
                {(listed < total).then(|| fill(t().first_listed, &[("n", &listed)]))}</h3>

            <ul>{items}</ul>
        </section>
    }
}
