//! Which elements a transaction changed: deep observers on the schema's root maps note
//! the key of every entry that changed (a card, a stage, a persona, a map field...), so
//! each persisted batch says what it changed and each element's state after it — what
//! blame reads, instead of replaying the log.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use parcours_shared::schema::keys;
use yrs::types::ToJson;
use yrs::types::{EntryChange, Event, PathSegment};
use yrs::{DeepObservable, Doc, Map, ReadTxn, Transact};

use crate::store::ElementState;

/// The document roots whose entries are elements.
pub const ROOTS: [&str; 8] = [
    keys::META,
    keys::PERSONAS,
    keys::STAGES,
    keys::LANES,
    keys::CARDS,
    keys::EMOTIONS,
    keys::PATHS,
    keys::SWITCHES,
];

/// The origin key the observers are registered under.
const OBSERVER: &str = "parcours-history";

/// Elements changed since the last [`Touched::take`]: `true` when the element's key
/// was (re)inserted in its root (created, or replaced whole).
#[derive(Clone, Default)]
pub(crate) struct Touched {
    seen: Arc<Mutex<BTreeMap<(&'static str, String), bool>>>,
}

impl Touched {
    /// Starts noting the changes of `doc`'s transactions.
    pub(crate) fn watch(doc: &Doc) -> Touched {
        let touched = Touched::default();
        for root in ROOTS {
            let map = doc.get_or_insert_map(root);
            let seen = touched.seen.clone();
            map.observe_deep(OBSERVER, move |txn, events| {
                let mut seen = seen.lock().unwrap_or_else(|p| p.into_inner());
                for event in events.iter() {
                    match event.path().front() {
                        Some(PathSegment::Key(key)) => {
                            seen.entry((root, key.to_string())).or_insert(false);
                        }
                        Some(PathSegment::Index(_)) => {}
                        None => {
                            if let Event::Map(m) = event {
                                for (key, change) in m.keys(txn) {
                                    // A scalar overwritten (a score, the itinerary) is a
                                    // change; a nested map put in place is a new element.
                                    let inserted = match change {
                                        EntryChange::Inserted(_) => true,
                                        EntryChange::Updated(_, new) => {
                                            matches!(new, yrs::Out::YMap(_))
                                        }
                                        EntryChange::Removed(_) => false,
                                    };
                                    *seen.entry((root, key.to_string())).or_insert(false) |=
                                        inserted;
                                }
                            }
                        }
                    }
                }
            });
        }
        touched
    }

    /// Forgets what was noted (a refused update).
    pub(crate) fn clear(&self) {
        self.seen.lock().unwrap_or_else(|p| p.into_inner()).clear();
    }

    /// What was noted since the last call, with each element's state in `doc` now.
    pub(crate) fn take(&self, doc: &Doc) -> Vec<ElementState> {
        let seen = std::mem::take(&mut *self.seen.lock().unwrap_or_else(|p| p.into_inner()));
        if seen.is_empty() {
            return Vec::new();
        }
        let txn = doc.transact();
        seen.into_iter()
            .map(|((root, element), created)| {
                let state = txn
                    .get_map(root)
                    .and_then(|map| map.get(&txn, &element))
                    .map(|out| {
                        let mut json = String::new();
                        out.to_json(&txn).to_json(&mut json);
                        json
                    });
                ElementState {
                    root: root.to_owned(),
                    element,
                    created,
                    state,
                }
            })
            .collect()
    }
}
