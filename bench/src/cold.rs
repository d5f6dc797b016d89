//! `--cold N`: what opening a map that is not in memory costs. One client writes N
//! realistic edits into a map through a running Parcours server (typing and deleting
//! in card texts, moving cards between cells, removing and adding cards, renaming
//! stages: each its own update), checks that a fresh client gets the same document,
//! leaves, and waits for the room to unload; then times, `--trials` times, a socket's
//! open to its sync step 2 with the room unloaded before each. Then `--maps M` maps
//! made from the templates, all unloaded, are opened at once (one socket each) and
//! the time until every socket has its sync step 2 is printed.
//!
//! Run the server with a short `--idle-unload-secs` (e.g. 1), and with
//! `--max-connections-per-account` / `--max-connections-per-address` above M.

use std::time::{Duration, Instant};

use crate::YClient;
use anyhow::bail;
use futures_util::future::join_all;
use parcours_shared::schema::{At, MapDoc, TextTarget};
use yrs::{ReadTxn, Transact};

/// Cards the edits are spread over, and the stages they sit in.
const CARDS: usize = 120;
const STAGES: usize = 8;

/// What the cold run needs to know.
pub struct ColdRun<'a> {
    pub url: &'a str,
    pub api: &'a str,
    pub updates: usize,
    pub trials: usize,
    pub maps: usize,
}

/// A small deterministic generator (the same edits every run).
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n.max(1) as u64) as usize
    }
}

/// Writes `updates` edits into a fresh map; returns its socket URL and the state the
/// writer ended with.
async fn write_history(run: &ColdRun<'_>, http: &reqwest::Client) -> anyhow::Result<String> {
    let api = run.api.trim_end_matches('/');
    let (map, token) = crate::api::create_map(api).await?;
    let url = format!("{}/{map}?token={token}", run.url.trim_end_matches('/'));
    let writer = YClient::connect(&url).await?;
    writer.wait_synced(Duration::from_secs(10)).await?;
    let doc = MapDoc::new(writer.doc().clone());
    let lanes: Vec<String> = parcours_shared::view::read_view(writer.doc())
        .lanes
        .iter()
        .map(|l| l.id.clone())
        .collect();
    if lanes.is_empty() {
        bail!("the new map has no lane");
    }
    doc.edit(|m| -> anyhow::Result<()> {
        for s in 0..STAGES {
            m.add_stage(&format!("s{s}"), &format!("Stage {s}"), At::End)?;
        }
        for c in 0..CARDS {
            let lane = &lanes[c % lanes.len()];
            m.add_card(
                &format!("c{c}"),
                &format!("s{}", c % STAGES),
                lane,
                At::End,
                "",
            )?;
        }
        Ok(())
    })?;
    println!(
        "cold: writing {} edits into map {map} ({CARDS} cards)",
        run.updates
    );
    let mut rng = Lcg(7);
    let mut next_card = CARDS;
    let mut live: Vec<String> = (0..CARDS).map(|c| format!("c{c}")).collect();
    let mut lengths = vec![0u32; CARDS];
    let started = Instant::now();
    for i in 0..run.updates {
        let slot = rng.below(live.len());
        let card = live[slot].clone();
        let roll = rng.below(100);
        doc.edit(|m| -> anyhow::Result<()> {
            if roll < 70 || lengths[slot] == 0 {
                // Typing: a letter at the end, a space now and then.
                let letter = if rng.below(6) == 0 {
                    " ".to_owned()
                } else {
                    ((b'a' + rng.below(26) as u8) as char).to_string()
                };
                m.insert_text(TextTarget::Card(&card), lengths[slot], &letter)?;
                lengths[slot] += 1;
            } else if roll < 82 {
                // Backspace.
                m.delete_text(TextTarget::Card(&card), lengths[slot] - 1, 1)?;
                lengths[slot] -= 1;
            } else if roll < 94 {
                let stage = format!("s{}", rng.below(STAGES));
                let lane = &lanes[rng.below(lanes.len())];
                m.move_card(&card, &stage, lane, 0)?;
            } else if roll < 98 {
                // A card removed, another written in its place.
                m.remove_card(&card)?;
                let id = format!("c{next_card}");
                next_card += 1;
                let stage = format!("s{}", rng.below(STAGES));
                m.add_card(&id, &stage, &lanes[0], At::End, "")?;
                live[slot] = id;
                lengths[slot] = 0;
            } else {
                let stage = rng.below(STAGES);
                m.rename_stage(&format!("s{stage}"), &format!("Stage {stage} ({i})"))?;
            }
            Ok(())
        })?;
        if i % 500 == 499 {
            // Let the socket task drain its queue now and then.
            tokio::task::yield_now().await;
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
    }
    let wrote = started.elapsed();
    let expected = writer.doc().transact().state_vector();
    println!(
        "cold: sent {} edits in {:.1} s ({:.0}/s); document {} KiB",
        run.updates,
        wrote.as_secs_f64(),
        run.updates as f64 / wrote.as_secs_f64(),
        crate::full_state(writer.doc()).len() / 1024
    );
    // Everything reached the server: a fresh client gets the writer's document.
    let check = YClient::connect(&url).await?;
    check.wait_synced(Duration::from_secs(60)).await?;
    if !check
        .wait_until(Duration::from_secs(120), |d| {
            d.transact().state_vector() == expected
        })
        .await
    {
        bail!("the server does not have every edit the writer sent");
    }
    let view = parcours_shared::view::read_view(writer.doc());
    if parcours_shared::view::read_view(check.doc()) != view {
        bail!("a fresh client's map differs from the writer's");
    }
    drop(check);
    drop(writer);
    wait_unloaded(http, api).await?;
    Ok(url)
}

/// Waits until the server has no room open (all written and unloaded).
pub(crate) async fn wait_unloaded(http: &reqwest::Client, api: &str) -> anyhow::Result<()> {
    let until = Instant::now() + Duration::from_secs(300);
    loop {
        let text = crate::logins::metrics(http, api).await?;
        let open = crate::logins::metric(&text, "parcours_rooms_open").unwrap_or(f64::NAN);
        if open == 0.0 {
            return Ok(());
        }
        if Instant::now() > until {
            bail!("rooms still open after 5 minutes ({open}); is --idle-unload-secs short?");
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Opens a socket on `url` and waits for its sync step 2; returns the time it took.
pub(crate) async fn open_synced(url: &str) -> anyhow::Result<(Duration, YClient)> {
    let started = Instant::now();
    let client = YClient::connect(url).await?;
    client.wait_synced(Duration::from_secs(60)).await?;
    Ok((started.elapsed(), client))
}

pub(crate) fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// `n` maps from the templates with content in turn (titled `{title} {i}`), made by the
/// account of `token`; returns their sync URLs under `url`.
pub(crate) async fn template_maps(
    http: &reqwest::Client,
    api: &str,
    url: &str,
    token: &str,
    n: usize,
    title: &str,
) -> anyhow::Result<Vec<String>> {
    let mut urls = Vec::with_capacity(n);
    for i in 0..n {
        let template = crate::idle::template_for(i);
        let body =
            serde_json::json!({"title": format!("{title} {i}"), "template": template.as_str()});
        let id = crate::api::new_map(http, api, token, body).await?;
        urls.push(format!("{url}/{id}?token={token}"));
    }
    Ok(urls)
}

/// The value at quantile `q` of sorted durations, in ms (NaN when empty).
pub(crate) fn percentile(sorted: &[Duration], q: f64) -> f64 {
    sorted
        .get(((sorted.len() as f64 * q) as usize).min(sorted.len().saturating_sub(1)))
        .copied()
        .map_or(f64::NAN, ms)
}

/// Sockets opened at once with [`open_synced`]: their times (sorted), the clients, the
/// failures.
pub(crate) struct Opened {
    pub(crate) times: Vec<Duration>,
    pub(crate) clients: Vec<YClient>,
    pub(crate) failed: usize,
    pub(crate) first_error: Option<String>,
}

impl Opened {
    pub(crate) fn collect(results: Vec<anyhow::Result<(Duration, YClient)>>) -> Opened {
        let mut opened = Opened {
            times: Vec::new(),
            clients: Vec::new(),
            failed: 0,
            first_error: None,
        };
        for result in results {
            match result {
                Ok((took, client)) => {
                    opened.times.push(took);
                    opened.clients.push(client);
                }
                Err(e) => {
                    opened.failed += 1;
                    opened.first_error.get_or_insert_with(|| format!("{e:#}"));
                }
            }
        }
        opened.times.sort();
        opened
    }

    /// Fails when any socket did not sync, with the first reason.
    pub(crate) fn check(&self, what: &str) -> anyhow::Result<()> {
        check_synced(self.failed, self.first_error.as_deref(), what)
    }
}

/// Fails when `failed` sockets (of `what`) did not sync, with the first reason.
pub(crate) fn check_synced(
    failed: usize,
    first_error: Option<&str>,
    what: &str,
) -> anyhow::Result<()> {
    if failed > 0 {
        bail!(
            "{failed} {what} did not sync: {}",
            first_error.unwrap_or_default()
        );
    }
    Ok(())
}

/// Runs the cold-load measurement and prints its figures.
pub async fn run(run: ColdRun<'_>) -> anyhow::Result<()> {
    let http = reqwest::Client::new();
    let api = run.api.trim_end_matches('/');
    if run.updates > 0 {
        let url = write_history(&run, &http).await?;
        let mut times = Vec::new();
        // The same open while the room is loaded: what the cold open adds is loading.
        let mut warm = Vec::new();
        for _ in 0..run.trials.max(1) {
            let (took, client) = open_synced(&url).await?;
            times.push(took);
            let (took, second) = open_synced(&url).await?;
            warm.push(took);
            drop(second);
            drop(client);
            wait_unloaded(&http, api).await?;
        }
        times.sort();
        warm.sort();
        println!(
            "COLD map updates={} trials={} open_to_sync_step_2_ms p50={:.1} max={:.1} warm_p50={:.1}",
            run.updates,
            times.len(),
            ms(times[times.len() / 2]),
            ms(times[times.len() - 1]),
            ms(warm[warm.len() / 2])
        );
    }
    if run.maps > 0 {
        let (_, token) = crate::api::create_map(api).await?;
        let url = run.url.trim_end_matches('/');
        let urls = template_maps(&http, api, url, &token, run.maps, "Cold").await?;
        wait_unloaded(&http, api).await?;
        println!(
            "cold: {} maps made and unloaded; opening all at once",
            urls.len()
        );
        let started = Instant::now();
        let opened = Opened::collect(join_all(urls.iter().map(|u| open_synced(u))).await);
        let all = started.elapsed();
        println!(
            "COLD maps={} synced={} failed={} all_synced_ms={:.0} per_socket_ms p50={:.0} p99={:.0}",
            urls.len(),
            opened.times.len(),
            opened.failed,
            ms(all),
            percentile(&opened.times, 0.5),
            percentile(&opened.times, 0.99)
        );
        opened.check("sockets")?;
    }
    Ok(())
}
