//! The stage × lane grid: stage columns along the top, typed lanes down the side, and
//! a cell of cards where they cross. Columns have a fixed width, so the emotion curve
//! lines its points up with them.

use leptos::prelude::*;
use parcours_shared::api::AnchorKind;
use parcours_shared::schema::{ItineraryKind, LaneKind};
use parcours_shared::{At, TextTarget};

use super::actions::HeadActions;
use super::cell::Cell;
use super::ctx::BoardCtx;
use super::emotion::EmotionCurve;
use super::itinerary::SwitchRow;
use super::layout::{fresh_id, name_when_shown};
use super::marker::CommentMarker;
use crate::format::lane_kind_label as kind_label;
use crate::i18n::t;
use crate::pages::map::comments::anchor_of;
use crate::pages::map::evidence::MetricsRow;

/// The whole grid, scrolling within itself.
#[component]
pub fn Grid() -> impl IntoView {
    let ctx = BoardCtx::get();
    let stage_ids = Memo::new(move |_| {
        ctx.view
            .with(|v| v.stages.iter().map(|s| s.id.clone()).collect::<Vec<_>>())
    });
    let lane_ids = Memo::new(move |_| {
        ctx.view
            .with(|v| v.lanes.iter().map(|l| l.id.clone()).collect::<Vec<_>>())
    });
    // The curve goes right under the first emotions lane, or last when there is none.
    let curve_after = Memo::new(move |_| {
        ctx.view.with(|v| {
            v.lanes
                .iter()
                .find(|l| l.kind == LaneKind::Emotions)
                .map(|l| l.id.clone())
        })
    });
    // The channel-switch row goes right under the first touchpoints lane, on
    // omnichannel maps and wherever switches were drawn by hand.
    let switches_after = Memo::new(move |_| {
        ctx.view.with(|v| {
            let wanted = v.meta.itinerary == ItineraryKind::Omnichannel || !v.switches.is_empty();
            wanted
                .then(|| v.lanes.iter().find(|l| l.kind == LaneKind::Touchpoints))
                .flatten()
                .map(|l| l.id.clone())
        })
    });
    let add_stage = move |_| {
        let id = fresh_id();
        ctx.live
            .edit(|txn| txn.add_stage(&id, t().new_stage, At::End));
        // The keyboard goes on to name it.
        name_when_shown(format!(
            "[data-testid=stage-col][data-stage-id=\"{id}\"] [data-testid=stage-name]"
        ));
    };
    view! {
        <div class="board" data-testid="board">
            <div class="board-row board-head">
                <div class="lane-head corner">{t().stages_corner}</div>
                <For each=move || stage_ids.get() key=|id| id.clone() let:id>
                    <StageHead id/>
                </For>
                {ctx.can_edit.then(|| view! {
                    <div class="stage-add-col">
                        <button
                            type="button"
                            class="button-quiet button-small"
                            data-testid="stage-add"
                            on:click=add_stage
                        >
                            {t().add_stage}
                        </button>
                    </div>
                })}
            </div>
            {move || ctx.evidence_shown().map(|e| view! { <MetricsRow e stage_ids/> })}
            <For each=move || lane_ids.get() key=|id| id.clone() let:id>
                {
                    let curve_here = {
                        let id = id.clone();
                        move || curve_after.get().as_deref() == Some(id.as_str())
                    };
                    let switches_here = {
                        let id = id.clone();
                        move || switches_after.get().as_deref() == Some(id.as_str())
                    };
                    view! {
                        <LaneRow id stage_ids/>
                        {move || switches_here().then(|| view! { <SwitchRow/> })}
                        {move || curve_here().then(|| view! { <CurveRow/> })}
                    }
                }
            </For>
            {move || curve_after.get().is_none().then(|| view! { <CurveRow/> })}
            {ctx.can_edit.then(|| view! { <AddLane/> })}
        </div>
    }
}

/// The emotion curve as a grid row.
#[component]
fn CurveRow() -> impl IntoView {
    view! {
        <div class="board-row curve-row">
            <div class="lane-head">
                <span class="lane-name-static">{t().emotion_curve}</span>
                <span class="lane-kind">{t().emotion_scale}</span>
            </div>
            <EmotionCurve/>
        </div>
    }
}

/// A stage's column head: name, move and remove.
#[component]
fn StageHead(id: String) -> impl IntoView {
    let ctx = BoardCtx::get();
    let key = id.clone();
    let place = Memo::new(move |_| {
        ctx.view.with(|v| {
            let index = v.stages.iter().position(|s| s.id == key);
            let name = index.map(|i| v.stages[i].name.clone()).unwrap_or_default();
            (index.unwrap_or(0), v.stages.len(), name)
        })
    });
    let name = move || place.with(|p| p.2.clone());
    // With a path followed: does it take cards of its own here? (its route)
    let route_id = id.clone();
    let on_route = Memo::new(move |_| {
        let path = ctx.path.get()?;
        Some(ctx.view.with(|v| {
            v.cards
                .iter()
                .any(|c| c.stage == route_id && c.paths.contains(&path))
        }))
    });
    let body = if ctx.can_edit {
        let rename_id = id.clone();
        let (move_id, remove_id) = (StoredValue::new(id.clone()), StoredValue::new(id.clone()));
        view! {
            <input
                type="text"
                class="stage-name"
                data-testid="stage-name"
                aria-label=t().stage_name
                prop:value=name
                on:change=move |ev| {
                    let value = event_target_value(&ev);
                    ctx.live.edit(|txn| txn.set_text(TextTarget::StageName(&rename_id), &value));
                }
            />
            <HeadActions
                place=Signal::derive(move || place.with(|p| (p.0, p.1)))
                back=("stage-move-left", t().move_left, "◀")
                forward=("stage-move-right", t().move_right, "▶")
                remove=("stage-remove", t().remove_stage)
                on_move=Callback::new(move |index| {
                    move_id.with_value(|id| ctx.live.edit(|txn| txn.move_stage(id, index)));
                })
                on_remove=Callback::new(move |()| {
                    remove_id.with_value(|id| ctx.live.edit(|txn| txn.remove_stage(id)));
                })
            />
        }
        .into_any()
    } else {
        view! { <span class="stage-name" data-testid="stage-name">{name}</span> }.into_any()
    };
    let anchor = anchor_of(AnchorKind::Stage, &id);
    let mark_id = id.clone();
    view! {
        <div
            class="stage-col"
            class:path-route=move || on_route.get() == Some(true)
            data-testid="stage-col"
            data-change=move || ctx.mark(&mark_id)
            data-stage-id=id
        >
            {body}
            {move || (on_route.get() == Some(true)).then(|| view! {
                <span class="route-badge" data-testid="route-badge" title=t().route_badge_title>{t().route_badge}</span>
            })}
            <CommentMarker anchor class="comment-marker-inline"/>
        </div>
    }
}

/// A lane: its head, then one cell per stage.
#[component]
fn LaneRow(id: String, stage_ids: Memo<Vec<String>>) -> impl IntoView {
    let ctx = BoardCtx::get();
    let key = id.clone();
    let place = Memo::new(move |_| {
        ctx.view.with(|v| {
            let index = v.lanes.iter().position(|l| l.id == key);
            let lane = index.map(|i| v.lanes[i].clone());
            (
                index.unwrap_or(0),
                v.lanes.len(),
                lane.as_ref().map(|l| l.name.clone()).unwrap_or_default(),
                lane.map(|l| l.kind).unwrap_or(LaneKind::Notes),
            )
        })
    });
    let name = move || place.with(|p| p.2.clone());
    let kind = move || place.with(|p| p.3);
    let head = if ctx.can_edit {
        let rename_id = id.clone();
        let (move_id, remove_id) = (StoredValue::new(id.clone()), StoredValue::new(id.clone()));
        view! {
            <input
                type="text"
                class="lane-name"
                data-testid="lane-name"
                aria-label=t().lane_name
                prop:value=name
                on:change=move |ev| {
                    let value = event_target_value(&ev);
                    ctx.live.edit(|txn| txn.set_text(TextTarget::LaneName(&rename_id), &value));
                }
            />
            <span class="lane-kind" data-testid="lane-kind">{move || kind_label(kind())}</span>
            <HeadActions
                place=Signal::derive(move || place.with(|p| (p.0, p.1)))
                back=("lane-move-up", t().move_up, "▲")
                forward=("lane-move-down", t().move_down, "▼")
                remove=("lane-remove", t().remove_lane)
                on_move=Callback::new(move |index| {
                    move_id.with_value(|id| ctx.live.edit(|txn| txn.move_lane(id, index)));
                })
                on_remove=Callback::new(move |()| {
                    remove_id.with_value(|id| ctx.live.edit(|txn| txn.remove_lane(id)));
                })
            />
        }
        .into_any()
    } else {
        view! {
            <span class="lane-name-static" data-testid="lane-name">{name}</span>
            <span class="lane-kind" data-testid="lane-kind">{move || kind_label(kind())}</span>
        }
        .into_any()
    };
    let (lane_id, mark_id) = (id.clone(), id.clone());
    view! {
        <div
            class="board-row lane-row"
            data-testid="lane-row"
            data-change=move || ctx.mark(&mark_id)
            data-lane-id=id
            data-lane-kind=move || kind().as_str()
        >
            <div class="lane-head">
                {head}
                <CommentMarker anchor=anchor_of(AnchorKind::Lane, &lane_id) class="comment-marker-inline"/>
            </div>
            <For each=move || stage_ids.get() key=|id| id.clone() let:stage>
                <Cell stage lane=lane_id.clone()/>
            </For>
        </div>
    }
}

/// The row that adds a lane of a chosen kind.
#[component]
fn AddLane() -> impl IntoView {
    let ctx = BoardCtx::get();
    let kind = RwSignal::new(LaneKind::Notes);
    let add = move |_| {
        let id = fresh_id();
        let kind = kind.get_untracked();
        ctx.live
            .edit(|txn| txn.add_lane(&id, kind_label(kind), kind, At::End));
        name_when_shown(format!(
            "[data-testid=lane-row][data-lane-id=\"{id}\"] [data-testid=lane-name]"
        ));
    };
    view! {
        <div class="board-row lane-add-row">
            <div class="lane-head lane-add">
                <select
                    data-testid="lane-add-kind"
                    aria-label=t().new_lane_kind
                    on:change=move |ev| {
                        if let Some(k) = LaneKind::parse(&event_target_value(&ev)) {
                            kind.set(k);
                        }
                    }
                >
                    {LaneKind::ALL
                        .iter()
                        .map(|k| view! {
                            <option value=k.as_str() selected=*k == LaneKind::Notes>
                                {kind_label(*k)}
                            </option>
                        })
                        .collect_view()}
                </select>
                <button
                    type="button"
                    class="button-quiet button-small"
                    data-testid="lane-add"
                    on:click=add
                >
                    {t().add_lane}
                </button>
            </div>
        </div>
    }
}
