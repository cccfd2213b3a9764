//! Search: BM25 finds candidates and how much of the question each covers reorders them; with word
//! vectors, the sections closest in meaning join the candidates and the two rankings are fused
//! (reciprocal rank fusion), so a section needs both to lead.

use super::Kb;
use crate::domain::ports::{KbHit, KnowledgeBase};
use tantivy::TantivyDocument;
use tantivy::collector::TopDocs;
use tantivy::schema::Value;

/// Reciprocal rank fusion's damping: a lower value lets the first places count for more.
const FUSION_K: f32 = 10.0;
/// The weight of the ranking by meaning against the lexical one's 1: static word vectors miss
/// negation and detail, so shared words keep the last word when the two disagree.
const SEMANTIC_WEIGHT: f32 = 0.75;

impl KnowledgeBase for Kb {
    fn search(&self, query: &str, limit: usize) -> Vec<KbHit> {
        let pool = (limit * 4).max(20);
        let lexical = self.lexical(query, pool);
        let words = self.terms.query(query);
        let sims = self.vectors.as_ref().map(|v| v.similarities(query));
        let mut semantic_order: Vec<usize> = vec![];
        let mut picked: Vec<usize> = lexical.iter().map(|(i, _)| *i).collect();
        if let Some(sims) = &sims {
            semantic_order = (0..sims.len()).collect();
            semantic_order.sort_by(|a, b| sims[*b].total_cmp(&sims[*a]));
            for i in semantic_order.iter().take(pool) {
                if !picked.contains(i) {
                    picked.push(*i);
                }
            }
        }
        let mut hits: Vec<KbHit> = picked
            .into_iter()
            .map(|i| {
                let d = &self.docs[i];
                let score = lexical
                    .iter()
                    .find(|(j, _)| *j == i)
                    .map_or(0.0, |(_, s)| *s);
                KbHit {
                    id: d.id.clone(),
                    title: d.title.clone(),
                    link: d.link.clone(),
                    text: d.body.clone(),
                    tags: d.tags.clone(),
                    score,
                    coverage: self.terms.coverage(&words, i),
                    similarity: sims.as_ref().map_or(0.0, |s| s[i]),
                    lexical_rank: u32::MAX,
                    semantic_rank: sims
                        .as_ref()
                        .and_then(|_| semantic_order.iter().position(|j| *j == i))
                        .map(|r| r as u32),
                }
            })
            .collect();
        rank(&mut hits);
        hits.truncate(limit);
        hits
    }

    fn group_similar(&self, texts: &[&str], min_similarity: f32) -> Vec<Vec<usize>> {
        self.group(texts, min_similarity)
    }
}

impl Kb {
    /// BM25's best `pool` sections: (position, score). User text is not query syntax: operators are
    /// stripped, then the words are parsed leniently (OR of terms).
    fn lexical(&self, query: &str, pool: usize) -> Vec<(usize, f32)> {
        let cleaned: String = query
            .chars()
            .map(|c| {
                if c.is_alphanumeric() || c == '\'' {
                    c
                } else {
                    ' '
                }
            })
            .collect();
        let (q, _) = self.parser.parse_query_lenient(&cleaned);
        let searcher = self.reader.searcher();
        let Ok(top) = searcher.search(&q, &TopDocs::with_limit(pool).order_by_score()) else {
            return vec![];
        };
        top.into_iter()
            .filter_map(|(score, addr)| {
                let d: TantivyDocument = searcher.doc(addr).ok()?;
                let i = d.get_first(self.position)?.as_u64()? as usize;
                (i < self.docs.len()).then_some((i, score))
            })
            .collect()
    }
}

/// Sets each hit's lexical rank — BM25 weighted by coverage, so a section that shares one frequent
/// word with a long question falls behind one that covers what the question is about — and orders
/// the hits by it, or by its fusion with the semantic rank when there is one.
fn rank(hits: &mut [KbHit]) {
    let key = |h: &KbHit| h.score * (h.coverage + 0.05);
    hits.sort_by(|a, b| key(b).total_cmp(&key(a)));
    for (r, h) in hits.iter_mut().enumerate() {
        if h.score > 0.0 {
            h.lexical_rank = r as u32;
        }
    }
    let fused = |h: &KbHit| match h.semantic_rank {
        None => 0.0,
        Some(s) => {
            1.0 / (FUSION_K + 1.0 + h.lexical_rank as f32)
                + SEMANTIC_WEIGHT / (FUSION_K + 1.0 + s as f32)
        }
    };
    if hits.iter().any(|h| h.semantic_rank.is_some()) {
        hits.sort_by(|a, b| fused(b).total_cmp(&fused(a)));
    }
}
