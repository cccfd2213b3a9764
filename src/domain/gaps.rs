//! Knowledge gaps: customer questions the knowledge base could not answer, and how they are shown to
//! the team grouped by what they ask about, largest group first.

use super::Millis;
use serde::Serialize;

/// One question the desk could not answer from the knowledge base.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KbGap {
    pub ticket: i64,
    pub at: Millis,
    pub question: String,
    /// Why no section was quoted (the escalation's reason).
    pub reason: String,
}

/// Questions that ask about the same thing, the most typical first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GapGroup {
    pub gaps: Vec<KbGap>,
}

impl GapGroup {
    /// The group's tickets, each once, in ascending order.
    pub fn tickets(&self) -> Vec<i64> {
        let mut t: Vec<i64> = self.gaps.iter().map(|g| g.ticket).collect();
        t.sort_unstable();
        t.dedup();
        t
    }

    /// The newest question's time.
    pub fn last_at(&self) -> Millis {
        self.gaps.iter().map(|g| g.at).max().unwrap_or(0)
    }
}

/// Forms groups from `gaps` and the index lists a similarity grouping returned (each list's first
/// index the most typical), ordered largest first, then the most recently asked.
pub fn groups(gaps: &[KbGap], members: Vec<Vec<usize>>) -> Vec<GapGroup> {
    let mut out: Vec<GapGroup> = members
        .into_iter()
        .filter(|m| !m.is_empty())
        .map(|m| GapGroup {
            gaps: m.into_iter().map(|i| gaps[i].clone()).collect(),
        })
        .collect();
    out.sort_by(|a, b| {
        b.gaps
            .len()
            .cmp(&a.gaps.len())
            .then(b.last_at().cmp(&a.last_at()))
    });
    out
}

/// The team's view: each group with its count, up to `examples` questions and its tickets.
pub fn describe(groups: &[GapGroup], examples: usize, period: &str) -> String {
    let total: usize = groups.iter().map(|g| g.gaps.len()).sum();
    if total == 0 {
        return format!("No knowledge gaps {period}: every question had an answer to quote.");
    }
    let mut s = format!(
        "Knowledge gaps {period}: {total} unanswered question{} in {} group{}, largest first.\n",
        plural(total),
        groups.len(),
        plural(groups.len())
    );
    for (i, g) in groups.iter().enumerate() {
        let tickets: Vec<String> = g.tickets().iter().map(|t| format!("#{t}")).collect();
        s.push_str(&format!(
            "{}. {} question{} · tickets {}\n",
            i + 1,
            g.gaps.len(),
            plural(g.gaps.len()),
            tickets.join(", ")
        ));
        for q in g.gaps.iter().take(examples) {
            s.push_str(&format!("   “{}”\n", one_line(&q.question, 120)));
        }
    }
    s.trim_end().to_string()
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// The text on one line, cut to `max` characters with an ellipsis.
fn one_line(text: &str, max: usize) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match flat.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &flat[..i]),
        None => flat,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gap(ticket: i64, at: Millis, q: &str) -> KbGap {
        KbGap {
            ticket,
            at,
            question: q.into(),
            reason: "no section".into(),
        }
    }

    #[test]
    fn groups_are_largest_first_then_newest_and_say_their_tickets() {
        let gaps = vec![
            gap(1, 10, "dark mode?"),
            gap(2, 20, "export pdf"),
            gap(3, 30, "night theme please"),
            gap(4, 40, "sso with okta"),
            gap(4, 41, "okta   login\nagain"),
        ];
        let g = groups(&gaps, vec![vec![1], vec![0, 2], vec![3, 4]]);
        assert_eq!(g.len(), 3);
        assert_eq!(g[0].tickets(), vec![4], "two questions, newest group first");
        assert_eq!(g[1].tickets(), vec![1, 3]);
        assert_eq!(g[2].tickets(), vec![2]);
        let text = describe(&g, 2, "in the last 7 days");
        assert!(
            text.starts_with(
                "Knowledge gaps in the last 7 days: 5 unanswered questions in 3 groups"
            ),
            "{text}"
        );
        assert!(
            text.contains("1. 2 questions · tickets #4\n   “sso with okta”\n   “okta login again”"),
            "{text}"
        );
        assert!(text.contains("3. 1 question · tickets #2"), "{text}");
        assert!(describe(&[], 3, "today").starts_with("No knowledge gaps today"));
        assert_eq!(one_line(&"x".repeat(10), 4), "xxxx…");
    }
}
