//! `--idle N`: N synced sockets spread over `--maps M` maps, held open, and the server's
//! resident memory before, with them and after they close — the memory a socket costs.
//!
//! Against Parcours (default) the maps are made from the templates through the REST API
//! (one account; run the server with `--max-connections-per-account` and
//! `--max-connections-per-address` above N) and the memory and counts come from
//! `/metrics`. Against y-sweet (`--ysweet`) each document is created with
//! `POST /doc/new`, given the same template content with `POST /d/{id}/update`, and
//! joined at `/doc/ws/{id}`; its memory is read from `/proc/{--pid}/status`. The same
//! client (this crate's [`YClient`]) joins both.

use std::time::{Duration, Instant};

use crate::YClient;
use anyhow::{bail, Context};
use futures_util::future::join_all;
use parcours_shared::schema::ItineraryKind;
use parcours_shared::templates::{self, Template};

/// Sockets opened at once while connecting (each waits for its sync step 2).
const CONNECT_WAVE: usize = 200;

/// What the idle run needs to know.
pub struct IdleRun<'a> {
    pub url: &'a str,
    pub api: &'a str,
    pub sockets: usize,
    pub maps: usize,
    pub hold: Duration,
    /// The server's process id: memory read from /proc instead of /metrics.
    pub pid: Option<u32>,
    /// The server is y-sweet.
    pub ysweet: bool,
    /// Every map from this template (default: the templates with content in turn).
    pub template: Option<Template>,
}

/// Where the server's memory and counts are read.
struct Probe<'a> {
    api: &'a str,
    pid: Option<u32>,
    http: reqwest::Client,
}

/// One reading of the server.
#[derive(Debug, Clone, Copy, Default)]
struct Reading {
    rss: u64,
    connections: Option<i64>,
    rooms: Option<i64>,
}

impl Probe<'_> {
    async fn read(&self) -> anyhow::Result<Reading> {
        if let Some(pid) = self.pid {
            let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
                .with_context(|| format!("cannot read /proc/{pid}/status"))?;
            let kb: u64 = status
                .lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.split_whitespace().next())
                .and_then(|v| v.parse().ok())
                .context("no VmRSS")?;
            return Ok(Reading {
                rss: kb * 1024,
                ..Reading::default()
            });
        }
        let text = crate::logins::metrics(&self.http, self.api).await?;
        let value = |name: &str| crate::logins::metric(&text, name).map(|v| v as i64);
        Ok(Reading {
            rss: crate::logins::rss(&self.http, self.api).await?,
            connections: value("parcours_connections"),
            rooms: value("parcours_rooms_open"),
        })
    }
}

/// Bytes in MiB (the idle figures are in MiB and KiB).
fn mib(bytes: u64) -> f64 {
    bytes as f64 / 1_048_576.0
}

fn describe(r: &Reading) -> String {
    let mut s = format!("RSS {:.1} MiB", mib(r.rss));
    if let Some(c) = r.connections {
        s.push_str(&format!(", {c} sockets"));
    }
    if let Some(m) = r.rooms {
        s.push_str(&format!(", {m} rooms open"));
    }
    s
}

/// The templates with content, in turn.
pub(crate) fn template_for(i: usize) -> Template {
    Template::ALL
        .into_iter()
        .filter(|t| *t != Template::Blank)
        .cycle()
        .nth(i)
        .unwrap_or_default()
}

/// Creates the maps and returns the socket URL of each.
async fn make_maps(run: &IdleRun<'_>, http: &reqwest::Client) -> anyhow::Result<Vec<String>> {
    let api = run.api.trim_end_matches('/');
    let url = run.url.trim_end_matches('/');
    let mut urls = Vec::with_capacity(run.maps);
    if run.ysweet {
        for i in 0..run.maps {
            let doc: serde_json::Value = http
                .post(format!("{api}/doc/new"))
                .json(&serde_json::json!({}))
                .send()
                .await?
                .error_for_status()?
                .json()
                .await?;
            let id = doc["docId"]
                .as_str()
                .context("no docId in y-sweet's answer")?
                .to_owned();
            let template = run.template.unwrap_or_else(|| template_for(i));
            let mut n = 0u32;
            let mut ids = || {
                n += 1;
                format!("m{i}-{n}")
            };
            let state = templates::initial_state(
                template.title(),
                ItineraryKind::Linear,
                template,
                parcours_shared::Language::En,
                &mut ids,
            )?;
            http.post(format!("{api}/d/{id}/update"))
                .body(state)
                .send()
                .await?
                .error_for_status()?;
            urls.push(format!("{url}/{id}"));
        }
        return Ok(urls);
    }
    let (_, token) = crate::api::create_map(api).await?;
    for i in 0..run.maps {
        let template = run.template.unwrap_or_else(|| template_for(i));
        let body = serde_json::json!({"title": format!("Idle {i}"), "template": template.as_str()});
        let id = crate::api::new_map(http, api, &token, body).await?;
        urls.push(format!("{url}/{id}?token={token}"));
    }
    Ok(urls)
}

/// Opens the sockets `range` (each on map `i % maps`), a wave at a time, each waiting
/// for its sync step 2; adds the synced ones to `clients`, counts the others.
async fn connect(
    urls: &[String],
    range: std::ops::Range<usize>,
    clients: &mut Vec<YClient>,
    failed: &mut usize,
    first_error: &mut Option<String>,
) {
    let all: Vec<usize> = range.collect();
    for wave in all.chunks(CONNECT_WAVE) {
        let joins = wave.iter().map(|&i| {
            let url = urls[i % urls.len()].clone();
            async move {
                let client = YClient::connect(&url).await?;
                client.wait_synced(Duration::from_secs(30)).await?;
                anyhow::Ok(client)
            }
        });
        for result in join_all(joins).await {
            match result {
                Ok(client) => clients.push(client),
                Err(e) => {
                    *failed += 1;
                    first_error.get_or_insert_with(|| format!("{e:#}"));
                }
            }
        }
    }
}

/// Runs the idle measurement and prints its figures.
pub async fn run(run: IdleRun<'_>) -> anyhow::Result<()> {
    let http = reqwest::Client::new();
    let probe = Probe {
        api: run.api.trim_end_matches('/'),
        pid: run.pid,
        http: http.clone(),
    };
    let maps = run.maps.max(1);
    println!(
        "idle: {} sockets over {maps} maps on {} ({})",
        run.sockets,
        run.url,
        if run.ysweet { "y-sweet" } else { "Parcours" }
    );
    let urls = make_maps(&run, &http).await?;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let before = probe.read().await?;
    println!("idle: before: {}", describe(&before));

    // One socket per map first, so the rooms are loaded; the memory the others add is
    // what a socket costs.
    let mut clients = Vec::with_capacity(run.sockets);
    let mut failed = 0usize;
    let mut first_error = None;
    let first_wave = urls.len().min(run.sockets);
    connect(
        &urls,
        0..first_wave,
        &mut clients,
        &mut failed,
        &mut first_error,
    )
    .await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let loaded = probe.read().await?;
    println!("idle: one socket per map: {}", describe(&loaded));
    let started = Instant::now();
    connect(
        &urls,
        first_wave..run.sockets,
        &mut clients,
        &mut failed,
        &mut first_error,
    )
    .await;
    let connect_time = started.elapsed();
    println!(
        "idle: {} sockets synced, the last {} in {:.1} s{}",
        clients.len(),
        clients.len().saturating_sub(first_wave),
        connect_time.as_secs_f64(),
        match &first_error {
            Some(e) => format!(", {failed} failed (first: {e})"),
            None => String::new(),
        }
    );
    // Let allocations settle, then read; again after holding.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let held = probe.read().await?;
    tokio::time::sleep(run.hold).await;
    let still = probe.read().await?;
    let dropped = clients.iter().filter(|c| c.closed().is_some()).count();
    println!("idle: with the sockets: {}", describe(&held));
    println!(
        "idle: after holding {} s: {}; {dropped} sockets closed by the server meanwhile",
        run.hold.as_secs(),
        describe(&still)
    );
    let more = clients.len().saturating_sub(first_wave).max(1);
    let per_socket = still.rss.saturating_sub(loaded.rss) as f64 / more as f64;
    println!(
        "IDLE sockets={} maps={maps} rss_before_mib={:.1} rss_rooms_loaded_mib={:.1} rss_held_mib={:.1} per_socket_kib={:.1} connect_s={:.1} failed={failed} dropped={dropped}",
        clients.len(),
        mib(before.rss),
        mib(loaded.rss),
        mib(still.rss),
        per_socket / 1024.0,
        connect_time.as_secs_f64()
    );
    for client in &clients {
        client.close();
    }
    drop(clients);
    tokio::time::sleep(Duration::from_secs(5)).await;
    let after = probe.read().await?;
    println!("idle: 5 s after closing them: {}", describe(&after));
    if failed > 0 {
        bail!("{failed} sockets did not sync");
    }
    if dropped > 0 {
        bail!("{dropped} idle sockets were closed by the server");
    }
    Ok(())
}
