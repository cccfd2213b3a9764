//! The team's assistant's tools: read-only views of what the store holds (tickets and their
//! conversations, alert groups, the finance figures, approvals) and two proposals — a refund of a charge
//! the ledger knows, a configured runbook — that only become sign-off requests. Nothing here changes
//! anything or reaches a customer.

use super::tools::ToolBox;
use crate::config::Settings;
use crate::domain::ports::{Store, TicketFilter, ToolSpec};
use crate::domain::{ApprovalState, Millis, TicketState};
use crate::finance::report::money;
use async_trait::async_trait;
use serde_json::{Value, json};
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

fn obj(props: Value, required: &[&str]) -> Value {
    json!({"type": "object", "properties": props, "required": required})
}

impl AssistantTools {
    async fn read(&self, name: &str, args: &Value) -> Result<String, String> {
        let st = &self.store;
        let e = |e: crate::domain::ports::StoreError| e.to_string();
        let arg = |k: &str| {
            args.get(k)
                .and_then(|v| v.as_str())
                .map(str::trim)
                .unwrap_or("")
        };
        Ok(match name {
            "list_tickets" => {
                let states = match arg("state") {
                    "" => vec![],
                    s => vec![TicketState::parse(s).ok_or_else(|| {
                        format!(
                            "no ticket state {s:?} (open, answered, escalated, claimed, resolved)"
                        )
                    })?],
                };
                let ts = st
                    .tickets(&TicketFilter { states, limit: 20 })
                    .await
                    .map_err(e)?;
                if ts.is_empty() {
                    return Ok("no tickets".into());
                }
                ts.iter()
                    .map(|t| {
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
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            }
            "get_ticket" => {
                let id = args
                    .get("id")
                    .and_then(|v| v.as_i64())
                    .ok_or("give the ticket's number as id")?;
                let Some(t) = st.ticket(id).await.map_err(e)? else {
                    return Ok(format!("no ticket #{id}"));
                };
                let msgs = st.ticket_messages(id).await.map_err(e)?;
                format!(
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
                )
            }
            "list_alerts" => {
                let firing = args
                    .get("firing_only")
                    .and_then(|v| v.as_bool())
                    .unwrap_or(false);
                let gs = st.alert_groups(firing, 20).await.map_err(e)?;
                if gs.is_empty() {
                    return Ok("no alert groups".into());
                }
                gs.iter()
                    .map(|g| {
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
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            }
            "get_alert" => {
                let id = args
                    .get("id")
                    .and_then(|v| v.as_i64())
                    .ok_or("give the alert group's number as id")?;
                let Some(g) = st.alert_group_by_id(id).await.map_err(e)? else {
                    return Ok(format!("no alert group #{id}"));
                };
                let labels: Vec<String> =
                    g.labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
                let runbook = self
                    .settings
                    .alerts
                    .runbooks
                    .get(g.alertname())
                    .map_or("none configured".to_string(), |r| r.clone());
                format!(
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
                )
            }
            "finance_summary" => {
                let tz = self.settings.finance.tz();
                let p = match arg("period") {
                    "" => "month",
                    p => p,
                };
                let (from, to) = crate::finance::schedule::period(tz, p, self.now)?;
                let r = crate::domain::finance_report::report(
                    &st.finance_ledger().await.map_err(e)?,
                    from,
                    to,
                );
                crate::finance::report::text(&r, tz)
            }
            "list_approvals" => {
                let a = st
                    .approvals(&[ApprovalState::Pending], 20)
                    .await
                    .map_err(e)?;
                if a.is_empty() {
                    return Ok("nothing waits for sign-off".into());
                }
                a.iter()
                    .map(|a| {
                        format!(
                            "#{} {} (asked by {}: {})",
                            a.id, a.summary, a.requested_by, a.reason
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            }
            _ => return Err(format!("no tool named {name}")),
        })
    }

    async fn propose(&self, name: &str, args: &Value) -> Result<String, String> {
        let arg = |k: &str| {
            args.get(k)
                .and_then(|v| v.as_str())
                .map(str::trim)
                .unwrap_or("")
                .to_string()
        };
        let reason = arg("reason");
        if reason.is_empty() {
            return Err("give a reason: the approvers read it".into());
        }
        let p = match name {
            "propose_refund" => {
                let id = arg("charge");
                let ledger = self
                    .store
                    .finance_ledger()
                    .await
                    .map_err(|e| e.to_string())?;
                let c = ledger
                    .charges
                    .iter()
                    .find(|c| c.id == id)
                    .ok_or_else(|| format!("no charge {id:?} in the ledger"))?;
                let amount = crate::finance::money::parse_amount(&arg("amount"), &c.currency)?;
                let left = c.amount - c.amount_refunded;
                if amount > left {
                    return Err(format!(
                        "charge {id} has only {} left to refund",
                        money(left, &c.currency)
                    ));
                }
                Proposal::Refund {
                    charge: id,
                    amount,
                    currency: c.currency.clone(),
                    reason,
                }
            }
            "propose_runbook" => {
                let rb = arg("name");
                if !self.settings.runbooks.contains_key(&rb) {
                    let known: Vec<&String> = self.settings.runbooks.keys().collect();
                    return Err(format!("no runbook named {rb:?} (configured: {known:?})"));
                }
                Proposal::Runbook { name: rb, reason }
            }
            other => return Err(format!("no tool named {other}")),
        };
        self.proposals.lock().expect("proposals lock").push(p);
        Ok(
            "proposed: it waits for an authorised person's sign-off; nothing has changed yet"
                .into(),
        )
    }
}

#[async_trait]
impl ToolBox for AssistantTools {
    fn specs(&self) -> Vec<ToolSpec> {
        let id = obj(json!({"id": {"type": "integer"}}), &["id"]);
        let spec = |n: &str, d: &str, p: Value| ToolSpec {
            name: n.into(),
            description: d.into(),
            parameters: p,
        };
        vec![
            spec(
                "list_tickets",
                "Recent support tickets, optionally in one state.",
                obj(
                    json!({"state": {"type": "string", "enum": ["open", "answered", "escalated", "claimed", "resolved"]}}),
                    &[],
                ),
            ),
            spec("get_ticket", "One ticket and its conversation.", id.clone()),
            spec(
                "list_alerts",
                "Alert groups, newest change first.",
                obj(json!({"firing_only": {"type": "boolean"}}), &[]),
            ),
            spec(
                "get_alert",
                "One alert group: state, labels, runbook, latest alerts.",
                id,
            ),
            spec(
                "finance_summary",
                "Revenue, MRR, churn, failed payments, refunds for today, this week or this month.",
                obj(
                    json!({"period": {"type": "string", "enum": ["today", "week", "month"]}}),
                    &[],
                ),
            ),
            spec(
                "list_approvals",
                "Requests waiting for sign-off.",
                obj(json!({}), &[]),
            ),
            spec(
                "propose_refund",
                "Propose refunding a Stripe charge; a person must sign it off.",
                obj(
                    json!({"charge": {"type": "string"}, "amount": {"type": "string", "description": "e.g. 12.50"}, "reason": {"type": "string"}}),
                    &["charge", "amount", "reason"],
                ),
            ),
            spec(
                "propose_runbook",
                "Propose running a configured runbook; a person must sign it off.",
                obj(
                    json!({"name": {"type": "string"}, "reason": {"type": "string"}}),
                    &["name", "reason"],
                ),
            ),
        ]
    }

    async fn call(&self, name: &str, arguments: &str) -> String {
        let args: Value = serde_json::from_str(arguments).unwrap_or_default();
        let r = if name.starts_with("propose_") {
            self.propose(name, &args).await
        } else {
            self.read(name, &args).await
        };
        r.unwrap_or_else(|e| format!("error: {e}"))
    }
}
