//! The friction ranking: stages and touchpoints that lose many cases and hold them
//! long (docs/EVIDENCE.md defines the score), the top three with a sentence, each
//! linking to its place on the board.

use leptos::prelude::*;
use parcours_shared::api::{AnchorKind, Friction};

use super::words::{duration, percent};
use crate::i18n::forms::friction_form;
use crate::i18n::{lang, t, Lang};
use crate::pages::map::comments::anchor_of;
use crate::pages::map::comments::reveal;

/// Items shown at most (the ranking goes on in the server's answer).
const SHOWN: usize = 8;
/// How long the element scrolled to stays outlined.
const FLASH_MS: u64 = 1_600;

/// The ranking, best first.
#[component]
pub fn FrictionList(items: Vec<Friction>) -> impl IntoView {
    if items.is_empty() {
        return view! {
            <p class="muted" data-testid="friction-empty">
                {t().no_friction}
            </p>
        }
        .into_any();
    }
    let rows = items
        .into_iter()
        .take(SHOWN)
        .enumerate()
        .map(|(rank, item)| view! { <FrictionItem rank item/> })
        .collect_view();
    view! { <ol class="friction-list" data-testid="friction-list">{rows}</ol> }.into_any()
}

#[component]
fn FrictionItem(rank: usize, item: Friction) -> impl IntoView {
    let kind = if item.kind == "touchpoint" {
        AnchorKind::Card
    } else {
        AnchorKind::Stage
    };
    let id = item.id.clone();
    let show = move |_| show_on_board(kind, &id);
    let (what, title) = if item.kind == "touchpoint" {
        (t().friction_touchpoint, t().friction_show_touchpoint)
    } else {
        (t().friction_stage, t().friction_show_stage)
    };
    let exit = if item.kind == "touchpoint" {
        t().friction_last_event
    } else {
        t().friction_drop_off
    };
    view! {
        <li class="friction-item" data-testid="friction-item" data-kind=item.kind.clone()
            data-id=item.id.clone() data-rank=(rank + 1).to_string() data-score=item.score.to_string()>
            <div class="friction-head">
                <button type="button" class="link-button friction-name" data-testid="friction-link"
                    title=title on:click=show>

                    {item.name.clone()}
                </button>
                <span class="muted friction-kind">{what}</span>
                <span class="friction-figures">
                    {percent(Some(item.drop_off))} " " {exit} " · " {duration(item.median_ms)}
                </span>
            </div>
            {sentence(&item).map(|s| view! { <p class="friction-sentence" data-testid="friction-sentence">{s}</p> })}
        </li>
    }
}

/// The item's sentence (the top three have one) in the language shown: the server's
/// English as it is, or the same form in French with the panel's figures (`38,2 %`,
/// `3,2 jours`).
fn sentence(item: &Friction) -> Option<String> {
    item.sentence.as_ref()?;
    if lang() == Lang::En {
        return Some(item.english());
    }
    let form = friction_form(t(), item.form())?;
    let name = item.sentence_name();
    let pct = percent(Some(item.drop_off));
    let time = match item.median_ms {
        Some(ms) => duration(Some(ms)),
        None => t().form_friction_unknown_time.to_owned(),
    };
    Some(parcours_shared::words::fill(form, |key| match key {
        "name" => Some(name.clone()),
        "pct" => Some(pct.clone()),
        "time" => Some(time.clone()),
        _ => None,
    }))
}

/// Scrolls the board to a stage or card and outlines it a moment.
fn show_on_board(kind: AnchorKind, id: &str) {
    reveal(&anchor_of(kind, id));
    let selector = match kind {
        AnchorKind::Card => format!("[data-testid=card][data-card-id=\"{id}\"]"),
        _ => format!("[data-testid=stage-col][data-stage-id=\"{id}\"]"),
    };
    if let Ok(Some(el)) = document().query_selector(&selector) {
        let _ = el.class_list().add_1("evidence-flash");
        set_timeout(
            move || {
                let _ = el.class_list().remove_1("evidence-flash");
            },
            std::time::Duration::from_millis(FLASH_MS),
        );
    }
}
