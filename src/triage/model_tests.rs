//! Tests of the triage model: learning, intents summed into tiers, networks, file formats and errors.

use super::*;

fn ex(i: usize, text: String, tier: Tier, intent: &str) -> Example {
    Example {
        line: i + 1,
        text,
        tier: Some(tier),
        intent: Some(intent.into()),
    }
}

fn data() -> Vec<Example> {
    let mut v = Vec::new();
    for i in 0..20 {
        v.push(ex(
            v.len(),
            format!("how do I reset my password please {i}"),
            Tier::Tier1,
            "password",
        ));
        v.push(ex(
            v.len(),
            format!("the dashboard is down and returns error 500 {i}"),
            Tier::Tier2,
            "outage",
        ));
        v.push(ex(
            v.len(),
            format!("I want a refund for my subscription {i}"),
            Tier::Human,
            "refund",
        ));
        v.push(ex(
            v.len(),
            format!("my card was charged twice this month {i}"),
            Tier::Human,
            "double_charge",
        ));
    }
    v
}

/// Saved weights keep 4 decimals, so a reloaded model agrees to about that.
fn assert_close(a: &[f32], b: &[f32]) {
    assert!(
        a.len() == b.len() && a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-3),
        "{a:?} vs {b:?}"
    );
}

fn best(m: &Model, text: &str) -> Tier {
    let p = m.predict(text);
    assert!((p.iter().sum::<f32>() - 1.0).abs() < 1e-4, "{p:?}");
    m.classes[p
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.total_cmp(b.1))
        .unwrap()
        .0]
}

#[test]
fn learns_separable_classes_and_round_trips() {
    let m = Model::train(
        &data(),
        &TrainParams {
            min_df: 1,
            labels: LabelMode::Tier,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(m.label_count(), 3);
    assert_eq!(best(&m, "reset password"), Tier::Tier1);
    let again = Model::from_json(&m.to_json(), "mem").unwrap();
    assert_eq!(best(&again, "refund my subscription"), Tier::Human);
    assert_close(
        &again.predict("reset password"),
        &m.predict("reset password"),
    );
}

#[test]
fn an_intent_model_sums_its_intents_into_tiers() {
    let m = Model::train(
        &data(),
        &TrainParams {
            min_df: 1,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(
        (m.label_count(), m.classes.clone()),
        (4, vec![Tier::Tier1, Tier::Tier2, Tier::Human])
    );
    let again = Model::from_json(&m.to_json(), "mem").unwrap();
    for text in ["charged twice", "refund please", "error 500"] {
        assert_close(&again.predict(text), &m.predict(text));
    }
    assert_eq!(best(&again, "charged twice on my card"), Tier::Human);
    assert_eq!(best(&again, "I want a refund"), Tier::Human);
    // The two human intents share the tier's probability: neither alone is the tier's.
    let human = m.predict("refund for my card charged twice")[2];
    let per_label = {
        let mut p = m.bias.clone();
        for (f, v) in m.vocab.transform("refund for my card charged twice") {
            m.weights.add_row(f as usize, v, &mut p);
        }
        softmax_in_place(&mut p);
        p
    };
    let names: Vec<&str> = m.labels.iter().map(|l| l.name.as_str()).collect();
    assert_eq!(names, ["double_charge", "outage", "password", "refund"]);
    assert!((human - (per_label[0] + per_label[3])).abs() < 1e-6);
}

#[test]
fn a_hidden_layer_model_learns_round_trips_and_names_its_format() {
    let p = TrainParams {
        min_df: 1,
        hidden: 16,
        ensemble: 2,
        epochs: Some(40),
        learning_rate: Some(0.01),
        ..Default::default()
    };
    let m = Model::train(&data(), &p).unwrap();
    let json = m.to_json();
    assert!(
        json.starts_with(r#"{"format":"opsdesk-triage-v3""#),
        "{}",
        &json[..60]
    );
    assert_eq!(
        Model::train(&data(), &p).unwrap().to_json(),
        json,
        "training is deterministic"
    );
    let again = Model::from_json(&json, "mem").unwrap();
    for (text, tier) in [
        ("reset my password", Tier::Tier1),
        ("dashboard error 500", Tier::Tier2),
        ("I want a refund", Tier::Human),
    ] {
        assert_eq!(best(&again, text), tier, "{text}");
        let (a, b) = (m.predict(text), again.predict(text));
        assert!(
            a.iter().zip(&b).all(|(x, y)| (x - y).abs() < 1e-2),
            "{a:?} vs {b:?}"
        );
    }
    // The format and the layer go together, and the layer's shape is checked.
    let err = Model::from_json(&json.replace("-v3", "-v2"), "x.json")
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("x.json") && err.contains("\"networks\" exactly when"),
        "{err}"
    );
    let mut v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["networks"].as_array().unwrap().len(), 2);
    v["networks"][1]["hidden"]["bias"]
        .as_array_mut()
        .unwrap()
        .pop();
    let err = Model::from_json(&v.to_string(), "y.json")
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("y.json") && err.contains("array lengths do not match"),
        "{err}"
    );
}

#[test]
fn version_1_files_still_load() {
    let v1 = r#"{"format":"opsdesk-triage-v1","classes":["none","human"],"features":["w:refund"],"idf":[1.0],"weights":[-1.0,1.0],"bias":[0.0,0.0]}"#;
    let m = Model::from_json(v1, "old.json").unwrap();
    assert_eq!((m.label_count(), best(&m, "refund")), (2, Tier::Human));
    let v2_without_labels = v1.replace("-v1", "-v2");
    let err = Model::from_json(&v2_without_labels, "new.json")
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("new.json") && err.contains("missing \"labels\""),
        "{err}"
    );
}

#[test]
fn training_is_deterministic() {
    let p = TrainParams {
        min_df: 1,
        ..Default::default()
    };
    assert_eq!(
        Model::train(&data(), &p).unwrap().to_json(),
        Model::train(&data(), &p).unwrap().to_json()
    );
}

#[test]
fn corrupt_files_and_bad_labels_are_named_errors() {
    let err = Model::from_json("{\"format\":\"x\"}", "m.json")
        .unwrap_err()
        .to_string();
    assert!(err.contains("m.json"), "{err}");
    assert!(matches!(
        Model::train(&[], &TrainParams::default()),
        Err(ModelError::Empty)
    ));
    let err = Model::train(
        &data(),
        &TrainParams {
            ensemble: 3,
            ..Default::default()
        },
    )
    .unwrap_err()
    .to_string();
    assert_eq!(
        err,
        "bad training parameters: an ensemble of 3 needs networks with a hidden layer (--hidden)"
    );
    let mut clash = data();
    clash[1].intent = Some("password".into());
    let err = Model::train(&clash, &TrainParams::default())
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with(
            "cannot train: intent \"password\" is labelled tier1 on line 1 and tier2 on line 2"
        ),
        "{err}"
    );
}
