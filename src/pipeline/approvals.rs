//! Sign-off in the pipeline: requests become cards, clicks become votes (checked by the domain, stored
//! with a version check), approved actions run once through an executor, and the clock warns and expires.
//! Every path edits the card and is audited; the requester hears the outcome where they asked.

use super::approval_cards::{FINANCE_REPORT, card};
use super::{Handled, Outcome, Pipeline};
use crate::domain::approval::{Tick, Vote, VoteOutcome};
use crate::domain::human_duration;
use crate::domain::ports::{
    ApprovalWrite, AuditEntry, Commit, Outbound, OutboundOp, StoreError, Target,
};
use crate::domain::{
    Approval, ApprovalPolicy, ApprovalState, ChannelRole, Event, Millis, Platform, Reply,
};
use sha2::{Digest, Sha256};
use std::hash::{BuildHasher, Hasher};

/// What someone (or the system) asks to do.
#[derive(Debug, Clone)]
pub struct ApprovalRequest {
    pub kind: String,
    pub params: serde_json::Value,
    pub summary: String,
    pub reason: String,
    pub platform: Platform,
    /// The requester's user id on `platform` (`opsdesk` for the system).
    pub requester: String,
    pub channel: String,
    pub thread: Option<String>,
}

/// A random positive id that fits every backend's integer and JavaScript's.
fn new_id() -> i64 {
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_i64(crate::clock::now());
    ((h.finish() & ((1 << 53) - 1)) as i64).max(1)
}

/// SHA-256 of the kind and the canonical (key-sorted) parameters: the exact action signed off.
pub fn action_hash(kind: &str, params: &serde_json::Value) -> String {
    let digest = Sha256::digest(format!("{kind}\n{params}").as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The card for a request in its current state.
impl Pipeline {
    fn policy(&self, kind: &str) -> ApprovalPolicy {
        self.settings.approvals.policy(kind)
    }

    fn audit(a: &Approval, actor: &str, action: &str, detail: String, now: Millis) -> AuditEntry {
        AuditEntry {
            at: now,
            actor: actor.into(),
            action: action.into(),
            subject: format!("approval #{} ({} {})", a.id, a.kind, a.params),
            detail,
        }
    }

    /// The card's edit after a change.
    fn card_edit(&self, a: &Approval, now: Millis) -> Option<Outbound> {
        let target = a.card?;
        Some(Outbound {
            thread_title: None,
            platform: a.platform,
            channel: self.card_channel(a, &a.channel),
            thread: None,
            op: OutboundOp::Update {
                target: Target::Outbox(target),
            },
            reply: Reply::Card(card(a, &self.policy(&a.kind), now)),
        })
    }

    /// Approval cards go to the platform's internal channel, or where they were asked for; a digest's
    /// sign-off card is the digest itself, in the finance channel.
    fn card_channel(&self, a: &Approval, asked_in: &str) -> String {
        if a.kind == FINANCE_REPORT {
            return asked_in.to_string();
        }
        self.settings
            .channel_with_role(a.platform, ChannelRole::Internal)
            .unwrap_or(asked_in)
            .to_string()
    }

    /// A line for the requester, in the conversation where they asked (a digest's: its card's thread,
    /// so that a Flag opens a thread on the digest).
    fn tell_requester(a: &Approval, text: String) -> Outbound {
        let thread = match (a.kind.as_str(), a.card) {
            (FINANCE_REPORT, Some(card)) => Some(super::thread_of_card(card)),
            _ => a.thread.clone(),
        };
        Outbound {
            thread_title: Some(a.summary.clone()),
            platform: a.platform,
            channel: a.channel.clone(),
            thread,
            op: OutboundOp::Post,
            reply: Reply::text(text),
        }
    }

    /// Files a request, or returns the pending one for the very same action (`Err`).
    pub async fn request_approval(
        &self,
        r: ApprovalRequest,
        now: Millis,
    ) -> Result<Result<Approval, Approval>, StoreError> {
        self.request_approval_once(r, None, now).await
    }

    /// [`Self::request_approval`], committed with an inbox key so that it happens once however many
    /// replicas or retries ask (a scheduled digest).
    pub async fn request_approval_once(
        &self,
        r: ApprovalRequest,
        inbox_key: Option<String>,
        now: Millis,
    ) -> Result<Result<Approval, Approval>, StoreError> {
        let hash = action_hash(&r.kind, &r.params);
        if let Some(existing) = self
            .store
            .approvals(&[ApprovalState::Pending], 500)
            .await?
            .into_iter()
            .find(|a| a.action_hash == hash)
        {
            return Ok(Err(existing));
        }
        let policy = self.policy(&r.kind);
        let a = Approval {
            id: new_id(),
            kind: r.kind.clone(),
            params: r.params.to_string(),
            action_hash: hash,
            summary: r.summary,
            reason: if r.reason.trim().is_empty() {
                "(no reason given)".into()
            } else {
                r.reason
            },
            requested_by: format!("{}:{}", r.platform.as_str(), r.requester),
            platform: r.platform,
            channel: r.channel.clone(),
            thread: r.thread,
            card: None,
            state: ApprovalState::Pending,
            approved_by: vec![],
            decided_by: None,
            deny_reason: None,
            quorum: policy.quorum,
            allow_self: policy.allow_self,
            expires_at: now + policy.ttl_ms,
            warn_at: now + policy.ttl_ms - policy.warn_before_ms.min(policy.ttl_ms),
            warned: false,
            result: None,
            created_at: now,
            updated_at: now,
            version: 0,
        };
        let post = Outbound {
            thread_title: None,
            platform: a.platform,
            channel: self.card_channel(&a, &r.channel),
            thread: None,
            op: OutboundOp::Post,
            reply: Reply::Card(card(&a, &policy, now)),
        };
        let audit = vec![Self::audit(
            &a,
            &a.requested_by,
            "approval.requested",
            a.reason.clone(),
            now,
        )];
        let ids = self
            .commit(Commit {
                inbox_key,
                outbox: vec![post],
                audit,
                approval: Some(ApprovalWrite::Insert(a.clone())),
                now,
                ..Default::default()
            })
            .await?;
        Ok(Ok(Approval {
            card: ids.first().copied(),
            ..a
        }))
    }

    pub(super) async fn on_approval_click(
        &self,
        ev: &Event,
        action: &str,
        value: &str,
        input: Option<&str>,
        now: Millis,
    ) -> Result<Handled, StoreError> {
        let vote = match action {
            "approval.approve" => Vote::Approve,
            "approval.deny" => Vote::Deny(input.map(str::to_string)),
            _ => return Ok(Handled::Ignored("unknown approval button")),
        };
        let Some(mut a) = (match value.parse::<i64>() {
            Ok(id) => self.store.approval(id).await?,
            Err(_) => None,
        }) else {
            return Ok(Handled::Ignored("button names no approval"));
        };
        let policy = self.policy(&a.kind);
        let voter = format!("{}:{}", ev.platform.as_str(), ev.user);
        let outcome = a.vote(&policy, ev.platform, &ev.user, &ev.roles, vote, now);
        let private = |text: String| super::private(ev, Reply::text(text));
        let mut c = Commit {
            inbox_key: Some(ev.inbox_key()),
            now,
            ..Default::default()
        };
        let (audit_action, changed) = match &outcome {
            VoteOutcome::NotAnApprover => {
                c.outbox.push(private(format!(
                    "You are not an approver for {} actions ({}).",
                    a.kind,
                    policy.describe()
                )));
                ("approval.refused", false)
            }
            VoteOutcome::OwnRequest => {
                c.outbox.push(private(
                    "You asked for this one; someone else has to approve it.".into(),
                ));
                ("approval.refused", false)
            }
            VoteOutcome::AlreadyVoted => {
                c.outbox.push(private(format!(
                    "Your approval is already counted ({} of {}).",
                    a.approved_by.len(),
                    a.quorum
                )));
                ("approval.repeated", false)
            }
            VoteOutcome::AlreadyDecided { state, by } => {
                let who = by
                    .as_deref()
                    .map(|b| format!(" by {b}"))
                    .unwrap_or_default();
                c.outbox.push(private(format!(
                    "Too late: request #{} was already {}{who}.",
                    a.id,
                    state.as_str()
                )));
                ("approval.late", false)
            }
            VoteOutcome::Expired => {
                c.outbox
                    .push(private(format!("Too late: request #{} has expired.", a.id)));
                c.outbox.push(Self::tell_requester(
                    &a,
                    format!(
                        "⌛ Your request #{} ({}) expired without sign-off.",
                        a.id, a.summary
                    ),
                ));
                ("approval.expired", true)
            }
            VoteOutcome::Counted { have, need } => {
                c.outbox
                    .push(private(format!("Counted: {have} of {need} approvals.")));
                ("approval.approved_partly", true)
            }
            VoteOutcome::Approved => ("approval.approved", true),
            VoteOutcome::Denied => {
                let why = a
                    .deny_reason
                    .as_deref()
                    .map(|r| format!(": {r}"))
                    .unwrap_or_default();
                c.outbox.push(Self::tell_requester(
                    &a,
                    format!(
                        "❌ Your request #{} ({}) was denied by {voter}{why}",
                        a.id, a.summary
                    ),
                ));
                ("approval.denied", true)
            }
        };
        c.audit.push(Self::audit(
            &a,
            &voter,
            audit_action,
            format!("{outcome:?}"),
            now,
        ));
        if changed {
            c.outbox.extend(self.card_edit(&a, now));
            c.approval = Some(ApprovalWrite::Update(a.clone()));
        }
        let ids = self.commit(c).await?;
        if outcome == VoteOutcome::Approved {
            let me = self.clone();
            let id = a.id;
            tokio::spawn(async move {
                if let Err(e) = me.execute_approval(id).await {
                    tracing::error!(approval = id, error = %e, "executing an approved action failed to record");
                }
            });
        }
        Ok(Handled::Done(Outcome {
            outbox: ids,
            ..Outcome::empty()
        }))
    }

    /// Runs an approved action once: only the task that moves it from approved to executing runs it.
    pub async fn execute_approval(&self, id: i64) -> Result<(), StoreError> {
        let Some(mut a) = self.store.approval(id).await? else {
            return Ok(());
        };
        let now = crate::clock::now();
        if !a.start(now) {
            return Ok(());
        }
        let mut c = Commit {
            approval: Some(ApprovalWrite::Update(a.clone())),
            now,
            ..Default::default()
        };
        c.outbox.extend(self.card_edit(&a, now));
        c.audit.push(Self::audit(
            &a,
            "opsdesk",
            "approval.executing",
            String::new(),
            now,
        ));
        match self.commit(c).await {
            Err(StoreError::Conflict(_)) => return Ok(()), // another task or replica is running it
            other => other?,
        };
        a.version += 1;
        let done = crate::exec::run(&self.settings, &a).await;
        let now = crate::clock::now();
        a.finish(done.ok, done.result.clone(), now);
        let mut c = Commit {
            approval: Some(ApprovalWrite::Update(a.clone())),
            now,
            ..Default::default()
        };
        c.outbox.extend(self.card_edit(&a, now));
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
                "approval.executed"
            } else {
                "approval.failed"
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
            let mut c = Commit {
                approval: Some(ApprovalWrite::Update(a.clone())),
                now,
                ..Default::default()
            };
            c.outbox.extend(self.card_edit(&a, now));
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
                        "approval.expired",
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
            let mut c = Commit {
                approval: Some(ApprovalWrite::Update(a.clone())),
                now,
                ..Default::default()
            };
            c.outbox.extend(self.card_edit(&a, now));
            c.audit.push(Self::audit(
                &a,
                "opsdesk",
                "approval.failed",
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
