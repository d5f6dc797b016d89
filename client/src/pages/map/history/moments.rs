//! The slider through the last 24 hours of changes: each stop is one person's batch of
//! edits; the map as it was right after it shows read-only; the last stop is "now",
//! the live map.

use leptos::prelude::*;
use parcours_shared::api::Moment;

use super::state::{History, PastSource};
use super::words::{author_name, short_date_time};
use crate::api;
use crate::components::error_notice::ApiErrorNotice;
use crate::format::local_date_time;
use crate::i18n::{fill, t};

/// The slider, its step buttons and what the chosen stop is.
#[component]
pub fn MomentsSlider(h: History) -> impl IntoView {
    let map = h.map.get_value();
    let reload = RwSignal::new(0u32);
    let list = LocalResource::new(move || {
        h.changed.track();
        reload.track();
        api::history::moments(map.clone())
    });
    let content = move || {
        list.get().map(|result| match result {
            Err(error) => view! { <ApiErrorNotice error testid="moments-error"/> }.into_any(),
            Ok(list) if list.moments.is_empty() => view! {
                <p class="muted" data-testid="moments-empty">{t().no_moments}</p>
            }
            .into_any(),
            Ok(list) => slider(h, list.moments, list.truncated).into_any(),
        })
    };
    view! {
        <section class="moments-section" data-testid="moments">
            <h3>
                {t().moments_heading} " "
                <button type="button" class="button-quiet button-small" data-testid="moments-refresh"
                    title=t().moments_refresh on:click=move |_| reload.update(|r| *r += 1)>"↻"</button>
            </h3>
            {move || content().unwrap_or_else(|| view! { <p class="muted">{t().loading_changes}</p> }.into_any())}
        </section>
    }
}

/// The slider over `moments` (oldest first) and one more stop for now.
fn slider(h: History, moments: Vec<Moment>, truncated: bool) -> impl IntoView {
    let count = moments.len();
    let moments = StoredValue::new(moments);
    // The stop shown: the moment being viewed, else "now" (the last stop).
    let index = Memo::new(move |_| {
        h.past.with(|p| match p.as_ref().map(|p| &p.source) {
            Some(PastSource::Moment(at)) => moments
                .with_value(|ms| ms.iter().rposition(|m| m.at <= *at))
                .unwrap_or(0),
            _ => count,
        })
    });
    let go = move |i: usize| {
        if i >= count {
            h.return_to_live();
        } else if let Some(at) = moments.with_value(|ms| ms.get(i).map(|m| m.at)) {
            h.view_moment(at);
        }
    };
    let label = move || {
        let i = index.get();
        let on_version = h
            .past
            .with(|p| matches!(p.as_ref().map(|p| &p.source), Some(PastSource::Version(_))));
        if on_version {
            return view! {
                <span data-testid="moment-label" data-at="version">
                    {t().moment_on_version}
                </span>
            }
            .into_any();
        }
        if i >= count {
            return view! { <span data-testid="moment-label" data-at="live"><b>{t().now}</b> {t().the_live_map}</span> }
                .into_any();
        }
        moments.with_value(|ms| {
            let m = &ms[i];
            let elements = match m.elements {
                1 => t().one_element.to_owned(),
                n => fill(t().n_elements, &[("n", &n)]),
            };
            view! {
                <span data-testid="moment-label" data-at=m.at.to_string()>
                    <b><time title=local_date_time(m.at)>{short_date_time(m.at)}</time></b>
                    {fill(t().moment_who, &[("name", &author_name(&m.author)), ("elements", &elements)])}
                    <span class="muted">{fill(t().change_n_of, &[("n", &(i + 1)), ("count", &count)])}</span>
                </span>
            }
            .into_any()
        })
    };
    view! {
        <div class="moments-row">
            <button type="button" class="icon-button" data-testid="moment-prev" title=t().one_change_earlier
                disabled=move || index.get() == 0
                on:click=move |_| go(index.get_untracked().saturating_sub(1))>"◀"</button>
            <input type="range" class="moments-slider" data-testid="moments-slider"
                aria-label=t().step_through_changes
                min="0" max=count.to_string() step="1"
                prop:value=move || index.get().to_string()
                on:change=move |ev| {
                    if let Ok(i) = event_target_value(&ev).parse::<usize>() {
                        go(i);
                    }
                }/>
            <button type="button" class="icon-button" data-testid="moment-next" title=t().one_change_later
                disabled=move || { index.get() >= count }
                on:click=move |_| go(index.get_untracked() + 1)>"▶"</button>
        </div>
        <p class="moment-label">{label}</p>
        {truncated.then(|| view! {
            <p class="muted">{t().only_latest_changes}</p>

        })}
    }
}
