//! The trainable classifier: multinomial logistic regression over sparse TF-IDF features (over the
//! tiers, or over intents summed into their tiers), trained with AdaGrad, saved as one JSON file;
//! optionally with one hidden ReLU layer in between (`mlp.rs`).
//! Hand-written because linfa wants dense matrices (40k features × 8k rows would be 1.3 GB dense); the
//! sparse version trains banking77 in seconds. With pretrained word embeddings (`embed.rs`) the
//! message's mean token vector is appended to the n-grams as further inputs. The file format is
//! `file.rs`.

use super::data::Example;
use super::features::Vocab;
use super::labels::{self, Label, LabelMode};
use super::maths::{shuffle, softmax_in_place, softmax_into};
use super::mlp::{self, MlpParams, Net};
use crate::domain::Tier;
use crate::vectors::Embeddings;
use std::sync::Arc;

/// How much the embedding block weighs against the two unit-length n-gram blocks (chosen on the
/// validation slice, as the other defaults).
pub const DEFAULT_EMBEDDING_WEIGHT: f32 = 2.0;

/// Training hyper-parameters. Defaults chosen on a validation slice of banking77's training 80 %
/// (every 4th line), never on its test 20 %.
#[derive(Debug, Clone)]
pub struct TrainParams {
    /// Passes over the data; `None` = 12 for a linear model, 30 with a hidden layer.
    pub epochs: Option<usize>,
    /// `None` = 0.25 (AdaGrad) for a linear model, 0.001 (Adam) with a hidden layer.
    pub learning_rate: Option<f32>,
    /// L2 per update; `None` = 3e-4 for a linear tier model, 3e-5 for a linear intent model (each
    /// chosen on the validation slice: an intent model has ~20× as many weights, each seeing fewer
    /// examples), 1e-4 (scikit-learn's `alpha`) with a hidden layer.
    pub l2: Option<f32>,
    pub min_df: u32,
    pub seed: u64,
    pub labels: LabelMode,
    /// Units in the hidden layer; 0 = none (the linear model).
    pub hidden: usize,
    /// With a hidden layer: how many networks (seeds `seed`, `seed + 1`, …) to train and average.
    pub ensemble: usize,
    /// Pretrained word embeddings whose mean vector joins the n-gram features.
    pub embeddings: Option<Arc<Embeddings>>,
    /// The embedding block's length in the input (the n-gram blocks have length 1 each).
    pub embedding_weight: f32,
}

impl Default for TrainParams {
    fn default() -> Self {
        TrainParams {
            epochs: None,
            learning_rate: None,
            l2: None,
            min_df: 2,
            seed: 7,
            labels: LabelMode::Auto,
            hidden: 0,
            ensemble: 1,
            embeddings: None,
            embedding_weight: DEFAULT_EMBEDDING_WEIGHT,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Model {
    /// The tiers it decides between, ascending; `predict` returns one probability per entry.
    pub classes: Vec<Tier>,
    /// Its outputs, and each one's index in `classes`.
    pub(super) labels: Vec<Label>,
    pub(super) label_class: Vec<usize>,
    pub(super) vocab: Vocab,
    pub(super) features: Vec<String>,
    /// Appended to the n-gram inputs, at indices from `features.len()` on.
    pub(super) dense: Option<Dense>,
    /// Networks to average; when empty, the linear model's `weights` and `bias`.
    pub(super) networks: Vec<Net>,
    pub(super) weights: super::quant::Weights,
    pub(super) bias: Vec<f32>,
}

/// The embedding block of a model's inputs.
#[derive(Debug, Clone)]
pub(super) struct Dense {
    pub embeddings: Arc<Embeddings>,
    pub weight: f32,
}

/// A text's inputs: its n-gram features, then (with embeddings) its scaled mean token vector.
fn inputs(vocab: &Vocab, dense: Option<&Dense>, text: &str) -> Vec<(u32, f32)> {
    let mut x = vocab.transform(text);
    if let Some(d) = dense {
        let base = vocab.idf.len() as u32;
        let e = d.embeddings.embed(text);
        x.extend(
            e.into_iter()
                .enumerate()
                .filter(|(_, v)| *v != 0.0)
                .map(|(j, v)| (base + j as u32, v * d.weight)),
        );
    }
    x
}

#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("cannot read triage model {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("triage model {path} is not a valid opsdesk triage model: {reason}")]
    Invalid { path: String, reason: String },
    #[error("triage model {path}: {reason}")]
    Embeddings { path: String, reason: String },
    #[error("no training examples")]
    Empty,
    #[error("cannot train: {0}")]
    Labels(String),
    #[error("bad training parameters: {0}")]
    Params(String),
}

/// K networks from successive seeds (an ensemble of one by default), each with its hidden layer.
fn train_networks(
    xs: &[Vec<(u32, f32)>],
    ys: &[usize],
    n_inputs: usize,
    k: usize,
    p: &TrainParams,
) -> Vec<mlp::Net> {
    (0..p.ensemble.max(1) as u64)
        .map(|i| {
            let mp = MlpParams {
                hidden: p.hidden,
                epochs: p.epochs.unwrap_or(30),
                learning_rate: p.learning_rate.unwrap_or(0.001),
                alpha: p.l2.unwrap_or(1e-4),
                batch: 200,
                seed: p.seed + i,
            };
            mlp::train(xs, ys, n_inputs, k, &mp)
        })
        .collect()
}

/// Multinomial logistic regression by AdaGrad with L2: the weights (`n_inputs` × `k`) and biases.
fn train_linear(
    xs: &[Vec<(u32, f32)>],
    ys: &[usize],
    n_inputs: usize,
    k: usize,
    by_intent: bool,
    p: &TrainParams,
) -> (Vec<f32>, Vec<f32>) {
    let l2 = p.l2.unwrap_or(if by_intent { 3e-5 } else { 3e-4 });
    let learning_rate = p.learning_rate.unwrap_or(0.25);
    let mut w = vec![0f32; n_inputs * k];
    let mut b = vec![0f32; k];
    let mut gw = vec![1e-8f32; w.len()];
    let mut gb = vec![1e-8f32; k];
    let mut order: Vec<usize> = (0..xs.len()).collect();
    let mut rng = p.seed.max(1);
    let mut probs = vec![0f32; k];
    for _ in 0..p.epochs.unwrap_or(12) {
        shuffle(&mut order, &mut rng);
        for &i in &order {
            let x = &xs[i];
            softmax_into(x, &w, &b, k, &mut probs);
            for c in 0..k {
                let g = probs[c] - if ys[i] == c { 1.0 } else { 0.0 };
                gb[c] += g * g;
                b[c] -= learning_rate * g / gb[c].sqrt();
                for &(f, v) in x {
                    let j = f as usize * k + c;
                    let grad = g * v + l2 * w[j];
                    gw[j] += grad * grad;
                    w[j] -= learning_rate * grad / gw[j].sqrt();
                }
            }
        }
    }
    (w, b)
}

impl Model {
    pub fn train(examples: &[Example], p: &TrainParams) -> Result<Model, ModelError> {
        if examples.is_empty() {
            return Err(ModelError::Empty);
        }
        if p.ensemble != 1 && p.hidden == 0 {
            return Err(ModelError::Params(format!(
                "an ensemble of {} needs networks with a hidden layer (--hidden)",
                p.ensemble
            )));
        }
        let (labels, ys) = labels::resolve(examples, p.labels).map_err(ModelError::Labels)?;
        let (vocab, features) = Vocab::fit(examples.iter().map(|e| e.text.as_str()), p.min_df);
        let dense = p.embeddings.clone().map(|embeddings| Dense {
            embeddings,
            weight: p.embedding_weight,
        });
        let xs: Vec<Vec<(u32, f32)>> = examples
            .iter()
            .map(|e| inputs(&vocab, dense.as_ref(), &e.text))
            .collect();
        let n_inputs = features.len() + dense.as_ref().map_or(0, |d| d.embeddings.dim());
        let k = labels.len();
        if p.hidden > 0 {
            let networks = train_networks(&xs, &ys, n_inputs, k, p);
            return Ok(Model::assemble(
                labels,
                vocab,
                features,
                dense,
                networks,
                super::quant::Weights::F32(vec![]),
                vec![],
            ));
        }
        let by_intent = labels.iter().any(|l| l.name != l.tier.as_str());
        let (w, b) = train_linear(&xs, &ys, n_inputs, k, by_intent, p);
        Ok(Model::assemble(
            labels,
            vocab,
            features,
            dense,
            vec![],
            super::quant::Weights::F32(w),
            b,
        ))
    }

    pub(super) fn assemble(
        labels: Vec<Label>,
        vocab: Vocab,
        features: Vec<String>,
        dense: Option<Dense>,
        networks: Vec<Net>,
        weights: super::quant::Weights,
        bias: Vec<f32>,
    ) -> Model {
        let mut classes: Vec<Tier> = labels.iter().map(|l| l.tier).collect();
        classes.sort();
        classes.dedup();
        let label_class = labels
            .iter()
            .map(|l| classes.binary_search(&l.tier).expect("tier was collected"))
            .collect();
        Model {
            classes,
            labels,
            label_class,
            vocab,
            features,
            dense,
            networks,
            weights,
            bias,
        }
    }

    /// Tier probabilities, in `self.classes` order (an intent model sums each tier's intents).
    pub fn predict(&self, text: &str) -> Vec<f32> {
        let x = inputs(&self.vocab, self.dense.as_ref(), text);
        let mut per_label = vec![0f32; self.labels.len()];
        if self.networks.is_empty() {
            per_label.copy_from_slice(&self.bias);
            for &(f, v) in &x {
                self.weights.add_row(f as usize, v, &mut per_label);
            }
            softmax_in_place(&mut per_label);
        } else {
            self.networks
                .iter()
                .for_each(|n| n.add_probs(&x, &mut per_label));
            per_label
                .iter_mut()
                .for_each(|p| *p /= self.networks.len() as f32);
        }
        let mut probs = vec![0f32; self.classes.len()];
        for (p, &c) in per_label.iter().zip(&self.label_class) {
            probs[c] += p;
        }
        probs
    }

    /// How many outputs the model has: 4 or fewer for a tier model, one per intent otherwise.
    pub fn label_count(&self) -> usize {
        self.labels.len()
    }

    /// Whether the model has a feature for the lower-cased word `w`.
    pub fn knows_word(&self, w: &str) -> bool {
        self.vocab.index.contains_key(&format!("w:{w}"))
    }

    pub fn feature_count(&self) -> usize {
        self.features.len()
    }

    /// The word embeddings the model was trained with, if any.
    pub fn embeddings(&self) -> Option<&Embeddings> {
        self.dense.as_ref().map(|d| d.embeddings.as_ref())
    }
}

#[cfg(test)]
#[path = "model_tests.rs"]
mod tests;
