//! The orphan tray: cards whose stage or lane was removed while someone else added or
//! moved them there. The document keeps them (never silently hidden); the tray lists
//! them above the grid and lets editors put each back in a live cell.

use leptos::prelude::*;

use super::ctx::BoardCtx;
use crate::i18n::{fill, t};

/// The tray, shown while there are orphan cards.
#[component]
pub fn OrphanTray() -> impl IntoView {
    let ctx = BoardCtx::get();
    let ids = Memo::new(move |_| {
        ctx.view.with(|v| {
            v.orphan_cards
                .iter()
                .map(|c| c.id.clone())
                .collect::<Vec<_>>()
        })
    });
    move || {
        let count = ids.with(Vec::len);
        (count > 0).then(|| {
            view! {
                <section class="orphan-tray" data-testid="orphan-tray" aria-live="polite">
                    <h2>{match count { 1 => t().one_orphan.to_owned(), n => fill(t().n_orphans, &[("n", &n)]) }}</h2>
                    <p class="muted">
                        {t().orphans_why} " "
                        {if ctx.can_edit { t().orphans_put_back } else { t().orphans_editor_can }}
                    </p>
                    <ul>
                        <For each=move || ids.get() key=|id| id.clone() let:id>
                            <Orphan id/>
                        </For>
                    </ul>
                </section>
            }
        })
    }
}

/// One orphan card: its text, where it was, and (for editors) a cell to put it in.
#[component]
fn Orphan(id: String) -> impl IntoView {
    let ctx = BoardCtx::get();
    let key = id.clone();
    let card = Memo::new(move |_| {
        ctx.view.with(|v| {
            let card = v.orphan_cards.iter().find(|c| c.id == key)?;
            let stage = v.stages.iter().find(|s| s.id == card.stage);
            let lane = v.lanes.iter().find(|l| l.id == card.lane);
            let was = fill(
                t().orphan_was_in,
                &[
                    (
                        "stage",
                        &stage.map_or(t().removed_stage, |s| s.name.as_str()),
                    ),
                    ("lane", &lane.map_or(t().removed_lane, |l| l.name.as_str())),
                ],
            );
            Some((card.text.clone(), was, stage.is_some(), lane.is_some()))
        })
    });
    let options = Memo::new(move |_| {
        ctx.view.with(|v| {
            let stages: Vec<(String, String)> = v
                .stages
                .iter()
                .map(|s| (s.id.clone(), s.name.clone()))
                .collect();
            let lanes: Vec<(String, String)> = v
                .lanes
                .iter()
                .map(|l| (l.id.clone(), l.name.clone()))
                .collect();
            (stages, lanes)
        })
    });
    // The cell chosen: the card's own stage or lane where it still exists, else the first.
    let initial = ctx.view.with_untracked(|v| {
        let card = v.orphan_cards.iter().find(|c| c.id == id);
        let pick = |own: Option<&String>, all: Vec<&String>| {
            own.filter(|o| all.contains(o))
                .or(all.first().copied())
                .cloned()
                .unwrap_or_default()
        };
        (
            pick(
                card.map(|c| &c.stage),
                v.stages.iter().map(|s| &s.id).collect(),
            ),
            pick(
                card.map(|c| &c.lane),
                v.lanes.iter().map(|l| &l.id).collect(),
            ),
        )
    });
    let stage = RwSignal::new(initial.0);
    let lane = RwSignal::new(initial.1);
    let text = move || card.with(|c| c.as_ref().map(|c| c.0.clone()).unwrap_or_default());
    let was = move || card.with(|c| c.as_ref().map(|c| c.1.clone()).unwrap_or_default());
    let place_id = id.clone();
    let place = move |_| {
        let (s, l) = (stage.get_untracked(), lane.get_untracked());
        if s.is_empty() || l.is_empty() {
            return;
        }
        let end = ctx.view.with_untracked(|v| {
            v.cards
                .iter()
                .filter(|c| c.stage == s && c.lane == l)
                .count()
        });
        ctx.live.edit(|txn| txn.move_card(&place_id, &s, &l, end));
    };
    let controls = ctx.can_edit.then(|| {
        view! {
            <select data-testid="orphan-stage" aria-label=t().orphan_stage on:change=move |ev| stage.set(event_target_value(&ev))>
                {move || options.with(|o| o.0.iter().map(|(id, name)| {
                    let selected = stage.get_untracked() == *id;
                    view! { <option value=id.clone() selected=selected>{name.clone()}</option> }
                }).collect_view())}
            </select>
            <select data-testid="orphan-lane" aria-label=t().orphan_lane on:change=move |ev| lane.set(event_target_value(&ev))>
                {move || options.with(|o| o.1.iter().map(|(id, name)| {
                    let selected = lane.get_untracked() == *id;
                    view! { <option value=id.clone() selected=selected>{name.clone()}</option> }
                }).collect_view())}
            </select>
            <button
                type="button"
                class="button-small"
                data-testid="orphan-place"
                disabled=move || options.with(|o| o.0.is_empty() || o.1.is_empty())
                on:click=place
            >
                {t().put_it_here}
            </button>
        }
    });
    view! {
        <li class="orphan-card" data-testid="orphan-card" data-card-id=id>
            <span class="orphan-text">{move || { let said = text(); if said.is_empty() { t().empty_card.to_owned() } else { said } }}</span>

            <span class="muted">{was}</span>
            {controls}
        </li>
    }
}
