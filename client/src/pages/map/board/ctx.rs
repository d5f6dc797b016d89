//! What every part of the board shares: [`BoardCtx`], provided as context by the
//! board and read by each of its parts.

use leptos::prelude::*;
use parcours_shared::review::ChangeKind;
use parcours_shared::view::MapView;

use super::index::BoardIndex;
use crate::live::LiveMap;
use crate::pages::map::evidence::Evidence;
use crate::pages::map::history::History;

/// What every part of the board shares (provided as context by the board).
#[derive(Clone, Copy)]
pub struct BoardCtx {
    /// The live map.
    pub live: LiveMap,
    /// The whole map, re-read after every change.
    pub view: Memo<MapView>,
    /// Each card and each cell as a signal of its own, set only when it changed.
    pub index: BoardIndex,
    /// True when the caller may edit (editors and owners, not through a public link).
    pub can_edit: bool,
    /// The card being dragged, if any (drop targets cannot read the drag data early).
    pub dragging: RwSignal<Option<String>>,
    /// What other people selected: selection key (card id or `stage|lane`) and color.
    pub others: Memo<Vec<(String, String)>>,
    /// The board shows the past (read-only, no presence, selection or comments).
    pub frozen: bool,
    /// The map's history, for signed-in members: what to mark as changed, and each
    /// element's own history.
    pub history: Option<History>,
    /// The map's evidence, for signed-in members: the metrics row under the stage heads
    /// while it is on.
    pub evidence: Option<Evidence>,
    /// The map's paths, (id, name) in order: one read per change for every card.
    pub paths: Memo<Vec<(String, String)>>,
    /// The path picked in the paths panel: its cards stand out, the others dim.
    pub path: RwSignal<Option<String>>,
    /// The touchpoint card whose "draw a switch" form is open, if any.
    pub switch_from: RwSignal<Option<String>>,
}

impl BoardCtx {
    /// The board's context.
    pub fn get() -> BoardCtx {
        expect_context::<BoardCtx>()
    }

    /// How the element `id` changed, when the board marks changes ("added",
    /// "changed", "moved"; tracked), for its `data-change` attribute.
    pub fn mark(&self, id: &str) -> Option<&'static str> {
        let kind = self.history?.mark_of(id)?;
        Some(match kind {
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
            ChangeKind::Changed => "changed",
            ChangeKind::Moved => "moved",
        })
    }

    /// Opens the history of one element, when history is offered and the board is live.
    pub fn history_of(&self) -> Option<History> {
        self.history.filter(|_| !self.frozen)
    }

    /// The evidence whose metrics row shows now: on, and the board live.
    pub fn evidence_shown(&self) -> Option<Evidence> {
        self.evidence.filter(|e| !self.frozen && e.open.get())
    }

    /// The color of someone else's selection of `key`, if any (tracked).
    pub fn selected_by(&self, key: &str) -> Option<String> {
        if self.frozen {
            return None;
        }
        self.others.with(|others| {
            others
                .iter()
                .find(|(selected, _)| selected == key)
                .map(|(_, color)| color.clone())
        })
    }
}
