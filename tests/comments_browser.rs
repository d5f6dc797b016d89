//! Comment threads in a real browser: tests/browser/comments.mjs drives Debian's headless
//! Chromium (through playwright-core) against the real server serving client/dist.
//!
//! A map from the B2B SaaS template (owned by the default account) is shared with a
//! commenter and an editor over REST. Both open it in separate browser contexts; the
//! commenter opens a thread on a card (mentioning someone without access, which the page
//! says); the editor's page, already open and never reloaded, shows the card's marker
//! count and the thread within seconds (the map's event stream); the editor resolves it
//! and the commenter's page shows it resolved. The thread mentions the editor, whose
//! inbox count goes up live. A review round (opened over REST, the commenter its
//! reviewer) shows as a banner; the commenter marks the review done with "changes
//! requested" and the editor's banner shows it live; the commenter's inbox holds the
//! review request and is marked read. Screenshots: artifacts/comments/.

mod common;

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use common::{TestDb, TestServer};
use parcours_server::store::Backend;
use tokio::process::Command;

/// The script has its own overall limit; this one only catches a hung `node`.
const SCRIPT_TIMEOUT: Duration = Duration::from_secs(120);

const CHROMIUM: &str = "/usr/bin/chromium";

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_commenters_thread_reaches_the_editor_live_and_back() {
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

    let res = server
        .http
        .post(server.url("/api/maps"))
        .json(&serde_json::json!({"title": "Comments (browser test)", "template": "b2b_saas"}))
        .send()
        .await
        .expect("create map");
    assert_eq!(res.status(), 201, "create the map");
    let summary: parcours_shared::api::MapSummary = res.json().await.expect("json");
    let map = summary.id.to_string();
    let view = server.view(&map).await;
    let card = view
        .cards
        .first()
        .expect("the template has cards")
        .id
        .clone();

    let commenter = server.user("carla.commenter@example.com").await;
    let editor = server.user("eddie.editor@example.com").await;
    server
        .add_member(&map, "carla.commenter@example.com", "commenter")
        .await;
    server
        .add_member(&map, "eddie.editor@example.com", "editor")
        .await;

    // A review round with the commenter as its reviewer, opened by the owner.
    let me: parcours_shared::api::Me = common::authed_client(&commenter)
        .get(server.url("/api/me"))
        .send()
        .await
        .expect("me")
        .json()
        .await
        .expect("json");
    let due_at = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_millis() as i64
        + 2 * 24 * 3600 * 1000;
    let res = server
        .http
        .post(server.url(&format!("/api/maps/{map}/rounds")))
        .json(&serde_json::json!({
            "title": "Friday review",
            "instructions": "Check the evaluation stage.",
            "due_at": due_at,
            "reviewers": [me.id],
        }))
        .send()
        .await
        .expect("open round");
    assert_eq!(res.status(), 201, "open the round");

    let scenario = serde_json::json!({
        "map": map,
        "card": card,
        "commenter": commenter,
        "editor": editor,
    });
    let artifacts = root.join("artifacts/comments");
    let run = Command::new("node")
        .arg(script_dir.join("comments.mjs"))
        .arg(format!("http://{}", server.addr))
        .arg(&artifacts)
        .arg(scenario.to_string())
        .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .output();
    let output = tokio::time::timeout(SCRIPT_TIMEOUT, run)
        .await
        .unwrap_or_else(|_| panic!("comments.mjs still running after {SCRIPT_TIMEOUT:?}"))
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

    // The server agrees with what the pages showed.
    let res = server
        .http
        .get(server.url(&format!("/api/maps/{map}/threads")))
        .send()
        .await
        .expect("threads");
    let list: parcours_shared::api::ThreadList = res.json().await.expect("json");
    assert_eq!(list.threads.len(), 1, "one thread");
    let thread = &list.threads[0];
    assert!(thread.resolved, "the editor resolved it");
    assert_eq!(thread.anchor.id.as_deref(), Some(card.as_str()));
    let rounds: parcours_shared::api::RoundList = server
        .http
        .get(server.url(&format!("/api/maps/{map}/rounds")))
        .send()
        .await
        .expect("rounds")
        .json()
        .await
        .expect("json");
    let reviewer = &rounds.rounds[0].reviewers[0];
    assert_eq!(
        reviewer.verdict,
        Some(parcours_shared::api::Verdict::ChangesRequested),
        "the commenter's review as the page sent it"
    );
    server.stop().await;
}
