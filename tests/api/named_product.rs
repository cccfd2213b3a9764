//! Another real product's docs (Black, the Python formatter, whose name is an everyday word):
//! its name read off the pages keeps its users' questions from being taken for chatter, and its
//! answers are scored as a user scores them with `opsdesk kb eval`.

use crate::cli::{opsdesk, stderr, stdout};
use crate::kb_fresh::kb_report;

const KB: (&str, &str) = ("OPSDESK__KB__PATH", "tests/fixtures/kb/black/kb");

/// 15 questions and reports about Black and 5 chatter lines, written before the rule and scored
/// once: support called chatter 5 → 0 of 15; of the chatter, "is black coffee better than
/// espresso" stays silent (the name is a weak signal), a song title does not.
#[test]
fn questions_naming_a_product_called_black_are_support() {
    let data = "tests/fixtures/triage/named-product-check.jsonl";
    let o = opsdesk(&["triage", "eval", "--data", data, "--json"], &[KB], None);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    assert_eq!(v["support_called_none"].as_f64(), Some(0.0), "{v}");
    assert!(v["none_kept_silent"].as_f64().unwrap() >= 0.6 - 1e-9, "{v}");
    let d = opsdesk(&["doctor"], &[KB], None);
    assert!(stdout(&d).contains("~black"), "{}", stdout(&d));
}

/// 35 questions as the project's users ask them: 8 quotes, all right (coverage 8 of 24), none to
/// the 11 the docs cannot answer or that report a crash.
#[test]
fn a_second_product_s_questions_get_right_quotes_or_none() {
    let r = &kb_report("tests/fixtures/kb/black/questions.jsonl", &[KB]);
    assert_eq!(r["lines"], 35, "{r}");
    assert_eq!(r["precision"].as_f64(), Some(1.0), "{r}");
    assert_eq!(r["false_answer_rate"].as_f64(), Some(0.0), "{r}");
    assert!(r["coverage"].as_f64().unwrap() >= 7.0 / 24.0 - 1e-9, "{r}");
}
