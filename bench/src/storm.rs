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

use anyhow::bail;
use futures_util::future::join_all;
use parcours_bench::YClient;
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

pub async fn run(run: StormRun<'_>) -> anyhow::Result<()> {
    let http = reqwest::Client::new();
    let api = run.api.trim_end_matches('/');
    let url = run.url.trim_end_matches('/');
    let (_, token) = crate::create_map(api).await?;
    let maps = run.maps.max(1);
    let map_urls = template_maps(&http, api, url, &token, maps, "Storm").await?;
    let probe_body = serde_json::json!({"title": "Storm probe", "template": "blank"});
    let probe_id = crate::new_map(&http, api, &token, probe_body).await?;
    let probe_url = format!("{url}/{probe_id}?token={token}");
    wait_unloaded(&http, api).await?;
    println!("storm: {maps} maps made and unloaded");
    if run.delay > 0 {
        println!("storm: starting in {} s", run.delay);
        tokio::time::sleep(Duration::from_secs(run.delay)).await;
    }

    let (_, a) = open_synced(&probe_url).await?;
    let (_, b) = open_synced(&probe_url).await?;
    let storm = Arc::new(AtomicBool::new(false));
    let stop = Arc::new(AtomicBool::new(false));
    let samples = Arc::new(Mutex::new(Vec::new()));
    let prober = tokio::spawn(probe(a, b, storm.clone(), stop.clone(), samples.clone()));
    tokio::time::sleep(Duration::from_secs(2)).await; // the probe's baseline

    println!("storm: {} clients connecting at once", run.clients);
    storm.store(true, Ordering::Relaxed);
    let started = Instant::now();
    let opened = join_all((0..run.clients).map(|i| open_synced(&map_urls[i % maps]))).await;
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
    println!(
        "STORM clients={} maps={maps} synced={} failed={} all_synced_ms={:.0} per_client_ms p50={:.0} p99={:.0} \
         probe_quiet_ms p50={:.1} p99={:.1} probe_storm_ms n={} p50={:.1} p99={:.1} max={:.1}",
        run.clients,
        opened.times.len(),
        opened.failed,
        ms(all),
        percentile(&opened.times, 0.5),
        percentile(&opened.times, 0.99),
        percentile(&before, 0.5),
        percentile(&before, 0.99),
        during.len(),
        percentile(&during, 0.5),
        percentile(&during, 0.99),
        during.last().copied().map_or(f64::NAN, ms),
    );
    opened.check("clients")
}
