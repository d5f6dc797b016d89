//! The board drawn as one SVG document: the map's head (title, objective, personas,
//! legend), then the grid — stage heads, the evidence row when analytics exist, one
//! row per lane with its cards, the emotion curves — for all stages or a range of them
//! (a PDF page). Text is wrapped with the bundled fonts' metrics, so the PNG and PDF
//! drawn from this SVG show it as laid out here. Sizes are CSS pixels (96 per inch).

use std::collections::HashMap;
use std::fmt::Write;
use std::ops::Range;

use parcours_shared::api::{Analysis, StageMetrics};
use parcours_shared::schema::{Channel, EmotionSeries, LaneKind};
use parcours_shared::view::{CardView, MapView};

use super::fonts::{self, Metrics, FAMILY};

/// Space around everything.
pub const MARGIN: f32 = 24.0;
/// Width of the lane heads' column.
pub const HEAD_W: f32 = 150.0;
/// Width of a stage's column.
pub const STAGE_W: f32 = 210.0;
const CARD_W: f32 = STAGE_W - 16.0;
const CARD_PAD: f32 = 7.0;
const CARD_GAP: f32 = 6.0;
const TEXT: f32 = 11.5;
const LINE: f32 = 14.0;
const DETAIL: f32 = 16.0;
/// Line height of a card's detail text, and most lines it shows.
const DETAIL_LINE: f32 = 12.5;
const DETAIL_LINES: usize = 3;
/// Most lines a card shows (the rest ends in an ellipsis).
const CARD_LINES: usize = 40;
const STAGE_HEAD_H: f32 = 40.0;
const EVIDENCE_H: f32 = 66.0;
const EMOTION_H: f32 = 150.0;
const MIN_LANE_H: f32 = 44.0;
const PERSONA_W: f32 = 250.0;

/// What to draw.
pub struct Board<'a> {
    /// The map (live or a past version).
    pub view: &'a MapView,
    /// The line under the title: what this is and when (e.g. "Live map, exported …").
    pub note: &'a str,
    /// The newest dataset's analysis, when the map has evidence and the reader may
    /// see it.
    pub evidence: Option<&'a Analysis>,
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
        let _ = write!(
            note,
            " · stages {first}–{last} of {} · page {page} of {pages}",
            view.stages.len()
        );
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
            "Evidence",
        );
        let cases = format!("{} cases", group(analysis.cases));
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
                    "no events mapped",
                );
                continue;
            };
            let lines = [
                format!("Reach {}", group(m.reach)),
                match (m.conversion, m.drop_off) {
                    (Some(c), Some(d)) => format!("Conversion {} · drop-off {}", pct(c), pct(d)),
                    _ => format!("Funnel {}", group(m.funnel)),
                },
                match m.median_ms_from_previous {
                    Some(ms) => format!("Median time from previous {}", duration(ms)),
                    None => "First stage".to_owned(),
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
                                    detail(c, &path_name),
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
            kind_label(lane.kind),
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
                    draw_detail(&mut body, cx + CARD_PAD, dy, d);
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
            "Emotion curve",
        );
        text(
            &mut body,
            x0 + 14.0,
            y + 36.0,
            10.0,
            false,
            "#5b6472",
            "+2 delighted … −2 upset",
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

/// Objective, personas and the legend; returns the y below them.
fn head(body: &mut String, board: &Board<'_>, width: f32, mut y: f32) -> f32 {
    let view = board.view;
    let regular = fonts::regular();
    let bold = fonts::bold();
    let avail = (width - 2.0 * MARGIN).min(1100.0);
    if !view.meta.objective.trim().is_empty() {
        y += 24.0;
        text(body, MARGIN, y, 12.0, true, "#1d2430", "Objective");
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
                        ("Segment", &p.segment),
                        ("Goals", &p.goals),
                        ("Pains", &p.pains),
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
    text(body, x, y, 10.5, true, "#1d2430", "Legend");
    x += bold.width("Legend", 10.5) + 12.0;
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
        .map(|k| (lane_colors(*k).0, kind_label(*k).to_owned(), false))
        .collect();
    items.extend(
        channels
            .iter()
            .map(|c| (channel_color(*c), c.as_str().to_owned(), true)),
    );
    if !view.emotions.is_empty() {
        items.push(("#5b6472", "as-is curve ——".to_owned(), false));
        items.push(("#5b6472", "to-be curve – – –".to_owned(), false));
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

/// The line under a card's text.
enum Detail {
    /// A touchpoint's channel chip.
    Channel(Channel, Option<String>),
    /// Any other line (owner and status, measures, path), wrapped.
    Lines(Vec<String>),
}

fn detail(card: &CardView, paths: &HashMap<&str, &str>) -> Option<Detail> {
    let path = card
        .path
        .as_deref()
        .and_then(|p| paths.get(p))
        .map(|p| format!("Path: {p}"));
    if let Some(channel) = card.channel {
        return Some(Detail::Channel(channel, path));
    }
    let mut parts: Vec<String> = Vec::new();
    if let Some(owner) = &card.owner {
        parts.push(owner.clone());
    }
    if let Some(status) = card.status {
        parts.push(status.as_str().replace('_', " "));
    }
    if let Some(kpi) = &card.kpi {
        // "12 %" reads as well as "12%"; "900 sign-ups" must not read "900sign-ups".
        let unit = match kpi.unit.as_deref() {
            Some(u) if u.starts_with(char::is_alphabetic) => format!(" {u}"),
            Some(u) => u.to_owned(),
            None => String::new(),
        };
        let v = |x: Option<f64>| x.map(|x| format!("{}{unit}", number(x)));
        let mut m = Vec::new();
        if let Some(b) = v(kpi.baseline) {
            m.push(format!("was {b}"));
        }
        if let Some(c) = v(kpi.current) {
            m.push(format!("now {c}"));
        }
        if let Some(t) = v(kpi.target) {
            m.push(format!("target {t}"));
        }
        if !m.is_empty() {
            parts.push(m.join(" · "));
        }
    }
    parts.extend(path);
    (!parts.is_empty()).then(|| {
        Detail::Lines(wrap(
            &parts.join(" · "),
            fonts::regular(),
            9.5,
            CARD_W - 2.0 * CARD_PAD,
            DETAIL_LINES,
        ))
    })
}

fn card_h(lines: &[String], detail: Option<&Detail>) -> f32 {
    2.0 * CARD_PAD
        + LINE * lines.len().max(1) as f32
        + match detail {
            None => 0.0,
            Some(Detail::Channel(..)) => DETAIL + 2.0,
            Some(Detail::Lines(lines)) => {
                DETAIL + 2.0 + DETAIL_LINE * (lines.len().max(1) - 1) as f32
            }
        }
}

fn draw_detail(body: &mut String, x: f32, y: f32, detail: &Detail) {
    match detail {
        Detail::Channel(channel, path) => {
            let label = channel.as_str();
            let w = fonts::regular().width(label, 9.5) + 14.0;
            rect(body, x, y, w, 14.0, 7.0, channel_color(*channel), None);
            text(body, x + 7.0, y + 10.5, 9.5, false, "#ffffff", label);
            if let Some(path) = path {
                let room = CARD_W - 2.0 * CARD_PAD - w - 6.0;
                let line = wrap(path, fonts::regular(), 9.5, room, 1);
                text(
                    body,
                    x + w + 6.0,
                    y + 10.5,
                    9.5,
                    false,
                    "#5b6472",
                    &line.concat(),
                );
            }
        }
        Detail::Lines(lines) => {
            for (i, line) in lines.iter().enumerate() {
                let ly = y + 10.5 + DETAIL_LINE * i as f32;
                text(body, x, ly, 9.5, false, "#4a5260", line);
            }
        }
    }
}

/// Splits `text` into lines at most `max_w` px wide at `size` (words kept whole unless
/// one alone is too wide), at most `max_lines` (the last ends in "…" if cut).
pub fn wrap(text: &str, font: &Metrics, size: f32, max_w: f32, max_lines: usize) -> Vec<String> {
    let space = font.advance(' ') * size;
    let mut lines: Vec<String> = Vec::new();
    let mut cut = false;
    'paragraphs: for paragraph in text.split('\n') {
        let mut line = String::new();
        let mut w = 0.0;
        for word in paragraph.split_whitespace() {
            let ww = font.width(word, size);
            if !line.is_empty() && w + space + ww <= max_w {
                line.push(' ');
                line.push_str(word);
                w += space + ww;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                if lines.len() >= max_lines {
                    cut = true;
                    break 'paragraphs;
                }
            }
            if ww <= max_w {
                line.push_str(word);
                w = ww;
                continue;
            }
            // A word wider than the line: broken where it fills one.
            w = 0.0;
            for c in word.chars() {
                let cw = font.advance(c) * size;
                if w + cw > max_w && !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                    w = 0.0;
                    if lines.len() >= max_lines {
                        cut = true;
                        break 'paragraphs;
                    }
                }
                line.push(c);
                w += cw;
            }
        }
        if !line.is_empty() {
            lines.push(line);
            if lines.len() >= max_lines {
                cut = paragraph_rest_follows(text, &lines);
                break;
            }
        }
    }
    if cut {
        if let Some(last) = lines.last_mut() {
            while !last.is_empty() && font.width(last, size) + font.width("…", size) > max_w {
                last.pop();
            }
            last.push('…');
        }
    }
    if lines.is_empty() {
        lines.push(String::new());
    }
    lines
}

/// Whether words remain after `lines` (compared by count of non-space characters).
fn paragraph_rest_follows(text: &str, lines: &[String]) -> bool {
    let shown: usize = lines
        .iter()
        .map(|l| l.chars().filter(|c| !c.is_whitespace()).count())
        .sum();
    text.chars().filter(|c| !c.is_whitespace()).count() > shown
}

fn text(body: &mut String, x: f32, y: f32, size: f32, bold: bool, fill: &str, content: &str) {
    if content.trim().is_empty() {
        return;
    }
    let weight = if bold { r#" font-weight="bold""# } else { "" };
    let _ = write!(
        body,
        r#"<text x="{x:.1}" y="{y:.1}" font-size="{size}" fill="{fill}"{weight} xml:space="preserve">{}</text>"#,
        escape(content)
    );
}

#[allow(clippy::too_many_arguments)]
fn rect(
    body: &mut String,
    x: f32,
    y: f32,
    w: f32,
    h: f32,
    r: f32,
    fill: &str,
    stroke: Option<&str>,
) {
    let stroke = stroke
        .map(|s| format!(r#" stroke="{s}" stroke-width="1""#))
        .unwrap_or_default();
    let _ = write!(
        body,
        r#"<rect x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{h:.1}" rx="{r}" fill="{fill}"{stroke}/>"#
    );
}

/// Text safe inside an XML element: markup characters escaped, characters XML 1.0
/// forbids (most controls, U+FFFE, U+FFFF) dropped, tabs as spaces.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(' '),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

fn lane_colors(kind: LaneKind) -> (&'static str, &'static str) {
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

fn kind_label(kind: LaneKind) -> &'static str {
    match kind {
        LaneKind::Actions => "actions",
        LaneKind::Touchpoints => "touchpoints",
        LaneKind::Thoughts => "thoughts",
        LaneKind::Emotions => "emotions",
        LaneKind::PainPoints => "pain points",
        LaneKind::Opportunities => "opportunities",
        LaneKind::Kpis => "KPIs",
        LaneKind::Backstage => "backstage",
        LaneKind::Notes => "notes",
    }
}

fn channel_color(channel: Channel) -> &'static str {
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

fn persona_color(view: &MapView, persona: &str) -> &'static str {
    let i = view
        .personas
        .iter()
        .position(|p| p.id == persona)
        .unwrap_or(0);
    PERSONA_COLORS[i % PERSONA_COLORS.len()]
}

/// 12 345 with a thin space between thousands.
fn group(n: u64) -> String {
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

fn pct(x: f64) -> String {
    format!("{:.0} %", x * 100.0)
}

fn number(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{x:.0}")
    } else {
        format!("{x}")
    }
}

/// A duration in the largest unit that reads well.
fn duration(ms: i64) -> String {
    let s = ms as f64 / 1000.0;
    if s < 90.0 {
        format!("{s:.0} s")
    } else if s < 5400.0 {
        format!("{:.0} min", s / 60.0)
    } else if s < 129_600.0 {
        format!("{:.1} h", s / 3600.0)
    } else {
        format!("{:.1} d", s / 86_400.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_keeps_every_word_and_fits() {
        let font = fonts::regular();
        let text = "Compare current accounts online then book a branch appointment";
        let lines = wrap(text, font, 11.5, 120.0, 40);
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| font.width(l, 11.5) <= 120.0));
        assert_eq!(lines.join(" "), text);
        let long = "x".repeat(500);
        let lines = wrap(&long, font, 11.5, 100.0, 3);
        assert_eq!(lines.len(), 3);
        assert!(lines[2].ends_with('…'));
    }

    #[test]
    fn escaping_drops_what_xml_forbids() {
        assert_eq!(
            escape("a<b>&\"c\u{0}\u{1b}d\u{FFFF}"),
            "a&lt;b&gt;&amp;&quot;cd"
        );
    }
}
