//! Document updates in the room: applied in one guarded transaction, fanned out and
//! persisted once; what cannot integrate yet is held for its sender (`held.rs`).

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::Instant;

use yrs::updates::decoder::Decode;
use yrs::updates::encoder::Encode;
use yrs::{Doc, ReadTxn, Transact, Update};

use super::{Action, RoomDoc};
use crate::metrics::inc;
use crate::store::Author;
use crate::sync::held::{Held, HELD_RETRY};
use crate::sync::link::PeerId;
use crate::sync::wire;

impl RoomDoc {
    /// Who `peer`'s changes are attributed to.
    pub(super) fn author_of(&self, peer: PeerId) -> Author {
        match self.peers.get(&peer).map(|p| &p.who) {
            Some(who) => match (&who.user, &who.via_link) {
                (Some(user), _) => Author::User(user.clone()),
                (None, Some(link)) => Author::Link(link.clone()),
                (None, None) => Author::Server(None),
            },
            None => Author::Server(None),
        }
    }

    /// Applies a peer's update (`step2`: its answer to the room's sync step 1).
    /// Updates from viewers and commenters are dropped: never applied, fanned out or
    /// written. What integrates is fanned out and persisted; what cannot integrate yet
    /// is held for the peer (`held.rs`). An update yrs refuses or panics on disconnects
    /// its sender and reloads the room from storage.
    pub(super) fn on_update(
        &mut self,
        peer: PeerId,
        update: Update,
        step2: bool,
        now: Instant,
        out: &mut Vec<Action>,
    ) {
        let Some(p) = self.peers.get_mut(&peer) else {
            return;
        };
        if step2 {
            p.synced = true;
            if let Some(held) = p.held.as_mut() {
                held.step2_received(now);
            }
        }
        if !p.who.can_edit {
            inc(&self.metrics.updates_refused);
            tracing::debug!(map = %self.map, peer, "dropped an update from a read-only peer");
            return;
        }
        // What it held before may build on what this update brings (its step 2).
        let had_held = p.held.is_some();
        let Some(applied) = self.apply(peer, vec![update], out) else {
            return;
        };
        let changed = applied.encoded.is_some();
        if let Some(remainder) = applied.remainder {
            self.hold(peer, remainder, 1, now, out);
            if had_held && !changed {
                // It may fill a hole in what was held, or the other way round: tried
                // together at the next tick (at most every `HELD_RETRY`, so a peer
                // sending held updates cannot make the room re-read all it holds for
                // each one).
                if let Some(held) = self.peers.get_mut(&peer).and_then(|p| p.held.as_mut()) {
                    held.retry_due = true;
                }
            }
        }
        if had_held && changed {
            self.retry_held(peer, now, out);
        }
    }

    /// Applies `updates` from `peer` in one transaction: fans out and persists what
    /// integrated. `None` when yrs refused them (the peer is closed, the room reloads).
    fn apply(
        &mut self,
        peer: PeerId,
        updates: Vec<Update>,
        out: &mut Vec<Action>,
    ) -> Option<Applied> {
        match apply_guarded(self.doc(), updates) {
            Outcome::Applied(applied) => {
                if let Some(encoded) = applied.encoded.clone() {
                    inc(&self.metrics.updates_applied);
                    out.push(Action::Broadcast {
                        except: Some(peer),
                        message: wire::sync_update(encoded.clone()),
                    });
                    let changed = self.touched.take(self.doc());
                    out.push(Action::Persist {
                        update: encoded,
                        author: self.author_of(peer),
                        changed,
                    });
                }
                Some(applied)
            }
            Outcome::Failed(e) => {
                self.touched.clear();
                self.reject(peer, format!("update could not be applied: {e}"), out);
                out.push(Action::Reload);
                None
            }
            Outcome::Panicked => {
                self.touched.clear();
                self.reject(peer, "update made the document panic".into(), out);
                out.push(Action::Reload);
                None
            }
        }
    }

    /// Adds what could not integrate (`count` updates' worth) to what `peer` holds;
    /// closes the peer past the bounds.
    fn hold(
        &mut self,
        peer: PeerId,
        remainder: Update,
        count: usize,
        now: Instant,
        out: &mut Vec<Action>,
    ) {
        inc(&self.metrics.updates_held);
        let sv = self.doc().transact().state_vector();
        let Some(p) = self.peers.get_mut(&peer) else {
            return;
        };
        let held = p.held.get_or_insert_with(|| Held::new(now, p.synced));
        held.tried_at = sv;
        held.retry_due = false;
        if let Err(overflow) = held.push(remainder.encode_v1(), count) {
            self.reject(peer, overflow.reason(), out);
        }
    }

    /// Tries `peer`'s held updates again; what integrates is fanned out and persisted,
    /// the rest stays held.
    fn retry_held(&mut self, peer: PeerId, now: Instant, out: &mut Vec<Action>) {
        let Some(held) = self.peers.get_mut(&peer).and_then(|p| p.held.as_mut()) else {
            return;
        };
        let mut updates = Vec::new();
        for bytes in held.take() {
            match Update::decode_v1(&bytes) {
                Ok(update) => updates.push(update),
                Err(e) => {
                    return self.reject(peer, format!("held updates are unreadable: {e}"), out)
                }
            }
        }
        let Some(applied) = self.apply(peer, updates, out) else {
            return;
        };
        match applied.remainder {
            Some(remainder) => self.hold(peer, remainder, 0, now, out),
            None => {
                if let Some(p) = self.peers.get_mut(&peer) {
                    p.held = None;
                }
            }
        }
    }

    /// Applies a change the server makes on `by`'s behalf (e.g. KPI values computed
    /// from evidence): broadcast to every peer, persisted as the server's. Refused when
    /// it does not apply whole to the live document.
    pub(crate) fn apply_server_change(
        &mut self,
        update: Update,
        by: &parcours_shared::ids::UserId,
        out: &mut Vec<Action>,
    ) -> Result<bool, String> {
        match apply_guarded(self.doc(), vec![update]) {
            Outcome::Applied(applied) if applied.remainder.is_none() => {
                let changed = self.touched.take(self.doc());
                let Some(encoded) = applied.encoded else {
                    return Ok(false);
                };
                inc(&self.metrics.updates_applied);
                out.push(Action::Broadcast {
                    except: None,
                    message: wire::sync_update(encoded.clone()),
                });
                out.push(Action::Persist {
                    update: encoded,
                    author: Author::Server(Some(by.clone())),
                    changed,
                });
                Ok(true)
            }
            Outcome::Applied(_) => {
                self.touched.clear();
                Err("the change builds on content the map does not have".into())
            }
            Outcome::Failed(e) => {
                self.touched.clear();
                Err(e)
            }
            Outcome::Panicked => {
                self.touched.clear();
                Err("the change made the document panic".into())
            }
        }
    }

    /// When [`RoomDoc::tick`] must run next: while anything is held, every
    /// [`HELD_RETRY`] at most, and at the earliest deadline.
    pub(crate) fn next_tick(&self, now: Instant) -> Option<Instant> {
        let held = self
            .peers
            .values()
            .filter_map(|p| p.held.as_ref())
            .map(|h| h.deadline.min(now + HELD_RETRY))
            .min();
        match (held, self.next_remote_expiry()) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Time passed: held updates are tried again if the document changed since, and
    /// peers whose held updates are out of time are closed.
    pub(crate) fn tick(&mut self, now: Instant, out: &mut Vec<Action>) {
        self.expire_remote_presence(now, out);
        let holders: Vec<PeerId> = self
            .peers
            .iter()
            .filter(|(_, p)| p.held.is_some())
            .map(|(id, _)| *id)
            .collect();
        for peer in holders {
            let sv = self.doc().transact().state_vector();
            let Some(p) = self.peers.get(&peer) else {
                continue;
            };
            let Some(held) = p.held.as_ref() else {
                continue;
            };
            if held.tried_at != sv || held.retry_due {
                self.retry_held(peer, now, out);
            }
            let Some(p) = self.peers.get(&peer) else {
                continue;
            };
            if p.held.as_ref().is_some_and(|h| h.deadline <= now) {
                let reason = if p.synced {
                    "an update still waits for content the map does not have after the client's sync step 2"
                } else {
                    "an update waited too long for content the map does not have (no sync step 2)"
                };
                self.reject(peer, reason.into(), out);
            }
        }
    }
}

/// What applying one update did, when yrs took it.
pub(super) struct Applied {
    /// What changed in the document, encoded (`None`: nothing new).
    pub(super) encoded: Option<Vec<u8>>,
    /// What could not integrate yet (pruned from the document, to be held).
    pub(super) remainder: Option<Update>,
}

/// Applying one update.
pub(super) enum Outcome {
    Applied(Applied),
    /// yrs refused it midway.
    Failed(String),
    /// yrs panicked on it.
    Panicked,
}

/// Applies `updates` to `doc` in one transaction with yrs panics caught. What cannot
/// integrate yet is pruned and returned, so the document never carries unintegrated
/// content: blocks whose dependencies are missing (yrs's pending), and whole updates
/// that start beyond the document's clock for one of their clients or leave a hole
/// (see [`shape`]).
pub(super) fn apply_guarded(doc: &Doc, updates: Vec<Update>) -> Outcome {
    let doc = doc.clone();
    let outcome = catch_unwind(AssertUnwindSafe(move || -> Result<Applied, String> {
        use yrs::WriteTxn;
        let mut txn = doc.transact_mut();
        let mut gapped = Vec::new();
        for update in updates {
            let sv = txn.state_vector();
            match shape(&update, &sv) {
                Shape::Gap => gapped.push(update),
                Shape::Overlap => txn
                    .apply_update(trimmed(&update, &sv)?)
                    .map_err(|e| e.to_string())?,
                Shape::Fits => txn.apply_update(update).map_err(|e| e.to_string())?,
            }
        }
        // Updates with holes may fill each other's, or those the others left. A merge
        // slices blocks that overlap, so the merged update is always trimmed anew.
        let mut unfilled = None;
        if !gapped.is_empty() {
            let merged = Update::merge_updates(gapped);
            let sv = txn.state_vector();
            if shape(&merged, &sv) == Shape::Gap {
                unfilled = Some(merged);
            } else {
                txn.apply_update(trimmed(&merged, &sv)?)
                    .map_err(|e| e.to_string())?;
            }
        }
        let pending = if txn.has_missing_updates() {
            txn.prune_pending()
        } else {
            None
        };
        let remainder = match (pending, unfilled) {
            (None, None) => None,
            (Some(pending), None) => Some(pending),
            (None, Some(unfilled)) => Some(unfilled),
            (Some(pending), Some(unfilled)) => Some(Update::merge_updates([pending, unfilled])),
        };
        Ok(Applied {
            encoded: txn.has_changes().then(|| txn.encode_update_v1()),
            remainder,
        })
    }));
    match outcome {
        Ok(Ok(applied)) => Outcome::Applied(applied),
        Ok(Err(e)) => Outcome::Failed(e),
        Err(_) => Outcome::Panicked,
    }
}

/// How an update's blocks lie against what the document holds.
#[derive(Debug, PartialEq, Eq)]
enum Shape {
    /// Every block starts at or below the document's clock for its client, and none
    /// straddles it (a fresh edit, or content the document already has).
    Fits,
    /// A block starts below the document's clock for its client and ends above it:
    /// part of it is known (see [`trimmed`]).
    Overlap,
    /// A block of some client lies beyond a hole (see below); holds over `Overlap`.
    Gap,
}

/// Whether `update` holds a block of some client beyond a hole: clocks between what
/// the document has (`sv`) and the block that neither the document nor the update
/// holds. yrs integrates such a block when it depends on nothing missing, with a
/// placeholder for the hole; the document then shows content its state vector does
/// not cover, which its transaction's encoded update leaves out, so it would be
/// neither persisted nor sent to the other peers (fuzz finding 3). A Yjs client never
/// sends a hole (its pending structs wait for their dependencies); such an update is
/// held until the hole is filled, as Yjs itself would.
///
/// Also whether a block straddles the document's clock: yrs cuts the known part off
/// in place, keeping the parent the block named, while the part left is placed after
/// the document's own block at the cut — which may sit in another map or list. The
/// item is then linked into one parent's list and entered in another's map, and yrs's
/// garbage collection later frees it while the first still points to it (fuzz finding
/// 4, a use-after-free). Such an update is [`trimmed`] first.
fn shape(update: &Update, sv: &yrs::StateVector) -> Shape {
    let mut shape = Shape::Fits;
    for (client, ranges) in update.insertions(true).iter() {
        let mut ranges: Vec<std::ops::Range<u32>> = ranges.iter().cloned().collect();
        ranges.sort_by_key(|r| r.start);
        let known = sv.get(client);
        let mut covered = known;
        for range in ranges {
            if range.start > covered {
                return Shape::Gap;
            }
            if range.start < known && range.end > known {
                shape = Shape::Overlap;
            }
            covered = covered.max(range.end);
        }
    }
    shape
}

/// `update` without what `sv` already covers, cut as Yjs encodes a diff: the part of a
/// block left after the cut names the document's block just before it as its origin
/// and carries no parent of its own, so yrs takes the parent from that neighbour — one
/// consistent place, whatever the sender claimed.
fn trimmed(update: &Update, sv: &yrs::StateVector) -> Result<Update, String> {
    let diff =
        yrs::diff_updates_v1(&update.encode_v1(), &sv.encode_v1()).map_err(|e| e.to_string())?;
    Update::decode_v1(&diff).map_err(|e| e.to_string())
}
