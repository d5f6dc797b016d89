//! The command line and `PARCOURS_*` environment variables: the one place configuration
//! is read. Everything else receives a [`ServeConfig`] or one of its parts.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};

use crate::sync::RoomSettings;

/// `parcours [serve|migrate] [flags]`
#[derive(Debug, Parser)]
#[command(
    name = "parcours",
    version,
    about = "Live, self-hosted customer journey maps"
)]
pub struct Cli {
    /// Log filter, `tracing` syntax (e.g. `info`, `parcours_server=debug,info`).
    #[arg(long, env = "PARCOURS_LOG", default_value = "info", global = true)]
    pub log: String,
    /// What to do; `serve` when omitted.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the server (the default).
    Serve(Box<ServeConfig>),
    /// Apply database migrations and exit.
    Migrate(DbConfig),
    /// Print an HAProxy configuration for cluster nodes (`--cluster`) and exit.
    HaproxyConfig(HaproxyArgs),
}

/// `parcours haproxy-config`: where HAProxy listens and where the nodes are.
#[derive(Debug, Clone, Args)]
pub struct HaproxyArgs {
    /// Address HAProxy listens on.
    #[arg(long, default_value = "127.0.0.1:8090")]
    pub listen: String,
    /// The nodes' addresses, comma-separated (`10.0.0.1:8080,10.0.0.2:8080`).
    #[arg(long, value_delimiter = ',', required = true)]
    pub nodes: Vec<String>,
}

impl Default for Command {
    /// `parcours` alone behaves as `parcours serve`, still reading `PARCOURS_*` variables.
    fn default() -> Self {
        Command::Serve(Box::new(ServeConfig::parse_from(["serve"])))
    }
}

/// Where the data lives.
#[derive(Debug, Clone, Args)]
pub struct DbConfig {
    /// Data directory: holds the embedded SQLite database (and later, keys).
    #[arg(long, env = "PARCOURS_DATA_DIR", default_value = "./data")]
    pub data_dir: PathBuf,
    /// Database URL. Default: `sqlite://<data-dir>/parcours.db`. A `postgres://` URL
    /// switches to PostgreSQL.
    #[arg(long, env = "PARCOURS_DATABASE_URL")]
    pub database_url: Option<String>,
}

impl DbConfig {
    /// The URL to connect to, creating the data directory for the SQLite default.
    pub fn database_url(&self) -> anyhow::Result<String> {
        if let Some(url) = &self.database_url {
            return Ok(url.clone());
        }
        crate::util::private_dir(&self.data_dir)
            .with_context(|| format!("cannot create data directory {}", self.data_dir.display()))?;
        Ok(format!(
            "sqlite://{}?mode=rwc",
            self.data_dir.join("parcours.db").display()
        ))
    }
}

/// `parcours serve` settings.
#[derive(Debug, Clone, Args)]
pub struct ServeConfig {
    /// Address to listen on.
    #[arg(long, env = "PARCOURS_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: String,
    #[command(flatten)]
    pub db: DbConfig,
    /// Directory holding the built web app (`scripts/build-client.sh` writes it).
    #[arg(long, env = "PARCOURS_WEB_DIR", default_value = "client/dist")]
    pub web_dir: PathBuf,
    /// The unwritten window: edits are written to the update log at least this often.
    /// An edit the server received longer ago than this survives a crash.
    #[arg(long, env = "PARCOURS_FLUSH_INTERVAL_MS", default_value_t = 50,
          value_parser = clap::value_parser!(u64).range(1..=100))]
    pub flush_interval_ms: u64,
    /// Compact a map's update log into a snapshot after this many log rows.
    #[arg(long, env = "PARCOURS_COMPACT_EVERY", default_value_t = 200,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub compact_every: u64,
    /// Unload a room this long after its last peer left (once its edits are written).
    #[arg(long, env = "PARCOURS_IDLE_UNLOAD_SECS", default_value_t = 30)]
    pub idle_unload_secs: u64,
    /// Keep the snapshot as a history checkpoint every this many log rows: opening a
    /// past moment applies at most about this many rows to a checkpoint.
    #[arg(long, env = "PARCOURS_CHECKPOINT_EVERY", default_value_t = 1000,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub checkpoint_every: u64,
    /// Editing paused this long makes an automatic version (a last person leaving
    /// makes one at once).
    #[arg(long, env = "PARCOURS_VERSION_IDLE_SECS", default_value_t = 300,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub version_idle_secs: u64,
    /// Continuous editing makes an automatic version at least this often.
    #[arg(long, env = "PARCOURS_VERSION_EVERY_MINS", default_value_t = 30,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub version_every_mins: u64,
    /// Days of history kept (every change, checkpoints, versions); older history is
    /// deleted hourly. 0 keeps it forever.
    #[arg(long, env = "PARCOURS_HISTORY_DAYS", default_value_t = 90)]
    pub history_days: u64,
    /// Largest event log (CSV) an import accepts, in bytes.
    #[arg(long, env = "PARCOURS_MAX_IMPORT_BYTES", default_value_t = 1 << 30)]
    pub max_import_bytes: u64,
    /// Most rows an event log may have.
    #[arg(long, env = "PARCOURS_MAX_IMPORT_ROWS", default_value_t = 10_000_000)]
    pub max_import_rows: u64,
    /// Most datasets (event logs) one map may hold.
    #[arg(long, env = "PARCOURS_MAX_DATASETS_PER_MAP", default_value_t = 20)]
    pub max_datasets_per_map: u64,
    /// Messages queued for one peer before it counts as too slow and is disconnected.
    #[arg(long, env = "PARCOURS_PEER_QUEUE", default_value_t = 1024,
          value_parser = clap::value_parser!(u64).range(8..))]
    pub peer_queue: u64,
    /// Largest accepted WebSocket message (and frame), in bytes.
    #[arg(long, env = "PARCOURS_MAX_MESSAGE_BYTES", default_value_t = 16 * 1024 * 1024)]
    pub max_message_bytes: usize,
    /// Seconds between keep-alive pings; a peer silent for two intervals is dropped.
    #[arg(long, env = "PARCOURS_PING_SECS", default_value_t = 15,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub ping_secs: u64,
    /// Session signing key (32+ characters). Default: generated on first start and kept
    /// in `<data-dir>/session-key`.
    #[arg(long, env = "PARCOURS_SESSION_KEY", hide_env_values = true)]
    pub session_key: Option<Secret>,
    /// Hours a session lasts.
    #[arg(long, env = "PARCOURS_SESSION_HOURS", default_value_t = 168,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub session_hours: u64,
    /// Who may sign up: `open`, or `invite-only` (the first account, and emails with a
    /// pending invitation).
    #[arg(long, env = "PARCOURS_SIGNUP", value_enum, default_value_t = SignupPolicy::Open)]
    pub signup: SignupPolicy,
    /// Mark the session cookie `Secure` (serve over HTTPS, e.g. behind a proxy).
    #[arg(long, env = "PARCOURS_COOKIE_SECURE")]
    pub cookie_secure: bool,
    /// Proxies whose `X-Forwarded-For` is believed, as addresses or CIDR blocks
    /// (`127.0.0.1,10.0.0.0/8`); from anyone else the header is ignored.
    #[arg(long, env = "PARCOURS_TRUSTED_PROXIES", value_delimiter = ',')]
    pub trusted_proxies: Vec<crate::auth::Cidr>,
    /// Origins besides this server's own whose pages may open the sync socket and event
    /// streams with the session cookie (`https://app.example.org,...`).
    #[arg(long, env = "PARCOURS_ALLOWED_ORIGINS", value_delimiter = ',')]
    pub allowed_origins: Vec<String>,
    /// SMTP server for invitation and verification mail (`smtp://host:port`,
    /// `smtps://user:pass@host`); without it owners copy invitation links themselves.
    #[arg(long, env = "PARCOURS_SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<String>,
    /// The sender of Parcours's mail.
    #[arg(
        long,
        env = "PARCOURS_MAIL_FROM",
        default_value = "Parcours <parcours@localhost>"
    )]
    pub mail_from: String,
    /// The address people open Parcours at (for links in mail), e.g.
    /// `https://parcours.example.org`; by default `http://` + `--listen`.
    #[arg(long, env = "PARCOURS_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// When set, `/metrics` answers only requests with `Authorization: Bearer <token>`.
    #[arg(long, env = "PARCOURS_METRICS_TOKEN", hide_env_values = true)]
    pub metrics_token: Option<Secret>,
    /// Accounts one client address may create per 15 minutes.
    #[arg(long, env = "PARCOURS_SIGNUPS_PER_ADDRESS", default_value_t = crate::auth::DEFAULT_SIGNUPS_PER_ADDRESS)]
    pub signups_per_address: u32,
    /// Live map sockets (and, apart, event streams) one account may hold at once.
    #[arg(
        long,
        env = "PARCOURS_MAX_CONNECTIONS_PER_ACCOUNT",
        default_value_t = 100
    )]
    pub max_connections_per_account: usize,
    /// Live map sockets (and, apart, event streams) one client address may hold at once.
    #[arg(
        long,
        env = "PARCOURS_MAX_CONNECTIONS_PER_ADDRESS",
        default_value_t = 1000
    )]
    pub max_connections_per_address: usize,
    /// Run as one node of several on the same PostgreSQL: rooms of the same map on
    /// different nodes exchange updates, presence and access changes through the
    /// database (docs/ARCHITECTURE.md, "Several nodes"). Needs a `postgres://`
    /// `--database-url` and the same `--session-key` on every node.
    #[arg(long, env = "PARCOURS_CLUSTER")]
    pub cluster: bool,
    /// This node's name in the cluster (logs, the bus). Default: host name, process
    /// id and a random suffix, so two nodes never share one.
    #[arg(long, env = "PARCOURS_NODE_NAME")]
    pub node_name: Option<String>,
    /// With `--cluster`: carry maps' updates and presence between nodes on Redis
    /// streams at this URL (`redis://host:6379`) rather than in PostgreSQL, which keeps
    /// everything else (docs/ARCHITECTURE.md, "Several nodes"). The same on every node.
    #[arg(long, env = "PARCOURS_REDIS_URL", requires = "cluster")]
    pub redis_url: Option<String>,
}

/// Who may create an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SignupPolicy {
    /// Anyone who can reach the server.
    Open,
    /// The first account, then only emails with a pending invitation.
    InviteOnly,
}

/// A secret from the configuration; `Debug` never shows it.
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    /// The secret itself, for the one place that needs it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("[redacted]")
    }
}

impl std::str::FromStr for Secret {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.len() < 32 {
            return Err("the session key must be at least 32 characters".into());
        }
        Ok(Secret(s.to_owned()))
    }
}

impl ServeConfig {
    /// The part of the configuration the rooms need.
    pub fn room_settings(&self) -> RoomSettings {
        RoomSettings {
            flush_interval: Duration::from_millis(self.flush_interval_ms),
            compact_every: self.compact_every,
            idle_unload: Duration::from_secs(self.idle_unload_secs),
            peer_queue: self.peer_queue as usize,
            checkpoint_every: self.checkpoint_every,
            version_idle: Duration::from_secs(self.version_idle_secs),
            version_every: Duration::from_secs(self.version_every_mins * 60),
        }
    }

    /// Defaults for a server on `data_dir` (used by tests and `Default`-like callers).
    pub fn for_data_dir(data_dir: impl Into<PathBuf>) -> ServeConfig {
        let mut config = ServeConfig::parse_from(["serve"]);
        config.db.data_dir = data_dir.into();
        config
    }

    /// The base URL for links in mail, without a trailing slash.
    pub fn public_url(&self) -> String {
        self.public_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", self.listen))
            .trim_end_matches('/')
            .to_owned()
    }

    /// The caps on live connections.
    pub fn connection_limits(&self) -> crate::connections::ConnectionLimits {
        crate::connections::ConnectionLimits {
            per_account: self.max_connections_per_account,
            per_address: self.max_connections_per_address,
        }
    }

    /// How long a session lasts.
    pub fn session_ttl(&self) -> Duration {
        Duration::from_secs(self.session_hours * 3600)
    }

    /// Interval between keep-alive pings.
    pub fn ping_interval(&self) -> Duration {
        Duration::from_secs(self.ping_secs)
    }
}

#[derive(Debug, Parser)]
struct ServeOnly {
    #[command(flatten)]
    config: ServeConfig,
}

impl ServeConfig {
    fn parse_from<I, T>(args: I) -> ServeConfig
    where
        I: IntoIterator<Item = T>,
        T: Into<std::ffi::OsString> + Clone,
    {
        ServeOnly::parse_from(args).config
    }
}
