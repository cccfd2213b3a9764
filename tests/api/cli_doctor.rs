//! `opsdesk doctor` as a user runs it: the database, the knowledge base, its word vectors and which
//! secrets are set, and no crash when its reader goes away.

use super::cli::{opsdesk, stderr, stdout};
use std::process::{Command, Stdio};

/// `opsdesk doctor | head -1`: a reader that stops early is not a crash.
#[test]
fn doctor_survives_a_closed_pipe() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_opsdesk"))
        .arg("doctor")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("OPSDESK__STORE__URL", "sqlite::memory:")
        .env_remove("DATABASE_URL")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let o = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        !err.contains("panicked") && o.status.code() != Some(101),
        "{err}"
    );
}

#[test]
fn doctor_reports_the_database_and_knowledge_base() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("d.db").display());
    let o = opsdesk(
        &["doctor"],
        &[
            ("OPSDESK__STORE__URL", &url),
            ("OPSDESK_ALERTS_TOKEN", "tok-value-1"),
        ],
        None,
    );
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("ok   database       SQLite"), "{out}");
    let secrets = out.lines().find(|l| l.contains("secrets")).unwrap();
    assert!(
        secrets.contains("set: OPSDESK_ALERTS_TOKEN;") && secrets.contains("OPSDESK_STRIPE_SECRET"),
        "{secrets}"
    );
    assert!(!out.contains("tok-value-1"), "never a value: {out}");
    assert!(out.contains("ok   knowledge base"), "{out}");
    // The sample docs name the product on most pages: its name is a support signal.
    assert!(out.contains("the product's words: tallybird"), "{out}");
    assert!(
        out.contains("ok   word vectors   256 dimensions from config/vectors/wordllama"),
        "{out}"
    );
    let o = opsdesk(
        &["doctor"],
        &[
            ("OPSDESK__STORE__URL", &url),
            ("OPSDESK__KB__EMBEDDINGS", "/nonexistent/vectors"),
        ],
        None,
    );
    let out = stdout(&o);
    assert!(
        out.contains("FAIL word vectors   word embeddings in /nonexistent/vectors: cannot read")
            && out.contains("ranked by BM25 alone"),
        "{out}"
    );
    let o = opsdesk(
        &["doctor"],
        &[("OPSDESK__STORE__URL", "postgres://nobody@127.0.0.1:1/none")],
        None,
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("FAIL database"), "{}", stdout(&o));
}

/// Run from a folder with no `config/` (installed elsewhere, the docs somewhere else), opsdesk
/// still ranks by meaning with the table compiled into it, and answers as it does from its own
/// folder; a folder of one's own that is missing is still an error.
#[test]
fn run_from_another_folder_the_shipped_word_vectors_rank_by_meaning() {
    let elsewhere = tempfile::tempdir().unwrap();
    let kb = concat!(env!("CARGO_MANIFEST_DIR"), "/config/kb");
    let run = |args: &[&str], dir: &std::path::Path| {
        Command::new(env!("CARGO_BIN_EXE_opsdesk"))
            .args(args)
            .current_dir(dir)
            .env("OPSDESK__STORE__URL", "sqlite::memory:")
            .env("OPSDESK__KB__PATH", kb)
            .env_remove("DATABASE_URL")
            .env_remove("OPSDESK_ENV")
            .output()
            .unwrap()
    };
    let out = stdout(&run(&["doctor"], elsewhere.path()));
    assert!(
        out.contains("ok   word vectors   256 dimensions, the table compiled into opsdesk"),
        "{out}"
    );
    let q = "is paying for a whole year up front any cheaper?";
    let there = stdout(&run(&["kb", "search", q], elsewhere.path()));
    let home = stdout(&run(
        &["kb", "search", q],
        env!("CARGO_MANIFEST_DIR").as_ref(),
    ));
    assert_eq!(there, home, "the same ranking from any folder");
    let first = there.lines().next().unwrap_or_default();
    assert!(first.contains("billing-plans#discounts"), "{there}");
}
