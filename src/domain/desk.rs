//! The team's side of a ticket: the escalation card's buttons (Claim, Send suggested reply, Resolve,
//! Hand back) and the customer's rating afterwards. Who is on the team is decided by the caller, in code.

use super::{Millis, Ticket, TicketState};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TeamButton {
    Claim,
    SendSuggested,
    Resolve,
    HandBack,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TeamOutcome {
    Claimed,
    /// Someone else owns it already.
    ClaimedBy(String),
    /// The suggested reply goes to the customer; the sender owns the ticket.
    Reply,
    Resolved,
    HandedBack,
    /// Nothing to do in the ticket's current state.
    AlreadyDone(TicketState),
}

/// Applies a team member's click on the escalation card.
pub fn on_team_click(t: &mut Ticket, button: TeamButton, member: &str, now: Millis) -> TeamOutcome {
    match button {
        TeamButton::Claim => match (&t.state, &t.claimed_by) {
            (TicketState::Claimed, Some(by)) if by != member => TeamOutcome::ClaimedBy(by.clone()),
            (TicketState::Claimed, _) => TeamOutcome::AlreadyDone(TicketState::Claimed),
            (TicketState::Resolved, _) => TeamOutcome::AlreadyDone(TicketState::Resolved),
            _ => {
                // Claiming is not yet an answer to the customer: no response time is recorded.
                if matches!(t.state, TicketState::Open | TicketState::Answered) {
                    t.escalate(now).expect("open tickets escalate");
                }
                t.claim(member, now)
                    .expect("escalated tickets can be claimed");
                TeamOutcome::Claimed
            }
        },
        TeamButton::SendSuggested => {
            t.human_reply(member, now);
            TeamOutcome::Reply
        }
        TeamButton::Resolve => match t.resolve(now) {
            Ok(()) => TeamOutcome::Resolved,
            Err(_) => TeamOutcome::AlreadyDone(t.state),
        },
        TeamButton::HandBack => match t.hand_back(now) {
            Ok(()) => TeamOutcome::HandedBack,
            Err(_) => TeamOutcome::AlreadyDone(t.state),
        },
    }
}

/// A rating button's value, `<ticket>:<score>` → both.
pub fn parse_rating(value: &str) -> Option<(i64, i64)> {
    let (t, s) = value.split_once(':')?;
    let score: i64 = s.parse().ok()?;
    (1..=5).contains(&score).then_some((t.parse().ok()?, score))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ticket::tests::ticket;

    #[test]
    fn claiming_takes_ownership_once_and_names_the_owner_to_others() {
        let mut t = ticket(TicketState::Escalated);
        assert_eq!(
            on_team_click(&mut t, TeamButton::Claim, "slack:UANA", 5),
            TeamOutcome::Claimed
        );
        assert_eq!(
            (t.state, t.claimed_by.as_deref(), t.human_response_at),
            (TicketState::Claimed, Some("slack:UANA"), None)
        );
        assert_eq!(
            on_team_click(&mut t, TeamButton::Claim, "slack:UBEN", 6),
            TeamOutcome::ClaimedBy("slack:UANA".into())
        );
        assert_eq!(
            on_team_click(&mut t, TeamButton::Claim, "slack:UANA", 7),
            TeamOutcome::AlreadyDone(TicketState::Claimed)
        );
    }

    #[test]
    fn replying_owns_the_ticket_from_any_state_and_counts_as_the_first_human_response() {
        let mut t = ticket(TicketState::Answered);
        assert_eq!(
            on_team_click(&mut t, TeamButton::SendSuggested, "slack:UANA", 9),
            TeamOutcome::Reply
        );
        assert_eq!(
            (t.state, t.human_response_at, t.escalated_at),
            (TicketState::Claimed, Some(9), Some(9))
        );
    }

    #[test]
    fn resolve_and_hand_back() {
        let mut t = ticket(TicketState::Claimed);
        assert_eq!(
            on_team_click(&mut t, TeamButton::HandBack, "slack:UANA", 3),
            TeamOutcome::HandedBack
        );
        assert_eq!((t.state, t.claimed_by.clone()), (TicketState::Open, None));
        assert_eq!(
            on_team_click(&mut t, TeamButton::HandBack, "slack:UANA", 4),
            TeamOutcome::AlreadyDone(TicketState::Open)
        );
        assert_eq!(
            on_team_click(&mut t, TeamButton::Resolve, "slack:UANA", 5),
            TeamOutcome::Resolved
        );
        assert_eq!(
            on_team_click(&mut t, TeamButton::Resolve, "slack:UANA", 6),
            TeamOutcome::AlreadyDone(TicketState::Resolved)
        );
    }

    #[test]
    fn ratings_parse_only_in_range() {
        assert_eq!(parse_rating("12:5"), Some((12, 5)));
        assert_eq!(parse_rating("12:9"), None);
        assert_eq!(parse_rating("x:1"), None);
    }
}
