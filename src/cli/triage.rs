//! `opsdesk triage [--model PATH]` (JSONL in → JSONL out), `triage train` and `triage eval`.

use crate::config::Settings;
use crate::triage::model::DEFAULT_EMBEDDING_WEIGHT;
use crate::triage::{LabelMode, Model, TrainParams, data, eval};
use crate::vectors::Embeddings;
use anyhow::Context;
use clap::{Args as ClapArgs, Subcommand};
use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;

#[derive(ClapArgs, Debug)]
#[command(args_conflicts_with_subcommands = true)]
pub struct Args {
    #[command(subcommand)]
    pub action: Option<Action>,
    /// Model file from `triage train` (default: triage.model, else the built-in model).
    #[arg(long)]
    pub model: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
pub enum Action {
    /// Train a model from labelled JSONL {"text", "tier"} (and, optionally, a finer "intent" per line).
    Train {
        #[arg(long)]
        data: PathBuf,
        #[arg(long)]
        out: PathBuf,
        /// Passes over the data [default: 12, or 30 with a hidden layer].
        #[arg(long)]
        epochs: Option<usize>,
        /// Step size: AdaGrad's [default: 0.25], or Adam's with a hidden layer [default: 0.001].
        #[arg(long)]
        learning_rate: Option<f32>,
        /// L2 regularisation [default: 0.0003 for tiers, 0.00003 for intents, 0.0001 with a hidden layer].
        #[arg(long)]
        l2: Option<f32>,
        /// Units in a hidden ReLU layer between the features and the outputs (0: a linear model).
        #[arg(long, default_value_t = 0)]
        hidden: usize,
        /// With `--hidden`: how many networks to train (from successive seeds) and average.
        #[arg(long, default_value_t = 1)]
        ensemble: usize,
        /// Seeds the shuffling of the examples (and a hidden layer's starting weights).
        #[arg(long, default_value_t = TrainParams::default().seed)]
        seed: u64,
        /// Keep only word and character n-grams seen in at least this many training messages.
        #[arg(long, default_value_t = TrainParams::default().min_df)]
        min_df: u32,
        /// What to learn: `tier`, `intent` (each line's "intent", summed into its tier when
        /// classifying), or `auto` (intents when every line has one).
        #[arg(long, default_value = "auto")]
        labels: LabelMode,
        /// Folder of pretrained word embeddings (a .safetensors token table and its tokenizer .json)
        /// whose mean vector joins the n-gram features; the model then needs `triage.embeddings`
        /// [default: the word vectors shipped with opsdesk, which need no setting].
        #[arg(long)]
        embeddings: Option<PathBuf>,
        /// Train on the word and character n-grams alone, without word vectors.
        #[arg(long, conflicts_with = "embeddings")]
        no_embeddings: bool,
        /// The word vectors' weight against the n-gram blocks (unless `--no-embeddings`).
        #[arg(long, default_value_t = DEFAULT_EMBEDDING_WEIGHT)]
        embedding_weight: f32,
    },
    /// Evaluate a model on labelled JSONL: accuracy, per-tier precision/recall, confusion matrix.
    Eval {
        #[arg(long)]
        data: PathBuf,
        #[arg(long)]
        model: Option<PathBuf>,
        #[arg(long)]
        json: bool,
        /// Also score other values of triage.human_threshold and triage.none_threshold.
        #[arg(long)]
        sweep: bool,
    },
    /// Write resolved tickets as labelled JSONL {"text", "tier"} (the tier each ended with) to stdout.
    Export {
        /// Only tickets resolved within this long: 30d, 90d, 12h.
        #[arg(long)]
        since: Option<String>,
    },
}

fn model_for(s: &Settings, path: Option<&PathBuf>) -> anyhow::Result<Model> {
    crate::app::load_model(&s.triage, path.map(PathBuf::as_path))
}

fn read_labelled(path: &PathBuf) -> anyhow::Result<Vec<data::Example>> {
    let f = std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let (ok, bad) = data::read_labelled(BufReader::new(f))?;
    for b in &bad {
        eprintln!("{}: skipped {b}", path.display());
    }
    anyhow::ensure!(
        !ok.is_empty(),
        "{} holds no usable labelled lines",
        path.display()
    );
    for c in data::conflicts(&ok) {
        eprintln!("{}: warning: {c}, under two tiers", path.display());
    }
    Ok(ok)
}

pub async fn run(s: &Settings, a: &Args) -> anyhow::Result<()> {
    match &a.action {
        None => classify_stdin(s, a.model.as_ref()),
        Some(Action::Export { since }) => export(s, since.as_deref()).await,
        Some(Action::Train {
            data,
            out,
            epochs,
            learning_rate,
            l2,
            labels,
            hidden,
            ensemble,
            seed,
            min_df,
            embeddings,
            no_embeddings,
            embedding_weight,
        }) => {
            let examples = read_labelled(data)?;
            let started = std::time::Instant::now();
            let embeddings = match (embeddings, no_embeddings) {
                (_, true) => None,
                (Some(dir), false) => Some(Embeddings::load_shared(dir)?),
                (None, false) => Some(Embeddings::shipped()),
            };
            let params = TrainParams {
                epochs: *epochs,
                learning_rate: *learning_rate,
                l2: *l2,
                labels: *labels,
                hidden: *hidden,
                ensemble: *ensemble,
                seed: *seed,
                min_df: *min_df,
                embeddings,
                embedding_weight: *embedding_weight,
            };
            let m =
                Model::train(&examples, &params).with_context(|| format!("{}", data.display()))?;
            std::fs::write(out, m.to_json())
                .with_context(|| format!("cannot write {}", out.display()))?;
            let mut outputs = if m.label_count() > m.classes.len() {
                format!("{} intents", m.label_count())
            } else {
                "tiers".into()
            };
            if let Some(e) = m.embeddings() {
                outputs += &format!(
                    ", word embeddings {} of {} dimensions",
                    e.fingerprint(),
                    e.dim()
                );
            }
            eprintln!(
                "trained on {} examples ({} features, {outputs}) in {:.1?}; wrote {}",
                examples.len(),
                m.feature_count(),
                started.elapsed(),
                out.display()
            );
            Ok(())
        }
        Some(Action::Eval {
            data,
            model,
            json,
            sweep,
        }) => evaluate(s, model.as_ref().or(a.model.as_ref()), data, *json, *sweep),
    }
}

/// `triage eval`: the report, and with `sweep` the shares at other thresholds.
fn evaluate(
    s: &Settings,
    model: Option<&PathBuf>,
    data: &PathBuf,
    json: bool,
    sweep: bool,
) -> anyhow::Result<()> {
    let triager = crate::app::triager(s, model_for(s, model)?, &crate::app::kb_pages(&s.kb));
    let examples = read_labelled(data)?;
    let pairs: Vec<_> = examples
        .iter()
        .filter_map(|e| Some((e.tier?, triager.triage(&e.text).tier)))
        .collect();
    let report = eval::evaluate(&pairs);
    let points = if sweep {
        super::triage_sweep::sweep(&triager, &examples)
    } else {
        vec![]
    };
    let mut out = std::io::stdout().lock();
    if json {
        let mut v = serde_json::to_value(&report)?;
        if sweep {
            v["sweep"] = serde_json::to_value(&points)?;
        }
        writeln!(out, "{v}")?;
    } else {
        out.write_all(report.render().as_bytes())?;
        if sweep {
            super::triage_sweep::render(&points, &mut out)?;
        }
    }
    Ok(())
}

/// `triage export`: resolved tickets as labelled lines on stdout, the count on stderr.
async fn export(s: &Settings, since: Option<&str>) -> anyhow::Result<()> {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let (written, skipped) =
        super::triage_export::run(s, since, crate::clock::now(), &mut out).await?;
    out.flush()?;
    eprintln!("{written} tickets written; {skipped} resolved without a tier to learn");
    Ok(())
}

fn classify_stdin(s: &Settings, model: Option<&PathBuf>) -> anyhow::Result<()> {
    let triager = crate::app::triager(s, model_for(s, model)?, &crate::app::kb_pages(&s.kb));
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for (i, line) in std::io::stdin().lock().lines().enumerate() {
        match data::parse_line(&line?, i + 1, false) {
            Ok(Some(e)) => {
                let probs = triager.probs(&e.text);
                let t = triager.decide(&e.text, &probs);
                let odds: serde_json::Map<String, serde_json::Value> = triager
                    .model()
                    .classes
                    .iter()
                    .zip(&probs)
                    .map(|(c, p)| (c.as_str().to_string(), serde_json::json!(p)))
                    .collect();
                serde_json::to_writer(
                    &mut out,
                    &serde_json::json!({"text": e.text, "tier": t.tier, "confidence": t.confidence, "odds": odds, "docs_share": triager.docs_share(&e.text)}),
                )?;
                out.write_all(b"\n")?;
            }
            Ok(None) => {}
            Err(b) => eprintln!("stdin: skipped {b}"),
        }
    }
    out.flush()?;
    Ok(())
}
