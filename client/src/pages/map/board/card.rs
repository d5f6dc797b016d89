//! One card: its text, the fields of its lane's kind (channel, owner and status, KPI
//! measures), and the ways to move it (drag and drop, Alt+arrow keys).

use leptos::prelude::*;
use parcours_shared::api::AnchorKind;
use parcours_shared::schema::{Channel, KpiMeasure, LaneKind, OpportunityStatus};
use parcours_shared::view::CardView;
use parcours_shared::TextTarget;
use wasm_bindgen::JsCast;

use super::ctx::BoardCtx;
use super::itinerary::{ChannelChip, DrawSwitch};
use super::layout::{focus_when_shown, rows_for};
use super::marker::CommentMarker;
use super::paths::CardPaths;
use crate::format::{channel_label, status_label};
use crate::i18n::t;
use crate::pages::map::comments::anchor_of;

/// Characters a card's text line holds, for sizing its text area.
const CARD_LINE_CHARS: usize = 26;

/// A card of the board.
#[component]
pub fn CardItem(id: String) -> impl IntoView {
    let ctx = BoardCtx::get();
    // Set only when this card (or its lane's kind) changed.
    let card = ctx.index.card(&id);
    let text = move || card.with(|c| c.as_ref().map(|(c, _)| c.text.clone()).unwrap_or_default());
    // Closures, not memos: a card's own signal changes only with the card.
    let kind = move || card.with(|c| c.as_ref().map(|(_, k)| *k));
    let outline = {
        let id = id.clone();
        move || {
            ctx.selected_by(&id)
                .map(|color| format!("outline: 2px solid {color}; outline-offset: 1px"))
        }
    };
    let text_view = if ctx.can_edit {
        let id = id.clone();
        let commit = move |value: String| {
            ctx.live
                .edit(|txn| txn.set_text(TextTarget::Card(&id), &value));
        };
        let on_key = commit.clone();
        view! {
            <textarea
                class="card-text"
                data-testid="card-text"
                aria-label=t().card_text
                placeholder=t().card_placeholder
                rows=move || rows_for(&text(), CARD_LINE_CHARS)
                prop:value=text
                on:blur=move |ev| commit(event_target_value(&ev))
                on:keydown=move |ev| {
                    if ev.key() == "Enter" && !ev.shift_key() && !ev.alt_key() {
                        ev.prevent_default();
                        on_key(event_target_value(&ev));
                        // Done typing: the focus goes to the card itself (where
                        // Alt+arrows move it), not out of the page to <body>.
                        if let Some(el) = ev
                            .target()
                            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                            .and_then(|el| el.closest("[data-testid=card]").ok().flatten())
                            .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
                        {
                            let _ = el.focus();
                        }
                    }
                }
            ></textarea>
        }
        .into_any()
    } else {
        view! { <p class="card-text" data-testid="card-text">{text}</p> }.into_any()
    };
    let details = {
        let id = id.clone();
        move || {
            let current = card.get().map(|(c, _)| c);
            match (kind(), current) {
                (Some(LaneKind::Touchpoints), Some(c)) => {
                    channel_field(ctx, id.clone(), c).into_any()
                }
                (Some(LaneKind::Opportunities), Some(c)) => {
                    opportunity_fields(ctx, id.clone(), c).into_any()
                }
                (Some(LaneKind::Kpis), Some(c)) => kpi_fields(ctx, id.clone(), c).into_any(),
                _ => ().into_any(),
            }
        }
    };
    let paths_id = id.clone();
    let on_paths = Memo::new(move |_| {
        card.with(|c| c.as_ref().map(|(c, _)| c.paths.clone()).unwrap_or_default())
    });
    // A card on chosen paths names them; the "All paths" control of the others is
    // built once the card is focused (editors), not for every card of a large board.
    let touched = RwSignal::new(false);
    // None: not shown; Some(false): the names only; Some(true): the editor's list.
    let paths_mode = Memo::new(move |_| {
        if !ctx.paths.with(|p| !p.is_empty()) {
            return None;
        }
        let editable = ctx.can_edit && touched.get();
        (editable || on_paths.with(|on| !on.is_empty())).then_some(editable)
    });
    let card_paths = move || {
        paths_mode
            .get()
            .map(|editable| view! { <CardPaths card=paths_id.clone() on=on_paths editable/> })
    };
    // With a path picked: on it (highlighted) or off it (dimmed).
    let on_picked = move || {
        ctx.path
            .with(|picked| {
                picked
                    .as_ref()
                    .map(|p| card.with(|c| c.as_ref().map(|(c, _)| c.on_path(p))))
            })
            .flatten()
    };
    let (drag_id, key_id, focus_id, delete_id) = (id.clone(), id.clone(), id.clone(), id.clone());
    let (marker_id, mark_id, history_id) = (id.clone(), id.clone(), id.clone());
    view! {
        <article
            // One class effect per card (with a path picked: on it or off it).
            class=move || match on_picked() {
                Some(true) => "board-card path-on",
                Some(false) => "board-card path-off",
                None => "board-card",
            }
            data-testid="card"
            data-card-id=id
            data-lane-kind=move || kind().map(|k| k.as_str()).unwrap_or_default()
            data-change=move || ctx.mark(&mark_id)
            tabindex="0"
            draggable=if ctx.can_edit { "true" } else { "false" }
            style=outline
            on:dragstart=move |ev| {
                if !ctx.can_edit {
                    return;
                }
                if let Some(dt) = ev.data_transfer() {
                    let _ = dt.set_data("text/plain", &drag_id);
                    dt.set_effect_allowed("move");
                }
                ctx.dragging.set(Some(drag_id.clone()));
            }
            on:dragend=move |_| ctx.dragging.set(None)
            on:keydown=move |ev| {
                if ctx.can_edit && ev.alt_key() {
                    if let Some(c) = card.get_untracked().map(|(c, _)| c) {
                        if move_by_key(ctx, &c, &ev.key()) {
                            ev.prevent_default();
                            refocus_card(key_id.clone());
                        }
                    }
                } else if !(ev.ctrl_key() || ev.meta_key() || ev.shift_key())
                    && ev.target() == ev.current_target()
                {
                    // Arrows on the card itself (not in its text) go from card to card.
                    let next = card
                        .get_untracked()
                        .and_then(|(c, _)| neighbour(ctx, &c, &ev.key()));
                    if let Some(next) = next {
                        ev.prevent_default();
                        refocus_card(next);
                    }
                }
            }
            on:focusin=move |_| {
                if !ctx.frozen {
                    ctx.live.select(Some(focus_id.clone()));
                }
                if !touched.get_untracked() {
                    touched.set(true);
                }
            }
            on:focusout=move |_| {
                if !ctx.frozen {
                    ctx.live.select(None);
                }
            }
        >
            {text_view}
            {details}
            {card_paths}
            <CommentMarker anchor=anchor_of(AnchorKind::Card, &marker_id)/>
            // Editors (who restore) get it on the card; everyone reaches it from the
            // card's comments ("Edited by … · History").
            {ctx.history_of().filter(|_| ctx.can_edit).map(|h| view! {
                <button
                    type="button"
                    class="icon-button card-history"
                    data-testid="card-history"
                    title=t().card_history_title
                    on:click=move |_| h.show_element(history_id.clone())
                >
                    "◷"
                </button>
            })}
            {ctx.can_edit.then(|| view! {
                <button
                    type="button"
                    class="icon-button button-danger card-delete"
                    data-testid="card-delete"
                    title=t().card_delete_title
                    on:click=move |_| {
                        ctx.live.edit(|txn| txn.remove_card(&delete_id));
                    }
                >
                    "✕"
                </button>
            })}
        </article>
    }
}

/// Alt+←/→ moves a card to the neighbouring stage; Alt+↑/↓ moves it up or down its
/// cell, then into the neighbouring lane. True when the key was one of those.
fn move_by_key(ctx: BoardCtx, card: &CardView, key: &str) -> bool {
    let target = ctx.view.with_untracked(|v| {
        let stage = v.stages.iter().position(|s| s.id == card.stage)?;
        let lane = v.lanes.iter().position(|l| l.id == card.lane)?;
        let cell_len = |s: usize, l: usize| {
            v.cards
                .iter()
                .filter(|c| c.stage == v.stages[s].id && c.lane == v.lanes[l].id)
                .count()
        };
        let (s, l, index) = match key {
            "ArrowLeft" if stage > 0 => (stage - 1, lane, cell_len(stage - 1, lane)),
            "ArrowRight" if stage + 1 < v.stages.len() => {
                (stage + 1, lane, cell_len(stage + 1, lane))
            }
            "ArrowUp" if card.index > 0 => (stage, lane, card.index - 1),
            "ArrowUp" if lane > 0 => (stage, lane - 1, cell_len(stage, lane - 1)),
            "ArrowDown" if card.index + 1 < cell_len(stage, lane) => (stage, lane, card.index + 1),
            "ArrowDown" if lane + 1 < v.lanes.len() => (stage, lane + 1, 0),
            _ => return None,
        };
        Some((v.stages[s].id.clone(), v.lanes[l].id.clone(), index))
    });
    let handled = matches!(key, "ArrowLeft" | "ArrowRight" | "ArrowUp" | "ArrowDown");
    if let Some((stage, lane, index)) = target {
        ctx.live
            .edit(|txn| txn.move_card(&card.id, &stage, &lane, index));
    }
    handled
}

/// The card an arrow key leads to from `card`, for moving the focus on big boards
/// without Tabbing through every control: ←/→ the same lane's nearest cell with cards
/// that way (the card at the same height, or the last), ↑/↓ the next card in the cell,
/// then the nearest lane with cards in the same stage.
fn neighbour(ctx: BoardCtx, card: &CardView, key: &str) -> Option<String> {
    ctx.view.with_untracked(|v| {
        let stage = v.stages.iter().position(|s| s.id == card.stage)?;
        let lane = v.lanes.iter().position(|l| l.id == card.lane)?;
        let cell = |s: usize, l: usize| {
            let mut cards: Vec<&CardView> = v
                .cards
                .iter()
                .filter(|c| c.stage == v.stages[s].id && c.lane == v.lanes[l].id)
                .collect();
            cards.sort_by_key(|c| c.index);
            cards
        };
        let id = |c: &&CardView| c.id.clone();
        match key {
            "ArrowLeft" => {
                let cards = first_filled((0..stage).rev().map(|s| cell(s, lane)))?;
                cards.get(card.index.min(cards.len() - 1)).map(id)
            }
            "ArrowRight" => {
                let cards = first_filled((stage + 1..v.stages.len()).map(|s| cell(s, lane)))?;
                cards.get(card.index.min(cards.len() - 1)).map(id)
            }
            "ArrowUp" if card.index > 0 => cell(stage, lane).get(card.index - 1).map(id),
            "ArrowUp" => first_filled((0..lane).rev().map(|l| cell(stage, l)))?
                .last()
                .map(id),
            "ArrowDown" => match cell(stage, lane).get(card.index + 1) {
                Some(next) => Some(next.id.clone()),
                None => first_filled((lane + 1..v.lanes.len()).map(|l| cell(stage, l)))?
                    .first()
                    .map(id),
            },
            _ => None,
        }
    })
}

/// The first of `cells` holding cards.
fn first_filled<T>(mut cells: impl Iterator<Item = Vec<T>>) -> Option<Vec<T>> {
    cells.find(|c| !c.is_empty())
}

/// Puts the focus back on a card after it moved (its element may be new).
fn refocus_card(id: String) {
    focus_when_shown(format!("[data-testid=card][data-card-id=\"{id}\"]"));
}

/// The channel of a touchpoint card.
fn channel_field(ctx: BoardCtx, id: String, card: CardView) -> impl IntoView {
    let current = card.channel;
    let chip = current.map(|c| view! { <ChannelChip channel=c/> });
    if !ctx.can_edit {
        return view! {
            <p class="card-meta" data-testid="card-channel">
                {chip}
                {current.is_none().then_some(t().no_channel)}
            </p>
        }
        .into_any();
    }
    let options = Channel::ALL
        .iter()
        .map(|c| {
            view! {
                <option value=c.as_str() selected=current == Some(*c)>{channel_label(*c)}</option>
            }
        })
        .collect_view();
    let select_id = id.clone();
    view! {
        <div class="card-channel-row">
            {chip}
            <select
                class="card-meta"
                data-testid="card-channel"
                aria-label=t().channel
                on:change=move |ev| {
                    let channel = Channel::parse(&event_target_value(&ev));
                    ctx.live.edit(|txn| txn.set_channel(&select_id, channel));
                }
            >
                <option value="" selected=current.is_none()>{t().no_channel}</option>
                {options}
            </select>
            <DrawSwitch card=id/>
        </div>
    }
    .into_any()
}

/// Owner and status of an opportunity card.
fn opportunity_fields(ctx: BoardCtx, id: String, card: CardView) -> impl IntoView {
    let owner = card.owner.unwrap_or_default();
    let status = card.status;
    if !ctx.can_edit {
        return view! {
            <p class="card-meta">
                <span data-testid="card-owner">{owner}</span>
                " · "
                <span data-testid="card-status">{status.map(status_label).unwrap_or(t().no_status)}</span>
            </p>
        }
        .into_any();
    }
    let owner_id = id.clone();
    let options = OpportunityStatus::ALL
        .iter()
        .map(|s| view! { <option value=s.as_str() selected=status == Some(*s)>{status_label(*s)}</option> })
        .collect_view();
    view! {
        <div class="card-meta card-fields">
            <input
                type="text"
                data-testid="card-owner"
                placeholder=t().opportunity_owner
                aria-label=t().opportunity_owner
                prop:value=owner
                on:change=move |ev| {
                    let value = event_target_value(&ev);
                    let value = value.trim();
                    ctx.live.edit(|txn| {
                        txn.set_owner(&owner_id, (!value.is_empty()).then_some(value))
                    });
                }
            />
            <select
                data-testid="card-status"
                aria-label=t().status
                on:change=move |ev| {
                    let status = OpportunityStatus::parse(&event_target_value(&ev));
                    ctx.live.edit(|txn| txn.set_status(&id, status));
                }
            >
                <option value="" selected=status.is_none()>{t().no_status}</option>
                {options}
            </select>
        </div>
    }
    .into_any()
}

/// Baseline, current, target and unit of a KPI card.
fn kpi_fields(ctx: BoardCtx, id: String, card: CardView) -> impl IntoView {
    let kpi = card.kpi.unwrap_or_default();
    let unit = kpi.unit.clone().unwrap_or_default();
    let measures = [
        (KpiMeasure::Baseline, t().kpi_baseline, kpi.baseline),
        (KpiMeasure::Current, t().kpi_current, kpi.current),
        (KpiMeasure::Target, t().kpi_target, kpi.target),
    ];
    let fields = measures
        .into_iter()
        .map(|(measure, label, value)| {
            let testid = format!("kpi-{}", measure.as_str());
            let shown = value.map(|v| v.to_string()).unwrap_or_default();
            if ctx.can_edit {
                let id = id.clone();
                view! {
                    <label class="kpi-field">
                        <span>{label}</span>
                        <input
                            type="number"
                            step="any"
                            data-testid=testid
                            prop:value=shown
                            on:change=move |ev| {
                                let value = event_target_value(&ev).trim().parse::<f64>().ok();
                                ctx.live.edit(|txn| txn.set_kpi_value(&id, measure, value));
                            }
                        />
                    </label>
                }
                .into_any()
            } else {
                view! {
                    <span class="kpi-field">
                        <span>{label}</span>
                        <b data-testid=testid>{shown}</b>
                    </span>
                }
                .into_any()
            }
        })
        .collect_view();
    let unit_view = if ctx.can_edit {
        view! {
            <label class="kpi-field">
                <span>{t().kpi_unit}</span>
                <input
                    type="text"
                    data-testid="kpi-unit"
                    placeholder="%"
                    prop:value=unit
                    on:change=move |ev| {
                        let value = event_target_value(&ev);
                        let value = value.trim();
                        ctx.live.edit(|txn| {
                            txn.set_kpi_unit(&id, (!value.is_empty()).then_some(value))
                        });
                    }
                />
            </label>
        }
        .into_any()
    } else {
        view! {
            <span class="kpi-field">
                <span>{t().kpi_unit}</span>
                <b data-testid="kpi-unit">{unit}</b>
            </span>
        }
        .into_any()
    };
    view! { <div class="card-meta kpi">{fields}{unit_view}</div> }.into_any()
}
