//! Start-up: builds the store, knowledge base, triager and templates from settings, with errors that
//! say what is wrong (missing KB folder, bad model file, locked database).

use crate::config::{Settings, TriageSettings, redact_url};
use crate::domain::ports::Store;
use crate::kb::LiveKb;
use crate::pipeline::Pipeline;
use crate::prompts::Templates;
use crate::store::SqlStore;
use crate::triage::{Model, TriageRules, Triager};
use anyhow::Context;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

pub async fn open_store(s: &Settings, url: &str) -> anyhow::Result<SqlStore> {
    SqlStore::connect(
        url,
        s.store.max_connections,
        Duration::from_secs(s.store.busy_timeout_secs),
    )
    .await
    .with_context(|| format!("cannot open the database {}", redact_url(url)))
}

/// The configured triage model (`triage.model`, else the built-in one), or the one at `path`.
pub fn load_model(t: &TriageSettings, path: Option<&Path>) -> anyhow::Result<Model> {
    let embeddings = (!t.embeddings.is_empty()).then(|| Path::new(&t.embeddings));
    match path {
        Some(p) => Ok(Model::load(p, embeddings)?),
        None if t.model.is_empty() => Ok(Triager::default_model()),
        None => Ok(Model::load(Path::new(&t.model), embeddings)?),
    }
}

/// The triager of `[triage]`, with the product's own words from the knowledge base's `pages` as
/// support phrases too (`triage.product_word_share`).
pub fn triager(s: &Settings, model: Model, pages: &[String]) -> Triager {
    let t = &s.triage;
    let product = crate::triage::product::words(pages, &model, t.product_word_share);
    if !product.is_empty() {
        tracing::info!(words = %product.join(", "), "the product's own words are support signals");
    }
    Triager::new(
        model,
        TriageRules {
            confidence_threshold: t.confidence_threshold,
            human_threshold: t.human_threshold,
            none_threshold: t.none_threshold,
            unrelated_none_threshold: t.unrelated_none_threshold,
            sure_none_threshold: t.sure_none_threshold,
            related_share: t.related_share,
            support_phrases: t.support_phrases.clone(),
            other_language_problems: t.other_language_problem_phrases.clone(),
            other_language_questions: t.other_language_question_phrases.clone(),
            human_phrases: t.human_phrases.clone(),
            praise_phrases: t.praise_phrases.clone(),
            spam: crate::triage::spam::SpamRules {
                phrases: t.spam_phrases.clone(),
                links: t.spam_links,
                mentions: t.spam_mentions,
            },
        },
    )
    .with_support_words(&product)
    .with_docs(pages)
}

/// The knowledge base's pages as text, for [`triager`] outside the bot (`opsdesk triage`); none,
/// with a warning, when they cannot be read.
pub fn kb_pages(k: &crate::config::KbSettings) -> Vec<String> {
    match crate::kb::Kb::load_with(&k.path, &k.learned_path, &k.base_url) {
        Ok(kb) => kb.page_texts(),
        Err(e) => {
            tracing::warn!(error = %e, "no knowledge base: the product's words are not support signals");
            vec![]
        }
    }
}

/// The knowledge base of `kb.path` and `kb.learned_path`, ranked by meaning too with the word vectors
/// of `kb.embeddings`, re-indexed when an answer becomes a page. A missing or empty folder gives an
/// empty one (every question goes to a person), and vectors that cannot be loaded leave BM25 alone;
/// both are said in the log.
pub fn knowledge_base(k: &crate::config::KbSettings) -> anyhow::Result<LiveKb> {
    let vectors = kb_vectors(k).unwrap_or_else(|e| {
        tracing::warn!(error = %e, "knowledge base without word vectors: ranked by BM25 alone");
        None
    });
    LiveKb::new(
        k.path.clone(),
        k.learned_path.clone(),
        k.base_url.clone(),
        vectors,
    )
    .context("cannot load the knowledge base")
}

/// The word vectors of `kb.embeddings`: none when empty; the table compiled into opsdesk when the
/// setting names the shipped folder (`vectors/wordllama`, the default) and it is not beside the
/// config (opsdesk run from another folder, or a config folder of one's own). The shipped table
/// is the built-in triage model's too: one copy in memory.
pub fn kb_vectors(
    k: &crate::config::KbSettings,
) -> Result<Option<Arc<crate::vectors::Embeddings>>, crate::vectors::EmbedError> {
    use crate::vectors::Embeddings;
    if k.embeddings.as_os_str().is_empty() {
        return Ok(None);
    }
    let shipped = k.embeddings.ends_with(crate::config::SHIPPED_VECTORS);
    if shipped && !k.embeddings.exists() {
        return Ok(Some(Embeddings::shipped()));
    }
    Embeddings::load_shared(&k.embeddings).map(Some)
}

/// Builds the pipeline over `store` (the configured database, or an in-memory one for `ask`).
pub async fn pipeline(
    s: Settings,
    store: Arc<dyn Store>,
    connected: Vec<String>,
) -> anyhow::Result<Pipeline> {
    crate::telemetry::metrics();
    let kb = knowledge_base(&s.kb)?;
    tracing::info!(sections = kb.snapshot().len(), path = %s.kb.path.display(), "knowledge base indexed");
    let model = load_model(&s.triage, None).context("cannot load the triage model")?;
    let triager = triager(&s, model, &kb.snapshot().page_texts());
    let templates = Templates::load(Some(&s.prompts.path))
        .and_then(|t| t.with_alert_title(&s.alerts.title))
        .context("cannot load prompts")?;
    Ok(Pipeline {
        store,
        kb: Arc::new(kb),
        triager: Arc::new(triager),
        templates: Arc::new(templates),
        outbox_ready: Arc::new(Notify::new()),
        llm: crate::llm::OpenAiLlm::new(&s.llm)
            .map(|l| Arc::new(l) as Arc<dyn crate::domain::ports::Llm>),
        settings: Arc::new(s),
        connected: Arc::new(connected),
        commands: Arc::new(crate::commands::Ops),
    })
}
