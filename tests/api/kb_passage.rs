//! A long section is quoted at the passage the question is about, after its first sentence, and
//! `kb eval` counts the right quotes that show the words the answer says.

use super::cli::{opsdesk, stderr, stdout};

const CERTBOT: &str = "tests/fixtures/kb/certbot/kb";

fn ask(kb: &str, question: &str) -> serde_json::Value {
    let o = opsdesk(
        &["ask", "--json", question],
        &[("OPSDESK__KB__PATH", kb)],
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    serde_json::from_str(stdout(&o).trim()).unwrap()
}

#[test]
fn a_long_section_is_quoted_where_it_answers() {
    let v = ask(
        CERTBOT,
        "inside my post renewal hook, how can the script tell which domains got renewed and which failed?",
    );
    assert_eq!(
        v["citations"][0]["id"], "using#renewing-certificates",
        "{v}"
    );
    let answer = v["answer"].as_str().unwrap();
    // The section opens on certificate lifetimes; the variables come 3,000 characters later.
    assert!(answer.contains("RENEWED_DOMAINS"), "{answer}");
    assert!(
        answer.contains("Let's Encrypt CA issues short-lived certificates (90 days). … "),
        "{answer}"
    );
    // A short section is quoted from its start, as before.
    let v = ask("config/kb", "How do I reset my password?");
    assert!(!v["answer"].as_str().unwrap().contains('…'), "{v}");
}

#[test]
fn kb_eval_reports_right_quotes_on_point() {
    let o = opsdesk(
        &[
            "kb",
            "eval",
            "--data",
            "tests/fixtures/kb/certbot/passages.jsonl",
            "--json",
        ],
        &[("OPSDESK__KB__PATH", CERTBOT)],
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    let on_point = v["report"]["on_point"].as_f64().unwrap_or(-1.0);
    assert!(on_point >= 0.5, "{v}");
}

/// Certbot's one-line *Amazon ELB* section names AWS only in its link: a question about AWS load
/// balancers is not answered with it (offered at most), and the 45 Certbot questions keep at most
/// one false answer in 18 and 11 right quotes.
#[test]
fn words_only_in_a_link_answer_nothing() {
    let v = ask(
        CERTBOT,
        "Can certbot manage certificates on my AWS load balancer (ELB)?",
    );
    assert_eq!(v["citations"], serde_json::json!([]), "{v}");
    let r = &super::kb_fresh::kb_report(
        "tests/fixtures/kb/certbot/questions.jsonl",
        &[("OPSDESK__KB__PATH", CERTBOT)],
    );
    assert!(
        r["false_answer_rate"].as_f64().unwrap() <= 1.0 / 18.0 + 1e-9,
        "{r}"
    );
    assert!(
        r["precision"].as_f64().unwrap() >= 11.0 / 12.0 - 1e-9,
        "{r}"
    );
}
