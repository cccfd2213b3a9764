//! The store: one implementation of the domain's store ports over sqlx's `Any` driver, so the same
//! runtime-checked queries run on SQLite (default, a WAL file) and Postgres (scale-out).

mod alert_writes;
mod alerts;
mod approvals;
mod audit;
mod commit_sqlite;
mod customers;
mod finance;
mod gaps;
mod group;
mod inbox;
mod leases;
mod outbox;
mod rows;
mod script;
mod tickets;
mod usage;
mod writer;

use crate::domain::Millis;
use crate::domain::ports::{Gauges, Store, StoreError};
use async_trait::async_trait;
use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::migrate::Migrator;
use sqlx::{AnyPool, Executor};
use std::sync::Arc;
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
    /// SQLite allows one writer at a time. Queueing writers here wakes the next one the moment the
    /// lock is free; leaving it to SQLite's busy handler makes them sleep 1–100 ms and retry.
    writer: Option<Arc<tokio::sync::Mutex<()>>>,
    /// SQLite's writes waiting to be applied together (see `group.rs`).
    group: Arc<group::Queue>,
    /// SQLite's block of reserved ticket ids.
    ids: Arc<tokio::sync::Mutex<IdBlock>>,
    _checkpointer: Option<Arc<AbortOnDrop>>,
}

/// Ticket ids reserved from the `id_blocks` table: `next..end`, and the size of the last block.
#[derive(Debug, Default)]
struct IdBlock {
    next: i64,
    end: i64,
    size: i64,
}

/// Stops the background WAL checkpointer when the last clone of the store is dropped.
#[derive(Debug)]
struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Maps sqlx errors to the domain's: a locked or unreachable database is `Unavailable`, not a panic.
pub(crate) fn db_err(e: sqlx::Error) -> StoreError {
    match &e {
        sqlx::Error::RowNotFound => StoreError::NotFound("row".into()),
        sqlx::Error::PoolTimedOut | sqlx::Error::Io(_) | sqlx::Error::PoolClosed => {
            StoreError::Unavailable(e.to_string())
        }
        // Postgres chose this transaction to break a deadlock, or could not serialise it: nothing
        // was written, and running it again is the remedy (callers retry conflicts).
        sqlx::Error::Database(d) if matches!(d.code().as_deref(), Some("40P01" | "40001")) => {
            StoreError::Conflict(format!("{} (retry)", d.message()))
        }
        sqlx::Error::Database(d)
            if d.message().contains("locked") || d.message().contains("busy") =>
        {
            StoreError::Unavailable(format!(
                "{} (another process holds the SQLite database)",
                d.message()
            ))
        }
        _ => StoreError::Other(e.to_string()),
    }
}

/// The backend a URL names, and the URL to open (a SQLite file is created when missing).
fn backend_of(url: &str) -> Result<(Backend, String), StoreError> {
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
    Ok((backend, url))
}

/// The SQLite file a URL names (`sqlite://path?…` or `sqlite:path`), unless in memory.
fn sqlite_path(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or(rest);
    (!path.is_empty() && !path.contains(":memory:")).then_some(path)
}

/// Creates a missing SQLite file readable by its owner only (tickets, customers and the ledger live
/// there); SQLite gives its WAL and shared-memory files the same mode.
fn create_private(url: &str) -> Result<(), StoreError> {
    let Some(path) = sqlite_path(url) else {
        return Ok(());
    };
    let mut open = std::fs::OpenOptions::new();
    open.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut open, 0o600);
    // An existing file keeps its mode; a missing folder and the like are reported by sqlx's own
    // open, with the URL.
    let _ = open.open(path);
    Ok(())
}

impl SqlStore {
    /// Connects (creating a SQLite file when needed) and runs the migrations.
    pub async fn connect(
        url: &str,
        max_connections: u32,
        busy_timeout: Duration,
    ) -> Result<SqlStore, StoreError> {
        install_default_drivers();
        let (backend, url) = backend_of(url)?;
        if backend == Backend::Sqlite {
            create_private(&url)?;
        }
        let busy_ms = busy_timeout.as_millis();
        let pool_size = if url.contains(":memory:") {
            1
        } else {
            max_connections
        };
        let pool = AnyPoolOptions::new()
            .max_connections(pool_size)
            .acquire_timeout(busy_timeout.max(Duration::from_secs(1)))
            // The liveness ping before every acquire is one more round trip to SQLite's connection
            // thread, needless for a local file. Postgres keeps it: its connections die with the network.
            .test_before_acquire(backend == Backend::Postgres)
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if conn.backend_name() == "SQLite" {
                        // wal_autocheckpoint is a safety net only: the background checkpointer keeps the
                        // WAL short, so no request pays for a checkpoint's fsync.
                        let pragmas = format!(
                            "PRAGMA busy_timeout = {busy_ms}; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                             PRAGMA foreign_keys = ON; PRAGMA wal_autocheckpoint = 20000;"
                        );
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
        let migrator = if backend == Backend::Postgres {
            &MIGRATOR_PG
        } else {
            &MIGRATOR_SQLITE
        };
        migrator
            .run(&pool)
            .await
            .map_err(|e| StoreError::Other(format!("migrations failed: {e}")))?;
        let (writer, checkpointer) = match backend {
            Backend::Sqlite => (
                Some(Arc::new(tokio::sync::Mutex::new(()))),
                Some(Arc::new(AbortOnDrop(tokio::spawn(checkpoint(
                    pool.clone(),
                ))))),
            ),
            Backend::Postgres => (None, None),
        };
        Ok(SqlStore {
            pool,
            backend,
            writer,
            group: Arc::new(group::Queue::new(pool_size)),
            ids: Arc::default(),
            _checkpointer: checkpointer,
        })
    }

    /// Held for the duration of every write on SQLite; a no-op on Postgres.
    pub(crate) async fn write_guard(&self) -> Option<tokio::sync::MutexGuard<'_, ()>> {
        match &self.writer {
            Some(m) => Some(m.lock().await),
            None => None,
        }
    }

    /// A ticket id on SQLite, from a block reserved in `id_blocks`, so that opening a ticket costs no
    /// write of its own and two processes on one file never hand out the same id. Blocks grow 1, 2, 4 …
    /// 64: a short-lived process (`opsdesk ask`) skips no ids; a busy one writes once per 64 tickets.
    pub(super) async fn next_sqlite_ticket_id(&self) -> Result<i64, StoreError> {
        let mut block = self.ids.lock().await;
        if block.next >= block.end {
            let size = (block.size * 2).clamp(1, 64);
            let _w = self.write_guard().await;
            let end: i64 = sqlx::query_scalar(
                "UPDATE id_blocks SET next = next + $1 WHERE name = 'tickets' RETURNING next",
            )
            .bind(size)
            .fetch_one(&self.pool)
            .await
            .map_err(db_err)?;
            *block = IdBlock {
                next: end - size,
                end,
                size,
            };
        }
        block.next += 1;
        Ok(block.next - 1)
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// A transaction that will write. On SQLite it takes the write lock at `BEGIN` (waiting up to
    /// the busy timeout): a deferred one that reads first and then writes fails at once, with no wait,
    /// when another connection or process holds the lock at that moment.
    pub(crate) async fn begin_write(
        &self,
    ) -> Result<sqlx::Transaction<'static, sqlx::Any>, StoreError> {
        match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.pool.begin().await,
        }
        .map_err(db_err)
    }

    /// Closes the pool, once every connection (the kept writer's too) is back in it.
    pub async fn close(&self) {
        self.group.writer.release();
        self.pool.close().await;
    }

    pub fn kind(&self) -> Backend {
        self.backend
    }
}

/// Moves the WAL into the database file every second (PASSIVE: never blocks readers or writers).
async fn checkpoint(pool: AnyPool) {
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    loop {
        tick.tick().await;
        if let Err(e) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
            .execute(&pool)
            .await
        {
            tracing::debug!(error = %e, "WAL checkpoint skipped");
        }
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
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn lease(
        &self,
        name: &str,
        holder: &str,
        ttl_ms: i64,
        now: Millis,
    ) -> Result<bool, StoreError> {
        leases::take(self, name, holder, now + ttl_ms, now).await
    }

    async fn lease_release(&self, name: &str, holder: &str) -> Result<(), StoreError> {
        leases::release(self, name, holder).await
    }

    async fn gauges(&self) -> Result<Gauges, StoreError> {
        let (outbox, inbox, approvals, firing): (i64, i64, i64, i64) = sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM outbox WHERE state IN ('pending', 'sending')), \
             (SELECT COUNT(*) FROM inbox WHERE processed_at IS NULL), \
             (SELECT COUNT(*) FROM approvals WHERE state = 'pending'), \
             (SELECT COUNT(*) FROM alert_groups WHERE firing = 1)",
        )
        .fetch_one(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(Gauges {
            outbox_undelivered: outbox,
            inbox_unprocessed: inbox,
            approvals_pending: approvals,
            alert_groups_firing: firing,
        })
    }
}

/// A store on a new SQLite file with `pool_size` connections, for unit tests; the file lives as long
/// as the returned directory.
#[cfg(test)]
pub(crate) async fn temp_sqlite(pool_size: u32) -> (SqlStore, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let url = format!("sqlite://{}", dir.path().join("test.db").display());
    (
        SqlStore::connect(&url, pool_size, Duration::from_secs(3))
            .await
            .expect("a new SQLite store"),
        dir,
    )
}

#[cfg(test)]
mod tests {
    #[cfg(unix)]
    #[tokio::test]
    async fn a_new_sqlite_file_and_its_wal_are_readable_by_the_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("private.db");
        let url = format!("sqlite://{}", file.display());
        let s = super::SqlStore::connect(&url, 2, std::time::Duration::from_secs(5))
            .await
            .unwrap();
        sqlx::query("CREATE TABLE t (x INTEGER)")
            .execute(s.pool())
            .await
            .unwrap();
        for f in [file.clone(), dir.path().join("private.db-wal")] {
            let mode = std::fs::metadata(&f).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "{}", f.display());
        }
        assert_eq!(super::sqlite_path("sqlite::memory:"), None);
        assert_eq!(
            super::sqlite_path("sqlite://a/b.db?mode=rwc"),
            Some("a/b.db")
        );
    }

    #[tokio::test]
    async fn sqlite_connections_use_wal_without_fsync_per_commit() {
        let (s, _dir) = super::temp_sqlite(2).await;
        let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
            .fetch_one(s.pool())
            .await
            .unwrap();
        let sync: i64 = sqlx::query_scalar("PRAGMA synchronous")
            .fetch_one(s.pool())
            .await
            .unwrap();
        let busy: i64 = sqlx::query_scalar("PRAGMA busy_timeout")
            .fetch_one(s.pool())
            .await
            .unwrap();
        assert_eq!((mode.as_str(), sync, busy), ("wal", 1, 3000));
    }
}
