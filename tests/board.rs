//! The live board in a real browser: tests/browser/board.mjs drives Debian's headless
//! Chromium (through playwright-core) against the real server serving client/dist.
//!
//! - `two_people_edit_one_board_live`: an owner and an editor in separate browser
//!   contexts edit one map (stage, card, moves) and each sees the other's changes within
//!   a second, with presence; a viewer sees it live without edit controls; the server is
//!   stopped and restarted on the same address and database while the pages are open;
//!   an edit made while it is down reaches the other page once it is back. Then every
//!   template opens and renders all its stages and cards. Then the owner works on a
//!   fresh blank map by keyboard alone (issue 17): two stages named, a card written and
//!   moved with Alt+→, an emotion scored with ↑, a comment on the card, the shortcuts
//!   sheet opened with `?` and closed with Escape, the focus never fallen to `<body>`;
//!   the stored map and its thread are checked here afterwards. Screenshots:
//!   artifacts/board/.
//! - `a_large_board_renders_and_updates_quickly`: 12 stages × 8 lanes × 400 cards built
//!   through a sync client; first render time and remote edit latency measured in the
//!   page and printed as `PERF` lines (recorded in docs/PERFORMANCE.md).
//! - `a_large_board_with_paths_and_switches_renders_and_updates_quickly`: the same
//!   board made omnichannel with three paths (a third of the cards on them) and 24
//!   hand-drawn switches, measured the same way (artifacts/board-non-linear/).
//!
//! The script and this test talk over the script's stdout/stdin: a line `@@ <command>`
//! asks this side for something only it can do (stop or restart the server, edit the map
//! as a sync client); the answer is one line on the script's stdin.

mod common;

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use common::web::prerequisites;
use common::{edit, eventually_ok, within, TestDb, TestServer};
use parcours_bench::YClient;
use parcours_server::config::ServeConfig;
use parcours_server::store::Backend;
use parcours_shared::view::MapView;
use parcours_shared::At;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::process::Command;

/// The scripts have their own overall limits; this one only catches a hung `node`.
const SCRIPT_TIMEOUT: Duration = Duration::from_secs(210);

/// The two tests share two cores with the browser: never run them at the same time.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// The large board: stages × lanes (the blank template's 8 default lanes) and cards.
const PERF_STAGES: usize = parcours_bench::board::STAGES.len();
const PERF_LANES: usize = 8;
const PERF_CARDS: usize = parcours_bench::board::CARDS;

fn now_ms() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .as_millis()
}

/// Creates a map from `template` as the default account; returns its id.
async fn create_map(server: &TestServer, title: &str, template: &str) -> String {
    let res = server
        .http
        .post(server.url("/api/maps"))
        .json(&serde_json::json!({"title": title, "template": template}))
        .send()
        .await
        .expect("create map");
    assert_eq!(res.status(), 201, "create a {template} map");
    let summary: parcours_shared::api::MapSummary = res.json().await.expect("json");
    summary.id.to_string()
}

/// What the test side does when the script asks (`@@ <command> <args>`); returns the
/// answer line.
trait Requests {
    async fn handle(&mut self, command: &str, args: &[&str]) -> String;
}

/// Runs `board.mjs <base> <artifacts> <scenario json>`, answering its requests, and
/// returns its stdout (every line but the requests).
async fn run_script(
    root: &Path,
    base: &str,
    artifacts: &Path,
    scenario: serde_json::Value,
    requests: &mut impl Requests,
) -> String {
    let script = root.join("tests/browser/board.mjs");
    let mut child = Command::new("node")
        .arg(&script)
        .arg(base)
        .arg(artifacts)
        .arg(scenario.to_string())
        .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("node runs (is Node.js installed?)");
    let mut stdin = child.stdin.take().expect("stdin");
    let stdout = child.stdout.take().expect("stdout");
    let mut stderr = child.stderr.take().expect("stderr");
    let stderr_task = tokio::spawn(async move {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text).await;
        text
    });
    let mut lines = BufReader::new(stdout).lines();
    let mut output = String::new();
    let conversation = async {
        while let Some(line) = lines.next_line().await.expect("read the script's output") {
            if let Some(request) = line.strip_prefix("@@ ") {
                let parts: Vec<&str> = request.split_whitespace().collect();
                let answer = requests.handle(parts[0], &parts[1..]).await;
                stdin
                    .write_all(format!("{answer}\n").as_bytes())
                    .await
                    .expect("answer the script");
                stdin.flush().await.expect("flush");
            } else {
                println!("{line}");
                output.push_str(&line);
                output.push('\n');
            }
        }
        child.wait().await.expect("wait for node")
    };
    let status = tokio::time::timeout(SCRIPT_TIMEOUT, conversation)
        .await
        .unwrap_or_else(|_| panic!("board.mjs still running after {SCRIPT_TIMEOUT:?}"));
    let stderr = stderr_task.await.unwrap_or_default();
    assert!(
        status.success(),
        "the browser scenario failed ({status}); screenshots in {}\n--- stdout\n{output}\n--- stderr\n{stderr}",
        artifacts.display()
    );
    output
}

/// The collaboration scenario's requests: stop and restart the server.
struct Restarts {
    server: Option<TestServer>,
    config: ServeConfig,
    addr: std::net::SocketAddr,
}

impl Requests for Restarts {
    async fn handle(&mut self, command: &str, _args: &[&str]) -> String {
        match command {
            "stop-server" => {
                let started = std::time::Instant::now();
                if let Some(server) = self.server.take() {
                    server.stop().await;
                }
                format!("stopped {}", started.elapsed().as_millis())
            }
            "start-server" => {
                let started = std::time::Instant::now();
                let server = TestServer::start_at(self.config.clone(), self.addr).await;
                self.server = Some(server);
                format!("started {}", started.elapsed().as_millis())
            }
            other => panic!("unknown request from the script: {other}"),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_people_edit_one_board_live() {
    let _one = ONE_AT_A_TIME.lock().await;
    let (root, dist) = prerequisites();
    let db = TestDb::new(Backend::Sqlite).await;
    let mut config = db.config();
    config.web_dir = dist;
    let server = TestServer::start(config.clone()).await;
    let addr = server.addr;

    let editor = server.user("eddie@example.com").await;
    let viewer = server.user("vera@example.com").await;
    let map = create_map(&server, "Board test: onboarding", "b2b_saas").await;
    server.add_member(&map, "eddie@example.com", "editor").await;
    server.add_member(&map, "vera@example.com", "viewer").await;

    // Every template, with the counts the board must show.
    let mut templates = Vec::new();
    for template in parcours_shared::Template::ALL {
        let id = create_map(
            &server,
            &format!("Template {}", template.as_str()),
            template.as_str(),
        )
        .await;
        let view: MapView = server.view(&id).await;
        templates.push(serde_json::json!({
            "template": template.as_str(),
            "map": id,
            "stages": view.stages.len(),
            "cards": view.cards.len(),
            "lanes": view.lanes.len(),
        }));
    }

    // The map worked on by keyboard alone.
    let keyboard_map = create_map(&server, "Keyboard only", "blank").await;

    let scenario = serde_json::json!({
        "scenario": "collab",
        "map": map,
        "owner": server.token,
        "editor": editor,
        "viewer": viewer,
        "templates": templates,
        "keyboardMap": keyboard_map,
    });
    let mut requests = Restarts {
        server: Some(server),
        config,
        addr,
    };
    let artifacts = root.join("artifacts/board");
    let base = format!("http://{addr}");
    run_script(&root, &base, &artifacts, scenario, &mut requests).await;

    // The edits made in the browser, the one made while the server was down included,
    // are in the stored map.
    let server = requests.server.take().expect("the server runs again");
    let view = server.view(&map).await;
    assert!(
        view.cards.iter().any(|c| c.text == "Written while offline"),
        "the offline edit is not in the stored map"
    );
    assert!(
        view.stages.iter().any(|s| s.name == "Renewal review"),
        "the stage added in the browser is not in the stored map"
    );

    // What was done by keyboard alone.
    let view = server.view(&keyboard_map).await;
    let names: Vec<&str> = view.stages.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        ["Discover", "Decide"],
        "the stages named by keyboard"
    );
    let card = view
        .cards
        .iter()
        .find(|c| c.text == "Compare offers")
        .expect("the card written by keyboard");
    assert_eq!(
        (card.stage.as_str(), card.lane.as_str()),
        (view.stages[1].id.as_str(), view.lanes[0].id.as_str()),
        "Alt+→ moved the card to the second stage"
    );
    assert_eq!(view.personas.len(), 1, "the persona added by keyboard");
    let as_is = view
        .emotions
        .iter()
        .find(|c| c.series == parcours_shared::EmotionSeries::AsIs)
        .expect("the persona's as-is curve");
    assert_eq!(as_is.scores, [Some(1), None], "↑ twice on the first stage");
    let threads: parcours_shared::api::ThreadList = common::get(
        &server,
        &server.token,
        &format!("/api/maps/{keyboard_map}/threads"),
    )
    .await;
    assert!(
        threads
            .threads
            .iter()
            .any(|t| t.anchor.id.as_deref() == Some(card.id.as_str())
                && t.comments.first().map(|c| c.body.as_str())
                    == Some("Which offers do people compare?")),
        "the comment written by keyboard on the card: {:?}",
        threads.threads
    );
    server.stop().await;
}

/// The performance scenario's requests: remote edits by a sync client.
struct RemoteEdits {
    client: YClient,
    /// A stage and lane to add cards to.
    cell: (String, String),
}

impl Requests for RemoteEdits {
    async fn handle(&mut self, command: &str, args: &[&str]) -> String {
        match command {
            "remote-add-card" => {
                let id = args.first().expect("a card id").to_string();
                let (stage, lane) = self.cell.clone();
                let at = now_ms();
                edit(&self.client, |txn| {
                    txn.add_card(&id, &stage, &lane, At::End, "Added by a sync client")
                })
                .expect("add card");
                format!("edited {at}")
            }
            other => panic!("unknown request from the script: {other}"),
        }
    }
}

/// Fills the blank map behind `client` with the large board of the performance
/// figures (`parcours_bench::board`).
/// figures (`parcours_bench::board`); non-linear (paths and switches) when asked.
fn build_large_board(client: &YClient, non_linear: bool) {
    edit(client, |txn| {
        assert_eq!(
            txn.view().lanes.len(),
            PERF_LANES,
            "a blank map has 8 lanes"
        );
        parcours_bench::board::fill(txn)?;
        if non_linear {
            parcours_bench::board::itineraries(txn)?;
        }
        Ok::<(), parcours_shared::SchemaError>(())
    })
    .expect("the large board");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_large_board_renders_and_updates_quickly() {
    large_board(false).await;
}

/// The same board and figures with the itinerary parts on: omnichannel (the switch
/// row), three paths with a third of the cards on them, 24 hand-drawn switches.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_large_board_with_paths_and_switches_renders_and_updates_quickly() {
    large_board(true).await;
}

async fn large_board(non_linear: bool) {
    let _one = ONE_AT_A_TIME.lock().await;
    let (root, dist) = prerequisites();
    let db = TestDb::new(Backend::Sqlite).await;
    let mut config = db.config();
    config.web_dir = dist;
    let server = TestServer::start(config).await;
    let editor = server.user("eddie@example.com").await;
    let map = create_map(&server, "Large board", "blank").await;
    server.add_member(&map, "eddie@example.com", "editor").await;

    let client = server.client(&map).await;
    let built = std::time::Instant::now();
    build_large_board(&client, non_linear);
    // The server has it all once its JSON view shows it.
    let view = eventually_ok("the server has every card", || async {
        let view = server.view(&map).await;
        if view.cards.len() == PERF_CARDS {
            Ok(view)
        } else {
            Err(format!("{} of {PERF_CARDS} cards", view.cards.len()))
        }
    })
    .await;
    assert_eq!(view.stages.len(), PERF_STAGES);
    assert_eq!(view.lanes.len(), PERF_LANES);
    if non_linear {
        assert_eq!(view.switches.len(), parcours_bench::board::SWITCHES);
        assert_eq!(view.paths.len(), parcours_bench::board::PATHS.len());
    }
    println!(
        "PERF board ({}) build: {PERF_STAGES} stages x {PERF_LANES} lanes x {PERF_CARDS} cards through a sync client in {} ms",
        if non_linear { "paths and switches" } else { "linear" },
        built.elapsed().as_millis()
    );

    let scenario = serde_json::json!({
        "scenario": "perf",
        "map": map,
        "owner": server.token,
        "editor": editor,
        "cards": PERF_CARDS,
        "stages": PERF_STAGES,
        "lanes": PERF_LANES,
    });
    let cell = (view.stages[0].id.clone(), view.lanes[0].id.clone());
    let mut requests = RemoteEdits { client, cell };
    let artifacts = root.join(if non_linear {
        "artifacts/board-non-linear"
    } else {
        "artifacts/board"
    });
    let base = format!("http://{}", server.addr);
    run_script(&root, &base, &artifacts, scenario, &mut requests).await;
    requests.client.close();
    server.stop().await;
}

/// tests/browser/resync.mjs: an edit lost in transit, then typing while the reconnected
/// socket waits for the server's sync step 1 (the page's socket routed through the test,
/// so the order is set). The page must not send the later edit on its own (a clock gap
/// the server refuses with 1007); both edits reach the server once it resyncs.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn typing_while_the_socket_resyncs_is_not_refused() {
    let _one = ONE_AT_A_TIME.lock().await;
    let (_db, server) = common::web::web_server().await;
    let map = create_map(&server, "Resync", "b2b_saas").await;
    let view = server.view(&map).await;
    assert!(view.cards.len() >= 2, "the template has cards");
    let (card_a, card_b) = (view.cards[0].id.clone(), view.cards[1].id.clone());
    let (text_a, text_b) = ("Lost in transit, then resent", "Typed while resyncing");
    let scenario = serde_json::json!({
        "map": map,
        "token": server.token,
        "cardA": card_a,
        "cardB": card_b,
        "textA": text_a,
        "textB": text_b,
    });
    common::web::run_scenario(
        &server,
        "resync.mjs",
        "resync",
        Some(&scenario),
        SCRIPT_TIMEOUT,
    )
    .await;
    let text_of = |view: &MapView, id: &str| {
        view.cards
            .iter()
            .find(|c| c.id == id)
            .map(|c| c.text.clone())
    };
    // The room flushes within 100 ms; read until both are there.
    within(
        Duration::from_secs(5),
        "both edits on the server",
        || async {
            let view = server.view(&map).await;
            let both = (text_of(&view, &card_a), text_of(&view, &card_b));
            if both == (Some(text_a.to_owned()), Some(text_b.to_owned())) {
                Ok(())
            } else {
                Err(both)
            }
        },
    )
    .await;
    server.stop().await;
}
