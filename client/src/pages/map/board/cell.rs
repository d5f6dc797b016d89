//! One stage × lane cell of the grid: its cards, the "+ Card" button, someone else's
//! selection, and dropping a dragged card into it.

use leptos::prelude::*;
use parcours_shared::At;
use wasm_bindgen::JsCast;

use super::card::CardItem;
use super::ctx::BoardCtx;
use super::layout::{focus_when_shown, fresh_id};
use super::marker::CommentMarker;
use crate::i18n::t;
use crate::live::presence::cell_key;
use crate::pages::map::comments::cell_anchor;

/// The cards of one stage × lane cell; a drop target while a card is dragged.
#[component]
pub fn Cell(
    /// The cell's stage.
    stage: String,
    /// The cell's lane.
    lane: String,
) -> impl IntoView {
    let ctx = BoardCtx::get();
    // Set only when this cell's cards changed.
    let card_ids = ctx.index.cell(&stage, &lane);
    let key = cell_key(&stage, &lane);
    let outline = {
        let key = key.clone();
        move || {
            ctx.selected_by(&key)
                .map(|color| format!("box-shadow: inset 0 0 0 2px {color}"))
        }
    };
    let over = RwSignal::new(false);
    let on_drop = {
        let (stage, lane) = (stage.clone(), lane.clone());
        move |ev: leptos::ev::DragEvent| {
            ev.prevent_default();
            over.set(false);
            let Some(card) = ctx.dragging.get_untracked() else {
                return;
            };
            ctx.dragging.set(None);
            // Dropped on a card: before it; elsewhere: at the end of the cell.
            let target_card = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|el| el.closest("[data-card-id]").ok().flatten())
                .and_then(|el| el.get_attribute("data-card-id"));
            let others: Vec<String> = card_ids
                .get_untracked()
                .into_iter()
                .filter(|id| *id != card)
                .collect();
            let index = target_card
                .and_then(|t| others.iter().position(|id| *id == t))
                .unwrap_or(others.len());
            ctx.live
                .edit(|txn| txn.move_card(&card, &stage, &lane, index));
        }
    };
    let add = {
        let (stage, lane) = (stage.clone(), lane.clone());
        move |_| {
            let id = fresh_id();
            ctx.live
                .edit(|txn| txn.add_card(&id, &stage, &lane, At::End, ""));
            focus_card_text(id);
        }
    };
    let select_key = key.clone();
    let anchor = cell_anchor(&stage, &lane);
    view! {
        <div
            class="cell"
            class:drop-over=move || over.get()
            data-testid="cell"
            data-stage-id=stage
            data-lane-id=lane
            style=outline
            on:click=move |ev| {
                // Only clicks on the cell itself, not on its cards.
                if ev.target() == ev.current_target() {
                    ctx.live.select(Some(select_key.clone()));
                }
            }
            on:dragover=move |ev| {
                if ctx.can_edit && ctx.dragging.get_untracked().is_some() {
                    ev.prevent_default();
                    over.set(true);
                }
            }
            on:dragleave=move |_| over.set(false)
            on:drop=on_drop
        >
            <CommentMarker anchor class="comment-marker-cell"/>
            <For each=move || card_ids.get() key=|id| id.clone() let:id>
                <CardItem id/>
            </For>
            {ctx.can_edit.then(|| view! {
                <button
                    type="button"
                    class="card-add"
                    data-testid="card-add"
                    title=t().add_card_title
                    on:click=add
                >
                    {t().add_card}

                </button>
            })}
        </div>
    }
}

/// Focuses a card's text once it is on screen (after adding or moving it).
fn focus_card_text(id: String) {
    focus_when_shown(format!("[data-card-id=\"{id}\"] [data-testid=card-text]"));
}
