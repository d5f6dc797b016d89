//! The mapping tab: each distinct activity of the log → a stage of the map and
//! optionally a touchpoint card of that stage, pre-filled with the server's suggestions;
//! KPI cards fed by a measure; saved by editors (every open page's results follow),
//! read by everyone else.

use leptos::prelude::*;
use leptos::task::spawn_local;
use parcours_shared::api::{ActivityLink, Dataset, DatasetMapping, KpiLink};
use parcours_shared::schema::LaneKind;
use parcours_shared::text::ellipsize;
use parcours_shared::view::MapView;

use super::state::Evidence;
use super::words::count;
use crate::api::ApiError;
use crate::components::error_notice::ApiErrorNotice;
use crate::i18n::{fill, t};

/// One activity's row as being edited.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Row {
    activity: String,
    events: u64,
    stage: Option<String>,
    card: Option<String>,
    /// The stage shown is the server's suggestion, not saved yet.
    suggested: bool,
}

/// The table of activities, and the KPI links.
#[component]
pub fn MappingTab(
    /// The live map: its stages and cards.
    view: Memo<MapView>,
) -> impl IntoView {
    let Some(e) = Evidence::get() else {
        return ().into_any();
    };
    // Keyed by the log alone: a save (here or elsewhere) refreshes the form's rows in
    // place, so its "saved" notice stays.
    let shown = Memo::new(move |_| e.current.with(|d| d.as_ref().map(|d| d.id.clone())));
    (move || match shown.get() {
        None => view! { <p class="muted" data-testid="mapping-empty">{t().no_log_to_map}</p> }
            .into_any(),
        Some(dataset) if e.can_edit => view! { <MappingForm e dataset view/> }.into_any(),
        Some(_) => view! { <MappingRead e view/> }.into_any(),
    })
    .into_any()
}

/// The rows of `dataset`: saved links, else suggestions; most frequent activities first.
fn rows_of(dataset: &Dataset) -> Vec<Row> {
    let mut rows: Vec<Row> = dataset
        .activities
        .iter()
        .map(|a| {
            let suggested = a.stage.is_none() && a.card.is_none() && a.suggested_stage.is_some();
            Row {
                activity: a.name.clone(),
                events: a.events,
                stage: if suggested {
                    a.suggested_stage.clone()
                } else {
                    a.stage.clone()
                },
                card: if suggested {
                    a.suggested_card.clone()
                } else {
                    a.card.clone()
                },
                suggested,
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        b.events
            .cmp(&a.events)
            .then_with(|| a.activity.cmp(&b.activity))
    });
    rows
}

/// Touchpoint cards of `stage` as (id, text), plus `keep` wherever it is.
fn touchpoints(v: &MapView, stage: Option<&str>, keep: Option<&str>) -> Vec<(String, String)> {
    let lanes: Vec<&str> = v
        .lanes
        .iter()
        .filter(|l| l.kind == LaneKind::Touchpoints)
        .map(|l| l.id.as_str())
        .collect();
    v.cards
        .iter()
        .filter(|c| {
            (Some(c.stage.as_str()) == stage && lanes.contains(&c.lane.as_str()))
                || Some(c.id.as_str()) == keep
        })
        .map(|c| (c.id.clone(), ellipsize(&c.text, 48)))
        .collect()
}

/// The editors' form for the log `dataset`. The draft starts again from the server's
/// answer whenever the log's mapping changes (saved here or on another page).
#[component]
fn MappingForm(e: Evidence, dataset: String, view: Memo<MapView>) -> impl IntoView {
    let initial = Memo::new(move |_| {
        e.current
            .with(|d| d.as_ref().map(rows_of).unwrap_or_default())
    });
    let stored_kpis = Memo::new(move |_| {
        e.current
            .with(|d| d.as_ref().map(|d| d.kpis.clone()).unwrap_or_default())
    });
    let rows = RwSignal::new(initial.get_untracked());
    let kpis = RwSignal::new(stored_kpis.get_untracked());
    Effect::watch(
        move || initial.get(),
        move |fresh, _, _| rows.set(fresh.clone()),
        false,
    );
    Effect::watch(
        move || stored_kpis.get(),
        move |fresh, _, _| kpis.set(fresh.clone()),
        false,
    );
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let saved = RwSignal::new(false);
    let dataset_id = StoredValue::new(dataset);
    let dirty = move || {
        rows.with(|r| {
            initial.with(|i| {
                r.iter()
                    .zip(i)
                    .any(|(a, b)| a.stage != b.stage || a.card != b.card || a.suggested)
            })
        }) || kpis.with(|k| stored_kpis.with(|s| k != s))
    };
    let save = move |_| {
        let window = e
            .current
            .with_untracked(|d| d.as_ref().map(|d| d.window_days));
        let mapping = DatasetMapping {
            activities: rows.with_untracked(|rows| {
                rows.iter()
                    .map(|r| ActivityLink {
                        activity: r.activity.clone(),
                        stage: r.stage.clone(),
                        card: r.card.clone(),
                    })
                    .collect()
            }),
            window_days: window,
            kpis: kpis.get_untracked(),
        };
        busy.set(true);
        error.set(None);
        saved.set(false);
        let id = dataset_id.get_value();
        spawn_local(async move {
            let result = e.save_mapping(id, mapping).await;
            busy.try_set(false);
            match result {
                Ok(()) => {
                    saved.try_set(true);
                }
                Err(err) => {
                    error.try_set(Some(err));
                }
            }
        });
    };
    let unmapped = move || rows.with(|r| r.iter().filter(|r| r.stage.is_none()).count());
    let suggested = move || rows.with(|r| r.iter().filter(|r| r.suggested).count());
    // Rows keyed by place and activity: a change draws that row's selects again, not
    // the whole table, so the select just used keeps the focus.
    let keys = Memo::new(move |_| {
        rows.with(|r| {
            r.iter()
                .enumerate()
                .map(|(i, r)| (i, r.activity.clone(), r.events))
                .collect::<Vec<_>>()
        })
    });
    let table_rows = move || {
        view! {
            <For each=move || keys.get() key=|k| (k.0, k.1.clone()) let:((i, activity, events))>
                <MappingRow i activity events rows view/>
            </For>
        }
    };
    view! {
        <p class="hint">
            {t().mapping_hint} " "
            {move || (suggested() > 0).then(|| view! {
                <span data-testid="mapping-suggested">{fill(t().n_suggested, &[("n", &suggested())])} " "</span>
            })}
            {move || (unmapped() > 0).then(|| view! { <span>{fill(t().n_not_mapped, &[("n", &unmapped())])}</span> })}
        </p>
        <table class="evidence-table mapping-table" data-testid="mapping-table">
            <thead><tr><th>{t().activity}</th><th class="num">{t().events}</th><th>{t().anchor_stage}</th><th>{t().touchpoint}</th></tr></thead>
            <tbody>{table_rows}</tbody>
        </table>
        <KpiLinks kpis view/>
        <div class="form-row mapping-actions">
            <button type="button" class="button-primary" data-testid="mapping-save"
                disabled=move || busy.get() on:click=save>
                {move || if busy.get() { t().saving } else { t().save_mapping }}
            </button>
            {move || (saved.get() && !dirty()).then(|| view! { <span class="muted" data-testid="mapping-saved">{t().mapping_saved}</span> })}
            {move || dirty().then(|| view! { <span class="muted" data-testid="mapping-dirty">{t().not_saved_yet}</span> })}
        </div>
        {move || error.get().map(|error| view! { <ApiErrorNotice error testid="mapping-error"/> })}
    }
}

/// One activity (row `i` of the draft): its stage and touchpoint selects.
#[component]
fn MappingRow(
    i: usize,
    activity: String,
    events: u64,
    rows: RwSignal<Vec<Row>>,
    view: Memo<MapView>,
) -> impl IntoView {
    let row = Memo::new(move |_| {
        rows.with(|r| {
            r.get(i)
                .map(|r| (r.stage.clone(), r.card.clone(), r.suggested))
                .unwrap_or_default()
        })
    });
    let stage = move || row.with(|r| r.0.clone().unwrap_or_default());
    let card = move || row.with(|r| r.1.clone().unwrap_or_default());
    let suggested = move || row.with(|r| r.2);
    let set_stage = move |value: String| {
        rows.update(|rows| {
            if let Some(r) = rows.get_mut(i) {
                r.stage = (!value.is_empty()).then_some(value);
                r.suggested = false;
                // A touchpoint belongs to one stage: a new stage drops it.
                r.card = None;
            }
        });
    };
    let set_card = move |value: String| {
        rows.update(|rows| {
            if let Some(r) = rows.get_mut(i) {
                r.card = (!value.is_empty()).then_some(value);
                r.suggested = false;
            }
        });
    };
    // Options are drawn again when the choice changes, each new one `selected` as it
    // should be (a select's value cannot be set before its options exist).
    let stage_options = move || {
        let current = stage();
        let stages = view.with(|v| {
            v.stages
                .iter()
                .map(|s| (s.id.clone(), s.name.clone()))
                .collect::<Vec<_>>()
        });
        view! {
            <option value="" selected=current.is_empty()>{t().not_mapped_dash}</option>
            {stages.into_iter().map(|(id, name)| {
                let selected = id == current;
                view! { <option value=id selected=selected>{name}</option> }
            }).collect_view()}
        }
    };
    let card_options = move || {
        let (current, in_stage) = (card(), stage());
        let cards = view.with(|v| {
            touchpoints(
                v,
                (!in_stage.is_empty()).then_some(in_stage.as_str()),
                (!current.is_empty()).then_some(current.as_str()),
            )
        });
        view! {
            <option value="" selected=current.is_empty()>{t().none_dash}</option>
            {cards.into_iter().map(|(id, text)| {
                let selected = id == current;
                view! { <option value=id selected=selected>{text}</option> }
            }).collect_view()}
        }
    };
    view! {
        <tr data-testid="mapping-row" data-activity=activity.clone()
            data-stage=stage data-suggested=move || suggested().to_string()>
            <td>{activity.clone()}</td>
            <td class="num">{count(events)}</td>
            <td>
                <select data-testid="mapping-stage" aria-label=fill(t().stage_of, &[("activity", &activity)])
                    class:mapping-suggestion=suggested
                    prop:value=stage
                    on:change=move |ev| set_stage(event_target_value(&ev))>
                    {stage_options}
                </select>
            </td>
            <td>
                <select data-testid="mapping-card" aria-label=fill(t().touchpoint_of, &[("activity", &activity)])
                    disabled=move || stage().is_empty()
                    prop:value=card
                    on:change=move |ev| set_card(event_target_value(&ev))>
                    {card_options}
                </select>
            </td>
        </tr>
    }
}

/// KPI cards of the map and the measure each one's current value comes from.
#[component]
fn KpiLinks(kpis: RwSignal<Vec<KpiLink>>, view: Memo<MapView>) -> impl IntoView {
    let cards = Memo::new(move |_| {
        view.with(|v| {
            let lanes: Vec<&str> = v
                .lanes
                .iter()
                .filter(|l| l.kind == LaneKind::Kpis)
                .map(|l| l.id.as_str())
                .collect();
            v.cards
                .iter()
                .filter(|c| lanes.contains(&c.lane.as_str()))
                .map(|c| (c.id.clone(), ellipsize(&c.text, 60)))
                .collect::<Vec<_>>()
        })
    });
    let metrics = Memo::new(move |_| {
        view.with(|v| {
            let mut out = vec![(
                "overall_conversion".to_owned(),
                t().overall_conversion_pct.to_owned(),
            )];
            for s in &v.stages {
                let stage = [("stage", &s.name as &dyn std::fmt::Display)];
                out.push((format!("reach:{}", s.id), fill(t().reach_of, &stage)));
                out.push((
                    format!("conversion:{}", s.id),
                    fill(t().conversion_into, &stage),
                ));
                out.push((
                    format!("median_days:{}", s.id),
                    fill(t().median_days_to, &stage),
                ));
            }
            out
        })
    });
    move || {
        let cards = cards.get();
        if cards.is_empty() {
            return ().into_any();
        }
        let rows = cards
            .into_iter()
            .map(|(card, text)| {
                let current = kpis.with(|k| k.iter().find(|k| k.card == card).map(|k| k.metric.clone()));
                let current = current.unwrap_or_default();
                let options = metrics
                    .get()
                    .into_iter()
                    .map(|(value, label)| {
                        let selected = value == current;
                        view! { <option value=value selected=selected>{label}</option> }
                    })
                    .collect_view();
                let id = card.clone();
                view! {
                    <tr data-testid="kpi-link" data-card=card.clone()>
                        <td>{text}</td>
                        <td>
                            <select data-testid="kpi-metric" aria-label=t().measure
                                on:change=move |ev| {
                                    let value = event_target_value(&ev);
                                    kpis.update(|k| {
                                        k.retain(|k| k.card != id);
                                        if !value.is_empty() {
                                            k.push(KpiLink { card: id.clone(), metric: value });
                                        }
                                    });
                                }>
                                <option value="" selected=current.is_empty()>{t().typed_by_hand}</option>
                                {options}
                            </select>
                        </td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <h3>{t().kpi_cards_fed}</h3>
            <table class="evidence-table kpi-links">
                <thead><tr><th>{t().kpi_card}</th><th>{t().current_value_from}</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        }
        .into_any()
    }
}

/// The mapping as members who do not edit see it.
#[component]
fn MappingRead(e: Evidence, view: Memo<MapView>) -> impl IntoView {
    let rows = move || {
        let rows = e
            .current
            .with(|d| d.as_ref().map(rows_of).unwrap_or_default());
        rows.into_iter()
            .map(|row| {
                let (stage, card) = view.with(|v| {
                    let stage = row.stage.as_deref().and_then(|id| v.stages.iter().find(|s| s.id == id)).map(|s| s.name.clone());
                    let card = row.card.as_deref().and_then(|id| v.cards.iter().find(|c| c.id == id)).map(|c| ellipsize(&c.text, 48));
                    (stage, card)
                });
                // A suggestion nobody saved does not count yet.
                let (stage, card) = if row.suggested { (None, None) } else { (stage, card) };
                view! {
                    <tr data-testid="mapping-row" data-activity=row.activity.clone()
                        data-stage=if row.suggested { String::new() } else { row.stage.clone().unwrap_or_default() }>
                        <td>{row.activity.clone()}</td>
                        <td class="num">{count(row.events)}</td>
                        <td>{stage.unwrap_or_else(|| "—".into())}</td>
                        <td>{card.unwrap_or_default()}</td>
                    </tr>
                }
            })
            .collect_view()
    };
    view! {
        <p class="hint">{t().mapping_read_hint}</p>

        <table class="evidence-table mapping-table" data-testid="mapping-table">
            <thead><tr><th>{t().activity}</th><th class="num">{t().events}</th><th>{t().anchor_stage}</th><th>{t().touchpoint}</th></tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
}
