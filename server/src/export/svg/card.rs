//! The line under a card's text: a touchpoint's channel chip, or an opportunity's owner
//! and status, a KPI's measures, the card's path.

use std::collections::HashMap;

use parcours_shared::schema::Channel;
use parcours_shared::view::CardView;

use super::style::{channel_color, number};
use super::text::{rect, text, wrap};
use super::{CARD_PAD, CARD_W, DETAIL, DETAIL_LINE, DETAIL_LINES, LINE};
use crate::export::fonts;
use crate::export::words::Words;

/// The line under a card's text.
pub(super) enum Detail {
    /// A touchpoint's channel chip.
    Channel(Channel, Option<String>),
    /// Any other line (owner and status, measures, path), wrapped.
    Lines(Vec<String>),
}

pub(super) fn detail(
    card: &CardView,
    paths: &HashMap<&str, &str>,
    words: &Words,
) -> Option<Detail> {
    let names: Vec<&str> = card
        .paths
        .iter()
        .filter_map(|p| paths.get(p.as_str()).copied())
        .collect();
    let path = match names.len() {
        0 => None,
        1 => Some(words.fill(words.path, &[("names", &names[0])])),
        _ => Some(words.fill(words.paths, &[("names", &names.join(", "))])),
    };
    if let Some(channel) = card.channel {
        return Some(Detail::Channel(channel, path));
    }
    let mut parts: Vec<String> = Vec::new();
    if let Some(owner) = &card.owner {
        parts.push(owner.clone());
    }
    if let Some(status) = card.status {
        parts.push(words.status(status).to_owned());
    }
    if let Some(kpi) = &card.kpi {
        // "12 %" reads as well as "12%"; "900 sign-ups" must not read "900sign-ups".
        let unit = match kpi.unit.as_deref() {
            Some(u) if u.starts_with(char::is_alphabetic) => format!(" {u}"),
            Some(u) => u.to_owned(),
            None => String::new(),
        };
        let v = |x: Option<f64>| x.map(|x| format!("{}{unit}", words.decimal(number(x))));
        let mut m = Vec::new();
        if let Some(b) = v(kpi.baseline) {
            m.push(words.fill(words.was, &[("value", &b)]));
        }
        if let Some(c) = v(kpi.current) {
            m.push(words.fill(words.now, &[("value", &c)]));
        }
        if let Some(t) = v(kpi.target) {
            m.push(words.fill(words.target, &[("value", &t)]));
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

pub(super) fn card_h(lines: &[String], detail: Option<&Detail>) -> f32 {
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

pub(super) fn draw_detail(body: &mut String, x: f32, y: f32, detail: &Detail, words: &Words) {
    match detail {
        Detail::Channel(channel, path) => {
            let label = words.channel(*channel);
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
