//! Labelled and unlabelled JSONL for the triage commands: parse line by line, report bad lines by number.

use crate::domain::Tier;
use serde::Deserialize;
use std::io::BufRead;

#[derive(Deserialize)]
struct Line {
    text: String,
    tier: Option<String>,
    intent: Option<String>,
}

/// A line that could not be used, with its 1-based number.
#[derive(Debug, Clone, PartialEq)]
pub struct BadLine {
    pub line: usize,
    pub reason: String,
}

impl std::fmt::Display for BadLine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.reason)
    }
}

/// One usable line: its text, its tier when the input is labelled, and the finer intent label the
/// line may carry (`"intent"`, optional; see `LabelMode`).
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    pub line: usize,
    pub text: String,
    pub tier: Option<Tier>,
    pub intent: Option<String>,
}

/// One parsed line (`None` for a blank one); `labelled` requires a valid `"tier"`.
pub fn parse_line(raw: &str, number: usize, labelled: bool) -> Result<Option<Example>, BadLine> {
    if raw.trim().is_empty() {
        return Ok(None);
    }
    let bad = |reason: String| BadLine {
        line: number,
        reason,
    };
    let l: Line = serde_json::from_str(raw).map_err(|e| bad(format!("invalid JSON ({e})")))?;
    let intent = l
        .intent
        .map(|i| i.trim().to_string())
        .filter(|i| !i.is_empty());
    if !labelled {
        return Ok(Some(Example {
            line: number,
            text: l.text,
            tier: None,
            intent,
        }));
    }
    if l.text.trim().is_empty() {
        // Trained on, an empty line would teach the model what emoji-only messages are.
        return Err(bad("empty \"text\"".into()));
    }
    let tier = l.tier.ok_or_else(|| bad("missing \"tier\"".into()))?;
    let t = Tier::parse(&tier).ok_or_else(|| {
        bad(format!(
            "unknown tier {tier:?} (expected none, tier1, tier2 or human)"
        ))
    })?;
    Ok(Some(Example {
        line: number,
        text: l.text,
        tier: Some(t),
        intent,
    }))
}

/// Usable labelled examples (each with `tier` set), and the lines skipped with their reasons.
pub type Labelled = (Vec<Example>, Vec<BadLine>);

/// Reads a labelled JSONL stream, returning the examples and the lines that were skipped.
pub fn read_labelled(r: impl BufRead) -> std::io::Result<Labelled> {
    let mut ok = Vec::new();
    let mut bad = Vec::new();
    for (i, line) in r.lines().enumerate() {
        match parse_line(&line?, i + 1, true) {
            Ok(Some(e)) => ok.push(e),
            Ok(None) => {}
            Err(b) => bad.push(b),
        }
    }
    Ok((ok, bad))
}

/// Lines whose texts are the same (case and spacing aside) but whose tiers differ: one of each pair
/// is mislabelled, and training on both teaches nothing. Each as "line A (tier) and line B (tier)".
pub fn conflicts(examples: &[Example]) -> Vec<String> {
    let key = |t: &str| {
        t.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    let mut first: std::collections::HashMap<String, &Example> = Default::default();
    let mut out = vec![];
    for e in examples {
        let Some(tier) = e.tier else { continue };
        match first.get(&key(&e.text)) {
            Some(f) if f.tier != Some(tier) => out.push(format!(
                "line {} ({}) and line {} ({tier}) hold the same text",
                f.line,
                f.tier.map_or("-".to_string(), |t| t.to_string()),
                e.line
            )),
            Some(_) => {}
            None => {
                first.insert(key(&e.text), e);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_lines_are_numbered_and_skipped() {
        let input = "{\"text\":\"a\",\"tier\":\"tier1\",\"intent\":\"x\"}\nnot json\n\n{\"text\":\"b\",\"tier\":\"urgent\"}\n{\"text\":\"c\"}\n{\"text\":\" \",\"tier\":\"tier1\"}\n";
        let (ok, bad) = read_labelled(input.as_bytes()).unwrap();
        assert_eq!(
            ok,
            vec![Example {
                line: 1,
                text: "a".into(),
                tier: Some(Tier::Tier1),
                intent: Some("x".into())
            }]
        );
        assert_eq!(bad.iter().map(|b| b.line).collect::<Vec<_>>(), [2, 4, 5, 6]);
        assert!(bad[1].to_string().contains("unknown tier \"urgent\""));
        assert!(bad[2].to_string().contains("missing \"tier\""));
        assert!(
            bad[3].to_string().contains("line 6: empty \"text\""),
            "{}",
            bad[3]
        );
    }

    #[test]
    fn blank_intents_count_as_none() {
        let e = parse_line(
            "{\"text\":\"a\",\"tier\":\"none\",\"intent\":\"  \"}",
            3,
            true,
        )
        .unwrap()
        .unwrap();
        assert_eq!((e.line, e.intent), (3, None));
    }

    #[test]
    fn the_same_text_under_two_tiers_is_named_by_its_lines() {
        let lines = [
            r#"{"text": "I want a refund", "tier": "human"}"#,
            r#"{"text": "how do I export?", "tier": "tier1"}"#,
            r#"{"text": "i want  a REFUND", "tier": "tier1"}"#,
            r#"{"text": "how do I export?", "tier": "tier1"}"#,
        ]
        .join("\n");
        let (ok, _) = read_labelled(lines.as_bytes()).unwrap();
        assert_eq!(
            conflicts(&ok),
            ["line 1 (human) and line 3 (tier1) hold the same text"]
        );
    }
}
