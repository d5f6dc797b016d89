//! `--soak N`: N clients spread over `--maps M` maps, each editing at `--rate` edits/s
//! for `--seconds`, with the server's resident memory read from `/metrics` every 10 s.
//! Prints the memory after warm-up (the first fifth of the run) and at the end, the
//! growth between them, edits sent and delivered to the other clients of each map, lost
//! edits, clients closed by the server, and the server's error counters; fails on a lost
//! edit, a closed client or a storage error.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::YClient;
use anyhow::{bail, Context};
use yrs::types::EntryChange;
use yrs::{Any, Map, Observable, Out, Transact};

pub struct SoakRun<'a> {
    pub url: &'a str,
    pub api: &'a str,
    pub clients: usize,
    pub maps: usize,
    pub rate: f64,
    pub seconds: u64,
}

/// Server counters that must not move during a soak.
const ERROR_COUNTERS: [&str; 4] = [
    "parcours_storage_errors_total",
    "parcours_peers_too_slow_total",
    "parcours_peers_rejected_total",
    "parcours_room_reloads_total",
];

async fn read_metrics(http: &reqwest::Client, api: &str) -> anyhow::Result<String> {
    crate::logins::metrics(http, api).await
}

fn rss_mib(text: &str) -> f64 {
    crate::logins::metric(text, "parcours_process_resident_bytes").unwrap_or(f64::NAN)
        / (1024.0 * 1024.0)
}

/// What a soak saw.
#[derive(Debug, Clone)]
pub struct SoakReport {
    pub clients: usize,
    pub sent: u64,
    /// Edits that reached the other clients of their map, and how many should have.
    pub delivered: u64,
    pub expected: u64,
    pub lost: u64,
    /// Clients the server closed.
    pub closed: usize,
    /// The server's resident memory after warm-up (the first fifth), at the end, at most.
    pub rss_after_warm_up_mib: f64,
    pub rss_end_mib: f64,
    pub rss_max_mib: f64,
    /// End against after warm-up, in per cent.
    pub growth_pct: f64,
    /// How much each of the server's error counters moved (`ERROR_COUNTERS`).
    pub errors: Vec<(String, f64)>,
}

impl SoakReport {
    /// Fails on a lost edit, a closed client or a storage error.
    pub fn check(&self) -> anyhow::Result<()> {
        if self.lost > 0 || self.closed > 0 {
            bail!("{} edits lost, {} clients closed", self.lost, self.closed);
        }
        if self
            .errors
            .iter()
            .any(|(name, moved)| name == "storage_errors_total" && *moved > 0.0)
        {
            bail!("storage errors during the soak");
        }
        Ok(())
    }
}

/// Runs the soak and prints its figures (`SOAK ...`); [`SoakReport::check`] says
/// whether it passed.
pub async fn run(run: SoakRun<'_>) -> anyhow::Result<SoakReport> {
    let http = reqwest::Client::new();
    let api = run.api.trim_end_matches('/');
    // Several comma-separated endpoints (cluster nodes): client i goes to endpoint
    // i mod their count, so each map's clients are spread over the nodes.
    let bases: Vec<&str> = run
        .url
        .split(',')
        .map(|u| u.trim().trim_end_matches('/'))
        .collect();
    let url = bases[0];
    let maps = run.maps.max(1);
    if run.clients < 2 * maps {
        bail!("--soak needs at least two clients a map ({} maps)", maps);
    }
    let (_, token) = crate::api::create_map(api).await?;
    let map_urls = crate::cold::template_maps(&http, api, url, &token, maps, "Soak").await?;

    // Each client counts the other clients' edits it receives.
    let received = Arc::new(AtomicU64::new(0));
    let mut clients = Vec::with_capacity(run.clients);
    for wave in (0..run.clients).collect::<Vec<_>>().chunks(200) {
        let opened = futures_util::future::join_all(wave.iter().map(|&i| {
            let url = map_urls[i % maps].replacen(url, bases[i % bases.len()], 1);
            async move {
                let client = YClient::connect(&url)
                    .await
                    .with_context(|| format!("client {i}"))?;
                client.wait_synced(Duration::from_secs(60)).await?;
                anyhow::Ok((i, client))
            }
        }))
        .await;
        for result in opened {
            let (i, client) = result?;
            let map = client.doc().get_or_insert_map("soak");
            let own = format!("c{i}");
            let count = received.clone();
            // Each client writes 0, 1, 2, … under its key, so a value counts every edit
            // up to it: several edits of one key that arrive merged into one update
            // (as a cluster node hands over what another published together) count
            // each.
            let last: std::sync::Mutex<HashMap<String, i64>> = Default::default();
            map.observe("soak", move |txn, event| {
                let mut last = last.lock().unwrap_or_else(|p| p.into_inner());
                for (key, change) in event.keys(txn).iter() {
                    if key.as_ref() == own {
                        continue;
                    }
                    let value = match change {
                        EntryChange::Inserted(Out::Any(Any::Number(v)))
                        | EntryChange::Updated(_, Out::Any(Any::Number(v))) => match v.as_f64() {
                            Some(v) => v as i64,
                            None => continue,
                        },
                        _ => continue,
                    };
                    let before = last.insert(key.to_string(), value).unwrap_or(-1);
                    if value > before {
                        count.fetch_add((value - before) as u64, Ordering::Relaxed);
                    }
                }
            });
            clients.push((i, client, map));
        }
    }
    let baseline = received.load(Ordering::Relaxed);
    let start_metrics = read_metrics(&http, api).await?;
    println!(
        "soak: {} clients on {maps} maps synced; RSS {:.1} MiB; editing {} /s each for {} s",
        clients.len(),
        rss_mib(&start_metrics),
        run.rate,
        run.seconds
    );

    let period = Duration::from_secs_f64(1.0 / run.rate);
    let per_client = (run.rate * run.seconds as f64).round() as u64;
    let clients = Arc::new(clients);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for k in 0..clients.len() {
        let clients = clients.clone();
        tasks.push(tokio::spawn(async move {
            let offset = period.mul_f64(k as f64 / clients.len() as f64);
            tokio::time::sleep(offset).await;
            let mut tick = tokio::time::interval(period);
            for seq in 0..per_client {
                tick.tick().await;
                let (i, client, map) = &clients[k];
                let mut txn = client.doc().transact_mut();
                map.insert(&mut txn, format!("c{i}"), Any::from(seq as f64));
            }
        }));
    }

    // Memory every 10 s; warm-up is the first fifth of the run.
    let warm_up = Duration::from_secs(run.seconds / 5);
    let mut samples: Vec<(Duration, f64)> = Vec::new();
    while started.elapsed() < Duration::from_secs(run.seconds) {
        tokio::time::sleep(Duration::from_secs(10)).await;
        let text = read_metrics(&http, api).await?;
        let at = started.elapsed();
        samples.push((at, rss_mib(&text)));
        println!(
            "soak: {:>5.0} s RSS {:.1} MiB",
            at.as_secs_f64(),
            rss_mib(&text)
        );
    }
    for t in tasks {
        t.await?;
    }

    // Expected deliveries: every edit reaches the other clients of its map.
    let mut expected = 0u64;
    for m in 0..maps {
        let on_map = (0..clients.len())
            .filter(|k| clients[*k].0 % maps == m)
            .count() as u64;
        expected += per_client * on_map * (on_map - 1);
    }
    let deadline = Instant::now() + Duration::from_secs(30);
    while received.load(Ordering::Relaxed) - baseline < expected && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let delivered = received.load(Ordering::Relaxed) - baseline;
    let closed = clients.iter().filter(|c| c.1.closed().is_some()).count();
    let end_metrics = read_metrics(&http, api).await?;
    let after_warm_up = samples
        .iter()
        .find(|(at, _)| *at >= warm_up)
        .map_or(f64::NAN, |(_, rss)| *rss);
    let end = rss_mib(&end_metrics);
    let max = samples.iter().map(|(_, r)| *r).fold(f64::NAN, f64::max);
    let errors: Vec<(String, f64)> = ERROR_COUNTERS
        .iter()
        .map(|name| {
            let before = crate::logins::metric(&start_metrics, name).unwrap_or(0.0);
            let after = crate::logins::metric(&end_metrics, name).unwrap_or(0.0);
            (
                name.trim_start_matches("parcours_").to_owned(),
                after - before,
            )
        })
        .collect();
    let report = SoakReport {
        clients: clients.len(),
        sent: per_client * clients.len() as u64,
        delivered,
        expected,
        lost: expected.saturating_sub(delivered),
        closed,
        rss_after_warm_up_mib: after_warm_up,
        rss_end_mib: end,
        rss_max_mib: max,
        growth_pct: (end - after_warm_up) / after_warm_up * 100.0,
        errors,
    };
    println!(
        "SOAK clients={} maps={maps} nodes={} seconds={} sent={} delivered={} of {} ({:.0}/s) lost={} closed={} \
         rss_after_warm_up_mib={:.1} rss_end_mib={:.1} rss_max_mib={:.1} growth_pct={:.1} {}",
        report.clients,
        bases.len(),
        run.seconds,
        report.sent,
        report.delivered,
        report.expected,
        report.delivered as f64 / run.seconds as f64,
        report.lost,
        report.closed,
        report.rss_after_warm_up_mib,
        report.rss_end_mib,
        report.rss_max_mib,
        report.growth_pct,
        report
            .errors
            .iter()
            .map(|(name, moved)| format!("{name}={moved}"))
            .collect::<Vec<_>>()
            .join(" ")
    );
    Ok(report)
}
