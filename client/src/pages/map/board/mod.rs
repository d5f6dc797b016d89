//! The live journey-map board: objective, personas, the stage × lane grid of cards,
//! the emotion curve, presence and undo. Everything reads the live document through
//! one memoized [`MapView`] (made by the map page) and writes through
//! [`LiveMap::edit`].
//!
//! - [`ctx`]: [`BoardCtx`], what every part shares.
//! - [`actions`]: the move and remove buttons of stage, lane, persona and path heads.
//! - [`index`]: each card and cell as a signal of its own, set only when it changed.
//! - [`layout`]: helpers the parts share (column width, text-area rows, focus, ids).
//! - [`toolbar`]: connection badge, presence avatars, undo and redo.
//! - [`grid`]: stage columns and lane rows.
//! - [`cell`]: one stage × lane cell, its cards and dropping cards into it.
//! - [`card`]: one card and its lane-specific fields.
//! - [`emotion`]: the emotion curve.
//! - [`personas`]: the persona panel.
//! - [`itinerary`]: channel chips and colours, the channel-switch row, drawing a switch.
//! - [`paths`]: the paths panel (personalized journeys) and its branch view.
//! - [`empty`]: what an empty map offers: the method, or a template filled in place.
//! - [`orphans`]: the tray of cards whose stage or lane was removed under them.
//! - [`marker`]: the comment marker of a card, stage, lane or cell.

mod actions;
mod card;
mod cell;
mod ctx;
mod emotion;
mod empty;
mod grid;
mod index;
mod itinerary;
mod layout;
mod marker;
mod orphans;
mod paths;
mod personas;
mod toolbar;

use leptos::prelude::*;
use parcours_shared::view::MapView;
use parcours_shared::TextTarget;

use crate::components::shortcuts::typing;
use crate::i18n::t;
use crate::live::presence::Peer;
use crate::live::LiveMap;
use crate::pages::map::evidence::Evidence;
use crate::pages::map::history::History;

use self::ctx::BoardCtx;
use self::empty::EmptyMapOffer;
use self::grid::Grid;
use self::index::BoardIndex;
use self::orphans::OrphanTray;
use self::paths::PathPanel;
use self::personas::PersonaPanel;
use self::toolbar::Toolbar;

/// The board of a live map (toolbar, then objective, grid and personas once the map
/// has synced); `can_edit` false shows it read-only; `frozen` shows a past `view`
/// (read-only, without toolbar, presence or comment markers).
#[component]
pub fn Board(
    /// The live map.
    live: LiveMap,
    /// The whole map, re-read after every change (or the past shown, when `frozen`).
    view: Memo<MapView>,
    /// May the caller edit?
    can_edit: bool,
    /// Shows the past: nothing is edited, selected or commented.
    #[prop(optional)]
    frozen: bool,
) -> impl IntoView {
    let can_edit = can_edit && !frozen;
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
        index: BoardIndex::new(view),
        can_edit,
        dragging: RwSignal::new(None),
        others,
        frozen,
        history: History::get(),
        evidence: Evidence::get(),
        paths: Memo::new(move |_| {
            view.with(|v| {
                v.paths
                    .iter()
                    .map(|p| (p.id.clone(), p.name.clone()))
                    .collect::<Vec<_>>()
            })
        }),
        path: RwSignal::new(None),
        switch_from: RwSignal::new(None),
    };
    provide_context(ctx);
    if can_edit {
        install_shortcuts(live);
    }
    view! {
            {(!frozen).then(|| view! { <Toolbar/> })}
            {move || {
                if frozen || live.synced() {
                    view! {
                        <EmptyMapOffer/>
                        <Objective/>
                        <OrphanTray/>
                        <PathPanel/>
                        <Grid/>
                        <PersonaPanel/>
                    }
                        .into_any()
                } else {
                    view! { <p class="muted board-loading">{t().loading_live_map}
    </p> }
                        .into_any()
                }
            }}
        }
}

/// Ctrl+Z / Ctrl+Shift+Z (and Ctrl+Y) undo and redo own edits, except while typing in
/// a field (where they undo the typing).
fn install_shortcuts(live: LiveMap) {
    let handle = window_event_listener(leptos::ev::keydown, move |ev| {
        if !(ev.ctrl_key() || ev.meta_key()) || ev.alt_key() {
            return;
        }
        if typing() {
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
    let mark = move || ctx.mark("objective");
    if ctx.can_edit {
        view! {
            <label class="objective objective-edit" data-change=mark>
                <span class="field-label">{t().objective}</span>
                <input
                    type="text"
                    data-testid="objective"
                    placeholder=t().objective_placeholder
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
            <p class="objective" data-change=mark>
                <span class="field-label">{t().objective}</span>
                <span data-testid="objective">{move || objective.get()}</span>
            </p>
        }
        .into_any()
    }
}
