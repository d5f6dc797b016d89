//! The board drawn as one SVG document: the map's head (title, objective, personas,
//! legend), then the grid — stage heads, the evidence row when analytics exist, one
//! row per lane with its cards, the emotion curves — for all stages or a range of them
//! (a PDF page). Text is wrapped with the bundled fonts' metrics, so the PNG and PDF
//! drawn from this SVG show it as laid out here. Sizes are CSS pixels (96 per inch).
//!
//! Over 400 lines because [`draw`] is the board's layout read from top to bottom (head,
//! stage heads, evidence row, lanes, emotion curve), each band's sizes beside its
//! drawing; the pieces it calls live in `head` (title block and legend), `card` (a
//! card's detail line), `text` (wrapping, escaping, SVG elements) and `style` (colours,
//! numbers).

mod card;
mod head;
mod style;
mod text;

pub use text::{escape, wrap};

use card::{card_h, detail, draw_detail, Detail};
use head::head;
use style::{group, lane_colors, pct, persona_color};
use text::{rect, text};

use std::collections::HashMap;
use std::fmt::Write;
use std::ops::Range;

use parcours_shared::api::{Analysis, StageMetrics};
use parcours_shared::schema::EmotionSeries;
use parcours_shared::view::{CardView, MapView};

use super::fonts::{self, FAMILY};
use super::words::Words;

/// Space around everything.
pub const MARGIN: f32 = 24.0;
/// Width of the lane heads' column.
pub const HEAD_W: f32 = 150.0;
/// Width of a stage's column.
pub const STAGE_W: f32 = 210.0;
pub(super) const CARD_W: f32 = STAGE_W - 16.0;
pub(super) const CARD_PAD: f32 = 7.0;
const CARD_GAP: f32 = 6.0;
const TEXT: f32 = 11.5;
pub(super) const LINE: f32 = 14.0;
pub(super) const DETAIL: f32 = 16.0;
/// Line height of a card's detail text, and most lines it shows.
pub(super) const DETAIL_LINE: f32 = 12.5;
pub(super) const DETAIL_LINES: usize = 3;
/// Most lines a card shows (the rest ends in an ellipsis).
const CARD_LINES: usize = 40;
const STAGE_HEAD_H: f32 = 40.0;
const EVIDENCE_H: f32 = 66.0;
const EMOTION_H: f32 = 150.0;
const MIN_LANE_H: f32 = 44.0;
pub(super) const PERSONA_W: f32 = 250.0;

/// What to draw.
pub struct Board<'a> {
    /// The map (live or a past version).
    pub view: &'a MapView,
    /// The line under the title: what this is and when (e.g. "Live map, exported …").
    pub note: &'a str,
    /// The newest dataset's analysis, when the map has evidence and the reader may
    /// see it.
    pub evidence: Option<&'a Analysis>,
    /// The drawing's own words, in the reader's language.
    pub words: &'a Words,
}

/// Which part of the board: a range of stages, with the full head or a short one.
#[derive(Clone, Debug)]
pub struct Part {
    /// Stage indexes drawn.
    pub stages: Range<usize>,
    /// Title, objective, personas and legend (first page), or the title line only.
    pub full_head: bool,
    /// "Page 2 of 3", on paged PDFs.
    pub page: Option<(usize, usize)>,
}

impl Part {
    /// The whole board on one surface.
    pub fn all(view: &MapView) -> Part {
        Part {
            stages: 0..view.stages.len(),
            full_head: true,
            page: None,
        }
    }
}

/// A drawn SVG and its size in CSS pixels.
pub struct Svg {
    pub text: String,
    pub width: f32,
    pub height: f32,
}

/// How many stages fit across a page `width` CSS pixels wide (at least one).
pub fn stages_per_page(width: f32) -> usize {
    (((width - 2.0 * MARGIN - HEAD_W) / STAGE_W).floor() as usize).max(1)
}

/// Draws `part` of the board.
pub fn draw(board: &Board<'_>, part: &Part) -> Svg {
    let view = board.view;
    let words = board.words;
    let regular = fonts::regular();
    let bold = fonts::bold();
    let stages = &view.stages[part.stages.clone()];
    let grid_w = HEAD_W + STAGE_W * stages.len() as f32;
    let width = (grid_w + 2.0 * MARGIN).max(640.0);
    let mut out = String::with_capacity(64 * 1024 + view.cards.len() * 600);
    let mut body = String::with_capacity(out.capacity());

    // The head.
    let mut y = MARGIN;
    let title = wrap(&view.meta.title, bold, 22.0, width - 2.0 * MARGIN, 3);
    for line in &title {
        y += 27.0;
        text(&mut body, MARGIN, y, 22.0, true, "#1d2430", line);
    }
    y += 18.0;
    let mut note = board.note.to_owned();
    if let Some((page, pages)) = part.page {
        let (first, last) = (part.stages.start + 1, part.stages.end);
        note.push_str(&words.fill(
            words.pages,
            &[
                ("first", &first),
                ("last", &last),
                ("count", &view.stages.len()),
                ("page", &page),
                ("pages", &pages),
            ],
        ));
    }
    text(&mut body, MARGIN, y, 11.0, false, "#5b6472", &note);
    if part.full_head {
        y = head(&mut body, board, width, y);
    }
    y += 18.0;

    // The grid.
    let x0 = MARGIN;
    let y0 = y;
    let col = |i: usize| x0 + HEAD_W + STAGE_W * i as f32;
    for (i, stage) in stages.iter().enumerate() {
        rect(
            &mut body,
            col(i) + 2.0,
            y0,
            STAGE_W - 4.0,
            STAGE_HEAD_H,
            6.0,
            "#1d2430",
            None,
        );
        let lines = wrap(&stage.name, bold, 12.5, STAGE_W - 20.0, 2);
        let top = y0 + if lines.len() > 1 { 17.0 } else { 25.0 };
        for (j, line) in lines.iter().enumerate() {
            text(
                &mut body,
                col(i) + 12.0,
                top + 15.0 * j as f32,
                12.5,
                true,
                "#ffffff",
                line,
            );
        }
    }
    y = y0 + STAGE_HEAD_H + 6.0;

    if let Some(analysis) = board.evidence {
        let metrics: HashMap<&str, &StageMetrics> = analysis
            .stages
            .iter()
            .map(|m| (m.stage.as_str(), m))
            .collect();
        rect(
            &mut body,
            x0,
            y,
            HEAD_W - 6.0,
            EVIDENCE_H,
            4.0,
            "#eef3f8",
            Some("#9fb3c8"),
        );
        text(
            &mut body,
            x0 + 10.0,
            y + 20.0,
            12.0,
            true,
            "#1d2430",
            words.evidence,
        );
        let cases = words.fill(words.cases, &[("n", &group(analysis.cases))]);
        text(
            &mut body,
            x0 + 10.0,
            y + 37.0,
            10.5,
            false,
            "#5b6472",
            &cases,
        );
        for (i, stage) in stages.iter().enumerate() {
            rect(
                &mut body,
                col(i) + 2.0,
                y,
                STAGE_W - 4.0,
                EVIDENCE_H,
                4.0,
                "#eef3f8",
                Some("#9fb3c8"),
            );
            let Some(m) = metrics.get(stage.id.as_str()) else {
                text(
                    &mut body,
                    col(i) + 10.0,
                    y + 20.0,
                    10.5,
                    false,
                    "#5b6472",
                    words.no_events,
                );
                continue;
            };
            let lines = [
                words.fill(words.reach, &[("n", &group(m.reach))]),
                match (m.conversion, m.drop_off) {
                    (Some(c), Some(d)) => words.fill(
                        words.conversion,
                        &[("conversion", &pct(c)), ("drop", &pct(d))],
                    ),
                    _ => words.fill(words.funnel, &[("n", &group(m.funnel))]),
                },
                match m.median_ms_from_previous {
                    Some(ms) => words.fill(words.median, &[("time", &words.duration(ms))]),
                    None => words.first_stage.to_owned(),
                },
            ];
            for (j, line) in lines.iter().enumerate() {
                text(
                    &mut body,
                    col(i) + 10.0,
                    y + 18.0 + 17.0 * j as f32,
                    10.5,
                    j == 0,
                    "#1d2430",
                    line,
                );
            }
        }
        y += EVIDENCE_H + 6.0;
    }

    // Lanes and their cards.
    let stage_at: HashMap<&str, usize> = stages
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.as_str(), i))
        .collect();
    let path_name: HashMap<&str, &str> = view
        .paths
        .iter()
        .map(|p| (p.id.as_str(), p.name.as_str()))
        .collect();
    let mut cells: HashMap<(&str, usize), Vec<&CardView>> = HashMap::new();
    for card in &view.cards {
        if let Some(&i) = stage_at.get(card.stage.as_str()) {
            cells.entry((card.lane.as_str(), i)).or_default().push(card);
        }
    }
    for lane in &view.lanes {
        let (accent, fill) = lane_colors(lane.kind);
        let drawn: Vec<Vec<(Vec<String>, Option<Detail>)>> = (0..stages.len())
            .map(|i| {
                cells
                    .get(&(lane.id.as_str(), i))
                    .map(|cards| {
                        cards
                            .iter()
                            .map(|c| {
                                (
                                    wrap(
                                        &c.text,
                                        regular,
                                        TEXT,
                                        CARD_W - 2.0 * CARD_PAD,
                                        CARD_LINES,
                                    ),
                                    detail(c, &path_name, words),
                                )
                            })
                            .collect()
                    })
                    .unwrap_or_default()
            })
            .collect();
        let cell_h = |cards: &Vec<(Vec<String>, Option<Detail>)>| {
            cards
                .iter()
                .map(|(lines, d)| card_h(lines, d.as_ref()) + CARD_GAP)
                .sum::<f32>()
                + CARD_GAP
        };
        let lane_h = drawn.iter().map(cell_h).fold(MIN_LANE_H, f32::max);
        rect(
            &mut body,
            x0,
            y,
            HEAD_W - 6.0,
            lane_h,
            4.0,
            "#f7f8fa",
            Some("#d5dae1"),
        );
        rect(&mut body, x0, y, 5.0, lane_h, 2.0, accent, None);
        let name = wrap(&lane.name, bold, 12.0, HEAD_W - 24.0, 3);
        for (j, line) in name.iter().enumerate() {
            text(
                &mut body,
                x0 + 14.0,
                y + 20.0 + 15.0 * j as f32,
                12.0,
                true,
                "#1d2430",
                line,
            );
        }
        let kind_y = y + 20.0 + 15.0 * name.len() as f32;
        text(
            &mut body,
            x0 + 14.0,
            kind_y,
            10.0,
            false,
            "#5b6472",
            words.kind(lane.kind),
        );
        for (i, cards) in drawn.iter().enumerate() {
            rect(
                &mut body,
                col(i) + 2.0,
                y,
                STAGE_W - 4.0,
                lane_h,
                4.0,
                "#fbfbfc",
                Some("#e3e6ea"),
            );
            let mut cy = y + CARD_GAP;
            for (lines, d) in cards {
                let h = card_h(lines, d.as_ref());
                let cx = col(i) + 8.0;
                rect(&mut body, cx, cy, CARD_W, h, 5.0, fill, Some(accent));
                for (j, line) in lines.iter().enumerate() {
                    text(
                        &mut body,
                        cx + CARD_PAD,
                        cy + CARD_PAD + 11.0 + LINE * j as f32,
                        TEXT,
                        false,
                        "#1d2430",
                        line,
                    );
                }
                if let Some(d) = d {
                    let dy = cy + CARD_PAD + LINE * lines.len() as f32 + 2.0;
                    draw_detail(&mut body, cx + CARD_PAD, dy, d, words);
                }
                cy += h + CARD_GAP;
            }
        }
        y += lane_h + 6.0;
    }

    // Emotion curves.
    let curves: Vec<_> = view
        .emotions
        .iter()
        .filter(|c| {
            part.stages
                .clone()
                .any(|i| c.scores.get(i).copied().flatten().is_some())
        })
        .collect();
    if !curves.is_empty() {
        rect(
            &mut body,
            x0,
            y,
            HEAD_W - 6.0,
            EMOTION_H,
            4.0,
            "#f7f8fa",
            Some("#d5dae1"),
        );
        text(
            &mut body,
            x0 + 14.0,
            y + 20.0,
            12.0,
            true,
            "#1d2430",
            words.emotion_curve,
        );
        text(
            &mut body,
            x0 + 14.0,
            y + 36.0,
            10.0,
            false,
            "#5b6472",
            words.emotion_scale,
        );
        let top = y + 14.0;
        let span = EMOTION_H - 28.0;
        let score_y = |s: i8| top + span * (2.0 - f32::from(s)) / 4.0;
        for s in -2..=2i8 {
            let ly = score_y(s);
            let _ = write!(
                body,
                r##"<line x1="{:.1}" y1="{ly:.1}" x2="{:.1}" y2="{ly:.1}" stroke="{}" stroke-width="1"/>"##,
                col(0),
                col(stages.len()),
                if s == 0 { "#b9c0ca" } else { "#e6e9ed" }
            );
        }
        for curve in curves {
            let color = persona_color(view, &curve.persona);
            let dash = if curve.series == EmotionSeries::ToBe {
                r#" stroke-dasharray="6 4""#
            } else {
                ""
            };
            let mut run: Vec<(f32, f32)> = Vec::new();
            let mut runs = Vec::new();
            for (k, i) in part.stages.clone().enumerate() {
                match curve.scores.get(i).copied().flatten() {
                    Some(s) => run.push((col(k) + STAGE_W / 2.0, score_y(s))),
                    None => runs.push(std::mem::take(&mut run)),
                }
            }
            runs.push(run);
            for run in runs.iter().filter(|r| !r.is_empty()) {
                let points: Vec<String> =
                    run.iter().map(|(x, y)| format!("{x:.1},{y:.1}")).collect();
                let _ = write!(
                    body,
                    r#"<polyline points="{}" fill="none" stroke="{color}" stroke-width="2.5"{dash}/>"#,
                    points.join(" ")
                );
                for (x, y) in run {
                    let _ = write!(
                        body,
                        r#"<circle cx="{x:.1}" cy="{y:.1}" r="3.5" fill="{color}"/>"#
                    );
                }
            }
        }
        y += EMOTION_H + 6.0;
    }

    let height = y + MARGIN;
    let _ = write!(
        out,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0}" height="{height:.0}" viewBox="0 0 {width:.0} {height:.0}" font-family="{FAMILY}"><title>{}</title><rect width="100%" height="100%" fill="#ffffff"/>"##,
        escape(&view.meta.title)
    );
    out.push_str(&body);
    out.push_str("</svg>");
    Svg {
        text: out,
        width: width.ceil(),
        height: height.ceil(),
    }
}
