//! `opsdesk triage eval --sweep`: the real-traffic shares for other thresholds, from one run of the
//! model, as a table and in `--json`.

use crate::cli::{opsdesk, stderr, stdout};

#[test]
fn triage_eval_sweep_shows_the_trade_off_between_silence_and_deafness() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("mine.jsonl");
    std::fs::write(
        &data,
        [
            r#"{"text": "set an alarm for 7 tomorrow", "tier": "none"}"#,
            r#"{"text": "play some jazz in the kitchen", "tier": "none"}"#,
            r#"{"text": "how do I export my dashboard to csv?", "tier": "tier1"}"#,
            r#"{"text": "the api returns 500 on every call since this morning", "tier": "tier2"}"#,
            r#"{"text": "I want my money back for last month", "tier": "human"}"#,
        ]
        .join("\n"),
    )
    .unwrap();
    let d = data.to_str().unwrap();
    let o = opsdesk(&["triage", "eval", "--data", d, "--sweep"], &[], None);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("human_threshold none_threshold"), "{out}");
    assert!(out.contains("           0.35           0.60"), "{out}");
    let o = opsdesk(
        &["triage", "eval", "--data", d, "--sweep", "--json"],
        &[],
        None,
    );
    let v: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    let points = v["sweep"].as_array().unwrap();
    assert_eq!(points.len(), 30 + 16, "{v}");
    // Then the lower bar for messages the docs share little with, at the configured two.
    let second = points
        .iter()
        .filter(|p| {
            [0.4, 0.45, 0.5, 0.55].contains(&p["unrelated_none_threshold"].as_f64().unwrap())
                && p["human_threshold"] == 0.35
                && p["none_threshold"] == 0.55
        })
        .count();
    assert_eq!(second, 16, "{v}");
    assert!(out.contains("unrelated related_share"), "{out}");
    // The shipped thresholds' point is the plain report.
    let shipped = points
        .iter()
        .find(|p| p["human_threshold"] == 0.35 && p["none_threshold"] == 0.6)
        .unwrap();
    assert_eq!(shipped["report"]["accuracy"], v["accuracy"], "{v}");
    // The lower the bar for a person, the more messages go to one, and the more of those who
    // need one reach one: the share a desk reads its bar from.
    let at = |h: f64, share: &str| -> Vec<f64> {
        points
            .iter()
            .filter(|p| p["human_threshold"] == h)
            .map(|p| p["report"][share].as_f64().unwrap())
            .collect()
    };
    let most = |v: Vec<f64>| v.into_iter().fold(0.0, f64::max);
    let least = |v: Vec<f64>| v.into_iter().fold(1.0, f64::min);
    assert!(
        most(at(0.05, "sent_to_person")) >= most(at(0.7, "sent_to_person")),
        "{v}"
    );
    assert!(
        least(at(0.05, "human_recall")) >= least(at(0.7, "human_recall")),
        "{v}"
    );
    assert!(out.contains("tier1/2-agreement  human-recall"), "{out}");
    assert_eq!(shipped["report"]["human_recall"], v["human_recall"], "{v}");
    // Without --sweep the report has no sweep.
    let o = opsdesk(&["triage", "eval", "--data", d, "--json"], &[], None);
    let v: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    assert!(v.get("sweep").is_none(), "{v}");
}
