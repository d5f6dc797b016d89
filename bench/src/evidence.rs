//! `--evidence FILE`: imports an event log (CSV, e.g. from `--gen-log`) into a new map
//! of a running Parcours server, times the import and a full analysis through the REST
//! API and samples the server's memory meanwhile; then runs pm4py on the same file
//! (variants and the directly-follows graph, tests/evidence/pm4py_check.py) and checks
//! that both count the same.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use serde_json::Value;

use parcours_bench::logins::{mb, rss};

/// Runs the comparison.
pub async fn run(api: &str, file: &str, pm4py_script: &str) -> anyhow::Result<()> {
    let api = api.trim_end_matches('/').to_owned();
    let (map, token) = parcours_bench::api::create_map(&api).await?;
    let http = reqwest::Client::new();
    let body = tokio::fs::read(file)
        .await
        .with_context(|| format!("cannot read {file}"))?;
    let size = body.len();
    let before = rss(&http, &api).await?;
    let highest = Arc::new(AtomicU64::new(before));
    let done = Arc::new(AtomicBool::new(false));
    let sampler = {
        let (http, api, highest, done) = (http.clone(), api.clone(), highest.clone(), done.clone());
        tokio::spawn(async move {
            while !done.load(Ordering::Relaxed) {
                if let Ok(now) = rss(&http, &api).await {
                    highest.fetch_max(now, Ordering::Relaxed);
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        })
    };
    let start = Instant::now();
    let res = http
        .post(format!(
            "{api}/api/maps/{map}/datasets?name=bench&case_id=case_id&activity=activity&timestamp=timestamp&channel=channel&segment=segment&value=value"
        ))
        .bearer_auth(&token)
        .header("content-type", "text/csv")
        .body(body)
        .send()
        .await?;
    let status = res.status();
    let dataset: Value = res.json().await?;
    anyhow::ensure!(status == 201, "import refused: {status} {dataset}");
    let imported = start.elapsed();
    let id = dataset["id"].as_str().context("no dataset id")?.to_owned();
    let t = Instant::now();
    let analysis: Value = http
        .get(format!("{api}/api/maps/{map}/datasets/{id}/analysis"))
        .bearer_auth(&token)
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let analysed = t.elapsed();
    let t = Instant::now();
    let graph: Value = http
        .get(format!("{api}/api/maps/{map}/datasets/{id}/process"))
        .bearer_auth(&token)
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let graphed = t.elapsed();
    let total = start.elapsed();
    done.store(true, Ordering::Relaxed);
    let _ = sampler.await;
    println!(
        "bench: parcours: {} rows ({:.1} MB), {} cases; import {:.2} s, full analysis {:.2} s, variants + directly-follows {:.2} s; total {:.2} s",
        dataset["rows"],
        size as f64 / 1e6,
        dataset["cases"],
        imported.as_secs_f64(),
        analysed.as_secs_f64(),
        graphed.as_secs_f64(),
        total.as_secs_f64()
    );
    println!(
        "bench: parcours: server RSS before {:.1} MB, highest {:.1} MB; {} variants",
        mb(before),
        mb(highest.load(Ordering::Relaxed)),
        analysis["variant_count"]
    );
    let t = Instant::now();
    let out = tokio::process::Command::new("python3")
        .arg(pm4py_script)
        .arg(file)
        .output()
        .await
        .context("python3 runs")?;
    let wall = t.elapsed();
    anyhow::ensure!(
        out.status.success(),
        "pm4py failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let theirs: Value = serde_json::from_slice(&out.stdout)?;
    println!(
        "bench: pm4py: variants + directly-follows {:.2} s (process wall time, Python start and imports included), peak RSS {:.1} MB",
        wall.as_secs_f64(),
        theirs["max_rss_kb"].as_f64().unwrap_or(0.0) / 1000.0
    );
    println!(
        "bench: parcours is {:.1}x faster (import + full analysis + variants and directly-follows, against pm4py's variants and directly-follows)",
        wall.as_secs_f64() / total.as_secs_f64()
    );
    // Both must count the same.
    let ours: BTreeMap<String, u64> = graph["variants"]
        .as_array()
        .context("variants")?
        .iter()
        .map(|v| {
            (
                v["activities"].to_string(),
                v["cases"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    let theirs_v: BTreeMap<String, u64> = theirs["variants"]
        .as_array()
        .context("variants")?
        .iter()
        .map(|v| (v[0].to_string(), v[1].as_u64().unwrap_or(0)))
        .collect();
    anyhow::ensure!(ours == theirs_v, "the variant counts differ from pm4py's");
    println!(
        "bench: variant counts equal pm4py's ({} variants)",
        ours.len()
    );
    Ok(())
}
