//! `opsdesk triage eval --sweep`: the shares that matter on real traffic (off-topic kept silent,
//! customers ignored, people paged, tier agreement, people reached) for other values of
//! `triage.human_threshold` and `triage.none_threshold`, then of `triage.unrelated_none_threshold`
//! and `triage.related_share` at the configured two, so a desk picks its own from its own messages.
//! The model runs once per message; only the decisions on top of it are repeated.

use crate::domain::Tier;
use crate::triage::{TriageRules, Triager, data, eval};
use std::io::Write;

/// The values tried: `triage.human_threshold` × `triage.none_threshold`.
const HUMAN: [f64; 6] = [0.05, 0.1, 0.2, 0.35, 0.5, 0.7];
const NONE: [f64; 5] = [0.4, 0.5, 0.6, 0.7, 0.8];
/// Then `triage.unrelated_none_threshold` × `triage.related_share` (0: every message at one bar).
const UNRELATED: [f64; 4] = [0.4, 0.45, 0.5, 0.55];
const SHARE: [f64; 4] = [0.0, 0.34, 0.5, 0.67];

/// One point of the sweep.
#[derive(Debug, serde::Serialize)]
pub struct Point {
    pub human_threshold: f64,
    pub none_threshold: f64,
    pub unrelated_none_threshold: f64,
    pub related_share: f64,
    pub report: eval::Report,
}

pub fn sweep(triager: &Triager, examples: &[data::Example]) -> Vec<Point> {
    let labelled: Vec<(&data::Example, Tier, Vec<f32>)> = examples
        .iter()
        .filter_map(|e| Some((e, e.tier?, triager.probs(&e.text))))
        .collect();
    let base = triager.rules().clone();
    let mut grid: Vec<TriageRules> = vec![];
    for human_threshold in HUMAN {
        for none_threshold in NONE {
            grid.push(TriageRules {
                human_threshold,
                none_threshold,
                ..base.clone()
            });
        }
    }
    for unrelated_none_threshold in UNRELATED {
        for related_share in SHARE {
            grid.push(TriageRules {
                unrelated_none_threshold,
                related_share,
                ..base.clone()
            });
        }
    }
    let mut points = vec![];
    for rules in grid {
        let t = triager.with_rules(rules.clone());
        let pairs: Vec<(Tier, Tier)> = labelled
            .iter()
            .map(|(e, tier, probs)| (*tier, t.decide(&e.text, probs).tier))
            .collect();
        points.push(Point {
            human_threshold: rules.human_threshold,
            none_threshold: rules.none_threshold,
            unrelated_none_threshold: rules.unrelated_none_threshold,
            related_share: rules.related_share,
            report: eval::evaluate(&pairs),
        });
    }
    points
}

/// The sweep as a table; a share the data cannot measure (no such lines) is `-`.
pub fn render(points: &[Point], out: &mut impl Write) -> std::io::Result<()> {
    writeln!(
        out,
        "\nhuman_threshold none_threshold unrelated related_share  accuracy  kept-silent  \
         support-none  sent-to-person  tier1/2-agreement  human-recall"
    )?;
    let f = |v: Option<f64>| v.map_or("-".to_string(), |v| format!("{v:.3}"));
    for p in points {
        let r = &p.report;
        writeln!(
            out,
            "{:>15.2} {:>14.2} {:>9.2} {:>13.2}  {:>8.3}  {:>11}  {:>12}  {:>14}  {:>17}  {:>12}",
            p.human_threshold,
            p.none_threshold,
            p.unrelated_none_threshold,
            p.related_share,
            r.accuracy,
            f(r.none_kept_silent),
            f(r.support_called_none),
            f(r.sent_to_person),
            f(r.tier1_tier2_agreement),
            f(r.human_recall)
        )?;
    }
    Ok(())
}
