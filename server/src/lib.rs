//! Parcours server: REST API, live y-protocols sync rooms and durable storage.
//!
//! A tour, in the order a request meets them:
#![forbid(unsafe_code)]

/// Accounts and sessions: passwords, tokens, login limits, caller extractors.
pub mod auth;
/// The time comment rounds run on: the system clock, or a hand-moved one in tests.
pub mod clock;
/// Running several nodes: the HAProxy configuration in front of them.
pub mod cluster;
/// Command line and `PARCOURS_*` environment: the one place configuration is read.
pub mod config;
/// Live sockets and event streams per account and per address, capped.
pub mod connections;
/// The error type every route returns, rendered as a JSON `ErrorBody`.
pub mod error;
/// Live comment-round events: per-map and per-account broadcast hubs.
pub mod events;
/// Customer evidence: event logs imported, mapped onto the journey, analysed.
pub mod evidence;
/// Maps out and in: PDF, PNG, SVG, CSV and JSON exports, JSON and CSV imports.
pub mod export;
/// Version history: past states rebuilt, versions, blame, retention.
pub mod history;
/// The HTTP surface: REST routes, `/healthz`, `/metrics`, the web app, the sync socket.
pub mod http;
/// Error messages in the client's language (English or French).
pub mod locale;
/// Invitation and verification mail over SMTP, when configured.
pub mod mail;
/// The method's progress per map, kept in the `maps` row for the maps list.
pub mod method;
/// Counters exposed at `/metrics`.
pub mod metrics;
/// Comment threads and review rounds as a domain: mentions, notifications, anchors,
/// rounds closing at their due date, reminders.
pub mod review;
/// Storage: maps, the per-map update log and snapshots, on SQLite or PostgreSQL.
pub mod store;
/// Live sync: one room actor per open map, speaking y-protocols with its peers.
pub mod sync;
/// Logging setup (`tracing`).
pub mod telemetry;
/// Milliseconds since the epoch, and random ids.
pub mod util;

use std::sync::Arc;

use anyhow::Context;
use axum::serve::ListenerExt;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

use crate::clock::{Clock, SystemClock};
use crate::config::{DbConfig, ServeConfig};
use crate::events::Events;
use crate::metrics::Metrics;
use crate::store::Store;
use crate::sync::Rooms;

/// Everything a request handler may need; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub store: Store,
    /// Open rooms, by map id.
    pub rooms: Rooms,
    /// Process-wide counters.
    pub metrics: Arc<Metrics>,
    /// The configuration the server was started with.
    pub config: Arc<ServeConfig>,
    /// Cancelled when the server shuts down; live sockets close on it.
    pub shutdown: CancellationToken,
    /// Session keys, sign-up policy, login limits.
    pub auth: auth::SharedAuth,
    /// "Now" for comments, rounds and the inbox (due dates, auto-close).
    pub clock: Arc<dyn Clock>,
    /// Live comment-round events, per map and per account.
    pub events: Events,
    /// Live sockets and streams per account and address.
    pub connections: Arc<connections::Connections>,
    /// Invitation and verification mail (off without `--smtp-url`).
    pub mailer: mail::Mailer,
    /// Decoded event logs kept for analyses.
    pub evidence: Arc<evidence::Evidence>,
    /// Exports being drawn and waiting, bounded.
    pub drawing: Arc<export::Drawing>,
}

impl AppState {
    /// Comment and round logic over this state's store, events and clock.
    pub fn review(&self) -> review::Review<'_> {
        review::Review {
            store: &self.store,
            events: &self.events,
            clock: self.clock.as_ref(),
        }
    }
}

/// `parcours serve`: open the database, migrate, bind, serve until Ctrl-C / SIGTERM.
pub async fn serve(config: ServeConfig) -> anyhow::Result<()> {
    let listener = TcpListener::bind(&config.listen)
        .await
        .with_context(|| format!("cannot listen on {}", config.listen))?;
    let shutdown = CancellationToken::new();
    tokio::spawn(telemetry::cancel_on_signal(shutdown.clone()));
    run(config, listener, shutdown).await
}

/// A node name no other node has: host name, process id, a random suffix.
fn default_node_name() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_owned())
        .unwrap_or_else(|_| "node".into());
    format!("{host}-{}-{}", std::process::id(), util::random_id(4))
}

/// `parcours migrate`: apply pending migrations and exit.
pub async fn migrate(db: DbConfig) -> anyhow::Result<()> {
    let store = Store::connect(&db.database_url()?).await?;
    store.migrate().await?;
    tracing::info!(backend = store.backend().name(), "migrations applied");
    Ok(())
}

/// Runs the server on an already bound listener until `shutdown` is cancelled, then
/// closes every socket and flushes every room before returning. Tests call this with a
/// listener on port 0.
pub async fn run(
    config: ServeConfig,
    listener: TcpListener,
    shutdown: CancellationToken,
) -> anyhow::Result<()> {
    run_with_clock(config, listener, shutdown, Arc::new(SystemClock)).await
}

/// [`run`] with the clock comment rounds use: tests pass a
/// [`ManualClock`](clock::ManualClock) to move past a round's due date without sleeping.
pub async fn run_with_clock(
    config: ServeConfig,
    listener: TcpListener,
    shutdown: CancellationToken,
    clock: Arc<dyn Clock>,
) -> anyhow::Result<()> {
    let store = Store::connect(&config.db.database_url()?).await?;
    store.migrate().await?;
    let unfinished = store.delete_unfinished_datasets().await?;
    if unfinished > 0 {
        tracing::warn!(
            unfinished,
            "deleted event-log imports a previous run left unfinished"
        );
    }
    let auth = Arc::new(auth::Auth {
        keys: auth::SessionKeys::load(config.session_key.as_ref(), &config.db.data_dir)?,
        session_ttl: config.session_ttl(),
        signup: config.signup,
        cookie_secure: config.cookie_secure,
        limiter: auth::LoginLimiter::new(config.signups_per_address),
        hasher: auth::Hasher::default(),
    });
    let metrics = Arc::new(Metrics::default());
    let rooms = Rooms::new(
        store.clone(),
        metrics.clone(),
        config.room_settings(),
        shutdown.clone(),
    );
    let events = Events::default();
    if config.cluster {
        let url = config.db.database_url()?;
        if store.backend() != store::Backend::Postgres {
            anyhow::bail!(
                "--cluster needs a postgres:// --database-url: the nodes meet in PostgreSQL"
            );
        }
        let node = config.node_name.clone().unwrap_or_else(default_node_name);
        let bus = rooms
            .join_cluster(&url, config.redis_url.as_deref(), node, &events)
            .await
            .context("cannot join the cluster bus")?;
        auth.limiter.share(bus.requests_pool().clone());
        let (auth, shutdown) = (auth.clone(), shutdown.clone());
        tokio::spawn(async move {
            let mut every = tokio::time::interval(std::time::Duration::from_secs(60));
            loop {
                tokio::select! {
                    _ = every.tick() => auth.limiter.sweep_shared().await,
                    _ = shutdown.cancelled() => return,
                }
            }
        });
    }
    let config_limits = config.connection_limits();
    let mailer = mail::Mailer::new(config.smtp_url.as_deref(), &config.mail_from)?;
    let state = AppState {
        store,
        rooms: rooms.clone(),
        metrics,
        config: Arc::new(config),
        shutdown: shutdown.clone(),
        auth,
        clock,
        events,
        connections: connections::Connections::new(config_limits),
        mailer,
        evidence: Arc::default(),
        drawing: Arc::default(),
    };
    let sweeper = review::spawn_sweeper(state.clone(), shutdown.clone());
    let retention = history::spawn_retention(
        state.store.clone(),
        state.config.history_days,
        shutdown.clone(),
    );
    let backfill = method::spawn_backfill(state.store.clone(), shutdown.clone());
    let app = http::router(state);
    tracing::info!(addr = %listener.local_addr()?, "parcours listening");
    // Sync messages are small and latency-bound: no Nagle delay.
    let listener = listener.tap_io(|tcp| {
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::debug!(error = %e, "could not set TCP_NODELAY");
        }
    });
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown.clone().cancelled_owned())
    .await
    .context("server error")?;
    shutdown.cancel();
    let _ = sweeper.await;
    let _ = backfill.await;
    if let Some(retention) = retention {
        let _ = retention.await;
    }
    rooms.shutdown().await;
    tracing::info!("parcours stopped; every room flushed");
    Ok(())
}
