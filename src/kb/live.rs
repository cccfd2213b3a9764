//! The knowledge base the running desk searches: indexed at start-up and again, without a restart,
//! when a page is added (an approved answer). Searches in flight keep the index they started with.

use super::{Kb, KbError};
use crate::domain::ports::{KbHit, KnowledgeBase};
use crate::vectors::Embeddings;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::SystemTime;

pub struct LiveKb {
    path: PathBuf,
    learned: PathBuf,
    base_url: String,
    vectors: Option<Arc<Embeddings>>,
    current: RwLock<Arc<Kb>>,
    /// What the pages looked like when last indexed (see [`pages_stamp`]).
    stamp: RwLock<Vec<(PathBuf, u64, Option<SystemTime>)>>,
}

/// Every page under the folders with its size and modification time, in order: a page
/// added, removed or changed changes it.
fn pages_stamp(dirs: &[&Path]) -> Vec<(PathBuf, u64, Option<SystemTime>)> {
    fn walk(dir: &Path, out: &mut Vec<(PathBuf, u64, Option<SystemTime>)>) {
        let Ok(rd) = std::fs::read_dir(dir) else {
            return;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                if super::is_docs_dir(&p) {
                    walk(&p, out);
                }
            } else if super::is_page(&p)
                && let Ok(m) = e.metadata()
            {
                out.push((p, m.len(), m.modified().ok()));
            }
        }
    }
    let mut out = vec![];
    for d in dirs {
        walk(d, &mut out);
    }
    out.sort();
    out.dedup();
    out
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
            stamp: RwLock::new(vec![]),
        };
        let kb = live.index()?;
        *live.current.write().expect("a fresh lock") = Arc::new(kb);
        Ok(live)
    }

    fn index(&self) -> Result<Kb, KbError> {
        *self.stamp.write().unwrap_or_else(|e| e.into_inner()) = self.stamp_now();
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

    fn stamp_now(&self) -> Vec<(PathBuf, u64, Option<SystemTime>)> {
        pages_stamp(&[&self.path, &self.learned])
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

    fn focus(&self, question: &str, hit: &KbHit) -> usize {
        self.snapshot().focus(question, hit)
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

    fn refresh(&self) -> Result<Option<usize>, String> {
        let unchanged = *self.stamp.read().unwrap_or_else(|e| e.into_inner()) == self.stamp_now();
        if unchanged {
            return Ok(None);
        }
        self.reload().map(Some)
    }
}

impl std::fmt::Debug for LiveKb {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "LiveKb({:?})", self.snapshot())
    }
}

#[cfg(test)]
mod tests {
    use super::LiveKb;
    use crate::domain::ports::KnowledgeBase;

    #[test]
    fn pages_added_or_changed_are_indexed_on_refresh_and_nothing_else_re_indexes() {
        let dir = tempfile::tempdir().unwrap();
        let (docs, learned) = (dir.path().join("docs"), dir.path().join("learned"));
        std::fs::create_dir_all(&docs).unwrap();
        std::fs::write(
            docs.join("a.md"),
            "# A\n\n## Reset\n\nReset your password here.\n",
        )
        .unwrap();
        let kb = LiveKb::new(docs.clone(), learned.clone(), "https://d".into(), None).unwrap();
        assert_eq!(kb.snapshot().len(), 1);
        assert_eq!(kb.refresh(), Ok(None), "nothing changed");
        std::fs::create_dir_all(&learned).unwrap();
        std::fs::write(
            learned.join("dark.md"),
            "# Is there a dark mode?\n\nNot yet, in March.\n",
        )
        .unwrap();
        assert_eq!(kb.refresh(), Ok(Some(2)), "another replica wrote a page");
        assert_eq!(kb.search("dark mode", 1)[0].id, "dark");
        std::fs::remove_file(docs.join("a.md")).unwrap();
        assert_eq!(kb.refresh(), Ok(Some(1)));
        assert_eq!(kb.refresh(), Ok(None));
    }
}
