//! `--follow N`: what following the presenter costs. One presenter and N followers on a
//! retail-bank template map. Each follower publishes, once, the presence the web app
//! sends when it follows someone (`"view": {"following": <id>}`) and nothing more; the
//! presenter then publishes its view as the web app does while presenting and
//! scrolling (the stage in focus, the board's scroll, the presentation step) `--rate`
//! times a second for `--seconds` (the app publishes at most five times a second).
//!
//! Prints, per follower, the awareness messages and bytes per second it received and
//! what it sent while following; the server's own traffic is N times the presenter's
//! messages, as for any presence change: followers add none of their own.

use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use futures_util::future::join_all;

use crate::cold::template_maps;
use crate::YClient;

pub struct FollowRun<'a> {
    pub url: &'a str,
    pub api: &'a str,
    pub followers: usize,
    /// Presenter view updates per second.
    pub rate: f64,
    pub seconds: u64,
}

/// What one run measured.
pub struct FollowReport {
    pub followers: usize,
    pub seconds: f64,
    /// Presenter updates sent, and their bytes.
    pub presenter_sent: (u64, u64),
    /// Per follower: (messages, bytes) received during the run.
    pub received: Vec<(u64, u64)>,
    /// Per follower: messages sent during the run.
    pub follower_sent: Vec<u64>,
}

impl FollowReport {
    /// Prints the figures; fails when a follower missed the presenter or sent anything.
    pub fn check(&self) -> anyhow::Result<()> {
        let per_s = |n: u64| n as f64 / self.seconds;
        let (sent, sent_bytes) = self.presenter_sent;
        let bytes: Vec<f64> = self.received.iter().map(|r| per_s(r.1)).collect();
        let messages: Vec<f64> = self.received.iter().map(|r| per_s(r.0)).collect();
        let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len().max(1) as f64;
        let min = bytes.iter().copied().fold(f64::INFINITY, f64::min);
        let max = bytes.iter().copied().fold(0.0, f64::max);
        println!(
            "follow: {} followers, the presenter sent {sent} view updates ({:.1}/s, {:.0} B each) over {:.1} s",
            self.followers,
            per_s(sent),
            sent_bytes as f64 / sent.max(1) as f64,
            self.seconds
        );
        println!(
            "follow: each follower received {:.1} awareness messages/s, {:.0} B/s (min {min:.0}, max {max:.0}); the server sent {:.0} B/s to all",
            mean(&messages),
            mean(&bytes),
            bytes.iter().sum::<f64>()
        );
        let extra: u64 = self.follower_sent.iter().sum();
        println!("follow: followers sent {extra} awareness messages while following");
        if extra > 0 {
            bail!("followers published {extra} messages while following");
        }
        let missed = self.received.iter().filter(|r| r.0 + 1 < sent).count();
        if missed > 0 {
            bail!("{missed} followers received fewer messages than the presenter sent");
        }
        Ok(())
    }
}

/// The presence the web app publishes for `name`, with `view`.
fn state(name: &str, view: serde_json::Value) -> String {
    serde_json::json!({
        "user": {"name": name, "color": "#155eef"},
        "selected": null,
        "view": view,
    })
    .to_string()
}

pub async fn run(run: FollowRun<'_>) -> anyhow::Result<FollowReport> {
    let http = reqwest::Client::new();
    let (_, token) = crate::api::create_map(run.api).await?;
    let url = template_maps(&http, run.api, run.url, &token, 1, "Follow")
        .await?
        .pop()
        .context("no map")?;
    let presenter = YClient::connect(&url).await?;
    presenter.wait_synced(Duration::from_secs(30)).await?;
    let presenter_id = presenter.doc().client_id().get();
    let opened = join_all((0..run.followers).map(|_| async {
        let client = YClient::connect(&url).await?;
        client.wait_synced(Duration::from_secs(60)).await?;
        Ok::<_, anyhow::Error>(client)
    }))
    .await;
    let followers: Vec<YClient> = opened.into_iter().collect::<Result<_, _>>()?;
    for (i, f) in followers.iter().enumerate() {
        f.set_awareness(Some(&state(
            &format!("Follower {i}"),
            serde_json::json!({"x": 0, "y": 0, "page": 0, "following": presenter_id}),
        )))?;
    }
    // Let the joins and the follow notices settle, then count from zero.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let start_in: Vec<(u64, u64)> = followers.iter().map(YClient::awareness_received).collect();
    let start_out: Vec<u64> = followers.iter().map(|f| f.awareness_sent().0).collect();
    let presenter_start = presenter.awareness_sent();

    let stages: Vec<String> = {
        let view = parcours_shared::schema::MapDoc::new(presenter.doc().clone()).view();
        view.stages.into_iter().map(|s| s.id).collect()
    };
    let period = Duration::from_secs_f64(1.0 / run.rate.max(0.1));
    let started = Instant::now();
    let mut tick = tokio::time::interval(period);
    let mut n = 0u64;
    while started.elapsed() < Duration::from_secs(run.seconds) {
        tick.tick().await;
        n += 1;
        let step = (n / 10) as usize % (stages.len() + 2);
        let stage = stages
            .get(((n / 3) as usize) % stages.len().max(1))
            .cloned();
        presenter.set_awareness(Some(&state(
            "Presenter",
            serde_json::json!({
                "stage": stage,
                "x": (n * 37) % 1200,
                "y": (n * 11) % 400,
                "page": 0,
                "step": step,
            }),
        )))?;
    }
    // The last updates in flight.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let seconds = started.elapsed().as_secs_f64();
    let presenter_end = presenter.awareness_sent();
    let received = followers
        .iter()
        .zip(&start_in)
        .map(|(f, s)| {
            let now = f.awareness_received();
            (now.0 - s.0, now.1 - s.1)
        })
        .collect();
    let follower_sent = followers
        .iter()
        .zip(&start_out)
        .map(|(f, s)| f.awareness_sent().0 - s)
        .collect();
    Ok(FollowReport {
        followers: run.followers,
        seconds,
        presenter_sent: (
            presenter_end.0 - presenter_start.0,
            presenter_end.1 - presenter_start.1,
        ),
        received,
        follower_sent,
    })
}
