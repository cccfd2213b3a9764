//! Token ids word by word, for tokenizers shaped as SentencePiece's BPE (Llama's, WordLlama's): the
//! text's spaces become `▁` and the whole text is one sequence for the merges, so the tokenizer's own
//! cache never hits and every call normalises with offsets. No token of such a vocabulary holds a `▁`
//! after another character, so no merge crosses the start of a word: encoding each word (`▁` and what
//! follows it) on its own gives the same ids, and the model's cache then serves common words.

use tokenizers::models::ModelWrapper;
use tokenizers::{Model, Tokenizer};

const SPACE: char = '▁';

/// What the word-by-word road needs of a tokenizer; `None` when it does not qualify.
pub(super) struct Words {
    /// The added tokens' texts (`<s>`, `</s>`, …): a text holding one takes the tokenizer's road,
    /// which reads them as one token each.
    added: Vec<String>,
}

impl Words {
    /// Whether `tokenizer` is exactly: a normaliser that prepends `▁` and replaces `" "` with `▁`, no
    /// pre-tokeniser, truncation or padding, and a BPE model without dropout, word prefixes or
    /// suffixes, or direct lookup, none of whose tokens holds `▁` after another character.
    pub(super) fn of(tokenizer: &Tokenizer) -> Option<Words> {
        let expected = serde_json::json!({"type": "Sequence", "normalizers": [
            {"type": "Prepend", "prepend": "▁"},
            {"type": "Replace", "pattern": {"String": " "}, "content": "▁"}]});
        let normalizer = serde_json::to_value(tokenizer.get_normalizer()?).ok()?;
        if normalizer != expected
            || tokenizer.get_pre_tokenizer().is_some()
            || tokenizer.get_truncation().is_some()
            || tokenizer.get_padding().is_some()
        {
            return None;
        }
        let ModelWrapper::BPE(bpe) = tokenizer.get_model() else {
            return None;
        };
        if bpe.dropout.is_some_and(|d| d > 0.0)
            || bpe.continuing_subword_prefix.is_some()
            || bpe.end_of_word_suffix.is_some()
            || bpe.ignore_merges
        {
            return None;
        }
        // Token by token: `get_vocab` would copy the whole vocabulary into a new map.
        let size = bpe.get_vocab_size() as u32;
        let tokens = (0..size).filter_map(|id| bpe.id_to_token(id));
        let (mut seen, mut inner_space) = (0, false);
        for t in tokens {
            seen += 1;
            inner_space |= t.trim_start_matches(SPACE).contains(SPACE);
        }
        if inner_space || seen != size {
            return None;
        }
        let added = tokenizer
            .get_added_tokens_decoder()
            .into_values()
            .map(|t| t.content)
            .filter(|c| !c.is_empty())
            .collect();
        Some(Words { added })
    }

    /// The ids of `text` as the tokenizer would give them (without added start tokens), or `None`
    /// when the text holds an added token's text or the model fails on a word.
    pub(super) fn ids(&self, tokenizer: &Tokenizer, text: &str) -> Option<Vec<u32>> {
        if self.added.iter().any(|a| text.contains(a.as_str())) {
            return None;
        }
        let model = tokenizer.get_model();
        let mut ids = Vec::with_capacity(text.len() / 3 + 2);
        let mut word = String::with_capacity(32);
        let mut last = SPACE;
        // The normalised text is `▁` + the text with each space a `▁`; a word starts at every `▁`
        // that follows another character.
        for c in std::iter::once(SPACE).chain(text.chars()) {
            let c = if c == ' ' { SPACE } else { c };
            if c == SPACE && last != SPACE && !word.is_empty() {
                ids.extend(model.tokenize(&word).ok()?.iter().map(|t| t.id));
                word.clear();
            }
            word.push(c);
            last = c;
        }
        if !text.is_empty() && !word.is_empty() {
            ids.extend(model.tokenize(&word).ok()?.iter().map(|t| t.id));
        }
        Some(ids)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn by_tokenizer(t: &Tokenizer, text: &str) -> Vec<u32> {
        t.encode_fast(text, false).unwrap().get_ids().to_vec()
    }

    #[test]
    fn word_by_word_gives_the_tokenizers_own_ids() {
        let e = crate::vectors::Embeddings::shipped();
        let words = e.words.as_ref().expect("the shipped tokenizer qualifies");
        let texts = [
            "",
            " ",
            "   ",
            "how do I reset my password?",
            "  two  leading, three   inner and trailing spaces  ",
            "tab\tand\nnew lines\r\n- a list\n\n",
            "émojis 🎉🎉, 中文, русский, العربية and ǅ",
            "▁already▁marked ▁ words▁",
            "HTTP/1.1 502 Bad Gateway on /v1/invoices?page=2&limit=50",
            "don't can't won't — “quoted” ‘text’",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        ];
        for text in texts {
            let ids = words.ids(&e.tokenizer, text).unwrap();
            assert_eq!(ids, by_tokenizer(&e.tokenizer, text), "{text:?}");
        }
        let long = texts.join(" ").repeat(20);
        assert_eq!(
            words.ids(&e.tokenizer, &long).unwrap(),
            by_tokenizer(&e.tokenizer, &long)
        );
        // An added token's text takes the tokenizer's road, which reads it as that token.
        assert_eq!(words.ids(&e.tokenizer, "a </s> b"), None);
        let mut ids = by_tokenizer(&e.tokenizer, "a </s> b");
        assert!(ids.contains(&2), "{ids:?}");
        ids.retain(|id| *id != 2);
        assert_eq!(e.tokens("a </s> b"), ids);
    }

    #[test]
    fn a_tokenizer_of_another_shape_keeps_its_own_road() {
        let shipped: serde_json::Value =
            serde_json::from_slice(crate::vectors::SHIPPED_TOKENIZER).unwrap();
        let qualifies = |v: &serde_json::Value| {
            let t = Tokenizer::from_bytes(serde_json::to_vec(v).unwrap()).unwrap();
            Words::of(&t).is_some()
        };
        assert!(qualifies(&shipped));
        // A token with a space inside could be merged across the start of a word.
        let mut inner = shipped.clone();
        let vocab = inner["model"]["vocab"].as_object_mut().unwrap();
        let next = vocab.len();
        vocab.insert("a▁b".into(), next.into());
        assert!(!qualifies(&inner));
        let mut lower = shipped.clone();
        lower["normalizer"]["normalizers"]
            .as_array_mut()
            .unwrap()
            .push(serde_json::json!({"type": "Lowercase"}));
        assert!(!qualifies(&lower));
        let mut split = shipped.clone();
        split["pre_tokenizer"] = serde_json::json!({"type": "Whitespace"});
        assert!(!qualifies(&split));
        let mut suffix = shipped;
        suffix["model"]["end_of_word_suffix"] = "</w>".into();
        assert!(!qualifies(&suffix));
    }
}
