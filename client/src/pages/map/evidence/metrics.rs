//! The board's metrics row, under the stage heads while Evidence is on: per stage its
//! reach, the conversion and drop-off from the stage before, and the median time from
//! the stage before, from the analysis every page shares.

use leptos::prelude::*;
use parcours_shared::api::StageMetrics;

use super::state::Evidence;
use super::words::{count, duration, percent};
use crate::i18n::{fill, t};

/// The row: a head naming the log, then one cell per stage column (in the board's
/// order, so each lines up under its stage).
#[component]
pub fn MetricsRow(
    /// The evidence state.
    e: Evidence,
    /// The board's stage ids, in order.
    stage_ids: Memo<Vec<String>>,
) -> impl IntoView {
    let head = move || {
        let name = e.current.with(|d| d.as_ref().map(|d| d.name.clone()));
        let filtered = e
            .filter
            .with(|f| f.from.is_some() || f.to.is_some() || f.segment.is_some());
        let computing = e.analysis.with(Option::is_none);
        match name {
            Some(name) => view! {
                <span class="lane-name-static">{t().evidence}</span>
                <span class="lane-kind" title=name.clone()>{name.clone()} {filtered.then_some(t().filtered)}</span>
                {computing.then(|| view! { <span class="muted metrics-computing">{t().computing}</span> })}
            }
            .into_any(),
            None => view! {
                <span class="lane-name-static">{t().evidence}</span>
                <span class="lane-kind">{t().no_event_log_lower}</span>
            }
            .into_any(),
        }
    };
    view! {
        <div class="board-row metrics-row" data-testid="metrics-row"
            data-dataset=move || e.analysis.with(|a| a.as_ref().map(|a| a.dataset.clone()))>
            <div class="lane-head">{head}</div>
            <For each=move || stage_ids.get() key=|id| id.clone() let:id>
                <StageCell e id/>
            </For>
        </div>
    }
}

/// One stage's figures (blank until the analysis is in, or when the stage is new).
#[component]
fn StageCell(e: Evidence, id: String) -> impl IntoView {
    let key = id.clone();
    let metrics = Memo::new(move |_| {
        e.analysis.with(|a| {
            a.as_ref()
                .and_then(|a| a.stages.iter().find(|s| s.stage == key).cloned())
        })
    });
    let attr =
        move |f: fn(&StageMetrics) -> Option<String>| metrics.with(|m| m.as_ref().and_then(f));
    view! {
        <div class="stage-metrics" data-testid="stage-metrics" data-stage-id=id
            data-reach=move || attr(|m| Some(m.reach.to_string()))
            data-funnel=move || attr(|m| Some(m.funnel.to_string()))
            data-conversion=move || attr(|m| m.conversion.map(|c| c.to_string()))
            data-drop-off=move || attr(|m| m.drop_off.map(|c| c.to_string()))
            data-median-ms=move || attr(|m| m.median_ms_from_previous.map(|c| c.to_string()))>
            {move || metrics.get().map(|m| view! {
                <dl class="metrics">
                    <div title=t().reach_title>
                        <dt>{t().reach}</dt><dd data-testid="metric-reach">{count(m.reach)}</dd>
                    </div>
                    <div title=t().conversion_title>
                        <dt>{t().conversion}</dt><dd data-testid="metric-conversion">{percent(m.conversion)}</dd>
                    </div>
                    <div title=t().drop_off_title>
                        <dt>{t().drop_off}</dt><dd data-testid="metric-drop-off" class:metric-bad=m.drop_off.is_some_and(|d| d >= 0.3)>{percent(m.drop_off)}</dd>
                    </div>
                    <div title=fill(t().median_time_title, &[("p90", &duration(m.p90_ms_from_previous))])>
                        <dt>{t().median_time}</dt><dd data-testid="metric-median">{duration(m.median_ms_from_previous)}</dd>

                    </div>
                </dl>
            })}
        </div>
    }
}
