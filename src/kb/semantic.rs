//! Sections ranked by meaning: each section's word vectors (`crate::vectors`) summed, each token
//! weighted by how rare it is across the sections (so "the", "to" and the product's name weigh
//! little), and compared with the question's by cosine similarity. It finds the section a customer
//! describes in their own words ("can't get in" for *Reset your password*), which shares few words
//! with it for BM25.

use crate::vectors::Embeddings;
use std::collections::HashMap;
use std::sync::Arc;

pub struct SectionVectors {
    emb: Arc<Embeddings>,
    /// Row-major `[sections × dim]`, each row L2-normalised (all zeros for a section with no tokens).
    rows: Vec<f32>,
    /// Inverse document frequency of each token the sections use.
    idf: HashMap<u32, f32>,
    /// The weight of a token no section uses: as rare as can be.
    unseen: f32,
}

impl SectionVectors {
    pub fn new<'a>(emb: Arc<Embeddings>, texts: impl Iterator<Item = &'a str>) -> SectionVectors {
        let tokens: Vec<Vec<u32>> = texts.map(|t| emb.tokens(t)).collect();
        let mut df: HashMap<u32, u32> = HashMap::new();
        for t in &tokens {
            let mut seen: Vec<u32> = t.clone();
            seen.sort_unstable();
            seen.dedup();
            for id in seen {
                *df.entry(id).or_default() += 1;
            }
        }
        let n = tokens.len() as f32;
        let idf_of = |df: f32| (1.0 + n / df).ln();
        let idf: HashMap<u32, f32> = df
            .into_iter()
            .map(|(id, d)| (id, idf_of(d as f32)))
            .collect();
        let unseen = idf_of(1.0);
        let mut v = SectionVectors {
            emb,
            rows: vec![],
            idf,
            unseen,
        };
        v.rows = tokens.iter().flat_map(|t| v.vector(t)).collect();
        v
    }

    fn vector(&self, tokens: &[u32]) -> Vec<f32> {
        self.emb.weighted(tokens, |id| {
            self.idf.get(&id).copied().unwrap_or(self.unseen)
        })
    }

    /// `text`'s vector as sections' are made (rarity-weighted, L2-normalised).
    pub fn embed(&self, text: &str) -> Vec<f32> {
        self.vector(&self.emb.tokens(text))
    }

    /// Each section's cosine similarity to `question`, in section order.
    pub fn similarities(&self, question: &str) -> Vec<f32> {
        let q = self.vector(&self.emb.tokens(question));
        self.rows
            .chunks_exact(self.emb.dim())
            .map(|row| row.iter().zip(&q).map(|(a, b)| a * b).sum())
            .collect()
    }
}

impl std::fmt::Debug for SectionVectors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SectionVectors({:?})", self.emb)
    }
}
