//! `opsdesk run` with no tokens: the terminal console, driven through stdin like a person would.

use std::io::Write;
use std::process::{Command, Stdio};

/// Runs `opsdesk run` on a fresh database with `env` set, types `script`, and returns what it printed.
fn console(env: &[(&str, &str)], script: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("console.db").display());
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_opsdesk"));
    cmd.args(["run", "--console", "--http", "127.0.0.1:0"])
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

/// Runs `opsdesk run` with stdin closed until it says it is up, checks `/healthz`, sends SIGTERM and
/// returns what it logged and whether it exited 0.
fn service_log(env: &[(&str, &str)]) -> (String, bool) {
    use std::io::Read;
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("svc.db").display());
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let addr = format!("127.0.0.1:{port}");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_opsdesk"));
    cmd.args(["run", "--http", &addr])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("OPSDESK__STORE__URL", &url)
        .env_remove("DATABASE_URL")
        .env_remove("RUST_LOG");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The log says when it is up; no polling.
    let mut err = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut log = String::new();
    while !log.contains("opsdesk is running") {
        assert!(
            std::io::BufRead::read_line(&mut err, &mut log).unwrap() > 0,
            "{log}"
        );
    }
    let mut s = std::net::TcpStream::connect(&addr).unwrap();
    s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut body = String::new();
    s.read_to_string(&mut body).unwrap();
    assert!(body.contains("200 OK"), "{body}");
    assert!(child.try_wait().unwrap().is_none(), "still running");
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    err.read_to_string(&mut log).unwrap();
    (log, child.wait().unwrap().success())
}

/// With stdin closed (systemd, `docker run` without `-i`) and no chat tokens, `opsdesk run` is a
/// service: it keeps serving until SIGTERM, then stops cleanly with exit status 0. Its log, written
/// to a pipe, has no colour codes.
#[test]
fn without_a_terminal_run_is_a_service_until_sigterm() {
    let (log, ok) = service_log(&[]);
    assert!(ok, "exit 0 on SIGTERM: {log}");
    assert!(
        log.contains("running as a service") && log.contains("stopping"),
        "{log}"
    );
    assert!(
        !log.contains('\x1b'),
        "no colour codes off a terminal: {log:?}"
    );
}

/// `log.format = "json"`: one JSON object per line.
#[test]
fn json_logs_are_one_object_per_line() {
    let (log, ok) = service_log(&[("OPSDESK__LOG__FORMAT", "json")]);
    assert!(ok, "{log}");
    for line in log.lines() {
        let v: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
        assert!(
            v["level"].is_string() && v["fields"]["message"].is_string(),
            "{line}"
        );
    }
    assert!(log.contains("running as a service"), "{log}");
}
