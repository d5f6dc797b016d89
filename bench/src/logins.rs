//! `--logins N`: N sign-in attempts at once against a Parcours server, each for another
//! (unknown) address and from another client address (`X-Forwarded-For`, believed only
//! when the server runs with `--trusted-proxies 127.0.0.1`), so neither the account nor
//! the address limit stops them and every one asks for a password hash. Prints the
//! answers by status, the time taken, and the server's resident memory (from
//! `/metrics`) before, at its highest during, and after the storm.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Runs the storm against `api` (e.g. `http://127.0.0.1:8080`).
pub async fn run(api: &str, logins: usize) -> anyhow::Result<()> {
    let api = api.trim_end_matches('/').to_owned();
    let http = reqwest::Client::new();
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
    println!("bench: {logins} parallel sign-ins, each for an unknown address from another client address");
    let start = Instant::now();
    let mut tasks = Vec::with_capacity(logins);
    for i in 0..logins {
        let (http, api) = (http.clone(), api.clone());
        tasks.push(tokio::spawn(async move {
            let forwarded = format!("10.{}.{}.{}", (i >> 16) & 255, (i >> 8) & 255, i & 255);
            http.post(format!("{api}/api/auth/login"))
                .header("x-forwarded-for", forwarded)
                .json(&serde_json::json!({
                    "email": format!("nobody-{i}@example.com"),
                    "password": "not the password",
                }))
                .send()
                .await
                .map(|r| r.status().as_u16())
                .unwrap_or(0)
        }));
    }
    let mut statuses = BTreeMap::<u16, usize>::new();
    for task in tasks {
        *statuses.entry(task.await.unwrap_or(0)).or_default() += 1;
    }
    let elapsed = start.elapsed();
    done.store(true, Ordering::Relaxed);
    let _ = sampler.await;
    let after = rss(&http, &api).await?;
    println!(
        "bench: answers {statuses:?} (401: checked; 429: refused, busy or limited) in {:.1} s",
        elapsed.as_secs_f64()
    );
    println!(
        "bench: server RSS before {:.1} MB, highest during {:.1} MB, after {:.1} MB",
        mb(before),
        mb(highest.load(Ordering::Relaxed)),
        mb(after)
    );
    Ok(())
}

pub fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1_000_000.0
}

/// The server's resident memory from `/metrics`.
pub async fn rss(http: &reqwest::Client, api: &str) -> anyhow::Result<u64> {
    let text = metrics(http, api).await?;
    metric(&text, "parcours_process_resident_bytes")
        .map(|v| v as u64)
        .ok_or_else(|| anyhow::anyhow!("no parcours_process_resident_bytes in /metrics"))
}

/// The server's `/metrics` page.
pub async fn metrics(http: &reqwest::Client, api: &str) -> anyhow::Result<String> {
    Ok(http
        .get(format!("{api}/metrics"))
        .send()
        .await?
        .error_for_status()?
        .text()
        .await?)
}

/// The value of the series `name` (without labels) in a `/metrics` page.
pub fn metric(text: &str, name: &str) -> Option<f64> {
    text.lines()
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(' '))
        .and_then(|v| v.trim().parse().ok())
}

/// CPU time (user + system) process `pid` has used, from `/proc/PID/stat`.
pub fn cpu_time(pid: u32) -> anyhow::Result<std::time::Duration> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))?;
    // Fields after the command name (which may hold spaces) in parentheses.
    let rest = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest)
        .ok_or_else(|| anyhow::anyhow!("unreadable /proc/{pid}/stat"))?;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of stat(5); `rest` starts at field 3.
    let ticks = |i: usize| -> anyhow::Result<u64> {
        Ok(fields
            .get(i - 3)
            .ok_or_else(|| anyhow::anyhow!("short /proc/{pid}/stat"))?
            .parse()?)
    };
    let total = ticks(14)? + ticks(15)?;
    Ok(std::time::Duration::from_secs_f64(
        total as f64 / clock_ticks_per_second(),
    ))
}

/// `getconf CLK_TCK` (100 on Linux unless configured otherwise).
fn clock_ticks_per_second() -> f64 {
    std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|out| String::from_utf8(out.stdout).ok())
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(100.0)
}
