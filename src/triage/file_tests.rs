//! Tests of the model file: round trips, embeddings found again by fingerprint, refused formats.

use super::*;
use crate::triage::data::Example;
use crate::triage::model::TrainParams;
use crate::vectors::fixture_dir;

/// Refunds, log-ins and breakage, said with one word each; the fixture's embeddings also know a
/// synonym of each that training never sees.
fn data() -> Vec<Example> {
    let lines = [
        ("I want a refund please", Tier::Human),
        ("how do I reset my password", Tier::Tier1),
        ("the account is broken", Tier::Tier2),
    ];
    (0..30)
        .map(|i| {
            let (text, tier) = lines[i % 3];
            Example {
                line: i + 1,
                text: format!("{text} {}", i / 3),
                tier: Some(tier),
                intent: None,
            }
        })
        .collect()
}

fn params(embeddings: bool) -> TrainParams {
    let embeddings = embeddings.then(|| Arc::new(Embeddings::load(&fixture_dir()).unwrap()));
    TrainParams {
        min_df: 1,
        embeddings,
        ..Default::default()
    }
}

fn human(m: &Model, text: &str) -> f32 {
    m.predict(text)[m.classes.iter().position(|t| *t == Tier::Human).unwrap()]
}

#[test]
fn embeddings_carry_a_tier_to_words_training_never_saw() {
    let plain = Model::train(&data(), &params(false)).unwrap();
    let with = Model::train(&data(), &params(true)).unwrap();
    let (p, w) = (human(&plain, "chargeback"), human(&with, "chargeback"));
    assert!(w > p + 0.15, "with embeddings {w}, without {p}");
    let tier = |m: &Model, text: &str| {
        m.classes[m
            .predict(text)
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.total_cmp(b.1))
            .unwrap()
            .0]
    };
    let unseen = [
        ("chargeback", Tier::Human),
        ("login", Tier::Tier1),
        ("outage", Tier::Tier2),
        ("crashed", Tier::Tier2),
    ];
    for (word, want) in unseen {
        assert_eq!(tier(&with, word), want, "{word}: {:?}", with.predict(word));
    }
    let plain_right = unseen
        .iter()
        .filter(|(word, want)| tier(&plain, word) == *want)
        .count();
    assert!(
        plain_right < 2,
        "n-grams alone place {plain_right} of the unseen words"
    );
}

#[test]
fn a_model_with_embeddings_names_them_and_finds_them_again_by_fingerprint() {
    for hidden in [0, 8] {
        let p = TrainParams {
            hidden,
            epochs: (hidden > 0).then_some(60),
            learning_rate: (hidden > 0).then_some(0.01),
            ..params(true)
        };
        let m = Model::train(&data(), &p).unwrap();
        let json = m.to_json();
        assert!(
            json.starts_with(r#"{"format":"opsdesk-triage-v4""#),
            "{}",
            &json[..40]
        );
        let again = Model::from_json_with(&json, "m.json", Some(&fixture_dir())).unwrap();
        for text in ["refund", "reimbursement", "crashed login"] {
            let (a, b) = (m.predict(text), again.predict(text));
            assert!(
                a.iter().zip(&b).all(|(x, y)| (x - y).abs() < 1e-2),
                "{text}: {a:?} vs {b:?}"
            );
        }
        let err = Model::from_json(&json, "m.json").unwrap_err().to_string();
        let fp = m.embeddings().unwrap().fingerprint().to_string();
        assert_eq!(
            err,
            format!(
                "triage model m.json: it was trained with word embeddings {fp} (4 dimensions): set triage.embeddings (or --embeddings) to the folder holding them"
            )
        );
    }
}

#[test]
fn other_embeddings_or_a_mislabelled_format_are_refused() {
    let m = Model::train(&data(), &params(true)).unwrap();
    let json = m.to_json();
    let other = tempfile::tempdir().unwrap();
    std::fs::copy(
        fixture_dir().join("tokenizer.json"),
        other.path().join("tokenizer.json"),
    )
    .unwrap();
    let mut table = std::fs::read(fixture_dir().join("table.safetensors")).unwrap();
    *table.last_mut().unwrap() ^= 1;
    std::fs::write(other.path().join("table.safetensors"), table).unwrap();
    let err = Model::from_json_with(&json, "m.json", Some(other.path()))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("it was trained with word embeddings")
            && err.contains(&format!("but {} holds", other.path().display())),
        "{err}"
    );
    let err = Model::from_json_with(&json, "m.json", Some(Path::new("/nonexistent")))
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with(
            "triage model m.json: word embeddings in /nonexistent: cannot read the folder"
        ),
        "{err}"
    );
    let err = Model::from_json(&json.replace("-v4", "-v2"), "m.json")
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("has \"embeddings\" exactly when its format is opsdesk-triage-v4"),
        "{err}"
    );
    let plain = Model::train(&data(), &params(false)).unwrap().to_json();
    let err = Model::from_json(&plain.replace("-v2", "-v4"), "m.json")
        .unwrap_err()
        .to_string();
    assert!(err.contains("has \"embeddings\" exactly when"), "{err}");
}

/// A linear model read from its file keeps the file's signed bytes in memory (a quarter of the
/// room of numbers) and writes them back unchanged: the built-in model round-trips byte for byte.
#[test]
fn the_built_in_model_stays_bytes_in_memory_and_round_trips() {
    let m = crate::triage::Triager::default_model();
    assert!(matches!(m.weights, Weights::Q8 { .. }));
    assert!(m.to_json() == crate::triage::DEFAULT_MODEL_JSON);
}

/// The built-in model reads the word vectors shipped inside opsdesk: a model file naming that
/// table loads without `triage.embeddings`, and classifies as the built-in model does.
#[test]
fn a_model_trained_with_the_shipped_vectors_needs_no_folder() {
    let m = crate::triage::Triager::default_model();
    let shipped = crate::vectors::Embeddings::shipped();
    let e = m
        .embeddings()
        .expect("the built-in model reads word vectors");
    assert_eq!(e.fingerprint(), shipped.fingerprint());
    assert_eq!(
        crate::vectors::Embeddings::shipped_fingerprint(),
        shipped.fingerprint()
    );
    assert!(std::ptr::eq(e, shipped.as_ref()), "one copy, shared");
    let again = Model::from_json(&m.to_json(), "again.json").unwrap();
    let text = "my card payment was declined twice";
    assert_eq!(again.predict(text), m.predict(text));
    // A folder holding another table is still refused by name.
    let other = crate::vectors::fixture_dir();
    let err = Model::from_json_with(&m.to_json(), "again.json", Some(&other))
        .unwrap_err()
        .to_string();
    assert!(err.contains("it was trained with word embeddings"), "{err}");
}
