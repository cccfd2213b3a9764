//! Misspelt questions (`tests/fixtures/kb/typo-questions.jsonl`): a word one slip from a word of the
//! docs is read as that word, by the knowledge base and by triage.

use crate::cli::opsdesk;
use crate::kb_fresh::kb_report;

/// `opsdesk ask --json <text>` on the sample docs: (tier, cited section ids).
fn ask(text: &str) -> (String, Vec<String>) {
    let o = opsdesk(&["ask", "--json", text], &[], None);
    assert!(o.status.success(), "{}", crate::cli::stderr(&o));
    let v: serde_json::Value = serde_json::from_str(crate::cli::stdout(&o).trim()).unwrap();
    let ids = v["citations"].as_array().unwrap().iter();
    let ids = ids.map(|c| c["id"].as_str().unwrap().to_string()).collect();
    (v["tier"].as_str().unwrap().to_string(), ids)
}

#[test]
fn a_misspelt_word_is_read_as_the_docs_word() {
    let (tier, cited) = ask("how do i reset my pasword");
    assert_eq!(tier, "tier1");
    assert_eq!(cited, ["account-password#reset-your-password"]);
    // Read as "notifications", the message is a customer's, not chatter.
    let (tier, _) = ask("how do i stop all the email notifcations, i get like 50 a day");
    assert_ne!(tier, "none");
}

/// 24 questions the sample docs answer, 6 about what they lack and 4 problem reports, each with a
/// slip or two ("paginaton", "subscripton", "dashbaord"), written before reading them as the docs'
/// words and scored once: read as written, 13 quotes, 12 right (coverage 0.500), no false answer;
/// read as meant, 17 quotes, 15 right (0.625), and "is there a dark mode? staring at a white
/// dashbaord at night hurts" quoted *Dashboards load slowly* — as it is when spelt right.
#[test]
fn misspelt_questions_keep_their_figures() {
    let r = &kb_report("tests/fixtures/kb/typo-questions.jsonl", &[]);
    assert_eq!(r["lines"], 34, "{r}");
    assert!(r["coverage"].as_f64().unwrap() >= 15.0 / 24.0 - 1e-9, "{r}");
    assert!(
        r["precision"].as_f64().unwrap() >= 15.0 / 17.0 - 1e-9,
        "{r}"
    );
    assert!(
        r["false_answer_rate"].as_f64().unwrap() <= 1.0 / 10.0 + 1e-9,
        "{r}"
    );
}
