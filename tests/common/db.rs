//! A fresh, empty database per test: an SQLite file in a temporary directory, or a new
//! PostgreSQL database dropped afterwards.

use std::path::PathBuf;

use parcours_server::config::ServeConfig;
use parcours_server::store::{Backend, Store};

/// The PostgreSQL server tests use: `PARCOURS_TEST_PG` or the local default.
pub fn pg_admin_url() -> String {
    std::env::var("PARCOURS_TEST_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

/// Runs one statement on the PostgreSQL admin database.
async fn pg_admin(sql: &str) -> Result<(), sqlx::Error> {
    use sqlx::Connection;
    let mut conn = sqlx::PgConnection::connect(&pg_admin_url()).await?;
    sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
        .execute(&mut conn)
        .await?;
    conn.close().await
}

/// A fresh, empty database for one test (an SQLite file in a temp dir, or a new
/// PostgreSQL database that is dropped afterwards).
pub struct TestDb {
    pub backend: Backend,
    pub url: String,
    /// Keeps the SQLite file's directory alive; also the server's data directory.
    pub dir: tempfile::TempDir,
    pg_name: Option<String>,
}

impl TestDb {
    pub async fn new(backend: Backend) -> TestDb {
        let dir = tempfile::tempdir().expect("temp dir");
        match backend {
            Backend::Sqlite => {
                let url = format!(
                    "sqlite://{}?mode=rwc",
                    dir.path().join("parcours.db").display()
                );
                TestDb {
                    backend,
                    url,
                    dir,
                    pg_name: None,
                }
            }
            Backend::Postgres => {
                let name = format!("parcours_test_{}", parcours_server::util::random_id(12));
                pg_admin(&format!("create database {name}"))
                    .await
                    .expect("create database");
                let base = pg_admin_url();
                let url = match base.rfind('/') {
                    Some(i) => format!("{}/{name}", &base[..i]),
                    None => panic!("bad PARCOURS_TEST_PG"),
                };
                TestDb {
                    backend,
                    url,
                    dir,
                    pg_name: Some(name),
                }
            }
        }
    }

    /// A database the test made itself (e.g. on a [`PgCluster`](super::PgCluster)),
    /// with a fresh data directory; nothing is dropped afterwards.
    pub fn external(backend: Backend, url: String) -> TestDb {
        TestDb {
            backend,
            url,
            dir: tempfile::tempdir().expect("temp dir"),
            pg_name: None,
        }
    }

    /// A PostgreSQL test database, or `None` (test skipped) when PostgreSQL is not
    /// reachable outside CI. Under `CI=true` an unreachable PostgreSQL fails the test.
    pub async fn postgres_or_skip() -> Option<TestDb> {
        match pg_admin("select 1").await {
            Ok(()) => Some(TestDb::new(Backend::Postgres).await),
            Err(e) => {
                if std::env::var("CI").is_ok_and(|v| v == "true") {
                    panic!("PostgreSQL unreachable under CI=true: {e}");
                }
                eprintln!("SKIPPED: PostgreSQL unreachable ({e}); set CI=true to make this fail");
                None
            }
        }
    }

    pub async fn store(&self) -> Store {
        let store = Store::connect(&self.url).await.expect("connect");
        store.migrate().await.expect("migrate");
        store
    }

    /// One number read straight from the database (`select count(*) from ...`): how a
    /// test checks what the server did or did not store.
    pub async fn count(&self, sql: &'static str) -> i64 {
        use sqlx::{Connection, Row};
        sqlx::any::install_default_drivers();
        let mut conn = sqlx::AnyConnection::connect(&self.url)
            .await
            .expect("connect");
        let n: i64 = sqlx::query(sql)
            .fetch_one(&mut conn)
            .await
            .expect("query")
            .try_get(0)
            .expect("a number");
        let _ = conn.close().await;
        n
    }

    /// Runs one statement straight on the database (to make a state older servers left).
    pub async fn execute(&self, sql: &'static str) {
        use sqlx::Connection;
        sqlx::any::install_default_drivers();
        let mut conn = sqlx::AnyConnection::connect(&self.url)
            .await
            .expect("connect");
        sqlx::query(sql)
            .execute(&mut conn)
            .await
            .expect("statement");
        let _ = conn.close().await;
    }

    /// Server settings on this database with quick timers for tests.
    pub fn config(&self) -> ServeConfig {
        let mut config = ServeConfig::for_data_dir(self.dir.path());
        config.db.database_url = Some(self.url.clone());
        config.web_dir = PathBuf::from("/nonexistent");
        config.idle_unload_secs = 1;
        // Every test account signs up from 127.0.0.1.
        config.signups_per_address = 10_000;
        config
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some(name) = self.pg_name.take() {
            // Best effort, on a thread of its own: Drop cannot await.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build();
                if let Ok(rt) = rt {
                    rt.block_on(async {
                        let _ =
                            pg_admin(&format!("drop database if exists {name} with (force)")).await;
                    });
                }
            })
            .join();
        }
    }
}
