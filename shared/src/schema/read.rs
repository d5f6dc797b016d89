//! Lenient readers of doc content: wrong types and missing keys become defaults.
//!
//! Everything here is shared by the editing API and the view, and never panics on
//! what a foreign client may have written.

use std::collections::HashMap;
use std::sync::Arc;

use yrs::{Any, GetString, Map, MapRef, Out, ReadTxn};

use super::keys;

/// A string stored as `Any::String`.
pub(crate) fn str_of(out: Option<Out>) -> Option<String> {
    match out {
        Some(Out::Any(Any::String(s))) => Some(s.to_string()),
        _ => None,
    }
}

/// A text field: a Y.Text, or a plain string a foreign client wrote instead.
pub(crate) fn text_of<T: ReadTxn>(txn: &T, out: Option<Out>) -> String {
    match out {
        Some(Out::YText(text)) => text.get_string(txn),
        Some(Out::Any(Any::String(s))) => s.to_string(),
        _ => String::new(),
    }
}

/// A finite number.
pub(crate) fn f64_of(out: Option<Out>) -> Option<f64> {
    match out {
        Some(Out::Any(Any::Number(n))) => n.as_f64().filter(|v| v.is_finite()),
        _ => None,
    }
}

/// An integral number.
pub(crate) fn i64_of(out: Option<Out>) -> Option<i64> {
    match out {
        Some(Out::Any(Any::Number(n))) => n.as_i64(),
        _ => None,
    }
}

/// The nested Y.Map stored under `id` in a root map.
pub(crate) fn entry<T: ReadTxn>(txn: &T, root: &MapRef, id: &str) -> Option<MapRef> {
    match root.get(txn, id) {
        Some(Out::YMap(map)) => Some(map),
        _ => None,
    }
}

/// The entries of a root map of ordered entities, sorted by (`order`, id).
pub(crate) fn ordered<T: ReadTxn>(txn: &T, root: &MapRef) -> Vec<Entry> {
    let mut entries: Vec<Entry> = root
        .iter(txn)
        .filter_map(|(id, out)| match out {
            Out::YMap(map) => {
                let order = str_of(map.get(txn, keys::ORDER)).unwrap_or_default();
                Some(Entry {
                    id: id.to_owned(),
                    order,
                    map,
                })
            }
            _ => None,
        })
        .collect();
    entries.sort_by(|a, b| (&a.order, &a.id).cmp(&(&b.order, &b.id)));
    entries
}

/// One ordered entity of a root map.
pub(crate) struct Entry {
    /// Its id (the key in the root map).
    pub id: String,
    /// Its fractional order key (empty when missing).
    pub order: String,
    /// Its fields.
    pub map: MapRef,
}

/// Where a card sits: the single `pos` value, written whole so a move is atomic.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct CardPos {
    /// Stage id.
    pub stage: String,
    /// Lane id.
    pub lane: String,
    /// Fractional order key within the cell.
    pub order: String,
}

impl CardPos {
    /// Reads a `pos` value; `None` when it is not a map with string stage and lane.
    pub fn read(out: Option<Out>) -> Option<CardPos> {
        let Some(Out::Any(Any::Map(map))) = out else {
            return None;
        };
        let get = |k: &str| match map.get(k) {
            Some(Any::String(s)) => Some(s.to_string()),
            _ => None,
        };
        Some(CardPos {
            stage: get(keys::POS_STAGE)?,
            lane: get(keys::POS_LANE)?,
            order: get(keys::POS_ORDER).unwrap_or_default(),
        })
    }

    /// The value written under `pos`.
    pub fn to_any(&self) -> Any {
        let map: HashMap<String, Any> = [
            (keys::POS_STAGE, &self.stage),
            (keys::POS_LANE, &self.lane),
            (keys::POS_ORDER, &self.order),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), Any::String(Arc::from(v.as_str()))))
        .collect();
        Any::Map(Arc::new(map))
    }
}

/// A card with its position, as read from the `cards` root.
pub(crate) struct PlacedCard {
    /// Card id.
    pub id: String,
    /// Its position.
    pub pos: CardPos,
    /// Its fields.
    pub map: MapRef,
}

/// Every card with a readable `pos`, sorted by (stage, lane, order, id).
pub(crate) fn placed_cards<T: ReadTxn>(txn: &T, cards: &MapRef) -> Vec<PlacedCard> {
    let mut all: Vec<PlacedCard> = cards
        .iter(txn)
        .filter_map(|(id, out)| match out {
            Out::YMap(map) => Some(PlacedCard {
                id: id.to_owned(),
                pos: CardPos::read(map.get(txn, keys::POS))?,
                map,
            }),
            _ => None,
        })
        .collect();
    all.sort_by(|a, b| {
        let ka = (&a.pos.stage, &a.pos.lane, &a.pos.order, &a.id);
        ka.cmp(&(&b.pos.stage, &b.pos.lane, &b.pos.order, &b.id))
    });
    all
}

/// The path ids a card's membership keys name (`path/{id}` set to anything but
/// `false`/`null`), plus its legacy single `path`; sorted, without duplicates. Paths
/// that no longer exist are the caller's to filter out.
pub(crate) fn card_paths<T: ReadTxn>(txn: &T, card: &MapRef) -> Vec<String> {
    let mut paths: Vec<String> = card
        .iter(txn)
        .filter_map(|(key, value)| {
            let id = key.strip_prefix(keys::ON_PATH_PREFIX)?;
            let yes = !matches!(
                value,
                Out::Any(Any::Bool(false)) | Out::Any(Any::Null) | Out::Any(Any::Undefined)
            );
            (yes && !id.is_empty()).then(|| id.to_owned())
        })
        .chain(str_of(card.get(txn, keys::PATH)))
        .collect();
    paths.sort();
    paths.dedup();
    paths
}

/// The emotion key of one score: `"{persona}/{stage}/{series}"`.
pub(crate) fn emotion_key(persona: &str, stage: &str, series: &str) -> String {
    format!("{persona}/{stage}/{series}")
}

/// Splits an emotion key into (persona, stage, series).
pub(crate) fn split_emotion_key(key: &str) -> Option<(&str, &str, &str)> {
    let mut parts = key.split('/');
    let found = (parts.next()?, parts.next()?, parts.next()?);
    parts.next().is_none().then_some(found)
}
