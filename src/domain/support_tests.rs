//! Unit tests for the support desk's decisions.

use super::*;
use crate::domain::tier::TriageReason;

fn ticket(state: TicketState) -> Ticket {
    Ticket {
        id: 7,
        customer: "cust".into(),
        ..crate::domain::ticket::tests::ticket(state)
    }
}

fn triage(tier: Tier) -> Triage {
    Triage {
        tier,
        confidence: 0.9,
        reason: TriageReason::Model,
    }
}

fn msg<'a>(t: &'a Triage, grounded: bool) -> Incoming<'a> {
    Incoming {
        text: "x",
        mentioned: false,
        vip: false,
        triage: t,
        grounded,
        agent_asked: false,
    }
}

const POLICY: Policy = Policy { unhelpful_turns: 3 };

#[test]
fn grounded_tier1_is_answered() {
    let mut t = ticket(TicketState::Open);
    let tr = triage(Tier::Tier1);
    assert_eq!(
        on_customer_message(&mut t, &msg(&tr, true), &POLICY, 5),
        Action::Answer(Tier::Tier1)
    );
    assert_eq!(t.state, TicketState::Answered);
    assert_eq!(t.first_response_at, Some(5));
}

#[test]
fn ungrounded_question_escalates_instead_of_inventing() {
    let mut t = ticket(TicketState::Open);
    let tr = triage(Tier::Tier1);
    assert_eq!(
        on_customer_message(&mut t, &msg(&tr, false), &POLICY, 5),
        Action::Escalate(EscalationReason::NotGrounded)
    );
    assert_eq!(t.state, TicketState::Escalated);
    // When the LLM agent decided, the card says so rather than blaming the knowledge base.
    let mut t = ticket(TicketState::Open);
    let asked = Incoming {
        agent_asked: true,
        ..msg(&tr, false)
    };
    let Action::Escalate(why) = on_customer_message(&mut t, &asked, &POLICY, 5) else {
        panic!("escalates")
    };
    assert_eq!(why, EscalationReason::AgentNotGrounded);
    assert!(why.describe().contains("LLM agent"), "{}", why.describe());
    // A problem report nothing answers is an incident for a person, at high priority.
    let mut t = ticket(TicketState::Open);
    let tr = triage(Tier::Tier2);
    assert_eq!(
        on_customer_message(&mut t, &msg(&tr, false), &POLICY, 5),
        Action::Escalate(EscalationReason::Incident)
    );
    assert_eq!(t.priority.as_deref(), Some("high"));
}

#[test]
fn chit_chat_is_silent_unless_mentioned() {
    let mut t = ticket(TicketState::Open);
    let tr = triage(Tier::None);
    assert_eq!(
        on_customer_message(&mut t, &msg(&tr, true), &POLICY, 5),
        Action::Silent(Silence::NotSupport)
    );
    let mut m = msg(&tr, true);
    m.mentioned = true;
    assert_eq!(
        on_customer_message(&mut t, &m, &POLICY, 6),
        Action::Answer(Tier::Tier1)
    );
}

#[test]
fn human_owned_ticket_keeps_the_bot_silent() {
    for state in [TicketState::Escalated, TicketState::Claimed] {
        let mut t = ticket(state);
        let tr = triage(Tier::Tier1);
        assert_eq!(
            on_customer_message(&mut t, &msg(&tr, true), &POLICY, 5),
            Action::Silent(Silence::HumanOwned)
        );
        assert_eq!(t.state, state);
    }
}

#[test]
fn third_unhelpful_turn_escalates() {
    let mut t = ticket(TicketState::Answered);
    t.bot_turns = 3;
    let tr = triage(Tier::Tier1);
    assert_eq!(
        on_customer_message(&mut t, &msg(&tr, true), &POLICY, 5),
        Action::Escalate(EscalationReason::Unhelpful(3))
    );
}

#[test]
fn vip_and_rule_matches_escalate() {
    let mut t = ticket(TicketState::Open);
    let tr = triage(Tier::Tier1);
    let mut m = msg(&tr, true);
    m.vip = true;
    assert_eq!(
        on_customer_message(&mut t, &m, &POLICY, 5),
        Action::Escalate(EscalationReason::Vip)
    );
    let mut t = ticket(TicketState::Open);
    let tr = Triage {
        tier: Tier::Human,
        confidence: 1.0,
        reason: TriageReason::Rule("refund".into()),
    };
    match on_customer_message(&mut t, &msg(&tr, true), &POLICY, 5) {
        Action::Escalate(r) => assert_eq!(r.describe(), "triaged as human (matched \"refund\")"),
        other => panic!("expected escalation, got {other:?}"),
    }
}

#[test]
fn resolved_ticket_reopens_on_a_new_question() {
    let mut t = ticket(TicketState::Resolved);
    let tr = triage(Tier::Tier1);
    assert_eq!(
        on_customer_message(&mut t, &msg(&tr, true), &POLICY, 9),
        Action::Answer(Tier::Tier1)
    );
    assert_eq!(t.state, TicketState::Answered);
}

#[test]
fn clicks_resolve_or_escalate_only_for_the_asker() {
    let mut t = ticket(TicketState::Answered);
    assert_eq!(
        on_customer_click(&mut t, CustomerButton::Solved, "stranger", 1),
        ClickOutcome::NotYours
    );
    assert_eq!(
        on_customer_click(&mut t, CustomerButton::Solved, "cust", 2),
        ClickOutcome::Resolved
    );
    assert_eq!(
        on_customer_click(&mut t, CustomerButton::Solved, "cust", 3),
        ClickOutcome::AlreadyDone(TicketState::Resolved)
    );
    assert_eq!(
        on_customer_click(&mut t, CustomerButton::Human, "cust", 4),
        ClickOutcome::Escalated
    );
    assert_eq!(
        on_customer_click(&mut t, CustomerButton::Human, "cust", 5),
        ClickOutcome::AlreadyDone(TicketState::Escalated)
    );
}

#[test]
fn frustration_and_an_explicit_ask_for_a_person_escalate() {
    assert!(frustrated("This is useless, the export failed AGAIN"));
    assert!(frustrated("WHY DOES THE EXPORT NEVER WORK"));
    assert!(frustrated("Still not fixed!!"));
    assert!(!frustrated("How do I export my data to CSV?"));
    assert!(
        !frustrated("Is the API down? I get 503 errors"),
        "a question about an outage is not frustration"
    );
    assert!(
        !frustrated("SSO with SAML"),
        "short acronyms are not shouting"
    );
    let tr = triage(Tier::Tier1);
    let mut t = ticket(TicketState::Open);
    let mut m = msg(&tr, true);
    m.text = "this is ridiculous, how do I export my data";
    assert_eq!(
        on_customer_message(&mut t, &m, &POLICY, 5),
        Action::Escalate(EscalationReason::Frustrated)
    );
    assert_eq!(t.priority.as_deref(), Some("high"));
    for phrase in [
        "talk to a human",
        "hop on a call",
        "contact me",
        "live agent",
        "talk with ... customer service",
    ] {
        let asked = Triage {
            tier: Tier::Human,
            confidence: 1.0,
            reason: TriageReason::Rule(phrase.into()),
        };
        let mut t = ticket(TicketState::Answered);
        assert_eq!(
            on_customer_message(&mut t, &msg(&asked, true), &POLICY, 6),
            Action::Escalate(EscalationReason::CustomerAsked)
        );
    }
}

#[test]
fn a_follow_up_on_the_team_goes_to_a_person_without_a_quote() {
    for t in [
        "any update on my ticket?",
        "still no answer to my email from tuesday",
        "we sent a support request last week and haven't heard back",
        "my ticket number is 48213, can you check on it",
    ] {
        assert!(waiting_on_the_team(t), "{t}");
    }
    for t in [
        "any update on the outage?",
        "how do i update my credit card",
        "the api gives no response after 30s",
    ] {
        assert!(!waiting_on_the_team(t), "{t}");
    }
    let tr = triage(Tier::Tier1);
    let mut t = ticket(TicketState::Open);
    let mut m = msg(&tr, true);
    m.text = "any update on my ticket?";
    assert_eq!(
        on_customer_message(&mut t, &m, &POLICY, 5),
        Action::Escalate(EscalationReason::FollowUp)
    );
    assert_eq!(t.state, TicketState::Escalated);
}
