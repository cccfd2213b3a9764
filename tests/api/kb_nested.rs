//! Docs kept in folders: a citation names its section by id (`page#section`, the page's name
//! alone) beside its link, and `kb eval` takes labels written either way; a subsection is quoted
//! though the section it sits in ranks close behind.

use super::cli::{opsdesk, stderr, stdout};

#[test]
fn a_page_in_a_folder_is_cited_by_id_and_scored_by_either_name() {
    let dir = tempfile::tempdir().unwrap();
    let guides = dir.path().join("kb/guides");
    std::fs::create_dir_all(&guides).unwrap();
    for page in std::fs::read_dir("config/kb").unwrap() {
        let page = page.unwrap().path();
        std::fs::copy(&page, guides.join(page.file_name().unwrap())).unwrap();
    }
    let kb = dir.path().join("kb");
    let env = [("OPSDESK__KB__PATH", kb.to_str().unwrap())];
    let o = opsdesk(
        &["ask", "--json", "How do I reset my password?"],
        &env,
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    let cited = &v["citations"][0];
    assert_eq!(cited["id"], "account-password#reset-your-password", "{v}");
    assert_eq!(
        cited["link"], "https://docs.example.com/guides/account-password#reset-your-password",
        "{v}"
    );

    let data = dir.path().join("q.jsonl");
    std::fs::write(
        &data,
        concat!(
            r#"{"text": "How do I reset my password?", "kind": "answerable", "#,
            r#""answer_sections": ["account-password#reset-your-password"]}"#,
            "\n",
            r#"{"text": "how do I download our invoices for the accountant", "kind": "answerable", "#,
            r#""answer_sections": ["guides/billing-payments#download-invoices"]}"#,
            "\n",
        ),
    )
    .unwrap();
    let o = opsdesk(
        &["kb", "eval", "--data", data.to_str().unwrap(), "--json"],
        &env,
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    let r = &v["report"];
    assert_eq!(r["answered"], 2, "{v}");
    assert_eq!(r["precision"], 1.0, "{v}");
    assert_eq!(r["coverage"], 1.0, "{v}");
}

/// A subsection that comes first is quoted though the section it sits in runs neck and neck with
/// it (real docs, `tests/fixtures/kb/uptime-kuma-pages`: *Domain Names for Status Pages › Steps*
/// against *Domain Names for Status Pages*); a parent is no rival answer to its own child.
#[test]
fn a_subsection_is_quoted_though_its_parent_runs_close() {
    let env = [(
        "OPSDESK__KB__PATH",
        "tests/fixtures/kb/uptime-kuma-pages/kb",
    )];
    for q in [
        "how does the Domain Names setting of a status page work?",
        "what is the Domain Names option on the status page for and how do i use it",
        "status page Domain Names setting: how do I use it?",
    ] {
        let o = opsdesk(&["ask", "--json", q], &env, None);
        assert!(o.status.success(), "{}", stderr(&o));
        let v: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
        assert_eq!(v["citations"][0]["id"], "status-page#steps", "{q}: {v}");
    }
}
