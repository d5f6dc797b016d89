//! The map's head on the first page: objective, personas and the legend.

use parcours_shared::schema::{Channel, LaneKind};

use super::style::{channel_color, lane_colors, persona_color};
use super::text::{rect, text, wrap};
use super::{Board, MARGIN, PERSONA_W};
use crate::export::fonts;

/// Objective, personas and the legend; returns the y below them.
pub(super) fn head(body: &mut String, board: &Board<'_>, width: f32, mut y: f32) -> f32 {
    let view = board.view;
    let words = board.words;
    let regular = fonts::regular();
    let bold = fonts::bold();
    let avail = (width - 2.0 * MARGIN).min(1100.0);
    if !view.meta.objective.trim().is_empty() {
        y += 24.0;
        text(body, MARGIN, y, 12.0, true, "#1d2430", words.objective);
        for line in wrap(&view.meta.objective, regular, 12.0, avail, 8) {
            y += 16.0;
            text(body, MARGIN, y, 12.0, false, "#1d2430", &line);
        }
    }
    if !view.personas.is_empty() {
        y += 14.0;
        let per_row = (((width - 2.0 * MARGIN) / (PERSONA_W + 12.0)).floor() as usize).max(1);
        for row in view.personas.chunks(per_row) {
            let blocks: Vec<Vec<(bool, String)>> = row
                .iter()
                .map(|p| {
                    let mut lines = vec![(true, p.name.clone())];
                    for (label, field) in [
                        (words.segment, &p.segment),
                        (words.goals, &p.goals),
                        (words.pains, &p.pains),
                    ] {
                        if !field.trim().is_empty() {
                            for l in wrap(
                                &format!("{label}: {field}"),
                                regular,
                                10.5,
                                PERSONA_W - 20.0,
                                3,
                            ) {
                                lines.push((false, l));
                            }
                        }
                    }
                    lines
                })
                .collect();
            let h = blocks
                .iter()
                .map(|b| 14.0 * b.len() as f32 + 18.0)
                .fold(0.0, f32::max);
            for (k, (persona, lines)) in row.iter().zip(&blocks).enumerate() {
                let x = MARGIN + k as f32 * (PERSONA_W + 12.0);
                rect(body, x, y, PERSONA_W, h, 6.0, "#f7f8fa", Some("#d5dae1"));
                rect(
                    body,
                    x,
                    y,
                    5.0,
                    h,
                    2.0,
                    persona_color(view, &persona.id),
                    None,
                );
                for (j, (is_name, line)) in lines.iter().enumerate() {
                    let size = if *is_name { 12.5 } else { 10.5 };
                    text(
                        body,
                        x + 12.0,
                        y + 18.0 + 14.0 * j as f32,
                        size,
                        *is_name,
                        "#1d2430",
                        line,
                    );
                }
            }
            y += h + 10.0;
        }
    }
    // Legend: lane kinds present, channels used, curve styles.
    y += 14.0;
    let mut x = MARGIN;
    text(body, x, y, 10.5, true, "#1d2430", words.legend);
    x += bold.width(words.legend, 10.5) + 12.0;
    let mut kinds: Vec<LaneKind> = Vec::new();
    for lane in &view.lanes {
        if !kinds.contains(&lane.kind) {
            kinds.push(lane.kind);
        }
    }
    let mut channels: Vec<Channel> = view.cards.iter().filter_map(|c| c.channel).collect();
    channels.sort();
    channels.dedup();
    let mut items: Vec<(&str, String, bool)> = kinds
        .iter()
        .map(|k| (lane_colors(*k).0, words.kind(*k).to_owned(), false))
        .collect();
    items.extend(
        channels
            .iter()
            .map(|c| (channel_color(*c), words.channel(*c).to_owned(), true)),
    );
    if !view.emotions.is_empty() {
        items.push(("#5b6472", words.as_is_curve.to_owned(), false));
        items.push(("#5b6472", words.to_be_curve.to_owned(), false));
    }
    for (color, label, chip) in items {
        let w = regular.width(&label, 10.0) + 22.0;
        if x + w > width - MARGIN {
            x = MARGIN;
            y += 18.0;
        }
        if chip {
            rect(body, x, y - 10.0, w - 6.0, 14.0, 7.0, color, None);
            text(body, x + 8.0, y + 1.0, 10.0, false, "#ffffff", &label);
        } else {
            rect(body, x, y - 9.0, 10.0, 10.0, 2.0, color, None);
            text(body, x + 14.0, y, 10.0, false, "#1d2430", &label);
        }
        x += w;
    }
    y
}
