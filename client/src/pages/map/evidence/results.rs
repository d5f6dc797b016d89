//! The results tab: the filters, a one-line summary, the friction list, the funnel and
//! flow charts, the channel switches and the segments.

use leptos::prelude::*;
use parcours_shared::api::Analysis;
use parcours_shared::view::MapView;

use super::charts::{FlowChart, FunnelChart};
use super::filters::Filters;
use super::friction::FrictionList;
use super::state::{Evidence, Tab};
use super::switches::SwitchMatrix;
use super::words::{count, percent};
use crate::i18n::{fill, t};

/// Results of the log shown, for the cases the filters keep.
#[component]
pub fn ResultsTab(
    /// The live map, for stage names and the switches drawn on it.
    view: Memo<MapView>,
) -> impl IntoView {
    let Some(e) = Evidence::get() else {
        return ().into_any();
    };
    let has_log = Memo::new(move |_| e.current.with(Option::is_some));
    let body = move || {
        if !has_log.get() {
            return view! { <NoLog e/> }.into_any();
        }
        match e.analysis.get() {
            None => view! { <p class="muted" data-testid="analysis-loading">{t().computing_results}
            </p> }
            .into_any(),
            Some(a) => view! { <Results a view/> }.into_any(),
        }
    };
    view! {
        {move || has_log.get().then(|| view! { <Filters e/> })}
        {body}
    }
    .into_any()
}

/// What the tab says before any log is imported.
#[component]
fn NoLog(e: Evidence) -> impl IntoView {
    view! {
        <p class="muted" data-testid="evidence-empty">
            {t().no_log_on_map} " "
            {if e.can_edit {
                view! {
                    {t().import_one_under} " "
                    <button type="button" class="link-button" on:click=move |_| e.tab.set(Tab::Data)>
                        {t().tab_data}
                    </button>
                    "."
                }
                .into_any()
            } else {
                t().editors_can_import.into_any()
            }}
        </p>
    }
}

/// The summary line and every chart of one analysis.
#[component]
fn Results(a: Analysis, view: Memo<MapView>) -> impl IntoView {
    let unmapped = (a.unmapped_events > 0).then(|| {
        view! {
            " · "
            <span data-testid="analysis-unmapped">{fill(t().events_unmapped, &[("n", &count(a.unmapped_events))])}</span>
        }
    });
    let segments = (!a.segments.is_empty()).then(|| view! { <SegmentTable a=a.clone()/> });
    view! {
        <p class="evidence-summary" data-testid="analysis-summary"
            data-cases=a.cases.to_string() data-overall=a.overall_conversion.map(|c| c.to_string())>
            <b>{count(a.cases)}</b> {fill(t().summary_cases_events, &[("events", &count(a.events))])}
            <b data-testid="analysis-overall">{percent(a.overall_conversion)}</b>
            {fill(t().summary_paths, &[("n", &count(a.variant_count))])}
            {unmapped}
        </p>
        <div class="evidence-grid">
            <section class="evidence-block">
                <h3>{t().friction}</h3>
                <FrictionList items=a.friction.clone()/>
            </section>
            <section class="evidence-block">
                <h3>{t().funnel}</h3>
                <FunnelChart stages=a.stages.clone()/>
            </section>
            <section class="evidence-block evidence-wide">
                <h3>{fill(t().flows_top, &[("n", &a.variants.len())])}</h3>
                <FlowChart flows=a.flows.clone() stages=a.stages.clone()/>
            </section>
            <section class="evidence-block">
                <h3>{t().channel_switches}</h3>
                <SwitchMatrix observed=a.channel_switches.clone() drawn=a.map_switches.clone() view/>
            </section>
            {segments}
        </div>
    }
}

/// The funnel's entries and overall conversion per segment.
#[component]
fn SegmentTable(a: Analysis) -> impl IntoView {
    let rows = a
        .segments
        .iter()
        .map(|s| {
            let entered = s.funnel.first().copied().unwrap_or(0);
            view! {
                <tr data-testid="segment-row" data-segment=s.segment.clone()>
                    <td>{s.segment.clone()}</td>
                    <td class="num">{count(s.cases)}</td>
                    <td class="num">{count(entered)}</td>
                    <td class="num">{percent(s.overall_conversion)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="evidence-block">
            <h3>{t().segments}</h3>
            <table class="evidence-table" data-testid="segment-table">
                <thead><tr><th>{t().persona_segment}</th><th class="num">{t().cases}</th><th class="num">{t().entered}</th><th class="num">{t().overall}</th></tr></thead>

                <tbody>{rows}</tbody>
            </table>
        </section>
    }
}
