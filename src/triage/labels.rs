//! What a triage model is trained to tell apart: the four tiers themselves, or finer intents that each
//! belong to one tier (a model that separates "refund not showing up" from "request refund" also
//! separates the tiers better; its tier probability is the sum over that tier's intents).

use super::data::Example;
use crate::domain::Tier;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Which labels `triage train` learns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LabelMode {
    /// Intents when any example has an `"intent"` (one without counts as its tier's own intent, so
    /// labelled intent data mixes with tier-only data), the tiers otherwise.
    #[default]
    Auto,
    /// The tiers only; `"intent"` fields are ignored.
    Tier,
    /// The intents; every example must have one.
    Intent,
}

impl std::str::FromStr for LabelMode {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "auto" => Ok(LabelMode::Auto),
            "tier" => Ok(LabelMode::Tier),
            "intent" => Ok(LabelMode::Intent),
            other => Err(format!(
                "unknown label mode {other:?} (expected auto, tier or intent)"
            )),
        }
    }
}

/// One output of the model: a tier, or an intent with the tier it belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Label {
    pub name: String,
    pub tier: Tier,
}

/// The labels to learn (sorted by name) and each example's label index, or what is wrong with the data.
pub fn resolve(examples: &[Example], mode: LabelMode) -> Result<(Vec<Label>, Vec<usize>), String> {
    let tiers = examples
        .iter()
        .map(|e| e.tier.ok_or_else(|| format!("line {} has no tier", e.line)))
        .collect::<Result<Vec<Tier>, String>>()?;
    let use_intents = match mode {
        LabelMode::Tier => false,
        LabelMode::Intent => {
            if let Some(e) = examples.iter().find(|e| e.intent.is_none()) {
                return Err(format!(
                    "line {} has no \"intent\" (--labels intent needs one on every line)",
                    e.line
                ));
            }
            true
        }
        LabelMode::Auto => examples.iter().any(|e| e.intent.is_some()),
    };
    // Label name → (tier, first line seen with it).
    let mut seen: BTreeMap<String, (Tier, usize)> = BTreeMap::new();
    let mut names = Vec::with_capacity(examples.len());
    for (e, tier) in examples.iter().zip(&tiers) {
        let name = if use_intents {
            e.intent
                .clone()
                .unwrap_or_else(|| tier.as_str().to_string())
        } else {
            tier.as_str().to_string()
        };
        let (first_tier, first_line) = *seen.entry(name.clone()).or_insert((*tier, e.line));
        if first_tier != *tier {
            return Err(format!(
                "intent {name:?} is labelled {first_tier} on line {first_line} and {tier} on line {}",
                e.line
            ));
        }
        names.push(name);
    }
    let labels: Vec<Label> = seen
        .into_iter()
        .map(|(name, (tier, _))| Label { name, tier })
        .collect();
    let index = names
        .iter()
        .map(|n| {
            labels
                .binary_search_by(|l| l.name.as_str().cmp(n))
                .expect("label was collected")
        })
        .collect();
    Ok((labels, index))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ex(line: usize, tier: Tier, intent: Option<&str>) -> Example {
        Example {
            line,
            text: format!("text {line}"),
            tier: Some(tier),
            intent: intent.map(String::from),
        }
    }

    #[test]
    fn auto_uses_intents_when_any_line_has_one() {
        let full = [
            ex(1, Tier::Human, Some("refund")),
            ex(2, Tier::Tier1, Some("plans")),
            ex(3, Tier::Human, Some("refund")),
        ];
        let (labels, idx) = resolve(&full, LabelMode::Auto).unwrap();
        assert_eq!(
            labels
                .iter()
                .map(|l| (l.name.as_str(), l.tier))
                .collect::<Vec<_>>(),
            [("plans", Tier::Tier1), ("refund", Tier::Human)]
        );
        assert_eq!(idx, [1, 0, 1]);
        // A line without an intent is its tier's own intent, so intent data mixes with tier data.
        let partial = [ex(1, Tier::Human, Some("refund")), ex(2, Tier::Tier1, None)];
        let (labels, _) = resolve(&partial, LabelMode::Auto).unwrap();
        assert_eq!(
            labels.iter().map(|l| l.name.as_str()).collect::<Vec<_>>(),
            ["refund", "tier1"]
        );
        let none = [ex(1, Tier::Human, None), ex(2, Tier::Tier1, None)];
        let (labels, _) = resolve(&none, LabelMode::Auto).unwrap();
        assert_eq!(
            labels.iter().map(|l| l.name.as_str()).collect::<Vec<_>>(),
            ["human", "tier1"]
        );
        let (labels, _) = resolve(&full, LabelMode::Tier).unwrap();
        assert_eq!(labels.len(), 2);
    }

    #[test]
    fn bad_intent_data_is_named() {
        let partial = [ex(1, Tier::Human, Some("refund")), ex(7, Tier::Tier1, None)];
        let err = resolve(&partial, LabelMode::Intent).unwrap_err();
        assert!(err.contains("line 7 has no \"intent\""), "{err}");
        let clash = [
            ex(2, Tier::Human, Some("refund")),
            ex(9, Tier::Tier1, Some("refund")),
        ];
        let err = resolve(&clash, LabelMode::Auto).unwrap_err();
        assert_eq!(
            err,
            "intent \"refund\" is labelled human on line 2 and tier1 on line 9"
        );
        assert!(
            "sometimes"
                .parse::<LabelMode>()
                .unwrap_err()
                .contains("auto, tier or intent")
        );
    }
}
