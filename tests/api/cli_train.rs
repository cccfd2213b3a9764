//! `opsdesk triage train` and `eval` as users run them: tiers, intents, hidden-layer networks and
//! word embeddings, with the documented JSON.

use super::cli::{opsdesk, stderr, stdout};

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
    let o = train(&data, &model);
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
    doctor_names_the_embeddings_and_when_they_are_unused(m, emb, &fp);
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

fn doctor_names_the_embeddings_and_when_they_are_unused(m: &str, emb: &str, fp: &str) {
    let env = [("OPSDESK__TRIAGE__EMBEDDINGS", emb)];
    let o = opsdesk(&["doctor"], &[("OPSDESK__TRIAGE__MODEL", m), env[0]], None);
    assert!(
        stdout(&o).contains(&format!("features, word embeddings {fp} from {emb})")),
        "{}",
        stdout(&o)
    );
    // The built-in model reads the table shipped with opsdesk; a folder set beside it is unused.
    let o = opsdesk(&["doctor"], &[env[0]], None);
    assert!(
        stdout(&o).contains("built-in (")
            && stdout(&o).contains("shipped with opsdesk; triage.embeddings is set to")
            && stdout(&o).contains(&format!(
                "{emb} but the built-in model reads the shipped ones, so it is unused"
            )),
        "{}",
        stdout(&o)
    );
    // Set for a model trained without them, they are named as unused.
    let plain = std::path::Path::new(m).with_file_name("plain.json");
    let data = std::path::Path::new(m).with_file_name("d.jsonl");
    let o = opsdesk(
        &[
            "triage",
            "train",
            "--data",
            data.to_str().unwrap(),
            "--out",
            plain.to_str().unwrap(),
        ],
        &[],
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let o = opsdesk(
        &["doctor"],
        &[("OPSDESK__TRIAGE__MODEL", plain.to_str().unwrap()), env[0]],
        None,
    );
    assert!(
        stdout(&o).contains(&format!("; triage.embeddings is set to {emb} but this model was trained without them, so they are unused")),
        "{}",
        stdout(&o)
    );
}

#[test]
fn the_same_text_under_two_tiers_is_warned_about_by_line() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("d.jsonl");
    std::fs::write(
        &data,
        "{\"text\": \"cancel my plan\", \"tier\": \"tier1\"}\n\
         {\"text\": \"play music\", \"tier\": \"none\"}\n\
         {\"text\": \"Cancel my plan\", \"tier\": \"human\"}\n",
    )
    .unwrap();
    let d = data.to_str().unwrap();
    let o = opsdesk(&["triage", "eval", "--data", d], &[], None);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("warning: line 1 (tier1) and line 3 (human) hold the same text"),
        "{}",
        stderr(&o)
    );
}

/// `opsdesk triage train --data DATA --out MODEL`, default flags.
pub(crate) fn train(data: &std::path::Path, model: &std::path::Path) -> std::process::Output {
    opsdesk(
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
    )
}
