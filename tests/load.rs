//! The load program's soak and reconnect storm in CI size, against the real server
//! binary (its own process, so the memory `/metrics` reports is the server's alone):
//!
//! - **Soak**: clients over several maps editing for a while: no edit lost, no client
//!   closed, none of the server's error counters moved, resident memory after warm-up
//!   grows less than 10 %.
//! - **Reconnect storm**: maps made, the server stopped and started again (rooms all
//!   unloaded, as a restart leaves them), then every client connects at once: all
//!   resync, and a probe pair editing meanwhile keeps getting its edits through.
//!
//! - **Following**: one presenter moving five times a second and 20 followers: each
//!   follower gets every move (one presence message, no more), and followers send
//!   nothing while following.
//!
//! Sizes (defaults in brackets): `PARCOURS_SOAK_CLIENTS` [200], `PARCOURS_SOAK_MAPS`
//! [20], `PARCOURS_SOAK_SECS` [60], `PARCOURS_STORM_CLIENTS` [500],
//! `PARCOURS_STORM_MAPS` [50]. The full-size runs (1 000 clients for an hour, 2 000 at
//! once) are recorded in docs/PERFORMANCE.md.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use parcours_bench::{follow, soak, storm};

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

/// The `parcours` binary serving `dir` on `port`, rooms unloaded a second after their
/// last peer leaves, connection limits above the test's client counts.
struct Server {
    child: Child,
    port: u16,
}

impl Server {
    async fn start(dir: &Path, port: u16) -> Server {
        let child = Command::new(env!("CARGO_BIN_EXE_parcours"))
            .args([
                "serve",
                "--data-dir",
                dir.to_str().expect("utf-8 path"),
                "--listen",
                &format!("127.0.0.1:{port}"),
                "--idle-unload-secs",
                "1",
                "--max-connections-per-account",
                "50000",
                "--max-connections-per-address",
                "50000",
                "--log",
                "warn",
            ])
            // The workspace, as `parcours serve` is run: the web app is found there.
            .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
            .stdin(Stdio::null())
            .spawn()
            .expect("start the parcours binary");
        let server = Server { child, port };
        let http = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok(res) = http.get(server.api("/healthz")).send().await {
                if res.status().is_success() {
                    return server;
                }
            }
            assert!(
                Instant::now() < deadline,
                "the server did not become healthy"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    fn api(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    fn sync(&self) -> String {
        format!("ws://127.0.0.1:{}/sync", self.port)
    }

    /// SIGINT (a graceful stop: rooms flushed), then waits for the process to end.
    fn stop(mut self) {
        let _ = Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                assert!(status.success(), "the server stopped with {status}");
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("the server did not stop within 30 s of SIGINT");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The soak and the storm each load both cores: one at a time, so neither measures the
/// other.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_soak_loses_no_edit_and_the_servers_memory_stays_flat() {
    let _alone = ONE_AT_A_TIME.lock().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let server = Server::start(dir.path(), free_port()).await;
    let report = soak::run(soak::SoakRun {
        url: &server.sync(),
        api: &server.api(""),
        clients: env_or("PARCOURS_SOAK_CLIENTS", 200) as usize,
        maps: env_or("PARCOURS_SOAK_MAPS", 20) as usize,
        rate: 2.0,
        seconds: env_or("PARCOURS_SOAK_SECS", 60),
    })
    .await
    .expect("the soak ran");
    assert_eq!(report.lost, 0, "edits lost: {report:?}");
    assert_eq!(report.closed, 0, "clients closed: {report:?}");
    assert_eq!(report.delivered, report.expected, "{report:?}");
    assert!(report.sent > 0);
    for (counter, moved) in &report.errors {
        assert_eq!(*moved, 0.0, "{counter} moved during the soak: {report:?}");
    }
    assert!(
        report.growth_pct < 10.0,
        "resident memory grew {:.1} % after warm-up: {report:?}",
        report.growth_pct
    );
    server.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn followers_get_each_presenter_move_once_and_send_nothing() {
    let _alone = ONE_AT_A_TIME.lock().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let server = Server::start(dir.path(), free_port()).await;
    let report = follow::run(follow::FollowRun {
        url: &server.sync(),
        api: &server.api(""),
        followers: 20,
        rate: 5.0,
        seconds: 4,
    })
    .await
    .expect("the run");
    report.check().expect("every follower got every move");
    let (sent, _) = report.presenter_sent;
    assert!(sent >= 15, "the presenter moved {sent} times");
    for (i, (messages, bytes)) in report.received.iter().enumerate() {
        // Every move, and no message more than the moves plus the odd join/leave.
        assert!(
            *messages >= sent && *messages <= sent + 2,
            "follower {i} received {messages} messages for {sent} moves"
        );
        assert!(*bytes < messages * 400, "follower {i}: {bytes} bytes");
    }
    server.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_client_of_a_reconnect_storm_after_a_restart_resyncs() {
    let _alone = ONE_AT_A_TIME.lock().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let port = free_port();
    let server = Server::start(dir.path(), port).await;
    let maps = storm::prepare(
        &server.sync(),
        &server.api(""),
        env_or("PARCOURS_STORM_MAPS", 50) as usize,
    )
    .await
    .expect("maps made");
    server.stop();
    // A new process on the same files and port: no room is loaded, sessions stand.
    let server = Server::start(dir.path(), port).await;
    let clients = env_or("PARCOURS_STORM_CLIENTS", 500) as usize;
    let report = storm::storm(&maps, clients).await.expect("the storm ran");
    report.check().expect("every client synced");
    assert_eq!(report.synced, clients, "{report:?}");
    // The probe edited and saw its edits arrive throughout (`storm` fails if one took
    // over 30 s); during the storm it got some through, each within seconds.
    assert!(report.probe_storm_samples > 0, "{report:?}");
    assert!(
        report.probe_storm_max_ms < 5_000.0,
        "the probe waited {:.0} ms for an edit during the storm: {report:?}",
        report.probe_storm_max_ms
    );
    server.stop();
}
