//! Knowledge-base answers on questions written after every threshold was chosen
//! (`tests/fixtures/kb/fresh-questions.jsonl`), as a user scores them with `opsdesk kb eval`.

use crate::cli::{opsdesk, stderr, stdout};

/// `opsdesk kb eval --data <data> --json`'s report, with `env` set.
pub(crate) fn kb_report(data: &str, env: &[(&str, &str)]) -> serde_json::Value {
    let o = opsdesk(&["kb", "eval", "--data", data, "--json"], env, None);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    v["report"].clone()
}

/// 40 direct questions the sample docs answer and 30 about what they lack ("is tallybird open
/// source?", "do you have a python sdk"), written after the answer bars were chosen, and scored
/// once with and without "difference" as a question's frame: 13 quotes either way, precision
/// 0.692 → 0.769, coverage 0.225 → 0.250, false answers 0.067 (2 of 30) either way. The wrong
/// quotes left are bag-of-words near misses: "open source" against "Open Data → Sources", "a
/// status page we can subscribe to" against a page naming the status site, "a limit to how many
/// dashboards" against *Rate limits*. Since a web address is no word a section says, the page that
/// names the status site (`status.tallybird.example`) no longer covers "a status page": 13 quotes,
/// precision 0.846, false answers 0.033 (1 of 30). This keeps those figures from getting worse.
#[test]
fn fresh_questions_keep_their_figures() {
    let data = "tests/fixtures/kb/fresh-questions.jsonl";
    let r = &kb_report(data, &[]);
    assert_eq!(r["lines"], 70, "{r}");
    assert!(
        r["precision"].as_f64().unwrap() >= 11.0 / 13.0 - 1e-9,
        "{r}"
    );
    assert!(r["coverage"].as_f64().unwrap() >= 10.0 / 40.0 - 1e-9, "{r}");
    assert!(
        r["false_answer_rate"].as_f64().unwrap() <= 1.0 / 30.0 + 1e-9,
        "{r}"
    );
    let o = opsdesk(&["kb", "eval", "--data", data, "--verbose"], &[], None);
    let text = stdout(&o);
    assert!(
        !text.contains("quoted billing-changes#upgrade-your-plan"),
        "\"what's the difference between pro and team plans\" is not about a prorated difference: {text}"
    );
    assert!(
        !text.contains("quoted troubleshooting-performance#dashboard-shows-a-blank-page"),
        "a page naming status.tallybird.example does not answer \"do you have a status page\": {text}"
    );
}

/// Questions written after the bars were first chosen (`validation-questions.jsonl`: 25 the sample
/// docs answer, 7 about features they lack, 4 incidents): every quote right, nothing quoted to a
/// missing feature or an incident, and 13 of the 25 answered at the shipped `kb.min_coverage`
/// (0.35); at 0.4, 11 ("our card expired, how do i put in the new one" covers 0.38 of *Update your
/// credit card*).
#[test]
fn validation_questions_are_answered_at_the_shipped_coverage_bar() {
    let data = "tests/fixtures/kb/validation-questions.jsonl";
    let r = &kb_report(data, &[]);
    assert_eq!(r["lines"], 36, "{r}");
    assert_eq!(r["precision"], 1.0, "{r}");
    assert_eq!(r["false_answer_rate"], 0.0, "{r}");
    assert!(r["coverage"].as_f64().unwrap() >= 13.0 / 25.0 - 1e-9, "{r}");
    let stricter = &kb_report(data, &[("OPSDESK__KB__MIN_COVERAGE", "0.4")]);
    assert!(
        stricter["coverage"].as_f64().unwrap() < 13.0 / 25.0 - 1e-9,
        "{stricter}"
    );
}
