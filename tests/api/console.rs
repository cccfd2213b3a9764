//! `opsdesk run` with no tokens: the terminal console, driven through stdin like a person would.

use std::io::Write;
use std::process::{Command, Stdio};

#[test]
fn console_answers_clicks_and_lists_tickets() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("console.db").display());
    let mut child = Command::new(env!("CARGO_BIN_EXE_opsdesk"))
        .args(["run", "--http", "127.0.0.1:0"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("OPSDESK__STORE__URL", &url)
        .env_remove("DATABASE_URL")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let script = "How do I reset my password?\n1\n/new\nI want a refund for last month\n/ops tickets --all\n/ops status\n/quit\n";
    child.stdin.take().unwrap().write_all(script.as_bytes()).unwrap();
    let o = child.wait_with_output().unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{out}\n{}", String::from_utf8_lossy(&o.stderr));
    assert!(out.contains("(triage: tier1"), "{out}");
    assert!(out.contains("┃ Source: Passwords and sign-in › Reset your password"), "{out}");
    assert!(out.contains("[1] Solved ✅   [2] Talk to a human"), "{out}");
    assert!(out.contains("✅ Marked solved by customer"), "{out}");
    assert!(out.contains("escalated to a person"), "{out}");
    assert!(out.contains("[#escalations]") && out.contains("needs a person"), "{out}");
    assert!(out.contains("resolved") && out.contains("escalated  human"), "{out}");
    assert!(out.contains("opsdesk status") && out.contains("Connected: console") && out.contains("Inbox (unprocessed): 0"), "{out}");
}

#[test]
fn console_asks_for_the_reason_when_a_request_is_denied() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("console.db").display());
    let mut child = Command::new(env!("CARGO_BIN_EXE_opsdesk"))
        .args(["run", "--http", "127.0.0.1:0"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("OPSDESK__STORE__URL", &url)
        .env("OPSDESK__RUNBOOKS__RESTART__DESCRIPTION", "restart the API")
        .env("OPSDESK__RUNBOOKS__RESTART__ARGV", "[\"true\"]")
        .env_remove("DATABASE_URL")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let script = "/ops runbook restart the API is stuck\n2\nnot during the launch\n/ops approvals --all\n/quit\n";
    child.stdin.take().unwrap().write_all(script.as_bytes()).unwrap();
    let o = child.wait_with_output().unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{out}\n{}", String::from_utf8_lossy(&o.stderr));
    assert!(out.contains("🔐 Sign-off needed: runbook restart: restart the API") && out.contains("[1] Approve   [2] Deny"), "{out}");
    assert!(out.contains("Why deny this request? (type your answer)"), "{out}");
    assert!(out.contains("❌ Denied: runbook restart") && out.contains("Denied by: console:customer: not during the launch"), "{out}");
    assert!(out.contains("denied") && out.contains("0/1"), "{out}");
}
