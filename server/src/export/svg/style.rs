//! Colours of lanes, channels and personas, and how numbers, shares and durations read.

use parcours_shared::schema::{Channel, LaneKind};
use parcours_shared::view::MapView;

pub(super) fn lane_colors(kind: LaneKind) -> (&'static str, &'static str) {
    match kind {
        LaneKind::Actions => ("#3b6fb6", "#e8f0fb"),
        LaneKind::Touchpoints => ("#1f8a70", "#e3f4ee"),
        LaneKind::Thoughts => ("#7a5cb8", "#f0ebfa"),
        LaneKind::Emotions => ("#c2571a", "#fcefe6"),
        LaneKind::PainPoints => ("#c0392b", "#fbe9e7"),
        LaneKind::Opportunities => ("#a07d05", "#fdf6d8"),
        LaneKind::Kpis => ("#2c3e50", "#e9eef3"),
        LaneKind::Backstage => ("#6d6d6d", "#f0f0f0"),
        LaneKind::Notes => ("#8e7b5a", "#f6f1e7"),
    }
}

pub(super) fn channel_color(channel: Channel) -> &'static str {
    match channel {
        Channel::Web => "#2f6fd1",
        Channel::App => "#8e44c9",
        Channel::Store => "#23924f",
        Channel::Phone => "#d9822b",
        Channel::Email => "#d64545",
        Channel::Social => "#1f8fb8",
        Channel::Partner => "#5a8f29",
        Channel::Chat => "#b04fb8",
        Channel::Mail => "#7a7a7a",
        Channel::Other => "#4f4f4f",
    }
}

const PERSONA_COLORS: [&str; 6] = [
    "#d35400", "#2980b9", "#8e44ad", "#16a085", "#c0392b", "#2c3e50",
];

pub(super) fn persona_color(view: &MapView, persona: &str) -> &'static str {
    let i = view
        .personas
        .iter()
        .position(|p| p.id == persona)
        .unwrap_or(0);
    PERSONA_COLORS[i % PERSONA_COLORS.len()]
}

/// 12 345 with a thin space between thousands.
pub(super) fn group(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push('\u{202F}');
        }
        out.push(c);
    }
    out
}

pub(super) fn pct(x: f64) -> String {
    format!("{:.0} %", x * 100.0)
}

pub(super) fn number(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{x:.0}")
    } else {
        format!("{x}")
    }
}
