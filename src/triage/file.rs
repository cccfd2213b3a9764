//! The triage model's file: one JSON document (`opsdesk-triage-v1` … `v4`), its checks on load, and
//! the pretrained word embeddings a v4 model names by fingerprint and finds in `triage.embeddings`.

use super::features::Vocab;
use super::labels::Label;
use super::mlp::{Hidden, Net};
use super::model::{Dense, Model, ModelError};
use super::quant::{Weights, decode};
use crate::domain::Tier;
use crate::vectors::Embeddings;
use serde::{Deserialize, Serialize};
use std::path::Path;
use std::sync::Arc;

/// Written for a linear model; v1 files (columns = tiers, no `labels`) still load.
const FORMAT: &str = "opsdesk-triage-v2";
/// Written for a model of networks with a hidden layer (older versions of opsdesk refuse it by name).
const FORMAT_HIDDEN: &str = "opsdesk-triage-v3";
/// Written for a model (linear or networks) whose inputs include word embeddings.
const FORMAT_EMBEDDINGS: &str = "opsdesk-triage-v4";
const FORMAT_V1: &str = "opsdesk-triage-v1";

/// What is stored on disk.
#[derive(Serialize, Deserialize)]
struct ModelFile {
    format: String,
    /// The tiers the model decides between (v1: also its outputs).
    classes: Vec<Tier>,
    /// v2+: the model's outputs, each a tier or an intent of one tier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    labels: Option<Vec<Label>>,
    features: Vec<String>,
    idf: Vec<f32>,
    /// v4: the word embeddings appended to the n-gram inputs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    embeddings: Option<EmbeddingsRef>,
    /// v3, v4: networks with a hidden layer, averaged (instead of `weights` and `bias`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    networks: Vec<Net>,
    /// v1, v2, v4: row-major, `weights[input * labels.len() + k]`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    weights: Vec<f32>,
    /// Instead of `weights` (a linear model): each input's row quantised to signed bytes, base64.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    weights_q8: Option<String>,
    /// With `weights_q8`: each input row's scale (its bytes times this are its weights).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    scales: Vec<f32>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    bias: Vec<f32>,
}

#[derive(Serialize, Deserialize)]
struct EmbeddingsRef {
    fingerprint: String,
    dim: usize,
    weight: f32,
}

/// Checks a file's format, labels and array lengths against each other; returns its labels.
/// The labels of `f`, once its arrays agree; `weights_len` is its linear weights' count (kept as
/// bytes or as numbers).
fn check(f: &mut ModelFile, weights_len: usize) -> Result<Vec<Label>, String> {
    let v4 = f.format == FORMAT_EMBEDDINGS;
    if v4 != f.embeddings.is_some() {
        return Err(format!(
            "a {} file has \"embeddings\" exactly when its format is {FORMAT_EMBEDDINGS}",
            f.format
        ));
    }
    if !v4 && (f.format == FORMAT_HIDDEN) == f.networks.is_empty() {
        return Err(format!(
            "a {} file has \"networks\" exactly when its format is {FORMAT_HIDDEN}",
            f.format
        ));
    }
    let labels = match (f.format.as_str(), f.labels.take()) {
        (FORMAT | FORMAT_HIDDEN | FORMAT_EMBEDDINGS, Some(labels)) => labels,
        (FORMAT_V1, None) => f
            .classes
            .iter()
            .map(|t| Label {
                name: t.as_str().into(),
                tier: *t,
            })
            .collect(),
        (FORMAT | FORMAT_HIDDEN | FORMAT_EMBEDDINGS, None) => {
            return Err("missing \"labels\"".into());
        }
        (other, _) => return Err(format!("format is {other:?}")),
    };
    let k = labels.len();
    let n = f.features.len() + f.embeddings.as_ref().map_or(0, |e| e.dim);
    let linear_ok = !f.networks.is_empty() || (weights_len == n * k && f.bias.len() == k);
    let nets_ok = f.networks.iter().all(|net| {
        let h = &net.hidden;
        h.weights.len() == n * h.size
            && h.bias.len() == h.size
            && net.weights.len() == h.size * k
            && net.bias.len() == k
    });
    let unused = !f.networks.is_empty() && (weights_len > 0 || !f.bias.is_empty());
    if k == 0 || f.idf.len() != f.features.len() || !linear_ok || !nets_ok || unused {
        return Err("array lengths do not match".into());
    }
    Ok(labels)
}

impl Model {
    pub fn to_json(&self) -> String {
        let format = match (&self.dense, self.networks.is_empty()) {
            (Some(_), _) => FORMAT_EMBEDDINGS,
            (None, true) => FORMAT,
            (None, false) => FORMAT_HIDDEN,
        };
        let (weights_q8, scales) = if self.weights.len() == 0 {
            (None, vec![])
        } else {
            let (q, s) = self.weights.quantised(self.labels.len());
            (Some(q), s)
        };
        let file = ModelFile {
            format: format.into(),
            classes: self.classes.clone(),
            labels: Some(self.labels.clone()),
            features: self.features.clone(),
            idf: self.vocab.idf.clone(),
            embeddings: self.dense.as_ref().map(|d| EmbeddingsRef {
                fingerprint: d.embeddings.fingerprint().into(),
                dim: d.embeddings.dim(),
                weight: d.weight,
            }),
            networks: self
                .networks
                .iter()
                .map(|n| Net {
                    hidden: Hidden {
                        size: n.hidden.size,
                        weights: n.hidden.weights.iter().map(|v| round(*v)).collect(),
                        bias: n.hidden.bias.clone(),
                    },
                    weights: n.weights.iter().map(|v| round(*v)).collect(),
                    bias: n.bias.clone(),
                })
                .collect(),
            weights: vec![],
            weights_q8,
            scales,
            bias: self.bias.clone(),
        };
        serde_json::to_string(&file).expect("model serialises")
    }

    /// A model without word embeddings, or trained with the shipped ones (one that needs others is
    /// an error naming `triage.embeddings`).
    pub fn from_json(json: &str, path: &str) -> Result<Model, ModelError> {
        Model::from_json_with(json, path, None)
    }

    /// A model from its file; `embeddings` is the folder a v4 model's word embeddings are loaded from.
    pub fn from_json_with(
        json: &str,
        path: &str,
        embeddings: Option<&Path>,
    ) -> Result<Model, ModelError> {
        let invalid = |reason: String| ModelError::Invalid {
            path: path.into(),
            reason,
        };
        let mut f: ModelFile = serde_json::from_str(json).map_err(|e| invalid(e.to_string()))?;
        let q8 = match f.weights_q8.take() {
            Some(q) => Some(decode(&q, &f.scales).map_err(invalid)?),
            None => None,
        };
        let weights_len = q8.as_ref().map_or(f.weights.len(), Vec::len);
        let labels = check(&mut f, weights_len).map_err(invalid)?;
        let weights = match q8 {
            Some(bytes) => Weights::Q8 {
                bytes,
                scales: std::mem::take(&mut f.scales),
            },
            None => Weights::F32(std::mem::take(&mut f.weights)),
        };
        let dense = match f.embeddings {
            Some(r) => Some(Dense {
                embeddings: load_embeddings(&r, embeddings, path)?,
                weight: r.weight,
            }),
            None => None,
        };
        let index = f
            .features
            .iter()
            .enumerate()
            .map(|(i, n)| (n.clone(), i as u32))
            .collect();
        let m = Model::assemble(
            labels,
            Vocab { index, idf: f.idf },
            f.features,
            dense,
            f.networks,
            weights,
            f.bias,
        );
        if m.classes != f.classes {
            return Err(invalid(format!(
                "\"classes\" {:?} are not the tiers of its labels {:?}",
                f.classes, m.classes
            )));
        }
        Ok(m)
    }

    /// Reads a model file; `embeddings` as in `from_json_with`.
    pub fn load(path: &Path, embeddings: Option<&Path>) -> Result<Model, ModelError> {
        let shown = path.display().to_string();
        let json = std::fs::read_to_string(path).map_err(|source| ModelError::Read {
            path: shown.clone(),
            source,
        })?;
        Model::from_json_with(&json, &shown, embeddings)
    }
}

/// The embeddings a v4 model was trained with, from the configured folder, checked by fingerprint;
/// without a folder, the table shipped with opsdesk when the model was trained with it.
fn load_embeddings(
    r: &EmbeddingsRef,
    dir: Option<&Path>,
    path: &str,
) -> Result<Arc<Embeddings>, ModelError> {
    let fail = |reason: String| ModelError::Embeddings {
        path: path.into(),
        reason,
    };
    let Some(dir) = dir else {
        if Embeddings::shipped_fingerprint() == r.fingerprint {
            return Ok(Embeddings::shipped());
        }
        return Err(fail(format!(
            "it was trained with word embeddings {} ({} dimensions): set triage.embeddings (or --embeddings) to the folder holding them",
            r.fingerprint, r.dim
        )));
    };
    let e = Embeddings::load_shared(dir).map_err(|e| fail(e.to_string()))?;
    if e.fingerprint() != r.fingerprint {
        return Err(fail(format!(
            "it was trained with word embeddings {}, but {} holds {}",
            r.fingerprint,
            dir.display(),
            e.fingerprint()
        )));
    }
    Ok(e)
}

/// Keeps the model file small: 4 significant decimals are far below the model's noise.
fn round(v: f32) -> f32 {
    (v * 1e4).round() / 1e4
}

#[cfg(test)]
#[path = "file_tests.rs"]
mod tests;
