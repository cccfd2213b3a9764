//! Approved actions run once (only the task that moves a request from approved to executing runs
//! it), and the clock warns before expiry, expires, and finishes what a crash left behind.

use super::Pipeline;
use crate::domain::approval::Tick;
use crate::domain::audit::ApprovalStep;
use crate::domain::human_duration;
use crate::domain::ports::StoreError;
use crate::domain::{ApprovalState, Millis};

impl Pipeline {
    /// Runs an approved action once: only the task that moves it from approved to executing runs it.
    pub async fn execute_approval(&self, id: i64) -> Result<(), StoreError> {
        let Some(mut a) = self.store.approval(id).await? else {
            return Ok(());
        };
        let now = crate::clock::now();
        if !a.start(now) {
            return Ok(());
        }
        let mut c = self.approval_change(&a, now);
        c.audit.push(Self::audit(
            &a,
            "opsdesk",
            ApprovalStep::Executing,
            String::new(),
            now,
        ));
        match self.commit(c).await {
            Err(StoreError::Conflict(_)) => return Ok(()), // another task or replica is running it
            other => other?,
        };
        a.version += 1;
        let mut done = crate::exec::run(&self.settings, &a).await;
        if done.ok && a.kind == crate::domain::ApprovalKind::KbEntry {
            // The page is written; the next customer asking the same thing gets it.
            let kb = self.kb.clone();
            let indexed = tokio::task::spawn_blocking(move || kb.reload())
                .await
                .unwrap_or_else(|e| Err(e.to_string()));
            done.result = match indexed {
                Ok(n) => format!("{}; indexed ({n} sections)", done.result),
                Err(e) => format!("{}; not indexed until restart: {e}", done.result),
            };
        }
        let now = crate::clock::now();
        if let Some(r) = done.refund.clone() {
            self.record_refund(r, now).await?;
        }
        a.finish(done.ok, done.result.clone(), now);
        let mut c = self.approval_change(&a, now);
        let verdict = if done.ok { "✅ done" } else { "⚠️ failed" };
        c.outbox.push(Self::tell_requester(
            &a,
            format!(
                "Your request #{} ({}) was approved and {verdict}: {}",
                a.id,
                a.summary,
                first_line(&done.result)
            ),
        ));
        c.audit.push(Self::audit(
            &a,
            "opsdesk",
            if done.ok {
                ApprovalStep::Executed
            } else {
                ApprovalStep::Failed
            },
            done.result,
            now,
        ));
        self.commit(c).await?;
        Ok(())
    }

    /// The clock: warnings and expiries that are due, approved actions not yet run (a crash after the
    /// approval), and runs cut off by a crash (marked failed, never run twice). Returns how many changed.
    pub async fn approvals_tick(&self, now: Millis) -> Result<usize, StoreError> {
        let mut n = 0;
        for mut a in self.store.approvals_due(now).await? {
            let Some(tick) = a.tick(now) else { continue };
            let mut c = self.approval_change(&a, now);
            match tick {
                Tick::Warn => c.outbox.push(Self::tell_requester(
                    &a,
                    format!(
                        "⏳ Request #{} ({}) expires in {} without sign-off.",
                        a.id,
                        a.summary,
                        human_duration(a.expires_at - now)
                    ),
                )),
                Tick::Expire => {
                    c.outbox.push(Self::tell_requester(
                        &a,
                        format!(
                            "⌛ Your request #{} ({}) expired without sign-off.",
                            a.id, a.summary
                        ),
                    ));
                    c.audit.push(Self::audit(
                        &a,
                        "opsdesk",
                        ApprovalStep::Expired,
                        String::new(),
                        now,
                    ));
                }
            }
            match self.commit(c).await {
                Err(StoreError::Conflict(_)) => continue, // a click got there first
                other => other?,
            };
            n += 1;
        }
        for a in self
            .store
            .approvals(&[ApprovalState::Approved], 100)
            .await?
        {
            self.execute_approval(a.id).await?;
            n += 1;
        }
        Ok(n)
    }

    /// At start-up: runs cut off by a crash are marked failed; an approved action is never run twice.
    pub async fn approvals_recover(&self, now: Millis) -> Result<usize, StoreError> {
        let stuck = self
            .store
            .approvals(&[ApprovalState::Executing], 100)
            .await?;
        for mut a in stuck.iter().cloned() {
            a.finish(
                false,
                "interrupted: opsdesk stopped while it ran; check its effect before asking again"
                    .into(),
                now,
            );
            let mut c = self.approval_change(&a, now);
            c.audit.push(Self::audit(
                &a,
                "opsdesk",
                ApprovalStep::Failed,
                "interrupted".into(),
                now,
            ));
            self.commit(c).await?;
        }
        Ok(stuck.len())
    }
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or("")
}
