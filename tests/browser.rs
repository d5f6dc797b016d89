//! The web app in a real browser: tests/browser/sharing.mjs drives Debian's headless
//! Chromium (through playwright-core) against the real server serving client/dist, with
//! three separate visitors: sign-up, map creation, invitations, share links, role
//! changes, the audit trail and a public link, all through the UI. Screenshots land in
//! artifacts/browser/.

mod common;

use std::time::Duration;

use common::web::{run_scenario, web_server};

/// The script has its own 60 s limit; this one only catches a hung `node`.
const SCRIPT_TIMEOUT: Duration = Duration::from_secs(90);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn owners_share_maps_through_the_web_app() {
    let (_db, server) = web_server().await;
    run_scenario(&server, "sharing.mjs", "browser", None, SCRIPT_TIMEOUT).await;
    server.stop().await;
}
