//! Evaluation of a triager on labelled data: accuracy, per-tier precision/recall/support, confusion,
//! and the shares that matter on real traffic (chatter kept silent, customers ignored, people paged).

use crate::domain::Tier;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TierScore {
    pub precision: f64,
    pub recall: f64,
    pub support: usize,
}

/// The `triage eval --json` object.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Report {
    pub n: usize,
    pub accuracy: f64,
    pub per_tier: BTreeMap<String, TierScore>,
    pub confusion: BTreeMap<String, BTreeMap<String, usize>>,
    /// Of the `none` messages, the share called `none` (kept silent).
    pub none_kept_silent: Option<f64>,
    /// Of the support messages (any other tier), the share called `none` (a customer ignored).
    pub support_called_none: Option<f64>,
    /// Of the messages that are not for a person, the share sent to one.
    pub sent_to_person: Option<f64>,
    /// Of the tier-1 and tier-2 messages, the share given their own tier.
    pub tier1_tier2_agreement: Option<f64>,
    /// Of the messages for a person, the share sent to one.
    pub human_recall: Option<f64>,
}

/// The share of `pairs` matching `of` that also match `hit`; `None` when none match `of`.
fn share(
    pairs: &[(Tier, Tier)],
    of: impl Fn(Tier) -> bool,
    hit: impl Fn(Tier, Tier) -> bool,
) -> Option<f64> {
    let base: Vec<&(Tier, Tier)> = pairs.iter().filter(|(t, _)| of(*t)).collect();
    (!base.is_empty())
        .then(|| base.iter().filter(|(t, p)| hit(*t, *p)).count() as f64 / base.len() as f64)
}

pub fn evaluate(pairs: &[(Tier, Tier)]) -> Report {
    let n = pairs.len();
    let correct = pairs.iter().filter(|(t, p)| t == p).count();
    let mut confusion: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    for (t, p) in pairs {
        *confusion
            .entry(t.to_string())
            .or_default()
            .entry(p.to_string())
            .or_default() += 1;
    }
    let mut per_tier = BTreeMap::new();
    for tier in Tier::ALL {
        let support = pairs.iter().filter(|(t, _)| *t == tier).count();
        let predicted = pairs.iter().filter(|(_, p)| *p == tier).count();
        if support == 0 && predicted == 0 {
            continue;
        }
        let tp = pairs
            .iter()
            .filter(|(t, p)| *t == tier && *p == tier)
            .count();
        let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        per_tier.insert(
            tier.to_string(),
            TierScore {
                precision: ratio(tp, predicted),
                recall: ratio(tp, support),
                support,
            },
        );
    }
    Report {
        n,
        accuracy: if n == 0 {
            0.0
        } else {
            correct as f64 / n as f64
        },
        per_tier,
        confusion,
        none_kept_silent: share(pairs, |t| t == Tier::None, |_, p| p == Tier::None),
        support_called_none: share(pairs, |t| t != Tier::None, |_, p| p == Tier::None),
        sent_to_person: share(pairs, |t| t != Tier::Human, |_, p| p == Tier::Human),
        tier1_tier2_agreement: share(
            pairs,
            |t| matches!(t, Tier::Tier1 | Tier::Tier2),
            |t, p| t == p,
        ),
        human_recall: share(pairs, |t| t == Tier::Human, |_, p| p == Tier::Human),
    }
}

impl Report {
    /// The human-readable form printed without `--json`.
    pub fn render(&self) -> String {
        let mut s = format!(
            "examples: {}\naccuracy: {:.4}\n\ntier     precision  recall  support\n",
            self.n, self.accuracy
        );
        let shares = [
            ("off-topic kept silent", self.none_kept_silent),
            ("support called none", self.support_called_none),
            ("non-human sent to a person", self.sent_to_person),
            ("tier1/tier2 agreement", self.tier1_tier2_agreement),
            ("human recall", self.human_recall),
        ];
        for (what, v) in shares {
            if let Some(v) = v {
                s.insert_str(
                    s.find("\ntier ").unwrap_or(s.len()),
                    &format!("{what}: {v:.4}\n"),
                );
            }
        }
        for (t, sc) in &self.per_tier {
            s.push_str(&format!(
                "{t:<8} {:>9.4} {:>7.4} {:>8}\n",
                sc.precision, sc.recall, sc.support
            ));
        }
        let tiers: Vec<&str> = Tier::ALL
            .iter()
            .map(|t| t.as_str())
            .filter(|t| self.per_tier.contains_key(*t))
            .collect();
        s.push_str("\nconfusion (rows: true, columns: predicted)\n        ");
        for t in &tiers {
            s.push_str(&format!("{t:>7}"));
        }
        for row in &tiers {
            s.push_str(&format!("\n{row:<8}"));
            for col in &tiers {
                let c = self
                    .confusion
                    .get(*row)
                    .and_then(|r| r.get(*col))
                    .copied()
                    .unwrap_or(0);
                s.push_str(&format!("{c:>7}"));
            }
        }
        s.push('\n');
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metrics_match_hand_computation() {
        use Tier::*;
        let r = evaluate(&[
            (Tier1, Tier1),
            (Tier1, Human),
            (Human, Human),
            (Tier2, Tier1),
        ]);
        assert_eq!(r.n, 4);
        assert!((r.accuracy - 0.5).abs() < 1e-9);
        let h = &r.per_tier["human"];
        assert_eq!((h.precision, h.recall, h.support), (0.5, 1.0, 1));
        let t1 = &r.per_tier["tier1"];
        assert_eq!((t1.precision, t1.recall, t1.support), (0.5, 0.5, 2));
        assert_eq!(r.confusion["tier2"]["tier1"], 1);
        assert!(!r.per_tier.contains_key("none"));
        assert!(r.render().contains("accuracy: 0.5000"));
        assert_eq!(r.none_kept_silent, Option::None);
        assert_eq!(r.support_called_none, Some(0.0));
        assert_eq!(r.sent_to_person, Some(1.0 / 3.0));
        assert_eq!(r.tier1_tier2_agreement, Some(1.0 / 3.0));
        assert_eq!(r.human_recall, Some(1.0));
        let r = evaluate(&[
            (Human, Tier2),
            (Human, Human),
            (Human, Human),
            (Human, None),
        ]);
        assert_eq!(r.human_recall, Some(0.5));
        assert!(
            r.render().contains("human recall: 0.5000"),
            "{}",
            r.render()
        );
        let r = evaluate(&[(None, None), (None, Tier1), (Tier1, None), (Tier2, Tier2)]);
        assert_eq!(r.human_recall, Option::None);
        assert_eq!(r.none_kept_silent, Some(0.5));
        assert_eq!(r.support_called_none, Some(0.5));
        assert!(
            r.render().contains("off-topic kept silent: 0.5000"),
            "{}",
            r.render()
        );
    }
}
