//! The omnichannel side of the board: a colour per channel (chips on touchpoint
//! cards, a legend), the channel-switch row under the touchpoints lane (each stage's
//! channel mix and switch count, arrows for the hops between stages and for the
//! switches drawn by hand), and the form that draws a switch from a touchpoint.

use leptos::prelude::*;
use parcours_shared::journey::channel_mix;
use parcours_shared::schema::{Channel, LaneKind};
use parcours_shared::view::MapView;
use parcours_shared::{SchemaError, TextTarget};

use super::ctx::BoardCtx;
use super::layout::{details_open, fresh_id, STAGE_WIDTH};
pub use crate::format::channel_label;
use crate::i18n::{fill, t};

/// The colour a channel is drawn in (chips, legend, arrows).
pub fn channel_color(channel: Channel) -> &'static str {
    match channel {
        Channel::Web => "#1570ef",
        Channel::App => "#6938ef",
        Channel::Store => "#039855",
        Channel::Phone => "#dc6803",
        Channel::Email => "#c11574",
        Channel::Social => "#0e9384",
        Channel::Partner => "#4d7c0f",
        Channel::Chat => "#d92d20",
        Channel::Mail => "#854a0e",
        Channel::Other => "#475467",
    }
}

/// A coloured chip naming a channel.
#[component]
pub fn ChannelChip(channel: Channel, #[prop(optional)] count: Option<usize>) -> impl IntoView {
    let label = match count {
        Some(n) => format!("{} {n}", channel_label(channel)),
        None => channel_label(channel).to_owned(),
    };
    view! {
        <span
            class="channel-chip"
            data-testid="channel-chip"
            data-channel=channel.as_str()
            style=format!("--chip: {}", channel_color(channel))
        >
            {label}
        </span>
    }
}

/// Height of one row of hand-drawn switch arcs, in CSS pixels.
const ARC_STEP: f64 = 26.0;
/// Height of the band where the hops between consecutive stages are drawn.
const HOP_BAND: f64 = 34.0;

/// The channel-switch row, right under the first touchpoints lane: the legend in its
/// head, arrows across the stages, and each stage's channel mix and switch count.
#[component]
pub fn SwitchRow() -> impl IntoView {
    let ctx = BoardCtx::get();
    let legend = Memo::new(move |_| {
        ctx.view.with(|v| {
            let mut used: Vec<Channel> = v.cards.iter().filter_map(|c| c.channel).collect();
            used.sort();
            used.dedup();
            used
        })
    });
    let mix = Memo::new(move |_| ctx.view.with(channel_mix));
    // What the arrows are drawn from (stages, hops, switches and their cards), so an
    // edit elsewhere on the board does not redraw them.
    let arrows = Memo::new(move |_| {
        let path = ctx.path.get();
        ctx.view.with(|v| {
            let ends: Vec<&str> = v
                .switches
                .iter()
                .flat_map(|s| [s.from.as_str(), s.to.as_str()])
                .collect();
            let sub = MapView {
                stages: v.stages.clone(),
                channel_switches: v.channel_switches.clone(),
                switches: v.switches.clone(),
                cards: v
                    .cards
                    .iter()
                    .filter(|c| ends.contains(&c.id.as_str()))
                    .cloned()
                    .collect(),
                ..MapView::default()
            };
            (sub, path)
        })
    });
    view! {
        <div class="board-row switch-row" data-testid="switch-row">
            <div class="lane-head">
                <span class="lane-name-static">{t().channel_switches}</span>
                <div class="channel-legend" data-testid="channel-legend" aria-label=t().channels>
                    {move || legend.get().into_iter().map(|c| view! { <ChannelChip channel=c/> }).collect_view()}
                </div>
            </div>
            <div class="switch-track">
                {move || arrows.with(|(v, path)| draw_arrows(v, path.as_deref()))}
                <div class="switch-mix">
                    {move || mix.get().into_iter().map(|stage| {
                        let count = stage.switches;
                        view! {
                            <div class="stage-mix" data-testid="stage-mix" data-stage-id=stage.stage>
                                <div class="mix-chips">
                                    {stage.channels.into_iter().map(|(c, n)| view! { <ChannelChip channel=c count=n/> }).collect_view()}
                                </div>
                                <span class="switch-count" data-testid="switch-count" data-count=count>
                                    {match count { 0 => t().no_switch.to_owned(), 1 => t().one_switch.to_owned(), n => fill(t().n_switches, &[("n", &n)]) }}
                                </span>
                            </div>
                        }
                    }).collect_view()}
                </div>
                <SwitchList/>
            </div>
        </div>
    }
}

/// The arrows: hops between consecutive stages along the top band, then one arc per
/// hand-drawn switch below, labelled with its channels. With a path picked, arrows
/// whose cards are off it are dimmed.
fn draw_arrows(v: &MapView, path: Option<&str>) -> impl IntoView {
    let width = v.stages.len().max(1) as f64 * STAGE_WIDTH;
    let stage_x = |id: &str| {
        v.stages
            .iter()
            .position(|s| s.id == id)
            .map(|i| (i as f64 + 0.5) * STAGE_WIDTH)
    };
    let card = |id: &str| v.cards.iter().find(|c| c.id == id);
    let hops = v
        .channel_switches
        .iter()
        .filter_map(|hop| {
            let (x1, x2) = (stage_x(&hop.from_stage)?, stage_x(&hop.to_stage)?);
            let y = HOP_BAND / 2.0 + 4.0;
            let label = format!(
                "{} → {}",
                channel_label(hop.from_channel).to_lowercase(),
                channel_label(hop.to_channel).to_lowercase()
            );
            Some(view! {
                <g class="hop" data-testid="hop-arrow" data-from-stage=hop.from_stage.clone() data-to-stage=hop.to_stage.clone()>
                    <line x1=x1 + 30.0 x2=x2 - 34.0 y1=y y2=y stroke=channel_color(hop.to_channel) marker-end="url(#switch-head)"/>
                    <text x=(x1 + x2) / 2.0 y=y - 6.0 text-anchor="middle">{label}</text>
                </g>
            })
        })
        .collect_view();
    let arcs = v
        .switches
        .iter()
        .enumerate()
        .filter_map(|(i, switch)| {
            let (from, to) = (card(&switch.from)?, card(&switch.to)?);
            let (x1, x2) = (stage_x(&from.stage)?, stage_x(&to.stage)?);
            let base = HOP_BAND + 8.0;
            let y = base + (i as f64 + 1.0) * ARC_STEP - 8.0;
            let d = if (x1 - x2).abs() < 1.0 {
                // Within one stage: a small loop.
                format!(
                    "M {:.1} {base:.1} C {:.1} {y:.1}, {:.1} {y:.1}, {:.1} {base:.1}",
                    x1 - 30.0,
                    x1 - 40.0,
                    x1 + 40.0,
                    x1 + 30.0
                )
            } else {
                format!("M {x1:.1} {base:.1} C {x1:.1} {y:.1}, {x2:.1} {y:.1}, {x2:.1} {base:.1}")
            };
            let color = to.channel.map(channel_color).unwrap_or("#475467");
            let name = |c: Option<Channel>| {
                c.map(|c| channel_label(c).to_lowercase())
                    .unwrap_or_else(|| t().no_channel.to_lowercase())
            };
            let label = format!("{} → {}", name(from.channel), name(to.channel));
            let off_path = path.is_some_and(|p| !(from.on_path(p) && to.on_path(p)));
            Some(view! {
                <g
                    class="switch-arc"
                    class:dimmed=off_path
                    data-testid="switch-arrow"
                    data-switch-id=switch.id.clone()
                    data-from=switch.from.clone()
                    data-to=switch.to.clone()
                >
                    <path d=d fill="none" stroke=color marker-end="url(#switch-head)"/>
                    <text x=(x1 + x2) / 2.0 y=y - 2.0 text-anchor="middle">
                        {label}
                        <title>{switch.note.clone()}</title>
                    </text>
                </g>
            })
        })
        .collect_view();
    let height = HOP_BAND + 12.0 + v.switches.len() as f64 * ARC_STEP;
    view! {
        <svg class="switch-arrows" width=width height=height viewBox=format!("0 0 {width} {height}") aria-hidden="true">
            <defs>
                <marker id="switch-head" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                    <path d="M 0 0 L 10 5 L 0 10 z" fill="context-stroke"/>
                </marker>
            </defs>
            {hops}
            {arcs}
        </svg>
    }
}

/// The hand-drawn switches as text: what each joins, its note (editable by editors),
/// and a remove button. The arcs above are drawn from the same list.
#[component]
fn SwitchList() -> impl IntoView {
    let ctx = BoardCtx::get();
    let ids = Memo::new(move |_| {
        ctx.view
            .with(|v| v.switches.iter().map(|s| s.id.clone()).collect::<Vec<_>>())
    });
    // Built only while open: the arrows above already show every switch.
    let open = RwSignal::new(false);
    move || {
        let count = ids.with(Vec::len);
        (count > 0).then(|| {
            view! {
                <details
                    class="switch-list-box"
                    data-testid="switch-list"
                    on:toggle=move |ev| open.set(details_open(&ev))
                    prop:open=move || open.get_untracked()
                >
                    <summary data-testid="switch-list-toggle">
                        {match count { 1 => t().one_switch_by_hand.to_owned(), n => fill(t().n_switches_by_hand, &[("n", &n)]) }}
                    </summary>
                    {move || open.get().then(|| view! {
                        <ul class="switch-list">
                            <For each=move || ids.get() key=|id| id.clone() let:id>
                                <SwitchItem id/>
                            </For>
                        </ul>
                    })}
                </details>
            }
        })
    }
}

/// One hand-drawn switch in the list.
#[component]
fn SwitchItem(id: String) -> impl IntoView {
    let ctx = BoardCtx::get();
    let key = id.clone();
    let described = Memo::new(move |_| {
        ctx.view.with(|v| {
            let switch = v.switches.iter().find(|s| s.id == key)?;
            let end = |card: &str| {
                let c = v.cards.iter().find(|c| c.id == card)?;
                let stage = v.stages.iter().find(|s| s.id == c.stage)?;
                let channel = c.channel.map(channel_label).unwrap_or(t().no_channel);
                Some(format!("{} · {} ({channel})", stage.name, c.text))
            };
            Some((end(&switch.from)?, end(&switch.to)?, switch.note.clone()))
        })
    });
    let text = move || {
        described.with(|d| {
            d.as_ref()
                .map(|(from, to, _)| format!("{from} → {to}"))
                .unwrap_or_default()
        })
    };
    let note = move || described.with(|d| d.as_ref().map(|d| d.2.clone()).unwrap_or_default());
    let body = if ctx.can_edit {
        let (note_id, remove_id) = (id.clone(), id.clone());
        view! {
            <input
                type="text"
                class="switch-note"
                data-testid="switch-note"
                aria-label=t().switch_note
                placeholder=t().switch_note_placeholder
                prop:value=note
                on:change=move |ev| {
                    let value = event_target_value(&ev);
                    ctx.live.edit(|txn| txn.set_text(TextTarget::SwitchNote(&note_id), &value));
                }
            />
            <button
                type="button"
                class="icon-button button-danger"
                data-testid="switch-remove"
                title=t().remove_switch
                on:click=move |_| {
                    ctx.live.edit(|txn| txn.remove_switch(&remove_id));
                }
            >
                "✕"
            </button>
        }
        .into_any()
    } else {
        view! { <span class="switch-note" data-testid="switch-note">{note}</span> }.into_any()
    };
    view! {
        <li class="switch-item" data-testid="switch-item" data-switch-id=id>
            <span class="switch-ends">{text}</span>
            {body}
        </li>
    }
}

/// On a touchpoint card, for editors: a button that opens a form to draw a switch from
/// this card to another touchpoint, with a note.
#[component]
pub fn DrawSwitch(card: String) -> impl IntoView {
    let ctx = BoardCtx::get();
    let open_id = card.clone();
    let open = Memo::new(move |_| ctx.switch_from.get().as_deref() == Some(open_id.as_str()));
    let toggle_id = card.clone();
    let toggle = move |_| {
        let now = ctx.switch_from.get_untracked();
        ctx.switch_from
            .set(if now.as_deref() == Some(toggle_id.as_str()) {
                None
            } else {
                Some(toggle_id.clone())
            });
    };
    view! {
        <button
            type="button"
            class="icon-button switch-draw"
            data-testid="switch-draw"
            title=t().draw_switch_title
            aria-expanded=move || open.get().to_string()
            on:click=toggle
        >
            "↪"
        </button>
        {move || open.get().then(|| view! { <SwitchForm from=card.clone()/> })}
    }
}

/// Picks the touchpoint a switch goes to and its note, then draws it.
#[component]
fn SwitchForm(from: String) -> impl IntoView {
    let ctx = BoardCtx::get();
    let from_id = from.clone();
    let targets = Memo::new(move |_| {
        ctx.view.with(|v| {
            let touch: Vec<&str> = v
                .lanes
                .iter()
                .filter(|l| l.kind == LaneKind::Touchpoints)
                .map(|l| l.id.as_str())
                .collect();
            v.cards
                .iter()
                .filter(|c| c.id != from_id && touch.contains(&c.lane.as_str()))
                .map(|c| {
                    let stage = v
                        .stages
                        .iter()
                        .find(|s| s.id == c.stage)
                        .map(|s| s.name.as_str())
                        .unwrap_or_default();
                    let channel = c.channel.map(channel_label).unwrap_or(t().no_channel);
                    (c.id.clone(), format!("{stage} · {} ({channel})", c.text))
                })
                .collect::<Vec<_>>()
        })
    });
    let to = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let target = to.get_untracked();
        if target.is_empty() {
            error.set(Some(t().pick_switch_target.into()));
            return;
        }
        let id = fresh_id();
        let result = ctx
            .live
            .edit(|txn| txn.add_switch(&id, &from, &target, &note.get_untracked()));
        match result {
            Some(Err(SchemaError::SelfSwitch(_))) => error.set(Some(t().switch_to_itself.into())),
            Some(Err(e)) => error.set(Some(fill(t().switch_failed, &[("why", &e)]))),

            _ => ctx.switch_from.set(None),
        }
    };
    view! {
        <form class="switch-form" data-testid="switch-form" on:submit=submit>
            <label>
                <span class="field-label">{t().switches_to}</span>
                <select
                    data-testid="switch-to"
                    on:change=move |ev| to.set(event_target_value(&ev))
                >
                    <option value="" selected=true>{t().pick_touchpoint}</option>
                    {move || targets.get().into_iter().map(|(id, label)| view! {
                        <option value=id>{label}</option>
                    }).collect_view()}
                </select>
            </label>
            <label>
                <span class="field-label">{t().note}</span>
                <input
                    type="text"
                    data-testid="switch-form-note"
                    placeholder=t().switch_form_note_placeholder
                    on:input=move |ev| note.set(event_target_value(&ev))
                />
            </label>
            {move || error.get().map(|e| view! { <p class="notice notice-error" role="alert">{e}</p> })}
            <div class="switch-form-actions">
                <button type="submit" class="button-small" data-testid="switch-submit">{t().draw_switch}</button>
                <button type="button" class="button-quiet button-small" on:click=move |_| ctx.switch_from.set(None)>
                    {t().cancel}

                </button>
            </div>
        </form>
    }
}
