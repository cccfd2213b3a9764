//! Text → sparse features: word unigrams and bigrams plus character n-grams (2–5) inside word
//! boundaries, each block TF-IDF weighted (sublinear tf) and L2-normalised, as in scikit-learn's
//! `TfidfVectorizer(analyzer="char_wb")` union that the prototype was tuned with.

use std::collections::HashMap;

/// Lower-cased alphanumeric words of a text.
pub fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase())
        .collect()
}

/// Raw n-gram counts of a text, split into the word block and the character block.
pub fn ngram_counts(text: &str) -> [HashMap<String, f32>; 2] {
    let ws = words(text);
    let mut word_block: HashMap<String, f32> = HashMap::new();
    let mut char_block: HashMap<String, f32> = HashMap::new();
    for (i, w) in ws.iter().enumerate() {
        *word_block.entry(format!("w:{w}")).or_default() += 1.0;
        if let Some(next) = ws.get(i + 1) {
            *word_block.entry(format!("b:{w} {next}")).or_default() += 1.0;
        }
        let padded: Vec<char> = std::iter::once(' ')
            .chain(w.chars())
            .chain(std::iter::once(' '))
            .collect();
        for n in 2..=5 {
            if padded.len() < n {
                break;
            }
            for win in padded.windows(n) {
                let mut g = String::with_capacity(n + 2);
                g.push_str("c:");
                g.extend(win.iter());
                *char_block.entry(g).or_default() += 1.0;
            }
        }
    }
    [word_block, char_block]
}

/// A fitted vocabulary: feature name → (index, idf).
#[derive(Debug, Clone, Default)]
pub struct Vocab {
    /// Looked up for every n-gram of every message: Fx-hashed, not SipHash.
    pub index: rustc_hash::FxHashMap<String, u32>,
    pub idf: Vec<f32>,
}

impl Vocab {
    /// Fits the vocabulary on `texts`, keeping n-grams seen in at least `min_df` documents.
    pub fn fit<'a>(texts: impl Iterator<Item = &'a str>, min_df: u32) -> (Vocab, Vec<String>) {
        let mut df: HashMap<String, u32> = HashMap::new();
        let mut n_docs = 0u32;
        for t in texts {
            n_docs += 1;
            for block in ngram_counts(t) {
                for k in block.into_keys() {
                    *df.entry(k).or_default() += 1;
                }
            }
        }
        let mut names: Vec<(String, u32)> = df.into_iter().filter(|(_, d)| *d >= min_df).collect();
        names.sort();
        let mut vocab = Vocab::default();
        let mut ordered = Vec::with_capacity(names.len());
        for (i, (name, d)) in names.into_iter().enumerate() {
            // Smooth idf, as scikit-learn: ln((1+n)/(1+df)) + 1.
            vocab
                .idf
                .push(((1.0 + n_docs as f32) / (1.0 + d as f32)).ln() + 1.0);
            vocab.index.insert(name.clone(), i as u32);
            ordered.push(name);
        }
        (vocab, ordered)
    }

    /// The sparse, normalised feature vector of a text (unknown n-grams are dropped), sorted by index
    /// so that sums, and therefore training, come out bit-identical on every run. The n-grams are looked
    /// up through one reused buffer, so classifying a message allocates no string per n-gram.
    pub fn transform(&self, text: &str) -> Vec<(u32, f32)> {
        let ws = words(text);
        let mut buf = String::new();
        let mut word_ids = Vec::new();
        let mut char_ids = Vec::new();
        let look = |buf: &str, into: &mut Vec<u32>| {
            if let Some(&i) = self.index.get(buf) {
                into.push(i);
            }
        };
        for (i, w) in ws.iter().enumerate() {
            buf.clear();
            buf.push_str("w:");
            buf.push_str(w);
            look(&buf, &mut word_ids);
            if let Some(next) = ws.get(i + 1) {
                buf.clear();
                buf.push_str("b:");
                buf.push_str(w);
                buf.push(' ');
                buf.push_str(next);
                look(&buf, &mut word_ids);
            }
            let padded: Vec<char> = std::iter::once(' ')
                .chain(w.chars())
                .chain(std::iter::once(' '))
                .collect();
            for n in 2..=5 {
                for win in padded.windows(n) {
                    buf.clear();
                    buf.push_str("c:");
                    buf.extend(win.iter());
                    look(&buf, &mut char_ids);
                }
            }
        }
        let mut out = Vec::with_capacity(word_ids.len() + char_ids.len());
        for mut ids in [word_ids, char_ids] {
            ids.sort_unstable();
            let start = out.len();
            for run in ids.chunk_by(|a, b| a == b) {
                let (i, tf) = (run[0], run.len() as f32);
                out.push((i, (1.0 + tf.ln()) * self.idf[i as usize]));
            }
            let norm = out[start..].iter().map(|(_, v)| v * v).sum::<f32>().sqrt();
            if norm > 0.0 {
                out[start..].iter_mut().for_each(|(_, v)| *v /= norm);
            }
        }
        out.sort_unstable_by_key(|(i, _)| *i);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_lowercased_and_split_on_punctuation() {
        assert_eq!(
            words("How do I reset my PASSWORD?!"),
            ["how", "do", "i", "reset", "my", "password"]
        );
    }

    #[test]
    fn char_ngrams_respect_word_boundaries() {
        let [w, c] = ngram_counts("ab");
        assert!(w.contains_key("w:ab"));
        for g in ["c: a", "c:ab", "c:b ", "c: ab", "c:ab ", "c: ab "] {
            assert!(c.contains_key(g), "missing {g}");
        }
        assert_eq!(c.len(), 6);
    }

    /// The tf-idf vector computed from `ngram_counts`, the way training counts n-grams.
    fn reference(v: &Vocab, text: &str) -> Vec<(u32, f32)> {
        let mut out = Vec::new();
        for block in ngram_counts(text) {
            let start = out.len();
            for (k, tf) in block {
                if let Some(&i) = v.index.get(&k) {
                    out.push((i, (1.0 + tf.ln()) * v.idf[i as usize]));
                }
            }
            out[start..].sort_unstable_by_key(|(i, _)| *i);
            let norm = out[start..].iter().map(|(_, v)| v * v).sum::<f32>().sqrt();
            if norm > 0.0 {
                out[start..].iter_mut().for_each(|(_, v)| *v /= norm);
            }
        }
        out.sort_unstable_by_key(|(i, _)| *i);
        out
    }

    #[test]
    fn transform_counts_exactly_as_training_does() {
        let texts: Vec<String> = include_str!("../../config/triage/holdout.jsonl")
            .lines()
            .map(|l| {
                serde_json::from_str::<serde_json::Value>(l).unwrap()["text"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect();
        let (v, _) = Vocab::fit(texts.iter().map(String::as_str), 1);
        for t in texts.iter().chain([
            &"aa aa aa ab".to_string(),
            &"x".to_string(),
            &String::new(),
            &"Ünïcode ünïcode ß".to_string(),
        ]) {
            assert_eq!(v.transform(t), reference(&v, t), "{t:?}");
        }
    }

    #[test]
    fn transform_is_normalised_per_block() {
        let (v, _) = Vocab::fit(["reset password", "billing invoice"].into_iter(), 1);
        let x = v.transform("reset my password");
        let total: f32 = x.iter().map(|(_, v)| v * v).sum();
        assert!((total - 2.0).abs() < 1e-4, "two unit blocks, got {total}");
        assert!(v.transform("zzzz").is_empty());
    }
}
