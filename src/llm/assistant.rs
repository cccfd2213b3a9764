//! The team's assistant's tools: read-only views of what the store holds (tickets and their
//! conversations, alert groups, the finance figures, approvals) and two proposals — a refund of a charge
//! the ledger knows, a configured runbook — that only become sign-off requests. Nothing here changes
//! anything or reaches a customer.

use super::tools::{NoArgs, ToolBox, args, spec};
use crate::config::Settings;
use crate::domain::ports::{Store, StoreError, TicketFilter, ToolSpec};
use crate::domain::{ApprovalState, Millis, TicketState};
use crate::finance::money::money;
use async_trait::async_trait;
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::Value;
use std::sync::{Arc, Mutex};

/// A change the assistant proposes; the pipeline files it for sign-off.
#[derive(Debug, Clone, PartialEq)]
pub enum Proposal {
    Refund {
        charge: String,
        amount: i64,
        currency: String,
        reason: String,
    },
    Runbook {
        name: String,
        reason: String,
    },
}

pub struct AssistantTools {
    pub store: Arc<dyn Store>,
    pub settings: Arc<Settings>,
    pub now: Millis,
    pub proposals: Mutex<Vec<Proposal>>,
}

/// `list_tickets`' arguments.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(default)]
struct ListTickets {
    /// Only tickets in this state.
    state: Option<StateArg>,
}

#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
enum StateArg {
    Open,
    Answered,
    Escalated,
    Claimed,
    Resolved,
}

impl StateArg {
    fn state(self) -> TicketState {
        match self {
            StateArg::Open => TicketState::Open,
            StateArg::Answered => TicketState::Answered,
            StateArg::Escalated => TicketState::Escalated,
            StateArg::Claimed => TicketState::Claimed,
            StateArg::Resolved => TicketState::Resolved,
        }
    }
}

/// One ticket or alert group, by number.
#[derive(Debug, Deserialize, JsonSchema)]
struct ById {
    /// Its number (`#12` → 12).
    id: i64,
}

#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(default)]
struct ListAlerts {
    /// Only groups firing now.
    firing_only: bool,
}

#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(default)]
struct FinanceSummary {
    /// The period (default: this month).
    period: Option<Period>,
}

#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
enum Period {
    Today,
    Week,
    Month,
}

#[derive(Debug, Deserialize, JsonSchema)]
struct ProposeRefund {
    /// The Stripe charge id (ch_…).
    charge: String,
    /// How much, in the charge's currency, e.g. 12.50.
    #[serde(deserialize_with = "string_or_number")]
    amount: String,
    /// Why: the approvers read it.
    reason: String,
}

#[derive(Debug, Deserialize, JsonSchema)]
struct ProposeRunbook {
    /// A runbook configured under [runbooks].
    name: String,
    /// Why: the approvers read it.
    reason: String,
}

/// An amount given as `"12.50"` or `12.5`, kept as its text (read with the currency's decimals).
fn string_or_number<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    match Value::deserialize(d)? {
        Value::String(s) => Ok(s.trim().to_string()),
        Value::Number(n) => Ok(n.to_string()),
        other => Err(serde::de::Error::custom(format!(
            "amount must be a number or a string like \"12.50\", not {other}"
        ))),
    }
}

fn lines<T>(items: &[T], empty: &str, line: impl Fn(&T) -> String) -> String {
    if items.is_empty() {
        return empty.into();
    }
    items.iter().map(line).collect::<Vec<_>>().join("\n")
}

fn err(e: StoreError) -> String {
    e.to_string()
}

impl AssistantTools {
    async fn list_tickets(&self, a: ListTickets) -> Result<String, String> {
        let filter = TicketFilter {
            states: a.state.map(StateArg::state).into_iter().collect(),
            limit: 20,
        };
        let ts = self.store.tickets(&filter).await.map_err(err)?;
        Ok(lines(&ts, "no tickets", |t| {
            format!(
                "#{} [{}] {} tier={} customer={} {}",
                t.id,
                t.state,
                t.subject,
                t.tier.map_or("-", |t| t.as_str()),
                t.customer,
                t.claimed_by
                    .as_deref()
                    .map_or(String::new(), |c| format!("owner={c}"))
            )
        }))
    }

    async fn get_ticket(&self, a: ById) -> Result<String, String> {
        let Some(t) = self.store.ticket(a.id).await.map_err(err)? else {
            return Ok(format!("no ticket #{}", a.id));
        };
        let msgs = self.store.ticket_messages(a.id).await.map_err(err)?;
        Ok(format!(
            "#{} [{}] {} (tier {}, priority {}, customer {} on {} #{})\n{}",
            t.id,
            t.state,
            t.subject,
            t.tier.map_or("-", |t| t.as_str()),
            t.priority.as_deref().unwrap_or("normal"),
            t.customer,
            t.platform.as_str(),
            t.channel,
            super::summary::history(&msgs, 3000)
        ))
    }

    async fn list_alerts(&self, a: ListAlerts) -> Result<String, String> {
        let gs = self
            .store
            .alert_groups(a.firing_only, 20)
            .await
            .map_err(err)?;
        Ok(lines(&gs, "no alert groups", |g| {
            format!(
                "#{} [{}] {} {} ({} firing){}",
                g.id,
                g.severity,
                g.title,
                if g.firing { "FIRING" } else { "resolved" },
                g.firing_count,
                g.acked_by
                    .as_deref()
                    .map_or(String::new(), |a| format!(" acked by {a}"))
            )
        }))
    }

    async fn get_alert(&self, a: ById) -> Result<String, String> {
        let Some(g) = self.store.alert_group_by_id(a.id).await.map_err(err)? else {
            return Ok(format!("no alert group #{}", a.id));
        };
        let labels: Vec<String> = g.labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let runbook = self
            .settings
            .alerts
            .runbooks
            .get(g.alertname())
            .map_or("none configured", String::as_str);
        Ok(format!(
            "#{} {} from {}: {} ({} firing, {} resolved, {} updates)\nlabels: {}\nrunbook: {runbook}\n{}",
            g.id,
            g.title,
            g.source,
            if g.firing { "FIRING" } else { "resolved" },
            g.firing_count,
            g.resolved_count,
            g.updates,
            labels.join(", "),
            g.detail.body
        ))
    }

    async fn finance_summary(&self, a: FinanceSummary) -> Result<String, String> {
        let tz = self.settings.finance.tz();
        let name = match a.period.unwrap_or(Period::Month) {
            Period::Today => "today",
            Period::Week => "week",
            Period::Month => "month",
        };
        let (from, to) = crate::finance::schedule::period(tz, name, self.now)?;
        let ledger = self.store.finance_ledger().await.map_err(err)?;
        let r = crate::domain::finance_report::report(&ledger, from, to);
        Ok(crate::finance::report::text(&r, tz, Some(name)))
    }

    async fn list_approvals(&self) -> Result<String, String> {
        let pending = self
            .store
            .approvals(&[ApprovalState::Pending], 20)
            .await
            .map_err(err)?;
        Ok(lines(&pending, "nothing waits for sign-off", |a| {
            format!(
                "#{} {} (asked by {}: {})",
                a.id, a.summary, a.requested_by, a.reason
            )
        }))
    }

    /// A refund of a charge the ledger knows, within what is left of it.
    async fn propose_refund(&self, a: ProposeRefund) -> Result<Proposal, String> {
        let ledger = self.store.finance_ledger().await.map_err(err)?;
        let id = a.charge.trim();
        let c = ledger
            .charges
            .iter()
            .find(|c| c.id == id)
            .ok_or_else(|| format!("no charge {id:?} in the ledger"))?;
        let amount = crate::finance::money::parse_amount(&a.amount, &c.currency)?;
        let left = c.amount - c.amount_refunded;
        if amount > left {
            return Err(format!(
                "charge {id} has only {} left to refund",
                money(left, &c.currency)
            ));
        }
        Ok(Proposal::Refund {
            charge: id.to_string(),
            amount,
            currency: c.currency.clone(),
            reason: a.reason.trim().to_string(),
        })
    }

    /// A runbook that is configured.
    fn propose_runbook(&self, a: ProposeRunbook) -> Result<Proposal, String> {
        let name = a.name.trim();
        if !self.settings.runbooks.contains_key(name) {
            let known: Vec<&String> = self.settings.runbooks.keys().collect();
            return Err(format!("no runbook named {name:?} (configured: {known:?})"));
        }
        Ok(Proposal::Runbook {
            name: name.to_string(),
            reason: a.reason.trim().to_string(),
        })
    }

    /// Collects a proposal (the pipeline files it for sign-off); a reason is required.
    fn propose(&self, reason: &str, p: Result<Proposal, String>) -> Result<String, String> {
        if reason.trim().is_empty() {
            return Err("give a reason: the approvers read it".into());
        }
        let p = p?;
        self.proposals
            .lock()
            .map_err(|_| "the proposals were lost to a crashed task".to_string())?
            .push(p);
        Ok(
            "proposed: it waits for an authorised person's sign-off; nothing has changed yet"
                .into(),
        )
    }

    async fn dispatch(&self, name: &str, raw: &str) -> Result<String, String> {
        match name {
            "list_tickets" => self.list_tickets(args(name, raw)?).await,
            "get_ticket" => self.get_ticket(args(name, raw)?).await,
            "list_alerts" => self.list_alerts(args(name, raw)?).await,
            "get_alert" => self.get_alert(args(name, raw)?).await,
            "finance_summary" => self.finance_summary(args(name, raw)?).await,
            "list_approvals" => self.list_approvals().await,
            "propose_refund" => {
                let a: ProposeRefund = args(name, raw)?;
                let reason = a.reason.clone();
                self.propose(&reason, self.propose_refund(a).await)
            }
            "propose_runbook" => {
                let a: ProposeRunbook = args(name, raw)?;
                let reason = a.reason.clone();
                self.propose(&reason, self.propose_runbook(a))
            }
            other => Err(format!("no tool named {other}")),
        }
    }
}

#[async_trait]
impl ToolBox for AssistantTools {
    fn specs(&self) -> Vec<ToolSpec> {
        vec![
            spec::<ListTickets>(
                "list_tickets",
                "Recent support tickets, optionally in one state.",
            ),
            spec::<ById>("get_ticket", "One ticket and its conversation."),
            spec::<ListAlerts>("list_alerts", "Alert groups, newest change first."),
            spec::<ById>(
                "get_alert",
                "One alert group: state, labels, runbook, latest alerts.",
            ),
            spec::<FinanceSummary>(
                "finance_summary",
                "Revenue, MRR, churn, failed payments, refunds for today, this week or this month.",
            ),
            spec::<NoArgs>("list_approvals", "Requests waiting for sign-off."),
            spec::<ProposeRefund>(
                "propose_refund",
                "Propose refunding a Stripe charge; a person must sign it off.",
            ),
            spec::<ProposeRunbook>(
                "propose_runbook",
                "Propose running a configured runbook; a person must sign it off.",
            ),
        ]
    }

    async fn call(&self, name: &str, arguments: &str) -> String {
        self.dispatch(name, arguments)
            .await
            .unwrap_or_else(|e| format!("error: {e}"))
    }
}

#[cfg(test)]
#[path = "assistant_tests.rs"]
mod tests;
