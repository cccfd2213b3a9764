//! A how-to question the triage model reads as a problem report ("how do we authenticate api
//! calls, bearer token?" is tier 2 for its words) is answered from the docs when it only asks how
//! or whether and names nothing failing; a problem report phrased as a question is not.

use crate::cli::{opsdesk, stderr, stdout};
use crate::kb_fresh::kb_report;

fn ask(text: &str) -> serde_json::Value {
    let o = opsdesk(&["ask", text, "--json"], &[], None);
    assert!(o.status.success(), "{}", stderr(&o));
    serde_json::from_str(stdout(&o).trim()).unwrap()
}

#[test]
fn a_how_to_question_read_as_a_problem_report_is_answered_from_the_docs() {
    let v = ask("how do we authenticate api calls, bearer token?");
    assert_eq!(
        v["tier"], "tier2",
        "the model still reads it as tier 2: {v}"
    );
    assert_eq!(
        v["citations"][0]["id"], "api-keys#authenticate-requests",
        "{v}"
    );
    assert_eq!(v["escalated"], false, "{v}");
    // The same words with a failure in them are a problem report: checked and handed to a person.
    for report in [
        "is the api down? all our calls get 503s",
        "do api requests need the key in a header? getting 401s",
        "does anyone else see empty charts today? nothing loads for us",
    ] {
        let v = ask(report);
        assert_eq!(v["tier"], "tier2", "{report}: {v}");
        assert!(v["answer"].is_null(), "{report}: {v}");
        assert_eq!(v["escalated"], true, "{report}: {v}");
    }
}

/// 12 how-to questions near what the model reads as problems (API, webhooks, integrations) and 8
/// problem reports phrased as questions ("how come my csv export has been stuck…?"), written
/// before the rule was scored on them. Scored once with it: 6 quotes, 5 right, and 1 incident
/// quoted ("does anyone else see empty charts today? nothing loads for us" → *Charts are empty*);
/// a symptom's words ("empty", "nothing", "anyone else", …) then made a question a report's: 5
/// quotes, all right, no incident quoted. The rule's own gain here is one right quote ("which
/// github data does the integration sync into tallybird?"); the others are tier 1 anyway.
#[test]
fn a_check_round_quotes_no_problem_report() {
    let r = &kb_report("tests/fixtures/kb/how-to-reports-check.jsonl", &[]);
    assert_eq!(r["lines"], 20, "{r}");
    assert_eq!(r["false_answer_rate"], 0.0, "{r}");
    assert_eq!(r["precision"], 1.0, "{r}");
    assert!(r["coverage"].as_f64().unwrap() >= 5.0 / 12.0 - 1e-9, "{r}");
}

/// The misspelt set's three tier-2 how-to questions ("how do i authenticate my requets to the api,
/// bearer token?", "how do i stop all the email notifcations, i get like 50 a day", "can i import
/// data from a spreadhseet") are quoted: 18 → 21 quotes, none of them wrong.
#[test]
fn misspelt_how_to_questions_read_as_problems_are_quoted() {
    let r = &kb_report("tests/fixtures/kb/typo-questions.jsonl", &[]);
    assert!(r["answered"].as_u64().unwrap() >= 21, "{r}");
    assert!(
        r["precision"].as_f64().unwrap() >= 19.0 / 21.0 - 1e-9,
        "{r}"
    );
}
