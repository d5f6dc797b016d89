//! Applied changes waiting for the writer, grouped into batches of one author each:
//! consecutive changes by the same person merge into one log row; a change by someone
//! else starts a new one, so every row is attributable to exactly one author.

use std::collections::{BTreeMap, VecDeque};

use crate::store::{Author, ElementState};

/// One author's consecutive changes.
pub(crate) struct Batch {
    pub(crate) author: Author,
    /// Encoded updates, in the order they were applied.
    pub(crate) updates: Vec<Vec<u8>>,
    /// How many applied updates they stand for (for the counters).
    pub(crate) count: u64,
    /// Each element changed and its latest state, `(root, key)` ordered.
    changed: BTreeMap<(String, String), (bool, Option<String>)>,
}

impl Batch {
    /// The elements it changed, with their state after the batch.
    pub(crate) fn changed(&self) -> Vec<ElementState> {
        self.changed
            .iter()
            .map(|((root, element), (created, state))| ElementState {
                root: root.clone(),
                element: element.clone(),
                created: *created,
                state: state.clone(),
            })
            .collect()
    }

    fn note(&mut self, changed: Vec<ElementState>) {
        for e in changed {
            let entry = self
                .changed
                .entry((e.root, e.element))
                .or_insert((false, None));
            entry.0 |= e.created;
            entry.1 = e.state;
        }
    }
}

/// Batches not yet handed to the writer, oldest first.
#[derive(Default)]
pub(crate) struct Pending {
    batches: VecDeque<Batch>,
}

impl Pending {
    /// Adds an applied update: to the newest batch when it is the same author's.
    pub(crate) fn push(&mut self, update: Vec<u8>, author: Author, changed: Vec<ElementState>) {
        match self.batches.back_mut() {
            Some(last) if last.author == author => {
                last.updates.push(update);
                last.count += 1;
                last.note(changed);
            }
            _ => {
                let mut batch = Batch {
                    author,
                    updates: vec![update],
                    count: 1,
                    changed: BTreeMap::new(),
                };
                batch.note(changed);
                self.batches.push_back(batch);
            }
        }
    }

    /// Whether nothing waits.
    pub(crate) fn is_empty(&self) -> bool {
        self.batches.is_empty()
    }

    /// Takes the oldest batch.
    pub(crate) fn pop(&mut self) -> Option<Batch> {
        self.batches.pop_front()
    }

    /// Puts a batch the writer could not take back in front, merging it with the next
    /// one when that is the same author's (so a long outage does not pile up rows).
    pub(crate) fn unpop(&mut self, mut batch: Batch) {
        if let Some(next) = self.batches.front_mut() {
            if next.author == batch.author {
                if let Some(next) = self.batches.pop_front() {
                    batch.note(next.changed());
                    batch.updates.extend(next.updates);
                    batch.count += next.count;
                }
            }
        }
        self.batches.push_front(batch);
    }

    /// Drops everything (the map was deleted).
    pub(crate) fn clear(&mut self) {
        self.batches.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use parcours_shared::ids::UserId;

    fn user(n: &str) -> Author {
        Author::User(UserId(n.into()))
    }

    fn card(state: &str) -> Vec<ElementState> {
        vec![ElementState {
            root: "cards".into(),
            element: "c1".into(),
            created: false,
            state: Some(state.into()),
        }]
    }

    #[test]
    fn authors_are_never_merged_and_consecutive_changes_are() {
        let mut p = Pending::default();
        p.push(vec![1], user("a"), card("1"));
        p.push(vec![2], user("a"), card("2"));
        p.push(vec![3], user("b"), card("3"));
        p.push(vec![4], user("a"), card("4"));
        let first = p.pop().unwrap();
        assert_eq!((first.author.clone(), first.count), (user("a"), 2));
        assert_eq!(first.updates, vec![vec![1], vec![2]]);
        assert_eq!(first.changed()[0].state.as_deref(), Some("2"));
        assert_eq!(p.pop().unwrap().author, user("b"));
        assert_eq!(p.pop().unwrap().author, user("a"));
        assert!(p.pop().is_none());
    }

    #[test]
    fn a_batch_put_back_merges_with_the_same_authors_next_one() {
        let mut p = Pending::default();
        p.push(vec![1], user("a"), card("1"));
        let batch = p.pop().unwrap();
        p.push(vec![2], user("a"), card("2"));
        p.unpop(batch);
        let merged = p.pop().unwrap();
        assert_eq!(merged.updates, vec![vec![1], vec![2]]);
        assert_eq!(merged.changed()[0].state.as_deref(), Some("2"));
        assert!(p.is_empty());
    }
}
