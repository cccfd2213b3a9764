//! `opsdesk triage train` with word vectors as users run it: the shipped ones by default, others
//! named by `--embeddings` and the setting they then need, and what `doctor` says of them.

use super::cli::{opsdesk, stderr, stdout};
use super::cli_train::{TrainingFiles, training_files};

/// What both models learn: three kinds of message, one per tier.
const KINDS: [(&str, &str, &str); 3] = [
    ("how do I reset my password", "tier1", "password"),
    ("I want a refund please", "human", "refund"),
    ("the account is broken", "tier2", "broken"),
];

#[test]
fn a_model_trained_with_word_embeddings_needs_them_configured_to_classify() {
    let TrainingFiles {
        data, model, _dir, ..
    } = training_files(&KINDS);
    let (d, m) = (data.to_str().unwrap(), model.to_str().unwrap());
    let emb = "tests/fixtures/embeddings";
    let o = train_with_embeddings(d, m, emb);
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
    let o = train_with_embeddings(d, m, "/nonexistent/emb");
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
    let args = ["triage", "train", "--data", data.to_str().unwrap()];
    let o = opsdesk(
        &[
            &args[..],
            &["--out", plain.to_str().unwrap(), "--no-embeddings"],
        ]
        .concat(),
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

/// `opsdesk triage train --data DATA --out MODEL --embeddings DIR`.
fn train_with_embeddings(data: &str, model: &str, dir: &str) -> std::process::Output {
    let args = ["triage", "train", "--data", data, "--out", model];
    opsdesk(&[&args[..], &["--embeddings", dir]].concat(), &[], None)
}

#[test]
fn a_model_trained_by_default_reads_the_shipped_vectors_and_needs_no_setting() {
    let TrainingFiles {
        data, model, _dir, ..
    } = training_files(&KINDS);
    let (d, m) = (data.to_str().unwrap(), model.to_str().unwrap());
    let o = opsdesk(&["triage", "train", "--data", d, "--out", m], &[], None);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("word embeddings 1ed9a11e4e85c762 of 256 dimensions"),
        "{}",
        stderr(&o)
    );
    let plain = model.with_file_name("plain.json");
    let p = plain.to_str().unwrap();
    let args = [
        "triage",
        "train",
        "--data",
        d,
        "--out",
        p,
        "--no-embeddings",
    ];
    let o = opsdesk(&args, &[], None);
    assert!(stderr(&o).contains("features, tiers) in"), "{}", stderr(&o));
    // Words no training line holds: the vectors place them beside "refund"; n-grams alone do not.
    let tiers = |model: &str| -> Vec<String> {
        let lines = "{\"text\":\"chargeback\"}\n{\"text\":\"give me my money back\"}\n";
        let env = [("OPSDESK__TRIAGE__HUMAN_PHRASES", "[]")];
        let o = opsdesk(&["triage", "--model", model], &env, Some(lines));
        assert!(o.status.success(), "{}", stderr(&o));
        stdout(&o)
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["tier"].to_string())
            .collect()
    };
    assert_eq!(tiers(m), ["\"human\"", "\"human\""]);
    assert_ne!(tiers(p), ["\"human\"", "\"human\""]);
    let both = [&args[..], &["--embeddings", "tests/fixtures/embeddings"]].concat();
    let o = opsdesk(&both, &[], None);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("cannot be used with"), "{}", stderr(&o));
}
