//! Small helpers the board's parts share, none of them a component: the stage
//! column's width, text-area sizing, focusing an element (or a new element's name)
//! once it is shown, and fresh entity ids.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Width of a stage column, in CSS pixels (the stylesheet's `--stage-width`).
pub const STAGE_WIDTH: f64 = 250.0;

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

/// Is the `<details>` a toggle event came from open now? (Lists built only while open.)
pub fn details_open(ev: &web_sys::Event) -> bool {
    ev.target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|d| d.has_attribute("open"))
}

/// Focuses the element `selector` finds at the next frame (once a change is rendered;
/// the element may be new).
pub fn focus_when_shown(selector: String) {
    when_shown::<web_sys::HtmlElement>(selector, |el| {
        let _ = el.focus();
    });
}

/// Focuses the text field `selector` finds at the next frame and selects its text, so
/// typing replaces a new element's default name.
pub fn name_when_shown(selector: String) {
    when_shown::<web_sys::HtmlInputElement>(selector, |input| {
        let _ = input.focus();
        input.select();
    });
}

/// Runs `then` at the next frame on the element `selector` finds, if it is a `T`.
fn when_shown<T: JsCast>(selector: String, then: impl FnOnce(T) + 'static) {
    request_animation_frame(move || {
        if let Some(el) = document()
            .query_selector(&selector)
            .ok()
            .flatten()
            .and_then(|el| el.dyn_into::<T>().ok())
        {
            then(el);
        }
    });
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
