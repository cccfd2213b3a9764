//! Which LLM agents may run now — configured, and within this month's budget — and what each call cost:
//! usage rows (per ticket, per agent), the audit entry, and the one notice when a budget runs out.

use super::Pipeline;
use crate::config::AgentSettings;
use crate::domain::AuditAction;
use crate::domain::ports::{
    AuditEntry, Commit, InboxPut, Llm, LlmUsage, Outbound, OutboundOp, StoreError,
};
use crate::domain::{ChannelRole, Millis, Platform, Reply};
use crate::llm::{RunError, Usage};
use chrono::{Datelike, TimeZone, Utc};
use std::sync::Arc;

/// The first millisecond of `now`'s calendar month (UTC), and the month as `YYYY-MM`.
pub fn month_of(now: Millis) -> (Millis, String) {
    let t = Utc.timestamp_millis_opt(now).single().unwrap_or_default();
    let start = Utc
        .with_ymd_and_hms(t.year(), t.month(), 1, 0, 0, 0)
        .single()
        .expect("the first of a month exists");
    (
        start.timestamp_millis(),
        format!("{:04}-{:02}", t.year(), t.month()),
    )
}

/// An agent cleared to run: the client and its settings.
pub(super) struct Agent {
    pub llm: Arc<dyn Llm>,
    pub settings: AgentSettings,
}

impl Pipeline {
    /// The agent `name` when it has an endpoint and budget left this month. A spent budget means the
    /// offline path; the team's internal channel hears about it once per agent and month.
    pub(super) async fn agent(&self, name: &str, now: Millis) -> Result<Option<Agent>, StoreError> {
        let (Some(llm), Some(a)) = (&self.llm, self.settings.llm.agent(name)) else {
            return Ok(None);
        };
        if a.monthly_budget_micro_usd > 0 {
            let (since, month) = month_of(now);
            let spent = self.store.llm_spend(name, since).await?;
            if spent >= a.monthly_budget_micro_usd as i64 {
                self.budget_spent(name, a, spent, &month, now).await?;
                return Ok(None);
            }
        }
        Ok(Some(Agent {
            llm: llm.clone(),
            settings: a.clone(),
        }))
    }

    async fn budget_spent(
        &self,
        name: &str,
        a: &AgentSettings,
        spent: i64,
        month: &str,
        now: Millis,
    ) -> Result<(), StoreError> {
        let key = format!("budget:{name}:{month}");
        if self.store.inbox_put(&key, "budget", "", now).await? == InboxPut::Duplicate {
            return Ok(());
        }
        tracing::warn!(
            agent = name,
            month,
            spent,
            "the agent's monthly LLM budget is spent: it uses the offline path"
        );
        let place = self.team_place(Platform::Console);
        let text = format!(
            "The {name} agent has spent its LLM budget for {month} (${:.2} of ${:.2}). It uses the offline path until the month ends; \
             raise `llm.agents.{name}.monthly_budget_micro_usd` to resume it sooner.",
            spent as f64 / 1e6,
            a.monthly_budget_micro_usd as f64 / 1e6
        );
        let outbox = place
            .map(|(platform, channel)| Outbound {
                thread_title: None,
                platform,
                channel,
                thread: None,
                op: OutboundOp::Post,
                reply: Reply::text(text.clone()),
            })
            .into_iter()
            .collect();
        let audit = vec![AuditEntry {
            at: now,
            actor: "opsdesk".into(),
            action: AuditAction::LlmBudgetSpent,
            subject: name.into(),
            detail: text,
        }];
        self.commit(Commit {
            inbox_key: Some(key),
            outbox,
            audit,
            now,
            ..Default::default()
        })
        .await
        .map(|_| ())
    }

    /// Where the team hears from opsdesk: the internal channel (on `platform` if there is one there),
    /// else the escalation channel.
    pub(super) fn team_place(&self, platform: Platform) -> Option<(Platform, String)> {
        let chans = &self.settings.channels;
        [ChannelRole::Internal, ChannelRole::Escalation]
            .into_iter()
            .find_map(|role| {
                chans
                    .iter()
                    .find(|c| c.role == role && c.platform == platform)
                    .or_else(|| chans.iter().find(|c| c.role == role))
                    .map(|c| (c.platform, c.id.clone()))
            })
    }

    /// One agent's calls for one piece of work: a usage row (its cost added to the ticket's) and an
    /// audit entry.
    pub(super) async fn record_llm(
        &self,
        name: &str,
        agent: &AgentSettings,
        usage: Usage,
        outcome: &str,
        ticket: Option<i64>,
        now: Millis,
    ) -> Result<(), StoreError> {
        let cost = agent.cost_micro_usd(usage.input_tokens as u32, usage.output_tokens as u32);
        let detail = format!(
            "{} call(s), {} prompt + {} completion tokens, {cost} micro-USD, {outcome}",
            usage.calls, usage.input_tokens, usage.output_tokens
        );
        let u = LlmUsage {
            at: now,
            agent: name.into(),
            ticket,
            calls: usage.calls as i64,
            input_tokens: usage.input_tokens as i64,
            output_tokens: usage.output_tokens as i64,
            cost_micros: cost as i64,
            outcome: outcome.into(),
        };
        let e = AuditEntry {
            at: now,
            actor: format!("opsdesk/{name}"),
            action: AuditAction::Llm(name.into()),
            subject: ticket.map_or_else(|| "team".to_string(), |t| format!("ticket #{t}")),
            detail,
        };
        self.store.llm_usage(&u, &e).await
    }

    /// The calls a failed run had answered before it failed: what the server counted is spent.
    pub(super) async fn record_failed_llm(
        &self,
        name: &str,
        agent: &AgentSettings,
        failed: &RunError,
        ticket: Option<i64>,
        now: Millis,
    ) -> Result<(), StoreError> {
        if failed.usage.calls == 0 {
            return Ok(());
        }
        self.record_llm(name, agent, failed.usage, "failed", ticket, now)
            .await
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn months_start_on_the_first_at_midnight_utc() {
        // 2026-11-26T07:34:12Z
        let (start, m) = super::month_of(1_795_678_452_000);
        assert_eq!(m, "2026-11");
        assert_eq!(start, 1_793_491_200_000, "2026-11-01T00:00:00Z");
    }
}
