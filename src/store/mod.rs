//! The store: one implementation of the domain's store ports over sqlx's `Any` driver, so the same
//! runtime-checked queries run on SQLite (default, a WAL file) and Postgres (scale-out).

mod audit;
mod inbox;
mod outbox;
mod rows;
mod tickets;

use crate::domain::ports::{Store, StoreError};
use async_trait::async_trait;
use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::migrate::Migrator;
use sqlx::{AnyPool, Executor};
use std::time::Duration;

static MIGRATOR_SQLITE: Migrator = sqlx::migrate!("./migrations/sqlite");
static MIGRATOR_PG: Migrator = sqlx::migrate!("./migrations/postgres");

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The store over a connection pool.
#[derive(Clone, Debug)]
pub struct SqlStore {
    pool: AnyPool,
    backend: Backend,
}

/// Maps sqlx errors to the domain's: a locked or unreachable database is `Unavailable`, not a panic.
pub(crate) fn db_err(e: sqlx::Error) -> StoreError {
    match &e {
        sqlx::Error::RowNotFound => StoreError::NotFound("row".into()),
        sqlx::Error::PoolTimedOut | sqlx::Error::Io(_) | sqlx::Error::PoolClosed => StoreError::Unavailable(e.to_string()),
        sqlx::Error::Database(d) if d.message().contains("locked") || d.message().contains("busy") => {
            StoreError::Unavailable(format!("{} (another process holds the SQLite database)", d.message()))
        }
        _ => StoreError::Other(e.to_string()),
    }
}

impl SqlStore {
    /// Connects (creating a SQLite file when needed) and runs the migrations.
    pub async fn connect(url: &str, max_connections: u32, busy_timeout: Duration) -> Result<SqlStore, StoreError> {
        install_default_drivers();
        let backend = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else {
            return Err(StoreError::Other(format!(
                "store.url must start with sqlite: or postgres://, got {:?}",
                crate::config::redact_url(url)
            )));
        };
        let url = match backend {
            Backend::Sqlite if !url.contains("mode=") && !url.contains(":memory:") => {
                format!("{url}{}mode=rwc", if url.contains('?') { '&' } else { '?' })
            }
            _ => url.to_string(),
        };
        let busy_ms = busy_timeout.as_millis();
        let pool = AnyPoolOptions::new()
            .max_connections(if url.contains(":memory:") { 1 } else { max_connections })
            .acquire_timeout(busy_timeout.max(Duration::from_secs(1)))
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if conn.backend_name() == "SQLite" {
                        let pragmas = format!("PRAGMA busy_timeout = {busy_ms}; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;");
                        conn.execute(sqlx::AssertSqlSafe(pragmas)).await?;
                    }
                    Ok(())
                })
            })
            .connect(&url)
            .await
            .map_err(|e| match db_err(e) {
                StoreError::Other(m) => StoreError::Unavailable(m),
                other => other,
            })?;
        let migrator = if backend == Backend::Postgres { &MIGRATOR_PG } else { &MIGRATOR_SQLITE };
        migrator.run(&pool).await.map_err(|e| StoreError::Other(format!("migrations failed: {e}")))?;
        Ok(SqlStore { pool, backend })
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub fn kind(&self) -> Backend {
        self.backend
    }
}

#[async_trait]
impl Store for SqlStore {
    fn backend(&self) -> &str {
        match self.backend {
            Backend::Sqlite => "SQLite",
            Backend::Postgres => "PostgreSQL",
        }
    }

    async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await.map_err(db_err)?;
        Ok(())
    }
}
