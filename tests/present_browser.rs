//! Presentation mode and following the presenter in a real browser:
//! tests/browser/present.mjs drives Debian's headless Chromium (through
//! playwright-core) against the real server serving client/dist.
//!
//! On a map made from the retail bank template, an editor follows the owner from the
//! owner's avatar; the owner presents (objective and personas first, then each stage
//! with its emotions and pain points, then the whole journey) and every arrow key
//! reaches the follower's page within a second; Escape ends both presentations; the
//! owner's board scroll reaches the follower's; the follower scrolling on their own
//! stops following; the owner asking everyone to follow makes them follow again. The
//! follower publishes no presence while it follows; the awareness bytes per second it
//! receives are printed (`FOLLOW ...`). Last, a commenter on a 390 × 844 phone reads
//! the map stage by stage without sideways scrolling and replies to a thread, which
//! the server stores. Screenshots: artifacts/present/.

mod common;

use std::time::Duration;

use common::web::{run_scenario, web_server};

/// The script has its own overall limit; this one only catches a hung `node`.
const SCRIPT_TIMEOUT: Duration = Duration::from_secs(150);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_follower_follows_the_presenter_until_acting_on_their_own() {
    let (_db, server) = web_server().await;
    let map = server
        .create_from_template("Retail bank review", "retail_bank")
        .await;
    let follower = server.user("fern.follower@example.com").await;
    server
        .add_member(map.id.as_str(), "fern.follower@example.com", "editor")
        .await;
    let commenter = server.user("cleo.commenter@example.com").await;
    server
        .add_member(map.id.as_str(), "cleo.commenter@example.com", "commenter")
        .await;
    let res = server
        .http
        .post(server.url(&format!("/api/maps/{}/threads", map.id)))
        .json(&serde_json::json!({
            "anchor": {"kind": "map"},
            "body": "Is the branch visit still the main pain?",
        }))
        .send()
        .await
        .expect("thread");
    assert_eq!(res.status(), 201);
    let scenario = serde_json::json!({
        "map": map.id.to_string(),
        "presenter": server.token,
        "follower": follower,
        "commenter": commenter,
    });
    let output = run_scenario(
        &server,
        "present.mjs",
        "present",
        Some(&scenario),
        SCRIPT_TIMEOUT,
    )
    .await;
    assert!(
        output.contains("FOLLOW over"),
        "the follower's traffic is reported:\n{output}"
    );
    let threads: serde_json::Value = common::get(
        &server,
        &server.token,
        &format!("/api/maps/{}/threads", map.id),
    )
    .await;
    let replied = threads["threads"][0]["comments"]
        .as_array()
        .expect("comments")
        .iter()
        .any(|c| c["body"] == "Seen from my phone: agreed.");
    assert!(replied, "the reply made on the phone is stored: {threads}");
    server.stop().await;
}
