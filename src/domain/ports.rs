//! The port traits the runtime implements: chat platforms, the store, the knowledge base and the LLM.
//! Their data types live here too, so adapters depend on the domain and never the other way round.

use super::{Platform, Reply};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

// ---------------------------------------------------------------- chat platforms

/// Which earlier message an update replaces: an outbox row we posted, or a platform message id.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Target {
    Outbox(i64),
    Message(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum OutboundOp {
    /// A new message (in `thread` when set).
    Post,
    /// Edit a message posted earlier, in place.
    Update { target: Target },
    /// Visible only to `user` (command replies, refusals). `interaction` is the event's handle where the
    /// platform can only answer privately through it (Discord).
    Ephemeral {
        user: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        interaction: Option<String>,
    },
}

/// One message to deliver, as persisted in the outbox.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outbound {
    pub platform: Platform,
    pub channel: String,
    pub thread: Option<String>,
    /// A name for the thread, where the platform must create one first (Discord): the ticket's subject.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thread_title: Option<String>,
    pub op: OutboundOp,
    pub reply: Reply,
}

/// A delivery attempt's failure, as the outbox worker needs to know it.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SendError {
    #[error("rate limited; retry after {retry_after_ms} ms")]
    RateLimited { retry_after_ms: u64 },
    #[error("temporary failure: {0}")]
    Transient(String),
    #[error("permanent failure: {0}")]
    Permanent(String),
}

#[async_trait]
pub trait ChatPlatform: Send + Sync {
    fn platform(&self) -> Platform;
    /// Delivers one message; returns the platform's id for it (used to edit it later), when it has one.
    /// `resolved_target` is the platform id of the message an update replaces.
    async fn send(
        &self,
        msg: &Outbound,
        resolved_target: Option<&str>,
    ) -> Result<Option<String>, SendError>;
}

// ---------------------------------------------------------------- knowledge base

/// One retrieved knowledge-base section.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KbHit {
    /// Stable id: `page-slug#section-slug`.
    pub id: String,
    pub title: String,
    pub link: String,
    pub text: String,
    pub tags: Vec<String>,
    /// BM25 relevance (tantivy); comparable only within one knowledge base.
    pub score: f32,
    /// The share of the question's content words (weighted by rarity) the section contains, 0–1.
    pub coverage: f32,
    /// Cosine similarity of the section's and the question's word vectors; 0 without vectors.
    pub similarity: f32,
    /// Place in the lexical ranking (BM25 × coverage), 0 first; `u32::MAX` when outside it.
    pub lexical_rank: u32,
    /// Place in the ranking by similarity, 0 first; `None` without word vectors.
    pub semantic_rank: Option<u32>,
    /// How many of the question's content words the section's own heading (the last part of its
    /// title path) names.
    pub heading_words: u32,
    /// The question's words, as it writes them, that this section never uses and other sections
    /// do: things the docs know that this section is not about.
    pub elsewhere: Vec<String>,
}

impl KbHit {
    /// A page tagged `known-issue`: a problem the team knows about, with its workaround.
    pub fn is_known_issue(&self) -> bool {
        self.tags.iter().any(|t| t == "known-issue")
    }

    /// Whether `other` is a section this one sits in (its parent, or further up) on the same page:
    /// its title path (`Page › Heading`) is the start of this one's (`Page › Heading › Steps`).
    pub fn is_inside(&self, other: &KbHit) -> bool {
        fn page(h: &KbHit) -> &str {
            h.id.split('#').next().unwrap_or("")
        }
        if page(self) != page(other) {
            return false;
        }
        let (mut inner, mut outer) = (self.title.split('›'), other.title.split('›'));
        // Every heading of `other`'s path is `self`'s, and `self`'s goes on below it.
        outer.all(|o| inner.next().is_some_and(|i| i.trim() == o.trim())) && inner.next().is_some()
    }
}

pub trait KnowledgeBase: Send + Sync {
    fn search(&self, query: &str, limit: usize) -> Vec<KbHit>;
    /// The byte of `hit.text` where the passage `question` is about begins, 0 for its start: a
    /// long section is quoted from there. Asked only of the sections quoted, not of every hit.
    fn focus(&self, question: &str, hit: &KbHit) -> usize {
        let _ = (question, hit);
        0
    }
    /// Groups `texts` that ask about the same thing, by the meaning retrieval uses: index lists, each
    /// list's most typical text first. Texts whose average similarity is at least `min_similarity`
    /// share a group.
    fn group_similar(&self, texts: &[&str], min_similarity: f32) -> Vec<Vec<usize>>;
    /// Indexes the pages again (one was added); the number of sections, or why it failed (the
    /// previous index stays). A fixed index has nothing to re-read.
    fn reload(&self) -> Result<usize, String> {
        Err("this knowledge base is fixed at start-up".into())
    }
    /// Re-indexes when a page was added, changed or removed since the last index (another replica
    /// wrote an approved answer, or someone edited the docs): the number of sections, or `None`
    /// when nothing changed.
    fn refresh(&self) -> Result<Option<usize>, String> {
        Ok(None)
    }
}

// ---------------------------------------------------------------- LLM (in `llm_port`)

pub use super::llm_port::*;

// ---------------------------------------------------------------- store (in `store_port`)

pub use super::store_port::*;
