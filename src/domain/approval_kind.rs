//! The kinds of action that wait for sign-off. The name is what the store keeps, the approval policy
//! is keyed by (`[approvals.kinds.<name>]`) and the action hash covers; each is written out here.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApprovalKind {
    /// An allow-listed runbook command.
    Runbook,
    /// A signed HTTP webhook.
    Webhook,
    /// A Stripe refund.
    Refund,
    /// A GitHub issue opened for a ticket.
    GithubIssue,
    /// A finance digest signed off; changes nothing outside opsdesk.
    FinanceReport,
    /// A person's answer written into the knowledge base as a page under `kb.learned_path`.
    KbEntry,
}

/// A stored kind this version does not run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{0:?} is not a kind of action opsdesk runs (known: runbook, webhook, refund, github_issue, finance_report, kb_entry)"
)]
pub struct UnknownKind(pub String);

pub const ALL: [ApprovalKind; 6] = [
    ApprovalKind::Runbook,
    ApprovalKind::Webhook,
    ApprovalKind::Refund,
    ApprovalKind::GithubIssue,
    ApprovalKind::FinanceReport,
    ApprovalKind::KbEntry,
];

impl ApprovalKind {
    pub fn name(self) -> &'static str {
        match self {
            ApprovalKind::Runbook => "runbook",
            ApprovalKind::Webhook => "webhook",
            ApprovalKind::Refund => "refund",
            ApprovalKind::GithubIssue => "github_issue",
            ApprovalKind::FinanceReport => "finance_report",
            ApprovalKind::KbEntry => "kb_entry",
        }
    }

    /// The kind named `name`, or an error that names it and the known ones.
    pub fn parse(name: &str) -> Result<ApprovalKind, UnknownKind> {
        ALL.into_iter()
            .find(|k| k.name() == name)
            .ok_or_else(|| UnknownKind(name.into()))
    }
}

impl fmt::Display for ApprovalKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_read_back_and_match_the_serialised_form() {
        for k in ALL {
            assert_eq!(ApprovalKind::parse(k.name()), Ok(k));
            assert_eq!(
                serde_json::to_string(&k).unwrap(),
                format!("\"{}\"", k.name())
            );
        }
        let err = ApprovalKind::parse("deploy").unwrap_err().to_string();
        assert!(err.contains("\"deploy\""), "{err}");
        for k in ALL {
            assert!(err.contains(k.name()), "{err} lacks {k}");
        }
    }
}
