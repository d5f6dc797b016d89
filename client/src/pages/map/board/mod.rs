//! The live journey-map board: objective, personas, the stage × lane grid of cards,
//! the emotion curve, presence and undo. Everything reads the live document through
//! one memoized [`MapView`] and writes through [`LiveMap::edit`].
//!
//! - [`toolbar`]: connection badge, presence avatars, undo and redo.
//! - [`grid`]: stage columns, lane rows and their cells.
//! - [`card`]: one card and its lane-specific fields.
//! - [`emotion`]: the emotion curve.
//! - [`personas`]: the persona panel.

mod card;
mod emotion;
mod grid;
mod personas;
mod toolbar;

use leptos::prelude::*;
use parcours_shared::view::MapView;
use parcours_shared::TextTarget;

use crate::live::presence::Peer;
use crate::live::LiveMap;
use crate::pages::map::comments::CommentsPanel;
use crate::pages::map::rounds::Rounds;

use self::grid::Grid;
use self::personas::PersonaPanel;
use self::toolbar::Toolbar;

/// What every part of the board shares (provided as context by [`Board`]).
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

/// The board of a live map; `can_edit` false shows it read-only.
#[component]
pub fn Board(
    /// The live map.
    live: LiveMap,
    /// May the caller edit?
    can_edit: bool,
) -> impl IntoView {
    let view = Memo::new(move |_| live.read(|doc| doc.view()).unwrap_or_default());
    let others = Memo::new(move |_| {
        live.peers()
            .into_iter()
            .filter(|peer: &Peer| !peer.is_self)
            .filter_map(|peer| {
                let color = peer.color();
                peer.state.selected.map(|selected| (selected, color))
            })
            .collect::<Vec<_>>()
    });
    let ctx = BoardCtx {
        live,
        view,
        can_edit,
        dragging: RwSignal::new(None),
        others,
    };
    provide_context(ctx);
    if can_edit {
        install_shortcuts(live);
    }
    view! {
        <div class="map-layout">
            <div class="map-main">
                <Rounds view/>
                <Toolbar/>
                {move || {
                    if live.synced() {
                        view! {
                            <Objective/>
                            <Grid/>
                            <PersonaPanel/>
                        }
                            .into_any()
                    } else {
                        view! { <p class="muted board-loading">"Loading the live map…"</p> }
                            .into_any()
                    }
                }}
            </div>
            <CommentsPanel view/>
        </div>
    }
}

/// Ctrl+Z / Ctrl+Shift+Z (and Ctrl+Y) undo and redo own edits, except while typing in
/// a field (where they undo the typing).
fn install_shortcuts(live: LiveMap) {
    let handle = window_event_listener(leptos::ev::keydown, move |ev| {
        if !(ev.ctrl_key() || ev.meta_key()) || ev.alt_key() {
            return;
        }
        let typing = document()
            .active_element()
            .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"));
        if typing {
            return;
        }
        match ev.key().to_lowercase().as_str() {
            "z" if ev.shift_key() => live.redo(),
            "z" => live.undo(),
            "y" => live.redo(),
            _ => return,
        }
        ev.prevent_default();
    });
    on_cleanup(move || handle.remove());
}

/// Why the map exists, editable by editors.
#[component]
fn Objective() -> impl IntoView {
    let ctx = BoardCtx::get();
    let objective = Memo::new(move |_| ctx.view.with(|v| v.meta.objective.clone()));
    if ctx.can_edit {
        view! {
            <label class="objective objective-edit">
                <span class="field-label">"Objective"</span>
                <input
                    type="text"
                    data-testid="objective"
                    placeholder="Why this map exists"
                    prop:value=move || objective.get()
                    on:change=move |ev| {
                        let value = event_target_value(&ev);
                        ctx.live.edit(|txn| txn.set_text(TextTarget::Objective, &value));
                    }
                />
            </label>
        }
        .into_any()
    } else {
        view! {
            <p class="objective">
                <span class="field-label">"Objective"</span>
                <span data-testid="objective">{move || objective.get()}</span>
            </p>
        }
        .into_any()
    }
}

/// A fresh entity id: random enough never to meet another client's.
pub fn fresh_id() -> String {
    let random = || (js_sys::Math::random() * f64::from(u32::MAX)) as u32;
    format!("{:08x}{:08x}", random(), random())
}

/// Lines a wrapping text area needs to show `text` at about `per_line` characters a line.
pub fn rows_for(text: &str, per_line: usize) -> usize {
    text.split('\n')
        .map(|line| wrapped_lines(line, per_line.max(1)))
        .sum::<usize>()
        .max(1)
}

/// Lines one paragraph takes when words wrap greedily at `per_line` characters (as the
/// browser wraps them), long words breaking where they must.
fn wrapped_lines(line: &str, per_line: usize) -> usize {
    let mut lines = 1;
    let mut used = 0;
    for word in line.split(' ') {
        let len = word.chars().count();
        let needed = if used == 0 { len } else { used + 1 + len };
        if needed <= per_line {
            used = needed;
        } else if len <= per_line {
            lines += 1;
            used = len;
        } else {
            // A word longer than a line: it starts a line and breaks across several.
            if used > 0 {
                lines += 1;
            }
            lines += (len - 1) / per_line;
            used = len - (len - 1) / per_line * per_line;
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::rows_for;

    #[test]
    fn rows_count_words_wrapped_whole_not_characters() {
        // 27 characters fit a 28-wide line by count, but "down" must wrap whole.
        assert_eq!(rows_for("short words worth writing down", 28), 2);
        assert_eq!(rows_for("one line", 28), 1);
        assert_eq!(rows_for("", 28), 1);
        assert_eq!(rows_for("a\nb\nc", 28), 3);
        assert_eq!(
            rows_for(&"x".repeat(60), 28),
            3,
            "long words break across lines"
        );
    }
}
