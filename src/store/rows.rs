//! Row types for sqlx (kept out of the domain) and their conversion to domain types.

use crate::domain::AuditAction;
use crate::domain::ports::{AuditEntry, StoreError};
use crate::domain::{Platform, Ticket, TicketState, Tier};

/// The column list `TicketRow` decodes, in order.
pub const TICKET_COLUMNS: &str = "id, platform, channel, thread, customer, state, tier, confidence, subject, bot_turns, \
     opened_at, first_response_at, resolved_at, updated_at, claimed_by, escalated_at, human_response_at, csat, priority, sla_stage, triage_offline, triage_llm, prompt_version, version";

#[derive(sqlx::FromRow)]
pub struct TicketRow {
    id: i64,
    platform: String,
    channel: String,
    thread: String,
    customer: String,
    state: String,
    tier: Option<String>,
    confidence: Option<f64>,
    subject: String,
    bot_turns: i64,
    opened_at: i64,
    first_response_at: Option<i64>,
    resolved_at: Option<i64>,
    updated_at: i64,
    claimed_by: Option<String>,
    escalated_at: Option<i64>,
    human_response_at: Option<i64>,
    csat: Option<i64>,
    priority: Option<String>,
    sla_stage: i64,
    triage_offline: Option<String>,
    triage_llm: Option<String>,
    prompt_version: Option<String>,
    version: i64,
}

impl TryFrom<TicketRow> for Ticket {
    type Error = StoreError;

    fn try_from(r: TicketRow) -> Result<Ticket, StoreError> {
        let corrupt = |what: &str, v: &str| {
            StoreError::Other(format!("ticket {} has an unknown {what} {v:?}", r.id))
        };
        Ok(Ticket {
            id: r.id,
            platform: Platform::parse(&r.platform)
                .ok_or_else(|| corrupt("platform", &r.platform))?,
            state: TicketState::parse(&r.state).ok_or_else(|| corrupt("state", &r.state))?,
            tier: match &r.tier {
                Some(t) => Some(Tier::parse(t).ok_or_else(|| corrupt("tier", t))?),
                None => None,
            },
            channel: r.channel,
            thread: r.thread,
            customer: r.customer,
            confidence: r.confidence,
            subject: r.subject,
            bot_turns: r.bot_turns,
            opened_at: r.opened_at,
            first_response_at: r.first_response_at,
            resolved_at: r.resolved_at,
            updated_at: r.updated_at,
            claimed_by: r.claimed_by,
            escalated_at: r.escalated_at,
            human_response_at: r.human_response_at,
            csat: r.csat,
            priority: r.priority,
            sla_stage: r.sla_stage,
            // Opinions are a record, not state: one that no longer parses is dropped, not fatal.
            triage_offline: r
                .triage_offline
                .as_deref()
                .and_then(|j| serde_json::from_str(j).ok()),
            triage_llm: r
                .triage_llm
                .as_deref()
                .and_then(|j| serde_json::from_str(j).ok()),
            prompt_version: r.prompt_version,
            version: r.version,
        })
    }
}

#[derive(sqlx::FromRow)]
pub struct AuditRow {
    at: i64,
    actor: String,
    action: String,
    subject: String,
    detail: String,
}

impl From<AuditRow> for AuditEntry {
    fn from(r: AuditRow) -> AuditEntry {
        AuditEntry {
            at: r.at,
            actor: r.actor,
            action: AuditAction::parse(&r.action),
            subject: r.subject,
            detail: r.detail,
        }
    }
}
