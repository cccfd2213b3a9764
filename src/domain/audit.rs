//! What the audit log records, as one type: every action opsdesk writes has a variant, and its stable
//! name (what the log stores, `/ops audit` shows and `/ops metrics` counts) is written out here.

use super::button::{AlertButton, ButtonAction};
use super::desk::TeamButton;
use std::borrow::Cow;

/// A step in a sign-off request's life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApprovalStep {
    Requested,
    /// A click from someone who may not vote on it (not an approver, or the requester).
    Refused,
    /// The same approver clicked again.
    Repeated,
    /// A click after the request was decided.
    Late,
    Expired,
    /// An approval counted, the quorum not yet reached.
    ApprovedPartly,
    Approved,
    Denied,
    Executing,
    Executed,
    Failed,
    /// A pending docs draft's answer was rewritten by a person (earlier approvals no longer count).
    Edited,
}

/// One audited action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuditAction {
    TicketEscalated,
    TicketResolved,
    TicketRated,
    /// A team member's click on an escalation card.
    Desk(TeamButton),
    /// A click on an escalation card by someone not on the team.
    DeskRefused,
    SlaReminder,
    SlaBreached,
    CustomerLink,
    CustomerLinkRejected,
    CustomerUnlink,
    FinanceRefund,
    /// `/ops` from someone not on the team.
    OpsRefused,
    /// A message ignored as spam.
    SpamIgnored,
    /// A person's action on an alert group (by button or typed in its thread).
    Alert(AlertButton),
    Approval(ApprovalStep),
    /// An LLM agent's calls for one piece of work (the agent's name).
    Llm(String),
    /// An LLM agent stopped because the day's budget is spent.
    LlmBudgetSpent,
    /// A name this version does not write, read back from the log (an older or newer version's).
    Unknown(String),
}

impl ApprovalStep {
    pub fn name(self) -> &'static str {
        match self {
            ApprovalStep::Requested => "approval.requested",
            ApprovalStep::Refused => "approval.refused",
            ApprovalStep::Repeated => "approval.repeated",
            ApprovalStep::Late => "approval.late",
            ApprovalStep::Expired => "approval.expired",
            ApprovalStep::ApprovedPartly => "approval.approved_partly",
            ApprovalStep::Approved => "approval.approved",
            ApprovalStep::Denied => "approval.denied",
            ApprovalStep::Executing => "approval.executing",
            ApprovalStep::Executed => "approval.executed",
            ApprovalStep::Failed => "approval.failed",
            ApprovalStep::Edited => "approval.edited",
        }
    }
}

impl AuditAction {
    /// The stable name the log stores.
    pub fn name(&self) -> Cow<'static, str> {
        Cow::Borrowed(match self {
            AuditAction::TicketEscalated => "ticket.escalated",
            AuditAction::TicketResolved => "ticket.resolved",
            AuditAction::TicketRated => "ticket.rated",
            AuditAction::Desk(TeamButton::Claim) => "desk.claim",
            AuditAction::Desk(TeamButton::SendSuggested) => "desk.suggest",
            AuditAction::Desk(TeamButton::Resolve) => "desk.resolve",
            AuditAction::Desk(TeamButton::HandBack) => "desk.handback",
            AuditAction::DeskRefused => "desk.refused",
            AuditAction::SlaReminder => "sla.reminder",
            AuditAction::SlaBreached => "sla.breached",
            AuditAction::CustomerLink => "customer.link",
            AuditAction::CustomerLinkRejected => "customer.link_rejected",
            AuditAction::CustomerUnlink => "customer.unlink",
            AuditAction::FinanceRefund => "finance.refund",
            AuditAction::OpsRefused => "ops.refused",
            AuditAction::SpamIgnored => "spam_ignored",
            AuditAction::Alert(a) => ButtonAction::Alert(*a).name(),
            AuditAction::Approval(s) => s.name(),
            AuditAction::LlmBudgetSpent => "llm.budget_spent",
            AuditAction::Llm(agent) => return Cow::Owned(format!("llm.{agent}")),
            AuditAction::Unknown(name) => return Cow::Owned(name.clone()),
        })
    }

    /// The action a stored name stands for; names this version does not write are kept as they are.
    pub fn parse(name: &str) -> AuditAction {
        known()
            .into_iter()
            .find(|a| a.name() == name)
            .or_else(|| {
                let agent = name.strip_prefix("llm.")?;
                (!agent.is_empty()).then(|| AuditAction::Llm(agent.into()))
            })
            .unwrap_or_else(|| AuditAction::Unknown(name.into()))
    }
}

impl std::fmt::Display for AuditAction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(&self.name())
    }
}

impl serde::Serialize for AuditAction {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.name())
    }
}

/// Every action with a fixed name.
fn known() -> Vec<AuditAction> {
    use AuditAction as A;
    let mut all = vec![
        A::TicketEscalated,
        A::TicketResolved,
        A::TicketRated,
        A::DeskRefused,
        A::SlaReminder,
        A::SlaBreached,
        A::CustomerLink,
        A::CustomerLinkRejected,
        A::CustomerUnlink,
        A::FinanceRefund,
        A::OpsRefused,
        A::SpamIgnored,
        A::LlmBudgetSpent,
    ];
    all.extend(
        [
            TeamButton::Claim,
            TeamButton::SendSuggested,
            TeamButton::Resolve,
            TeamButton::HandBack,
        ]
        .map(A::Desk),
    );
    all.extend(
        [
            AlertButton::Ack,
            AlertButton::Silence,
            AlertButton::Unsilence,
            AlertButton::Resolve,
            AlertButton::Runbook,
        ]
        .map(A::Alert),
    );
    use ApprovalStep as S;
    all.extend(
        [
            S::Requested,
            S::Refused,
            S::Repeated,
            S::Late,
            S::Expired,
            S::ApprovedPartly,
            S::Approved,
            S::Denied,
            S::Executing,
            S::Executed,
            S::Failed,
            S::Edited,
        ]
        .map(A::Approval),
    );
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_is_unique_and_reads_back_as_its_action() {
        let mut names = std::collections::BTreeSet::new();
        let mut all = known();
        all.push(AuditAction::Llm("tier1".into()));
        for a in all {
            let name = a.name();
            assert!(names.insert(name.to_string()), "{name} twice");
            let back = AuditAction::parse(&name);
            assert_eq!(back.name(), name, "{name}");
            assert!(!matches!(back, AuditAction::Unknown(_)), "{name}");
        }
        assert_eq!(names.len(), 35);
    }

    #[test]
    fn names_this_version_does_not_write_are_kept_as_they_are() {
        for n in ["ticket.reopened", "llm.", ""] {
            assert_eq!(AuditAction::parse(n), AuditAction::Unknown(n.into()));
            assert_eq!(AuditAction::parse(n).name(), n);
        }
        assert_eq!(
            AuditAction::parse("alert.silence"),
            AuditAction::Alert(AlertButton::Silence)
        );
    }
}
