//! Labelled and unlabelled JSONL for the triage commands: parse line by line, report bad lines by number.

use crate::domain::Tier;
use serde::Deserialize;
use std::io::BufRead;

#[derive(Deserialize)]
struct Line {
    text: String,
    tier: Option<String>,
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

/// One parsed line: its text, and its tier when `labelled`.
pub fn parse_line(raw: &str, number: usize, labelled: bool) -> Result<Option<(String, Option<Tier>)>, BadLine> {
    if raw.trim().is_empty() {
        return Ok(None);
    }
    let bad = |reason: String| BadLine { line: number, reason };
    let l: Line = serde_json::from_str(raw).map_err(|e| bad(format!("invalid JSON ({e})")))?;
    if !labelled {
        return Ok(Some((l.text, None)));
    }
    let tier = l.tier.ok_or_else(|| bad("missing \"tier\"".into()))?;
    let t = Tier::parse(&tier).ok_or_else(|| bad(format!("unknown tier {tier:?} (expected none, tier1, tier2 or human)")))?;
    Ok(Some((l.text, Some(t))))
}

/// Usable examples, and the lines skipped with their reasons.
pub type Labelled = (Vec<(String, Tier)>, Vec<BadLine>);

/// Reads a labelled JSONL stream, returning the examples and the lines that were skipped.
pub fn read_labelled(r: impl BufRead) -> std::io::Result<Labelled> {
    let mut ok = Vec::new();
    let mut bad = Vec::new();
    for (i, line) in r.lines().enumerate() {
        match parse_line(&line?, i + 1, true) {
            Ok(Some((text, Some(t)))) => ok.push((text, t)),
            Ok(_) => {}
            Err(b) => bad.push(b),
        }
    }
    Ok((ok, bad))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_lines_are_numbered_and_skipped() {
        let input =
            "{\"text\":\"a\",\"tier\":\"tier1\",\"intent\":\"x\"}\nnot json\n\n{\"text\":\"b\",\"tier\":\"urgent\"}\n{\"text\":\"c\"}\n";
        let (ok, bad) = read_labelled(input.as_bytes()).unwrap();
        assert_eq!(ok, vec![("a".to_string(), Tier::Tier1)]);
        assert_eq!(bad.iter().map(|b| b.line).collect::<Vec<_>>(), [2, 4, 5]);
        assert!(bad[1].to_string().contains("unknown tier \"urgent\""));
        assert!(bad[2].to_string().contains("missing \"tier\""));
    }
}
