//! What changed on the map since a round opened: the round's recorded start read
//! against the live map, element by element.

use leptos::prelude::*;
use parcours_shared::review::{diff_views, ChangeKind, ElementKind, MapChange};
use parcours_shared::view::MapView;

use crate::api;
use crate::components::error_notice::ApiErrorNotice;
use crate::i18n::{fill, t};
use crate::live::LiveMap;
use crate::pages::map::comments::Comments;

/// What changed on the map since a round opened: its recorded start against the live
/// map, element by element, with what each changed element read then.
#[component]
pub fn RoundChanges(
    /// The round.
    id: String,
    /// The live map: the comparison waits until it has synced.
    live: LiveMap,
    /// The whole map, re-read after every change.
    view: Memo<MapView>,
) -> impl IntoView {
    let c = Comments::get().expect("comments context");
    let map = c.map.get_value();
    let start = LocalResource::new(move || api::comments::start_view(map.clone(), id.clone()));
    // The live map only counts once it has synced (before that it reads as empty).
    let lines = move || {
        if !live.synced() {
            return None;
        }
        let start = start.get()?;
        Some(match start {
            Err(error) => view! { <ApiErrorNotice error testid="round-changes-error"/> }.into_any(),
            Ok(before) => {
                let changes = view.with(|now| diff_views(&before, now));
                if changes.is_empty() {
                    return Some(
                        view! {
                            <p class="muted" data-testid="round-changes-none">
                                {t().round_no_changes}
                            </p>
                        }
                        .into_any(),
                    );
                }
                let items = changes
                    .iter()
                    .map(|change| change_line(change, &before))
                    .collect_view();
                view! {
                    <p class="muted">{match changes.len() {
                        1 => t().round_one_change.to_owned(),
                        n => fill(t().round_n_changes, &[("n", &n)]),
                    }}</p>
                    <ul class="round-changes-list">{items}</ul>
                }
                .into_any()
            }
        })
    };
    view! {
        <div class="round-changes" data-testid="round-changes">
            {move || lines().unwrap_or_else(|| view! {
                <p class="muted">{t().round_loading_start}</p>
            }.into_any())}
        </div>
    }
}

/// One change: what changed and how, its label, and what it read before.
fn change_line(change: &MapChange, before: &MapView) -> impl IntoView {
    let (how, words) = change_words(change);
    let was = (change.change == ChangeKind::Changed)
        .then(|| label_in(before, change))
        .flatten()
        .filter(|was| *was != change.label);
    view! {
        <li
            class="round-change"
            data-testid="round-change"
            data-change=how
            data-element=format!("{:?}", change.element).to_lowercase()
            data-id=change.id.clone()
        >
            <span class=format!("change-kind change-{how}")>{words}</span>
            " "
            {(!change.label.is_empty()).then(|| fill(t().quoted, &[("text", &change.label)]))}
            {was.map(|was| view! {
                <span class="muted" data-testid="round-change-was">{fill(t().change_was, &[("text", &was)])}</span>
            })}
        </li>
    }
}

/// How an element changed, as a code ("added", "changed"…, for `data-change` and
/// classes), and what changed and how in words ("Card added"; also the version
/// history's).
pub fn change_words(change: &MapChange) -> (&'static str, String) {
    let what = match change.element {
        ElementKind::Map if change.id == "title" => t().element_title,
        ElementKind::Map => t().element_objective,
        ElementKind::Persona => t().element_persona,
        ElementKind::Stage => t().element_stage,
        ElementKind::Lane => t().element_lane,
        ElementKind::Card => t().element_card,
        ElementKind::Emotion => t().element_emotion,
    };
    let (how, words) = match change.change {
        ChangeKind::Added => ("added", t().change_added),
        ChangeKind::Removed => ("removed", t().change_removed),
        ChangeKind::Changed => ("changed", t().change_changed),
        ChangeKind::Moved => ("moved", t().change_moved),
    };
    (how, fill(words, &[("what", &what)]))
}

/// What a changed element read in `before`, cut like the change's own label.
fn label_in(before: &MapView, change: &MapChange) -> Option<String> {
    let text = match change.element {
        ElementKind::Map if change.id == "title" => before.meta.title.clone(),
        ElementKind::Map => before.meta.objective.clone(),
        ElementKind::Persona => before
            .personas
            .iter()
            .find(|p| p.id == change.id)?
            .name
            .clone(),
        ElementKind::Stage => before
            .stages
            .iter()
            .find(|s| s.id == change.id)?
            .name
            .clone(),
        ElementKind::Lane => before
            .lanes
            .iter()
            .find(|l| l.id == change.id)?
            .name
            .clone(),
        ElementKind::Card => before
            .cards
            .iter()
            .chain(&before.orphan_cards)
            .find(|c| c.id == change.id)?
            .text
            .clone(),
        // The label already reads "persona · stage: score".
        ElementKind::Emotion => return None,
    };
    let limit = change.label.chars().count().max(60);
    Some(parcours_shared::text::ellipsize(&text, limit))
}
