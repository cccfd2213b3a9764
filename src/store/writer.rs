//! SQLite's writer connection, kept between group commits instead of going back to sqlx's pool: sqlx
//! pings a pooled connection on every release (a spawned task and a round trip to its connection
//! thread), which costs as much as the write it follows. A write that did not finish (its caller was
//! cancelled mid-way) is rolled back before its connection goes back to the pool; one whose rollback
//! failed is closed.

use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyPool, Executor};
use std::sync::Mutex;

/// The kept connection; only used by whoever holds SQLite's write lock.
#[derive(Debug, Default)]
pub(super) struct Writer {
    slot: Mutex<Option<PoolConnection<Any>>>,
    /// Off when the pool has a single connection (`:memory:`): keeping it would starve every read.
    keep: bool,
}

/// The writer connection for one group; back in its slot only if the group finished cleanly.
pub(super) struct Lease<'a> {
    writer: &'a Writer,
    pool: AnyPool,
    conn: Option<PoolConnection<Any>>,
    finished: bool,
    poisoned: bool,
}

impl Writer {
    /// A writer that keeps its connection only when the pool has another one for everything else.
    pub(super) fn new(pool_size: u32) -> Writer {
        Writer {
            slot: Mutex::default(),
            keep: pool_size >= 2,
        }
    }

    /// The kept connection, or a new one from the pool.
    pub(super) async fn lease(&self, pool: &AnyPool) -> Result<Lease<'_>, sqlx::Error> {
        let kept = self.slot.lock().expect("writer slot").take();
        let conn = match kept {
            Some(c) => c,
            None => pool.acquire().await?,
        };
        Ok(Lease {
            writer: self,
            pool: pool.clone(),
            conn: Some(conn),
            finished: false,
            poisoned: false,
        })
    }

    /// Gives the kept connection back to the pool (which waits for it when closing).
    pub(super) fn release(&self) {
        drop(self.slot.lock().expect("writer slot").take());
    }

    #[cfg(test)]
    fn is_kept(&self) -> bool {
        self.slot.lock().expect("writer slot").is_some()
    }
}

impl Lease<'_> {
    pub(super) fn conn(&mut self) -> &mut PoolConnection<Any> {
        self.conn
            .as_mut()
            .expect("a lease holds its connection until dropped")
    }

    /// Its state is unknown (a rollback failed): close it instead of keeping it.
    pub(super) fn poison(&mut self) {
        self.poisoned = true;
    }

    /// The group is over and no transaction is open: keep the connection for the next one.
    pub(super) fn finish(mut self) {
        self.finished = true;
    }
}

impl Drop for Lease<'_> {
    fn drop(&mut self) {
        let Some(mut conn) = self.conn.take() else {
            return;
        };
        if self.finished && !self.poisoned {
            // A closing pool waits for every connection, so none is kept from it.
            if self.writer.keep && !self.pool.is_closed() {
                *self.writer.slot.lock().expect("writer slot") = Some(conn);
            }
            // Otherwise it simply goes back to the pool.
            return;
        }
        match tokio::runtime::Handle::try_current() {
            // Cut off mid-write: roll back whatever transaction it left open before the pool gets it
            // back (closing it instead would lose an in-memory database).
            Ok(rt) if !self.poisoned => {
                rt.spawn(async move {
                    if let Err(e) = conn.execute("ROLLBACK").await
                        && !e.to_string().contains("no transaction is active")
                    {
                        conn.close_on_drop();
                    }
                });
            }
            _ => conn.close_on_drop(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ports::{Commit, InboxStore, TicketStore};
    use crate::store::SqlStore;
    use std::time::Duration;

    async fn count(s: &SqlStore, table: &str) -> i64 {
        sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}")))
            .fetch_one(s.pool())
            .await
            .unwrap()
    }

    /// A write cut off inside its transaction (its caller gave up): the lease is dropped unfinished.
    async fn cut_off_write(s: &SqlStore) {
        let mut lease = s.group.writer.lease(s.pool()).await.unwrap();
        lease.conn().execute("BEGIN IMMEDIATE").await.unwrap();
        lease.conn().execute("INSERT INTO audit_log (at, actor, action, subject, detail) VALUES (1, 'a', 'b', 'c', 'd')").await.unwrap();
        drop(lease);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn kept_after_a_finished_write_rolled_back_after_an_unfinished_one() {
        let (s, _dir) = super::super::temp_sqlite(4).await;
        s.inbox_put("k1", "test", "{}", 1).await.unwrap();
        let writer = &s.group.writer;
        assert!(writer.is_kept(), "the group commit keeps its connection");

        cut_off_write(&s).await;
        assert!(
            !writer.is_kept(),
            "not kept: rolled back and returned to the pool"
        );
        // Its transaction was rolled back and SQLite's write lock released: the next write goes through.
        s.inbox_put("k2", "test", "{}", 2).await.unwrap();
        assert!(writer.is_kept());
        assert_eq!(
            (count(&s, "inbox").await, count(&s, "audit_log").await),
            (2, 0),
            "the unfinished write was rolled back"
        );

        // A lease whose rollback failed is poisoned: finishing it does not keep it.
        let mut lease = writer.lease(s.pool()).await.unwrap();
        lease.poison();
        lease.finish();
        assert!(!writer.is_kept());

        // Closing the store gives the kept connection back, so the pool's close does not wait forever.
        s.commit(Commit::default()).await.unwrap();
        assert!(writer.is_kept());
        tokio::time::timeout(Duration::from_secs(10), s.close())
            .await
            .expect("the pool closes");
        assert!(s.pool().is_closed());
    }

    #[tokio::test]
    async fn a_single_connection_pool_keeps_nothing_back() {
        let s = SqlStore::connect("sqlite::memory:", 5, Duration::from_secs(1))
            .await
            .unwrap();
        s.inbox_put("k1", "test", "{}", 1).await.unwrap();
        assert!(
            !s.group.writer.is_kept(),
            "the pool's only connection went back to it"
        );
        assert_eq!(count(&s, "inbox").await, 1, "reads still get a connection");
        // A cut-off write is rolled back, not closed: closing would lose the in-memory database.
        cut_off_write(&s).await;
        assert_eq!(
            (count(&s, "inbox").await, count(&s, "audit_log").await),
            (1, 0)
        );
    }
}
