//! MyST markdown (pip's documentation) is read as the published page reads: a directive's text is
//! text, targets and roles are not markup in quotes, and `kb eval` scores its real questions.

use super::cli::{opsdesk, stderr, stdout};

const PIP: &str = "tests/fixtures/kb/pip/kb";

fn run(args: &[&str]) -> String {
    let o = opsdesk(args, &[("OPSDESK__KB__PATH", PIP)], None);
    assert!(o.status.success(), "{}", stderr(&o));
    stdout(&o)
}

#[test]
fn a_myst_page_is_quoted_as_published() {
    let out = run(&[
        "ask",
        "--json",
        "can I set options like index-url with environment variables instead of on the command line?",
    ]);
    let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(
        v["citations"][0]["id"], "configuration#environment-variables",
        "{v}"
    );
    let answer = v["answer"].as_str().unwrap();
    assert!(answer.contains("PIP_<UPPER_LONG_NAME>"), "{answer}");
    // `(vcs support)=` above `# VCS Support` is a target: the heading still names the page.
    let found = run(&["kb", "search", "install from a git repository"]);
    assert!(
        found.contains("VCS Support › Supported VCS › Git"),
        "{found}"
    );
    assert!(!found.contains("vcs support ›"), "{found}");
}

#[test]
fn kb_eval_on_pips_docs_quotes_no_false_answer() {
    let out = run(&[
        "kb",
        "eval",
        "--data",
        "tests/fixtures/kb/pip/questions.jsonl",
        "--json",
    ]);
    let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    let r = &v["report"];
    assert_eq!(r["false_answer_rate"].as_f64(), Some(0.0), "{v}");
    assert!(r["coverage"].as_f64().unwrap_or(0.0) >= 0.4, "{v}");
    assert!(r["precision"].as_f64().unwrap_or(0.0) >= 0.85, "{v}");
}
