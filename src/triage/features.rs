//! Text → sparse features: word unigrams and bigrams plus character n-grams (2–5) inside word
//! boundaries, each block TF-IDF weighted (sublinear tf) and L2-normalised, as in scikit-learn's
//! `TfidfVectorizer(analyzer="char_wb")` union that the prototype was tuned with.

use std::collections::HashMap;

/// Lower-cased alphanumeric words of a text.
pub fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(|w| w.to_lowercase()).collect()
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
        let padded: Vec<char> = std::iter::once(' ').chain(w.chars()).chain(std::iter::once(' ')).collect();
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
    pub index: HashMap<String, u32>,
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
            vocab.idf.push(((1.0 + n_docs as f32) / (1.0 + d as f32)).ln() + 1.0);
            vocab.index.insert(name.clone(), i as u32);
            ordered.push(name);
        }
        (vocab, ordered)
    }

    /// The sparse, normalised feature vector of a text (unknown n-grams are dropped), sorted by index
    /// so that sums, and therefore training, come out bit-identical on every run.
    pub fn transform(&self, text: &str) -> Vec<(u32, f32)> {
        let mut out = Vec::new();
        for block in ngram_counts(text) {
            let start = out.len();
            for (k, tf) in block {
                if let Some(&i) = self.index.get(&k) {
                    out.push((i, (1.0 + tf.ln()) * self.idf[i as usize]));
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_lowercased_and_split_on_punctuation() {
        assert_eq!(words("How do I reset my PASSWORD?!"), ["how", "do", "i", "reset", "my", "password"]);
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

    #[test]
    fn transform_is_normalised_per_block() {
        let (v, _) = Vocab::fit(["reset password", "billing invoice"].into_iter(), 1);
        let x = v.transform("reset my password");
        let total: f32 = x.iter().map(|(_, v)| v * v).sum();
        assert!((total - 2.0).abs() < 1e-4, "two unit blocks, got {total}");
        assert!(v.transform("zzzz").is_empty());
    }
}
