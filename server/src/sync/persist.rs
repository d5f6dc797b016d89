//! The room's writer: takes update batches, snapshots and versions from the room, in
//! order, and writes them to storage off the room's task, retrying batches and
//! snapshots until they are written.

use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use parcours_shared::method::StepSet;
use parcours_shared::view::MapView;
use parcours_shared::{ItineraryKind, MapId};
use tokio::sync::{mpsc, oneshot};

use crate::history::versions::VersionRequest;
use crate::metrics::{add, inc, Metrics};
use crate::store::{Author, ElementState, MapHead, Store, VersionRecord};
use crate::util::now_ms;

/// What a version job answers: the version, `None` for an automatic one with nothing
/// new, or why it failed.
pub(crate) type VersionAnswer = Result<Option<VersionRecord>, String>;

/// First wait before retrying a failed write; doubles up to [`MAX_RETRY_DELAY`].
const FIRST_RETRY_DELAY: Duration = Duration::from_millis(50);
/// Longest wait between retries of a failed write.
const MAX_RETRY_DELAY: Duration = Duration::from_secs(5);
/// Jobs queued for the writer before the room keeps its edits itself: while the
/// database is slow or down, the room merges what it applies into one pending batch
/// (compact, bounded by the document's size) instead of queueing batch after batch.
const WRITER_QUEUE: usize = 64;

/// Counts a writer in `writers_failing` from its first failed try until the write
/// succeeds (or the writer stops).
struct Failing<'a> {
    gauge: &'a AtomicI64,
    counted: bool,
}

impl<'a> Failing<'a> {
    fn new(gauge: &'a AtomicI64) -> Self {
        Failing {
            gauge,
            counted: false,
        }
    }

    fn failed(&mut self) {
        if !self.counted {
            self.counted = true;
            self.gauge.fetch_add(1, Ordering::Relaxed);
        }
    }
}

impl Drop for Failing<'_> {
    fn drop(&mut self) {
        if self.counted {
            self.gauge.fetch_sub(1, Ordering::Relaxed);
        }
    }
}

/// A write still unanswered after this long counts its writer as failing: a database
/// that does not answer at all makes the pool wait up to its acquire timeout (10 s)
/// before the write fails.
const SLOW_WRITE: Duration = Duration::from_secs(2);

/// Awaits `write`, counting the writer in `failing` once it has taken [`SLOW_WRITE`].
async fn watched<T>(write: impl std::future::Future<Output = T>, failing: &mut Failing<'_>) -> T {
    tokio::pin!(write);
    tokio::select! {
        out = &mut write => return out,
        () = tokio::time::sleep(SLOW_WRITE) => failing.failed(),
    }
    write.await
}

/// One thing for the writer to do.
pub(crate) enum PersistJob {
    /// Append a batch (one merged update of one author) covering `updates` applied
    /// updates.
    Append {
        data: Vec<u8>,
        updates: u64,
        /// The document's title, when it changed since the last batch.
        title: Option<String>,
        /// The document's itinerary kind, when it changed since the last batch.
        itinerary: Option<ItineraryKind>,
        /// The method's steps the document passes after this batch.
        method: StepSet,
        author: Author,
        /// The elements it changed, with their state after it.
        changed: Vec<ElementState>,
    },
    /// Write `state` as the snapshot; it includes every batch sent before it. With
    /// `checkpoint`, history keeps it too.
    /// `None` (with `--cluster`): rebuild the state from the stored snapshot and log,
    /// as other nodes write rows of the same map the live document may not cover yet.
    Compact {
        state: Option<Vec<u8>>,
        checkpoint: bool,
    },
    /// Record a version after every batch sent before it; `view` is the document then.
    Version {
        request: VersionRequest,
        view: Box<MapView>,
        reply: Option<oneshot::Sender<VersionAnswer>>,
    },
    /// Answer once every earlier job is written.
    Barrier(oneshot::Sender<()>),
}

/// The room's side of its writer.
pub(crate) struct Persister {
    tx: mpsc::Sender<PersistJob>,
    outstanding: Arc<AtomicUsize>,
}

impl Persister {
    /// Starts the writer for `map`; `last_seq` is the newest log row already stored.
    pub(crate) fn start(
        store: Store,
        map: MapId,
        last_seq: i64,
        metrics: Arc<Metrics>,
    ) -> Persister {
        let (tx, rx) = mpsc::channel(WRITER_QUEUE);
        let outstanding = Arc::new(AtomicUsize::new(0));
        let writer = Writer {
            store,
            map,
            last_seq,
            metrics,
            outstanding: outstanding.clone(),
            method_stored: None,
        };
        tokio::spawn(writer.run(rx));
        Persister { tx, outstanding }
    }

    /// Queues a job without waiting; gives it back when the writer's queue is full
    /// (the room keeps the edits and tries again later). A writer that is gone takes
    /// nothing more, and that counts as done.
    pub(crate) fn try_send(&self, job: PersistJob) -> Result<(), PersistJob> {
        self.outstanding.fetch_add(1, Ordering::AcqRel);
        match self.tx.try_send(job) {
            Ok(()) => Ok(()),
            Err(mpsc::error::TrySendError::Full(job)) => {
                self.outstanding.fetch_sub(1, Ordering::AcqRel);
                Err(job)
            }
            Err(mpsc::error::TrySendError::Closed(_)) => {
                self.outstanding.fetch_sub(1, Ordering::AcqRel);
                Ok(())
            }
        }
    }

    /// Whether the writer's queue takes one more job now.
    pub(crate) fn has_room(&self) -> bool {
        self.tx.capacity() > 0
    }

    /// True when every queued job has been written.
    pub(crate) fn is_idle(&self) -> bool {
        self.outstanding.load(Ordering::Acquire) == 0
    }

    /// Waits until every job queued so far is written.
    pub(crate) async fn drained(&self) {
        let (tx, rx) = oneshot::channel();
        self.outstanding.fetch_add(1, Ordering::AcqRel);
        if self.tx.send(PersistJob::Barrier(tx)).await.is_err() {
            self.outstanding.fetch_sub(1, Ordering::AcqRel);
            return;
        }
        let _ = rx.await;
    }
}

struct Writer {
    store: Store,
    map: MapId,
    /// Newest log row written (or found at load): what a snapshot covers.
    last_seq: i64,
    metrics: Arc<Metrics>,
    outstanding: Arc<AtomicUsize>,
    /// The method's steps as last stored in the map's row (`None`: not by this writer).
    method_stored: Option<StepSet>,
}

impl Writer {
    async fn run(mut self, mut rx: mpsc::Receiver<PersistJob>) {
        while let Some(job) = rx.recv().await {
            match job {
                PersistJob::Append {
                    data,
                    updates,
                    title,
                    itinerary,
                    method,
                    author,
                    changed,
                } => {
                    let head = MapHead {
                        title: title.as_deref(),
                        itinerary,
                    };
                    if self.append(&data, updates, head, &author, &changed).await {
                        self.store_method(method).await;
                    }
                }
                PersistJob::Compact {
                    state: Some(state),
                    checkpoint,
                } => self.compact(&state, self.last_seq, checkpoint).await,
                PersistJob::Compact {
                    state: None,
                    checkpoint,
                } => self.compact_from_log(checkpoint).await,
                PersistJob::Version {
                    request,
                    view,
                    reply,
                } => {
                    let answer = self.version(request, &view).await;
                    if let Some(reply) = reply {
                        let _ = reply.send(answer);
                    }
                }
                PersistJob::Barrier(done) => {
                    let _ = done.send(());
                }
            }
            self.outstanding.fetch_sub(1, Ordering::AcqRel);
        }
    }

    /// Stores the method's steps when they changed. Not retried: a failure leaves the
    /// row as it was, and the next batch tries again.
    async fn store_method(&mut self, method: StepSet) {
        if self.method_stored == Some(method) {
            return;
        }
        match self.store.set_method_steps(&self.map, method).await {
            Ok(()) => self.method_stored = Some(method),
            Err(e) => {
                inc(&self.metrics.storage_errors);
                tracing::warn!(map = %self.map, error = %e, "storing the method's progress failed");
            }
        }
    }

    /// Appends one batch, retrying until it is written; false when the map is gone.
    async fn append(
        &mut self,
        data: &[u8],
        updates: u64,
        head: MapHead<'_>,
        author: &Author,
        changed: &[ElementState],
    ) -> bool {
        let mut delay = FIRST_RETRY_DELAY;
        let metrics = self.metrics.clone();
        let mut failing = Failing::new(&metrics.writers_failing);
        loop {
            let write = self
                .store
                .append_update(&self.map, data, now_ms(), head, author, changed);
            match watched(write, &mut failing).await {
                Ok(Some(seq)) => {
                    self.last_seq = seq;
                    add(&self.metrics.updates_persisted, updates);
                    inc(&self.metrics.batches_persisted);
                    add(&self.metrics.bytes_persisted, data.len() as u64);
                    return true;
                }
                Ok(None) => return false, // the map was deleted: nothing to keep
                Err(e) => {
                    inc(&self.metrics.storage_errors);
                    failing.failed();
                    tracing::warn!(map = %self.map, error = %e, retry_in = ?delay, "writing edits failed; will retry");
                    tokio::time::sleep(delay).await;
                    delay = (delay * 2).min(MAX_RETRY_DELAY);
                }
            }
        }
    }

    async fn compact(&mut self, state: &[u8], covers: i64, checkpoint: bool) {
        let mut delay = FIRST_RETRY_DELAY;
        let metrics = self.metrics.clone();
        let mut failing = Failing::new(&metrics.writers_failing);
        loop {
            let write = self
                .store
                .write_snapshot(&self.map, state, covers, now_ms(), checkpoint);
            match watched(write, &mut failing).await {
                Ok(()) => {
                    inc(&self.metrics.snapshots_written);
                    tracing::debug!(map = %self.map, checkpoint, bytes = state.len(), "snapshot written");
                    return;
                }
                Err(e) => {
                    inc(&self.metrics.storage_errors);
                    failing.failed();
                    tracing::warn!(map = %self.map, error = %e, retry_in = ?delay, "writing snapshot failed; will retry");
                    tokio::time::sleep(delay).await;
                    delay = (delay * 2).min(MAX_RETRY_DELAY);
                }
            }
        }
    }

    /// With `--cluster`: the snapshot is the stored one merged with every log row after
    /// it, whichever node wrote them. Appends take the map's row lock before their
    /// sequence number, so the rows read are every row up to the newest one.
    async fn compact_from_log(&mut self, checkpoint: bool) {
        let mut delay = FIRST_RETRY_DELAY;
        let metrics = self.metrics.clone();
        let mut failing = Failing::new(&metrics.writers_failing);
        let stored = loop {
            match watched(self.store.load_doc(&self.map), &mut failing).await {
                Ok(Some(stored)) => break stored,
                Ok(None) => return, // deleted
                Err(e) => {
                    inc(&self.metrics.storage_errors);
                    failing.failed();
                    tracing::warn!(map = %self.map, error = %e, retry_in = ?delay, "reading the log to compact failed; will retry");
                    tokio::time::sleep(delay).await;
                    delay = (delay * 2).min(MAX_RETRY_DELAY);
                }
            }
        };
        drop(failing);
        let Some((covers, _)) = stored.updates.last() else {
            return; // nothing after the snapshot
        };
        let covers = *covers;
        let parts: Vec<&[u8]> = stored
            .snapshot
            .iter()
            .map(Vec::as_slice)
            .chain(stored.updates.iter().map(|(_, data)| data.as_slice()))
            .collect();
        match yrs::merge_updates_v1(&parts) {
            Ok(state) => self.compact(&state, covers, checkpoint).await,
            Err(e) => {
                tracing::warn!(map = %self.map, error = %e, "could not merge the log to compact; left as it is")
            }
        }
    }

    /// Records a version at the newest row written. Not retried: a failed automatic
    /// version is simply taken at the next pause, a failed named one is reported.
    async fn version(&mut self, request: VersionRequest, view: &MapView) -> VersionAnswer {
        let kind = request.kind;
        // With several nodes, the newest row may be another node's (whose edits this
        // room applied through the bus).
        let seq = match self.store.latest_seq(&self.map).await {
            Ok(latest) => latest.max(self.last_seq),
            Err(_) => self.last_seq,
        };
        crate::history::make_version(&self.store, &self.map, seq, now_ms(), request, view)
            .await
            .map_err(|e| {
                inc(&self.metrics.storage_errors);
                tracing::warn!(map = %self.map, error = %e, kind, "recording a version failed");
                e.to_string()
            })
    }
}
