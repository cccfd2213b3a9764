//! The weekly support digest: a week's tickets by tier, answered by the bot or by people, resolution
//! and first-response times, SLA breaches, CSAT and cost, each against the week before; the top
//! knowledge gaps; how many resolved tickets are labelled for retraining triage; and tickets per day
//! by outcome for its chart.

use super::gaps::GapGroup;
use super::ports::TierStats;
use super::{Millis, Ticket, TicketState, human_duration};

/// A week's figures, summed over the tiers.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Week {
    pub tickets: i64,
    pub by_tier: Vec<(String, i64)>,
    pub escalated: i64,
    pub resolved: i64,
    pub sla_breached: i64,
    pub first_response_ms: Option<f64>,
    pub resolve_ms: Option<f64>,
    pub ratings: i64,
    pub csat: Option<f64>,
    pub cost_micros: i64,
}

impl Week {
    pub fn from_stats(stats: &[TierStats]) -> Week {
        let mut w = Week::default();
        let (mut fr, mut rs, mut cs) = ((0.0, 0), (0.0, 0), 0.0);
        for t in stats {
            w.tickets += t.tickets;
            w.by_tier.push((t.tier.clone(), t.tickets));
            w.escalated += t.escalated;
            w.resolved += t.resolved;
            w.sla_breached += t.sla_breached;
            w.ratings += t.ratings;
            w.cost_micros += t.cost_micros;
            if let Some(a) = t.avg_first_response_ms {
                fr = (fr.0 + a * t.tickets as f64, fr.1 + t.tickets);
            }
            if let Some(a) = t.avg_resolve_ms {
                rs = (rs.0 + a * t.resolved as f64, rs.1 + t.resolved);
            }
            cs += t.avg_csat.unwrap_or(0.0) * t.ratings as f64;
        }
        // Averages weighted by how many tickets each tier's average is over.
        w.first_response_ms = (fr.1 > 0).then(|| fr.0 / fr.1 as f64);
        w.resolve_ms = (rs.1 > 0).then(|| rs.0 / rs.1 as f64);
        w.csat = (w.ratings > 0).then(|| cs / w.ratings as f64);
        w
    }
}

fn change(cur: i64, prev: i64) -> String {
    match cur - prev {
        0 => "same as the week before".into(),
        d if d > 0 => format!("▲ {d} from {prev}"),
        d => format!("▼ {} from {prev}", -d),
    }
}

fn duration(ms: Option<f64>) -> String {
    ms.map_or_else(|| "—".into(), |m| human_duration(m as i64))
}

fn share(n: i64, of: i64) -> String {
    if of == 0 {
        "—".into()
    } else {
        format!("{:.0}%", 100.0 * n as f64 / of as f64)
    }
}

fn usd(micros: i64, n: i64) -> String {
    if n == 0 {
        "—".into()
    } else {
        format!("${:.4}", micros as f64 / 1e6 / n as f64)
    }
}

/// The digest's text: this week against the one before, the top gaps, and the triage data available.
pub fn text(cur: &Week, prev: &Week, gaps: &[GapGroup], labelled: usize) -> String {
    let tiers: Vec<String> = cur
        .by_tier
        .iter()
        .map(|(t, n)| format!("{t} {n}"))
        .collect();
    let bot = cur.tickets - cur.escalated;
    let mut s = format!(
        "Tickets: {} ({})\n  by tier: {}\nAnswered by the bot alone: {bot} ({}) · handed to people: {} ({})\n",
        cur.tickets,
        change(cur.tickets, prev.tickets),
        if tiers.is_empty() {
            "—".into()
        } else {
            tiers.join(" · ")
        },
        share(bot, cur.tickets),
        cur.escalated,
        change(cur.escalated, prev.escalated),
    );
    s.push_str(&format!(
        "Resolved: {} ({}); first response {} (was {}); resolution {} (was {})\n",
        cur.resolved,
        share(cur.resolved, cur.tickets),
        duration(cur.first_response_ms),
        duration(prev.first_response_ms),
        duration(cur.resolve_ms),
        duration(prev.resolve_ms),
    ));
    s.push_str(&format!(
        "SLA: {} of {} tickets for a person breached the first-response target (was {})\n",
        cur.sla_breached, cur.escalated, prev.sla_breached
    ));
    let csat = |w: &Week| {
        w.csat
            .map_or_else(|| "—".into(), |c| format!("{c:.1}/5 ({})", w.ratings))
    };
    s.push_str(&format!("CSAT: {} (was {})\n", csat(cur), csat(prev)));
    s.push_str(&format!(
        "LLM cost: {} per ticket, {} per resolved ticket\n",
        usd(cur.cost_micros, cur.tickets),
        usd(cur.cost_micros, cur.resolved)
    ));
    if gaps.is_empty() {
        s.push_str("Knowledge gaps: none this week.\n");
    } else {
        s.push_str("Top knowledge gaps (write these pages next):\n");
        for (i, g) in gaps.iter().take(5).enumerate() {
            let tickets: Vec<String> = g.tickets().iter().map(|t| format!("#{t}")).collect();
            let example: String = g.gaps[0].question.chars().take(100).collect();
            s.push_str(&format!(
                "  {}. {} × “{}” ({})\n",
                i + 1,
                g.gaps.len(),
                example.split_whitespace().collect::<Vec<_>>().join(" "),
                tickets.join(", ")
            ));
        }
    }
    s.push_str(&format!(
        "Triage: {labelled} resolved tickets are labelled for retraining: `opsdesk triage export \
         --since 90d > mine.jsonl`, then `opsdesk triage train --data mine.jsonl …` (docs/triage.md)."
    ));
    s
}

/// One day's tickets by outcome: resolved by the bot, handled by people, still open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Day {
    pub start: Millis,
    pub bot: i64,
    pub people: i64,
    pub open: i64,
}

/// Tickets opened each day of `days` (their starts, in order; each lasts until the next, the last
/// until `end`), by outcome.
pub fn per_day(tickets: &[Ticket], days: &[Millis], end: Millis) -> Vec<Day> {
    let mut out: Vec<Day> = days
        .iter()
        .map(|d| Day {
            start: *d,
            ..Day::default()
        })
        .collect();
    for t in tickets.iter().filter(|t| t.tier.is_some()) {
        let Some(i) = days.iter().rposition(|d| *d <= t.opened_at) else {
            continue;
        };
        if t.opened_at >= end {
            continue;
        }
        let d = &mut out[i];
        match (t.escalated_at.is_some(), t.state) {
            (true, _) => d.people += 1,
            (false, TicketState::Resolved | TicketState::Answered) => d.bot += 1,
            _ => d.open += 1,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ports::ThreadKey;
    use crate::domain::{Platform, Tier};

    fn stats(tier: &str, tickets: i64, resolved: i64, fr: f64, csat: (i64, f64)) -> TierStats {
        TierStats {
            tier: tier.into(),
            tickets,
            resolved,
            avg_first_response_ms: Some(fr),
            avg_resolve_ms: Some(fr * 10.0),
            cost_micros: 3_000 * tickets,
            ratings: csat.0,
            avg_csat: (csat.0 > 0).then_some(csat.1),
            escalated: if tier == "human" { tickets } else { 0 },
            sla_breached: i64::from(tier == "human"),
        }
    }

    #[test]
    fn a_week_sums_tiers_and_weighs_averages_by_their_tickets() {
        let w = Week::from_stats(&[
            stats("human", 2, 1, 600_000.0, (1, 2.0)),
            stats("tier1", 6, 6, 1_000.0, (3, 5.0)),
        ]);
        assert_eq!(
            (w.tickets, w.escalated, w.resolved, w.sla_breached),
            (8, 2, 7, 1)
        );
        assert_eq!(
            w.first_response_ms,
            Some((2.0 * 600_000.0 + 6.0 * 1_000.0) / 8.0)
        );
        assert_eq!(w.csat, Some((2.0 + 15.0) / 4.0));
        let prev = Week::from_stats(&[stats("tier1", 10, 9, 2_000.0, (0, 0.0))]);
        let t = text(&w, &prev, &[], 12);
        assert!(
            t.starts_with("Tickets: 8 (▼ 2 from 10)\n  by tier: human 2 · tier1 6\n"),
            "{t}"
        );
        assert!(
            t.contains("Answered by the bot alone: 6 (75%) · handed to people: 2 (▲ 2 from 0)"),
            "{t}"
        );
        assert!(
            t.contains("SLA: 1 of 2 tickets for a person breached"),
            "{t}"
        );
        assert!(t.contains("CSAT: 4.2/5 (4) (was —)"), "{t}");
        assert!(
            t.contains("LLM cost: $0.0030 per ticket, $0.0034 per resolved ticket"),
            "{t}"
        );
        assert!(
            t.contains("Knowledge gaps: none this week.") && t.contains("Triage: 12 resolved"),
            "{t}"
        );
        let empty = text(&Week::default(), &Week::default(), &[], 0);
        assert!(
            empty.starts_with("Tickets: 0 (same as the week before)\n  by tier: —"),
            "{empty}"
        );
    }

    #[test]
    fn tickets_fall_on_the_day_they_were_opened_by_outcome() {
        let key = ThreadKey {
            platform: Platform::Console,
            channel: "c",
            thread: "t",
        };
        let ticket = |at: Millis, escalated: bool, state: TicketState| {
            let mut t = Ticket::open(1, &key, "u", "s", at);
            t.tier = Some(Tier::Tier1);
            t.escalated_at = escalated.then_some(at);
            t.state = state;
            t
        };
        let tickets = [
            ticket(5, false, TicketState::Resolved),
            ticket(15, true, TicketState::Resolved),
            ticket(16, false, TicketState::Open),
            ticket(25, false, TicketState::Answered),
            ticket(30, false, TicketState::Answered), // after the last day
            ticket(-1, false, TicketState::Answered), // before the first
        ];
        let days = per_day(&tickets, &[0, 10, 20], 30);
        let counts: Vec<[i64; 3]> = days.iter().map(|d| [d.bot, d.people, d.open]).collect();
        assert_eq!(counts, [[1, 0, 0], [0, 1, 1], [1, 0, 0]]);
    }
}
