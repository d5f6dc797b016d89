//! What every part of the board shares: [`BoardCtx`], provided as context by the
//! board and read by each of its parts.

use leptos::prelude::*;
use parcours_shared::view::MapView;

use crate::live::LiveMap;

/// What every part of the board shares (provided as context by the board).
#[derive(Clone, Copy)]
pub struct BoardCtx {
    /// The live map.
    pub live: LiveMap,
    /// The whole map, re-read after every change.
    pub view: Memo<MapView>,
    /// True when the caller may edit (editors and owners, not through a public link).
    pub can_edit: bool,
    /// The card being dragged, if any (drop targets cannot read the drag data early).
    pub dragging: RwSignal<Option<String>>,
    /// What other people selected: selection key (card id or `stage|lane`) and color.
    pub others: Memo<Vec<(String, String)>>,
}

impl BoardCtx {
    /// The board's context.
    pub fn get() -> BoardCtx {
        expect_context::<BoardCtx>()
    }

    /// The color of someone else's selection of `key`, if any (tracked).
    pub fn selected_by(&self, key: &str) -> Option<String> {
        self.others.with(|others| {
            others
                .iter()
                .find(|(selected, _)| selected == key)
                .map(|(_, color)| color.clone())
        })
    }
}
