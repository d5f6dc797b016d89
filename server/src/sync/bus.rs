//! Several nodes on one PostgreSQL (`parcours serve --cluster`): what a node's room
//! applies for its own peers — document updates and presence — is published to the
//! `bus_messages` table, and every other node with the same map open applies it and
//! passes it to its peers. Access changes (roles, removals, revoked links, ended
//! sessions, deleted maps) cross nodes the same way on a second channel.
//!
//! - **Publishing**: one autocommit statement per message takes the map's next number
//!   (the `bus_heads` row is locked until commit, so numbers follow commit order with
//!   no gap) and notifies `parcours_bus` with the map and the node. Messages of one map
//!   go through one of [`PUBLISHERS`] workers in order, retried until written.
//! - **Reading**: one task per node LISTENs; a notification (or the poll every
//!   [`POLL`], which covers a lost notification) makes it read the map's messages past
//!   its cursor and hand them to the map's room. A room that opens reads from the start
//!   of what is kept, so edits other nodes have published but not yet written to the
//!   update log reach it. A gap (messages swept before this node read them, after a
//!   long bus outage) makes the room reload from storage and read again.
//! - **Durability** does not depend on the bus: the node that received an edit writes
//!   it to the update log as a single node does. Messages are swept after
//!   [`RETENTION`], long after every node has written its edits (50 ms by default).
//!
//! PostgreSQL's NOTIFY carries keys only; the data stays in the table (payloads are
//! limited to 8 000 bytes, and a notification sent while a listener reconnects is lost,
//! which the cursor makes up for).

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use parcours_shared::ids::{MapId, Role, UserId};
use serde::{Deserialize, Serialize};
use sqlx::postgres::{PgListener, PgPool, PgPoolOptions};
use sqlx::{Executor, Row};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::command::RoomCommand;
use super::open::OpenRooms;
use crate::metrics::{inc, Metrics};
use crate::store::{Author, Store};
use crate::sync::wire::{self, Incoming};
use crate::util::now_ms;

/// The channel that says "map M has new messages from node N".
const CHANNEL: &str = "parcours_bus";
/// The channel access changes cross nodes on (JSON [`Control`] payloads).
const CONTROL_CHANNEL: &str = "parcours_control";
/// How long messages are kept.
pub const RETENTION: Duration = Duration::from_secs(120);
/// How often a node checks every open map's head, in case a notification was lost.
const POLL: Duration = Duration::from_secs(1);
/// Workers that publish (a map always goes to the same one, so its order is kept).
const PUBLISHERS: usize = 4;
/// Messages waiting per worker before publishing fails (and is counted).
const PUBLISH_QUEUE: usize = 16_384;
/// Messages read per query.
const READ_BATCH: i64 = 1_000;
/// How long publishing goes on after shutdown starts (the rooms' last edits).
const SHUTDOWN_DRAIN: Duration = Duration::from_secs(10);
/// Longest wait between two tries of a failed publish.
const MAX_BACKOFF: Duration = Duration::from_secs(2);

/// An access change that must reach the rooms of every node.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Control {
    /// `user`'s role on `map` changed (`None`: removed).
    Access {
        map: MapId,
        user: UserId,
        role: Option<Role>,
    },
    /// A share link of `map` was revoked.
    LinkRevoked { map: MapId, link: String },
    /// `user` signed out or changed password: close its sockets everywhere.
    EndSessions { user: UserId },
    /// `map` was deleted.
    Deleted { map: MapId },
}

#[derive(Serialize, Deserialize)]
struct ControlNote {
    node: String,
    #[serde(flatten)]
    control: Control,
}

/// The node's end of the bus; cheap to clone.
#[derive(Clone)]
pub struct Bus {
    inner: Arc<BusInner>,
}

struct BusInner {
    node: String,
    pool: PgPool,
    publishers: Vec<mpsc::Sender<Outgoing>>,
    reader: mpsc::UnboundedSender<ReaderCommand>,
    metrics: Arc<Metrics>,
}

/// One message to publish: the map, the y-protocols message, and for a document
/// update whose edit it is.
type Outgoing = (MapId, Bytes, Option<Author>);

/// What rooms tell the reader.
enum ReaderCommand {
    /// A room opened (or reloaded from storage): read its map from the start.
    Read { map: MapId },
    /// A room stopped.
    Closed { map: MapId },
}

impl Bus {
    /// Connects to the bus on `url` (PostgreSQL) as `node`, and starts the publishers,
    /// the reader and the sweeper. Access changes from other nodes are sent to
    /// `control`.
    pub(crate) async fn start(
        url: &str,
        node: String,
        open: Arc<OpenRooms>,
        control: mpsc::UnboundedSender<Control>,
        store: Store,
        metrics: Arc<Metrics>,
        shutdown: CancellationToken,
    ) -> Result<Bus, sqlx::Error> {
        // A restarted node is another node on the bus: what it published before it
        // died is adopted as any dead node's.
        let node = format!("{node}#{}", crate::util::random_id(4));
        let pool = PgPoolOptions::new()
            .max_connections(PUBLISHERS as u32 + 4)
            .acquire_timeout(Duration::from_secs(10))
            // Messages are not the durable record (the update log is): no wait for
            // the WAL flush on each one.
            .after_connect(|conn, _| {
                Box::pin(async move {
                    conn.execute("set synchronous_commit = off").await?;
                    Ok(())
                })
            })
            .connect(url)
            .await?;
        let mut publishers = Vec::with_capacity(PUBLISHERS);
        for _ in 0..PUBLISHERS {
            let (tx, rx) = mpsc::channel(PUBLISH_QUEUE);
            publishers.push(tx);
            tokio::spawn(publish_loop(
                pool.clone(),
                node.clone(),
                rx,
                metrics.clone(),
                shutdown.clone(),
            ));
        }
        let (reader_tx, reader_rx) = mpsc::unbounded_channel();
        let mut listener = PgListener::connect_with(&pool).await?;
        listener.listen_all([CHANNEL, CONTROL_CHANNEL]).await?;
        let reader = Reader {
            pool: pool.clone(),
            node: node.clone(),
            open,
            cursors: HashMap::new(),
            control,
            metrics: metrics.clone(),
        };
        tokio::spawn(reader.run(listener, reader_rx, shutdown.clone()));
        heartbeat(&pool, &node).await?;
        tokio::spawn(sweep_loop(
            pool.clone(),
            node.clone(),
            store,
            metrics.clone(),
            shutdown,
        ));
        tracing::info!(%node, "cluster bus connected");
        Ok(Bus {
            inner: Arc::new(BusInner {
                node,
                pool,
                publishers,
                reader: reader_tx,
                metrics,
            }),
        })
    }

    /// The node stopped cleanly (every room wrote its edits): it leaves the bus, so no
    /// other node adopts what it published.
    pub async fn leave(&self) {
        let _ = sqlx::query("delete from bus_nodes where node = $1")
            .bind(&self.inner.node)
            .execute(&self.inner.pool)
            .await;
    }

    /// This node's name on the bus.
    pub fn node(&self) -> &str {
        &self.inner.node
    }

    /// Publishes one y-protocols message a room applied for its own peers. Never
    /// waits; a full queue (the database unreachable for long) drops it, counts it and
    /// says so: the room then publishes its whole document once the queue has room
    /// again ([`Bus::has_room`]), which brings the other nodes whatever they missed.
    pub(crate) fn publish(&self, map: &MapId, message: Bytes, author: Option<Author>) -> bool {
        let worker = &self.inner.publishers[worker_of(map)];
        if worker.try_send((map.clone(), message, author)).is_err() {
            inc(&self.inner.metrics.bus_dropped);
            return false;
        }
        true
    }

    /// Whether `map`'s publisher has room for a large backlog again (a quarter of its
    /// queue free).
    pub(crate) fn has_room(&self, map: &MapId) -> bool {
        self.inner.publishers[worker_of(map)].capacity() >= PUBLISH_QUEUE / 4
    }

    /// A room of `map` opened or reloaded: read what is kept for it.
    pub(crate) fn read_from_start(&self, map: &MapId) {
        let _ = self
            .inner
            .reader
            .send(ReaderCommand::Read { map: map.clone() });
    }

    /// `map`'s room stopped.
    pub(crate) fn closed(&self, map: &MapId) {
        let _ = self
            .inner
            .reader
            .send(ReaderCommand::Closed { map: map.clone() });
    }

    /// Tells every other node about an access change (best effort: a node whose
    /// listener is reconnecting at that moment misses it; see docs/ARCHITECTURE.md).
    pub async fn control(&self, control: Control) {
        let note = ControlNote {
            node: self.inner.node.clone(),
            control,
        };
        let Ok(payload) = serde_json::to_string(&note) else {
            return;
        };
        if let Err(e) = sqlx::query("select pg_notify($1, $2)")
            .bind(CONTROL_CHANNEL)
            .bind(payload)
            .execute(&self.inner.pool)
            .await
        {
            inc(&self.inner.metrics.bus_errors);
            tracing::warn!(error = %e, "could not tell the other nodes about an access change");
        }
    }
}

/// Which publisher carries `map`'s messages.
fn worker_of(map: &MapId) -> usize {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    map.hash(&mut h);
    (h.finish() % PUBLISHERS as u64) as usize
}

async fn publish_loop(
    pool: PgPool,
    node: String,
    mut rx: mpsc::Receiver<Outgoing>,
    metrics: Arc<Metrics>,
    shutdown: CancellationToken,
) {
    // At shutdown the rooms write and publish their last edits: keep publishing for a
    // while after it, so the other nodes get them too.
    let mut stop_at: Option<tokio::time::Instant> = None;
    loop {
        let far = || tokio::time::Instant::now() + Duration::from_secs(86_400);
        let (map, message, author) = tokio::select! {
            next = rx.recv() => match next { Some(m) => m, None => return },
            _ = shutdown.cancelled(), if stop_at.is_none() => {
                stop_at = Some(tokio::time::Instant::now() + SHUTDOWN_DRAIN);
                continue;
            }
            _ = tokio::time::sleep_until(stop_at.unwrap_or_else(far)), if stop_at.is_some() => return,
        };
        let mut backoff = Duration::from_millis(50);
        loop {
            match publish_one(&pool, &node, &map, &message, author.as_ref()).await {
                Ok(()) => {
                    inc(&metrics.bus_published);
                    break;
                }
                Err(e) => {
                    inc(&metrics.bus_errors);
                    tracing::warn!(map = %map, error = %e, "publishing to the bus failed; retrying");
                    if stop_at.is_some_and(|at| tokio::time::Instant::now() >= at) {
                        return;
                    }
                    tokio::time::sleep(backoff).await;
                    backoff = (backoff * 2).min(MAX_BACKOFF);
                }
            }
        }
    }
}

/// Takes the map's next number and stores the message under it, notifying listeners
/// at commit; one statement, so one round trip.
async fn publish_one(
    pool: &PgPool,
    node: &str,
    map: &MapId,
    message: &[u8],
    author: Option<&Author>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "with h as (
             insert into bus_heads (map_id, n) values ($1, 1)
             on conflict (map_id) do update set n = bus_heads.n + 1
             returning n
         ), m as (
             insert into bus_messages (map_id, n, node, at, message, author_kind, author_id)
             select $1, h.n, $2, $3, $4, $6, $7 from h
             returning n
         )
         select m.n, pg_notify($5, $1 || ' ' || $2) from m",
    )
    .bind(map.as_str())
    .bind(node)
    .bind(now_ms())
    .bind(message)
    .bind(CHANNEL)
    .bind(author.map(Author::kind))
    .bind(author.and_then(Author::id))
    .execute(pool)
    .await?;
    Ok(())
}

/// How often a node renews its row in `bus_nodes`.
const HEARTBEAT: Duration = Duration::from_secs(2);
/// A node not seen for this long is dead, and its unwritten updates are adopted.
const DEAD_AFTER: Duration = Duration::from_secs(10);

async fn heartbeat(pool: &PgPool, node: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into bus_nodes (node, seen_at) values ($1, $2)
         on conflict (node) do update set seen_at = excluded.seen_at",
    )
    .bind(node)
    .bind(now_ms())
    .execute(pool)
    .await?;
    Ok(())
}

/// Renews this node's row, adopts dead nodes' updates, and deletes messages older
/// than [`RETENTION`] (every node does; deletes are idempotent).
async fn sweep_loop(
    pool: PgPool,
    node: String,
    store: Store,
    metrics: Arc<Metrics>,
    shutdown: CancellationToken,
) {
    let mut every = tokio::time::interval(HEARTBEAT);
    let mut ticks = 0u64;
    loop {
        tokio::select! {
            _ = every.tick() => {}
            _ = shutdown.cancelled() => return,
        }
        ticks += 1;
        if let Err(e) = heartbeat(&pool, &node).await {
            inc(&metrics.bus_errors);
            tracing::debug!(error = %e, "renewing the node's heartbeat failed");
            continue;
        }
        adopt_dead_nodes(&pool, &store, &metrics).await;
        if ticks.is_multiple_of(15) {
            let cutoff = now_ms() - RETENTION.as_millis() as i64;
            if let Err(e) = sqlx::query("delete from bus_messages where at < $1")
                .bind(cutoff)
                .execute(&pool)
                .await
            {
                tracing::debug!(error = %e, "sweeping the bus failed");
            }
        }
    }
}

/// A node that stopped renewing its row died without writing its last edits: the
/// first node to take its row out writes the document updates it published (those
/// still kept) to the update log, as their authors' — rows it had written already
/// change nothing in the document. Its clients reconnect elsewhere, but their
/// documents hold nothing the surviving nodes lack (they had it through the bus), so
/// without this those edits would be in memory only.
async fn adopt_dead_nodes(pool: &PgPool, store: &Store, metrics: &Metrics) {
    let stale = now_ms() - DEAD_AFTER.as_millis() as i64;
    let dead: Vec<String> =
        match sqlx::query_scalar("delete from bus_nodes where seen_at < $1 returning node")
            .bind(stale)
            .fetch_all(pool)
            .await
        {
            Ok(dead) => dead,
            Err(e) => {
                tracing::debug!(error = %e, "looking for dead nodes failed");
                return;
            }
        };
    for node in dead {
        let rows = match sqlx::query(
            "select map_id, message, author_kind, author_id from bus_messages
             where node = $1 and author_kind is not null order by map_id, n",
        )
        .bind(&node)
        .fetch_all(pool)
        .await
        {
            Ok(rows) => rows,
            Err(e) => {
                inc(&metrics.bus_errors);
                tracing::warn!(%node, error = %e, "could not read a dead node's updates");
                continue;
            }
        };
        let mut adopted = 0u64;
        for row in rows {
            let (Ok(map), Ok(message), Ok(kind), Ok(id)) = (
                row.try_get::<String, _>("map_id"),
                row.try_get::<Vec<u8>, _>("message"),
                row.try_get::<String, _>("author_kind"),
                row.try_get::<Option<String>, _>("author_id"),
            ) else {
                continue;
            };
            let (Some(map), Some(author)) = (MapId::parse(&map), author_of(&kind, id)) else {
                continue;
            };
            let Ok(messages) = wire::decode_frame(&message) else {
                continue;
            };
            for message in messages {
                let (Incoming::Update(update) | Incoming::SyncStep2(update)) = message else {
                    continue;
                };
                use yrs::updates::encoder::Encode;
                let data = update.encode_v1();
                if let Err(e) = store
                    .append_update(&map, &data, now_ms(), None, &author, &[])
                    .await
                {
                    inc(&metrics.bus_errors);
                    tracing::warn!(%node, map = %map, error = %e, "could not write a dead node's update");
                } else {
                    adopted += 1;
                }
            }
        }
        if adopted > 0 {
            crate::metrics::add(&metrics.bus_adopted, adopted);
            tracing::warn!(%node, adopted, "a node died: its last updates were written for it");
        }
    }
}

/// The author stored with a bus message.
fn author_of(kind: &str, id: Option<String>) -> Option<Author> {
    match (kind, id) {
        ("user", Some(id)) => Some(Author::User(UserId(id))),
        ("link", Some(id)) => Some(Author::Link(id)),
        ("server", id) => Some(Author::Server(id.map(UserId))),
        _ => None,
    }
}

/// The node's reader: which message of each open map it has handed over last.
struct Reader {
    pool: PgPool,
    node: String,
    open: Arc<OpenRooms>,
    /// Per open map: the room generation read for, and the last number handed over.
    cursors: HashMap<MapId, (u64, i64)>,
    control: mpsc::UnboundedSender<Control>,
    metrics: Arc<Metrics>,
}

impl Reader {
    async fn run(
        mut self,
        mut listener: PgListener,
        mut commands: mpsc::UnboundedReceiver<ReaderCommand>,
        shutdown: CancellationToken,
    ) {
        let mut poll = tokio::time::interval(POLL);
        poll.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = shutdown.cancelled() => return,
                note = listener.try_recv() => match note {
                    Ok(Some(note)) => self.on_note(note.channel(), note.payload()).await,
                    Ok(None) => {
                        // The connection was lost and is made again by the next call:
                        // whatever was notified meanwhile is read by cursor.
                        tracing::warn!("bus listener reconnecting");
                        inc(&self.metrics.bus_reconnects);
                        self.read_all().await;
                    }
                    Err(e) => {
                        inc(&self.metrics.bus_errors);
                        tracing::warn!(error = %e, "bus listener failed; retrying");
                        tokio::select! {
                            _ = tokio::time::sleep(Duration::from_millis(500)) => {}
                            _ = shutdown.cancelled() => return,
                        }
                    }
                },
                command = commands.recv() => match command {
                    Some(ReaderCommand::Read { map }) => {
                        self.cursors.remove(&map);
                        self.read(&map).await;
                    }
                    Some(ReaderCommand::Closed { map }) => {
                        if self.open.get(&map).is_none() {
                            self.cursors.remove(&map);
                        }
                    }
                    None => return,
                },
                _ = poll.tick() => self.poll().await,
            }
        }
    }

    async fn on_note(&mut self, channel: &str, payload: &str) {
        if channel == CONTROL_CHANNEL {
            match serde_json::from_str::<ControlNote>(payload) {
                Ok(note) if note.node != self.node => {
                    let _ = self.control.send(note.control);
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "unreadable access change on the bus"),
            }
            return;
        }
        let Some((map, node)) = payload.split_once(' ') else {
            return;
        };
        if node == self.node {
            return; // our own: read with the next message from another node
        }
        let Some(map) = MapId::parse(map) else {
            return;
        };
        if self.open.get(&map).is_some() {
            self.read(&map).await;
        }
    }

    /// Reads every open map past its cursor (after the listener reconnected).
    async fn read_all(&mut self) {
        let maps: Vec<MapId> = self.cursors.keys().cloned().collect();
        for map in maps {
            self.read(&map).await;
        }
    }

    /// Checks the head of every map read for, and reads those that moved.
    async fn poll(&mut self) {
        self.cursors.retain(|map, (generation, _)| {
            self.open
                .get(map)
                .is_some_and(|h| h.generation == *generation)
        });
        if self.cursors.is_empty() {
            return;
        }
        let maps: Vec<String> = self.cursors.keys().map(|m| m.as_str().to_owned()).collect();
        let heads = match sqlx::query("select map_id, n from bus_heads where map_id = any($1)")
            .bind(&maps)
            .fetch_all(&self.pool)
            .await
        {
            Ok(rows) => rows,
            Err(e) => {
                inc(&self.metrics.bus_errors);
                tracing::debug!(error = %e, "polling the bus failed");
                return;
            }
        };
        for row in heads {
            let (Ok(map), Ok(head)) = (
                row.try_get::<String, _>("map_id"),
                row.try_get::<i64, _>("n"),
            ) else {
                continue;
            };
            let Some(map) = MapId::parse(&map) else {
                continue;
            };
            if self.cursors.get(&map).is_some_and(|(_, at)| *at < head) {
                self.read(&map).await;
            }
        }
    }

    /// Hands `map`'s messages past the cursor to its room. A gap (the next message was
    /// swept before this node read it) makes the room reload from storage and the
    /// reading start over.
    async fn read(&mut self, map: &MapId) {
        let Some(room) = self.open.get(map) else {
            self.cursors.remove(map);
            return;
        };
        let cursor = match self.cursors.get(map) {
            Some((generation, at)) if *generation == room.generation => *at,
            _ => 0,
        };
        let mut at = cursor;
        loop {
            let rows = match sqlx::query(
                "select n, node, message from bus_messages
                 where map_id = $1 and n > $2 order by n limit $3",
            )
            .bind(map.as_str())
            .bind(at)
            .bind(READ_BATCH)
            .fetch_all(&self.pool)
            .await
            {
                Ok(rows) => rows,
                Err(e) => {
                    inc(&self.metrics.bus_errors);
                    tracing::debug!(map = %map, error = %e, "reading the bus failed");
                    break; // the poll tries again
                }
            };
            let count = rows.len() as i64;
            let mut messages = Vec::with_capacity(rows.len());
            for row in rows {
                let (Ok(n), Ok(node), Ok(message)) = (
                    row.try_get::<i64, _>("n"),
                    row.try_get::<String, _>("node"),
                    row.try_get::<Vec<u8>, _>("message"),
                ) else {
                    continue;
                };
                if at > 0 && n != at + 1 {
                    // Swept before we read it: start over from storage.
                    tracing::warn!(map = %map, from = at, to = n, "missed bus messages; the room reloads");
                    inc(&self.metrics.bus_gaps);
                    if room.tx.try_send(RoomCommand::Reload).is_ok() {
                        self.cursors.remove(map);
                    }
                    return;
                }
                at = n;
                if node != self.node {
                    messages.push(Bytes::from(message));
                }
            }
            if !messages.is_empty() {
                let received = messages.len() as u64;
                match room.tx.try_send(RoomCommand::Remote { messages }) {
                    Ok(()) => crate::metrics::add(&self.metrics.bus_received, received),
                    // Busy or gone: leave the cursor, the poll tries again.
                    Err(_) => return,
                }
            }
            self.cursors.insert(map.clone(), (room.generation, at));
            if count < READ_BATCH {
                return;
            }
        }
    }
}
