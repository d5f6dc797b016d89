//! `--history N`: builds a map with N edits in its history through a running Parcours
//! server (one client typing into 200 cards, a named version every N/10 edits), then
//! times what history readers do: open each version, open random past moments, blame
//! one card, diff the first version with now. With `--sqlite-file`, also prints what
//! the database keeps for those edits: everything (with history) and the part a server
//! without history keeps (the snapshot and the rows after it).
//!
//! Run the server with `--flush-interval-ms 1` so nearly every edit is its own log
//! row (the worst case for history: no batching).

use std::time::{Duration, Instant};

use anyhow::Context;
use parcours_bench::YClient;
use parcours_shared::schema::{At, MapDoc, TextTarget};
use serde_json::Value;

/// Cards the edits are spread over.
const CARDS: usize = 200;
/// Stages the cards sit in.
const STAGES: usize = 10;

/// Runs the scenario.
pub async fn run(
    sync_url: &str,
    api: &str,
    edits: usize,
    rate: f64,
    sqlite: Option<&str>,
) -> anyhow::Result<()> {
    let api = api.trim_end_matches('/').to_owned();
    let (map, token) = parcours_bench::api::create_map(&api).await?;
    let http = reqwest::Client::new();
    let url = format!("{}/{map}?token={token}", sync_url.trim_end_matches('/'));
    let client = YClient::connect(&url).await?;
    client.wait_synced(Duration::from_secs(10)).await?;
    let doc = MapDoc::new(client.doc().clone());
    let lane = parcours_shared::view::read_view(client.doc())
        .lanes
        .first()
        .map(|l| l.id.clone())
        .context("the new map has no lane")?;
    doc.edit(|m| -> anyhow::Result<()> {
        for s in 0..STAGES {
            m.add_stage(&format!("s{s}"), &format!("Stage {s}"), At::End)?;
        }
        for c in 0..CARDS {
            m.add_card(
                &format!("c{c}"),
                &format!("s{}", c % STAGES),
                &lane,
                At::End,
                "",
            )?;
        }
        Ok(())
    })?;
    println!("bench: {edits} edits at {rate}/s into {CARDS} cards of map {map}");
    let started = Instant::now();
    let period = Duration::from_secs_f64(1.0 / rate);
    let mut tick = tokio::time::interval(period);
    let mut versions: Vec<String> = Vec::new();
    let first_at = now_ms();
    for i in 0..edits {
        tick.tick().await;
        let card = format!("c{}", i % CARDS);
        let letter = ((b'a' + (i % 26) as u8) as char).to_string();
        doc.edit(|m| m.insert_text(TextTarget::Card(&card), 0, &letter))?;
        if (i + 1) % (edits / 10).max(1) == 0 {
            if let Some(id) = name_version(&http, &api, &map, &token, i + 1).await? {
                versions.push(id);
            }
        }
    }
    let wrote = started.elapsed();
    // Let the last edits reach storage.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let last_at = now_ms();
    println!(
        "bench: sent {edits} edits in {:.1} s; {} named versions",
        wrote.as_secs_f64(),
        versions.len()
    );
    if !versions.is_empty() {
        let mut open = Vec::new();
        for v in &versions {
            open.push(
                timed(
                    &http,
                    &format!("{api}/api/maps/{map}/versions/{v}/view"),
                    &token,
                )
                .await?,
            );
        }
        report("open a version", &mut open);
        let mut moments = Vec::new();
        for k in 0..20 {
            let at = first_at + (last_at - first_at) * k / 19;
            moments.push(
                timed(
                    &http,
                    &format!("{api}/api/maps/{map}/history/view?at={at}"),
                    &token,
                )
                .await?,
            );
        }
        report("open a past moment", &mut moments);
        let mut blame = Vec::new();
        for _ in 0..20 {
            blame.push(
                timed(
                    &http,
                    &format!("{api}/api/maps/{map}/history?element=c7"),
                    &token,
                )
                .await?,
            );
        }
        report(
            &format!("blame one card ({} changes)", edits / CARDS + 1),
            &mut blame,
        );
        let mut diff = Vec::new();
        for _ in 0..5 {
            diff.push(
                timed(
                    &http,
                    &format!("{api}/api/maps/{map}/diff?from={}", versions[0]),
                    &token,
                )
                .await?,
            );
        }
        report("diff the first version with now", &mut diff);
    }
    if let Some(file) = sqlite {
        storage(file, &map, edits).await?;
    }
    client.close();
    Ok(())
}

/// Names a version; `None` when the server has no history (an older Parcours).
async fn name_version(
    http: &reqwest::Client,
    api: &str,
    map: &str,
    token: &str,
    n: usize,
) -> anyhow::Result<Option<String>> {
    let res = http
        .post(format!("{api}/api/maps/{map}/versions"))
        .bearer_auth(token)
        .json(&serde_json::json!({ "name": format!("After {n} edits") }))
        .send()
        .await?;
    if res.status() == 404 || res.status() == 405 {
        return Ok(None);
    }
    let body: Value = res.error_for_status()?.json().await?;
    Ok(body["id"].as_str().map(str::to_owned))
}

/// One GET's time in ms (it must answer 200).
async fn timed(http: &reqwest::Client, url: &str, token: &str) -> anyhow::Result<f64> {
    let start = Instant::now();
    let res = http.get(url).bearer_auth(token).send().await?;
    let status = res.status();
    let _ = res.bytes().await?;
    anyhow::ensure!(status == 200, "GET {url}: {status}");
    Ok(start.elapsed().as_secs_f64() * 1000.0)
}

fn report(what: &str, times: &mut [f64]) {
    times.sort_by(f64::total_cmp);
    let p50 = times[times.len() / 2];
    let max = times[times.len() - 1];
    println!(
        "bench: {what}: p50 {p50:.1} ms, max {max:.1} ms over {} calls",
        times.len()
    );
}

/// Bytes the SQLite database at `file` keeps for `map`: everything, and what a server
/// without history keeps (snapshot + the rows after it); and the file's live pages.
async fn storage(file: &str, map: &str, edits: usize) -> anyhow::Result<()> {
    use sqlx::Row;
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{file}?mode=ro")).await?;
    let one = |sql: &'static str| {
        let pool = pool.clone();
        let map = map.to_owned();
        async move {
            let row = sqlx::query(sql).bind(map).fetch_one(&pool).await?;
            Ok::<i64, anyhow::Error>(row.try_get::<Option<i64>, _>(0)?.unwrap_or(0))
        }
    };
    let snapshot = one("select sum(length(state)) from map_snapshots where map_id = ?1").await?;
    let tail = one("select sum(length(data)) from map_updates where map_id = ?1
           and seq > (select covers_seq from map_snapshots where map_id = ?1)")
    .await?;
    let log = one("select sum(length(data)) from map_updates where map_id = ?1").await?;
    let has_history = sqlx::query("select 1 from sqlite_master where name = 'element_changes'")
        .fetch_optional(&pool)
        .await?
        .is_some();
    let (changes, checkpoints) = if has_history {
        (
            one(
                "select sum(length(element) + length(root) + coalesce(length(state), 0) + 40)
                 from element_changes where map_id = ?1",
            )
            .await?,
            one("select sum(length(state)) from map_checkpoints where map_id = ?1").await?,
        )
    } else {
        (0, 0)
    };
    let page = |pragma: &'static str| {
        let pool = pool.clone();
        async move {
            let row = sqlx::query(pragma).fetch_one(&pool).await?;
            Ok::<i64, anyhow::Error>(row.try_get(0)?)
        }
    };
    let live_pages = page("pragma page_count").await? - page("pragma freelist_count").await?;
    let file_bytes = live_pages * page("pragma page_size").await?;
    let without = snapshot + tail;
    let with = snapshot + log + changes + checkpoints;
    let per = |b: i64| b as f64 / edits as f64;
    if !has_history {
        println!(
            "bench: storage for {edits} edits (a server without history): {without} B ({:.1} B/edit: snapshot + rows after it)",
            per(without)
        );
        println!("bench: database file in use: {file_bytes} B (all maps, indexes included)");
        return Ok(());
    }
    println!(
        "bench: storage for {edits} edits: without history {without} B ({:.1} B/edit: snapshot + rows after it); with history {with} B ({:.1} B/edit: + log {log} B, element states {changes} B, checkpoints {checkpoints} B)",
        per(without),
        per(with)
    );
    println!("bench: database file in use: {file_bytes} B (all maps, indexes included)");
    Ok(())
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}
