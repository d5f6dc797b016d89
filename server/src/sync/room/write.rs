//! What the room hands to its writer: each author's batch as one log row, snapshots
//! (and now and then a history checkpoint), versions, and restores (a version of the
//! state before, then the past state applied as a forward change).

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::Duration;

use parcours_shared::ids::UserId;
use parcours_shared::method::document_steps;
use tokio::sync::oneshot;
use tokio::time::Instant;
use yrs::updates::decoder::Decode;
use yrs::{Doc, Transact, Update};

use super::Room;
use crate::history::versions::VersionRequest;
use crate::metrics::inc;
use crate::store::Author;
use crate::sync::batch::Batch;
use crate::sync::command::{PendingVersion, RoomError};
use crate::sync::doc::{Action, RestoreError, Scope};
use crate::sync::persist::PersistJob;
use crate::util::now_ms;

/// A map edited now and then still gets a checkpoint this often (so retention can
/// drop what is older).
const CHECKPOINT_AGE: Duration = Duration::from_secs(24 * 3600);
/// Delay before an automatic version the writer could not take is tried again.
const VERSION_RETRY: Duration = Duration::from_secs(1);

impl Room {
    /// Hands every pending batch to the writer, one log row per author in turn;
    /// compacts when the log is long. When the writer's queue is full (the database is
    /// slow or down), what is left stays pending and is offered again after another
    /// flush interval.
    pub(super) fn flush(&mut self) {
        self.flush_at = None;
        self.catch_up_bus();
        while let Some(batch) = self.pending.pop() {
            if let Err(batch) = self.hand_over(batch) {
                inc(&self.ctx.metrics.writer_backlog);
                self.pending.unpop(batch);
                self.flush_at = Some(Instant::now() + self.ctx.settings.flush_interval);
                return;
            }
        }
        if self.rows_since_snapshot >= self.ctx.settings.compact_every {
            self.compact();
        }
    }

    /// Hands every pending edit to the writer and waits until all are written.
    pub(super) async fn write_everything(&mut self) {
        loop {
            self.flush();
            self.persister.drained().await;
            if self.pending.is_empty() {
                return;
            }
        }
    }

    /// Gives one batch to the writer as one update, or gives it back when the queue
    /// is full.
    fn hand_over(&mut self, mut batch: Batch) -> Result<(), Batch> {
        if !self.persister.has_room() {
            return Err(batch);
        }
        let data = if batch.updates.len() == 1 {
            batch.updates[0].clone()
        } else {
            match yrs::merge_updates_v1(&batch.updates) {
                Ok(merged) => {
                    // Keep the merged form: a retry need not merge again.
                    batch.updates = vec![merged.clone()];
                    merged
                }
                Err(e) => {
                    // Never seen; keep every edit, one row each, rather than lose any.
                    tracing::warn!(map = %self.map, error = %e, "could not merge a batch; writing updates one by one");
                    let changed = batch.changed();
                    for data in std::mem::take(&mut batch.updates) {
                        self.send_append(data, 0, batch.author.clone(), changed.clone());
                    }
                    return Ok(());
                }
            }
        };
        let changed = batch.changed();
        self.send_append(data, batch.count, batch.author, changed);
        Ok(())
    }

    fn send_append(
        &mut self,
        data: Vec<u8>,
        updates: u64,
        author: Author,
        changed: Vec<crate::store::ElementState>,
    ) {
        let title = self.doc.title();
        let changed_title = (title != self.title).then_some(title);
        // The maps list shows each map's progress through the method and its itinerary
        // kind from its row; the writer stores them when they changed.
        let view = self.doc.view();
        let method = document_steps(&view);
        let itinerary = view.meta.itinerary;
        let changed_itinerary = (Some(itinerary) != self.itinerary).then_some(itinerary);
        let job = PersistJob::Append {
            data,
            updates,
            title: changed_title.clone(),
            itinerary: changed_itinerary,
            method,
            author,
            changed,
        };
        // Only the room queues jobs and it checked there was room: this fits. Were it
        // ever refused, the writer is gone and nothing more can be written anyway.
        if self.persister.try_send(job).is_ok() {
            if let Some(title) = changed_title {
                self.title = title;
            }
            if changed_itinerary.is_some() {
                self.itinerary = changed_itinerary;
            }
            self.rows_since_snapshot += 1;
            self.rows_since_checkpoint += 1;
        }
    }

    /// Queues a snapshot of the whole document, kept as a history checkpoint too every
    /// `checkpoint_every` rows (opening a past moment then applies at most about that
    /// many rows) or [`CHECKPOINT_AGE`]. Skipped (tried at the next flush) when the
    /// writer's queue is full.
    pub(super) fn compact(&mut self) {
        let now = now_ms();
        let checkpoint = self.rows_since_checkpoint >= self.ctx.settings.checkpoint_every
            || (self.rows_since_checkpoint > 0
                && now - self.checkpoint_at >= CHECKPOINT_AGE.as_millis() as i64);
        // With other nodes writing rows of this map, the live document may lack some
        // of the rows a snapshot would claim to cover: the writer builds it from the
        // log instead.
        let state = match self.ctx.bus.get() {
            Some(_) => None,
            None => Some(self.doc.encode_state()),
        };
        let job = PersistJob::Compact { state, checkpoint };
        if self.persister.try_send(job).is_ok() {
            self.rows_since_snapshot = 0;
            if checkpoint {
                self.rows_since_checkpoint = 0;
                self.checkpoint_at = now;
            }
        }
    }

    /// Queues a version of the live document after every pending batch. Fails with
    /// [`RoomError::Busy`] when storage is behind.
    fn queue_version(
        &mut self,
        request: VersionRequest,
        reply: Option<oneshot::Sender<crate::sync::persist::VersionAnswer>>,
    ) -> Result<(), RoomError> {
        self.flush();
        if !self.pending.is_empty() || !self.persister.has_room() {
            return Err(RoomError::Busy);
        }
        let job = PersistJob::Version {
            request,
            view: Box::new(self.doc.view()),
            reply,
        };
        self.persister.try_send(job).map_err(|_| RoomError::Busy)?;
        self.unversioned = None;
        Ok(())
    }

    /// An automatic version (editing paused, the last peer left, half an hour of
    /// editing); tried again shortly when storage is behind.
    pub(super) fn auto_version(&mut self) {
        if self
            .ctx
            .bus
            .get()
            .is_some_and(|bus| !bus.makes_versions(&self.map))
        {
            // Another node with this map open makes them, with these edits.
            self.unversioned = None;
            return;
        }
        let request = VersionRequest {
            kind: "auto",
            name: None,
            created_by: None,
        };
        if self.queue_version(request, None).is_err() {
            if let Some(u) = self.unversioned.as_mut() {
                u.retry_at = Some(Instant::now() + VERSION_RETRY);
            }
        }
    }

    /// A version someone asked for (named, or a round opening).
    pub(super) fn create_version(
        &mut self,
        request: VersionRequest,
    ) -> Result<PendingVersion, RoomError> {
        let (tx, rx) = oneshot::channel();
        self.queue_version(request, Some(tx))?;
        Ok(rx)
    }

    /// Brings back `past` (or one element of it) as `by`'s forward change, after
    /// recording the state before as a `restore` version (restoring that undoes it).
    pub(super) fn restore(
        &mut self,
        past: &[u8],
        scope: &Scope,
        by: &UserId,
        out: &mut Vec<Action>,
    ) -> Result<PendingVersion, RoomError> {
        let past = decode_state(past)?;
        self.flush();
        if !self.pending.is_empty() || !self.persister.has_room() {
            return Err(RoomError::Busy);
        }
        let before = self.doc.view();
        let changed = self
            .doc
            .restore(&past, scope, by, out)
            .map_err(|e| match e {
                RestoreError::NoSuchElement(_) => RoomError::Refused {
                    code: "no_such_element",
                    message: e.to_string(),
                },
                RestoreError::Failed => RoomError::Load(e.to_string()),
            })?;
        if changed == 0 {
            return Err(RoomError::Refused {
                code: "nothing_to_restore",
                message: "nothing to restore: the map already reads like that".into(),
            });
        }
        let (tx, rx) = oneshot::channel();
        let job = PersistJob::Version {
            request: VersionRequest {
                kind: "restore",
                name: Some(parcours_shared::api::RESTORE_VERSION_NAME.into()),
                created_by: Some(by.0.clone()),
            },
            view: Box::new(before),
            reply: Some(tx),
        };
        // Checked above: the queue has room, and the restore is not pending yet (it is
        // in `out`), so this version is the state before it.
        let _ = self.persister.try_send(job);
        Ok(rx)
    }
}

/// A whole document from its update, with yrs panics caught.
fn decode_state(state: &[u8]) -> Result<Doc, RoomError> {
    let doc = Doc::new();
    let applied = catch_unwind(AssertUnwindSafe(|| -> Result<(), String> {
        let update = Update::decode_v1(state).map_err(|e| e.to_string())?;
        doc.transact_mut()
            .apply_update(update)
            .map_err(|e| e.to_string())
    }));
    match applied {
        Ok(Ok(())) => Ok(doc),
        _ => Err(RoomError::Load("the past state could not be read".into())),
    }
}
