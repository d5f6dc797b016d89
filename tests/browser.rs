//! The web app in a real browser: tests/browser/sharing.mjs drives Debian's headless
//! Chromium (through playwright-core) against the real server serving client/dist, with
//! three separate visitors: sign-up, map creation, invitations, share links, role
//! changes, the audit trail and a public link, all through the UI. Screenshots land in
//! artifacts/browser/.

mod common;

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use common::{TestDb, TestServer};
use parcours_server::store::Backend;
use tokio::process::Command;

/// The script has its own 60 s limit; this one only catches a hung `node`.
const SCRIPT_TIMEOUT: Duration = Duration::from_secs(90);

const CHROMIUM: &str = "/usr/bin/chromium";

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn owners_share_maps_through_the_web_app() {
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
    let script_dir = root.join("tests/browser");
    assert!(
        script_dir.join("node_modules/playwright-core").exists(),
        "tests/browser/node_modules is missing: run `npm ci --prefix tests/browser` (installed by scripts/test.sh)"
    );

    let db = TestDb::new(Backend::Sqlite).await;
    let mut config = db.config();
    config.web_dir = dist;
    let server = TestServer::start(config).await;

    let artifacts = root.join("artifacts/browser");
    let run = Command::new("node")
        .arg(script_dir.join("sharing.mjs"))
        .arg(format!("http://{}", server.addr))
        .arg(&artifacts)
        .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .output();
    let output = tokio::time::timeout(SCRIPT_TIMEOUT, run)
        .await
        .unwrap_or_else(|_| panic!("sharing.mjs still running after {SCRIPT_TIMEOUT:?}"))
        .expect("node runs (is Node.js installed?)");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the browser scenario failed ({}); screenshots in {}\n--- stdout\n{stdout}\n--- stderr\n{stderr}",
        output.status,
        artifacts.display()
    );
    println!("{stdout}");
    server.stop().await;
}
