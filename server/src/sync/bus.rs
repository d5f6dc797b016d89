//! Several nodes on one PostgreSQL (`parcours serve --cluster`): what a node's room
//! applies for its own peers — document updates and presence — is published to the
//! `bus_messages` table, and every other node with the same map open applies it and
//! passes it to its peers. Two side streams cross nodes the same way: access changes
//! (roles, removals, revoked links, ended sessions, deleted maps) and comment, round
//! and inbox events, which every node reads.
//!
//! - **Publishing**: one autocommit statement takes the stream's next numbers (the
//!   `bus_heads` row is locked until commit, so numbers follow commit order with no
//!   gap), stores the messages, and notifies `parcours_bus` with the stream and the
//!   node. Messages of one map go through one of [`PUBLISHERS`] workers in order,
//!   retried until written; what queued up while a statement ran goes in the next
//!   one (one round trip per map and wake-up, not per message, when busy).
//! - **Reading**: one task per node LISTENs; the notifications that arrived together
//!   (or the poll every [`POLL`], which covers a lost notification) make it read the
//!   moved streams past their cursors, open maps in one query, and hand the messages to
//!   the rooms. A room that opens reads from the start of what is kept, so edits other
//!   nodes have published but not yet written to the update log reach it. A gap
//!   (messages swept before this node read them, after a long bus outage) makes the
//!   room reload from storage and read again.
//! - **Durability** does not depend on the bus: the node that received an edit writes
//!   it to the update log as a single node does. Messages are swept after
//!   [`RETENTION`], long after every node has written its edits (50 ms by default).
//!
//! PostgreSQL's NOTIFY carries keys only; the data stays in the table (payloads are
//! limited to 8 000 bytes, and a notification sent while a listener reconnects is lost,
//! which the cursor makes up for).

use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use parcours_shared::ids::{MapId, Role, UserId};
use serde::{Deserialize, Serialize};
use sqlx::postgres::{PgListener, PgPool, PgPoolOptions};
use sqlx::{Executor, Row};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::command::RoomCommand;
use super::open::{OpenRooms, RoomHandle};
use super::streams::{StreamCommand, Streams};
use crate::events::{Events, Relayed};
use crate::metrics::{inc, Metrics};
use crate::store::{Author, MapHead, Store};
use crate::sync::wire::{self, Incoming};
use crate::util::now_ms;

/// The channel that says "map M has new messages from node N".
const CHANNEL: &str = "parcours_bus";
/// How long messages are kept.
pub const RETENTION: Duration = Duration::from_secs(120);
/// How often a node checks every open map's head, in case a notification was lost.
const POLL: Duration = Duration::from_secs(1);
/// Workers that publish (a map always goes to the same one, so its order is kept).
const PUBLISHERS: usize = 4;
/// Messages waiting per worker before publishing fails (and is counted).
const PUBLISH_QUEUE: usize = 16_384;
/// A stream of the bus that is not a map's: read by every node from where it stood
/// when the node started (their names are not map ids, which are alphanumeric).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    /// Comment, round and inbox events ([`Relayed`]).
    Events = 0,
    /// Access changes ([`Control`]).
    Control = 1,
}

impl Side {
    const ALL: [Side; 2] = [Side::Events, Side::Control];

    fn key(self) -> &'static str {
        match self {
            Side::Events => "~events",
            Side::Control => "~control",
        }
    }

    fn of(key: &str) -> Option<Side> {
        Side::ALL.into_iter().find(|s| s.key() == key)
    }
}
/// The notification that says "a node opened a map": every node reads again which
/// of its maps others have open.
const ROOMS_NOTE: &str = "~rooms";
/// Events waiting to be relayed before new ones are dropped (and logged).
const RELAY_QUEUE: usize = 4_096;
/// Most messages one publishing statement carries.
const PUBLISH_BATCH: usize = 256;
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

/// Where the bus is: PostgreSQL, and Redis for maps' traffic when set.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Endpoints<'a> {
    pub postgres: &'a str,
    pub redis: Option<&'a str>,
}

/// Why the bus could not start.
#[derive(Debug, thiserror::Error)]
pub enum BusError {
    #[error("PostgreSQL: {0}")]
    Postgres(#[from] sqlx::Error),
    #[error("Redis (--redis-url): {0}")]
    Redis(#[from] redis::RedisError),
}

/// The node's end of the bus; cheap to clone.
#[derive(Clone)]
pub struct Bus {
    inner: Arc<BusInner>,
}

struct BusInner {
    node: String,
    pool: PgPool,
    /// Connections for requests' queries (see [`Bus::requests_pool`]).
    requests: PgPool,
    publishers: Vec<mpsc::Sender<Outgoing>>,
    /// Maps another node has open: only their rooms publish (see [`Bus::wanted`]).
    watched: Arc<Mutex<HashSet<MapId>>>,
    /// Maps whose automatic versions another node makes (see [`Bus::makes_versions`]).
    deferring: Arc<Mutex<HashSet<MapId>>>,
    /// Sockets joining (with their display name) and leaving, for `bus_online`.
    online: mpsc::UnboundedSender<(i64, Option<(MapId, String)>)>,
    reader: mpsc::UnboundedSender<ReaderCommand>,
    metrics: Arc<Metrics>,
}

/// One message to publish: the map, the y-protocols message, and for a document
/// update whose edit it is.
type Outgoing = (MapId, Bytes, Option<Author>);

/// Messages of one stream published by one statement, with their authors.
pub(crate) type Batch = Vec<(Bytes, Option<Author>)>;

/// Where what other nodes publish on the side streams goes.
pub(crate) struct Outlets {
    /// Access changes, for this node's rooms.
    pub control: mpsc::UnboundedSender<Control>,
    /// Comment, round and inbox events, for this node's event streams (and this
    /// node's events are relayed from it).
    pub events: Events,
}

/// What rooms tell the reader.
enum ReaderCommand {
    /// A room opened (or reloaded from storage): read its map from the start.
    Read { map: MapId },
    /// A room stopped.
    Closed { map: MapId },
    /// This node's records of open rooms were deleted (taken for dead): make them
    /// again.
    Reregister,
}

impl Bus {
    /// Connects to the bus on `url` (PostgreSQL) as `node`, and starts the publishers,
    /// the reader and the sweeper. What other nodes publish on the side streams goes
    /// to `outlets`.
    pub(crate) async fn start(
        at: Endpoints<'_>,
        node: String,
        open: Arc<OpenRooms>,
        outlets: Outlets,
        store: Store,
        metrics: Arc<Metrics>,
        shutdown: CancellationToken,
    ) -> Result<Bus, BusError> {
        let Outlets { control, events } = outlets;
        let Endpoints {
            postgres: url,
            redis: redis_url,
        } = at;
        let streams = match redis_url {
            Some(url) => Some(Streams::connect(url).await?),
            None => None,
        };
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
        // What answers requests (the login limiter, who is online) has its own few
        // connections: a flood of logins must not starve the bus's own work (it then
        // waits at most 2 s, and the limiter counts in memory meanwhile).
        let requests = PgPoolOptions::new()
            .max_connections(3)
            .acquire_timeout(Duration::from_secs(2))
            .connect(url)
            .await?;
        let mut publishers = Vec::with_capacity(PUBLISHERS);
        for _ in 0..PUBLISHERS {
            let (tx, rx) = mpsc::channel(PUBLISH_QUEUE);
            publishers.push(tx);
            tokio::spawn(publish_loop(
                pool.clone(),
                streams.clone(),
                node.clone(),
                rx,
                metrics.clone(),
                shutdown.clone(),
            ));
        }
        let (relay_tx, relay_rx) = mpsc::channel(RELAY_QUEUE);
        tokio::spawn(relay_loop(
            pool.clone(),
            node.clone(),
            relay_rx,
            metrics.clone(),
            shutdown.clone(),
        ));
        let (online_tx, online_rx) = mpsc::unbounded_channel();
        tokio::spawn(online_loop(
            pool.clone(),
            node.clone(),
            online_rx,
            metrics.clone(),
            shutdown.clone(),
        ));
        let (reader_tx, reader_rx) = mpsc::unbounded_channel();
        let mut listener = PgListener::connect_with(&pool).await?;
        listener.listen(CHANNEL).await?;
        // What was published on the side streams before this node started concerns no
        // socket or stream of this node.
        let mut side_at = [0i64; 2];
        for side in Side::ALL {
            side_at[side as usize] =
                sqlx::query_scalar("select n from bus_heads where map_id = $1")
                    .bind(side.key())
                    .fetch_optional(&pool)
                    .await?
                    .unwrap_or(0);
        }
        let watched: Arc<Mutex<HashSet<MapId>>> = Arc::default();
        let deferring: Arc<Mutex<HashSet<MapId>>> = Arc::default();
        let stream_reader = streams.as_ref().map(|s| {
            s.start_reader(
                node.clone(),
                open.clone(),
                watched.clone(),
                metrics.clone(),
                shutdown.clone(),
            )
        });
        let reader = Reader {
            pool: pool.clone(),
            node: node.clone(),
            open,
            cursors: HashMap::new(),
            registered: HashSet::new(),
            unregistered: HashSet::new(),
            stale: HashSet::new(),
            watched: watched.clone(),
            deferring: deferring.clone(),
            control,
            events: events.clone(),
            side_at,
            streams: stream_reader,
            metrics: metrics.clone(),
        };
        tokio::spawn(reader.run(listener, reader_rx, shutdown.clone()));
        heartbeat(&pool, &node).await?;
        tokio::spawn(sweep_loop(
            pool.clone(),
            node.clone(),
            reader_tx.clone(),
            metrics.clone(),
            shutdown.clone(),
        ));
        let on_redis = streams.is_some();
        tokio::spawn(adopt_loop(
            pool.clone(),
            streams,
            store,
            metrics.clone(),
            shutdown,
        ));
        events.relay_to(relay_tx);
        tracing::info!(%node, redis = on_redis, "cluster bus connected");
        Ok(Bus {
            inner: Arc::new(BusInner {
                node,
                pool,
                requests,
                publishers,
                watched,
                deferring,
                online: online_tx,
                reader: reader_tx,
                metrics,
            }),
        })
    }

    /// The node stopped cleanly (every room wrote its edits): it leaves the bus, so no
    /// other node adopts what it published.
    pub async fn leave(&self) {
        let _ = sqlx::query("delete from bus_rooms where node = $1")
            .bind(&self.inner.node)
            .execute(&self.inner.pool)
            .await;
        let _ = sqlx::query("delete from bus_online where node = $1")
            .bind(&self.inner.node)
            .execute(&self.inner.pool)
            .await;
        let _ = sqlx::query("delete from bus_nodes where node = $1")
            .bind(&self.inner.node)
            .execute(&self.inner.pool)
            .await;
    }

    /// Socket `peer` joined `map` as `name` (`None`: it left), for every node's maps
    /// list.
    pub(crate) fn online(&self, peer: u64, joined: Option<(MapId, String)>) {
        let _ = self.inner.online.send((peer as i64, joined));
    }

    /// Who is on each of `maps` through the other nodes: display names by map (each
    /// name once per map).
    pub async fn online_elsewhere(
        &self,
        maps: &[MapId],
    ) -> Result<HashMap<MapId, Vec<String>>, sqlx::Error> {
        let names: Vec<&str> = maps.iter().map(MapId::as_str).collect();
        let rows = sqlx::query(
            "select distinct map_id, name from bus_online
             where map_id = any($1) and node <> $2",
        )
        .bind(&names)
        .bind(&self.inner.node)
        .fetch_all(&self.inner.requests)
        .await?;
        let mut online: HashMap<MapId, Vec<String>> = HashMap::new();
        for row in rows {
            let (Ok(map), Ok(name)) = (
                row.try_get::<String, _>("map_id"),
                row.try_get::<String, _>("name"),
            ) else {
                continue;
            };
            if let Some(map) = MapId::parse(&map) {
                online.entry(map).or_default().push(name);
            }
        }
        Ok(online)
    }

    /// This node's name on the bus.
    pub fn node(&self) -> &str {
        &self.inner.node
    }

    /// A few connections to the cluster's database for what HTTP requests read and
    /// write of the shared tables (the login limiter), apart from the bus's own.
    pub fn requests_pool(&self) -> &PgPool {
        &self.inner.requests
    }

    /// Whether another node has `map` open, so that what this node's room applies for
    /// its peers must be published. A map open on this node alone publishes nothing
    /// (with sticky routing, nearly every map); when another node opens it, this
    /// node's room is told within a poll ([`RoomCommand::Republish`]) and publishes
    /// its whole document once, then every message.
    pub(crate) fn wanted(&self, map: &MapId) -> bool {
        self.inner
            .watched
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .contains(map)
    }

    /// Whether this node makes `map`'s automatic versions: of the nodes that have it
    /// open, the one whose name sorts first does (known within a poll); the others'
    /// rooms leave them to it, so editing on several nodes makes one version per pause,
    /// holding everyone's edits.
    pub(crate) fn makes_versions(&self, map: &MapId) -> bool {
        !self
            .inner
            .deferring
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .contains(map)
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

    /// Tells every other node about an access change: published on the bus's access
    /// stream, which every node reads by cursor like a map's messages (a notification
    /// lost while a listener reconnects delays it until the next poll, never loses it).
    pub async fn control(&self, control: Control) {
        let Ok(payload) = serde_json::to_vec(&control) else {
            return;
        };
        let batch = [(Bytes::from(payload), None)];
        if let Err(e) = publish_batch(
            &self.inner.pool,
            &self.inner.node,
            Side::Control.key(),
            &batch,
        )
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
    streams: Option<Streams>,
    node: String,
    mut rx: mpsc::Receiver<Outgoing>,
    metrics: Arc<Metrics>,
    shutdown: CancellationToken,
) {
    // At shutdown the rooms write and publish their last edits: keep publishing for a
    // while after it, so the other nodes get them too.
    let mut stop_at: Option<tokio::time::Instant> = None;
    let mut waiting: Vec<Outgoing> = Vec::with_capacity(PUBLISH_BATCH);
    let mut redis_con = None;
    loop {
        let far = || tokio::time::Instant::now() + Duration::from_secs(86_400);
        let first = tokio::select! {
            next = rx.recv() => match next { Some(m) => m, None => return },
            _ = shutdown.cancelled(), if stop_at.is_none() => {
                stop_at = Some(tokio::time::Instant::now() + SHUTDOWN_DRAIN);
                continue;
            }
            _ = tokio::time::sleep_until(stop_at.unwrap_or_else(far)), if stop_at.is_some() => return,
        };
        // What queued up while the last statement ran goes in the next ones: one round
        // trip per map rather than per message when the bus is busy.
        waiting.push(first);
        while waiting.len() < PUBLISH_BATCH {
            match rx.try_recv() {
                Ok(m) => waiting.push(m),
                Err(_) => break,
            }
        }
        if let Some(streams) = &streams {
            // Every map's messages in one pipeline, retried whole (a message sent
            // twice changes nothing the second time).
            let groups = by_map(&mut waiting);
            let count: usize = groups.iter().map(|(_, b)| b.len()).sum();
            let mut backoff = Duration::from_millis(50);
            loop {
                match streams.publish(&mut redis_con, &node, &groups).await {
                    Ok(()) => {
                        crate::metrics::add(&metrics.bus_published, count as u64);
                        break;
                    }
                    Err(e) => {
                        inc(&metrics.bus_errors);
                        tracing::warn!(error = %e, "publishing to the Redis bus failed; retrying");
                        if !keep_trying(&mut stop_at, &shutdown, backoff).await {
                            return;
                        }
                        backoff = (backoff * 2).min(MAX_BACKOFF);
                    }
                }
            }
            continue;
        }
        for (map, batch) in by_map(&mut waiting) {
            let mut backoff = Duration::from_millis(50);
            loop {
                match publish_batch(&pool, &node, map.as_str(), &batch).await {
                    Ok(()) => {
                        crate::metrics::add(&metrics.bus_published, batch.len() as u64);
                        break;
                    }
                    Err(e) => {
                        inc(&metrics.bus_errors);
                        tracing::warn!(map = %map, error = %e, "publishing to the bus failed; retrying");
                        if !keep_trying(&mut stop_at, &shutdown, backoff).await {
                            return;
                        }
                        backoff = (backoff * 2).min(MAX_BACKOFF);
                    }
                }
            }
        }
    }
}

/// Waits `backoff` before a publish is tried again; false when publishing must stop
/// (shutdown began more than [`SHUTDOWN_DRAIN`] ago, or begins during the wait and
/// then runs out).
async fn keep_trying(
    stop_at: &mut Option<tokio::time::Instant>,
    shutdown: &CancellationToken,
    backoff: Duration,
) -> bool {
    if stop_at.is_none() && shutdown.is_cancelled() {
        *stop_at = Some(tokio::time::Instant::now() + SHUTDOWN_DRAIN);
    }
    let wake = tokio::time::Instant::now() + backoff;
    let Some(at) = *stop_at else {
        tokio::select! {
            _ = tokio::time::sleep_until(wake) => return true,
            _ = shutdown.cancelled() => {
                *stop_at = Some(tokio::time::Instant::now() + SHUTDOWN_DRAIN);
                return true;
            }
        }
    };
    if tokio::time::Instant::now() >= at {
        return false;
    }
    tokio::time::sleep_until(wake.min(at)).await;
    true
}

/// Publishes the events of this node's comment rounds and inboxes for the other
/// nodes, in order, several per statement when they queue up.
async fn relay_loop(
    pool: PgPool,
    node: String,
    mut rx: mpsc::Receiver<Relayed>,
    metrics: Arc<Metrics>,
    shutdown: CancellationToken,
) {
    let mut waiting: Vec<Relayed> = Vec::new();
    loop {
        let first = tokio::select! {
            next = rx.recv() => match next { Some(e) => e, None => return },
            _ = shutdown.cancelled() => return,
        };
        waiting.push(first);
        while waiting.len() < PUBLISH_BATCH {
            match rx.try_recv() {
                Ok(e) => waiting.push(e),
                Err(_) => break,
            }
        }
        let batch: Vec<(Bytes, Option<Author>)> = waiting
            .drain(..)
            .filter_map(|e| serde_json::to_vec(&e).ok())
            .map(|json| (Bytes::from(json), None))
            .collect();
        let mut backoff = Duration::from_millis(50);
        loop {
            match publish_batch(&pool, &node, Side::Events.key(), &batch).await {
                Ok(()) => break,
                Err(e) => {
                    inc(&metrics.bus_errors);
                    tracing::warn!(error = %e, "relaying events to the bus failed; retrying");
                    tokio::select! {
                        _ = tokio::time::sleep(backoff) => {}
                        _ = shutdown.cancelled() => return,
                    }
                    backoff = (backoff * 2).min(MAX_BACKOFF);
                }
            }
        }
    }
}

/// Keeps this node's rows of `bus_online` up to date: what queued up while the last
/// write ran is written in one transaction (the last change of each socket wins),
/// retried until it succeeds.
async fn online_loop(
    pool: PgPool,
    node: String,
    mut rx: mpsc::UnboundedReceiver<(i64, Option<(MapId, String)>)>,
    metrics: Arc<Metrics>,
    shutdown: CancellationToken,
) {
    loop {
        let first = tokio::select! {
            next = rx.recv() => match next { Some(c) => c, None => return },
            _ = shutdown.cancelled() => return,
        };
        let mut last: HashMap<i64, Option<(MapId, String)>> = HashMap::new();
        last.insert(first.0, first.1);
        while let Ok((peer, joined)) = rx.try_recv() {
            last.insert(peer, joined);
            if last.len() >= PUBLISH_BATCH {
                break;
            }
        }
        let peers: Vec<i64> = last.keys().copied().collect();
        let mut joined_peers = Vec::new();
        let mut maps = Vec::new();
        let mut names = Vec::new();
        for (peer, joined) in &last {
            if let Some((map, name)) = joined {
                joined_peers.push(*peer);
                maps.push(map.as_str());
                names.push(name.as_str());
            }
        }
        let mut backoff = Duration::from_millis(50);
        loop {
            let write = async {
                let mut tx = pool.begin().await?;
                sqlx::query("delete from bus_online where node = $1 and peer = any($2)")
                    .bind(&node)
                    .bind(&peers)
                    .execute(&mut *tx)
                    .await?;
                if !joined_peers.is_empty() {
                    sqlx::query(
                        "insert into bus_online (node, peer, map_id, name)
                         select $1, u.peer, u.map_id, u.name
                         from unnest($2::bigint[], $3::text[], $4::text[]) as u(peer, map_id, name)",
                    )
                    .bind(&node)
                    .bind(&joined_peers)
                    .bind(&maps)
                    .bind(&names)
                    .execute(&mut *tx)
                    .await?;
                }
                tx.commit().await
            };
            match write.await {
                Ok(()) => break,
                Err(e) => {
                    inc(&metrics.bus_errors);
                    tracing::debug!(error = %e, "writing who is online failed; retrying");
                    tokio::select! {
                        _ = tokio::time::sleep(backoff) => {}
                        _ = shutdown.cancelled() => return,
                    }
                    backoff = (backoff * 2).min(MAX_BACKOFF);
                }
            }
        }
    }
}

/// Takes `waiting`'s messages grouped by map, each group in the order queued.
fn by_map(waiting: &mut Vec<Outgoing>) -> Vec<(MapId, Batch)> {
    let mut groups: Vec<(MapId, Batch)> = Vec::new();
    for (map, message, author) in waiting.drain(..) {
        match groups.iter_mut().find(|(m, _)| *m == map) {
            Some((_, group)) => group.push((message, author)),
            None => groups.push((map, vec![(message, author)])),
        }
    }
    groups
}

/// Takes the map's next numbers (as many as messages) and stores the messages under
/// them in order, notifying listeners once at commit; one statement, so one round
/// trip.
async fn publish_batch(
    pool: &PgPool,
    node: &str,
    map: &str,
    batch: &[(Bytes, Option<Author>)],
) -> Result<(), sqlx::Error> {
    let count = batch.len() as i64;
    let messages: Vec<&[u8]> = batch.iter().map(|(m, _)| m.as_ref()).collect();
    let kinds: Vec<Option<&str>> = batch
        .iter()
        .map(|(_, a)| a.as_ref().map(Author::kind))
        .collect();
    let ids: Vec<Option<&str>> = batch
        .iter()
        .map(|(_, a)| a.as_ref().and_then(Author::id))
        .collect();
    sqlx::query(
        "with h as (
             insert into bus_heads (map_id, n) values ($1, $8)
             on conflict (map_id) do update set n = bus_heads.n + $8
             returning n
         ), m as (
             insert into bus_messages (map_id, n, node, at, message, author_kind, author_id)
             select $1, h.n - $8 + u.i, $2, $3, u.message, u.kind, u.id
             from h, unnest($4::bytea[], $6::text[], $7::text[])
                  with ordinality as u(message, kind, id, i)
             returning n
         )
         select (select count(*) from m), pg_notify($5, $1 || ' ' || $2)",
    )
    .bind(map)
    .bind(node)
    .bind(now_ms())
    .bind(&messages)
    .bind(CHANNEL)
    .bind(&kinds)
    .bind(&ids)
    .bind(count)
    .execute(pool)
    .await?;
    Ok(())
}

/// How often a node renews its row in `bus_nodes`.
const HEARTBEAT: Duration = Duration::from_secs(2);
/// A node not seen for this long is dead, and its unwritten updates are adopted.
const DEAD_AFTER: Duration = Duration::from_secs(10);

/// Renews this node's row; true when the row had to be created (at start, or after
/// another node took this one for dead: its records of open rooms were deleted then).
async fn heartbeat(pool: &PgPool, node: &str) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar(
        "insert into bus_nodes (node, seen_at) values ($1, $2)
         on conflict (node) do update set seen_at = excluded.seen_at
         returning (xmax = 0)",
    )
    .bind(node)
    .bind(now_ms())
    .fetch_one(pool)
    .await
}

/// Renews this node's row and deletes messages older than [`RETENTION`] (every node
/// does; deletes are idempotent). A row that had to be made again means another node
/// took this one for dead (a long stall or outage) and deleted its records of open
/// rooms: the reader records them again.
async fn sweep_loop(
    pool: PgPool,
    node: String,
    reader: mpsc::UnboundedSender<ReaderCommand>,
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
        match heartbeat(&pool, &node).await {
            Ok(true) => {
                tracing::warn!(%node, "this node was taken for dead; recording its open maps again");
                let _ = reader.send(ReaderCommand::Reregister);
            }
            Ok(false) => {}
            Err(e) => {
                inc(&metrics.bus_errors);
                tracing::debug!(error = %e, "renewing the node's heartbeat failed");
                continue;
            }
        }
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

/// Looks for dead nodes every [`HEARTBEAT`], apart from the heartbeat itself (writing
/// a busy dead node's updates may take longer than [`DEAD_AFTER`]).
async fn adopt_loop(
    pool: PgPool,
    streams: Option<Streams>,
    store: Store,
    metrics: Arc<Metrics>,
    shutdown: CancellationToken,
) {
    let mut every = tokio::time::interval(HEARTBEAT);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    // Dead nodes whose updates could not be read yet.
    let mut unread: Vec<String> = Vec::new();
    loop {
        tokio::select! {
            _ = every.tick() => {}
            _ = shutdown.cancelled() => return,
        }
        adopt_dead_nodes(&pool, streams.as_ref(), &store, &metrics, &mut unread).await;
    }
}

/// A node that stopped renewing its row died without writing its last edits: the
/// first node to take its row out writes the document updates it published (those
/// still kept) to the update log, as their authors' — rows it had written already
/// change nothing in the document. Its clients reconnect elsewhere, but their
/// documents hold nothing the surviving nodes lack (they had it through the bus), so
/// without this those edits would be in memory only.
async fn adopt_dead_nodes(
    pool: &PgPool,
    streams: Option<&Streams>,
    store: &Store,
    metrics: &Metrics,
    unread: &mut Vec<String>,
) {
    let stale = now_ms() - DEAD_AFTER.as_millis() as i64;
    let mut dead: Vec<String> =
        match sqlx::query_scalar("delete from bus_nodes where seen_at < $1 returning node")
            .bind(stale)
            .fetch_all(pool)
            .await
        {
            Ok(dead) => dead,
            Err(e) => {
                tracing::debug!(error = %e, "looking for dead nodes failed");
                Vec::new()
            }
        };
    dead.append(unread);
    for node in dead {
        let rows = match published_by(pool, streams, &node).await {
            Ok(rows) => rows,
            Err(e) => {
                // Its records are kept (they say which maps to read): tried again at
                // the next look, until the updates can be read.
                inc(&metrics.bus_errors);
                tracing::warn!(%node, error = %e, "could not read a dead node's updates; retrying");
                unread.push(node);
                continue;
            }
        };
        let _ = sqlx::query("delete from bus_rooms where node = $1")
            .bind(&node)
            .execute(pool)
            .await;
        let _ = sqlx::query("delete from bus_online where node = $1")
            .bind(&node)
            .execute(pool)
            .await;
        let mut adopted = 0u64;
        for (map, message, kind, id) in rows {
            let Some(author) = author_of(&kind, id) else {
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
                    .append_update(&map, &data, now_ms(), MapHead::default(), &author, &[])
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

/// A dead node's document updates still kept on the bus, per map in order: the
/// message, its author's kind and id.
async fn published_by(
    pool: &PgPool,
    streams: Option<&Streams>,
    node: &str,
) -> Result<Vec<Published>, BusError> {
    if let Some(streams) = streams {
        // Only maps another node had open were published: those the dead node had.
        let maps: Vec<String> = sqlx::query_scalar("select map_id from bus_rooms where node = $1")
            .bind(node)
            .fetch_all(pool)
            .await?;
        let maps: Vec<MapId> = maps.iter().filter_map(|m| MapId::parse(m)).collect();
        return Ok(streams.published_by(node, &maps).await?);
    }
    let rows = sqlx::query(
        "select map_id, message, author_kind, author_id from bus_messages
         where node = $1 and author_kind is not null order by map_id, n",
    )
    .bind(node)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            Some((
                MapId::parse(&row.try_get::<String, _>("map_id").ok()?)?,
                row.try_get::<Vec<u8>, _>("message").ok()?,
                row.try_get::<String, _>("author_kind").ok()?,
                row.try_get::<Option<String>, _>("author_id").ok()?,
            ))
        })
        .collect())
}

/// A published document update: its map, the message, its author's kind and id.
pub(crate) type Published = (MapId, Vec<u8>, String, Option<String>);

/// The author stored with a bus message.
pub(crate) fn author_of(kind: &str, id: Option<String>) -> Option<Author> {
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
    /// Maps whose room is open here, as recorded in `bus_rooms` for the other nodes.
    registered: HashSet<MapId>,
    /// Maps whose room opened here but could not be recorded yet (retried each poll).
    unregistered: HashSet<MapId>,
    /// Maps whose room closed here but whose record could not be deleted yet (retried
    /// each poll: a record left behind would make the others publish for nobody and
    /// leave their versions to this node).
    stale: HashSet<MapId>,
    /// Maps another node has open (shared with [`Bus::wanted`]).
    watched: Arc<Mutex<HashSet<MapId>>>,
    /// Maps whose versions another node makes (shared with [`Bus::makes_versions`]).
    deferring: Arc<Mutex<HashSet<MapId>>>,
    control: mpsc::UnboundedSender<Control>,
    /// Where other nodes' events go.
    events: Events,
    /// The last message read of each side stream.
    side_at: [i64; 2],
    /// The reader of maps' Redis streams (`--redis-url`), which then reads maps'
    /// messages instead of this one.
    streams: Option<mpsc::UnboundedSender<StreamCommand>>,
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
                    Ok(Some(note)) => {
                        // Take every notification already here too, and read all the
                        // maps they name in one query.
                        let mut moved = Moved::default();
                        self.on_note(note.channel(), note.payload(), &mut moved);
                        while let Some(note) = listener.next_buffered() {
                            self.on_note(note.channel(), note.payload(), &mut moved);
                        }
                        for side in Side::ALL {
                            if moved.sides[side as usize] {
                                self.read_side(side).await;
                            }
                        }
                        if moved.rooms {
                            self.refresh_watched().await;
                        }
                        self.read_many(moved.maps).await;
                    }
                    Ok(None) => {
                        // The connection was lost and is made again by the next call:
                        // whatever was notified meanwhile is read by cursor.
                        tracing::warn!("bus listener reconnecting");
                        inc(&self.metrics.bus_reconnects);
                        for side in Side::ALL {
                            self.read_side(side).await;
                        }
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
                        // Recorded first, so that nodes editing this map alone start
                        // publishing (after their whole document) before this room
                        // could miss anything.
                        self.register(&map).await;
                        // Nodes that had this map open before are not told: whether
                        // it is shared is known now, not at the next poll.
                        self.refresh_watched().await;
                        // From the start of what is kept; recorded before reading, so
                        // the poll tries again should this first read fail.
                        match (self.open.get(&map), &self.streams) {
                            (Some(room), Some(streams)) => {
                                let _ = streams.send(StreamCommand::Read {
                                    map,
                                    generation: room.generation,
                                });
                            }
                            (Some(room), None) => {
                                self.cursors.insert(map.clone(), (room.generation, 0));
                                self.read(&map).await;
                            }
                            (None, _) => {
                                self.cursors.remove(&map);
                            }
                        }
                    }
                    Some(ReaderCommand::Closed { map }) => {
                        if self.open.get(&map).is_none() {
                            self.cursors.remove(&map);
                            self.unregister(&map).await;
                            if let Some(streams) = &self.streams {
                                let _ = streams.send(StreamCommand::Closed { map });
                            }
                        }
                    }
                    Some(ReaderCommand::Reregister) => {
                        // Retried by the next poll.
                        self.unregistered.extend(self.registered.drain());
                        self.refresh_watched().await;
                    }
                    None => return,
                },
                _ = poll.tick() => self.poll().await,
            }
        }
    }

    /// Records that `map`'s room is open on this node.
    async fn register(&mut self, map: &MapId) {
        if self.registered.contains(map) {
            return;
        }
        // The other nodes are told at once (rather than at their next poll), so those
        // with this map open alone publish their whole document within milliseconds.
        match sqlx::query(
            "with r as (
                 insert into bus_rooms (node, map_id) values ($1, $2) on conflict do nothing
                 returning node
             )
             select (select count(*) from r), pg_notify($3, $4 || ' ' || $1)",
        )
        .bind(&self.node)
        .bind(map.as_str())
        .bind(CHANNEL)
        .bind(ROOMS_NOTE)
        .execute(&self.pool)
        .await
        {
            Ok(_) => {
                self.unregistered.remove(map);
                self.registered.insert(map.clone());
            }
            Err(e) => {
                inc(&self.metrics.bus_errors);
                tracing::warn!(map = %map, error = %e, "could not record an open room; retrying");
                self.unregistered.insert(map.clone());
            }
        }
    }

    /// Records that `map`'s room is no longer open on this node (retried at each poll
    /// until the record is deleted).
    async fn unregister(&mut self, map: &MapId) {
        self.unregistered.remove(map);
        self.watched
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(map);
        self.deferring
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(map);
        if self.registered.remove(map) || self.stale.contains(map) {
            match sqlx::query("delete from bus_rooms where node = $1 and map_id = $2")
                .bind(&self.node)
                .bind(map.as_str())
                .execute(&self.pool)
                .await
            {
                Ok(_) => {
                    self.stale.remove(map);
                }
                Err(e) => {
                    inc(&self.metrics.bus_errors);
                    tracing::debug!(map = %map, error = %e, "could not delete a closed room's record; retrying");
                    self.stale.insert(map.clone());
                }
            }
        }
    }

    /// Retries recording rooms, then reads which of this node's open maps another
    /// node has open too. A map that just became so is told to publish its whole
    /// document (the other node may lack what this one has not written yet) and
    /// publishes every message from then on.
    async fn refresh_watched(&mut self) {
        for map in self.unregistered.clone() {
            if self.open.get(&map).is_some() {
                self.register(&map).await;
            } else {
                self.unregistered.remove(&map);
            }
        }
        for map in self.stale.clone() {
            if self.open.get(&map).is_none() {
                self.unregister(&map).await;
            } else {
                self.stale.remove(&map); // open again: recorded again
            }
        }
        if self.registered.is_empty() {
            self.deferring
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .clear();
            return;
        }
        let maps: Vec<&str> = self.registered.iter().map(MapId::as_str).collect();
        let rows: Vec<(String, String)> = match sqlx::query_as(
            "select map_id, min(node) from bus_rooms
             where node <> $1 and map_id = any($2) group by map_id",
        )
        .bind(&self.node)
        .bind(&maps)
        .fetch_all(&self.pool)
        .await
        {
            Ok(rows) => rows,
            Err(e) => {
                inc(&self.metrics.bus_errors);
                tracing::debug!(error = %e, "reading which maps other nodes have open failed");
                return; // keep publishing what was wanted
            }
        };
        // Versions are made by the node whose name sorts first.
        *self.deferring.lock().unwrap_or_else(|p| p.into_inner()) = rows
            .iter()
            .filter(|(_, first)| first.as_str() < self.node.as_str())
            .filter_map(|(m, _)| MapId::parse(m))
            .collect();
        let now: HashSet<MapId> = rows.iter().filter_map(|(m, _)| MapId::parse(m)).collect();
        let before = self
            .watched
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        // Maps no longer open elsewhere stop publishing.
        self.watched
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .retain(|m| now.contains(m));
        let mut newly = false;
        for map in now {
            if before.contains(&map) {
                continue;
            }
            // Newly shared: marked first, so that every edit the room applies from now
            // on is published, and only then is the room told to publish its whole
            // document (which holds every edit before). Not delivered (the room is
            // busy or gone): unmarked, tried again at the next poll.
            let Some(room) = self.open.get(&map) else {
                continue;
            };
            self.watched
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .insert(map.clone());
            if room.tx.try_send(RoomCommand::Republish).is_err() {
                self.watched
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .remove(&map);
            } else {
                newly = true;
            }
        }
        // The stream reader reads the newly shared maps at once.
        if let (true, Some(streams)) = (newly, &self.streams) {
            let _ = streams.send(StreamCommand::Wake);
        }
    }

    /// Handles one notification: the stream it names, if another node published on
    /// it and this node reads it, is marked in `moved` (each map once).
    fn on_note(&mut self, channel: &str, payload: &str, moved: &mut Moved) {
        if channel != CHANNEL {
            return;
        }
        let Some((map, node)) = payload.split_once(' ') else {
            return;
        };
        if node == self.node {
            return; // our own: read with the next message from another node
        }
        if let Some(side) = Side::of(map) {
            moved.sides[side as usize] = true;
            return;
        }
        if map == ROOMS_NOTE {
            moved.rooms = true;
            return;
        }
        let Some(map) = MapId::parse(map) else {
            return;
        };
        if self.open.get(&map).is_some() && !moved.maps.contains(&map) {
            moved.maps.push(map);
        }
    }

    /// Reads `maps` past their cursors: those already being read in one query, the
    /// others (just opened) one by one from the start.
    async fn read_many(&mut self, maps: Vec<MapId>) {
        let mut batch: Vec<(MapId, RoomHandle, i64)> = Vec::with_capacity(maps.len());
        for map in maps {
            let Some(room) = self.open.get(&map) else {
                self.cursors.remove(&map);
                continue;
            };
            match self.cursors.get(&map) {
                Some((generation, at)) if *generation == room.generation => {
                    batch.push((map, room, *at))
                }
                _ => self.read(&map).await,
            }
        }
        match batch.len() {
            0 => return,
            1 => {
                let (map, _, _) = batch.remove(0);
                self.read(&map).await;
                return;
            }
            _ => {}
        }
        let names: Vec<&str> = batch.iter().map(|(m, _, _)| m.as_str()).collect();
        let cursors: Vec<i64> = batch.iter().map(|(_, _, at)| *at).collect();
        let rows = match sqlx::query(
            "select m.map_id, m.n, m.node, m.message
             from unnest($1::text[], $2::bigint[]) as c(map_id, at)
             join bus_messages m on m.map_id = c.map_id and m.n > c.at
             order by m.map_id, m.n limit $3",
        )
        .bind(&names)
        .bind(&cursors)
        .bind(READ_BATCH)
        .fetch_all(&self.pool)
        .await
        {
            Ok(rows) => rows,
            Err(e) => {
                inc(&self.metrics.bus_errors);
                tracing::debug!(error = %e, "reading the bus failed");
                return; // the poll tries again
            }
        };
        let full = rows.len() as i64 >= READ_BATCH;
        let mut by_map: HashMap<String, Vec<BusRow>> = HashMap::new();
        for row in rows {
            let (Ok(map), Ok(n), Ok(node), Ok(message)) = (
                row.try_get::<String, _>("map_id"),
                row.try_get::<i64, _>("n"),
                row.try_get::<String, _>("node"),
                row.try_get::<Vec<u8>, _>("message"),
            ) else {
                continue;
            };
            by_map.entry(map).or_default().push((n, node, message));
        }
        for (map, room, at) in batch {
            let rows = by_map.remove(map.as_str()).unwrap_or_default();
            if self.hand_over(&map, &room, at, rows).is_none() {
                continue;
            }
            if full {
                self.read(&map).await; // more may wait past what one query returned
            }
        }
    }

    /// Reads every open map past its cursor (after the listener reconnected).
    async fn read_all(&mut self) {
        let maps: Vec<MapId> = self.cursors.keys().cloned().collect();
        self.read_many(maps).await;
    }

    /// Checks the head of every map read for, and reads those that moved.
    async fn poll(&mut self) {
        self.cursors.retain(|map, (generation, _)| {
            self.open
                .get(map)
                .is_some_and(|h| h.generation == *generation)
        });
        self.refresh_watched().await;
        let mut maps: Vec<String> = self.cursors.keys().map(|m| m.as_str().to_owned()).collect();
        maps.extend(Side::ALL.map(|s| s.key().to_owned()));
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
        let mut moved = Vec::new();
        for row in heads {
            let (Ok(map), Ok(head)) = (
                row.try_get::<String, _>("map_id"),
                row.try_get::<i64, _>("n"),
            ) else {
                continue;
            };
            if let Some(side) = Side::of(&map) {
                if self.side_at[side as usize] < head {
                    self.read_side(side).await;
                }
                continue;
            }
            let Some(map) = MapId::parse(&map) else {
                continue;
            };
            if self.cursors.get(&map).is_some_and(|(_, at)| *at < head) {
                moved.push(map);
            }
        }
        self.read_many(moved).await;
    }

    /// Delivers the other nodes' messages on a side stream past its cursor: events to
    /// this node's subscribers, access changes to its rooms. Messages swept before
    /// they were read (a bus outage longer than [`RETENTION`]) are skipped and
    /// counted: event streams' clients reload when they reconnect.
    async fn read_side(&mut self, side: Side) {
        loop {
            let at = self.side_at[side as usize];
            let rows = match sqlx::query(
                "select n, node, message from bus_messages
                 where map_id = $1 and n > $2 order by n limit $3",
            )
            .bind(side.key())
            .bind(at)
            .bind(READ_BATCH)
            .fetch_all(&self.pool)
            .await
            {
                Ok(rows) => rows,
                Err(e) => {
                    inc(&self.metrics.bus_errors);
                    tracing::debug!(error = %e, ?side, "reading the bus failed");
                    return; // the poll tries again
                }
            };
            let count = rows.len() as i64;
            for row in rows {
                let (Ok(n), Ok(node), Ok(message)) = (
                    row.try_get::<i64, _>("n"),
                    row.try_get::<String, _>("node"),
                    row.try_get::<Vec<u8>, _>("message"),
                ) else {
                    continue;
                };
                let at = &mut self.side_at[side as usize];
                if n != *at + 1 {
                    inc(&self.metrics.bus_gaps);
                    tracing::warn!(from = *at, to = n, ?side, "missed messages on the bus");
                }
                *at = n;
                if node == self.node {
                    continue;
                }
                match side {
                    Side::Events => match serde_json::from_slice::<Relayed>(&message) {
                        Ok(event) => self.events.deliver(event),
                        Err(e) => tracing::warn!(error = %e, "unreadable event on the bus"),
                    },
                    Side::Control => match serde_json::from_slice::<Control>(&message) {
                        Ok(control) => {
                            let _ = self.control.send(control);
                        }
                        Err(e) => tracing::warn!(error = %e, "unreadable access change on the bus"),
                    },
                }
            }
            if count < READ_BATCH {
                return;
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
        let mut at = match self.cursors.get(map) {
            Some((generation, at)) if *generation == room.generation => *at,
            _ => 0,
        };
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
                    return; // the poll tries again
                }
            };
            let count = rows.len() as i64;
            let rows: Vec<BusRow> = rows
                .into_iter()
                .filter_map(|row| {
                    Some((
                        row.try_get::<i64, _>("n").ok()?,
                        row.try_get::<String, _>("node").ok()?,
                        row.try_get::<Vec<u8>, _>("message").ok()?,
                    ))
                })
                .collect();
            match self.hand_over(map, &room, at, rows) {
                Some(next) if count >= READ_BATCH => at = next,
                _ => return,
            }
        }
    }

    /// Hands `rows` (`map`'s messages past `at`, in order) to its room, and moves the
    /// cursor. Returns the new cursor; `None` when the room must reload (a gap: the
    /// next message was swept before this node read it) or was busy (the cursor stays
    /// and the poll tries again).
    fn hand_over(
        &mut self,
        map: &MapId,
        room: &RoomHandle,
        mut at: i64,
        rows: Vec<BusRow>,
    ) -> Option<i64> {
        let mut messages = Vec::with_capacity(rows.len());
        for (n, node, message) in rows {
            if at > 0 && n != at + 1 {
                // Swept before we read it: start over from storage.
                tracing::warn!(map = %map, from = at, to = n, "missed bus messages; the room reloads");
                inc(&self.metrics.bus_gaps);
                if room.tx.try_send(RoomCommand::Reload).is_ok() {
                    self.cursors.remove(map);
                }
                return None;
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
                Err(_) => return None,
            }
        }
        self.cursors.insert(map.clone(), (room.generation, at));
        Some(at)
    }
}

/// What a wake-up of the reader found moved.
#[derive(Default)]
struct Moved {
    /// Open maps with messages from other nodes, each once.
    maps: Vec<MapId>,
    /// Side streams other nodes published on.
    sides: [bool; 2],
    /// Another node opened a map.
    rooms: bool,
}

/// A message read from the bus: its number, the node that published it, the message.
type BusRow = (i64, String, Vec<u8>);
