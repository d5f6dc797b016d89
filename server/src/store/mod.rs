//! Storage: maps, each map's append-only update log and its compacted snapshot;
//! accounts and access; comment threads, review rounds and inboxes.
//!
//! One [`Store`] over a sqlx `AnyPool`, with one SQL text per query (`$1` placeholders,
//! ids as text, bytes as BLOB/BYTEA, times as BIGINT ms) that both SQLite and PostgreSQL
//! accept. Each backend has its own migrations folder with the same meaning. The
//! contract suite in `tests/storage.rs` runs against both.

mod audit;
mod comments;
mod evidence;
mod history;
mod inbox;
mod invitations;
mod links;
mod log;
mod maps;
mod members;
mod rounds;
mod users;

use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Executor};

pub use comments::{CommentRecord, NewCommentRecord, ThreadRecord};
pub use evidence::DatasetRecord;
pub use history::{Author, ElementChangeRecord, ElementState, VersionRecord, AUTHORS_BETWEEN};
pub use inbox::NewInboxItem;
pub use invitations::{InvitationRecord, NewInvitation};
pub use links::LinkRecord;
pub use log::{MapHead, StoredDoc};
pub use maps::{MapRecord, NewMap};
pub use rounds::{DueSoon, RoundRecord};
pub use users::{NewUser, UserRecord};

/// How long an SQLite writer waits for the file lock before failing (5 s).
const SQLITE_BUSY_TIMEOUT: &str = "pragma busy_timeout = 5000";
/// Each SQLite connection's page cache: 512 KiB (SQLite's default is ~2 MiB). The pool's
/// eight connections each filled theirs during history's long reads and emptied it when
/// another connection wrote, so the process's memory kept the high-water mark of eight
/// full caches (the hour's soak, docs/PERFORMANCE.md); the writes' working set (the
/// indexes' upper pages) fits in far less, and one-pass reads gain nothing from it.
const SQLITE_CACHE_SIZE: &str = "pragma cache_size = -512";
/// Pool size for SQLite: one writer at a time anyway, readers run in parallel (WAL).
const SQLITE_POOL_SIZE: u32 = 8;
/// Pool size for PostgreSQL.
const POSTGRES_POOL_SIZE: u32 = 16;
/// How long to wait for a pooled connection before reporting the database unavailable.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(10);

/// Which database a [`Store`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// Embedded SQLite file in WAL mode (the default).
    Sqlite,
    /// PostgreSQL, selected by a `postgres://` URL.
    Postgres,
}

impl Backend {
    /// `sqlite` or `postgres`.
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }

    /// The backend a URL selects, if any.
    pub fn from_url(url: &str) -> Option<Backend> {
        if url.starts_with("sqlite:") {
            Some(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Some(Backend::Postgres)
        } else {
            None
        }
    }
}

/// Errors from the storage layer.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The URL names no supported database.
    #[error("unsupported database URL (expected sqlite: or postgres://)")]
    UnsupportedUrl,
    /// The database failed or could not be reached.
    #[error("database error: {0}")]
    Database(#[source] sqlx::Error),
    /// Applying migrations failed.
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A row with the same unique key exists (an email, a membership, an id).
    #[error("already exists")]
    Duplicate,
    /// The change would leave a map without an owner.
    #[error("a map must keep at least one owner")]
    LastOwner,
    /// The server's policy does not allow it (sign-up on an invite-only server).
    #[error("not allowed by the server's policy")]
    NotAllowed,
    /// What the change relied on is gone (an invitation used or withdrawn meanwhile).
    #[error("gone")]
    Gone,
}

impl StoreError {
    /// Maps a unique-constraint violation on insert to [`StoreError::Duplicate`].
    pub(crate) fn from_insert(e: sqlx::Error) -> StoreError {
        match &e {
            sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Duplicate,
            _ => StoreError::Database(e),
        }
    }
}

/// Makes the SQLite database file readable by this user only (0600); SQLite gives its
/// `-wal` and `-shm` files the database file's permissions. Best effort: a failure is
/// logged.
fn restrict_sqlite_files(url: &str) {
    let path = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:")
        .split('?')
        .next()
        .unwrap_or_default();
    if path.is_empty() || path == ":memory:" {
        return;
    }
    for suffix in ["", "-wal", "-shm"] {
        let file = std::path::PathBuf::from(format!("{path}{suffix}"));
        if file.exists() {
            if let Err(error) = crate::util::restrict(&file, 0o600) {
                tracing::warn!(file = %file.display(), %error, "cannot restrict permissions");
            }
        }
    }
}

/// The database handle; cheap to clone.
#[derive(Clone, Debug)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        note_sqlite_write_failure(&e);
        StoreError::Database(e)
    }
}

/// When an SQLite write last failed because the file could not be written (ms on
/// [`clock_base`], plus one; 0: never).
static SQLITE_WRITE_FAILED_AT: AtomicU64 = AtomicU64::new(0);

fn clock_base() -> Instant {
    static BASE: OnceLock<Instant> = OnceLock::new();
    *BASE.get_or_init(Instant::now)
}

/// Records an SQLite error that means the file could not be written: read-only (8),
/// an I/O error (10), a full disk (13), a file that cannot be opened (14), primary
/// codes of the (extended) result code.
fn note_sqlite_write_failure(e: &sqlx::Error) {
    let sqlx::Error::Database(db) = e else {
        return;
    };
    let Some(code) = db.code().and_then(|c| c.parse::<i64>().ok()) else {
        return; // PostgreSQL's codes are SQLSTATEs like "57P01"
    };
    if matches!(code & 0xff, 8 | 10 | 13 | 14) {
        let at = clock_base().elapsed().as_millis() as u64 + 1;
        SQLITE_WRITE_FAILED_AT.fetch_max(at, Ordering::Relaxed);
    }
}

/// Whether a pooled SQLite connection `age` old was made before the last failed write,
/// and is to be closed rather than used: SQLite opens a file it may not write (made
/// read-only or immutable for a while) read-only without a word, and such a connection
/// stays read-only once the file is writable again; a connection whose commit failed
/// on an I/O error may keep its write lock. Kept in the pool, either would fail writes
/// until a restart. Closed, they are replaced by fresh connections, which work as soon
/// as the file does; meanwhile reads go on.
fn made_before_a_write_failure(age: Duration) -> bool {
    let failed_at = SQLITE_WRITE_FAILED_AT.load(Ordering::Relaxed);
    if failed_at == 0 {
        return false;
    }
    let made_at = clock_base().elapsed().saturating_sub(age).as_millis() as u64 + 1;
    made_at <= failed_at
}

impl Store {
    /// Connects to `url` (`sqlite://path?mode=rwc` or `postgres://...`). SQLite files
    /// are put in WAL mode with `synchronous=NORMAL`: a commit survives a crash of this
    /// process (not of the machine's power) without an fsync per batch.
    #[tracing::instrument(skip_all)]
    pub async fn connect(url: &str) -> Result<Store, StoreError> {
        sqlx::any::install_default_drivers();
        let backend = Backend::from_url(url).ok_or(StoreError::UnsupportedUrl)?;
        let options = AnyConnectOptions::from_str(url)?;
        let pool = match backend {
            Backend::Sqlite => {
                AnyPoolOptions::new()
                    .max_connections(SQLITE_POOL_SIZE)
                    .acquire_timeout(ACQUIRE_TIMEOUT)
                    // The pool's defaults close a connection after 10 idle minutes and
                    // any after 30: for a file in this process that only throws away its
                    // page cache for the next to fill again, and the hour's soak grew
                    // ~6 MiB at that point (docs/PERFORMANCE.md). Kept for the process's
                    // life; one a write failed on is still closed (below).
                    .idle_timeout(None)
                    .max_lifetime(None)
                    .after_connect(|conn, _meta| {
                        Box::pin(async move {
                            conn.execute(SQLITE_BUSY_TIMEOUT).await?;
                            conn.execute(SQLITE_CACHE_SIZE).await?;
                            conn.execute("pragma journal_mode = wal").await?;
                            conn.execute("pragma synchronous = normal").await?;
                            Ok(())
                        })
                    })
                    // Checked when a connection comes back (the one a write just failed
                    // on is closed at once, releasing any lock it kept) and when it is
                    // taken (those that sat idle through the failure).
                    .after_release(|_conn, meta| {
                        let keep = !made_before_a_write_failure(meta.age);
                        Box::pin(async move { Ok(keep) })
                    })
                    .before_acquire(|_conn, meta| {
                        let keep = !made_before_a_write_failure(meta.age);
                        Box::pin(async move { Ok(keep) })
                    })
                    .connect_with(options)
                    .await?
            }
            Backend::Postgres => {
                AnyPoolOptions::new()
                    .max_connections(POSTGRES_POOL_SIZE)
                    .acquire_timeout(ACQUIRE_TIMEOUT)
                    .connect_with(options)
                    .await?
            }
        };
        if backend == Backend::Sqlite {
            restrict_sqlite_files(url);
        }
        Ok(Store { pool, backend })
    }

    /// Applies the backend's pending migrations.
    #[tracing::instrument(skip_all)]
    pub async fn migrate(&self) -> Result<(), StoreError> {
        match self.backend {
            Backend::Sqlite => {
                sqlx::migrate!("../migrations/sqlite")
                    .run(&self.pool)
                    .await?
            }
            Backend::Postgres => {
                sqlx::migrate!("../migrations/postgres")
                    .run(&self.pool)
                    .await?
            }
        }
        Ok(())
    }

    /// Which database this is.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// A trivial query: is the database answering?
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("select 1").execute(&self.pool).await?;
        Ok(())
    }

    /// Closes the pool (waits for connections to be returned).
    pub async fn close(&self) {
        self.pool.close().await;
    }
}
