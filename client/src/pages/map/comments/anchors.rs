//! Comment anchors: the anchor of a card, stage, lane or cell, what one names in
//! words, and scrolling the board to it. No state and no component.

use leptos::prelude::document;
use parcours_shared::api::{Anchor, AnchorKind};
use parcours_shared::text::ellipsize;
use parcours_shared::view::MapView;

use crate::i18n::{fill, t};

/// The anchor of a card, a stage or a lane by id.
pub fn anchor_of(kind: AnchorKind, id: &str) -> Anchor {
    Anchor {
        kind,
        id: Some(id.to_owned()),
    }
}

/// The anchor of a stage × lane cell.
pub fn cell_anchor(stage: &str, lane: &str) -> Anchor {
    anchor_of(AnchorKind::Cell, &format!("{stage}|{lane}"))
}

/// What a thread is anchored on, in words.
pub fn anchor_label(anchor: &Anchor, view: &MapView) -> String {
    let id = anchor.id.as_deref().unwrap_or_default();
    let stage = |id: &str| {
        view.stages
            .iter()
            .find(|s| s.id == id)
            .map(|s| s.name.clone())
    };
    let lane = |id: &str| {
        view.lanes
            .iter()
            .find(|l| l.id == id)
            .map(|l| l.name.clone())
    };
    let named = |what: &str, name: Option<String>| match name {
        Some(name) if !name.trim().is_empty() => fill(
            t().anchor_named,
            &[("what", &what), ("name", &ellipsize(&name, 40))],
        ),
        _ => what.to_owned(),
    };
    match anchor.kind {
        AnchorKind::Map => t().anchor_map.to_owned(),
        AnchorKind::Card => named(
            t().anchor_card,
            view.cards
                .iter()
                .chain(&view.orphan_cards)
                .find(|c| c.id == id)
                .map(|c| c.text.clone()),
        ),
        AnchorKind::Stage => named(t().anchor_stage, stage(id)),
        AnchorKind::Lane => named(t().anchor_lane, lane(id)),
        AnchorKind::Cell => {
            let (s, l) = id.split_once('|').unwrap_or((id, ""));
            match (stage(s), lane(l)) {
                (Some(s), Some(l)) => fill(
                    t().anchor_cell_of,
                    &[("stage", &ellipsize(&s, 20)), ("lane", &ellipsize(&l, 20))],
                ),
                _ => t().anchor_cell.to_owned(),
            }
        }
    }
}

/// Scrolls the board to the element `anchor` names, if it is on screen.
pub fn reveal(anchor: &Anchor) {
    let Some(id) = anchor.id.as_deref() else {
        return;
    };
    let selector = match anchor.kind {
        AnchorKind::Map => return,
        AnchorKind::Card => format!("[data-testid=card][data-card-id=\"{id}\"]"),
        AnchorKind::Stage => format!("[data-testid=stage-col][data-stage-id=\"{id}\"]"),
        AnchorKind::Lane => format!("[data-testid=lane-row][data-lane-id=\"{id}\"]"),
        AnchorKind::Cell => {
            let (stage, lane) = id.split_once('|').unwrap_or((id, ""));
            format!("[data-testid=cell][data-stage-id=\"{stage}\"][data-lane-id=\"{lane}\"]")
        }
    };
    scroll_to(&selector);
}

/// Scrolls the first element matching `selector` into view. Ids in selectors come from
/// the server and are plain; a quote would only make the selector match nothing.
pub fn scroll_to(selector: &str) {
    if let Ok(Some(el)) = document().query_selector(selector) {
        el.scroll_into_view();
    }
}
