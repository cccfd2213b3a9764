//! `opsdesk run` with no tokens: the terminal console, driven through stdin like a person would.

use std::io::Write;
use std::process::{Command, Stdio};

/// Runs `opsdesk run` on a fresh database with `env` set, types `script`, and returns what it printed.
fn console(env: &[(&str, &str)], script: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("console.db").display());
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_opsdesk"));
    cmd.args(["run", "--http", "127.0.0.1:0"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("OPSDESK__STORE__URL", &url)
        .env_remove("DATABASE_URL");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(script.as_bytes())
        .unwrap();
    let o = child.wait_with_output().unwrap();
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(
        o.status.success(),
        "{out}\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    out
}

#[test]
fn console_answers_clicks_and_lists_tickets() {
    let script = "How do I reset my password?\n1\n/new\nI want a refund for last month\n/ops tickets --all\n/ops status\n/quit\n";
    let out = console(&[], script);
    assert!(out.contains("(triage: tier1"), "{out}");
    assert!(
        out.contains("┃ Source: Passwords and sign-in › Reset your password"),
        "{out}"
    );
    assert!(out.contains("[1] Solved ✅   [2] Talk to a human"), "{out}");
    assert!(out.contains("✅ Marked solved by customer"), "{out}");
    assert!(out.contains("escalated to a person"), "{out}");
    assert!(
        out.contains("[#escalations]") && out.contains("needs a person"),
        "{out}"
    );
    assert!(
        out.contains("resolved") && out.contains("escalated  human"),
        "{out}"
    );
    assert!(
        out.contains("opsdesk status")
            && out.contains("Connected: console")
            && out.contains("Inbox (unprocessed): 0"),
        "{out}"
    );
}

#[test]
fn console_asks_for_the_reason_when_a_request_is_denied() {
    let env = [
        ("OPSDESK__RUNBOOKS__RESTART__DESCRIPTION", "restart the API"),
        ("OPSDESK__RUNBOOKS__RESTART__ARGV", "[\"true\"]"),
    ];
    let script = "/ops runbook restart the API is stuck\n2\nnot during the launch\n/ops approvals --all\n/quit\n";
    let out = console(&env, script);
    assert!(
        out.contains("🔐 Sign-off needed: runbook restart: restart the API")
            && out.contains("[1] Approve   [2] Deny"),
        "{out}"
    );
    assert!(
        out.contains("Why deny this request? (type your answer)"),
        "{out}"
    );
    assert!(
        out.contains("❌ Denied: runbook restart")
            && out.contains("Denied by: console:customer: not during the launch"),
        "{out}"
    );
    assert!(out.contains("denied") && out.contains("0/1"), "{out}");
}
