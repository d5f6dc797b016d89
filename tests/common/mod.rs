//! Shared test harness: the real server on a random port (in-process or as a child
//! process), a fresh database per test on SQLite or PostgreSQL, and y-protocols clients.
#![allow(dead_code)]

/// Browser tests: prerequisites, a server with the web app, running a scenario.
pub mod web;

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use parcours_bench::YClient;
use parcours_server::clock::{Clock, SystemClock};
use parcours_server::config::ServeConfig;
use parcours_server::store::{Backend, Store};
use parcours_shared::api::MapSummary;
use parcours_shared::schema::MapDoc;
use parcours_shared::view::{read_view, MapView};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

/// Generous bound for anything that should take milliseconds.
pub const WAIT: Duration = Duration::from_secs(10);

/// Runs a test body once per backend: `both_backends!(name, body_fn)` defines
/// `name_sqlite` and `name_postgres`.
#[macro_export]
macro_rules! both_backends {
    ($name:ident, $body:path) => {
        mod $name {
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                $body($crate::common::TestDb::new(parcours_server::store::Backend::Sqlite).await)
                    .await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let Some(db) = $crate::common::TestDb::postgres_or_skip().await else {
                    return;
                };
                $body(db).await;
            }
        }
    };
}

/// Runs one statement on the PostgreSQL admin database.
async fn pg_admin(sql: &str) -> Result<(), sqlx::Error> {
    use sqlx::Connection;
    let mut conn = sqlx::PgConnection::connect(&pg_admin_url()).await?;
    sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
        .execute(&mut conn)
        .await?;
    conn.close().await
}

/// A fresh, empty database for one test (an SQLite file in a temp dir, or a new
/// PostgreSQL database that is dropped afterwards).
pub struct TestDb {
    pub backend: Backend,
    pub url: String,
    /// Keeps the SQLite file's directory alive; also the server's data directory.
    pub dir: tempfile::TempDir,
    pg_name: Option<String>,
}

/// The PostgreSQL server tests use: `PARCOURS_TEST_PG` or the local default.
pub fn pg_admin_url() -> String {
    std::env::var("PARCOURS_TEST_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

impl TestDb {
    pub async fn new(backend: Backend) -> TestDb {
        let dir = tempfile::tempdir().expect("temp dir");
        match backend {
            Backend::Sqlite => {
                let url = format!(
                    "sqlite://{}?mode=rwc",
                    dir.path().join("parcours.db").display()
                );
                TestDb {
                    backend,
                    url,
                    dir,
                    pg_name: None,
                }
            }
            Backend::Postgres => {
                let name = format!("parcours_test_{}", parcours_server::util::random_id(12));
                pg_admin(&format!("create database {name}"))
                    .await
                    .expect("create database");
                let base = pg_admin_url();
                let url = match base.rfind('/') {
                    Some(i) => format!("{}/{name}", &base[..i]),
                    None => panic!("bad PARCOURS_TEST_PG"),
                };
                TestDb {
                    backend,
                    url,
                    dir,
                    pg_name: Some(name),
                }
            }
        }
    }

    /// A PostgreSQL test database, or `None` (test skipped) when PostgreSQL is not
    /// reachable outside CI. Under `CI=true` an unreachable PostgreSQL fails the test.
    pub async fn postgres_or_skip() -> Option<TestDb> {
        match pg_admin("select 1").await {
            Ok(()) => Some(TestDb::new(Backend::Postgres).await),
            Err(e) => {
                if std::env::var("CI").is_ok_and(|v| v == "true") {
                    panic!("PostgreSQL unreachable under CI=true: {e}");
                }
                eprintln!("SKIPPED: PostgreSQL unreachable ({e}); set CI=true to make this fail");
                None
            }
        }
    }

    pub async fn store(&self) -> Store {
        let store = Store::connect(&self.url).await.expect("connect");
        store.migrate().await.expect("migrate");
        store
    }

    /// Server settings on this database with quick timers for tests.
    pub fn config(&self) -> ServeConfig {
        let mut config = ServeConfig::for_data_dir(self.dir.path());
        config.db.database_url = Some(self.url.clone());
        config.web_dir = PathBuf::from("/nonexistent");
        config.idle_unload_secs = 1;
        config
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some(name) = self.pg_name.take() {
            // Best effort, on a thread of its own: Drop cannot await.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build();
                if let Ok(rt) = rt {
                    rt.block_on(async {
                        let _ =
                            pg_admin(&format!("drop database if exists {name} with (force)")).await;
                    });
                }
            })
            .join();
        }
    }
}

/// The real server running in this process on a random port.
pub struct TestServer {
    pub addr: std::net::SocketAddr,
    pub shutdown: CancellationToken,
    task: Option<JoinHandle<anyhow::Result<()>>>,
    pub http: reqwest::Client,
    /// A session of the default test account (`owner@example.com`), which creates maps.
    pub token: String,
    // `http` sends that session on every request.
}

impl TestServer {
    pub async fn start(config: ServeConfig) -> TestServer {
        Self::start_with_clock(config, std::sync::Arc::new(SystemClock)).await
    }

    /// Starts the server on `clock` (a [`ManualClock`](parcours_server::clock::ManualClock)
    /// lets a test move past a review round's due date without sleeping).
    pub async fn start_with_clock(
        config: ServeConfig,
        clock: std::sync::Arc<dyn Clock>,
    ) -> TestServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let shutdown = CancellationToken::new();
        let task = tokio::spawn(parcours_server::run_with_clock(
            config,
            listener,
            shutdown.clone(),
            clock,
        ));
        let http = reqwest::Client::new();
        let base = format!("http://{addr}");
        wait_healthy(&http, &format!("{base}/healthz")).await;
        let token = ensure_user(&http, &base, "owner@example.com").await;
        TestServer {
            addr,
            shutdown,
            task: Some(task),
            http: authed_client(&token),
            token,
        }
    }

    /// Starts the server on a given address, e.g. the one a stopped [`TestServer`]
    /// listened on, to restart it on the same database (same `config`). Retries the
    /// bind for a few seconds while the old socket lets go of the port.
    pub async fn start_at(config: ServeConfig, addr: std::net::SocketAddr) -> TestServer {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        let listener = loop {
            match TcpListener::bind(addr).await {
                Ok(listener) => break listener,
                Err(e) => {
                    assert!(
                        tokio::time::Instant::now() < deadline,
                        "cannot bind {addr} again: {e}"
                    );
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            }
        };
        let shutdown = CancellationToken::new();
        let task = tokio::spawn(parcours_server::run(config, listener, shutdown.clone()));
        let http = reqwest::Client::new();
        let base = format!("http://{addr}");
        wait_healthy(&http, &format!("{base}/healthz")).await;
        let token = ensure_user(&http, &base, "owner@example.com").await;
        TestServer {
            addr,
            shutdown,
            task: Some(task),
            http: authed_client(&token),
            token,
        }
    }

    /// Signs `email` up (or in) and returns a session token.
    pub async fn user(&self, email: &str) -> String {
        ensure_user(&self.http, &format!("http://{}", self.addr), email).await
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// The sync URL of `map` with the default account's session.
    pub fn sync_url(&self, map: &str) -> String {
        self.sync_url_as(map, &self.token)
    }

    /// The sync URL of `map` with another session token.
    pub fn sync_url_as(&self, map: &str, token: &str) -> String {
        format!("ws://{}/sync/{}?token={}", self.addr, map, token)
    }

    pub async fn create_map(&self, title: &str) -> MapSummary {
        create_map(&self.http, &self.url("/api/maps"), &self.token, title).await
    }

    /// A synced client of the default account.
    pub async fn client(&self, map: &str) -> YClient {
        self.client_as(map, &self.token).await
    }

    /// A synced client with another session token.
    pub async fn client_as(&self, map: &str, token: &str) -> YClient {
        let c = YClient::connect(&self.sync_url_as(map, token))
            .await
            .expect("connect");
        c.wait_synced(WAIT).await.expect("synced");
        c
    }

    /// Adds `email`'s existing account to `map` with `role`, as the default account.
    pub async fn add_member(&self, map: &str, email: &str, role: &str) {
        let res = self
            .http
            .post(self.url(&format!("/api/maps/{map}/members")))
            .bearer_auth(&self.token)
            .json(&serde_json::json!({"email": email, "role": role}))
            .send()
            .await
            .expect("invite");
        assert_eq!(res.status(), 201, "add member");
    }

    pub async fn view(&self, map: &str) -> MapView {
        let res = self
            .http
            .get(self.url(&format!("/api/maps/{map}")))
            .bearer_auth(&self.token)
            .send()
            .await
            .expect("get map");
        assert_eq!(res.status(), 200);
        let detail: parcours_shared::api::MapDetail = res.json().await.expect("json");
        detail.view
    }

    /// Graceful stop: closes sockets, flushes every room, returns when done.
    pub async fn stop(mut self) {
        self.shutdown.cancel();
        if let Some(task) = self.task.take() {
            task.await.expect("server task").expect("server result");
        }
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.shutdown.cancel();
    }
}

/// The `parcours` binary running as a child process (for restart and SIGKILL tests).
pub struct ProcessServer {
    pub addr: std::net::SocketAddr,
    child: Child,
    pub http: reqwest::Client,
    /// A session of `owner@example.com`.
    pub token: String,
}

impl ProcessServer {
    /// Starts the binary on `db`, logging at `PARCOURS_LOG=warn` to this process's stderr.
    pub async fn start(db: &TestDb) -> ProcessServer {
        Self::start_with(db, "warn", Stdio::inherit()).await
    }

    /// Starts the binary with a log filter and a destination for its stderr.
    pub async fn start_with(db: &TestDb, log: &str, stderr: Stdio) -> ProcessServer {
        let port = free_port();
        let addr: std::net::SocketAddr = format!("127.0.0.1:{port}").parse().expect("addr");
        let child = Command::new(env!("CARGO_BIN_EXE_parcours"))
            .arg("serve")
            .arg("--listen")
            .arg(addr.to_string())
            .arg("--data-dir")
            .arg(db.dir.path())
            .arg("--database-url")
            .arg(&db.url)
            .arg("--web-dir")
            .arg("/nonexistent")
            .env("PARCOURS_LOG", log)
            .stdout(Stdio::null())
            .stderr(stderr)
            .spawn()
            .expect("spawn parcours");
        let http = reqwest::Client::new();
        wait_healthy(&http, &format!("http://{addr}/healthz")).await;
        let token = ensure_user(&http, &format!("http://{addr}"), "owner@example.com").await;
        ProcessServer {
            addr,
            child,
            http: authed_client(&token),
            token,
        }
    }

    pub fn base(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn sync_url(&self, map: &str) -> String {
        format!("ws://{}/sync/{}?token={}", self.addr, map, self.token)
    }

    pub async fn create_map(&self, title: &str) -> MapSummary {
        create_map(
            &self.http,
            &format!("{}/api/maps", self.base()),
            &self.token,
            title,
        )
        .await
    }

    /// SIGKILL: no flush, no goodbye.
    pub fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// SIGTERM and wait for a clean exit.
    pub fn terminate(mut self) {
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .status();
        let status = self.child.wait().expect("wait");
        assert!(status.success(), "server exited with {status}");
    }
}

impl Drop for ProcessServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

async fn wait_healthy(http: &reqwest::Client, url: &str) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        if let Ok(res) = http.get(url).send().await {
            if res.status() == 200 {
                return;
            }
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "server never became healthy at {url}"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// An HTTP client that sends `token` as a bearer on every request (a request's own
/// `bearer_auth` replaces it).
pub fn authed_client(token: &str) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    let value = format!("Bearer {token}").parse().expect("header value");
    headers.insert(reqwest::header::AUTHORIZATION, value);
    reqwest::Client::builder()
        .default_headers(headers)
        .build()
        .expect("client")
}

/// The password every test account uses.
pub const PASSWORD: &str = "correct horse battery";

/// Signs `email` up, or logs in if it exists; returns a session token.
pub async fn ensure_user(http: &reqwest::Client, base: &str, email: &str) -> String {
    let name = email.split('@').next().unwrap_or("someone");
    let res = http
        .post(format!("{base}/api/auth/signup"))
        .json(&serde_json::json!({"email": email, "display_name": name, "password": PASSWORD}))
        .send()
        .await
        .expect("signup");
    let res = if res.status() == 409 {
        http.post(format!("{base}/api/auth/login"))
            .json(&serde_json::json!({"email": email, "password": PASSWORD}))
            .send()
            .await
            .expect("login")
    } else {
        res
    };
    assert!(
        res.status().is_success(),
        "signup/login of {email}: {}",
        res.status()
    );
    let session: parcours_shared::api::Session = res.json().await.expect("session");
    session.token
}

async fn create_map(http: &reqwest::Client, url: &str, token: &str, title: &str) -> MapSummary {
    let res = http
        .post(url)
        .bearer_auth(token)
        .json(&serde_json::json!({"title": title, "itinerary": "linear"}))
        .send()
        .await
        .expect("create map");
    assert_eq!(res.status(), 201, "create map");
    res.json().await.expect("json")
}

/// The JSON view of a client's local document.
pub fn client_view(client: &YClient) -> MapView {
    read_view(client.doc())
}

/// Edits a client's document through the typed map schema.
pub fn edit<R>(
    client: &YClient,
    f: impl FnOnce(&mut parcours_shared::schema::MapTxn<'_, '_>) -> R,
) -> R {
    MapDoc::new(client.doc().clone()).edit(f)
}

/// Waits until every client's view equals the first one's; returns that view.
pub async fn converged(clients: &[&YClient]) -> MapView {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let views: Vec<MapView> = clients.iter().map(|c| client_view(c)).collect();
        if views.windows(2).all(|w| w[0] == w[1]) {
            return views.into_iter().next().expect("one client");
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "clients did not converge: {views:#?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
