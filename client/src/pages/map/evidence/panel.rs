//! The evidence panel above the board, while Evidence is on: which event log, then a
//! tab of results, the mapping, or the logs themselves.

use leptos::prelude::*;
use parcours_shared::view::MapView;

use super::data::DataTab;
use super::mapping::MappingTab;
use super::results::ResultsTab;
use super::state::{Evidence, Tab};
use super::words::count;
use crate::components::error_notice::ApiErrorNotice;
use crate::i18n::{fill, t};

/// The panel, shown while Evidence is on.
#[component]
pub fn EvidencePanel(
    /// The live map: its stages and cards name what the logs are mapped to.
    view: Memo<MapView>,
) -> impl IntoView {
    let Some(e) = Evidence::get() else {
        return ().into_any();
    };
    let body = move || match e.tab.get() {
        Tab::Results => view! { <ResultsTab view/> }.into_any(),
        Tab::Mapping => view! { <MappingTab view/> }.into_any(),
        Tab::Data => view! { <DataTab/> }.into_any(),
    };
    view! {
        <Show when=move || e.open.get()>
            <section class="evidence-panel" data-testid="evidence-panel">
                <header class="evidence-head">
                    <h2>{t().evidence}</h2>
                    <DatasetPicker e/>
                    <nav class="evidence-tabs" role="tablist">
                        {Tab::ALL
                            .iter()
                            .map(|&tab| view! {
                                <button
                                    type="button"
                                    role="tab"
                                    class="evidence-tab"
                                    data-testid="evidence-tab"
                                    data-tab=tab.as_str()
                                    aria-selected=move || (e.tab.get() == tab).to_string()
                                    on:click=move |_| e.tab.set(tab)
                                >
                                    {tab.label()}
                                </button>
                            })
                            .collect_view()}
                    </nav>
                    <button type="button" class="button-quiet button-small" data-testid="evidence-close"
                        on:click=move |_| e.open.set(false)>{t().close}</button>
                </header>
                {move || e.error.get().map(|error| view! { <ApiErrorNotice error testid="evidence-error"/> })}
                {body}
            </section>
        </Show>
    }
    .into_any()
}

/// The choice of log when the map has several; its name and size when it has one.
#[component]
fn DatasetPicker(e: Evidence) -> impl IntoView {
    let ready = Memo::new(move |_| {
        e.datasets.with(|ds| {
            ds.iter()
                .filter(|d| d.status == "ready")
                .map(|d| (d.id.clone(), d.name.clone(), d.cases))
                .collect::<Vec<_>>()
        })
    });
    let shown = move || e.current.with(|d| d.as_ref().map(|d| d.id.clone()));
    move || {
        let list = ready.get();
        match list.len() {
            0 => view! {
                <span class="muted evidence-which" data-testid="dataset-none">
                    {move || if e.loaded.get() { t().no_event_log } else { t().loading }}
                </span>
            }
            .into_any(),
            1 => {
                let (_, name, cases) = list[0].clone();
                view! {
                    <span class="evidence-which" data-testid="dataset-current">
                        {name} <span class="muted">" · " {fill(t().n_cases, &[("n", &count(cases))])}</span>
                    </span>
                }
                .into_any()
            }
            _ => view! {
                <select
                    class="evidence-which"
                    data-testid="dataset-select"
                    aria-label=t().event_log
                    on:change=move |ev| e.chosen.set(Some(event_target_value(&ev)))
                >
                    {list
                        .into_iter()
                        .map(|(id, name, cases)| {
                            let selected = shown() == Some(id.clone());
                            view! {
                                <option value=id selected=selected>
                                    {format!("{name} ({})", fill(t().n_cases, &[("n", &count(cases))]))}

                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            }
            .into_any(),
        }
    }
}
