//! Restoring a past state as a forward change: the live document's entries are made
//! equal to the past document's, in one transaction, so every peer receives an
//! ordinary update (no rewrite of the log, no reload) and the change is itself in the
//! history, attributed to the server on behalf of whoever asked.

use std::panic::{catch_unwind, AssertUnwindSafe};

use parcours_shared::ids::UserId;
use yrs::types::ToJson;
use yrs::{
    Any, Doc, GetString, Map, MapPrelim, MapRef, Out, ReadTxn, Text, TextPrelim, Transact,
    TransactionMut, WriteTxn,
};

use super::touch::ROOTS;
use super::{Action, RoomDoc};
use crate::store::Author;
use crate::sync::wire;

/// What to restore.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Scope {
    /// Every element of the map.
    Whole,
    /// One element: an entry of any root with this key (a card, stage, lane, persona,
    /// path or emotion id, or a map field such as `title`).
    Element(String),
}

/// Why a restore did nothing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum RestoreError {
    /// The element exists neither then nor now.
    #[error("no element `{0}` in the map then or now")]
    NoSuchElement(String),
    /// yrs failed midway (never seen); nothing was applied.
    #[error("the restore could not be applied")]
    Failed,
}

impl RoomDoc {
    /// Makes the live document equal to `past` (or one element of it), as `by`. What
    /// changed is broadcast to every peer and persisted as the server's change.
    /// Returns how many elements changed.
    pub(crate) fn restore(
        &mut self,
        past: &Doc,
        scope: &Scope,
        by: &UserId,
        out: &mut Vec<Action>,
    ) -> Result<usize, RestoreError> {
        let live = self.doc().clone();
        let past = past.clone();
        let scope = scope.clone();
        let outcome = catch_unwind(AssertUnwindSafe(
            move || -> Result<Option<Vec<u8>>, RestoreError> {
                let past_txn = past.transact();
                let mut txn = live.transact_mut();
                match &scope {
                    Scope::Whole => {
                        for root in ROOTS {
                            let target = txn.get_or_insert_map(root);
                            match past_txn.get_map(root) {
                                Some(source) => sync_map(&mut txn, &target, &past_txn, &source),
                                None => clear_map(&mut txn, &target),
                            }
                        }
                    }
                    Scope::Element(key) => {
                        let mut found = false;
                        for root in ROOTS {
                            let then = past_txn.get_map(root).and_then(|m| m.get(&past_txn, key));
                            let target = txn.get_or_insert_map(root);
                            let now_there = target.get(&txn, key).is_some();
                            if then.is_none() && !now_there {
                                continue;
                            }
                            found = true;
                            match then {
                                Some(value) => sync_entry(&mut txn, &target, key, &past_txn, value),
                                None => {
                                    target.remove(&mut txn, key);
                                }
                            }
                        }
                        if !found {
                            return Err(RestoreError::NoSuchElement(key.clone()));
                        }
                    }
                }
                Ok(txn.has_changes().then(|| txn.encode_update_v1()))
            },
        ));
        let encoded = match outcome {
            Ok(Ok(encoded)) => encoded,
            Ok(Err(e)) => {
                self.touched.clear();
                return Err(e);
            }
            Err(_) => {
                self.touched.clear();
                tracing::error!(map = %self.map, "restore panicked in yrs");
                return Err(RestoreError::Failed);
            }
        };
        let changed = self.touched.take(self.doc());
        let count = changed.len();
        if let Some(update) = encoded {
            crate::metrics::inc(&self.metrics.updates_applied);
            out.push(Action::Broadcast {
                except: None,
                message: wire::sync_update(update.clone()),
            });
            out.push(Action::Persist {
                update,
                author: Author::Server(Some(by.clone())),
                changed,
            });
        }
        Ok(count)
    }
}

/// Makes `target` (live) hold exactly `source`'s (past) entries.
fn sync_map<T: ReadTxn>(txn: &mut TransactionMut, target: &MapRef, past: &T, source: &MapRef) {
    let extra: Vec<String> = target
        .keys(txn)
        .filter(|k| source.get(past, k).is_none())
        .map(str::to_owned)
        .collect();
    for key in extra {
        target.remove(txn, &key);
    }
    let entries: Vec<(String, Out)> = source.iter(past).map(|(k, v)| (k.to_owned(), v)).collect();
    for (key, value) in entries {
        sync_entry(txn, target, &key, past, value);
    }
}

/// Removes every entry of `target`.
fn clear_map(txn: &mut TransactionMut, target: &MapRef) {
    let keys: Vec<String> = target.keys(txn).map(str::to_owned).collect();
    for key in keys {
        target.remove(txn, &key);
    }
}

/// Makes `target[key]` equal to the past `value`, touching nothing already equal:
/// nested maps are synced entry by entry, texts replaced only when they differ.
fn sync_entry<T: ReadTxn>(
    txn: &mut TransactionMut,
    target: &MapRef,
    key: &str,
    past: &T,
    value: Out,
) {
    let current = target.get(txn, key);
    match value {
        Out::YMap(source) => {
            let nested = match current {
                Some(Out::YMap(m)) => m,
                _ => target.insert(txn, key, MapPrelim::default()),
            };
            sync_map(txn, &nested, past, &source);
        }
        Out::YText(source) => {
            let text = source.get_string(past);
            match current {
                Some(Out::YText(live)) => {
                    if live.get_string(txn) != text {
                        let len = live.len(txn);
                        live.remove_range(txn, 0, len);
                        live.insert(txn, 0, &text);
                    }
                }
                _ => {
                    target.insert(txn, key, TextPrelim::new(text));
                }
            }
        }
        Out::Any(any) => {
            if !matches!(&current, Some(Out::Any(live)) if *live == any) {
                target.insert(txn, key, any);
            }
        }
        other => {
            // Not part of the schema; carried over as its JSON value.
            let any: Any = other.to_json(past);
            if !matches!(&current, Some(Out::Any(live)) if *live == any) {
                target.insert(txn, key, any);
            }
        }
    }
}
