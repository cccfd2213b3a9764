//! The knowledge base the running desk searches: indexed at start-up and again, without a restart,
//! when a page is added (an approved answer). Searches in flight keep the index they started with.

use super::{Kb, KbError};
use crate::domain::ports::{KbHit, KnowledgeBase};
use crate::vectors::Embeddings;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};

pub struct LiveKb {
    path: PathBuf,
    learned: PathBuf,
    base_url: String,
    vectors: Option<Arc<Embeddings>>,
    current: RwLock<Arc<Kb>>,
}

impl LiveKb {
    /// Indexes `path` and `learned` (see [`Kb::load_with`]); a missing or empty knowledge base is an
    /// empty index (every question goes to a person), said in the log.
    pub fn new(
        path: PathBuf,
        learned: PathBuf,
        base_url: String,
        vectors: Option<Arc<Embeddings>>,
    ) -> Result<LiveKb, KbError> {
        let live = LiveKb {
            path,
            learned,
            base_url,
            vectors,
            current: RwLock::new(Arc::new(Kb::empty(""))),
        };
        let kb = live.index()?;
        *live.current.write().expect("a fresh lock") = Arc::new(kb);
        Ok(live)
    }

    fn index(&self) -> Result<Kb, KbError> {
        let kb = match Kb::load_with(&self.path, &self.learned, &self.base_url) {
            Ok(kb) => kb,
            Err(e @ (KbError::Missing(_) | KbError::Empty(_))) => {
                tracing::warn!(error = %e, "no knowledge base: every question goes to a person");
                Kb::empty(&self.base_url)
            }
            Err(e) => return Err(e),
        };
        Ok(match &self.vectors {
            Some(v) => kb.with_vectors(v.clone()),
            None => kb,
        })
    }

    /// The index searches use now.
    pub fn snapshot(&self) -> Arc<Kb> {
        self.current
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

impl KnowledgeBase for LiveKb {
    fn search(&self, query: &str, limit: usize) -> Vec<KbHit> {
        self.snapshot().search(query, limit)
    }

    fn group_similar(&self, texts: &[&str], min_similarity: f32) -> Vec<Vec<usize>> {
        self.snapshot().group_similar(texts, min_similarity)
    }

    fn reload(&self) -> Result<usize, String> {
        let kb = self.index().map_err(|e| e.to_string())?;
        let sections = kb.len();
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(kb);
        tracing::info!(sections, "knowledge base re-indexed");
        Ok(sections)
    }
}

impl std::fmt::Debug for LiveKb {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "LiveKb({:?})", self.snapshot())
    }
}
