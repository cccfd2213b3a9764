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
        let query = &*self.spelling.correct(query);
        let pool = (limit * 4).max(20);
        let lexical = self.lexical(query, pool);
        let words = self.terms.query(query);
        // What an answer must cover: the question asked, or one of the questions asked, when it
        // says enough on its own.
        let sentences = crate::words::asked(query);
        let mut texts = vec![sentences.join(" ")];
        if sentences.len() > 1 {
            texts.extend(sentences);
        }
        let questions: Vec<Vec<(String, f32)>> = texts
            .iter()
            .map(|q| self.terms.query(q))
            .filter(|w| w.len() >= 2)
            .collect();
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
        // Each candidate's coverage of the question asked, kept apart from the ranking's. A
        // candidate's text, title, link and tags are copied only if it is returned.
        let mut semantic_rank = vec![None; if sims.is_some() { self.docs.len() } else { 0 }];
        for (r, i) in semantic_order.iter().enumerate() {
            semantic_rank[*i] = Some(r as u32);
        }
        let mut hits: Vec<(usize, f32, KbHit)> = Vec::with_capacity(picked.len());
        for i in picked {
            let score = lexical
                .iter()
                .find(|(j, _)| *j == i)
                .map_or(0.0, |(_, s)| *s);
            let asked = questions
                .iter()
                .map(|q| self.terms.coverage(q, i))
                .fold(0.0, f32::max);
            let hit = KbHit {
                id: self.docs[i].id.clone(),
                title: String::new(),
                link: String::new(),
                text: String::new(),
                tags: vec![],
                score,
                coverage: self.terms.coverage(&words, i),
                similarity: sims.as_ref().map_or(0.0, |s| s[i]),
                lexical_rank: u32::MAX,
                semantic_rank: semantic_rank.get(i).copied().flatten(),
                heading_words: 0,
                elsewhere: vec![],
            };
            hits.push((i, asked, hit));
        }
        rank(&mut hits);
        hits.truncate(limit);
        let written = self.terms.written(query);
        // What the answer bar reads: the message's coverage, or the question's when that is higher,
        // and what each returned section's own heading names of the question.
        hits.into_iter()
            .map(|(i, asked, mut h)| {
                let d = &self.docs[i];
                h.title = d.title.clone();
                h.link = d.link.clone();
                h.text = d.body.clone();
                h.tags = d.tags.clone();
                h.heading_words = self.terms.named_in(&words, i);
                h.elsewhere = self.terms.elsewhere(&written, i);
                h.coverage = h.coverage.max(asked);
                h
            })
            .collect()
    }

    fn focus(&self, question: &str, hit: &KbHit) -> usize {
        let words = self.terms.query(&self.spelling.correct(question));
        super::passage::focus(&self.terms, &words, &hit.title, &hit.text)
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

/// A section's own heading: the last part of its title path ("API keys › Generate an API key").
pub(super) fn own_heading(title: &str) -> &str {
    title.rsplit('›').next().unwrap_or(title)
}

/// Sets each hit's lexical rank — BM25 weighted by coverage, so a section that shares one frequent
/// word with a long question falls behind one that covers what the question is about — and orders
/// the hits by it, or by its fusion with the semantic rank when there is one.
fn rank<T>(hits: &mut [(usize, T, KbHit)]) {
    let key = |h: &KbHit| h.score * (h.coverage + 0.05);
    hits.sort_by(|a, b| key(&b.2).total_cmp(&key(&a.2)));
    for (r, (_, _, h)) in hits.iter_mut().enumerate() {
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
    if hits.iter().any(|h| h.2.semantic_rank.is_some()) {
        hits.sort_by(|a, b| fused(&b.2).total_cmp(&fused(&a.2)));
    }
}
