//! Going to the place that fixes a failing check: the board element scrolled into view,
//! outlined a moment, and the control that fixes it focused (the objective field, the
//! "+ Card" button of a cell or its blank card, a persona's empty field, a card's owner
//! or channel, an emotion point).

use leptos::prelude::*;
use parcours_shared::method::FixTarget;
use wasm_bindgen::JsCast;

use super::Method;
use crate::format::lane_kind_label;
use crate::i18n::{fill, t};
use crate::pages::map::evidence::{Evidence, Tab};

/// How long the element to fix stays outlined.
const FLASH_MS: u64 = 1600;

/// One way to fix a check: what the button says, and where it goes.
pub struct Fix {
    /// The button's words.
    pub label: String,
    /// Where it goes.
    pub go: Go,
}

/// Where a fix button goes.
#[derive(Clone)]
pub enum Go {
    /// A place on the board.
    Board(FixTarget),
    /// The rounds bar ("Start a review round").
    Rounds,
    /// The evidence panel's event logs.
    EventLogs,
}

/// The ways to fix a check with `target`: one, but two for validation (a round, or an
/// event log, where the page offers them).
pub fn fixes(target: &FixTarget, can_edit: bool) -> Vec<Fix> {
    let fix = |label: String, go: Go| Fix { label, go };
    if *target == FixTarget::Validation {
        let mut ways = vec![fix(
            if can_edit {
                t().start_round
            } else {
                t().review_rounds
            }
            .into(),
            Go::Rounds,
        )];
        if Evidence::get().is_some() {
            ways.push(fix(
                if can_edit {
                    t().import_log
                } else {
                    t().tab_data
                }
                .into(),
                Go::EventLogs,
            ));
        }
        return ways;
    }
    let label = if !can_edit {
        t().fix_show_where.to_owned()
    } else {
        match target {
            FixTarget::Objective => t().fix_objective.into(),
            FixTarget::Personas => t().fix_add_persona.into(),
            FixTarget::Persona(_) => t().fix_persona.into(),
            FixTarget::NewStage => t().fix_add_stage.into(),
            FixTarget::Stage(_) => t().fix_name_stage.into(),
            FixTarget::NewLane(kind) => {
                fill(t().fix_add_lane, &[("lane", &lane_kind_label(*kind))])
            }
            FixTarget::Cell { .. } => t().fix_cell.into(),
            FixTarget::Emotion { .. } => t().fix_point.into(),
            FixTarget::Card(_) => t().fix_card.into(),
            FixTarget::Paths => t().fix_paths.into(),
            FixTarget::Path(_) => t().fix_path.into(),

            FixTarget::Validation => String::new(),
        }
    };
    vec![fix(label, Go::Board(target.clone()))]
}

/// Scrolls to the place of `go`, outlines it and focuses the control that fixes it.
pub fn go_to(m: Method, go: &Go) {
    match go {
        Go::Rounds => show(
            "[data-testid=round-start]",
            &["[data-testid=round-start]".to_owned()],
        ),
        Go::EventLogs => {
            if let Some(e) = Evidence::get() {
                e.open.set(true);
                e.tab.set(Tab::Data);
            }
            // The panel renders at the next frame.
            request_animation_frame(|| show("[data-testid=evidence-panel]", &[]));
        }
        Go::Board(target) => {
            let (place, controls) = board_place(m, target);
            show(&place, &controls);
        }
    }
}

/// The element to show for `target` and the controls to try focusing, in order.
fn board_place(m: Method, target: &FixTarget) -> (String, Vec<String>) {
    let q = |s: &str| format!("\"{s}\"");
    match target {
        FixTarget::Objective => (
            "[data-testid=objective]".into(),
            vec!["[data-testid=objective]".into()],
        ),
        FixTarget::Personas => (
            "[data-testid=persona-panel]".into(),
            vec!["[data-testid=persona-add]".into()],
        ),
        FixTarget::Persona(id) => {
            let card = format!("[data-testid=persona][data-persona-id={}]", q(id));
            // The first of goals and pains still blank.
            let first = if persona_goals_blank(m, id) {
                "goals"
            } else {
                "pains"
            };
            let controls = vec![format!("{card} [data-testid=persona-{first}]")];
            (card, controls)
        }
        FixTarget::NewStage => (
            "[data-testid=stage-add]".into(),
            vec!["[data-testid=stage-add]".into()],
        ),
        FixTarget::Stage(id) => {
            let col = format!("[data-testid=stage-col][data-stage-id={}]", q(id));
            let controls = vec![format!("{col} [data-testid=stage-name]")];
            (col, controls)
        }
        FixTarget::NewLane(_) => (
            "[data-testid=lane-add-kind]".into(),
            vec!["[data-testid=lane-add-kind]".into()],
        ),
        FixTarget::Cell { stage, lane } => {
            let cell = format!(
                "[data-testid=cell][data-stage-id={}][data-lane-id={}]",
                q(stage),
                q(lane)
            );
            // A blank card already there gets the words; otherwise "+ Card".
            let blank = m.view.with_untracked(|v| {
                v.cards
                    .iter()
                    .find(|c| &c.stage == stage && &c.lane == lane && c.text.trim().is_empty())
                    .map(|c| c.id.clone())
            });
            let mut controls = Vec::new();
            if let Some(card) = blank {
                controls.push(format!(
                    "[data-card-id={}] [data-testid=card-text]",
                    q(&card)
                ));
            }
            controls.push(format!("{cell} [data-testid=card-add]"));
            (cell, controls)
        }
        FixTarget::Emotion { persona, stage } => {
            let point = format!(
                "[data-testid=emotion-point][data-persona-id={}][data-stage-id={}]",
                q(persona),
                q(stage)
            );
            (point.clone(), vec![point])
        }
        FixTarget::Card(id) => {
            let card = format!("[data-testid=card][data-card-id={}]", q(id));
            let controls = ["card-owner", "card-channel", "card-text"]
                .iter()
                .map(|t| format!("{card} [data-testid={t}]"))
                .collect();
            (card, controls)
        }
        FixTarget::Paths => (
            "[data-testid=path-panel]".into(),
            vec!["[data-testid=path-add]".into()],
        ),
        FixTarget::Path(id) => {
            let path = format!("[data-testid=path-item][data-path-id={}]", q(id));
            let controls = vec![format!("{path} [data-testid=path-condition]")];
            (path, controls)
        }
        FixTarget::Validation => ("[data-testid=round-start]".into(), Vec::new()),
    }
}

/// The persona's goals are blank.
fn persona_goals_blank(m: Method, id: &str) -> bool {
    m.view.with_untracked(|v| {
        v.personas
            .iter()
            .find(|p| p.id == id)
            .is_some_and(|p| p.goals.trim().is_empty())
    })
}

/// Scrolls `place` to the middle of the screen, outlines it a moment and focuses the
/// first of `controls` found.
fn show(place: &str, controls: &[String]) {
    let doc = document();
    let Some(el) = doc.query_selector(place).ok().flatten() else {
        return;
    };
    center(&el);
    // One outline at a time: the place of the last fix followed.
    while let Some(earlier) = doc.query_selector(".method-flash").ok().flatten() {
        if earlier.class_list().remove_1("method-flash").is_err() {
            break;
        }
    }
    let _ = el.class_list().add_1("method-flash");
    let flashed = el.clone();
    set_timeout(
        move || {
            let _ = flashed.class_list().remove_1("method-flash");
        },
        std::time::Duration::from_millis(FLASH_MS),
    );
    if let Some(control) = controls
        .iter()
        .find_map(|c| doc.query_selector(c).ok().flatten())
    {
        focus(&control);
    }
}

/// Scrolls `el` to the middle of the screen, clear of the board's sticky stage and
/// lane heads (`scrollIntoView({block: "center", inline: "center"})`).
fn center(el: &web_sys::Element) {
    let options = js_sys::Object::new();
    for key in ["block", "inline"] {
        let _ = js_sys::Reflect::set(&options, &key.into(), &"center".into());
    }
    call(el, "scrollIntoView", &options);
}

/// Calls `focus()` on any element (HTML or SVG: an emotion point is an SVG circle).
/// It was just centred: focusing does not scroll again.
fn focus(el: &web_sys::Element) {
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"preventScroll".into(), &true.into());
    call(el, "focus", &options);
}

/// Calls the method `name` of `el` with one argument (methods web-sys leaves
/// out without more features, or only has on HTML elements).
fn call(el: &web_sys::Element, name: &str, arg: &js_sys::Object) {
    let Ok(f) = js_sys::Reflect::get(el, &name.into()) else {
        return;
    };
    let Some(f) = f.dyn_ref::<js_sys::Function>() else {
        return;
    };
    let _ = f.call1(el, arg);
}
