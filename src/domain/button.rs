//! Every button opsdesk puts on a card, as one type: a click's action name is parsed here once, where
//! the click comes in, and each flow receives its own typed button. The names are the stable strings
//! the cards carry (and the platforms echo back); they are written out, never derived from `Debug`.

use super::desk::TeamButton;
use super::support::CustomerButton;

/// A sign-off card's buttons.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApprovalButton {
    Approve,
    Deny,
    /// Rewrite a pending docs draft's answer (the text comes with the click).
    Edit,
}

/// The "Same person?" card's buttons.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkButton {
    Confirm,
    Reject,
}

/// An alert card's buttons; the value carries the group (and the silence's length).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlertButton {
    Ack,
    Silence,
    Unsilence,
    Resolve,
    Runbook,
}

/// What a click asks for, by flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ButtonAction {
    /// The customer's "Solved" / "Talk to a human" under an answer.
    Customer(CustomerButton),
    /// The team's buttons on an escalation card.
    Team(TeamButton),
    /// The customer's rating after a ticket is resolved; the value is `<ticket>:<score>`.
    Rate,
    Approval(ApprovalButton),
    Link(LinkButton),
    Alert(AlertButton),
}

/// Every action, for parsing (the test checks it against [`ButtonAction::name`]'s match).
const ALL: [ButtonAction; 17] = [
    ButtonAction::Customer(CustomerButton::Solved),
    ButtonAction::Customer(CustomerButton::Human),
    ButtonAction::Team(TeamButton::Claim),
    ButtonAction::Team(TeamButton::SendSuggested),
    ButtonAction::Team(TeamButton::Resolve),
    ButtonAction::Team(TeamButton::HandBack),
    ButtonAction::Rate,
    ButtonAction::Approval(ApprovalButton::Approve),
    ButtonAction::Approval(ApprovalButton::Deny),
    ButtonAction::Approval(ApprovalButton::Edit),
    ButtonAction::Link(LinkButton::Confirm),
    ButtonAction::Link(LinkButton::Reject),
    ButtonAction::Alert(AlertButton::Ack),
    ButtonAction::Alert(AlertButton::Silence),
    ButtonAction::Alert(AlertButton::Unsilence),
    ButtonAction::Alert(AlertButton::Resolve),
    ButtonAction::Alert(AlertButton::Runbook),
];

impl ButtonAction {
    /// The action named `name`, or `None` for a name opsdesk never put on a card.
    pub fn parse(name: &str) -> Option<ButtonAction> {
        ALL.into_iter().find(|a| a.name() == name)
    }

    /// The stable name a card carries.
    pub fn name(self) -> &'static str {
        match self {
            ButtonAction::Customer(CustomerButton::Solved) => "ticket.solved",
            ButtonAction::Customer(CustomerButton::Human) => "ticket.human",
            ButtonAction::Team(TeamButton::Claim) => "desk.claim",
            ButtonAction::Team(TeamButton::SendSuggested) => "desk.suggest",
            ButtonAction::Team(TeamButton::Resolve) => "desk.resolve",
            ButtonAction::Team(TeamButton::HandBack) => "desk.handback",
            ButtonAction::Rate => "csat.rate",
            ButtonAction::Approval(ApprovalButton::Approve) => "approval.approve",
            ButtonAction::Approval(ApprovalButton::Deny) => "approval.deny",
            ButtonAction::Approval(ApprovalButton::Edit) => "approval.edit",
            ButtonAction::Link(LinkButton::Confirm) => "link.confirm",
            ButtonAction::Link(LinkButton::Reject) => "link.reject",
            ButtonAction::Alert(AlertButton::Ack) => "alert.ack",
            ButtonAction::Alert(AlertButton::Silence) => "alert.silence",
            ButtonAction::Alert(AlertButton::Unsilence) => "alert.unsilence",
            ButtonAction::Alert(AlertButton::Resolve) => "alert.resolve",
            ButtonAction::Alert(AlertButton::Runbook) => "alert.runbook",
        }
    }
}

impl From<CustomerButton> for ButtonAction {
    fn from(b: CustomerButton) -> Self {
        ButtonAction::Customer(b)
    }
}

impl From<TeamButton> for ButtonAction {
    fn from(b: TeamButton) -> Self {
        ButtonAction::Team(b)
    }
}

impl From<ApprovalButton> for ButtonAction {
    fn from(b: ApprovalButton) -> Self {
        ButtonAction::Approval(b)
    }
}

impl From<LinkButton> for ButtonAction {
    fn from(b: LinkButton) -> Self {
        ButtonAction::Link(b)
    }
}

impl From<AlertButton> for ButtonAction {
    fn from(b: AlertButton) -> Self {
        ButtonAction::Alert(b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_parses_back_to_its_action_and_names_are_unique() {
        let all = ALL;
        let mut names = std::collections::BTreeSet::new();
        for a in all {
            assert_eq!(ButtonAction::parse(a.name()), Some(a), "{}", a.name());
            assert!(names.insert(a.name()), "{} twice", a.name());
        }
        assert_eq!(names.len(), 17);
    }

    #[test]
    fn names_never_put_on_a_card_are_unknown() {
        for n in [
            "",
            "ticket",
            "alert.",
            "approval.approve ",
            "Desk.claim",
            "alert.ack.x",
        ] {
            assert_eq!(ButtonAction::parse(n), None, "{n:?}");
        }
    }
}
