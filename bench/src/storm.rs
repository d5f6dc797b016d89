//! `--storm N`: N clients over `--maps M` template maps all (re)connecting at once to a
//! server whose rooms are all unloaded — what a restart leaves — while a probe (two
//! clients on a map of their own, one edit every 50 ms) measures whether the server
//! stays responsive. Prints the time until every client is synced, the failures, and
//! the probe's edit→peer latency before and during the storm.
//!
//! Run the server with `--idle-unload-secs 1` and the connection limits above N. To
//! storm a really restarted server, stop it after "maps made" and start it again
//! before the storm begins (`--storm-delay-secs`).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::YClient;
use anyhow::bail;
use futures_util::future::join_all;
use yrs::{Any, Map, Out, Transact};

use crate::cold::{ms, open_synced, percentile, template_maps, wait_unloaded, Opened};

pub struct StormRun<'a> {
    pub url: &'a str,
    pub api: &'a str,
    pub clients: usize,
    pub maps: usize,
    /// Seconds to wait between the maps being unloaded and the storm (to restart the
    /// server by hand meanwhile).
    pub delay: u64,
}

/// One probe edit's latency, and whether it was sent during the storm.
struct Sample {
    during: bool,
    latency: Duration,
}

/// Edits on `a` every 50 ms and waits for each at `b`, until `stop`.
async fn probe(
    a: YClient,
    b: YClient,
    storm: Arc<AtomicBool>,
    stop: Arc<AtomicBool>,
    samples: Arc<Mutex<Vec<Sample>>>,
) -> anyhow::Result<()> {
    let mut seq = 0i64;
    while !stop.load(Ordering::Relaxed) {
        seq += 1;
        let during = storm.load(Ordering::Relaxed);
        let sent = Instant::now();
        let probe_map = a.doc().get_or_insert_map("probe");
        a.edit(|txn| {
            probe_map.insert(txn, "seq", Any::from(seq as f64));
        });
        let seen = b.doc().get_or_insert_map("probe");
        let arrived = b
            .wait_until(Duration::from_secs(30), |doc| {
                let txn = doc.transact();
                match seen.get(&txn, "seq") {
                    Some(Out::Any(Any::Number(n))) => n.as_f64().is_some_and(|n| n >= seq as f64),
                    _ => false,
                }
            })
            .await;
        if !arrived {
            bail!("probe edit {seq} did not arrive within 30 s");
        }
        samples.lock().expect("samples").push(Sample {
            during,
            latency: sent.elapsed(),
        });
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Ok(())
}

/// Maps made for a storm, all unloaded, and the probe's own map.
pub struct StormMaps {
    map_urls: Vec<String>,
    probe_url: String,
}

/// What a storm saw (times in milliseconds).
#[derive(Debug, Clone)]
pub struct StormReport {
    pub clients: usize,
    pub synced: usize,
    pub failed: usize,
    /// The first reason a client did not sync.
    pub first_error: Option<String>,
    /// From the first connect until every client had its sync step 2.
    pub all_synced_ms: f64,
    pub per_client_p50_ms: f64,
    pub per_client_p99_ms: f64,
    /// The probe's edit→peer latency before the storm and during it.
    pub probe_quiet_p50_ms: f64,
    pub probe_quiet_p99_ms: f64,
    pub probe_storm_samples: usize,
    pub probe_storm_p50_ms: f64,
    pub probe_storm_p99_ms: f64,
    pub probe_storm_max_ms: f64,
}

impl StormReport {
    /// Fails when any client did not sync, with the first reason.
    pub fn check(&self) -> anyhow::Result<()> {
        crate::cold::check_synced(self.failed, self.first_error.as_deref(), "clients")
    }
}

/// Makes `maps` template maps and the probe's map on a fresh account, and waits until
/// the server has unloaded every room. The maps stay valid across a server restart
/// (sessions are stored).
pub async fn prepare(url: &str, api: &str, maps: usize) -> anyhow::Result<StormMaps> {
    let http = reqwest::Client::new();
    let api = api.trim_end_matches('/');
    let url = url.trim_end_matches('/');
    let (_, token) = crate::api::create_map(api).await?;
    let maps = maps.max(1);
    let map_urls = template_maps(&http, api, url, &token, maps, "Storm").await?;
    let probe_body = serde_json::json!({"title": "Storm probe", "template": "blank"});
    let probe_id = crate::api::new_map(&http, api, &token, probe_body).await?;
    let probe_url = format!("{url}/{probe_id}?token={token}");
    wait_unloaded(&http, api).await?;
    println!("storm: {maps} maps made and unloaded");
    Ok(StormMaps {
        map_urls,
        probe_url,
    })
}

/// Connects `clients` clients over the prepared maps at once while the probe edits;
/// prints the figures (`STORM ...`).
pub async fn storm(prepared: &StormMaps, clients: usize) -> anyhow::Result<StormReport> {
    let map_urls = &prepared.map_urls;
    let maps = map_urls.len();
    let (_, a) = open_synced(&prepared.probe_url).await?;
    let (_, b) = open_synced(&prepared.probe_url).await?;
    let storm = Arc::new(AtomicBool::new(false));
    let stop = Arc::new(AtomicBool::new(false));
    let samples = Arc::new(Mutex::new(Vec::new()));
    let prober = tokio::spawn(probe(a, b, storm.clone(), stop.clone(), samples.clone()));
    tokio::time::sleep(Duration::from_secs(2)).await; // the probe's baseline

    println!("storm: {clients} clients connecting at once");
    storm.store(true, Ordering::Relaxed);
    let started = Instant::now();
    let opened = join_all((0..clients).map(|i| open_synced(&map_urls[i % maps]))).await;
    let all = started.elapsed();
    storm.store(false, Ordering::Relaxed);
    tokio::time::sleep(Duration::from_secs(1)).await;
    stop.store(true, Ordering::Relaxed);
    prober.await??;

    let opened = Opened::collect(opened);
    let samples = std::mem::take(&mut *samples.lock().expect("samples"));
    let mut before: Vec<Duration> = samples
        .iter()
        .filter(|s| !s.during)
        .map(|s| s.latency)
        .collect();
    let mut during: Vec<Duration> = samples
        .iter()
        .filter(|s| s.during)
        .map(|s| s.latency)
        .collect();
    before.sort();
    during.sort();
    let report = StormReport {
        clients,
        synced: opened.times.len(),
        failed: opened.failed,
        first_error: opened.first_error.clone(),
        all_synced_ms: ms(all),
        per_client_p50_ms: percentile(&opened.times, 0.5),
        per_client_p99_ms: percentile(&opened.times, 0.99),
        probe_quiet_p50_ms: percentile(&before, 0.5),
        probe_quiet_p99_ms: percentile(&before, 0.99),
        probe_storm_samples: during.len(),
        probe_storm_p50_ms: percentile(&during, 0.5),
        probe_storm_p99_ms: percentile(&during, 0.99),
        probe_storm_max_ms: during.last().copied().map_or(f64::NAN, ms),
    };
    println!(
        "STORM clients={} maps={maps} synced={} failed={} all_synced_ms={:.0} per_client_ms p50={:.0} p99={:.0} \
         probe_quiet_ms p50={:.1} p99={:.1} probe_storm_ms n={} p50={:.1} p99={:.1} max={:.1}",
        report.clients,
        report.synced,
        report.failed,
        report.all_synced_ms,
        report.per_client_p50_ms,
        report.per_client_p99_ms,
        report.probe_quiet_p50_ms,
        report.probe_quiet_p99_ms,
        report.probe_storm_samples,
        report.probe_storm_p50_ms,
        report.probe_storm_p99_ms,
        report.probe_storm_max_ms,
    );
    Ok(report)
}

/// Prepares the maps, waits `run.delay` seconds (to restart the server by hand), then
/// storms.
pub async fn run(run: StormRun<'_>) -> anyhow::Result<StormReport> {
    let prepared = prepare(run.url, run.api, run.maps).await?;
    if run.delay > 0 {
        println!("storm: starting in {} s", run.delay);
        tokio::time::sleep(Duration::from_secs(run.delay)).await;
    }
    storm(&prepared, run.clients).await
}
