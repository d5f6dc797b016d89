//! `parcours-bench`: N y-protocols clients on one map, each editing at a set rate.
//! Prints edit→peer latency (p50/p99/max), delivered updates per second and lost edits.
//! Works against any y-protocols server: `--url ws://HOST/sync --room NAME`.
//! `--logins N` instead measures a storm of parallel sign-ins (see `logins.rs`);
//! `--history N` the cost of version history (see `history.rs`); `--idle N` the
//! memory N idle synced sockets cost the server (`idle.rs`); `--cold N` the time to
//! open a map of N edits that is not in memory, and many at once (`cold.rs`); `--storm N`
//! N clients connecting at once to unloaded maps while a probe edits (`storm.rs`);
//! `--soak N` N clients on `--maps` maps editing for `--seconds`, memory sampled (`soak.rs`);
//! `--follow N` one presenter and N followers, the awareness each follower gets (`follow.rs`); `--exports N` the
//! time of imports and exports, `--samples DIR` writes sample exports (`exports.rs`);
//! `--bus-hop RATE` one cluster-bus hop on PostgreSQL against Redis streams (`bushop.rs`).
#![forbid(unsafe_code)]

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::Parser;
use hdrhistogram::Histogram;
use parcours_bench::YClient;
use yrs::types::EntryChange;
use yrs::{Any, Map, Observable, Out, Transact};

#[derive(Debug, Parser)]
#[command(about = "Load a y-protocols server with concurrent editors on one document")]
struct Args {
    /// Sync endpoint without the room, e.g. ws://127.0.0.1:8080/sync; in the default
    /// mode and with `--soak`, several, comma-separated, spread the clients over them
    /// (cluster nodes).
    #[arg(long, default_value = "ws://127.0.0.1:8080/sync")]
    url: String,
    /// Room (map id). Without it, a throwaway account signs up through `--api` and
    /// creates a map.
    #[arg(long)]
    room: Option<String>,
    /// Parcours REST base used to create a map when no room is given.
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    api: String,
    /// Extra query string appended to the socket URL (e.g. `token=...`).
    #[arg(long)]
    query: Option<String>,
    /// Concurrent clients.
    #[arg(long, default_value_t = 50)]
    clients: usize,
    /// Edits per second per client.
    #[arg(long, default_value_t = 10.0)]
    rate: f64,
    /// Seconds of editing.
    #[arg(long, default_value_t = 20)]
    seconds: u64,
    /// Seconds to wait after the last edit for deliveries to arrive.
    #[arg(long, default_value_t = 5)]
    drain_seconds: u64,
    /// Instead of editing: this many sign-ins at once, each for an unknown address from
    /// another client address (run the server with `--trusted-proxies 127.0.0.1`);
    /// prints the answers and the server's memory during the storm.
    #[arg(long)]
    logins: Option<usize>,
    /// Instead: build a map with this many edits in its history (at `--rate` edits/s,
    /// one client) and time opening versions and past moments, blame and diff.
    #[arg(long)]
    history: Option<usize>,
    /// With `--history`: the server's SQLite file, to print what it stores.
    #[arg(long)]
    sqlite_file: Option<String>,
    /// Instead: write a seeded retail-bank event log (CSV) of `--cases` customers to
    /// this file (`-`: stdout) and exit.
    #[arg(long)]
    gen_log: Option<String>,
    /// With `--gen-log`: how many customers (about ten events each).
    #[arg(long, default_value_t = 1000)]
    cases: usize,
    /// With `--gen-log`: the seed.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Instead: import this event log (CSV) through `--api`, time the import and the
    /// analysis, and compare with pm4py on the same file.
    #[arg(long)]
    evidence: Option<String>,
    /// With `--evidence`: the pm4py script.
    #[arg(long, default_value = "tests/evidence/pm4py_check.py")]
    pm4py_script: String,
    /// Instead: import the 12 × 8 × 400-card board through `--api` and time this many
    /// imports and exports in each format.
    #[arg(long)]
    exports: Option<usize>,
    /// Instead: write PDF, PNG and CSV exports of two templates into this directory.
    #[arg(long)]
    samples: Option<String>,
    /// Instead: open this many synced sockets over `--maps` template maps, hold them
    /// `--hold-seconds`, and print the server's memory per socket (see `idle.rs`).
    #[arg(long)]
    idle: Option<usize>,
    /// With `--idle` or `--storm`: how many maps the sockets are spread over.
    #[arg(long, default_value_t = 50)]
    maps: usize,
    /// With `--idle`: how long the sockets are held after all synced.
    #[arg(long, default_value_t = 10)]
    hold_seconds: u64,
    /// The server's process id: with `--idle`, to read its memory from /proc (any
    /// server) rather than from Parcours's /metrics; in the live mode, to print the
    /// server's CPU time per delivered update (any server).
    #[arg(long)]
    pid: Option<u32>,
    /// With `--idle`: the server is y-sweet (documents made with `POST /doc/new`,
    /// joined at `--url`/{id}, e.g. ws://127.0.0.1:8080/doc/ws).
    #[arg(long)]
    ysweet: bool,
    /// With `--idle`: every map from this template (`blank`, `retail_bank`, …);
    /// without it, the templates with content in turn.
    #[arg(long)]
    template: Option<String>,
    /// Instead: write this many realistic edits into a map, let it unload, and time a
    /// socket's open to its sync step 2; then open `--cold-maps` unloaded maps at once
    /// (see `cold.rs`; run the server with a short `--idle-unload-secs`).
    #[arg(long)]
    cold: Option<usize>,
    /// With `--cold`: how many times the big map is opened cold.
    #[arg(long, default_value_t = 5)]
    trials: usize,
    /// With `--cold`: how many unloaded maps are opened at once (0: none).
    #[arg(long, default_value_t = 1000)]
    cold_maps: usize,
    /// Instead: this many clients over `--maps` unloaded maps connect at once while a
    /// probe measures edit latency on another map (see `storm.rs`; run the server with
    /// a short `--idle-unload-secs`).
    #[arg(long)]
    storm: Option<usize>,
    /// Instead: this many clients over `--maps` maps edit at `--rate` for `--seconds`
    /// while the server's memory is sampled (see `soak.rs`).
    #[arg(long)]
    soak: Option<usize>,
    /// Instead: one presenter and this many followers on a template map; the presenter
    /// publishes its view at `--rate` a second for `--seconds`, and the awareness each
    /// follower receives and sends is printed (see `follow.rs`).
    #[arg(long)]
    follow: Option<usize>,
    /// With `--storm`: seconds to wait before the storm (to restart the server).
    #[arg(long, default_value_t = 0)]
    storm_delay_secs: u64,
    /// Instead: this many bus messages per second over `--maps` maps for `--seconds`,
    /// from one node to another through PostgreSQL and through Redis streams, timed
    /// side by side (see `bushop.rs`).
    #[arg(long)]
    bus_hop: Option<f64>,
    /// With `--bus-hop`: the PostgreSQL database (the bench makes its own tables).
    #[arg(long, default_value = "postgres://postgres@127.0.0.1/test")]
    pg_url: String,
    /// With `--bus-hop`: the Redis server.
    #[arg(long, default_value = "redis://127.0.0.1:6379")]
    redis_url: String,
}

mod evidence;
mod exports;
mod history;

use parcours_bench::{bushop, cold, follow, idle, logins, soak, storm};

/// What each client records about the edits it receives from the others.
struct Received {
    latency_us: Histogram<u64>,
    count: u64,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    if let Some(path) = &args.gen_log {
        let events = parcours_bench::eventlog::generate(args.cases, args.seed);
        let rows = if path == "-" {
            parcours_bench::eventlog::write_csv(
                std::io::BufWriter::new(std::io::stdout()),
                &events,
            )?
        } else {
            let file =
                std::fs::File::create(path).with_context(|| format!("cannot write {path}"))?;
            parcours_bench::eventlog::write_csv(std::io::BufWriter::new(file), &events)?
        };
        eprintln!(
            "bench: wrote {rows} events of {} customers (seed {})",
            args.cases, args.seed
        );
        return Ok(());
    }
    if let Some(file) = &args.evidence {
        return evidence::run(&args.api, file, &args.pm4py_script).await;
    }
    if let Some(runs) = args.exports {
        return exports::run(&args.api, runs.max(1)).await;
    }
    if let Some(dir) = &args.samples {
        return exports::samples(&args.api, dir).await;
    }
    if let Some(rate) = args.bus_hop {
        bushop::run(bushop::BusHop {
            pg_url: &args.pg_url,
            redis_url: &args.redis_url,
            rate,
            maps: args.maps,
            seconds: args.seconds,
        })
        .await?;
        return Ok(());
    }
    if let Some(clients) = args.soak {
        return soak::run(soak::SoakRun {
            url: &args.url,
            api: &args.api,
            clients,
            maps: args.maps,
            rate: args.rate,
            seconds: args.seconds,
        })
        .await?
        .check();
    }
    if let Some(followers) = args.follow {
        return follow::run(follow::FollowRun {
            url: &args.url,
            api: &args.api,
            followers,
            rate: args.rate,
            seconds: args.seconds,
        })
        .await?
        .check();
    }
    if let Some(clients) = args.storm {
        return storm::run(storm::StormRun {
            url: &args.url,
            api: &args.api,
            clients,
            maps: args.maps,
            delay: args.storm_delay_secs,
        })
        .await?
        .check();
    }
    if let Some(updates) = args.cold {
        return cold::run(cold::ColdRun {
            url: &args.url,
            api: &args.api,
            updates,
            trials: args.trials,
            maps: args.cold_maps,
        })
        .await;
    }
    if let Some(sockets) = args.idle {
        return idle::run(idle::IdleRun {
            url: &args.url,
            api: &args.api,
            sockets,
            maps: args.maps,
            hold: Duration::from_secs(args.hold_seconds),
            pid: args.pid,
            ysweet: args.ysweet,
            template: args
                .template
                .as_deref()
                .map(|name| {
                    parcours_shared::templates::Template::parse(name)
                        .with_context(|| format!("no template named {name}"))
                })
                .transpose()?,
        })
        .await;
    }
    if let Some(n) = args.logins {
        return logins::run(&args.api, n).await;
    }
    if let Some(n) = args.history {
        return history::run(
            &args.url,
            &args.api,
            n,
            args.rate,
            args.sqlite_file.as_deref(),
        )
        .await;
    }
    let (room, query) = match &args.room {
        Some(r) => (r.clone(), args.query.clone()),
        None => {
            let (room, token) = parcours_bench::api::create_map(&args.api).await?;
            (room, Some(format!("token={token}")))
        }
    };
    // Several sync endpoints (comma-separated, e.g. the nodes of a cluster): the
    // clients are spread over them in turn.
    let urls: Vec<String> = args
        .url
        .split(',')
        .map(|base| {
            let url = format!("{}/{}", base.trim().trim_end_matches('/'), room);
            match &query {
                Some(q) => format!("{url}?{q}"),
                None => url,
            }
        })
        .collect();
    println!(
        "bench: {} clients x {} edits/s for {} s on {}/{room}",
        args.clients,
        args.rate,
        args.seconds,
        args.url.trim_end_matches('/')
    );

    let epoch = Instant::now();
    let received = Arc::new(Mutex::new(Received {
        latency_us: Histogram::new_with_bounds(1, 60_000_000, 3)?,
        count: 0,
    }));
    // When each client sent each of its edits (µs since `epoch`), so that an edit
    // that arrived merged with a later one of the same client is timed too.
    let total_per_client = (args.rate * args.seconds as f64).round() as u64;
    let sent_times: Arc<Vec<Mutex<Vec<u64>>>> = Arc::new(
        (0..args.clients)
            .map(|_| Mutex::new(vec![0; total_per_client as usize]))
            .collect(),
    );
    let mut clients = Vec::with_capacity(args.clients);
    for i in 0..args.clients {
        let client = YClient::connect(&urls[i % urls.len()])
            .await
            .with_context(|| format!("client {i}"))?;
        client.wait_synced(Duration::from_secs(10)).await?;
        let map = client.doc().get_or_insert_map("bench");
        let own = format!("c{i}");
        let rec = received.clone();
        let sent_times = sent_times.clone();
        // Each client writes [seq, sent at] under its key: a value counts every edit up
        // to its seq, so edits a cluster node handed over merged into one update count
        // each, each timed from when it was sent.
        let last: Mutex<std::collections::HashMap<String, i64>> = Mutex::default();
        map.observe("bench", move |txn, event| {
            let now = epoch.elapsed().as_micros() as u64;
            let mut rec = rec.lock().unwrap_or_else(|p| p.into_inner());
            let mut last = last.lock().unwrap_or_else(|p| p.into_inner());
            for (key, change) in event.keys(txn).iter() {
                if key.as_ref() == own {
                    continue;
                }
                let value = match change {
                    EntryChange::Inserted(v) | EntryChange::Updated(_, v) => v,
                    EntryChange::Removed(_) => continue,
                };
                let (Some(sent_us), Some(seq)) = (sent_at(value), seq_of(value)) else {
                    continue;
                };
                let before = last.insert(key.to_string(), seq).unwrap_or(-1);
                if seq <= before {
                    continue;
                }
                let sender = key
                    .strip_prefix('c')
                    .and_then(|k| k.parse::<usize>().ok())
                    .and_then(|k| sent_times.get(k));
                for s in (before + 1)..seq {
                    // Edits this value merged away: timed from their own sending.
                    let at = sender
                        .and_then(|t| t.lock().ok()?.get(s as usize).copied())
                        .filter(|at| *at > 0)
                        .unwrap_or(sent_us);
                    let _ = rec.latency_us.record(now.saturating_sub(at).max(1));
                }
                let _ = rec.latency_us.record(now.saturating_sub(sent_us).max(1));
                rec.count += (seq - before) as u64;
            }
        });
        clients.push((client, map));
    }
    println!("bench: {} clients connected and synced", clients.len());

    let period = Duration::from_secs_f64(1.0 / args.rate);
    let clients = Arc::new(clients);
    let cpu_before = args.pid.map(logins::cpu_time).transpose()?;
    let start = Instant::now();
    let mut tasks = Vec::new();
    for i in 0..clients.len() {
        let clients = clients.clone();
        let sent_times = sent_times.clone();
        tasks.push(tokio::spawn(async move {
            // Spread the clients' ticks over one period.
            let offset = period.mul_f64(i as f64 / clients.len() as f64);
            tokio::time::sleep(offset).await;
            let mut tick = tokio::time::interval(period);
            for seq in 0..total_per_client {
                tick.tick().await;
                let (client, map) = &clients[i];
                let now = epoch.elapsed().as_micros() as f64;
                if let Some(at) = sent_times[i]
                    .lock()
                    .ok()
                    .as_mut()
                    .and_then(|t| t.get_mut(seq as usize))
                {
                    *at = now as u64;
                }
                let mut txn = client.doc().transact_mut();
                map.insert(
                    &mut txn,
                    format!("c{i}"),
                    Any::from(vec![Any::from(seq as f64), Any::from(now)]),
                );
            }
        }));
    }
    for t in tasks {
        t.await?;
    }
    let sent = total_per_client * clients.len() as u64;
    let expected = sent * (clients.len() as u64 - 1);
    let edit_time = start.elapsed();
    let deadline = Instant::now() + Duration::from_secs(args.drain_seconds);
    while Instant::now() < deadline {
        if received
            .lock()
            .map(|r| r.count >= expected)
            .unwrap_or(false)
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let cpu_used = match (args.pid, cpu_before) {
        (Some(pid), Some(before)) => Some(logins::cpu_time(pid)?.saturating_sub(before)),
        _ => None,
    };
    let rec = received.lock().unwrap_or_else(|p| p.into_inner());
    let lost = expected.saturating_sub(rec.count);
    let h = &rec.latency_us;
    println!(
        "bench: sent {sent} edits in {:.1} s; delivered {} of {expected} peer updates; lost {lost}",
        edit_time.as_secs_f64(),
        rec.count
    );
    println!(
        "bench: delivered updates/s {:.0}",
        rec.count as f64 / edit_time.as_secs_f64()
    );
    println!(
        "bench: edit->peer latency p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        h.value_at_quantile(0.50) as f64 / 1000.0,
        h.value_at_quantile(0.99) as f64 / 1000.0,
        h.max() as f64 / 1000.0
    );
    if let Some(cpu) = cpu_used {
        println!(
            "bench: server CPU {:.2} s for {} delivered updates: {:.2} µs per delivered update",
            cpu.as_secs_f64(),
            rec.count,
            cpu.as_secs_f64() * 1e6 / rec.count.max(1) as f64
        );
    }
    if lost > 0 {
        anyhow::bail!("{lost} edits were not delivered");
    }
    Ok(())
}

/// The send time (µs since the bench's epoch) stored in a bench value `[seq, sent_us]`.
/// The edit's sequence number in a bench value (`[seq, sent at]`).
fn seq_of(value: &Out) -> Option<i64> {
    match value {
        Out::Any(Any::Array(items)) => match items.first() {
            Some(Any::Number(n)) => n.as_f64().map(|v| v as i64),
            _ => None,
        },
        _ => None,
    }
}

fn sent_at(value: &Out) -> Option<u64> {
    match value {
        Out::Any(Any::Array(items)) => match items.get(1) {
            Some(Any::Number(yrs::any::Number::Int(us))) => Some(*us as u64),
            Some(Any::Number(yrs::any::Number::Float(us))) => Some(*us as u64),
            _ => None,
        },
        _ => None,
    }
}
