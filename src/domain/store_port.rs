//! The store's port: its traits (inbox, tickets, outbox, approvals, alerts, finance, usage, audit),
//! the atomic [`Commit`] every desk decision is written with, and the errors it reports.

pub use super::alert_port::{AlertStore, AlertWrite, StormWrite};
use super::ports::Outbound;
use super::{Approval, ApprovalState, AuditAction, Millis, Platform, Ticket, TicketState};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    #[error("not found: {0}")]
    NotFound(String),
    /// Someone else changed the row first (optimistic concurrency); re-read and retry.
    #[error("conflict: {0}")]
    Conflict(String),
    /// The event was already processed (a redelivery that raced its first delivery): nothing changed.
    #[error("already processed: {0}")]
    AlreadyProcessed(String),
    #[error("database unavailable: {0}")]
    Unavailable(String),
    #[error("database error: {0}")]
    Other(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InboxPut {
    New,
    /// Stored earlier but never processed (a crash, or a redelivery racing the first delivery).
    Unprocessed,
    /// Stored and processed before: a redelivery to ignore.
    Duplicate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Customer {
    pub platform: Platform,
    pub user_id: String,
    pub account_id: String,
    pub vip: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TicketMessage {
    pub author_kind: String,
    pub author: String,
    pub text: String,
    pub at: Millis,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    pub at: Millis,
    pub actor: String,
    pub action: AuditAction,
    pub subject: String,
    pub detail: String,
}

/// Everything one handled event changes, applied atomically: the ticket (checked against its version),
/// the conversation, the outbox and the audit log, and the inbox row marked processed.
#[derive(Debug, Clone, Default)]
pub struct Commit {
    pub inbox_key: Option<String>,
    /// The event behind `inbox_key`, when it was handled before being stored (offline, in one write):
    /// the commit stores it already processed — or, if a redelivery stored it first, marks that row.
    pub unstored: Option<UnstoredEvent>,
    pub ticket: Option<Ticket>,
    /// `ticket` is new (see [`Ticket::open`]): it is inserted, and the commit is a conflict when its
    /// thread already has a ticket (another message of the thread won the race).
    pub opens_ticket: bool,
    pub messages: Vec<(i64, TicketMessage)>,
    pub outbox: Vec<Outbound>,
    pub audit: Vec<AuditEntry>,
    /// A sign-off request created (its card is this commit's first outbox row) or changed (version-checked).
    pub approval: Option<ApprovalWrite>,
    /// An alert group created or changed.
    pub alert: Option<AlertWrite>,
    /// A channel's storm card started or folded into.
    pub storm: Option<StormWrite>,
    /// Questions the knowledge base could not answer.
    pub gaps: Vec<super::gaps::KbGap>,
    pub now: Millis,
}

/// An inbox row written by the commit that handles it: where it came from and what it was.
#[derive(Debug, Clone)]
pub struct UnstoredEvent {
    pub source: String,
    pub payload: String,
}

#[derive(Debug, Clone)]
pub enum ApprovalWrite {
    Insert(Approval),
    Update(Approval),
}

/// A claimed outbox row.
#[derive(Debug, Clone, PartialEq)]
pub struct OutboxItem {
    pub id: i64,
    pub attempts: i64,
    pub msg: Outbound,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct TicketFilter {
    pub states: Vec<TicketState>,
    pub limit: i64,
}

/// Per-tier support figures since a point in time.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct TierStats {
    pub tier: String,
    pub tickets: i64,
    pub resolved: i64,
    pub avg_first_response_ms: Option<f64>,
    pub avg_resolve_ms: Option<f64>,
    pub cost_micros: i64,
    /// Customer ratings (1–5) received, and their average.
    pub ratings: i64,
    pub avg_csat: Option<f64>,
    /// Tickets handed to a person (the rest were the bot's alone).
    pub escalated: i64,
    /// Tickets whose first-response target passed before a person answered.
    pub sla_breached: i64,
}

/// Inbound events, persisted before they are acknowledged.
#[async_trait]
pub trait InboxStore: Send + Sync {
    /// Persists an inbound event; `Duplicate` when its key was seen and processed before,
    /// `Unprocessed` when it was seen but never processed.
    async fn inbox_put(
        &self,
        key: &str,
        source: &str,
        payload: &str,
        now: Millis,
    ) -> Result<InboxPut, StoreError>;
    /// Events stored but never processed (a crash between ack and handling), oldest first.
    async fn inbox_unprocessed(
        &self,
        older_than: Millis,
        limit: i64,
    ) -> Result<Vec<(String, String)>, StoreError>;
    async fn inbox_mark(
        &self,
        key: &str,
        now: Millis,
        error: Option<&str>,
    ) -> Result<(), StoreError>;
    /// Deletes up to `limit` events processed before `processed_before`, oldest stored first; returns
    /// how many. Unprocessed events are never deleted.
    async fn inbox_prune(&self, processed_before: Millis, limit: i64) -> Result<u64, StoreError>;
    /// The newest message id seen in a channel or thread (platforms whose ids grow with time), from
    /// which a restart fetches what it missed.
    async fn cursor(&self, platform: Platform, channel: &str) -> Result<Option<i64>, StoreError>;
    /// Moves a channel's cursor forward to `id`; never back.
    async fn cursor_advance(
        &self,
        platform: Platform,
        channel: &str,
        id: i64,
    ) -> Result<(), StoreError>;
}

/// Tickets, their conversations and linked customers.
#[async_trait]
pub trait TicketStore: Send + Sync {
    async fn customer(
        &self,
        platform: Platform,
        user_id: &str,
    ) -> Result<Option<Customer>, StoreError>;
    async fn link_customer(&self, c: &Customer, now: Millis) -> Result<(), StoreError>;
    /// Links a chat user to a Stripe customer (`Some`) or removes the link (`None`), with its audit
    /// entry, in one write; whether anything changed.
    async fn set_customer_link(
        &self,
        platform: Platform,
        user_id: &str,
        account: Option<&str>,
        audit: &AuditEntry,
        now: Millis,
    ) -> Result<bool, StoreError>;
    /// The ticket for a thread, if one was opened.
    async fn find_ticket(&self, key: &ThreadKey<'_>) -> Result<Option<Ticket>, StoreError>;
    /// An id for a ticket about to be opened (by a [`Commit`] with `opens_ticket`); never handed out twice.
    async fn new_ticket_id(&self) -> Result<i64, StoreError>;
    async fn ticket(&self, id: i64) -> Result<Option<Ticket>, StoreError>;
    async fn tickets(&self, filter: &TicketFilter) -> Result<Vec<Ticket>, StoreError>;
    async fn ticket_messages(&self, id: i64) -> Result<Vec<TicketMessage>, StoreError>;
    async fn ticket_counts(&self) -> Result<Vec<(TicketState, i64)>, StoreError>;
    /// Per-tier figures of the tickets opened in `[since, until)`.
    async fn tier_stats(&self, since: Millis, until: Millis) -> Result<Vec<TierStats>, StoreError>;
    /// Applies a commit atomically; returns the new outbox ids in order. `Conflict` if the ticket moved
    /// on; `AlreadyProcessed` if the commit's inbox event was marked processed by someone else first.
    async fn commit(&self, c: Commit) -> Result<Vec<i64>, StoreError>;
}

/// Outbound messages waiting for delivery.
#[async_trait]
pub trait OutboxStore: Send + Sync {
    /// Leases up to `limit` due rows to `owner`, oldest first.
    async fn outbox_claim(
        &self,
        owner: &str,
        now: Millis,
        lease_ms: i64,
        limit: i64,
    ) -> Result<Vec<OutboxItem>, StoreError>;
    async fn outbox_sent(
        &self,
        id: i64,
        platform_ref: Option<&str>,
        now: Millis,
    ) -> Result<(), StoreError>;
    async fn outbox_retry(
        &self,
        id: i64,
        not_before: Millis,
        error: &str,
    ) -> Result<(), StoreError>;
    async fn outbox_failed(&self, id: i64, error: &str) -> Result<(), StoreError>;
    /// Puts a claimed row back until `not_before` without counting the attempt (rate limits, ordering).
    async fn outbox_defer(&self, id: i64, not_before: Millis, why: &str) -> Result<(), StoreError>;
    /// What was delivered as platform message `platform_ref` in `channel` (to edit a card in place).
    async fn outbox_delivered(
        &self,
        platform: Platform,
        channel: &str,
        platform_ref: &str,
    ) -> Result<Option<Outbound>, StoreError>;
    /// The platform id of a delivered row (None until delivered).
    async fn outbox_ref(&self, id: i64) -> Result<Option<String>, StoreError>;
    /// Rows not yet delivered.
    async fn outbox_depth(&self) -> Result<i64, StoreError>;
}

/// Sign-off requests (written through [`Commit::approval`]).
#[async_trait]
pub trait ApprovalStore: Send + Sync {
    async fn approval(&self, id: i64) -> Result<Option<Approval>, StoreError>;
    /// Newest first; all states when `states` is empty.
    async fn approvals(
        &self,
        states: &[ApprovalState],
        limit: i64,
    ) -> Result<Vec<Approval>, StoreError>;
    /// Pending requests whose warning or expiry time has come.
    async fn approvals_due(&self, now: Millis) -> Result<Vec<Approval>, StoreError>;
}

/// The finance ledger.
#[async_trait]
pub trait FinanceStore: Send + Sync {
    /// Applies an event's records, queues the messages it causes and marks its inbox row processed,
    /// atomically; `AlreadyProcessed` if another delivery did first. Returns the outbox ids.
    async fn finance_apply(
        &self,
        event: &str,
        records: &[super::finance::Record],
        outbox: &[Outbound],
        inbox_key: Option<&str>,
        now: Millis,
    ) -> Result<Vec<i64>, StoreError>;
    async fn finance_ledger(&self) -> Result<super::finance::Ledger, StoreError>;
}

/// The append-only audit log.
/// One agent's calls for one piece of work (a ticket's answer, a summary, an assistant reply).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct LlmUsage {
    pub at: Millis,
    pub agent: String,
    pub ticket: Option<i64>,
    pub calls: i64,
    pub input_tokens: i64,
    pub output_tokens: i64,
    pub cost_micros: i64,
    /// What came of it (`grounded`, `not grounded`, `summary`…).
    pub outcome: String,
}

/// LLM spending, for cost per ticket and the monthly budgets.
#[async_trait]
pub trait UsageStore: Send + Sync {
    /// Records the usage, adds its cost to its ticket's, and writes `audit`, in one transaction.
    async fn llm_usage(&self, u: &LlmUsage, audit: &AuditEntry) -> Result<(), StoreError>;
    /// What the agent has spent since `since`, in micro-dollars.
    async fn llm_spend(&self, agent: &str, since: Millis) -> Result<i64, StoreError>;
    /// Tokens (prompt + completion) the agent has used on the ticket.
    async fn llm_ticket_tokens(&self, agent: &str, ticket: i64) -> Result<i64, StoreError>;
    /// Totals per agent since `since` (`at` and `ticket` unset; `outcome` empty).
    async fn llm_totals(&self, since: Millis) -> Result<Vec<LlmUsage>, StoreError>;
}

/// Questions the knowledge base could not answer (written through [`Commit::gaps`]).
#[async_trait]
pub trait GapStore: Send + Sync {
    /// Gaps recorded at or after `since`, newest first, at most `limit`.
    async fn kb_gaps(
        &self,
        since: Millis,
        limit: i64,
    ) -> Result<Vec<super::gaps::KbGap>, StoreError>;
}

#[async_trait]
pub trait AuditStore: Send + Sync {
    async fn audit(&self, e: &AuditEntry) -> Result<(), StoreError>;
    async fn audit_recent(&self, n: i64) -> Result<Vec<AuditEntry>, StoreError>;
    /// How many entries of `action` were written at or after `since`.
    async fn audit_count(&self, action: &AuditAction, since: Millis) -> Result<i64, StoreError>;
}

/// The whole store, one object over SQLite or Postgres.
#[async_trait]
pub trait Store:
    InboxStore
    + TicketStore
    + OutboxStore
    + AuditStore
    + ApprovalStore
    + AlertStore
    + FinanceStore
    + UsageStore
    + GapStore
{
    /// The backend's name ("SQLite" or "PostgreSQL").
    fn backend(&self) -> &str;
    async fn ping(&self) -> Result<(), StoreError>;
    /// The work in flight, counted by the database (one round trip, whatever the table sizes).
    async fn gauges(&self) -> Result<Gauges, StoreError>;
    /// Takes or renews the lease `name` for `holder` until `now + ttl_ms`: `true` when `holder` holds it
    /// (it was free, expired, or already its own), `false` while another holder's is unexpired.
    async fn lease(
        &self,
        name: &str,
        holder: &str,
        ttl_ms: i64,
        now: Millis,
    ) -> Result<bool, StoreError>;
    /// Gives the lease up at once (a clean stop), if `holder` holds it.
    async fn lease_release(&self, name: &str, holder: &str) -> Result<(), StoreError>;
}

/// What `/metrics` shows of the work in flight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Gauges {
    /// Outbound messages not yet delivered (pending or being sent).
    pub outbox_undelivered: i64,
    /// Inbound events stored but not yet processed.
    pub inbox_unprocessed: i64,
    pub approvals_pending: i64,
    pub alert_groups_firing: i64,
}

/// Identifies a conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThreadKey<'a> {
    pub platform: Platform,
    pub channel: &'a str,
    pub thread: &'a str,
}
