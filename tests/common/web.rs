//! What the browser tests share: their prerequisites, a server serving the built web
//! app, and running one scenario script of tests/browser/ to completion.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use parcours_server::store::Backend;
use tokio::process::Command;

use super::{TestDb, TestServer};

/// Debian's Chromium; playwright-core never downloads a browser of its own.
pub const CHROMIUM: &str = "/usr/bin/chromium";

/// The workspace root.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf()
}

/// Checks what the browser tests need; returns (workspace, client/dist).
pub fn prerequisites() -> (PathBuf, PathBuf) {
    let root = workspace();
    let dist = root.join("client/dist");
    assert!(
        dist.join("index.html").exists(),
        "{} has no built web app: run scripts/build-client.sh (scripts/test.sh does)",
        dist.display()
    );
    assert!(
        Path::new(CHROMIUM).exists(),
        "{CHROMIUM} is missing: it is installed by scripts/test.sh (apt-get install chromium)"
    );
    assert!(
        root.join("tests/browser/node_modules/playwright-core").exists(),
        "tests/browser/node_modules is missing: run `npm ci --prefix tests/browser` (installed by scripts/test.sh)"
    );
    (root, dist)
}

/// The real server on a fresh SQLite database, serving the built web app.
pub async fn web_server() -> (TestDb, TestServer) {
    let (_, dist) = prerequisites();
    let db = TestDb::new(Backend::Sqlite).await;
    let mut config = db.config();
    config.web_dir = dist;
    let server = TestServer::start(config).await;
    (db, server)
}

/// Runs `tests/browser/<script>` against `server` with screenshots in
/// `artifacts/<artifacts>` and the optional scenario JSON; fails the test with the
/// script's output unless it exits 0. `limit` only catches a hung `node` (each script
/// has its own overall limit). Returns the script's stdout.
pub async fn run_scenario(
    server: &TestServer,
    script: &str,
    artifacts: &str,
    scenario: Option<&serde_json::Value>,
    limit: Duration,
) -> String {
    let root = workspace();
    let artifacts = root.join("artifacts").join(artifacts);
    let mut command = Command::new("node");
    command
        .arg(root.join("tests/browser").join(script))
        .arg(format!("http://{}", server.addr))
        .arg(&artifacts);
    if let Some(scenario) = scenario {
        command.arg(scenario.to_string());
    }
    let run = command
        .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .output();
    let output = tokio::time::timeout(limit, run)
        .await
        .unwrap_or_else(|_| panic!("{script} still running after {limit:?}"))
        .expect("node runs (is Node.js installed?)");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the browser scenario failed ({}); screenshots in {}\n--- stdout\n{stdout}\n--- stderr\n{stderr}",
        output.status,
        artifacts.display()
    );
    println!("{stdout}");
    stdout
}
