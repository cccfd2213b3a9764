//! Grouping unanswered questions by meaning (knowledge gaps). Each question becomes the vector
//! retrieval would compare with sections (word vectors weighted by rarity; without vectors, its
//! content terms weighted by rarity), and kodama's average-linkage clustering merges the closest
//! groups until the average similarity between two groups falls below the bar.

use super::Kb;
use std::collections::HashMap;

/// One question's representation: its words' vectors and its content terms, each L2-normalised
/// (empty: nothing to compare).
struct Repr {
    dense: Option<Vec<f32>>,
    terms: HashMap<String, f32>,
}

impl Repr {
    fn cosine(&self, other: &Repr) -> f32 {
        let terms: f32 = self
            .terms
            .iter()
            .filter_map(|(t, w)| other.terms.get(t).map(|v| w * v))
            .sum();
        match (&self.dense, &other.dense) {
            (Some(a), Some(b)) => {
                let dense: f32 = a.iter().zip(b).map(|(x, y)| x * y).sum();
                dense
            }
            _ => terms,
        }
    }
}

impl Kb {
    fn repr(&self, text: &str) -> Repr {
        let dense = self.vectors.as_ref().map(|v| v.embed(text));
        let mut terms: HashMap<String, f32> = self.terms.query(text).into_iter().collect();
        let norm = terms.values().map(|w| w * w).sum::<f32>().sqrt();
        if norm > 0.0 {
            terms.values_mut().for_each(|w| *w /= norm);
        }
        Repr { dense, terms }
    }

    /// See [`crate::domain::ports::KnowledgeBase::group_similar`].
    pub(super) fn group(&self, texts: &[&str], min_similarity: f32) -> Vec<Vec<usize>> {
        let n = texts.len();
        if n < 2 {
            return (0..n).map(|i| vec![i]).collect();
        }
        let reprs: Vec<Repr> = texts.iter().map(|t| self.repr(t)).collect();
        let mut sim = vec![0f32; n * n];
        let mut condensed = Vec::with_capacity(n * (n - 1) / 2);
        for i in 0..n {
            sim[i * n + i] = 1.0;
            for j in i + 1..n {
                let s = reprs[i].cosine(&reprs[j]).clamp(-1.0, 1.0);
                sim[i * n + j] = s;
                sim[j * n + i] = s;
                condensed.push(1.0 - s);
            }
        }
        let tree = kodama::linkage(&mut condensed, n, kodama::Method::Average);
        let cut = 1.0 - min_similarity;
        let mut members: Vec<Option<Vec<usize>>> = (0..n).map(|i| Some(vec![i])).collect();
        for step in tree.steps() {
            // Average linkage never merges closer after farther: the first step over the bar ends it.
            if step.dissimilarity > cut {
                break;
            }
            let mut m = members[step.cluster1].take().unwrap_or_default();
            m.extend(members[step.cluster2].take().unwrap_or_default());
            members.push(Some(m));
        }
        let mut groups: Vec<Vec<usize>> = members.into_iter().flatten().collect();
        for g in &mut groups {
            typical_first(g, &sim, n);
        }
        groups.sort_by_key(|g| g[0]);
        groups
    }
}

/// Orders a group by each member's average similarity to the others, highest first (ties: input order).
fn typical_first(g: &mut [usize], sim: &[f32], n: usize) {
    let avg = |i: usize| -> f32 { g.iter().filter(|j| **j != i).map(|j| sim[i * n + j]).sum() };
    let mut scored: Vec<(usize, f32)> = g.iter().map(|i| (*i, avg(*i))).collect();
    scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    for (slot, (i, _)) in g.iter_mut().zip(scored) {
        *slot = i;
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::ports::KnowledgeBase;
    use crate::kb::Kb;
    use std::sync::Arc;

    fn sample_kb() -> Kb {
        Kb::load(
            std::path::Path::new("config/kb"),
            "https://docs.example.com",
        )
        .unwrap()
    }

    /// (text, topic) lines of the labelled gap questions written for the sample product.
    fn labelled() -> Vec<(String, String)> {
        std::fs::read_to_string("tests/fixtures/kb/gap-questions.jsonl")
            .unwrap()
            .lines()
            .map(|l| {
                let v: serde_json::Value = serde_json::from_str(l).unwrap();
                (
                    v["text"].as_str().unwrap().into(),
                    v["group"].as_str().unwrap().into(),
                )
            })
            .collect()
    }

    /// Pairs put together that share a topic, over pairs put together; and over pairs sharing one.
    fn pairwise(topics: &[String], groups: &[Vec<usize>]) -> (f64, f64) {
        let mut of = vec![0; topics.len()];
        for (g, m) in groups.iter().enumerate() {
            m.iter().for_each(|i| of[*i] = g);
        }
        let (mut tp, mut together, mut same) = (0.0, 0.0, 0.0);
        for i in 0..topics.len() {
            for j in i + 1..topics.len() {
                let (t, s) = (of[i] == of[j], topics[i] == topics[j]);
                together += f64::from(u8::from(t));
                same += f64::from(u8::from(s));
                tp += f64::from(u8::from(t && s));
            }
        }
        (tp / together.max(1.0), tp / same.max(1.0))
    }

    #[test]
    fn every_text_lands_in_one_group_typical_first() {
        let kb = sample_kb();
        assert_eq!(kb.group_similar(&[], 0.35), Vec::<Vec<usize>>::new());
        assert_eq!(kb.group_similar(&["dark mode?"], 0.35), vec![vec![0]]);
        let texts = [
            "jira import?",
            "🙂🙂",
            "connect jira please",
            "jira sync for sprints?",
        ];
        let groups = kb.group_similar(&texts, 0.2);
        let mut all: Vec<usize> = groups.iter().flatten().copied().collect();
        all.sort_unstable();
        assert_eq!(all, [0, 1, 2, 3], "{groups:?}");
        assert!(
            groups.contains(&vec![1]),
            "nothing to compare stays alone: {groups:?}"
        );
        // Without word vectors, shared content words group the questions.
        let jira = groups.iter().find(|g| g.contains(&0)).unwrap();
        assert_eq!(jira.len(), 3, "{groups:?}");
    }

    #[test]
    fn the_shipped_bar_groups_the_labelled_questions_by_topic() {
        let emb =
            crate::vectors::Embeddings::load(std::path::Path::new("config/vectors/wordllama"))
                .unwrap();
        let kb = sample_kb().with_vectors(Arc::new(emb));
        let lines = labelled();
        let texts: Vec<&str> = lines.iter().map(|(t, _)| t.as_str()).collect();
        let topics: Vec<String> = lines.iter().map(|(_, g)| g.clone()).collect();
        let bar = crate::config::Settings::builtin().kb.gap_similarity;
        let (precision, recall) = pairwise(&topics, &kb.group_similar(&texts, bar));
        assert!(
            precision >= 0.95 && recall >= 0.6,
            "{precision:.3} / {recall:.3}"
        );
        // A bar nothing clears leaves every question alone; one everything clears makes one group.
        assert_eq!(kb.group_similar(&texts, 1.0).len(), texts.len());
        assert_eq!(kb.group_similar(&texts, -1.0).len(), 1);
    }
}
