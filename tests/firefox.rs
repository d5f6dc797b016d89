//! The web app in Firefox too: Debian's firefox-esr, headless, driven over Marionette
//! by tests/firefox/check_board.py (both installed by scripts/test.sh), opens a map's
//! board through a public link and must render it live.

mod common;

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Duration;

use common::{free_port, post, within, TestDb, TestServer};
use parcours_server::store::Backend;
use serde_json::{json, Value};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_board_renders_live_in_firefox() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let dist = root.join("client/dist");
    assert!(
        dist.join("index.html").exists(),
        "client/dist is missing: run scripts/build-client.sh"
    );
    assert!(
        PathBuf::from("/usr/bin/firefox-esr").exists(),
        "firefox-esr is missing (installed by scripts/test.sh)"
    );
    let db = TestDb::new(Backend::Sqlite).await;
    let mut config = db.config();
    config.web_dir = dist;
    let s = TestServer::start(config).await;
    let (_, map) = post(
        &s,
        &s.token,
        "/api/maps",
        json!({"title": "Firefox", "template": "retail_bank"}),
    )
    .await;
    let map = map["id"].as_str().expect("id").to_owned();
    let (_, link) = post(
        &s,
        &s.token,
        &format!("/api/maps/{map}/links"),
        json!({"role": "viewer", "public": true}),
    )
    .await;
    let url = s.url(&format!(
        "/maps/{map}?link={}",
        link["token"].as_str().expect("token")
    ));
    let expected_cards = s.view(&map).await.cards.len();

    // A fresh profile whose Marionette listens on a free port.
    let profile = tempfile::tempdir().expect("profile");
    let port = free_port();
    std::fs::write(
        profile.path().join("user.js"),
        format!("user_pref(\"marionette.port\", {port});\n"),
    )
    .expect("prefs");
    let mut firefox = Command::new("/usr/bin/firefox-esr")
        .args([
            "--headless",
            "--marionette",
            "--no-remote",
            "--window-size=1280,900",
            "--profile",
        ])
        .arg(profile.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start firefox-esr");
    within(
        Duration::from_secs(30),
        "Firefox's Marionette listens",
        || async {
            std::net::TcpStream::connect(("127.0.0.1", port))
                .map(drop)
                .map_err(|e| e.to_string())
        },
    )
    .await;
    let artifacts = root.join("artifacts/firefox");
    std::fs::create_dir_all(&artifacts).expect("artifacts dir");
    let out = tokio::process::Command::new("python3")
        .arg(root.join("tests/firefox/check_board.py"))
        .arg(port.to_string())
        .arg(&url)
        .arg(artifacts.join("board.png"))
        .output()
        .await
        .expect("run check_board.py (pip install marionette-driver; scripts/test.sh does)");
    let _ = firefox.kill();
    let _ = firefox.wait();
    assert!(
        out.status.success(),
        "check_board.py failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(out.stdout.trim_ascii()).expect("JSON report");
    assert!(
        report["user_agent"]
            .as_str()
            .unwrap_or("")
            .contains("Firefox"),
        "{report}"
    );
    assert_eq!(report["state"], "live", "{report}");
    assert_eq!(
        report["cards"].as_u64(),
        Some(expected_cards as u64),
        "every card rendered: {report}"
    );
}
