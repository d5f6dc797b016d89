//! The emotion curve: one point per stage and persona, from −2 (very negative) to +2
//! (very positive); the as-is series solid, the to-be series dashed. Editors drag a
//! point up or down, or focus it (Tab) and press ↑/↓ to change its score and Delete
//! to clear it; each point is a labelled slider for assistive technology. With a path
//! picked, the curves of other personas than the path's fade.

use leptos::prelude::*;
use parcours_shared::schema::{EmotionSeries, MAX_SCORE, MIN_SCORE};
use parcours_shared::view::MapView;

use super::ctx::BoardCtx;
use super::layout::{focus_when_shown, STAGE_WIDTH};
use crate::i18n::{fill, t};
use crate::live::presence::color_for;

/// Height of the curve's drawing, in CSS pixels.
const HEIGHT: f64 = 150.0;
/// Room above +2 and below −2, so points are not clipped.
const PAD: f64 = 16.0;
/// Horizontal shift between personas' points in one stage, so they do not hide each other.
const PERSONA_SHIFT: f64 = 10.0;

/// The point being dragged: persona id, stage id and series.
type Dragged = (String, String, EmotionSeries);

/// The curve, as wide as the stage columns.
#[component]
pub fn EmotionCurve() -> impl IntoView {
    let ctx = BoardCtx::get();
    let dragged: RwSignal<Option<Dragged>> = RwSignal::new(None);
    let svg = NodeRef::<leptos::svg::Svg>::new();
    let width = move || {
        ctx.view
            .with(|v| v.stages.len().max(1) as f64 * STAGE_WIDTH)
    };
    let on_move = move |ev: leptos::ev::PointerEvent| {
        let Some((persona, stage, series)) = dragged.get_untracked() else {
            return;
        };
        let Some(el) = svg.get_untracked() else {
            return;
        };
        let top = el.get_bounding_client_rect().top();
        let score = score_at(f64::from(ev.client_y()) - top);
        let current = ctx
            .view
            .with_untracked(|v| score_of(v, &persona, &stage, series));
        if current != Some(score) {
            ctx.live
                .edit(|txn| txn.set_emotion(&persona, &stage, series, i64::from(score)));
        }
    };
    let on_down = move |ev: leptos::ev::PointerEvent| {
        if !ctx.can_edit {
            return;
        }
        let Some((persona, stage, series)) = point_of(ev.target()) else {
            return;
        };
        ev.prevent_default();
        if let Some(el) = svg.get_untracked() {
            let _ = el.set_pointer_capture(ev.pointer_id());
        }
        dragged.set(Some((persona, stage, series)));
    };
    let on_up = move |ev: leptos::ev::PointerEvent| {
        if dragged.get_untracked().is_some() {
            if let Some(el) = svg.get_untracked() {
                let _ = el.release_pointer_capture(ev.pointer_id());
            }
            dragged.set(None);
        }
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        if !ctx.can_edit {
            return;
        }
        let Some(point) = point_of(ev.target()) else {
            return;
        };
        let (persona, stage, series) = point;
        let current = ctx
            .view
            .with_untracked(|v| score_of(v, &persona, &stage, series));
        let next = match ev.key().as_str() {
            "ArrowUp" | "ArrowRight" => Some(current.map_or(0, |s| (s + 1).min(MAX_SCORE))),
            "ArrowDown" | "ArrowLeft" => Some(current.map_or(0, |s| (s - 1).max(MIN_SCORE))),
            "Home" => Some(MIN_SCORE),
            "End" => Some(MAX_SCORE),
            "Delete" | "Backspace" => None,
            _ => return,
        };
        ev.prevent_default();
        match next {
            Some(score) if Some(score) != current => {
                ctx.live
                    .edit(|txn| txn.set_emotion(&persona, &stage, series, i64::from(score)));
            }
            None if current.is_some() => {
                ctx.live
                    .edit(|txn| txn.clear_emotion(&persona, &stage, series));
            }
            _ => return,
        }
        // The drawing is redrawn: put the focus back on the same point.
        focus_when_shown(format!(
            "[data-testid^=emotion-point][data-persona-id=\"{persona}\"][data-stage-id=\"{stage}\"][data-series=\"{}\"]",
            series.as_str()
        ));
    };
    let focus_persona = Memo::new(move |_| {
        let path = ctx.path.get()?;
        ctx.view
            .with(|v| v.paths.iter().find(|p| p.id == path)?.persona.clone())
    });
    let drawing = move || {
        let focus = focus_persona.get();
        ctx.view.with(|v| draw(v, ctx.can_edit, focus.as_deref()))
    };
    view! {
        <div class="curve-cell">
            <svg
                node_ref=svg
                class="emotion-curve"
                class:editable=ctx.can_edit
                data-testid="emotion-curve"
                width=width
                height=HEIGHT
                viewBox=move || format!("0 0 {} {HEIGHT}", width())
                on:pointerdown=on_down
                on:pointermove=on_move
                on:pointerup=on_up
                on:pointercancel=on_up
                on:keydown=on_key
            >
                {drawing}
            </svg>
        </div>
    }
}

/// The point an event happened on: persona id, stage id and series.
fn point_of(target: Option<web_sys::EventTarget>) -> Option<Dragged> {
    use wasm_bindgen::JsCast;
    let target = target?.dyn_into::<web_sys::Element>().ok()?;
    let attr = |name: &str| target.get_attribute(name);
    Some((
        attr("data-persona-id")?,
        attr("data-stage-id")?,
        attr("data-series").and_then(|s| EmotionSeries::parse(&s))?,
    ))
}

/// Grid lines, then each persona's two series; with `focus` (the picked path's
/// persona), the other personas' curves are dimmed.
fn draw(v: &MapView, can_edit: bool, focus: Option<&str>) -> impl IntoView {
    let width = v.stages.len().max(1) as f64 * STAGE_WIDTH;
    let grid = (MIN_SCORE..=MAX_SCORE)
        .map(|score| {
            let y = y_of(score);
            view! {
                <line
                    class=if score == 0 { "curve-axis curve-zero" } else { "curve-axis" }
                    x1="0" x2=width y1=y y2=y
                />
            }
        })
        .collect_view();
    let persona_count = v.personas.len().max(1) as f64;
    let curves = v
        .emotions
        .iter()
        .filter_map(|curve| {
            let p = v.personas.iter().position(|p| p.id == curve.persona)?;
            let shift = (p as f64 - (persona_count - 1.0) / 2.0) * PERSONA_SHIFT;
            let color = color_for(&curve.persona);
            let to_be = curve.series == EmotionSeries::ToBe;
            let points: Vec<(f64, f64, Option<i8>, &str)> = curve
                .scores
                .iter()
                .zip(&v.stages)
                .enumerate()
                .map(|(i, (score, stage))| {
                    let x = (i as f64 + 0.5) * STAGE_WIDTH + shift;
                    (x, y_of(score.unwrap_or(0)), *score, stage.id.as_str())
                })
                .collect();
            let line: String = points
                .iter()
                .filter(|p| p.2.is_some())
                .map(|(x, y, _, _)| format!("{x:.1},{y:.1}"))
                .collect::<Vec<_>>()
                .join(" ");
            let testid = if to_be { "emotion-point-to-be" } else { "emotion-point" };
            let dots = points
                .iter()
                .map(|(x, y, score, stage)| {
                    let shown = score.map(|s| s.to_string()).unwrap_or_default();
                    let stage_name = v
                        .stages
                        .iter()
                        .find(|s| s.id == *stage)
                        .map(|s| s.name.as_str())
                        .unwrap_or_default();
                    let value_text = if shown.is_empty() { t().not_scored.to_owned() } else { shown.clone() };
                    let title = fill(
                        t().emotion_point,
                        &[
                            ("persona", &v.personas[p].name),
                            ("series", &if to_be { t().to_be } else { t().as_is }),
                            ("stage", &stage_name),
                            ("score", &value_text),
                        ],
                    );
                    let label = title.clone();

                    view! {
                        <circle
                            class="curve-point"
                            class:unscored=score.is_none()
                            class:to-be=to_be
                            data-testid=testid
                            data-persona-id=curve.persona.clone()
                            data-stage-id=stage.to_string()
                            data-series=curve.series.as_str()
                            data-score=shown
                            cx=*x
                            cy=*y
                            r=if can_edit { "7" } else { "5" }
                            fill=if score.is_some() && !to_be { color } else { "#fff" }
                            stroke=color
                            tabindex=can_edit.then_some("0")
                            role="slider"
                            aria-label=label
                            aria-valuemin=MIN_SCORE.to_string()
                            aria-valuemax=MAX_SCORE.to_string()
                            aria-valuenow=score.map(|s| s.to_string())
                            aria-valuetext=value_text
                        >
                            <title>{title}</title>
                        </circle>
                    }
                })
                .collect_view();
            let faded = focus.is_some_and(|f| f != curve.persona);
            Some(view! {
                <g class="curve" class:dimmed=faded data-persona-id=curve.persona.clone() data-series=curve.series.as_str()>
                    <polyline
                        points=line
                        fill="none"
                        stroke=color
                        stroke-width="2.5"
                        stroke-dasharray=if to_be { "6 5" } else { "" }
                    />
                    {dots}
                </g>
            })
        })
        .collect_view();
    view! { {grid} {curves} }
}

/// The score of a point in the live view.
fn score_of(v: &MapView, persona: &str, stage: &str, series: EmotionSeries) -> Option<i8> {
    let index = v.stages.iter().position(|s| s.id == stage)?;
    v.emotions
        .iter()
        .find(|c| c.persona == persona && c.series == series)
        .and_then(|c| c.scores.get(index).copied().flatten())
}

/// Vertical position of a score.
fn y_of(score: i8) -> f64 {
    let step = (HEIGHT - 2.0 * PAD) / f64::from(MAX_SCORE - MIN_SCORE);
    PAD + f64::from(MAX_SCORE - score) * step
}

/// The score nearest a vertical position.
fn score_at(y: f64) -> i8 {
    let step = (HEIGHT - 2.0 * PAD) / f64::from(MAX_SCORE - MIN_SCORE);
    let from_top = ((y - PAD) / step).round();
    let score = f64::from(MAX_SCORE) - from_top;
    score.clamp(f64::from(MIN_SCORE), f64::from(MAX_SCORE)) as i8
}
