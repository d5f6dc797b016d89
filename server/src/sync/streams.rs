//! The bus's map traffic on Redis streams (`--redis-url`): what rooms publish for the
//! other nodes goes to one stream per map (`XADD`, trimmed to [`RETENTION`] by id),
//! and each node reads the streams of its open maps that another node has open too
//! with one blocking `XREAD` from the last id it handed over. PostgreSQL keeps
//! everything else of the cluster: the update log, which maps each node has open, the
//! side streams (access changes, events), who is online, the login limiter.
//!
//! Redis keeps nothing on disk here and may restart empty. A node tells a restart from
//! a failed connection by the server's run id: after a restart it reads every kept
//! entry of its maps again and publishes the whole document of its shared maps (what
//! the others had not read yet was lost with Redis); after an outage longer than half
//! the retention its rooms reload from storage (what was trimmed meanwhile was written
//! to the update log by the nodes that received it); otherwise it resumes from its
//! cursors.
//!
//! docs/PERFORMANCE.md ("One bus hop") has why: a hop through a Redis stream costs a
//! tenth of one through PostgreSQL, and stays flat where PostgreSQL's notifying commits
//! queue on one lock.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use parcours_shared::ids::MapId;
use redis::aio::MultiplexedConnection;
use redis::streams::{StreamId, StreamRangeReply, StreamReadReply};
use redis::{AsyncConnectionConfig, Client, Value};
use tokio::sync::mpsc;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use super::bus::{Batch, RETENTION};
use super::command::RoomCommand;
use super::open::OpenRooms;
use crate::metrics::{add, inc, Metrics};
use crate::util::now_ms;

/// How long one `XREAD` waits for new entries.
const BLOCK: Duration = Duration::from_secs(1);
/// Entries read per stream and call.
const READ_COUNT: usize = 1_000;
/// A room too busy to take its messages is left out of reading this long.
const BUSY_PAUSE: Duration = Duration::from_millis(50);
/// Longest wait between two tries to reach Redis.
const MAX_BACKOFF: Duration = Duration::from_secs(2);

/// The stream of `map`.
pub(crate) fn key(map: &str) -> String {
    format!("parcours:bus:{map}")
}

/// The stream that wakes `node`'s reader when its set of streams changes.
fn wake_key(node: &str) -> String {
    format!("parcours:wake:{node}")
}

/// What the bus tells the stream reader.
pub(crate) enum StreamCommand {
    /// A room of `map` (this generation) opened or reloaded: read its stream from the
    /// first entry kept.
    Read { map: MapId, generation: u64 },
    /// `map`'s room stopped.
    Closed { map: MapId },
    /// The set of maps another node has open changed: read again at once.
    Wake,
}

/// A connection to Redis for the bus.
#[derive(Clone)]
pub(crate) struct Streams {
    client: Client,
    /// Redis's clock minus this node's, in ms (entry ids are Redis's time; trimming
    /// by id must use it, not this node's clock).
    clock_offset: Arc<AtomicI64>,
}

impl Streams {
    /// Checks that Redis answers at `url`.
    pub(crate) async fn connect(url: &str) -> Result<Streams, redis::RedisError> {
        let client = Client::open(url)?;
        let streams = Streams {
            client,
            clock_offset: Arc::default(),
        };
        let mut con = streams.connection(None).await?;
        streams.read_clock(&mut con).await?;
        Ok(streams)
    }

    /// Reads Redis's clock against this node's.
    async fn read_clock(&self, con: &mut MultiplexedConnection) -> Result<(), redis::RedisError> {
        let (secs, micros): (i64, i64) = redis::cmd("TIME").query_async(con).await?;
        let redis_ms = secs.saturating_mul(1000).saturating_add(micros / 1000);
        self.clock_offset
            .store(redis_ms.saturating_sub(now_ms()), Ordering::Relaxed);
        Ok(())
    }

    /// A new multiplexed connection; `response` bounds the wait for one answer.
    async fn connection(
        &self,
        response: Option<Duration>,
    ) -> Result<MultiplexedConnection, redis::RedisError> {
        let config = AsyncConnectionConfig::new()
            .set_connection_timeout(Some(Duration::from_secs(2)))
            .set_response_timeout(response);
        self.client
            .get_multiplexed_async_connection_with_config(&config)
            .await
    }

    /// Appends `groups` (per map, in order) to their streams in one pipeline, each
    /// stream trimmed to the retention and set to expire when unused for twice as
    /// long.
    pub(crate) async fn publish(
        &self,
        con: &mut Option<MultiplexedConnection>,
        node: &str,
        groups: &[(MapId, Batch)],
    ) -> Result<(), redis::RedisError> {
        let mut c = match con.take() {
            Some(c) => c,
            None => {
                let mut c = self.connection(Some(Duration::from_secs(5))).await?;
                self.read_clock(&mut c).await?;
                c
            }
        };
        let redis_now = now_ms().saturating_add(self.clock_offset.load(Ordering::Relaxed));
        let min_id = format!("{}", redis_now - RETENTION.as_millis() as i64);
        let expire = (RETENTION * 2).as_millis() as u64;
        let mut pipe = redis::pipe();
        for (map, batch) in groups {
            let key = key(map.as_str());
            for (message, author) in batch {
                let cmd = pipe
                    .cmd("XADD")
                    .arg(&key)
                    .arg("MINID")
                    .arg("~")
                    .arg(&min_id)
                    .arg("*")
                    .arg("n")
                    .arg(node)
                    .arg("m")
                    .arg(message.as_ref());
                if let Some(author) = author {
                    cmd.arg("k").arg(author.kind());
                    if let Some(id) = author.id() {
                        cmd.arg("i").arg(id);
                    }
                }
                cmd.ignore();
            }
            pipe.cmd("PEXPIRE").arg(&key).arg(expire).ignore();
        }
        // A connection that failed is made again by the next try.
        pipe.query_async::<()>(&mut c).await?;
        *con = Some(c);
        Ok(())
    }

    /// The document updates `node` published on `maps`' streams that are still kept:
    /// the message and its author, per map in order (a dead node's, to write them
    /// for it).
    pub(crate) async fn published_by(
        &self,
        node: &str,
        maps: &[MapId],
    ) -> Result<Vec<super::bus::Published>, redis::RedisError> {
        let mut con = self.connection(Some(Duration::from_secs(10))).await?;
        let mut found = Vec::new();
        for map in maps {
            let mut from = "-".to_owned();
            loop {
                let reply: StreamRangeReply = redis::cmd("XRANGE")
                    .arg(key(map.as_str()))
                    .arg(&from)
                    .arg("+")
                    .arg("COUNT")
                    .arg(READ_COUNT)
                    .query_async(&mut con)
                    .await?;
                let count = reply.ids.len();
                for entry in &reply.ids {
                    let fields = Fields::of(entry);
                    if fields.node == Some(node) {
                        if let (Some(message), Some(kind)) = (fields.message, fields.kind) {
                            found.push((
                                map.clone(),
                                message.to_vec(),
                                kind.to_owned(),
                                fields.id.map(str::to_owned),
                            ));
                        }
                    }
                }
                match reply.ids.last() {
                    Some(last) if count >= READ_COUNT => from = format!("({}", last.id),
                    _ => break,
                }
            }
        }
        Ok(found)
    }

    /// Starts the reader of `node`: it hands other nodes' entries on the streams of
    /// the maps in `watched` that are open here to their rooms. Returns where to send
    /// it commands.
    pub(crate) fn start_reader(
        &self,
        node: String,
        open: Arc<OpenRooms>,
        watched: Arc<Mutex<HashSet<MapId>>>,
        metrics: Arc<Metrics>,
        shutdown: CancellationToken,
    ) -> mpsc::UnboundedSender<StreamCommand> {
        let (tx, rx) = mpsc::unbounded_channel();
        let (wake_tx, wake_rx) = mpsc::unbounded_channel();
        tokio::spawn(wake_loop(
            self.clone(),
            wake_key(&node),
            wake_rx,
            shutdown.clone(),
        ));
        let reader = StreamReader {
            streams: self.clone(),
            wake: wake_key(&node),
            node,
            open,
            watched,
            metrics,
            cursors: HashMap::new(),
            paused: HashMap::new(),
            wake_at: "0-0".to_owned(),
            run_id: None,
            owed: HashMap::new(),
        };
        tokio::spawn(reader.run(rx, shutdown));
        // The handle wakes the reader after each command, so a command never waits
        // for a blocked read to end.
        let (handle, mut handle_rx) = mpsc::unbounded_channel::<StreamCommand>();
        tokio::spawn(async move {
            while let Some(command) = handle_rx.recv().await {
                if !matches!(command, StreamCommand::Wake) && tx.send(command).is_err() {
                    return;
                }
                let _ = wake_tx.send(());
            }
        });
        handle
    }
}

/// Adds an entry to the wake stream for each burst of wake-ups.
async fn wake_loop(
    streams: Streams,
    key: String,
    mut rx: mpsc::UnboundedReceiver<()>,
    shutdown: CancellationToken,
) {
    let mut con = None;
    loop {
        tokio::select! {
            next = rx.recv() => if next.is_none() { return },
            _ = shutdown.cancelled() => return,
        }
        while rx.try_recv().is_ok() {}
        if con.is_none() {
            con = streams.connection(Some(Duration::from_secs(2))).await.ok();
        }
        let Some(c) = con.as_mut() else { continue };
        let result = redis::pipe()
            .cmd("XADD")
            .arg(&key)
            .arg("MAXLEN")
            .arg(1)
            .arg("*")
            .arg("w")
            .arg(1)
            .ignore()
            .cmd("PEXPIRE")
            .arg(&key)
            .arg(RETENTION.as_millis() as u64)
            .ignore()
            .query_async::<()>(c)
            .await;
        if result.is_err() {
            con = None; // the reader's own timeout reads again meanwhile
        }
    }
}

/// The fields of a bus entry.
struct Fields<'a> {
    node: Option<&'a str>,
    message: Option<&'a [u8]>,
    kind: Option<&'a str>,
    id: Option<&'a str>,
}

impl<'a> Fields<'a> {
    fn of(entry: &'a StreamId) -> Fields<'a> {
        let bytes = |name: &str| match entry.map.get(name) {
            Some(Value::BulkString(b)) => Some(b.as_slice()),
            _ => None,
        };
        let text = |name: &str| bytes(name).and_then(|b| std::str::from_utf8(b).ok());
        Fields {
            node: text("n"),
            message: bytes("m"),
            kind: text("k"),
            id: text("i"),
        }
    }
}

/// The node's reader of map streams.
struct StreamReader {
    streams: Streams,
    node: String,
    open: Arc<OpenRooms>,
    /// Maps another node has open (kept by the PostgreSQL side of the bus).
    watched: Arc<Mutex<HashSet<MapId>>>,
    metrics: Arc<Metrics>,
    /// Per open map: the room generation read for, and the last id handed over.
    cursors: HashMap<MapId, (u64, String)>,
    /// Rooms too busy to take their messages, until when they are left out.
    paused: HashMap<MapId, Instant>,
    /// This node's wake stream, and the last entry read of it.
    wake: String,
    wake_at: String,
    /// The Redis server's run id, to tell a restart (it lost every stream) from a
    /// connection that failed.
    run_id: Option<String>,
    /// What rooms must still be told after Redis came back (they were busy): reload,
    /// publish the whole document.
    owed: HashMap<MapId, (bool, bool)>,
}

impl StreamReader {
    async fn run(
        mut self,
        mut commands: mpsc::UnboundedReceiver<StreamCommand>,
        shutdown: CancellationToken,
    ) {
        let mut con: Option<MultiplexedConnection> = None;
        // Since when Redis has not answered (None: it answers).
        let mut down_since: Option<Instant> = None;
        let mut backoff = Duration::from_millis(50);
        loop {
            if shutdown.is_cancelled() {
                return;
            }
            loop {
                match commands.try_recv() {
                    Ok(command) => self.command(command),
                    Err(mpsc::error::TryRecvError::Empty) => break,
                    Err(mpsc::error::TryRecvError::Disconnected) => return,
                }
            }
            if con.is_none() {
                match self.connect().await {
                    Ok((c, restarted)) => {
                        con = Some(c);
                        if let Some(since) = down_since.take() {
                            self.recovered(since.elapsed(), restarted);
                        }
                    }
                    Err(e) => {
                        self.failed(&mut down_since, &e);
                        tokio::select! {
                            _ = tokio::time::sleep(backoff) => {}
                            _ = shutdown.cancelled() => return,
                        }
                        backoff = (backoff * 2).min(MAX_BACKOFF);
                        continue;
                    }
                }
            }
            self.pay_owed();
            let Some(c) = con.as_mut() else { continue };
            let keys = self.reading();
            // A room paused for being busy is read again when its pause ends.
            let block = self
                .paused
                .values()
                .min()
                .map_or(BLOCK, |until| {
                    until.saturating_duration_since(Instant::now())
                })
                .clamp(Duration::from_millis(1), BLOCK);
            let mut cmd = redis::cmd("XREAD");
            cmd.arg("COUNT")
                .arg(READ_COUNT)
                .arg("BLOCK")
                .arg(block.as_millis() as u64)
                .arg("STREAMS")
                .arg(&self.wake);
            for (map, _) in &keys {
                cmd.arg(key(map.as_str()));
            }
            cmd.arg(&self.wake_at);
            for (_, at) in &keys {
                cmd.arg(at);
            }
            let reply = tokio::select! {
                r = cmd.query_async::<Option<StreamReadReply>>(c) => r,
                _ = shutdown.cancelled() => return,
            };
            match reply {
                Ok(reply) => {
                    backoff = Duration::from_millis(50);
                    self.hand_over(reply.unwrap_or_default());
                }
                Err(e) => {
                    con = None;
                    self.failed(&mut down_since, &e);
                    tokio::select! {
                        _ = tokio::time::sleep(backoff) => {}
                        _ = shutdown.cancelled() => return,
                    }
                    backoff = (backoff * 2).min(MAX_BACKOFF);
                }
            }
        }
    }

    /// A new reading connection, and whether Redis restarted since the last one (its
    /// run id changed: every stream was lost).
    async fn connect(&mut self) -> Result<(MultiplexedConnection, bool), redis::RedisError> {
        let mut con = self.streams.connection(Some(BLOCK * 3)).await?;
        let info: String = redis::cmd("INFO")
            .arg("server")
            .query_async(&mut con)
            .await?;
        let run_id = info
            .lines()
            .find_map(|l| l.strip_prefix("run_id:"))
            .map(|id| id.trim().to_owned());
        let restarted = self.run_id.is_some() && run_id != self.run_id;
        self.run_id = run_id;
        Ok((con, restarted))
    }

    fn command(&mut self, command: StreamCommand) {
        match command {
            StreamCommand::Read { map, generation } => {
                self.paused.remove(&map);
                self.cursors.insert(map, (generation, "0-0".to_owned()));
            }
            StreamCommand::Closed { map } => {
                if self.open.get(&map).is_none() {
                    self.cursors.remove(&map);
                    self.paused.remove(&map);
                }
            }
            StreamCommand::Wake => {}
        }
    }

    /// The streams to read now, with the id to read past: open maps another node has
    /// open too, except rooms paused for being busy.
    fn reading(&mut self) -> Vec<(MapId, String)> {
        let now = Instant::now();
        self.paused.retain(|_, until| *until > now);
        let open = &self.open;
        self.cursors.retain(|map, (generation, _)| {
            open.get(map).is_some_and(|h| h.generation == *generation)
        });
        let watched = self.watched.lock().unwrap_or_else(|p| p.into_inner());
        self.cursors
            .iter()
            .filter(|(map, _)| watched.contains(*map) && !self.paused.contains_key(*map))
            .map(|(map, (_, at))| (map.clone(), at.clone()))
            .collect()
    }

    /// Hands each stream's entries from other nodes to its room, and moves cursors.
    fn hand_over(&mut self, reply: StreamReadReply) {
        for stream in reply.keys {
            if stream.key == self.wake {
                if let Some(last) = stream.ids.last() {
                    self.wake_at = last.id.clone();
                }
                continue;
            }
            let Some(map) = stream
                .key
                .strip_prefix("parcours:bus:")
                .and_then(MapId::parse)
            else {
                continue;
            };
            let (Some(room), Some((generation, _))) = (self.open.get(&map), self.cursors.get(&map))
            else {
                continue;
            };
            if room.generation != *generation {
                continue;
            }
            let Some(last) = stream.ids.last().map(|e| e.id.clone()) else {
                continue;
            };
            let messages: Vec<Bytes> = stream
                .ids
                .iter()
                .map(Fields::of)
                .filter(|f| f.node.is_some_and(|n| n != self.node))
                .filter_map(|f| f.message.map(Bytes::copy_from_slice))
                .collect();
            if !messages.is_empty() {
                let received = messages.len() as u64;
                if room.tx.try_send(RoomCommand::Remote { messages }).is_err() {
                    // Busy: the same entries are read again after a pause.
                    self.paused.insert(map, Instant::now() + BUSY_PAUSE);
                    continue;
                }
                add(&self.metrics.bus_received, received);
            }
            self.cursors.insert(map, (room.generation, last));
        }
    }

    fn failed(&self, down_since: &mut Option<Instant>, e: &redis::RedisError) {
        inc(&self.metrics.bus_errors);
        if down_since.is_none() {
            *down_since = Some(Instant::now());
            inc(&self.metrics.bus_reconnects);
            tracing::warn!(error = %e, "reading the Redis bus failed; reconnecting");
        }
    }

    /// Redis answers again after failing for `down`. Restarted (`restarted`), it lost
    /// every stream: every kept entry is read again and shared rooms publish their
    /// whole document and presence (what the others had not read yet is gone). After
    /// an outage past half the retention, what was trimmed meanwhile is in storage:
    /// rooms reload. Otherwise the cursors hold and nothing was lost.
    fn recovered(&mut self, down: Duration, restarted: bool) {
        let reload = down >= RETENTION / 2;
        tracing::warn!(
            down_ms = down.as_millis() as u64,
            restarted,
            reload,
            "the Redis bus answers again"
        );
        if !restarted && !reload {
            return;
        }
        if restarted {
            self.wake_at = "0-0".to_owned();
        }
        let watched: HashSet<MapId> = self
            .watched
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        for (map, (_, at)) in self.cursors.iter_mut() {
            if restarted {
                *at = "0-0".to_owned();
            }
            if reload {
                inc(&self.metrics.bus_gaps);
            }
            let republish = restarted && watched.contains(map);
            if reload || republish {
                let owed = self.owed.entry(map.clone()).or_default();
                owed.0 |= reload;
                owed.1 |= republish;
            }
        }
        self.pay_owed();
    }

    /// Tells rooms what they are owed since Redis came back; a busy room is told at
    /// the next turn.
    fn pay_owed(&mut self) {
        let open = &self.open;
        let cursors = &self.cursors;
        self.owed.retain(|map, (reload, republish)| {
            let Some(room) = open.get(map) else {
                return false;
            };
            if cursors.get(map).is_none_or(|(g, _)| *g != room.generation) {
                return false;
            }
            if *reload {
                if room.tx.try_send(RoomCommand::Reload).is_err() {
                    return true;
                }
                *reload = false;
            }
            if *republish {
                if room.tx.try_send(RoomCommand::Republish).is_err() {
                    return true;
                }
                *republish = false;
            }
            false
        });
    }
}
