//! The pipeline: inbox (persist + dedup) → route by channel role and event kind → desk decision →
//! one atomic commit (ticket, conversation, outbox, audit, inbox marked processed).

mod agents;
pub use agents::month_of;
mod alert_actions;
mod alert_cards;
mod alert_storms;
mod assistant;
pub use alert_cards::thread_of_card;
pub use assistant::{Asker, OFFLINE as ASSISTANT_OFFLINE};
mod alerts;
mod approval_cards;
mod approval_runs;
mod approval_votes;
mod approvals;
mod ignored;
mod links;
pub use approvals::{ApprovalRequest, action_hash};
mod clicks;
mod command;
pub use command::{CommandCtx, CommandRunner};
mod desk;
mod digests;
mod escalation;
pub use digests::SCHEDULE_PREFIX;
mod finance;
mod gaps;
mod grounding;
mod kb_drafts;
mod sla;
mod support;
mod support_digests;
mod tier1;
mod tier2;
mod triage;

use crate::config::Settings;
use crate::domain::ChannelRole;
use crate::domain::ports::{
    AuditEntry, Commit, InboxPut, KnowledgeBase, Outbound, OutboundOp, Store, StoreError,
    UnstoredEvent,
};
use crate::domain::{Citation, Event, EventKind, Millis, Reply, Tier};
use crate::prompts::Templates;
use crate::triage::Triager;
use serde::Serialize;
use std::sync::Arc;
use tokio::sync::Notify;

/// What handling one event amounted to.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Outcome {
    pub tier: Option<Tier>,
    pub confidence: Option<f64>,
    pub answer: Option<String>,
    /// What was presented as the answer (nothing else).
    pub citations: Vec<Citation>,
    /// Every page offered when a person takes over, never as the answer: the known issues named
    /// first, then related pages that may help.
    pub suggestions: Vec<Citation>,
    /// Of the suggestions, the known-issue pages a problem report was matched to ("This looks like
    /// a known issue: …").
    pub known_issues: Vec<Citation>,
    pub escalated: bool,
    pub ticket: Option<i64>,
    pub outbox: Vec<i64>,
}

/// What [`Pipeline::accept`] decided.
#[derive(Debug, Clone, PartialEq)]
pub enum Accepted {
    /// Stored and not yet processed: process it (after acknowledging it, where the platform asks).
    Process,
    /// Nothing more to do.
    Skip(Handled),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Handled {
    /// Seen before (a redelivery): nothing done.
    Duplicate,
    /// Nothing to do, and why.
    Ignored(&'static str),
    /// Spam or promotion, and what gave it away: stored with an audit entry (`spam_ignored`, which
    /// `/ops metrics` counts), then reported as `Ignored("spam")`.
    Spam(String),
    Done(Outcome),
}

/// Everything the pipeline needs, built once at start-up.
#[derive(Clone)]
pub struct Pipeline {
    pub store: Arc<dyn Store>,
    pub kb: Arc<dyn KnowledgeBase>,
    pub triager: Arc<Triager>,
    pub templates: Arc<Templates>,
    pub settings: Arc<Settings>,
    /// Woken after every commit that queued outbound messages.
    pub outbox_ready: Arc<Notify>,
    /// Names of the connected platforms, for `/ops status`.
    pub connected: Arc<Vec<String>>,
    /// The LLM behind the agents that have an endpoint (`None`: everything offline).
    pub llm: Option<Arc<dyn crate::domain::ports::Llm>>,
    /// What runs `/ops …` (the `commands` module, wired in at start-up).
    pub commands: Arc<dyn CommandRunner>,
}

const CONFLICT_RETRIES: usize = 5;

/// One event's outcome in `opsdesk_events_total`.
fn count_event(ev: &Event, r: &Result<Handled, StoreError>) {
    let kind = match ev.kind {
        EventKind::MessagePosted { .. } => "message",
        EventKind::ButtonClicked { .. } => "click",
        EventKind::CommandInvoked { .. } => "command",
    };
    let outcome = match r {
        Ok(Handled::Duplicate) => "duplicate",
        Ok(Handled::Spam(_)) | Ok(Handled::Ignored("spam")) => "spam",
        Ok(Handled::Ignored(_)) => "ignored",
        Ok(Handled::Done(_)) => "done",
        Err(_) => "error",
    };
    metrics::counter!(
        "opsdesk_events_total",
        "platform" => ev.platform.as_str(),
        "kind" => kind,
        "outcome" => outcome
    )
    .increment(1);
}

/// A reply only the event's author sees, where the event happened.
pub(crate) fn private(ev: &Event, reply: Reply) -> Outbound {
    Outbound {
        thread_title: None,
        platform: ev.platform,
        channel: ev.channel.clone(),
        thread: ev.thread.clone(),
        op: OutboundOp::Ephemeral {
            user: ev.user.clone(),
            interaction: ev.interaction.clone(),
        },
        reply,
    }
}

impl Pipeline {
    /// Answers an event with `out` (and `audit`) in the commit that marks it processed; the rows'
    /// outbox ids.
    pub(crate) async fn reply_to(
        &self,
        ev: &Event,
        out: Outbound,
        audit: Vec<AuditEntry>,
        now: Millis,
    ) -> Result<Vec<i64>, StoreError> {
        self.commit(Commit {
            inbox_key: Some(ev.inbox_key()),
            outbox: vec![out],
            audit,
            now,
            ..Default::default()
        })
        .await
    }

    /// Persists the event (deduplicating on its key), then processes it. An event [`Self::in_one_write`]
    /// is processed first and stored by the commit that records its outcome.
    pub async fn handle(&self, ev: Event, now: Millis) -> Result<Handled, StoreError> {
        if self.in_one_write(&ev) {
            return self.handle_in_one_write(&ev, now).await;
        }
        match self.accept(&ev, now).await? {
            Accepted::Process => self.process(&ev, now).await,
            Accepted::Skip(h) => Ok(h),
        }
    }

    /// The part of handling that must happen before an event is acknowledged: it is stored (or found
    /// to be a redelivery). Returns whether it still needs processing.
    pub async fn accept(&self, ev: &Event, now: Millis) -> Result<Accepted, StoreError> {
        if let EventKind::MessagePosted { text, .. } = &ev.kind
            && text.trim().is_empty()
        {
            return Ok(Accepted::Skip(Handled::Ignored("empty message")));
        }
        let payload = serde_json::to_string(ev).map_err(|e| StoreError::Other(e.to_string()))?;
        Ok(
            match self
                .store
                .inbox_put(&ev.inbox_key(), ev.platform.as_str(), &payload, now)
                .await?
            {
                InboxPut::New | InboxPut::Unprocessed => Accepted::Process,
                InboxPut::Duplicate => {
                    count_event(ev, &Ok(Handled::Duplicate));
                    Accepted::Skip(Handled::Duplicate)
                }
            },
        )
    }

    /// Whether handling `ev` needs nothing but this process and the database: a customer's message
    /// with no LLM configured. Such an event is stored by the one write that records its outcome,
    /// instead of by an inbox put before processing and a commit after: a platform that waits for
    /// the acknowledgement (Slack) still gets it only once the event is stored, a sub-millisecond
    /// later, and a redelivery is refused by that write as before.
    pub fn in_one_write(&self, ev: &Event) -> bool {
        self.llm.is_none()
            && matches!(ev.kind, EventKind::MessagePosted { .. })
            && matches!(
                self.settings.channel_role(ev.platform, &ev.channel),
                Some(ChannelRole::Customer)
            )
    }

    /// [`Self::handle`] for an event [`Self::in_one_write`]: processed, then stored with its outcome.
    async fn handle_in_one_write(&self, ev: &Event, now: Millis) -> Result<Handled, StoreError> {
        if let EventKind::MessagePosted { text, .. } = &ev.kind
            && text.trim().is_empty()
        {
            return Ok(Handled::Ignored("empty message"));
        }
        let payload = serde_json::to_string(ev).map_err(|e| StoreError::Other(e.to_string()))?;
        let unstored = UnstoredEvent {
            source: ev.platform.as_str().into(),
            payload,
        };
        self.process_as(ev, Some(&unstored), now).await
    }

    /// Processes a stored event, retrying when a concurrent change to its ticket wins the race.
    pub async fn process(&self, ev: &Event, now: Millis) -> Result<Handled, StoreError> {
        self.process_as(ev, None, now).await
    }

    /// Processes an event; `unstored` is the event itself when no inbox put stored it yet. Counted in
    /// `opsdesk_events_total` by platform, kind and outcome.
    async fn process_as(
        &self,
        ev: &Event,
        unstored: Option<&UnstoredEvent>,
        now: Millis,
    ) -> Result<Handled, StoreError> {
        let r = self.process_retrying(ev, unstored, now).await;
        count_event(ev, &r);
        r
    }

    async fn process_retrying(
        &self,
        ev: &Event,
        unstored: Option<&UnstoredEvent>,
        now: Millis,
    ) -> Result<Handled, StoreError> {
        let mut attempt = 0;
        loop {
            let result = match &ev.kind {
                EventKind::MessagePosted { text, mentioned } => {
                    self.on_message(ev, text, *mentioned, attempt > 0, unstored, now)
                        .await
                }
                EventKind::ButtonClicked {
                    action,
                    value,
                    message,
                    input,
                } => {
                    self.on_button(ev, action, value, message, input.as_deref(), now)
                        .await
                }
                EventKind::CommandInvoked { name, args } => {
                    self.on_command(ev, name, args, now).await
                }
            };
            match result {
                Err(StoreError::Conflict(_)) if attempt < CONFLICT_RETRIES => attempt += 1,
                // Another task or replica handled the same event first.
                Err(StoreError::AlreadyProcessed(_)) => return Ok(Handled::Duplicate),
                Ok(Handled::Spam(why)) => return self.store_spam(ev, unstored, why, now).await,
                Ok(Handled::Ignored(why)) => {
                    return self.store_ignored(ev, unstored, why, now).await;
                }
                other => return other,
            }
        }
    }

    /// Deletes processed inbox events older than `store.inbox_retention_days`, in batches so that no
    /// single write holds the database long; returns how many.
    pub async fn prune_inbox(&self, now: Millis) -> Result<u64, StoreError> {
        const BATCH: i64 = 2_000;
        let before = now - self.settings.store.inbox_retention_days as Millis * 86_400_000;
        let mut total = 0;
        loop {
            let n = self.store.inbox_prune(before, BATCH).await?;
            total += n;
            if n < BATCH as u64 {
                return Ok(total);
            }
        }
    }

    /// Re-processes events that were stored but never handled (a crash between ack and commit).
    pub async fn recover(&self, older_than: Millis, now: Millis) -> Result<usize, StoreError> {
        let pending = self.store.inbox_unprocessed(older_than, 500).await?;
        let n = pending.len();
        for (key, payload) in pending {
            if let Some((name, slot)) = key
                .strip_prefix(SCHEDULE_PREFIX)
                .and_then(|k| k.split_once(':'))
            {
                // A digest whose firing was claimed but not sent (a crash in between).
                let sent = match slot.parse::<Millis>() {
                    Ok(slot) => match self.send_digest(name, slot, &key, now).await {
                        Ok(_) | Err(StoreError::AlreadyProcessed(_)) => Ok(()),
                        Err(e) => Err(e.to_string()),
                    },
                    Err(e) => Err(format!("bad schedule key: {e}")),
                };
                if let Err(e) = sent {
                    self.store.inbox_mark(&key, now, Some(&e)).await?;
                }
                continue;
            }
            if key.starts_with(crate::domain::keys::STRIPE_PREFIX) {
                // A stored Stripe event (verified when it was accepted).
                let result = match crate::finance::stripe::parse_event(payload.as_bytes()) {
                    Ok(e) => self
                        .on_stripe_event(&e, Some(key.clone()), now)
                        .await
                        .map(|_| ())
                        .map_err(|e| e.to_string()),
                    Err(e) => Err(e.to_string()),
                };
                if let Err(e) = result {
                    self.store.inbox_mark(&key, now, Some(&e)).await?;
                }
                continue;
            }
            if let Some((source, resource)) = crate::domain::keys::hook_source(&key) {
                // A stored alert webhook (validated when it was accepted).
                let result = match crate::alerts::parse(source, resource, payload.as_bytes()) {
                    Ok(batch) => self
                        .on_alert_batch(&batch, Some(key.clone()), now)
                        .await
                        .map(|_| ())
                        .map_err(|e| e.to_string()),
                    Err(e) => Err(e.to_string()),
                };
                if let Err(e) = result {
                    self.store.inbox_mark(&key, now, Some(&e)).await?;
                }
                continue;
            }
            match serde_json::from_str::<Event>(&payload) {
                Ok(ev) => {
                    if let Err(e) = self.process(&ev, now).await {
                        tracing::warn!(%key, error = %e, "recovering an inbox event failed");
                        self.store
                            .inbox_mark(&key, now, Some(&e.to_string()))
                            .await?;
                    }
                }
                Err(e) => {
                    self.store
                        .inbox_mark(&key, now, Some(&format!("unreadable event: {e}")))
                        .await?
                }
            }
        }
        Ok(n)
    }

    pub(crate) async fn commit(&self, c: Commit) -> Result<Vec<i64>, StoreError> {
        let queued = !c.outbox.is_empty();
        let ids = self.store.commit(c).await?;
        if queued {
            self.outbox_ready.notify_one();
        }
        Ok(ids)
    }
}
