//! Executors: what runs once an approval is granted — an allow-listed runbook command, a signed HTTP
//! webhook, a Stripe refund, a GitHub issue. Each returns whether it worked and a
//! short, human-readable result.

pub mod github;
pub mod kb_entry;
pub mod refund;
pub mod runbook;
pub mod webhook;

use crate::config::Settings;
use crate::domain::{Approval, ApprovalKind};

/// The outcome of running an approved action.
#[derive(Debug, Clone, PartialEq)]
pub struct Executed {
    pub ok: bool,
    pub result: String,
    /// A refund Stripe accepted, for the ledger at once (before its webhook arrives), so what is left
    /// to refund counts it.
    pub refund: Option<crate::domain::finance::Refund>,
}

/// Runs the approved action `a` with what the configuration says about its kind.
pub async fn run(s: &Settings, a: &Approval) -> Executed {
    let params: serde_json::Value = serde_json::from_str(&a.params).unwrap_or_default();
    let name = params["name"].as_str().unwrap_or("");
    match a.kind {
        ApprovalKind::Runbook => match s.runbooks.get(name) {
            Some(r) => runbook::run(r).await,
            None => Executed {
                refund: None,
                ok: false,
                result: format!("runbook {name:?} is no longer configured"),
            },
        },
        ApprovalKind::Webhook => match s.webhooks.get(name) {
            Some(w) => webhook::run(w, a).await,
            None => Executed {
                refund: None,
                ok: false,
                result: format!("webhook {name:?} is no longer configured"),
            },
        },
        ApprovalKind::Refund => match (params["charge"].as_str(), params["amount"].as_i64()) {
            (Some(charge), Some(amount)) => {
                let r = refund::Refund {
                    charge,
                    amount,
                    idempotency_key: format!("opsdesk-approval-{}", a.id),
                    requested_by: &a.requested_by,
                };
                refund::run(&s.finance, &r).await
            }
            _ => Executed {
                refund: None,
                ok: false,
                result: format!("refund request #{} names no charge or amount", a.id),
            },
        },
        ApprovalKind::GithubIssue => match (params["title"].as_str(), params["body"].as_str()) {
            (Some(title), Some(body)) => github::run(&s.github, a.id, title, body).await,
            _ => Executed {
                refund: None,
                ok: false,
                result: format!("issue request #{} has no title or body", a.id),
            },
        },
        ApprovalKind::KbEntry => match (params["title"].as_str(), params["body"].as_str()) {
            (Some(title), Some(body)) => kb_entry::run(
                &s.kb.learned_path,
                title,
                body,
                params["ticket"].as_i64().unwrap_or(0),
                &a.approved_by,
            ),
            _ => Executed {
                refund: None,
                ok: false,
                result: format!("docs entry request #{} has no heading or answer", a.id),
            },
        },
        // Signing a digest off changes nothing outside opsdesk: the record is the approval itself.
        ApprovalKind::FinanceReport => Executed {
            refund: None,
            ok: true,
            result: format!("Signed off by {}", a.approved_by.join(", ")),
        },
    }
}

pub(crate) use crate::net::tail;
