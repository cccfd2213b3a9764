//! The `opsdesk` binary as users run it: ask, triage (JSONL), train/eval (tiers and intents), kb search, and the errors
//! for a missing KB folder, a missing model file and a locked database.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn opsdesk(args: &[&str], env: &[(&str, &str)], stdin: Option<&str>) -> Output {
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

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
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
    assert!(
        stderr(&o).contains("line 2: invalid JSON"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn train_then_eval_reports_the_documented_json() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("d.jsonl");
    let mut rows = String::new();
    for i in 0..15 {
        rows.push_str(&format!(
            "{{\"text\":\"how do I export a report {i}\",\"tier\":\"tier1\"}}\n"
        ));
        rows.push_str(&format!(
            "{{\"text\":\"the dashboard crashes with error {i}\",\"tier\":\"tier2\"}}\n"
        ));
    }
    rows.push_str("{\"text\":\"bad\",\"tier\":\"vip\"}\n");
    std::fs::write(&data, rows).unwrap();
    let model = dir.path().join("m.json");
    let o = opsdesk(
        &[
            "triage",
            "train",
            "--data",
            data.to_str().unwrap(),
            "--out",
            model.to_str().unwrap(),
        ],
        &[],
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("line 31: unknown tier \"vip\""),
        "{}",
        stderr(&o)
    );
    let o = opsdesk(
        &[
            "triage",
            "eval",
            "--data",
            data.to_str().unwrap(),
            "--model",
            model.to_str().unwrap(),
            "--json",
        ],
        &[],
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    assert_eq!(v["n"], 30);
    assert_eq!(v["accuracy"], 1.0);
    assert_eq!(v["per_tier"]["tier1"]["support"], 15);
    assert_eq!(v["per_tier"]["tier2"]["recall"], 1.0);
    assert_eq!(v["confusion"]["tier2"]["tier2"], 15);
    let text = stdout(&opsdesk(
        &[
            "triage",
            "eval",
            "--data",
            data.to_str().unwrap(),
            "--model",
            model.to_str().unwrap(),
        ],
        &[],
        None,
    ));
    assert!(
        text.contains("accuracy: 1.0000") && text.contains("confusion"),
        "{text}"
    );
}

/// A temporary folder holding `d.jsonl` (twelve numbered lines per `(text, tier, intent)`, interleaved)
/// and the path `m.json` for the model trained from it.
struct TrainingFiles {
    _dir: tempfile::TempDir,
    data: std::path::PathBuf,
    model: std::path::PathBuf,
    rows: String,
}

fn training_files(kinds: &[(&str, &str, &str)]) -> TrainingFiles {
    let mut rows = String::new();
    for i in 0..12 {
        for (text, tier, intent) in kinds {
            rows.push_str(&format!(
                "{{\"text\":\"{text} {i}\",\"tier\":\"{tier}\",\"intent\":\"{intent}\"}}\n"
            ));
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let (data, model) = (dir.path().join("d.jsonl"), dir.path().join("m.json"));
    std::fs::write(&data, &rows).unwrap();
    TrainingFiles {
        _dir: dir,
        data,
        model,
        rows,
    }
}

#[test]
fn lines_with_intents_train_an_intent_model_that_answers_in_tiers() {
    let TrainingFiles {
        data,
        model,
        rows,
        _dir,
    } = training_files(&[
        ("how do I export a report", "tier1", "export"),
        ("please refund my last invoice", "human", "refund"),
        ("my card got charged twice", "human", "double_charge"),
    ]);
    let (d, m) = (data.to_str().unwrap(), model.to_str().unwrap());
    let o = opsdesk(&["triage", "train", "--data", d, "--out", m], &[], None);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("3 intents"), "{}", stderr(&o));
    let o = opsdesk(
        &["triage", "--model", m],
        &[("OPSDESK__TRIAGE__HUMAN_PHRASES", "[]")],
        Some("{\"text\":\"charged twice on my card\"}\n"),
    );
    let v: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    assert_eq!(v["tier"], "human", "{v}");
    let o = opsdesk(
        &["triage", "eval", "--data", d, "--model", m, "--json"],
        &[],
        None,
    );
    let v: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    assert_eq!(
        (
            v["accuracy"].as_f64(),
            v["per_tier"]["human"]["support"].as_u64()
        ),
        (Some(1.0), Some(24))
    );
    let o = opsdesk(
        &[
            "triage", "train", "--data", d, "--out", m, "--labels", "tier",
        ],
        &[],
        None,
    );
    assert!(stderr(&o).contains("features, tiers)"), "{}", stderr(&o));
    // One intent under two tiers is a data error that names the file, the intent and both lines.
    std::fs::write(
        &data,
        rows.replacen(
            "\"tier\":\"tier1\",\"intent\":\"export\"",
            "\"tier\":\"tier1\",\"intent\":\"refund\"",
            1,
        ),
    )
    .unwrap();
    let o = opsdesk(&["triage", "train", "--data", d, "--out", m], &[], None);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("d.jsonl: cannot train: intent \"refund\" is labelled tier1 on line 1 and human on line 2"),
        "{}",
        stderr(&o)
    );
    let o = opsdesk(
        &[
            "triage",
            "train",
            "--data",
            d,
            "--out",
            m,
            "--labels",
            "sometimes",
        ],
        &[],
        None,
    );
    assert!(
        stderr(&o).contains("expected auto, tier or intent"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn hidden_layer_networks_train_save_and_classify_from_the_command_line() {
    let TrainingFiles {
        data, model, _dir, ..
    } = training_files(&[
        ("how do I export a report", "tier1", "export"),
        ("please refund my last invoice", "human", "refund"),
        ("the dashboard crashes with error", "tier2", "crash"),
    ]);
    let (d, m) = (data.to_str().unwrap(), model.to_str().unwrap());
    let train = [
        "triage",
        "train",
        "--data",
        d,
        "--out",
        m,
        "--hidden",
        "8",
        "--ensemble",
        "2",
        "--epochs",
        "60",
        "--learning-rate",
        "0.01",
    ];
    let o = opsdesk(&train, &[], None);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        std::fs::read_to_string(&model)
            .unwrap()
            .starts_with("{\"format\":\"opsdesk-triage-v3\"")
    );
    let o = opsdesk(
        &["triage", "eval", "--data", d, "--model", m, "--json"],
        &[],
        None,
    );
    let v: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    assert_eq!(
        (
            v["accuracy"].as_f64(),
            v["per_tier"]["human"]["support"].as_u64()
        ),
        (Some(1.0), Some(12)),
        "{v}"
    );
    let o = opsdesk(
        &["triage", "--model", m],
        &[("OPSDESK__TRIAGE__HUMAN_PHRASES", "[]")],
        Some("{\"text\":\"refund the invoice please\"}\n"),
    );
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(stdout(&o).trim()).unwrap()["tier"],
        "human",
        "{}",
        stdout(&o)
    );
    // Averaging needs networks: an ensemble of linear models is refused by name.
    let o = opsdesk(
        &[
            "triage",
            "train",
            "--data",
            d,
            "--out",
            m,
            "--ensemble",
            "3",
        ],
        &[],
        None,
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("an ensemble of 3 needs networks with a hidden layer (--hidden)"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_model_trained_with_word_embeddings_needs_them_configured_to_classify() {
    let TrainingFiles {
        data, model, _dir, ..
    } = training_files(&[
        ("how do I reset my password", "tier1", "password"),
        ("I want a refund please", "human", "refund"),
        ("the account is broken", "tier2", "broken"),
    ]);
    let (d, m) = (data.to_str().unwrap(), model.to_str().unwrap());
    let emb = "tests/fixtures/embeddings";
    let o = opsdesk(
        &[
            "triage",
            "train",
            "--data",
            d,
            "--out",
            m,
            "--embeddings",
            emb,
        ],
        &[],
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("of 4 dimensions"), "{}", stderr(&o));
    let file: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&model).unwrap()).unwrap();
    let fp = file["embeddings"]["fingerprint"]
        .as_str()
        .unwrap()
        .to_string();
    // Without `triage.embeddings` the model is a start-up error that names the setting.
    let line = Some("{\"text\":\"chargeback\"}\n");
    let o = opsdesk(&["triage", "--model", m], &[], line);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("set triage.embeddings (or --embeddings) to the folder holding them"),
        "{}",
        stderr(&o)
    );
    // With it, a word that no training line holds is placed by its neighbours in the embedding.
    let env = [
        ("OPSDESK__TRIAGE__EMBEDDINGS", emb),
        ("OPSDESK__TRIAGE__HUMAN_PHRASES", "[]"),
    ];
    let o = opsdesk(&["triage", "--model", m], &env, line);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(stdout(&o).trim()).unwrap()["tier"],
        "human",
        "{}",
        stdout(&o)
    );
    let o = opsdesk(&["doctor"], &[("OPSDESK__TRIAGE__MODEL", m), env[0]], None);
    assert!(
        stdout(&o).contains(&format!("features, word embeddings {fp} from {emb})")),
        "{}",
        stdout(&o)
    );
    // Set for a model that has none (here the built-in one), they are named as unused.
    let o = opsdesk(&["doctor"], &[env[0]], None);
    assert!(
        stdout(&o).contains("built-in (")
            && stdout(&o)
                .contains(&format!("; triage.embeddings is set to {emb} but this model was trained without them, so they are unused")),
        "{}",
        stdout(&o)
    );
    let o = opsdesk(
        &[
            "triage",
            "train",
            "--data",
            d,
            "--out",
            m,
            "--embeddings",
            "/nonexistent/emb",
        ],
        &[],
        None,
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("word embeddings in /nonexistent/emb: cannot read the folder"),
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
fn missing_kb_folder_and_model_file_are_clear_startup_errors() {
    let o = opsdesk(
        &["ask", "hello there, how do I export?"],
        &[("OPSDESK__KB__PATH", "/nonexistent/kb")],
        None,
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("knowledge base folder /nonexistent/kb does not exist"),
        "{}",
        stderr(&o)
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
fn doctor_reports_the_database_and_knowledge_base() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("d.db").display());
    let o = opsdesk(&["doctor"], &[("OPSDESK__STORE__URL", &url)], None);
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("ok   database       SQLite"), "{out}");
    assert!(out.contains("ok   knowledge base"), "{out}");
    let o = opsdesk(
        &["doctor"],
        &[("OPSDESK__STORE__URL", "postgres://nobody@127.0.0.1:1/none")],
        None,
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("FAIL database"), "{}", stdout(&o));
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
        stdout(&o).starts_with("Finance 2026-11-01 → 2026-12-01")
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
