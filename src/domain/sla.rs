//! First-response SLA for tickets waiting for a person: a target per priority, a reminder when most
//! of it has passed, a breach notice when it has, and the state `/ops tickets` shows. Pure.

use super::support::EscalationReason;
use super::{Millis, Ticket, TicketState};

#[derive(Debug, Clone, PartialEq)]
pub struct SlaPolicy {
    pub urgent_ms: Millis,
    pub high_ms: Millis,
    pub normal_ms: Millis,
    /// The share of the target after which the team is reminded (0.75 = with a quarter left).
    pub remind_at: f64,
}

impl SlaPolicy {
    pub fn target(&self, priority: Option<&str>) -> Millis {
        match priority {
            Some("urgent") => self.urgent_ms,
            Some("high") => self.high_ms,
            _ => self.normal_ms,
        }
    }
}

/// How urgent a person's answer is, from why the ticket went to a person.
pub fn priority_for(reason: &EscalationReason) -> &'static str {
    match reason {
        EscalationReason::Vip => "urgent",
        EscalationReason::Triage(_) | EscalationReason::Frustrated | EscalationReason::Incident => {
            "high"
        }
        _ => "normal",
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlaStep {
    Remind { left_ms: Millis },
    Breach { target_ms: Millis },
}

fn waiting(t: &Ticket) -> Option<Millis> {
    (matches!(t.state, TicketState::Escalated | TicketState::Claimed)
        && t.human_response_at.is_none())
    .then_some(t.escalated_at)
    .flatten()
}

/// The notice due now, if any; records it on the ticket so it is sent once.
pub fn sla_step(t: &mut Ticket, p: &SlaPolicy, now: Millis) -> Option<SlaStep> {
    let start = waiting(t)?;
    let target = p.target(t.priority.as_deref());
    if now >= start + target && t.sla_stage < 2 {
        t.sla_stage = 2;
        t.updated_at = now;
        return Some(SlaStep::Breach { target_ms: target });
    }
    if now >= start + (target as f64 * p.remind_at) as Millis && t.sla_stage < 1 {
        t.sla_stage = 1;
        t.updated_at = now;
        return Some(SlaStep::Remind {
            left_ms: start + target - now,
        });
    }
    None
}

/// For lists: `12m left`, `breached`, `met`, or `-` (never waited for a person).
pub fn sla_state(t: &Ticket, p: &SlaPolicy, now: Millis, fmt: impl Fn(Millis) -> String) -> String {
    let Some(start) = t.escalated_at else {
        return "-".into();
    };
    let target = p.target(t.priority.as_deref());
    match t.human_response_at {
        Some(at) if at - start <= target => "met".into(),
        Some(_) => "missed".into(),
        None if waiting(t).is_none() => "-".into(),
        None if now >= start + target => "breached".into(),
        None => format!("{} left", fmt(start + target - now)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ticket::tests::ticket;

    fn policy() -> SlaPolicy {
        SlaPolicy {
            urgent_ms: 100,
            high_ms: 1000,
            normal_ms: 4000,
            remind_at: 0.75,
        }
    }

    #[test]
    fn reminds_once_then_announces_the_breach_once() {
        let mut t = ticket(TicketState::Escalated);
        t.escalated_at = Some(0);
        t.priority = Some("high".into());
        assert_eq!(sla_step(&mut t, &policy(), 749), None);
        assert_eq!(
            sla_step(&mut t, &policy(), 750),
            Some(SlaStep::Remind { left_ms: 250 })
        );
        assert_eq!(sla_step(&mut t, &policy(), 800), None);
        assert_eq!(
            sla_step(&mut t, &policy(), 1000),
            Some(SlaStep::Breach { target_ms: 1000 })
        );
        assert_eq!(sla_step(&mut t, &policy(), 5000), None);
        assert_eq!(
            sla_state(&t, &policy(), 5000, |ms| format!("{ms}ms")),
            "breached"
        );
    }

    #[test]
    fn an_answer_stops_the_clock_and_counts_as_met_or_missed() {
        let mut t = ticket(TicketState::Claimed);
        t.escalated_at = Some(0);
        t.priority = Some("urgent".into());
        assert_eq!(
            sla_state(&t, &policy(), 40, |ms| format!("{ms}ms")),
            "60ms left"
        );
        t.human_response_at = Some(90);
        assert_eq!(sla_step(&mut t, &policy(), 500), None);
        assert_eq!(sla_state(&t, &policy(), 500, |ms| format!("{ms}ms")), "met");
        t.human_response_at = Some(150);
        assert_eq!(
            sla_state(&t, &policy(), 500, |ms| format!("{ms}ms")),
            "missed"
        );
    }

    #[test]
    fn priority_follows_the_reason() {
        assert_eq!(priority_for(&EscalationReason::Vip), "urgent");
        assert_eq!(
            priority_for(&EscalationReason::Triage("refund".into())),
            "high"
        );
        assert_eq!(priority_for(&EscalationReason::NotGrounded), "normal");
    }
}
