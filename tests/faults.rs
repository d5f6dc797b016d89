//! Storage faults survived while people edit: PostgreSQL stopped (a cluster of the
//! test's own, `pg_ctl stop -m immediate`) and SQLite's files made unwritable
//! (`chattr +i`). Meanwhile peers keep editing and syncing, `/healthz` reports the
//! fault, the room writers retry, and once storage is back everything the peers
//! exchanged is stored: a restarted server serves all of it.
//!
//! `PARCOURS_FAULT_SECS` sets how long storage is away (default 30).

mod common;

use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{client_view, converged, edit, metric, within, PgCluster, TestDb, TestServer};
use parcours_server::store::Backend;
use parcours_shared::schema::{At, TextTarget};

fn fault_duration() -> Duration {
    let secs = std::env::var("PARCOURS_FAULT_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(30);
    Duration::from_secs(secs)
}

/// What `/healthz` answered, and when (since the fault began).
#[derive(Debug, Clone)]
struct Health {
    at: Duration,
    status: u16,
    code: String,
}

/// Polls `/healthz` every 100 ms until `stop`, recording each answer.
fn watch_health(
    url: String,
    started: Instant,
    stop: Arc<AtomicBool>,
) -> (Arc<Mutex<Vec<Health>>>, tokio::task::JoinHandle<()>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let task = tokio::spawn(async move {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(3))
            .build()
            .expect("client");
        while !stop.load(Ordering::Relaxed) {
            let (status, code) = match http.get(&url).send().await {
                Ok(res) => {
                    let status = res.status().as_u16();
                    let body: serde_json::Value = res.json().await.unwrap_or_default();
                    let code = body["code"].as_str().unwrap_or("").to_owned();
                    (status, code)
                }
                Err(e) => (0, format!("no answer: {e}")),
            };
            log.lock().expect("health log").push(Health {
                at: started.elapsed(),
                status,
                code,
            });
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    });
    (seen, task)
}

/// How storage is taken away and given back.
trait Fault {
    fn begin(&self);
    fn end(&self);
    /// The `/healthz` code expected while it lasts.
    fn health_code(&self) -> &'static str;
}

/// Two peers edit a map before, during and after `fault`; asserts they kept syncing,
/// that `/healthz` said so, that writes were retried, and that nothing was lost.
async fn edits_survive(db: &TestDb, fault: &dyn Fault, name: &str) {
    // The server's warnings (failed writes, retries) show in the test's output.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "parcours_server=warn".into()),
        )
        .with_test_writer()
        .try_init();
    let mut config = db.config();
    // Keep the room loaded whatever happens (the peers stay connected anyway).
    config.idle_unload_secs = 3600;
    let server = TestServer::start(config.clone()).await;
    let addr = server.addr;
    let map = server.create_map("Outage").await.id.0;
    let a = server.client(&map).await;
    let b = server.client(&map).await;
    let lane = client_view(&a).lanes[0].id.clone();
    edit(&a, |m| m.add_stage("s1", "Discover", At::End)).expect("stage");
    converged(&[&a, &b]).await;
    let errors_before = metric(&server.metrics().await, "parcours_storage_errors_total");

    let outage = fault_duration();
    let started = Instant::now();
    let stop_watch = Arc::new(AtomicBool::new(false));
    let (health, watcher) = watch_health(server.url("/healthz"), started, stop_watch.clone());
    fault.begin();
    let fault_began = started.elapsed();

    // Peers edit all along: text typed by both and a card now and then; each edit
    // must reach the other peer while storage is away.
    let mut typed = Vec::new();
    let mut i = 0usize;
    let mut worst_delivery = Duration::ZERO;
    while started.elapsed() < outage {
        let (from, to) = if i.is_multiple_of(2) {
            (&a, &b)
        } else {
            (&b, &a)
        };
        let token = format!("<{i}>");
        edit(from, |m| m.insert_text(TextTarget::Objective, 0, &token)).expect("type");
        if i.is_multiple_of(10) {
            edit(from, |m| {
                m.add_card(&format!("c{i}"), "s1", &lane, At::End, &format!("card {i}"))
            })
            .expect("card");
        }
        typed.push(token.clone());
        let sent = Instant::now();
        assert!(
            to.wait_until(common::WAIT, |d| {
                parcours_shared::view::read_view(d)
                    .meta
                    .objective
                    .contains(&token)
            })
            .await,
            "edit {i} reached the other peer while storage was away"
        );
        worst_delivery = worst_delivery.max(sent.elapsed());
        i += 1;
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let during = typed.len();
    let metrics = server.metrics().await;
    let failing = metric(&metrics, "parcours_storage_writers_failing").unwrap_or(0.0);
    let errors = metric(&metrics, "parcours_storage_errors_total");
    assert!(
        failing >= 1.0,
        "the room's writer says it is failing ({failing}); metrics: {}",
        metrics
            .lines()
            .filter(|l| l.starts_with("parcours_") && !l.contains("_bucket"))
            .collect::<Vec<_>>()
            .join("; ")
    );
    assert!(
        errors > errors_before,
        "failed writes were counted and retried ({errors_before:?} → {errors:?})"
    );

    fault.end();
    let restored = started.elapsed();
    // Writes catch up: healthy again and no writer failing.
    let recovered = within(
        Duration::from_secs(60),
        "storage back: /healthz 200 and no writer failing",
        || async {
            let res = server
                .http
                .get(server.url("/healthz"))
                .send()
                .await
                .map_err(|e| e.to_string())?;
            let failing = metric(&server.metrics().await, "parcours_storage_writers_failing");
            if res.status() == 200 && failing == Some(0.0) {
                Ok(started.elapsed())
            } else {
                Err(format!("{} failing={failing:?}", res.status()))
            }
        },
    )
    .await;
    stop_watch.store(true, Ordering::Relaxed);
    watcher.await.expect("health watcher");
    let health = health.lock().expect("health log").clone();
    let first_report = health
        .iter()
        .find(|h| h.status == 503 && h.code == fault.health_code())
        .unwrap_or_else(|| {
            panic!(
                "/healthz reported {} during the fault; saw {health:?}",
                fault.health_code()
            )
        })
        .at;
    assert!(
        health
            .iter()
            .all(|h| h.status == 200 || h.status == 503 || h.at >= restored),
        "/healthz answered 200 or 503 throughout: {health:?}"
    );

    // Every connection in the pool writes again (SQLite opens a file it may not write
    // read-only, and such a connection would stay so): 20 writes through REST at once
    // use them all.
    let titles: Vec<String> = (0..20).map(|i| format!("After {i}")).collect();
    futures_util::future::join_all(titles.iter().map(|t| server.create_map(t))).await;

    // After storage is back, a few more edits, then a restart: all of it is there.
    edit(&a, |m| m.insert_text(TextTarget::Objective, 0, "<after>")).expect("type");
    typed.push("<after>".into());
    let expected = converged(&[&a, &b]).await;
    server.stop().await;
    let server = TestServer::start_at(config, addr).await;
    let late = server.client(&map).await;
    let stored = client_view(&late);
    let lost = typed
        .iter()
        .filter(|t| !stored.meta.objective.contains(t.as_str()))
        .count();
    assert_eq!(lost, 0, "edits lost across the fault and a restart");
    assert_eq!(
        stored, expected,
        "the restarted server serves what the peers had"
    );
    server.stop().await;

    println!(
        "FAULT {name}: storage away {:.1} s; /healthz reported {} after {} ms; edits during the fault {during} \
         (worst peer delivery {} ms); {} failed writes retried; writes caught up {} ms after storage returned; lost: {lost}",
        (restored - fault_began).as_secs_f64(),
        fault.health_code(),
        (first_report.saturating_sub(fault_began)).as_millis(),
        worst_delivery.as_millis(),
        errors.unwrap_or(0.0) - errors_before.unwrap_or(0.0),
        (recovered - restored).as_millis(),
    );
}

/// PostgreSQL stops (immediate shutdown) and starts again on the same port.
struct PostgresDown<'a>(&'a PgCluster);

impl Fault for PostgresDown<'_> {
    fn begin(&self) {
        self.0.stop();
    }
    fn end(&self) {
        self.0.start();
    }
    fn health_code(&self) -> &'static str {
        "database_unavailable"
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_postgresql_outage_loses_nothing() {
    let Some(cluster) = PgCluster::create() else {
        return;
    };
    cluster.start();
    let db = TestDb::external(Backend::Postgres, cluster.url());
    edits_survive(&db, &PostgresDown(&cluster), "postgresql stopped").await;
}

/// The SQLite database's files and directory made immutable (`chattr +i`): every
/// write fails, even root's, while reads go on.
struct SqliteReadOnly<'a>(&'a TestDb);

impl SqliteReadOnly<'_> {
    fn paths(&self) -> Vec<std::path::PathBuf> {
        let dir = self.0.dir.path();
        let mut paths: Vec<_> = ["parcours.db", "parcours.db-wal"]
            .iter()
            .map(|f| dir.join(f))
            .filter(|p| p.exists())
            .collect();
        paths.push(dir.to_path_buf());
        paths
    }

    fn chattr(&self, flag: &str) -> bool {
        Command::new("chattr")
            .arg(flag)
            .args(self.paths())
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    }

    /// Whether this machine lets us make files immutable (root on ext4, xfs, btrfs…).
    fn possible(&self) -> bool {
        let ok = self.chattr("+i");
        self.chattr("-i");
        ok
    }
}

impl Fault for SqliteReadOnly<'_> {
    fn begin(&self) {
        assert!(self.chattr("+i"), "chattr +i on the database files");
    }
    fn end(&self) {
        assert!(self.chattr("-i"), "chattr -i on the database files");
    }
    fn health_code(&self) -> &'static str {
        "storage_failing"
    }
}

impl Drop for SqliteReadOnly<'_> {
    fn drop(&mut self) {
        // Never leave an immutable directory behind (the temp dir could not be removed).
        self.chattr("-i");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unwritable_sqlite_file_loses_nothing() {
    let db = TestDb::new(Backend::Sqlite).await;
    let fault = SqliteReadOnly(&db);
    if !fault.possible() {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("chattr +i is not possible here under CI=true (needs root on ext4/xfs/btrfs)");
        }
        eprintln!("SKIPPED: chattr +i is not possible here (needs root on ext4/xfs/btrfs)");
        return;
    }
    edits_survive(&db, &fault, "sqlite unwritable").await;
}
