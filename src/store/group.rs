//! Group commit on SQLite. SQLite has one writer at a time and each transaction pays a round trip to
//! sqlx's connection thread to open and one to commit, so concurrent inbox puts and commits are queued
//! here and whoever gets the write lock applies everything queued in one transaction, each write in its
//! own savepoint (a write whose checks fail is rolled back alone). Callers learn their result only once
//! that transaction has committed. A lone write takes the plain path: its own transaction.

use super::commit_sqlite::{commit_outcome, commit_script};
use super::inbox::{inbox_outcome, inbox_script};
use super::script::Script;
use super::writer::{Lease, Writer};
use super::{SqlStore, db_err};
use crate::domain::Millis;
use crate::domain::ports::{Commit, InboxPut, StoreError};
use sqlx::{AnyPool, AssertSqlSafe, Executor};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use tokio::sync::oneshot;

/// A write that can share a transaction with others.
#[derive(Debug)]
pub(super) enum Job {
    Inbox {
        key: String,
        source: String,
        payload: String,
        now: Millis,
    },
    Commit(Box<Commit>),
}

#[derive(Debug)]
pub(super) enum Done {
    Inbox(InboxPut),
    Commit(Vec<i64>),
}

type Reply = oneshot::Sender<Result<Done, StoreError>>;

/// Writes waiting for the write lock, and how they were grouped.
#[derive(Debug)]
pub(super) struct Queue {
    waiting: Mutex<Vec<(Job, Reply)>>,
    /// The connection the groups are written on.
    pub(super) writer: Writer,
    batches: AtomicU64,
    jobs: AtomicU64,
}

impl Queue {
    pub(super) fn new(pool_size: u32) -> Queue {
        Queue {
            waiting: Mutex::default(),
            writer: Writer::new(pool_size),
            batches: AtomicU64::default(),
            jobs: AtomicU64::default(),
        }
    }
}

impl Job {
    fn script(&self, s: &mut Script) -> Result<(), StoreError> {
        match self {
            Job::Inbox {
                key,
                source,
                payload,
                now,
            } => {
                inbox_script(s, key, source, payload, *now);
                Ok(())
            }
            Job::Commit(c) => commit_script(s, c),
        }
    }

    fn outcome(&self, rows: &[(i64, i64)]) -> Result<Done, StoreError> {
        match self {
            Job::Inbox { key, .. } => inbox_outcome(key, rows).map(Done::Inbox),
            Job::Commit(c) => commit_outcome(c, rows).map(Done::Commit),
        }
    }
}

impl SqlStore {
    /// Applies `job` together with whatever other writes are waiting; returns once it is durable (or refused).
    pub(super) async fn submit(&self, job: Job) -> Result<Done, StoreError> {
        let lock = self
            .writer
            .clone()
            .expect("group commit runs on SQLite, which has a write lock");
        let (tx, mut rx) = oneshot::channel();
        self.group
            .waiting
            .lock()
            .expect("group queue")
            .push((job, tx));
        loop {
            tokio::select! {
                biased;
                done = &mut rx => {
                    return done.unwrap_or_else(|_| Err(StoreError::Unavailable("the group commit stopped before finishing".into())));
                }
                guard = lock.clone().lock_owned() => {
                    // An earlier holder of the lock may have applied our write: its result is in `rx` by now.
                    match rx.try_recv() {
                        Ok(done) => return done,
                        Err(oneshot::error::TryRecvError::Closed) => {
                            return Err(StoreError::Unavailable("the group commit stopped before finishing".into()));
                        }
                        // Not applied yet, so it is in the queue, and we apply the queue.
                        Err(oneshot::error::TryRecvError::Empty) => {}
                    }
                    let batch = std::mem::take(&mut *self.group.waiting.lock().expect("group queue"));
                    self.group.batches.fetch_add(1, Ordering::Relaxed);
                    self.group.jobs.fetch_add(batch.len() as u64, Ordering::Relaxed);
                    if batch.len() == 1 {
                        // Only our own write (ours is in the batch): no one else depends on it, so no task of its own.
                        apply(&self.pool, &self.group.writer, batch).await;
                        drop(guard);
                        continue;
                    }
                    let (pool, group) = (self.pool.clone(), self.group.clone());
                    // Its own task: a caller that gives up must not leave the others' writes half done.
                    let run = tokio::spawn(async move {
                        apply(&pool, &group.writer, batch).await;
                        drop(guard);
                    });
                    if let Err(e) = run.await {
                        tracing::error!(error = %e, "a group commit task failed");
                    }
                }
            }
        }
    }

    /// How many transactions the group commit ran, and how many writes they held.
    pub fn group_commit_stats(&self) -> (u64, u64) {
        (
            self.group.batches.load(Ordering::Relaxed),
            self.group.jobs.load(Ordering::Relaxed),
        )
    }
}

async fn apply(pool: &AnyPool, writer: &Writer, batch: Vec<(Job, Reply)>) {
    let mut conn = match writer.lease(pool).await {
        Ok(c) => c,
        Err(e) => {
            let e = db_err(e);
            for (_, reply) in batch {
                let _ = reply.send(Err(e.clone()));
            }
            return;
        }
    };
    let (jobs, replies): (Vec<Job>, Vec<Reply>) = batch.into_iter().unzip();
    let results = if jobs.len() == 1 {
        vec![alone(&mut conn, &jobs[0]).await]
    } else {
        match together(&mut conn, &jobs).await {
            Ok(results) => results,
            Err(e) => {
                // Something other than a refused check failed: undo it all and give each write its own
                // transaction, so every caller gets its own true result.
                tracing::debug!(error = %e, "a group commit failed; applying its writes one by one");
                rollback(&mut conn).await;
                let mut results = Vec::with_capacity(jobs.len());
                for job in &jobs {
                    results.push(alone(&mut conn, job).await);
                }
                results
            }
        }
    };
    conn.finish();
    for (reply, result) in replies.into_iter().zip(results) {
        let _ = reply.send(result);
    }
}

async fn rollback(conn: &mut Lease<'_>) {
    if conn.conn().execute("ROLLBACK").await.is_err() {
        conn.poison();
    }
}

/// One write in its own transaction: an inbox put in autocommit (one round trip), a commit between
/// `BEGIN IMMEDIATE` and `COMMIT` (two).
async fn alone(conn: &mut Lease<'_>, job: &Job) -> Result<Done, StoreError> {
    let mut s = Script::default();
    let wrapped = matches!(job, Job::Commit(_));
    if wrapped {
        s.push("BEGIN IMMEDIATE;\n");
    }
    job.script(&mut s)?;
    let result = match s.query::<(i64, i64)>().fetch_all(&mut **conn.conn()).await {
        Ok(rows) => job.outcome(&rows),
        Err(e) => Err(db_err(e)),
    };
    if !wrapped {
        return result;
    }
    match result {
        Ok(done) => match conn.conn().execute("COMMIT").await {
            Ok(_) => Ok(done),
            Err(e) => {
                rollback(conn).await;
                Err(db_err(e))
            }
        },
        Err(e) => {
            rollback(conn).await;
            Err(e)
        }
    }
}

/// Several writes in one transaction, one round trip each plus one to open and one to commit. A
/// write whose checks fail (a conflict, an event already processed) is rolled back to its savepoint
/// and refused; any database error fails the whole group.
async fn together(
    conn: &mut Lease<'_>,
    jobs: &[Job],
) -> Result<Vec<Result<Done, StoreError>>, StoreError> {
    conn.conn()
        .execute("BEGIN IMMEDIATE")
        .await
        .map_err(db_err)?;
    let mut results = Vec::with_capacity(jobs.len());
    let mut pending = "";
    for job in jobs {
        let mut s = Script::default();
        s.push(pending);
        s.push("SAVEPOINT job;\n");
        if let Err(e) = job.script(&mut s) {
            // Nothing was sent for it.
            results.push(Err(e));
            continue;
        }
        let rows = s
            .query::<(i64, i64)>()
            .fetch_all(&mut **conn.conn())
            .await
            .map_err(db_err)?;
        let result = job.outcome(&rows);
        pending = if result.is_ok() {
            "RELEASE job;\n"
        } else {
            "ROLLBACK TO job;\nRELEASE job;\n"
        };
        results.push(result);
    }
    conn.conn()
        .execute(AssertSqlSafe(format!("{pending}COMMIT")))
        .await
        .map_err(db_err)?;
    Ok(results)
}

#[cfg(test)]
#[path = "group_tests.rs"]
mod tests;
