//! Presentation mode: the map shown full screen, one step at a time, for a workshop or
//! a leadership review. The first step puts the objective and the personas up front;
//! then one step per stage, its emotion scores and pain points first and large, the
//! other lanes below; the last step is the whole journey (the curve and the pain
//! points of every stage side by side). Arrow keys, Page Up/Down, Space, Home and End
//! move; Escape (or "Exit") returns to the board where it was, since the board stays
//! underneath and keeps its scroll.

use leptos::prelude::*;
use parcours_shared::schema::{EmotionSeries, LaneKind};
use parcours_shared::view::{CardView, MapView};

use crate::format::{channel_label, status_label};
use crate::i18n::{fill, t};

/// Which step is shown, `None` when not presenting; shared through context so that the
/// head's button, the overlay and presence (following) read the same signal.
#[derive(Clone, Copy)]
pub struct Presentation {
    pub step: RwSignal<Option<usize>>,
    view: Memo<MapView>,
}

/// What one step shows.
#[derive(Clone, Debug, PartialEq)]
pub enum Slide {
    /// Title, objective and personas.
    Opening,
    /// The stage at this index.
    Stage(usize),
    /// Every stage side by side.
    Journey,
}

/// The slide of step `step` on a map of `stages` stages (steps past the end show the
/// journey, so a step received from a presenter with more stages still shows
/// something).
pub fn slide_of(step: usize, stages: usize) -> Slide {
    match step {
        0 => Slide::Opening,
        n if n <= stages => Slide::Stage(n - 1),
        _ => Slide::Journey,
    }
}

/// Number of steps on a map of `stages` stages: the opening, each stage, the journey.
pub fn step_count(stages: usize) -> usize {
    stages + 2
}

impl Presentation {
    /// Creates the state and provides it as context.
    pub fn install(view: Memo<MapView>) -> Presentation {
        let p = Presentation {
            step: RwSignal::new(None),
            view,
        };
        provide_context(p);
        p
    }

    /// The state provided by [`Presentation::install`], if any.
    pub fn get() -> Option<Presentation> {
        use_context::<Presentation>()
    }

    /// Steps of the map as it is now (untracked).
    fn steps(self) -> usize {
        step_count(self.view.with_untracked(|v| v.stages.len()))
    }

    /// Starts presenting at `step` (clamped), full screen where the browser allows it.
    pub fn start(self, step: usize) {
        self.step.set(Some(step.min(self.steps() - 1)));
        if let Some(root) = document().document_element() {
            // Refused without a user gesture (a follower's page) or in some browsers:
            // the overlay covers the window anyway.
            let _ = root.request_fullscreen();
        }
    }

    /// Shows step `step` (clamped) without asking for full screen: a follower's page
    /// copying its presenter (browsers refuse full screen without a gesture anyway).
    pub fn show(self, step: usize) {
        let step = step.min(self.steps() - 1);
        if self.step.get_untracked() != Some(step) {
            self.step.set(Some(step));
        }
    }

    /// The name of stage `id` (tracked), if it exists.
    pub fn stage_name(self, id: &str) -> Option<String> {
        self.view
            .with(|v| v.stages.iter().find(|s| s.id == id).map(|s| s.name.clone()))
    }

    /// Moves by `delta` steps (clamped to the first and last).
    pub fn go(self, delta: isize) {
        let last = self.steps() - 1;
        self.step.update(|step| {
            if let Some(step) = step {
                *step = step.saturating_add_signed(delta).min(last);
            }
        });
    }

    /// Goes to step `step` (clamped).
    pub fn go_to(self, step: usize) {
        let last = self.steps() - 1;
        self.step.update(|s| {
            if s.is_some() {
                *s = Some(step.min(last));
            }
        });
    }

    /// Leaves presentation mode (and full screen).
    pub fn stop(self) {
        self.step.set(None);
        if document().fullscreen_element().is_some() {
            document().exit_fullscreen();
        }
    }
}

/// The head's "Present" button.
#[component]
pub fn PresentButton() -> impl IntoView {
    let Some(p) = Presentation::get() else {
        return ().into_any();
    };
    view! {
        <button
            type="button"
            class="button-quiet"
            data-testid="present-open"
            title=t().present_title
            on:click=move |_| p.start(0)
        >
            {t().present}
        </button>
    }
    .into_any()
}

/// The full-screen overlay, while presenting.
#[component]
pub fn PresentationOverlay() -> impl IntoView {
    let Some(p) = Presentation::get() else {
        return ().into_any();
    };
    let keys = window_event_listener(leptos::ev::keydown, move |ev| {
        if p.step.get_untracked().is_none() || ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
            return;
        }
        match ev.key().as_str() {
            "ArrowRight" | "ArrowDown" | "PageDown" | " " => p.go(1),
            "ArrowLeft" | "ArrowUp" | "PageUp" => p.go(-1),
            "Home" => p.go_to(0),
            "End" => p.go_to(usize::MAX),
            "Escape" => p.stop(),
            _ => return,
        }
        ev.prevent_default();
    });
    on_cleanup(move || keys.remove());
    let shown = move || {
        let step = p.step.get()?;
        let (count, slide) = p
            .view
            .with(|v| (step_count(v.stages.len()), slide_of(step, v.stages.len())));
        let body = match slide {
            Slide::Opening => view! { <Opening view=p.view/> }.into_any(),
            Slide::Stage(index) => view! { <StageSlide view=p.view index/> }.into_any(),
            Slide::Journey => view! { <JourneySlide view=p.view/> }.into_any(),
        };
        let title = p.view.with(|v| v.meta.title.clone());
        let label = fill(t().presentation_of, &[("title", &title)]);
        Some(view! {
            <div
                class="presentation"
                role="dialog"
                aria-modal="true"
                aria-label=label
                data-testid="presentation"
                data-step=step.to_string()
            >
                <header class="presentation-bar">
                    <span class="presentation-title">{title}</span>
                    <span class="presentation-count" data-testid="presentation-count">
                        {format!("{} / {}", step + 1, count)}
                    </span>
                    <button type="button" class="button-quiet" data-testid="presentation-prev"
                        disabled=step == 0 on:click=move |_| p.go(-1)>{t().previous}</button>
                    <button type="button" class="button-quiet" data-testid="presentation-next"
                        disabled={step + 1 >= count} on:click=move |_| p.go(1)>{t().next}</button>
                    <button type="button" class="button-quiet" data-testid="presentation-exit"
                        on:click=move |_| p.stop()>{t().exit}</button>
                </header>
                <div class="presentation-slide">{body}</div>
            </div>
        })
    };
    shown.into_any()
}

/// Screens at most this wide (CSS pixels) get [`PhoneBoard`] instead of the board.
pub const PHONE_MAX_PX: f64 = 700.0;

/// Whether the window is phone-narrow (tracked: follows resizes and rotations).
pub fn phone_screen() -> Signal<bool> {
    let width = || {
        window()
            .inner_width()
            .ok()
            .and_then(|w| w.as_f64())
            .unwrap_or(f64::MAX)
    };
    let narrow = RwSignal::new(width() <= PHONE_MAX_PX);
    // Switching layouts rebuilds the board (and forgets what it held, such as the path
    // followed): only a width that holds for a moment counts, not the brief resizes of
    // a full-page capture or a window being dragged.
    let handle = window_event_listener(leptos::ev::resize, move |_| {
        set_timeout(
            move || {
                let now = width() <= PHONE_MAX_PX;
                if narrow.try_get_untracked().is_some_and(|was| was != now) {
                    narrow.set(now);
                }
            },
            std::time::Duration::from_millis(400),
        );
    });
    on_cleanup(move || handle.remove());
    narrow.into()
}

/// The map on a phone: read-only, one step at a time like a presentation (the opening,
/// each stage with its lanes stacked, the whole journey), picked from a list or with
/// the arrows; it follows live edits. Comments stay usable below it.
#[component]
pub fn PhoneBoard(
    /// The map shown, re-read after every change.
    view: Memo<MapView>,
) -> impl IntoView {
    // A phone opens on the first stage, once the live map has one (it may still be
    // loading), unless the person has moved already.
    let step = RwSignal::new(0usize);
    let count = Memo::new(move |_| view.with(|v| step_count(v.stages.len())));
    let moved = StoredValue::new(false);
    Effect::new(move |_| {
        if !moved.get_value() && count.get() > 2 && step.get_untracked() == 0 {
            step.set(1);
        }
    });
    let go = move |to: usize| {
        moved.set_value(true);
        step.set(to.min(count.get_untracked() - 1));
    };
    let options = move || {
        view.with(|v| {
            let t = t();
            let mut labels = vec![t.overview_step.to_owned()];
            labels.extend(
                v.stages
                    .iter()
                    .enumerate()
                    .map(|(i, s)| fill(t.stage_n, &[("n", &(i + 1)), ("name", &s.name)])),
            );
            labels.push(t.whole_journey.to_owned());
            labels
                .into_iter()
                .enumerate()
                .map(|(i, label)| view! { <option value=i.to_string()>{label}</option> })
                .collect_view()
        })
    };
    let body = move || {
        let step = step.get().min(count.get() - 1);
        match view.with(|v| slide_of(step, v.stages.len())) {
            Slide::Opening => view! { <Opening view/> }.into_any(),
            Slide::Stage(index) => {
                view.track();
                view! { <StageSlide view index/> }.into_any()
            }
            Slide::Journey => {
                view.track();
                view! { <div class="phone-journey"><JourneySlide view/></div> }.into_any()
            }
        }
    };
    view! {
        <section class="phone-board" data-testid="phone-board" aria-label=t().phone_board>
            <nav class="phone-steps" aria-label=t().stages_nav>
                <button type="button" class="button-quiet" data-testid="phone-prev"
                    disabled=move || step.get() == 0
                    on:click=move |_| go(step.get_untracked().saturating_sub(1))>
                    <span aria-hidden="true">"←"</span>
                    <span class="visually-hidden">{t().previous_step}</span>
                </button>
                <select
                    data-testid="phone-step"
                    aria-label=t().step
                    prop:value=move || step.get().to_string()
                    on:change=move |ev| {
                        if let Ok(n) = event_target_value(&ev).parse::<usize>() {
                            go(n);
                        }
                    }
                >
                    {options}
                </select>
                <button type="button" class="button-quiet" data-testid="phone-next"
                    disabled={move || step.get() + 1 >= count.get()}
                    on:click=move |_| go(step.get_untracked() + 1)>
                    <span aria-hidden="true">"→"</span>
                    <span class="visually-hidden">{t().next_step}</span>
                </button>
            </nav>
            {body}
            <p class="muted phone-note">{t().phone_note}</p>
        </section>
    }
}

/// Step 0: the map's title, objective and personas.
#[component]
fn Opening(view: Memo<MapView>) -> impl IntoView {
    let v = view.get_untracked();
    let personas = v
        .personas
        .iter()
        .map(|p| {
            let line = |label: &'static str, text: &str| {
                (!text.trim().is_empty()).then(|| {
                    view! {
                        <p><strong>{label}</strong>" "{text.to_owned()}</p>
                    }
                })
            };
            view! {
                <article class="presentation-persona" data-testid="presentation-persona">
                    <h3>{p.name.clone()}</h3>
                    {line(t().segment_label, &p.segment)}
                    {line(t().goals_label, &p.goals)}
                    {line(t().pains_label, &p.pains)}
                    {line(t().preferences_label, &p.preferences)}
                </article>
            }
        })
        .collect_view();
    let objective = if v.meta.objective.trim().is_empty() {
        t().no_objective.to_owned()
    } else {
        v.meta.objective.clone()
    };
    view! {
        <section class="slide slide-opening" data-testid="slide-opening">
            <h2>{v.meta.title.clone()}</h2>
            <p class="presentation-objective" data-testid="presentation-objective">{objective}</p>
            <div class="presentation-personas">{personas}</div>
            <p class="muted">{fill(t().stages_to_begin, &[("n", &v.stages.len())])}</p>
        </section>
    }
}

/// The cards of stage `stage` in lanes of `kind`, in lane then card order.
fn cards_in<'v>(v: &'v MapView, stage: &str, kind: LaneKind) -> Vec<&'v CardView> {
    v.lanes
        .iter()
        .filter(|l| l.kind == kind)
        .flat_map(|l| {
            v.cards
                .iter()
                .filter(move |c| c.stage == stage && c.lane == l.id && !c.text.trim().is_empty())
        })
        .collect()
}

/// Each persona's as-is (and to-be) score at stage `index`.
fn scores_at(v: &MapView, index: usize) -> Vec<(String, Option<i8>, Option<i8>)> {
    let score = |persona: &str, series| {
        v.emotions
            .iter()
            .find(|c| c.persona == persona && c.series == series)
            .and_then(|c| c.scores.get(index).copied().flatten())
    };
    v.personas
        .iter()
        .map(|p| {
            (
                p.name.clone(),
                score(&p.id, EmotionSeries::AsIs),
                score(&p.id, EmotionSeries::ToBe),
            )
        })
        .collect()
}

/// How a score is coloured: below zero negative, above positive.
fn tone_of(score: Option<i8>) -> &'static str {
    match score {
        Some(s) if s < 0 => "negative",
        Some(s) if s > 0 => "positive",
        _ => "neutral",
    }
}

/// A score as read aloud: its sign and a word.
fn score_text(score: Option<i8>) -> String {
    match score {
        None => t().not_scored.to_owned(),
        Some(s) => {
            let word = match s {
                i8::MIN..=-2 => t().very_negative,
                -1 => t().negative,
                0 => t().neutral,
                1 => t().positive,
                _ => t().very_positive,
            };
            format!("{s:+} {word}")
        }
    }
}

/// One stage: emotions and pain points first, then every other lane.
#[component]
fn StageSlide(view: Memo<MapView>, index: usize) -> impl IntoView {
    let v = view.get_untracked();
    let Some(stage) = v.stages.get(index).cloned() else {
        return ().into_any();
    };
    let emotions = scores_at(&v, index)
        .into_iter()
        .map(|(name, as_is, to_be)| {
            let tone = tone_of(as_is);
            view! {
                <li class="presentation-emotion" data-tone=tone data-testid="presentation-emotion">
                    <span class="presentation-score">{score_text(as_is)}</span>
                    " "<span>{name}</span>
                    {to_be.map(|aim| view! { <span class="muted">{fill(t().aim, &[("score", &score_text(Some(aim)))])}</span> })}
                </li>
            }
        })
        .collect_view();
    let pains = cards_in(&v, &stage.id, LaneKind::PainPoints)
        .into_iter()
        .map(|c| view! { <li data-testid="presentation-pain">{c.text.clone()}</li> })
        .collect_view();
    let others = [
        LaneKind::Actions,
        LaneKind::Touchpoints,
        LaneKind::Thoughts,
        LaneKind::Opportunities,
        LaneKind::Kpis,
        LaneKind::Backstage,
        LaneKind::Notes,
    ]
    .into_iter()
    .filter_map(|kind| {
        let cards = cards_in(&v, &stage.id, kind);
        if cards.is_empty() {
            return None;
        }
        let name = v
            .lanes
            .iter()
            .find(|l| l.kind == kind)
            .map(|l| l.name.clone())
            .unwrap_or_default();
        let items = cards
            .into_iter()
            .map(|c| {
                let extra = match kind {
                    LaneKind::Touchpoints => c.channel.map(|ch| format!(" ({})", channel_label(ch))),
                    LaneKind::Opportunities => {
                        let mut parts = Vec::new();
                        if let Some(owner) = c.owner.as_ref().filter(|o| !o.is_empty()) {
                            parts.push(owner.clone());
                        }
                        if let Some(status) = c.status {
                            parts.push(status_label(status).to_owned());
                        }
                        (!parts.is_empty()).then(|| format!(" ({})", parts.join(", ")))
                    }
                    _ => None,
                };
                view! { <li>{c.text.clone()}{extra.map(|e| view! { <span class="muted">{e}</span> })}</li> }
            })
            .collect_view();
        Some(view! {
            <section class="presentation-lane" data-lane-kind=kind.as_str()>
                <h3>{name}</h3>
                <ul>{items}</ul>
            </section>
        })
    })
    .collect_view();
    let pain_count = cards_in(&v, &stage.id, LaneKind::PainPoints).len();
    view! {
        <section class="slide slide-stage" data-testid="slide-stage" data-stage-id=stage.id.clone()>
            <p class="muted">{fill(t().stage_n_of, &[("n", &(index + 1)), ("count", &v.stages.len())])}</p>
            <h2 data-testid="presentation-stage-name">{stage.name.clone()}</h2>
            <div class="presentation-emphasis">
                <section class="presentation-feelings">
                    <h3>{t().how_it_feels}</h3>
                    <ul>{emotions}</ul>
                </section>
                <section class="presentation-pains">
                    <h3>{fill(t().pain_points_n, &[("n", &pain_count)])}</h3>
                    {if pain_count == 0 {
                        view! { <p class="muted">{t().no_pain}</p> }.into_any()
                    } else {
                        view! { <ul>{pains}</ul> }.into_any()
                    }}
                </section>
            </div>
            <div class="presentation-lanes">{others}</div>
        </section>
    }
    .into_any()
}

/// The last step: every stage's scores and pain points side by side.
#[component]
fn JourneySlide(view: Memo<MapView>) -> impl IntoView {
    let v = view.get_untracked();
    let heads = v
        .stages
        .iter()
        .map(|s| view! { <th scope="col">{s.name.clone()}</th> })
        .collect_view();
    // Each stage's scores, read once: [stage][persona].
    let by_stage: Vec<_> = (0..v.stages.len()).map(|i| scores_at(&v, i)).collect();
    let persona_rows = v
        .personas
        .iter()
        .enumerate()
        .map(|(p, persona)| {
            let cells = by_stage
                .iter()
                .map(|scores| {
                    let score = scores.get(p).and_then(|s| s.1);
                    view! { <td data-tone=tone_of(score)>{score_text(score)}</td> }
                })
                .collect_view();
            view! { <tr><th scope="row">{persona.name.clone()}</th>{cells}</tr> }
        })
        .collect_view();
    let pain_cells = v
        .stages
        .iter()
        .map(|s| {
            let pains = cards_in(&v, &s.id, LaneKind::PainPoints)
                .into_iter()
                .map(|c| view! { <li>{c.text.clone()}</li> })
                .collect_view();
            view! { <td class="presentation-pains"><ul>{pains}</ul></td> }
        })
        .collect_view();
    view! {
        <section class="slide slide-journey" data-testid="slide-journey">
            <h2>{t().whole_journey}</h2>
            <table class="presentation-journey">
                <thead><tr><td></td>{heads}</tr></thead>
                <tbody>
                    {persona_rows}
                    <tr><th scope="row">{t().pain_points}</th>{pain_cells}</tr>
                </tbody>
            </table>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_run_from_the_opening_through_each_stage_to_the_journey() {
        assert_eq!(step_count(3), 5);
        assert_eq!(slide_of(0, 3), Slide::Opening);
        assert_eq!(slide_of(1, 3), Slide::Stage(0));
        assert_eq!(slide_of(3, 3), Slide::Stage(2));
        assert_eq!(slide_of(4, 3), Slide::Journey);
        // A step from a presenter whose map had more stages still shows something.
        assert_eq!(slide_of(9, 3), Slide::Journey);
        assert_eq!(slide_of(1, 0), Slide::Journey);
    }

    #[test]
    fn scores_read_with_their_sign_and_a_word() {
        assert_eq!(score_text(Some(-2)), "-2 very negative");
        assert_eq!(score_text(Some(0)), "+0 neutral");
        assert_eq!(score_text(Some(2)), "+2 very positive");
        assert_eq!(score_text(None), "not scored");
    }
}
