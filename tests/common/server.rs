//! The real server on a random port: in this process ([`TestServer`]) or as the
//! `parcours` binary in a child process ([`ProcessServer`], for restarts and SIGKILL).

use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use parcours_bench::YClient;
use parcours_server::clock::{Clock, SystemClock};
use parcours_server::config::ServeConfig;
use parcours_server::store::Backend;
use parcours_shared::api::{MapDetail, MapSummary};
use parcours_shared::view::MapView;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use super::accounts::{authed_client, ensure_user};
use super::db::TestDb;
use super::wait::within;
use super::WAIT;

/// The real server running in this process on a random port.
pub struct TestServer {
    pub addr: SocketAddr,
    pub shutdown: CancellationToken,
    task: Option<JoinHandle<anyhow::Result<()>>>,
    pub http: reqwest::Client,
    /// A session of the default test account (`owner@example.com`), which creates maps.
    pub token: String,
    // `http` sends that session on every request.
    /// Sessions handed out by [`TestServer::user`], reused while still valid (each
    /// sign-in costs an argon2 check).
    sessions: std::sync::Mutex<std::collections::HashMap<String, String>>,
}

/// The server on a fresh SQLite database with the test settings; keep the database
/// alive as long as the server.
pub async fn sqlite_server() -> (TestDb, TestServer) {
    let db = TestDb::new(Backend::Sqlite).await;
    let server = TestServer::start(db.config()).await;
    (db, server)
}

impl TestServer {
    pub async fn start(config: ServeConfig) -> TestServer {
        Self::start_with_clock(config, Arc::new(SystemClock)).await
    }

    /// Starts the server on `clock` (a [`ManualClock`](parcours_server::clock::ManualClock)
    /// lets a test move past a review round's due date without sleeping).
    pub async fn start_with_clock(config: ServeConfig, clock: Arc<dyn Clock>) -> TestServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let shutdown = CancellationToken::new();
        let task = tokio::spawn(parcours_server::run_with_clock(
            config,
            listener,
            shutdown.clone(),
            clock,
        ));
        Self::ready(addr, shutdown, task).await
    }

    /// Starts the server on a given address, e.g. the one a stopped [`TestServer`]
    /// listened on, to restart it on the same database (same `config`). Retries the
    /// bind for a few seconds while the old socket lets go of the port.
    pub async fn start_at(config: ServeConfig, addr: SocketAddr) -> TestServer {
        let listener = within(
            Duration::from_secs(10),
            &format!("bind {addr} again"),
            || async { TcpListener::bind(addr).await.map_err(|e| e.to_string()) },
        )
        .await;
        let shutdown = CancellationToken::new();
        let task = tokio::spawn(parcours_server::run(config, listener, shutdown.clone()));
        Self::ready(addr, shutdown, task).await
    }

    /// Waits for the started server to answer, and signs the default account in.
    async fn ready(
        addr: SocketAddr,
        shutdown: CancellationToken,
        task: JoinHandle<anyhow::Result<()>>,
    ) -> TestServer {
        let http = reqwest::Client::new();
        let base = format!("http://{addr}");
        wait_healthy(&http, &base).await;
        let token = ensure_user(&http, &base, "owner@example.com").await;
        TestServer {
            addr,
            shutdown,
            task: Some(task),
            http: authed_client(&token),
            token,
            sessions: Default::default(),
        }
    }

    /// Signs `email` up (or in) and returns a session token.
    pub async fn user(&self, email: &str) -> String {
        let known = self.sessions.lock().expect("sessions").get(email).cloned();
        if let Some(token) = known {
            let still_valid = self
                .http
                .get(self.url("/api/me"))
                .bearer_auth(&token)
                .send()
                .await
                .is_ok_and(|r| r.status() == 200);
            if still_valid {
                return token;
            }
        }
        let token = ensure_user(&self.http, &format!("http://{}", self.addr), email).await;
        self.sessions
            .lock()
            .expect("sessions")
            .insert(email.to_owned(), token.clone());
        token
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

    /// A map made from `template` (e.g. `retail_bank`) by the default account.
    pub async fn create_from_template(&self, title: &str, template: &str) -> MapSummary {
        let res = self
            .http
            .post(self.url("/api/maps"))
            .json(&serde_json::json!({"title": title, "template": template}))
            .send()
            .await
            .expect("create map");
        assert_eq!(res.status(), 201, "create a map from {template}");
        res.json().await.expect("json")
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

    /// Makes `email`'s account (created if needed) a member of `map` with `role`, the
    /// one way there is: the default account invites the address, and the account
    /// accepts the invitation's link.
    pub async fn add_member(&self, map: &str, email: &str, role: &str) {
        let token = self.user(email).await;
        self.add_member_with(&self.token, map, email, role, &token)
            .await;
    }

    /// [`TestServer::add_member`] with the inviting owner's session and the invited
    /// account's session given.
    pub async fn add_member_with(
        &self,
        owner: &str,
        map: &str,
        email: &str,
        role: &str,
        member: &str,
    ) {
        let link = self.invite_as(owner, map, email, role).await;
        let res = self
            .http
            .post(self.url(&format!(
                "/api/invitations/{}/accept",
                invitation_secret(&link)
            )))
            .bearer_auth(member)
            .send()
            .await
            .expect("accept");
        assert_eq!(res.status(), 200, "accept the invitation");
    }

    /// Invites `email` to `map` with `role` as the default account; the link's path.
    pub async fn invite(&self, map: &str, email: &str, role: &str) -> String {
        self.invite_as(&self.token, map, email, role).await
    }

    /// Invites `email` to `map` with `role` as `owner`; the link's path.
    pub async fn invite_as(&self, owner: &str, map: &str, email: &str, role: &str) -> String {
        let res = self
            .http
            .post(self.url(&format!("/api/maps/{map}/members")))
            .bearer_auth(owner)
            .json(&serde_json::json!({"email": email, "role": role}))
            .send()
            .await
            .expect("invite");
        assert_eq!(res.status(), 201, "invite");
        let body: serde_json::Value = res.json().await.expect("json");
        body["link"].as_str().expect("link").to_owned()
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
        let detail: MapDetail = res.json().await.expect("json");
        detail.view
    }

    /// The Prometheus text of `/metrics`.
    pub async fn metrics(&self) -> String {
        self.http
            .get(self.url("/metrics"))
            .send()
            .await
            .expect("metrics")
            .text()
            .await
            .expect("text")
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
    pub addr: SocketAddr,
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
        Self::start_at_with_args(db, free_port(), log, stderr, &[]).await
    }

    /// Starts the binary on `port` with more flags (e.g. `--cluster`).
    pub async fn start_at_with_args(
        db: &TestDb,
        port: u16,
        log: &str,
        stderr: Stdio,
        args: &[&str],
    ) -> ProcessServer {
        let addr: SocketAddr = format!("127.0.0.1:{port}").parse().expect("addr");
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
            .arg("--signups-per-address")
            .arg("10000")
            .args(args)
            .env("PARCOURS_LOG", log)
            .stdout(Stdio::null())
            .stderr(stderr)
            .spawn()
            .expect("spawn parcours");
        let http = reqwest::Client::new();
        let base = format!("http://{addr}");
        wait_healthy(&http, &base).await;
        let token = ensure_user(&http, &base, "owner@example.com").await;
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

    /// The series `name` of this server's `/metrics` (0 when absent).
    pub async fn metric(&self, name: &str) -> f64 {
        let text = self
            .http
            .get(format!("{}/metrics", self.base()))
            .send()
            .await
            .expect("metrics")
            .text()
            .await
            .expect("text");
        metric(&text, name).unwrap_or(0.0)
    }

    /// The operating system's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
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

/// A port nothing listens on right now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

/// Waits (up to 30 s: a child process starts slower) until `base/healthz` answers 200.
async fn wait_healthy(http: &reqwest::Client, base: &str) {
    let url = format!("{base}/healthz");
    within(
        Duration::from_secs(30),
        &format!("the server becomes healthy at {url}"),
        || async {
            match http.get(&url).send().await {
                Ok(res) if res.status() == 200 => Ok(()),
                Ok(res) => Err(res.status().to_string()),
                Err(e) => Err(e.to_string()),
            }
        },
    )
    .await
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

/// The secret in an invitation link's path (`/invite/{secret}`).
pub fn invitation_secret(link: &str) -> &str {
    link.rsplit('/').next().unwrap_or(link)
}

/// The value of the series `name` in a Prometheus text (`/metrics`), if present.
pub fn metric(text: &str, name: &str) -> Option<f64> {
    text.lines()
        .filter(|line| !line.starts_with('#'))
        .find_map(|line| {
            line.strip_prefix(name)?
                .strip_prefix(' ')?
                .trim()
                .parse()
                .ok()
        })
}
