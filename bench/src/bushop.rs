//! `--bus-hop RATE`: how long one message takes from a node to another through the
//! cluster bus, on PostgreSQL (what `parcours serve --cluster` runs: a table, one
//! statement per map and wake-up with `NOTIFY`, a listener that reads by cursor) and on
//! Redis streams (`XADD` per message, pipelined; `XREAD BLOCK` over every map's
//! stream), side by side on the same machine, the same rate and the same messages.
//!
//! Messages are 60 bytes (a typical typing update with its y-protocols header) over
//! `--maps` maps for `--seconds`; the publishing side batches what queued up while its
//! last write ran, as the server does. Printed: `BUSHOP transport=… p50_ms=… p99_ms=…
//! max_ms=… received=… of …`. The tables (`bushop_heads`, `bushop_messages`) and the
//! streams (`bushop:*`) are the bench's own and removed afterwards.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use anyhow::Context;
use hdrhistogram::Histogram;
use sqlx::postgres::{PgListener, PgPool, PgPoolOptions};
use sqlx::{Executor, Row};
use tokio::sync::mpsc;

/// What a run was asked.
pub struct BusHop<'a> {
    pub pg_url: &'a str,
    pub redis_url: &'a str,
    pub rate: f64,
    pub maps: usize,
    pub seconds: u64,
}

/// One transport's figures.
pub struct HopReport {
    pub transport: &'static str,
    pub sent: u64,
    pub received: u64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
}

/// Runs both transports one after the other and prints their figures.
pub async fn run(run: BusHop<'_>) -> anyhow::Result<Vec<HopReport>> {
    let mut reports = Vec::new();
    for transport in ["postgres", "redis"] {
        let report = match transport {
            "postgres" => postgres(&run).await.context("PostgreSQL")?,
            _ => redis(&run).await.context("Redis")?,
        };
        println!(
            "BUSHOP transport={} rate={} maps={} seconds={} received={} of {} p50_ms={:.2} p99_ms={:.2} max_ms={:.2}",
            report.transport,
            run.rate,
            run.maps,
            run.seconds,
            report.received,
            report.sent,
            report.p50_ms,
            report.p99_ms,
            report.max_ms
        );
        reports.push(report);
    }
    Ok(reports)
}

/// A message: which map, and when it was made (µs since the run's start) in its first
/// eight bytes.
type Outgoing = (usize, Vec<u8>);

fn message(start: Instant) -> Vec<u8> {
    let mut m = vec![0u8; 60];
    m[..8].copy_from_slice(&(start.elapsed().as_micros() as u64).to_le_bytes());
    m
}

fn sent_at(m: &[u8]) -> Option<u64> {
    Some(u64::from_le_bytes(m.get(..8)?.try_into().ok()?))
}

/// Makes messages at `rate` over `maps` maps for `seconds`, into `tx`.
async fn generate(
    tx: mpsc::Sender<Outgoing>,
    start: Instant,
    rate: f64,
    maps: usize,
    seconds: u64,
) -> u64 {
    let mut tick = tokio::time::interval(Duration::from_secs_f64(1.0 / rate));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
    let total = (rate * seconds as f64) as u64;
    for i in 0..total {
        tick.tick().await;
        if tx.send((i as usize % maps, message(start))).await.is_err() {
            return i;
        }
    }
    total
}

/// Drains what queued up behind `first`, grouped by map in order.
fn drain(first: Outgoing, rx: &mut mpsc::Receiver<Outgoing>) -> Vec<(usize, Vec<Vec<u8>>)> {
    let mut groups: Vec<(usize, Vec<Vec<u8>>)> = vec![(first.0, vec![first.1])];
    while let Ok((map, m)) = rx.try_recv() {
        match groups.iter_mut().find(|(g, _)| *g == map) {
            Some((_, ms)) => ms.push(m),
            None => groups.push((map, vec![m])),
        }
        if groups.iter().map(|(_, ms)| ms.len()).sum::<usize>() >= 256 {
            break;
        }
    }
    groups
}

fn histogram() -> Histogram<u64> {
    Histogram::new_with_bounds(1, 60_000_000, 3).expect("histogram bounds")
}

fn report(transport: &'static str, sent: u64, h: &Histogram<u64>) -> HopReport {
    HopReport {
        transport,
        sent,
        received: h.len(),
        p50_ms: h.value_at_quantile(0.5) as f64 / 1000.0,
        p99_ms: h.value_at_quantile(0.99) as f64 / 1000.0,
        max_ms: h.max() as f64 / 1000.0,
    }
}

async fn postgres(run: &BusHop<'_>) -> anyhow::Result<HopReport> {
    let pool: PgPool = PgPoolOptions::new()
        .max_connections(4)
        .after_connect(|conn, _| {
            Box::pin(async move {
                conn.execute("set synchronous_commit = off").await?;
                Ok(())
            })
        })
        .connect(run.pg_url)
        .await?;
    pool.execute(
        "drop table if exists bushop_messages, bushop_heads;
         create table bushop_heads (map_id text primary key, n bigint not null);
         create table bushop_messages (map_id text not null, n bigint not null,
             node text not null, at bigint not null, message bytea not null,
             primary key (map_id, n))",
    )
    .await?;
    let mut listener = PgListener::connect_with(&pool).await?;
    listener.listen("bushop").await?;
    let start = Instant::now();
    let (tx, mut rx) = mpsc::channel::<Outgoing>(65_536);

    // The publishing node: one statement per map and wake-up, as `sync/bus.rs`.
    let publisher = {
        let pool = pool.clone();
        tokio::spawn(async move {
            while let Some(first) = rx.recv().await {
                for (map, batch) in drain(first, &mut rx) {
                    let count = batch.len() as i64;
                    sqlx::query(
                        "with h as (
                             insert into bushop_heads (map_id, n) values ($1, $4)
                             on conflict (map_id) do update set n = bushop_heads.n + $4
                             returning n
                         ), m as (
                             insert into bushop_messages (map_id, n, node, at, message)
                             select $1, h.n - $4 + u.i, 'a', 0, u.message
                             from h, unnest($2::bytea[]) with ordinality as u(message, i)
                             returning n
                         )
                         select (select count(*) from m), pg_notify($3, $1 || ' a')",
                    )
                    .bind(format!("m{map}"))
                    .bind(&batch)
                    .bind("bushop")
                    .bind(count)
                    .execute(&pool)
                    .await?;
                }
            }
            anyhow::Ok(())
        })
    };

    // The reading node: notifications drained, moved maps read past their cursors in
    // one query.
    let total = (run.rate * run.seconds as f64) as u64;
    // The reader waits for everything at most the run and half a minute.
    let limit = Duration::from_secs(run.seconds + 30);
    let reader = {
        let pool = pool.clone();
        tokio::spawn(async move {
            let mut h = histogram();
            let mut cursors: HashMap<String, i64> = HashMap::new();
            let deadline = Instant::now() + limit;
            while h.len() < total && Instant::now() < deadline {
                let Ok(Ok(note)) =
                    tokio::time::timeout(Duration::from_secs(1), listener.recv()).await
                else {
                    continue;
                };
                let mut moved = vec![note.payload().split(' ').next().unwrap_or("").to_owned()];
                while let Some(note) = listener.next_buffered() {
                    let map = note.payload().split(' ').next().unwrap_or("").to_owned();
                    if !moved.contains(&map) {
                        moved.push(map);
                    }
                }
                let ats: Vec<i64> = moved
                    .iter()
                    .map(|m| cursors.get(m).copied().unwrap_or(0))
                    .collect();
                let rows = sqlx::query(
                    "select m.map_id, m.n, m.message
                     from unnest($1::text[], $2::bigint[]) as c(map_id, at)
                     join bushop_messages m on m.map_id = c.map_id and m.n > c.at
                     order by m.map_id, m.n limit 1000",
                )
                .bind(&moved)
                .bind(&ats)
                .fetch_all(&pool)
                .await?;
                let now = start.elapsed().as_micros() as u64;
                for row in rows {
                    let map: String = row.try_get("map_id")?;
                    let n: i64 = row.try_get("n")?;
                    let m: Vec<u8> = row.try_get("message")?;
                    cursors.insert(map, n);
                    if let Some(at) = sent_at(&m) {
                        h.record(now.saturating_sub(at).max(1))?;
                    }
                }
            }
            anyhow::Ok(h)
        })
    };
    let sent = generate(tx, start, run.rate, run.maps, run.seconds).await;
    let h = reader.await??;
    publisher.await??;
    pool.execute("drop table if exists bushop_messages, bushop_heads")
        .await?;
    Ok(report("postgres", sent, &h))
}

async fn redis(run: &BusHop<'_>) -> anyhow::Result<HopReport> {
    let client = redis::Client::open(run.redis_url)?;
    let mut publish = client.get_multiplexed_async_connection().await?;
    let mut read = client.get_multiplexed_async_connection().await?;
    let keys: Vec<String> = (0..run.maps).map(|m| format!("bushop:m{m}")).collect();
    redis::cmd("DEL")
        .arg(&keys)
        .query_async::<()>(&mut publish)
        .await?;
    let start = Instant::now();
    let (tx, mut rx) = mpsc::channel::<Outgoing>(65_536);

    // The publishing node: what queued up goes in one pipeline of XADDs.
    let publisher = {
        let mut con = publish.clone();
        tokio::spawn(async move {
            while let Some(first) = rx.recv().await {
                let mut pipe = redis::pipe();
                for (map, batch) in drain(first, &mut rx) {
                    for m in batch {
                        pipe.cmd("XADD")
                            .arg(format!("bushop:m{map}"))
                            .arg("MAXLEN")
                            .arg("~")
                            .arg(100_000)
                            .arg("*")
                            .arg("node")
                            .arg("a")
                            .arg("m")
                            .arg(m)
                            .ignore();
                    }
                }
                pipe.query_async::<()>(&mut con).await?;
            }
            anyhow::Ok(())
        })
    };

    // The reading node: one blocking XREAD over every map's stream from its last id.
    let total = (run.rate * run.seconds as f64) as u64;
    // The reader waits for everything at most the run and half a minute.
    let limit = Duration::from_secs(run.seconds + 30);
    let reader = {
        let keys = keys.clone();
        tokio::spawn(async move {
            let mut h = histogram();
            let mut ids: Vec<String> = vec!["0-0".to_owned(); keys.len()];
            let deadline = Instant::now() + limit;
            while h.len() < total && Instant::now() < deadline {
                let reply: redis::streams::StreamReadReply = redis::cmd("XREAD")
                    .arg("COUNT")
                    .arg(1000)
                    .arg("BLOCK")
                    .arg(1000)
                    .arg("STREAMS")
                    .arg(&keys)
                    .arg(&ids)
                    .query_async(&mut read)
                    .await
                    .unwrap_or_default();
                let now = start.elapsed().as_micros() as u64;
                for stream in reply.keys {
                    let Some(i) = keys.iter().position(|k| *k == stream.key) else {
                        continue;
                    };
                    for entry in stream.ids {
                        if let Some(redis::Value::BulkString(m)) = entry.map.get("m") {
                            if let Some(at) = sent_at(m) {
                                h.record(now.saturating_sub(at).max(1))?;
                            }
                        }
                        ids[i] = entry.id;
                    }
                }
            }
            anyhow::Ok(h)
        })
    };
    let sent = generate(tx, start, run.rate, run.maps, run.seconds).await;
    let h = reader.await??;
    publisher.await??;
    redis::cmd("DEL")
        .arg(&keys)
        .query_async::<()>(&mut publish)
        .await?;
    Ok(report("redis", sent, &h))
}
