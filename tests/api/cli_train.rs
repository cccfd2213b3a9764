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
pub(super) struct TrainingFiles {
    pub(super) _dir: tempfile::TempDir,
    pub(super) data: std::path::PathBuf,
    pub(super) model: std::path::PathBuf,
    pub(super) rows: String,
}

pub(super) fn training_files(kinds: &[(&str, &str, &str)]) -> TrainingFiles {
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
    assert!(
        stderr(&o).contains("features, tiers, word embeddings"),
        "{}",
        stderr(&o)
    );
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
        "--no-embeddings",
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
