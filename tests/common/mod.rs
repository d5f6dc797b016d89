//! Shared test harness: the real server on a random port (in-process or as a child
//! process), a fresh database per test on SQLite or PostgreSQL, test accounts, REST
//! calls as an account, waiting for what happens in the background, event streams, and
//! y-protocols clients' documents.
//!
//! Each test binary mounts this folder as `mod common` and uses a part of it: what one
//! binary leaves unused (items and the re-exports below) is not a warning.
#![allow(dead_code, unused_imports)]

/// Test accounts: sign-up, sessions, `me`, members.
pub mod accounts;
/// REST calls as an account: status and JSON body.
pub mod calls;
/// A fresh database per test, SQLite or PostgreSQL.
pub mod db;
/// A sync client's document: its view, typed edits.
pub mod docs;
/// Server-Sent Events streams.
pub mod events;
/// A PostgreSQL cluster of the test's own, to stop and start.
pub mod pgcluster;
/// The server in this process or as a child process.
pub mod server;
/// Polling until a condition holds.
pub mod wait;
/// Browser tests: prerequisites, a server with the web app, running a scenario.
pub mod web;

use std::time::Duration;

pub use accounts::{authed_client, ensure_user, me, member, PASSWORD};
pub use calls::{call, delete, get, patch, post, websocket_upgrade};
pub use db::{pg_admin_url, TestDb};
pub use docs::{client_view, edit};
pub use events::EventStream;
pub use pgcluster::PgCluster;
pub use server::{free_port, invitation_secret, metric, sqlite_server, ProcessServer, TestServer};
pub use wait::{converged, eventually, eventually_ok, within};

/// Generous bound for anything that should take milliseconds.
pub const WAIT: Duration = Duration::from_secs(10);

/// Runs a test body once per backend: `both_backends!(name, body_fn)` defines
/// `name::sqlite` and `name::postgres`, each calling `body_fn(db: TestDb)`;
/// `both_backends!(name)` does the same with a body of that name.
#[macro_export]
macro_rules! both_backends {
    ($name:ident) => {
        $crate::both_backends!($name, $name);
    };
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
