//! The web app in a real browser: tests/browser/sharing.mjs drives Debian's headless
//! Chromium (through playwright-core) against the real server serving client/dist, with
//! separate visitors: sign-up, map creation, invitations (their links, sending again,
//! withdrawing, signing up and signing in through one, accepting from the inbox once the
//! address is verified), share links (and revoking one with the people who joined
//! through it), role changes, the audit trail and a public link, all through the UI.
//! Screenshots land in artifacts/browser/.
//!
//! The server sends no mail here, so the verification link that would be mailed to Dora
//! is stored directly (as the server stores it: the hash of its secret) and handed to
//! the script, which opens it as she would.

mod common;

use std::time::Duration;

use common::accounts::me;
use common::web::{run_scenario, web_server};
use sha2::{Digest, Sha256};

/// The script has its own 90 s limit; this one only catches a hung `node`.
const SCRIPT_TIMEOUT: Duration = Duration::from_secs(120);

/// The secret of Dora's verification link (`/verify-email/{secret}`).
const DORA_VERIFICATION: &str = "doraverifiesheraddress0123456789";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn owners_share_maps_through_the_web_app() {
    let (db, server) = web_server().await;

    // Dora has an account already, with a verification mail on its way.
    let dora = server.user("dora@example.com").await;
    let dora_id = me(&server, &dora).await.id;
    let hash: String = Sha256::digest(DORA_VERIFICATION.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let in_an_hour = parcours_server::util::now_ms() + 3_600_000;
    db.store()
        .await
        .add_email_verification(&dora_id, "dora@example.com", &hash, in_an_hour)
        .await
        .expect("store Dora's verification");

    let scenario = serde_json::json!({
        "doraToken": dora,
        "doraVerification": DORA_VERIFICATION,
    });
    run_scenario(
        &server,
        "sharing.mjs",
        "browser",
        Some(&scenario),
        SCRIPT_TIMEOUT,
    )
    .await;
    server.stop().await;
}
