//! The `opsdesk` binary as users run it: ask, triage (JSONL), kb search, doctor, finance report, and the errors
//! for a missing KB folder, a missing model file and a locked database.

use std::io::Write;
use std::process::{Command, Output, Stdio};

pub(crate) fn opsdesk(args: &[&str], env: &[(&str, &str)], stdin: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_opsdesk"));
    cmd.args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("DATABASE_URL")
        .env_remove("OPSDESK_ENV");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("opsdesk runs");
    let mut input = child.stdin.take().unwrap();
    if let Some(s) = stdin {
        input.write_all(s.as_bytes()).unwrap();
    }
    drop(input);
    child.wait_with_output().unwrap()
}

pub(crate) fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub(crate) fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn ask_answers_password_reset_with_a_citation() {
    let o = opsdesk(&["ask", "How do I reset my password?"], &[], None);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.starts_with("tier: tier1"), "{out}");
    assert!(out.contains("Forgot password?"), "{out}");
    assert!(
        out.contains("source: Passwords and sign-in › Reset your password <https://docs.example.com/account-password#reset-your-password>"),
        "{out}"
    );
}

#[test]
fn ask_json_escalates_a_refund_demand() {
    let o = opsdesk(
        &[
            "ask",
            "I want my money back, you charged me twice",
            "--json",
        ],
        &[],
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    assert_eq!(v["tier"], "human");
    assert_eq!(v["escalated"], true);
    assert!(v["answer"].is_null());
    assert_eq!(v["citations"], serde_json::json!([]));
    assert!(v["confidence"].as_f64().unwrap() > 0.5);
}

#[test]
fn triage_reads_jsonl_and_reports_bad_lines_by_number() {
    let input = "{\"text\":\"anyone watching the game tonight?\"}\nnot json\n{\"text\":\"I want a refund\"}\n";
    let o = opsdesk(&["triage"], &[], Some(input));
    assert!(o.status.success(), "{}", stderr(&o));
    let lines: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(
        (lines[0]["text"].as_str(), lines[0]["tier"].as_str()),
        (Some("anyone watching the game tonight?"), Some("none"))
    );
    assert_eq!(lines[1]["tier"], "human");
    // The model's own odds for each tier, before the rules: what a desk tunes its thresholds on.
    let odds = lines[0]["odds"].as_object().expect("odds per tier");
    let mut keys: Vec<&str> = odds.keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(keys, ["human", "none", "tier1", "tier2"]);
    let total: f64 = odds.values().filter_map(serde_json::Value::as_f64).sum();
    assert!((total - 1.0).abs() < 1e-3, "{odds:?}");
    assert!(odds["none"].as_f64() > Some(0.5), "{odds:?}");
    // How much of each message the docs speak of: what decides between the two `none` bars.
    assert_eq!(lines[0]["docs_share"], 0.0, "{}", lines[0]);
    assert_eq!(
        lines[1]["docs_share"], 1.0,
        "refunds are in the docs: {}",
        lines[1]
    );
    assert!(
        stderr(&o).contains("line 2: invalid JSON"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_reader_that_stops_early_is_not_a_crash() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_opsdesk"))
        .args(["triage", "eval", "--data", "config/triage/holdout.jsonl"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let o = child.wait_with_output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
}

#[test]
fn kb_search_lists_sections_with_scores() {
    let o = opsdesk(&["kb", "search", "api rate limits"], &[], None);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o)
            .lines()
            .next()
            .unwrap()
            .contains("API rate limits and pagination › Rate limits"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn a_missing_kb_folder_is_said_and_every_question_escalates_a_missing_model_is_an_error() {
    let o = opsdesk(
        &["ask", "hello there, how do I export?", "--json"],
        &[("OPSDESK__KB__PATH", "/nonexistent/kb")],
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("knowledge base folder /nonexistent/kb does not exist"),
        "{}",
        stderr(&o)
    );
    let v: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    assert_eq!(
        (&v["escalated"], &v["answer"]),
        (&serde_json::json!(true), &serde_json::Value::Null),
        "{v}"
    );
    let o = opsdesk(
        &["doctor"],
        &[("OPSDESK__KB__PATH", "/nonexistent/kb")],
        None,
    );
    assert!(
        stdout(&o).contains("every question goes to a person"),
        "{}",
        stdout(&o)
    );
    let o = opsdesk(
        &["ask", "how do I export?"],
        &[("OPSDESK__TRIAGE__MODEL", "/nonexistent/model.json")],
        None,
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("cannot read triage model /nonexistent/model.json"),
        "{}",
        stderr(&o)
    );
    assert!(!stderr(&o).contains("panicked"));
}

#[test]
fn unknown_config_key_in_the_environment_is_named() {
    let o = opsdesk(&["doctor"], &[("OPSDESK__STORE__URLL", "x")], None);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("urll"), "{}", stderr(&o));
}

#[tokio::test]
async fn a_locked_database_is_a_clear_error_not_a_panic() {
    sqlx::any::install_default_drivers();
    let dir = tempfile::tempdir().unwrap();
    let url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("locked.db").display()
    );
    // Another process holds the database (an exclusive transaction on a fresh file).
    let pool = sqlx::AnyPool::connect(&url).await.unwrap();
    let mut conn = pool.acquire().await.unwrap();
    sqlx::query("BEGIN EXCLUSIVE")
        .execute(&mut *conn)
        .await
        .unwrap();
    sqlx::query("CREATE TABLE held (x INTEGER)")
        .execute(&mut *conn)
        .await
        .unwrap();
    let run = |args: &'static [&'static str]| {
        let url = url.clone();
        tokio::task::spawn_blocking(move || {
            opsdesk(
                args,
                &[
                    ("OPSDESK__STORE__URL", url.as_str()),
                    ("OPSDESK__STORE__BUSY_TIMEOUT_SECS", "1"),
                ],
                Some("How do I reset my password?\n"),
            )
        })
    };
    let o = run(&["migrate"]).await.unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let err = stderr(&o);
    assert!(
        err.contains("cannot open the database") && err.contains("locked"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    sqlx::query("ROLLBACK").execute(&mut *conn).await.unwrap();
}

#[test]
fn finance_report_prints_text_or_json_and_names_a_bad_date() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("f.db").display());
    let env = [("DATABASE_URL", url.as_str())];
    let o = opsdesk(
        &[
            "finance",
            "report",
            "--from",
            "2026-11-01",
            "--to",
            "2026-12-01",
        ],
        &env,
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).starts_with("Finance 2026-11-01 – 2026-11-30 (whole days, UTC)")
            && stdout(&o).contains("No Stripe data yet"),
        "{}",
        stdout(&o)
    );
    let o = opsdesk(
        &[
            "finance",
            "report",
            "--from",
            "2026-11-01",
            "--to",
            "2026-12-01",
            "--json",
        ],
        &env,
        None,
    );
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(
        (v["from"].as_i64(), v["currencies"].as_array().map(Vec::len)),
        (Some(1_793_491_200_000), Some(0))
    );
    let o = opsdesk(
        &[
            "finance",
            "report",
            "--from",
            "November",
            "--to",
            "2026-12-01",
        ],
        &env,
        None,
    );
    assert!(
        !o.status.success() && stderr(&o).contains("\"November\" is not a date like 2026-11-01"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn ask_json_prints_an_object_for_chatter_too() {
    let o = opsdesk(&["ask", "thanks, that worked!", "--json"], &[], None);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    assert_eq!(v["tier"], "none", "{v}");
    assert!(v["answer"].is_null());
    assert_eq!(v["escalated"], false);
    assert_eq!(v["citations"], serde_json::json!([]));
    assert_eq!(v["suggestions"], serde_json::json!([]));
    assert_eq!(v["known_issues"], serde_json::json!([]));
}

/// A problem report that matches a page tagged `known-issue` is told so, and `ask --json` shows the
/// page among the suggestions (first) and in `known_issues` — never as the answer's citation.
#[test]
fn ask_json_names_the_known_issue_a_problem_report_matches() {
    let report = "charts have no labels in safari";
    let o = opsdesk(&["ask", report, "--json"], &[], None);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    let safari = "https://docs.example.com/known-issues#safari-16-charts-render-without-labels";
    assert_eq!(v["tier"], "tier2", "{v}");
    assert_eq!(v["citations"], serde_json::json!([]), "{v}");
    assert_eq!(v["known_issues"][0]["link"], safari, "{v}");
    assert_eq!(v["suggestions"][0]["link"], safari, "{v}");
    let text = opsdesk(&["ask", report], &[], None);
    assert!(
        stdout(&text).contains(&format!(
            "known issue: Known issues › Safari 16 charts render without labels <{safari}>"
        )),
        "{}",
        stdout(&text)
    );
}

#[test]
fn kb_eval_scores_labelled_questions_and_names_a_bad_line() {
    let data = "tests/fixtures/kb/own-questions.jsonl";
    let o = opsdesk(
        &["kb", "eval", "--data", data, "--json", "--sweep"],
        &[],
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    let r = &v["report"];
    assert_eq!(r["lines"], 28, "{v}");
    // The shipped bar: a quote is right, nothing the docs cannot answer is quoted, people get people.
    assert!(r["answered"].as_u64().unwrap() >= 1, "{r}");
    assert_eq!(r["precision"], 1.0, "{r}");
    assert_eq!(r["false_answer_rate"], 0.0, "{r}");
    assert_eq!(r["human_recall"], 1.0, "{r}");
    // A looser bar answers more, and the sweep shows what it costs.
    let loose = &v["sweep"][0];
    assert_eq!(loose["min_coverage"], 0.2);
    assert!(
        loose["report"]["answered"].as_u64() >= r["answered"].as_u64(),
        "{v}"
    );
    // The clear lead's own rows, ending with it off.
    let clear = v["clear_sweep"].as_array().expect("clear-lead rows");
    assert_eq!(clear.len(), 5, "{v}");
    assert_eq!(clear[4]["clear_margin"], "off", "{v}");
    assert!(
        clear[0]["report"]["answered"].as_u64() >= clear[4]["report"]["answered"].as_u64(),
        "{v}"
    );

    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.jsonl");
    std::fs::write(
        &bad,
        "{\"text\": \"hi\", \"kind\": \"answerable\"}\n{\"text\": \"x\", \"kind\": \"maybe\"}\n",
    )
    .unwrap();
    let o = opsdesk(&["kb", "eval", "--data", bad.to_str().unwrap()], &[], None);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("line 2"), "{}", stderr(&o));
}

#[test]
fn an_unreadable_page_is_named_and_the_others_are_indexed() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("passwords.md"),
        "# Passwords\n\n## Reset your password\nClick Forgot password on the sign-in page.\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("latin1.md"),
        b"# Caf\xe9\n\n## Men\xfa\nUn caf\xe9.\n",
    )
    .unwrap();
    let kb = dir.path().to_str().unwrap();
    let o = opsdesk(
        &["kb", "search", "reset password"],
        &[("OPSDESK__KB__PATH", kb)],
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("Reset your password"), "{}", stdout(&o));
    assert!(
        stderr(&o).contains("latin1.md") && stderr(&o).contains("not UTF-8"),
        "{}",
        stderr(&o)
    );
    let o = opsdesk(&["doctor"], &[("OPSDESK__KB__PATH", kb)], None);
    assert!(stdout(&o).contains("skipped"), "{}", stdout(&o));
}
