//! The figures `opsdesk kb eval` reports from scored lines, and how they are printed.

use super::kb_eval::{Kind, Scored};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub lines: usize,
    /// Lines that got a quote.
    pub answered: usize,
    /// Of the quotes, the share that answer the question.
    pub precision: f64,
    /// Of the answerable lines, the share that got a right quote.
    pub coverage: f64,
    /// Of the unanswerable and incident lines, the share that got a quote anyway.
    pub false_answer_rate: f64,
    /// Of the human lines, the share handed to a person (`None` without human lines).
    pub human_recall: Option<f64>,
    /// Of the answerable lines, the share whose right section was quoted or offered as "may help".
    pub helped: f64,
    /// Of the incident lines that name a section about their symptom, the share offered one (as a
    /// known issue or a page that may help); `None` without such lines.
    pub incidents_pointed: Option<f64>,
    /// Of the right quotes whose line says what the answer shows (`answer_contains`), the share
    /// whose quoted text shows it; `None` without such lines.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub on_point: Option<f64>,
}

fn share(n: usize, of: usize) -> f64 {
    if of == 0 { 0.0 } else { n as f64 / of as f64 }
}

pub fn report(scored: &[Scored]) -> Report {
    let count = |f: &dyn Fn(&Scored) -> bool| scored.iter().filter(|s| f(s)).count();
    let answered = count(&|s| !s.quoted.is_empty());
    let right = count(&|s| s.right);
    let answerable = count(&|s| s.kind == Kind::Answerable);
    let negative = count(&|s| matches!(s.kind, Kind::Unanswerable | Kind::Incident));
    let false_answers =
        count(&|s| matches!(s.kind, Kind::Unanswerable | Kind::Incident) && !s.quoted.is_empty());
    let human = count(&|s| s.kind == Kind::Human);
    let human_escalated = count(&|s| s.kind == Kind::Human && s.escalated);
    let helped = count(&|s| s.kind == Kind::Answerable && (s.right || s.suggested_right));
    let incidents = count(&|s| s.kind == Kind::Incident && s.has_sections);
    let pointed = count(&|s| s.kind == Kind::Incident && s.suggested_right);
    let labelled = count(&|s| s.on_point.is_some());
    let on_point = count(&|s| s.on_point == Some(true));
    Report {
        lines: scored.len(),
        answered,
        precision: share(right, answered),
        coverage: share(right, answerable),
        false_answer_rate: share(false_answers, negative),
        human_recall: (human > 0).then(|| share(human_escalated, human)),
        helped: share(helped, answerable),
        incidents_pointed: (incidents > 0).then(|| share(pointed, incidents)),
        on_point: (labelled > 0).then(|| share(on_point, labelled)),
    }
}

/// Human recall as printed: three decimals, or `-` when no line is for a person.
pub fn recall(r: Option<f64>) -> String {
    r.map_or_else(|| "    -".into(), |r| format!("{r:.3}"))
}

/// The report as text.
pub fn describe(r: &Report) -> String {
    let mut text = format!(
        "{} lines, {} answered with a quote\n\
         answer precision   {:.3}  (quotes that answer the question)\n\
         coverage           {:.3}  (answerable questions with a right quote)\n\
         false-answer rate  {:.3}  (unanswerable or incident messages that got a quote)\n\
         human recall       {}  (messages for a person handed to one)\n\
         helped             {:.3}  (answerable: right section quoted or offered as may-help)\n\
         incidents pointed  {}  (incidents offered the section about their symptom)",
        r.lines,
        r.answered,
        r.precision,
        r.coverage,
        r.false_answer_rate,
        recall(r.human_recall),
        r.helped,
        recall(r.incidents_pointed)
    );
    if let Some(p) = r.on_point {
        text.push_str(&format!(
            "\non point           {p:.3}  (right quotes that show the words the answer says)"
        ));
    }
    text
}

/// One line per miss: a wrong or false quote, an answerable question with none, a human line kept.
pub fn misses(scored: &[Scored]) -> Vec<String> {
    scored
        .iter()
        .filter_map(|s| {
            let what = match s.kind {
                Kind::Answerable if s.right && s.on_point == Some(false) => {
                    "quoted, not the passage that answers,".to_string()
                }
                Kind::Answerable if s.right => return None,
                Kind::Answerable if s.quoted.is_empty() => "no quote".to_string(),
                Kind::Human if s.escalated => return None,
                Kind::Human => "not handed to a person".to_string(),
                _ if s.quoted.is_empty() => return None,
                _ => "quoted".to_string(),
            };
            let tier = s.tier.as_deref().unwrap_or("-");
            let quoted = s.quoted.join(", ");
            let text: String = s.text.chars().take(100).collect();
            let why = s
                .why
                .as_deref()
                .map_or(String::new(), |w| format!("\n    {w}"));
            Some(format!(
                "[{:?} → {tier}] {what} {quoted}: {text}{why}",
                s.kind
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(kind: Kind, quoted: &[&str], right: bool, escalated: bool) -> Scored {
        Scored {
            text: "q".into(),
            kind,
            tier: Some("tier1".into()),
            quoted: quoted.iter().map(|s| s.to_string()).collect(),
            suggested: vec![],
            escalated,
            right,
            suggested_right: false,
            has_sections: false,
            why: None,
            on_point: None,
        }
    }

    #[test]
    fn figures_count_quotes_false_answers_and_people() {
        let scored = [
            line(Kind::Answerable, &["a#x"], true, false),
            line(Kind::Answerable, &["b#y"], false, false),
            line(Kind::Answerable, &[], false, true),
            line(Kind::Unanswerable, &["c#z"], false, false),
            line(Kind::Incident, &[], false, true),
            line(Kind::Human, &[], false, true),
            line(Kind::Human, &[], false, false),
        ];
        let r = report(&scored);
        assert_eq!(r.incidents_pointed, None, "no incident names a section");
        assert_eq!(r.answered, 3);
        assert!((r.precision - 1.0 / 3.0).abs() < 1e-9);
        assert!((r.coverage - 1.0 / 3.0).abs() < 1e-9);
        assert_eq!(r.false_answer_rate, 0.5);
        assert_eq!(r.human_recall, Some(0.5));
        let m = misses(&scored);
        assert_eq!(m.len(), 4, "{m:?}");
        assert!(m[0].contains("quoted b#y") || m[0].contains("b#y"), "{m:?}");
        assert_eq!(report(&scored[..1]).human_recall, None);
        assert_eq!(recall(None).trim(), "-");
    }

    #[test]
    fn incidents_count_as_pointed_when_the_section_on_their_symptom_is_offered() {
        let mut pointed = line(Kind::Incident, &[], false, true);
        pointed.has_sections = true;
        pointed.suggested_right = true;
        let mut missed = line(Kind::Incident, &[], false, true);
        missed.has_sections = true;
        let unnamed = line(Kind::Incident, &[], false, true);
        let r = report(&[pointed.clone(), missed, unnamed]);
        assert_eq!(r.incidents_pointed, Some(0.5));
        assert_eq!(r.helped, 0.0, "an incident is not an answerable question");
        assert!(
            describe(&r).contains("incidents pointed  0.500"),
            "{}",
            describe(&r)
        );
    }

    #[test]
    fn on_point_counts_right_quotes_that_show_the_labelled_words() {
        let mut shown = line(Kind::Answerable, &["a#x"], true, false);
        shown.on_point = Some(true);
        let mut hidden = shown.clone();
        hidden.on_point = Some(false);
        let unlabelled = line(Kind::Answerable, &["a#x"], true, false);
        let r = report(&[shown, hidden.clone(), unlabelled.clone()]);
        assert_eq!(r.on_point, Some(0.5));
        let m = misses(&[hidden]);
        assert!(m[0].contains("not the passage that answers"), "{m:?}");
        assert!(
            describe(&r).contains("on point           0.500"),
            "{}",
            describe(&r)
        );
        assert_eq!(report(&[unlabelled]).on_point, None);
        assert!(!describe(&report(&[])).contains("on point"));
    }
}
