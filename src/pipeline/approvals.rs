//! Sign-off requests: an exact action (kind + parameters, hashed) becomes a card under its policy; the
//! same action asked twice is one request. Votes are in `approval_votes.rs`, execution and the clock in
//! `approval_runs.rs`. Every path edits the card and is audited; the requester hears where they asked.

use super::Pipeline;
use super::approval_cards::card;
use crate::domain::ApprovalKind;
use crate::domain::AuditAction;
use crate::domain::audit::ApprovalStep;
use crate::domain::ports::{
    ApprovalWrite, AuditEntry, Commit, Outbound, OutboundOp, StoreError, Target,
};
use crate::domain::{
    Approval, ApprovalPolicy, ApprovalState, ChannelRole, Millis, Platform, Reply,
};
use sha2::{Digest, Sha256};
use std::hash::{BuildHasher, Hasher};

/// What someone (or the system) asks to do.
#[derive(Debug, Clone)]
pub struct ApprovalRequest {
    pub kind: ApprovalKind,
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
pub fn action_hash(kind: ApprovalKind, params: &serde_json::Value) -> String {
    let digest = Sha256::digest(format!("{kind}\n{params}").as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The card for a request in its current state.
impl Pipeline {
    pub(super) fn policy(&self, kind: ApprovalKind) -> ApprovalPolicy {
        self.settings.approvals.policy(kind.name())
    }

    pub(super) fn audit(
        a: &Approval,
        actor: &str,
        step: ApprovalStep,
        detail: String,
        now: Millis,
    ) -> AuditEntry {
        metrics::counter!(
            "opsdesk_approval_steps_total",
            "kind" => a.kind.name(),
            "step" => step.name()
        )
        .increment(1);
        AuditEntry {
            at: now,
            actor: actor.into(),
            action: AuditAction::Approval(step),
            subject: format!("approval #{} ({} {})", a.id, a.kind, a.params),
            detail,
        }
    }

    /// A commit that writes the changed request and edits its card.
    pub(super) fn approval_change(&self, a: &Approval, now: Millis) -> Commit {
        Commit {
            approval: Some(ApprovalWrite::Update(a.clone())),
            outbox: self.card_edit(a, now).into_iter().collect(),
            now,
            ..Default::default()
        }
    }

    /// The card's edit after a change.
    pub(super) fn card_edit(&self, a: &Approval, now: Millis) -> Option<Outbound> {
        let target = a.card?;
        Some(Outbound {
            thread_title: None,
            platform: a.platform,
            channel: self.card_channel(a, &a.channel),
            thread: None,
            op: OutboundOp::Update {
                target: Target::Outbox(target),
            },
            reply: Reply::Card(card(a, &self.policy(a.kind), now)),
        })
    }

    /// Approval cards go to the platform's internal channel, or where they were asked for; a digest's
    /// sign-off card is the digest itself, in the finance channel.
    fn card_channel(&self, a: &Approval, asked_in: &str) -> String {
        if matches!(a.kind, ApprovalKind::FinanceReport | ApprovalKind::KbEntry) {
            return asked_in.to_string();
        }
        self.settings
            .channel_with_role(a.platform, ChannelRole::Internal)
            .unwrap_or(asked_in)
            .to_string()
    }

    /// A line for the requester, in the conversation where they asked (a digest's: its card's thread,
    /// so that a Flag opens a thread on the digest).
    pub(super) fn tell_requester(a: &Approval, text: String) -> Outbound {
        let thread = match (a.kind, a.card) {
            (ApprovalKind::FinanceReport, Some(card)) => Some(super::thread_of_card(card)),
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
        let hash = action_hash(r.kind, &r.params);
        if let Some(existing) = self
            .store
            .approvals(&[ApprovalState::Pending], 500)
            .await?
            .into_iter()
            .find(|a| a.action_hash == hash)
        {
            return Ok(Err(existing));
        }
        let policy = self.policy(r.kind);
        let a = Approval {
            id: new_id(),
            kind: r.kind,
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
        // A docs draft is offered in the thread of the escalation card it came from.
        let thread = (a.kind == ApprovalKind::KbEntry)
            .then(|| a.thread.clone())
            .flatten();
        let post = Outbound {
            thread_title: None,
            platform: a.platform,
            channel: self.card_channel(&a, &r.channel),
            thread,
            op: OutboundOp::Post,
            reply: Reply::Card(card(&a, &policy, now)),
        };
        let audit = vec![Self::audit(
            &a,
            &a.requested_by,
            ApprovalStep::Requested,
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
}
