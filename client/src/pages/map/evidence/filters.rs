//! The results' filters: the cases whose first event falls in a date range, one
//! segment; and the conversion window (shared by everyone: editors change it, it is
//! saved with the mapping).

use leptos::prelude::*;
use leptos::task::spawn_local;
use parcours_shared::api::{AnalysisFilter, MAX_WINDOW_DAYS};

use super::state::{stored_mapping, Evidence};
use super::words::{date_ms, date_value};
use crate::components::error_notice::ApiErrorNotice;
use crate::format::DAY_MS;

/// Date range, segment and window, above the results.
#[component]
pub fn Filters(e: Evidence) -> impl IntoView {
    let bounds = Memo::new(move |_| {
        e.current.with(|d| {
            d.as_ref()
                .map(|d| (d.first_at.map(date_value), d.last_at.map(date_value)))
                .unwrap_or_default()
        })
    });
    let segments = Memo::new(move |_| {
        e.current
            .with(|d| d.as_ref().map(|d| d.segments.clone()).unwrap_or_default())
    });
    let set = move |change: &dyn Fn(&mut AnalysisFilter)| e.filter.update(|f| change(f));
    let from_value = move || {
        e.filter
            .with(|f| f.from.map(date_value).unwrap_or_default())
    };
    // `to` is exclusive: the day after the last day chosen.
    let to_value = move || {
        e.filter
            .with(|f| f.to.map(|t| date_value(t - DAY_MS)).unwrap_or_default())
    };
    let filtered = move || {
        e.filter
            .with(|f| f.from.is_some() || f.to.is_some() || f.segment.is_some())
    };
    view! {
        <div class="evidence-filters" data-testid="evidence-filters">
            <label class="evidence-filter">
                <span class="field-label">{crate::i18n::t().first_event_from}</span>
                <input type="date" data-testid="filter-from"
                    min=move || bounds.get().0 max=move || bounds.get().1
                    prop:value=from_value
                    on:change=move |ev| {
                        let from = date_ms(&event_target_value(&ev));
                        set(&|f| f.from = from);
                    }/>
            </label>
            <label class="evidence-filter">
                <span class="field-label">{crate::i18n::t().date_to}</span>
                <input type="date" data-testid="filter-to"
                    min=move || bounds.get().0 max=move || bounds.get().1
                    prop:value=to_value
                    on:change=move |ev| {
                        let to = date_ms(&event_target_value(&ev)).map(|t| t + DAY_MS);
                        set(&|f| f.to = to);
                    }/>
            </label>
            <label class="evidence-filter">
                <span class="field-label">{crate::i18n::t().persona_segment}</span>
                <select data-testid="filter-segment"
                    on:change=move |ev| {
                        let value = event_target_value(&ev);
                        let segment = (!value.is_empty()).then_some(value);
                        set(&|f| f.segment = segment.clone());
                    }>
                    <option value="" selected=move || e.filter.with(|f| f.segment.is_none())>{crate::i18n::t().all_segments}</option>
                    {move || segments.get().into_iter().map(|s| {
                        let selected = e.filter.with_untracked(|f| f.segment.as_deref() == Some(s.as_str()));
                        view! { <option value=s.clone() selected=selected>{s.clone()}</option> }
                    }).collect_view()}
                </select>
            </label>
            {move || filtered().then(|| view! {
                <button type="button" class="button-quiet button-small" data-testid="filter-clear"
                    on:click=move |_| e.filter.set(AnalysisFilter::default())>{crate::i18n::t().clear_filters}</button>
            })}
            <Window e/>
        </div>
    }
}

/// The conversion window: a number editors change (saved with the mapping, so every
/// page's results follow), plain text for everyone else.
#[component]
fn Window(e: Evidence) -> impl IntoView {
    let days = Memo::new(move |_| e.current.with(|d| d.as_ref().map_or(30, |d| d.window_days)));
    if !e.can_edit {
        return view! {
            <span class="evidence-filter evidence-window" data-testid="window-days" data-days=move || days.get().to_string()>
                {move || crate::i18n::fill(crate::i18n::t().conversion_within, &[("n", &days.get())])}
            </span>
        }
        .into_any();
    }
    let error = RwSignal::new(None);
    let busy = RwSignal::new(false);
    let save = move |value: String| {
        let Some(dataset) = e.current.get_untracked() else {
            return;
        };
        let Ok(window) = value.trim().parse::<u32>() else {
            return;
        };
        if window == dataset.window_days {
            return;
        }
        let mut mapping = stored_mapping(&dataset);
        mapping.window_days = Some(window);
        busy.set(true);
        spawn_local(async move {
            let result = e.save_mapping(dataset.id.clone(), mapping).await;
            busy.try_set(false);
            error.try_set(result.err());
        });
    };
    view! {
        <label class="evidence-filter evidence-window">
            <span class="field-label">{crate::i18n::t().conversion_window}</span>

            <input type="number" data-testid="window-days" min="1" max=MAX_WINDOW_DAYS.to_string()
                disabled=move || busy.get()
                prop:value=move || days.get().to_string()
                on:change=move |ev| save(event_target_value(&ev))/>
        </label>
        {move || error.get().map(|error| view! { <ApiErrorNotice error testid="window-error"/> })}
    }
    .into_any()
}
