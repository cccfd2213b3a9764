//! Static word vectors: a token table in a `.safetensors` file and its Hugging Face `tokenizer.json`,
//! as WordLlama and Model2Vec ship them. A text's vector is the mean of its tokens' rows,
//! L2-normalised. The knowledge base ranks sections by their similarity to a question with them
//! (`kb.embeddings`); a triage model may append them to its n-gram features (`triage.embeddings`).

use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use tokenizers::Tokenizer;

/// The token table, row-major `[rows × dim]`: as read, or kept in int8 with a scale per row (a quarter
/// of the memory; each value is computed as the f32 table would hold it).
enum Table {
    F32(Vec<f32>),
    I8 { data: Vec<i8>, scales: Vec<f32> },
}

impl Table {
    fn len(&self) -> usize {
        match self {
            Table::F32(t) => t.len(),
            Table::I8 { data, .. } => data.len(),
        }
    }

    /// Adds `w ×` row `id` to `v`.
    fn add_row(&self, v: &mut [f32], id: usize, w: f32) {
        let dim = v.len();
        match self {
            Table::F32(t) => {
                let row = &t[id * dim..(id + 1) * dim];
                v.iter_mut().zip(row).for_each(|(a, b)| *a += w * b);
            }
            Table::I8 { data, scales } => {
                let (row, s) = (&data[id * dim..(id + 1) * dim], scales[id]);
                v.iter_mut()
                    .zip(row)
                    .for_each(|(a, b)| *a += w * (*b as f32 * s));
            }
        }
    }
}

pub struct Embeddings {
    tokenizer: Tokenizer,
    table: Table,
    dim: usize,
    /// Token ids that carry no meaning (`<s>`, `<unk>`, padding): left out of the mean.
    special: Vec<u32>,
    /// The word-by-word road to the same ids, when the tokenizer allows it ([`words::Words::of`]).
    words: Option<words::Words>,
    /// SHA-256 of the table and the tokenizer, so a model refuses embeddings other than its own.
    fingerprint: String,
}

impl std::fmt::Debug for Embeddings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Embeddings({} × {}, {})",
            self.table.len() / self.dim.max(1),
            self.dim,
            self.fingerprint
        )
    }
}

#[derive(Debug, thiserror::Error)]
#[error("word embeddings in {dir}: {reason}")]
pub struct EmbedError {
    pub dir: String,
    pub reason: String,
}

impl Embeddings {
    /// Loads the one `.safetensors` file and the one `*tokenizer*.json` file of `dir`.
    pub fn load(dir: &Path) -> Result<Embeddings, EmbedError> {
        let (files, bytes, tok_bytes) = Embeddings::read(dir)?;
        Embeddings::parse(dir, &files, &bytes, &tok_bytes)
    }

    /// As [`Embeddings::load`], but the one shipped copy ([`Embeddings::shipped`]) when `dir`
    /// holds the shipped table and tokenizer: compared byte for byte, neither hashed nor parsed.
    pub fn load_shared(dir: &Path) -> Result<std::sync::Arc<Embeddings>, EmbedError> {
        let (files, bytes, tok_bytes) = Embeddings::read(dir)?;
        if bytes == SHIPPED_TABLE && tok_bytes == SHIPPED_TOKENIZER {
            return Ok(Embeddings::shipped());
        }
        Embeddings::parse(dir, &files, &bytes, &tok_bytes).map(std::sync::Arc::new)
    }

    /// The table's and the tokenizer's paths and bytes in `dir`.
    #[allow(clippy::type_complexity)]
    fn read(dir: &Path) -> Result<([PathBuf; 2], Vec<u8>, Vec<u8>), EmbedError> {
        let fail = |reason: String| EmbedError {
            dir: dir.display().to_string(),
            reason,
        };
        let entries =
            std::fs::read_dir(dir).map_err(|e| fail(format!("cannot read the folder: {e}")))?;
        let files: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        let one = |what: &str, pick: &dyn Fn(&str) -> bool| -> Result<PathBuf, EmbedError> {
            let found: Vec<&PathBuf> = files
                .iter()
                .filter(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(pick))
                .collect();
            match found.as_slice() {
                [p] => Ok((*p).clone()),
                [] => Err(fail(format!("no {what}"))),
                many => Err(fail(format!(
                    "{} files could be the {what}: {many:?}",
                    many.len()
                ))),
            }
        };
        let table_path = one(".safetensors file", &|n| n.ends_with(".safetensors"))?;
        let tok_path = one("tokenizer (*tokenizer*.json)", &|n| {
            n.contains("tokenizer") && n.ends_with(".json")
        })?;
        let bytes = std::fs::read(&table_path)
            .map_err(|e| fail(format!("cannot read {}: {e}", table_path.display())))?;
        let tok_bytes = std::fs::read(&tok_path)
            .map_err(|e| fail(format!("cannot read {}: {e}", tok_path.display())))?;
        Ok(([table_path, tok_path], bytes, tok_bytes))
    }

    /// The table and tokenizer read from `files` (table, tokenizer) in `dir`.
    fn parse(
        dir: &Path,
        files: &[PathBuf; 2],
        bytes: &[u8],
        tok_bytes: &[u8],
    ) -> Result<Embeddings, EmbedError> {
        let print = fingerprint(bytes, tok_bytes);
        Embeddings::from_bytes(bytes, tok_bytes, print).map_err(|(table, reason)| EmbedError {
            dir: dir.display().to_string(),
            reason: format!("{}: {reason}", files[usize::from(!table)].display()),
        })
    }

    /// The table shipped with opsdesk (`config/vectors/wordllama`, compiled in): what the built-in
    /// triage model was trained with, so it runs wherever the binary does. Parsed once.
    pub fn shipped() -> std::sync::Arc<Embeddings> {
        static SHIPPED: std::sync::OnceLock<std::sync::Arc<Embeddings>> =
            std::sync::OnceLock::new();
        SHIPPED
            .get_or_init(|| {
                let print = Embeddings::shipped_fingerprint().to_string();
                let e = Embeddings::from_bytes(SHIPPED_TABLE, SHIPPED_TOKENIZER, print);
                std::sync::Arc::new(e.expect("the shipped word vectors load"))
            })
            .clone()
    }

    /// The shipped table's fingerprint, without hashing it at run time (a test checks it).
    pub fn shipped_fingerprint() -> &'static str {
        SHIPPED_FINGERPRINT
    }

    /// A table and its tokenizer from their files' bytes and their `fingerprint`; an error says
    /// which of the two (`true`: the table) is wrong and why.
    fn from_bytes(
        bytes: &[u8],
        tok_bytes: &[u8],
        fingerprint: String,
    ) -> Result<Embeddings, (bool, String)> {
        let (table, rows, dim) = read_table(bytes).map_err(|r| (true, r))?;
        let tokenizer = Tokenizer::from_bytes(tok_bytes).map_err(|e| (false, e.to_string()))?;
        // The model's tokens and the added ones (`get_vocab_size(true)` would copy the vocabulary).
        let added = tokenizer.get_added_tokens_decoder();
        let last_added = added.keys().map(|id| *id as usize + 1).max().unwrap_or(0);
        let vocab = tokenizer.get_vocab_size(false).max(last_added);
        if vocab > rows {
            return Err((
                false,
                format!("the tokenizer has {vocab} tokens but the table only {rows} rows"),
            ));
        }
        let special = added
            .iter()
            .filter(|(_, t)| t.special)
            .map(|(id, _)| *id)
            .collect();
        Ok(Embeddings {
            words: words::Words::of(&tokenizer),
            tokenizer,
            table,
            dim,
            special,
            fingerprint,
        })
    }

    pub fn dim(&self) -> usize {
        self.dim
    }

    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// The token ids of a text, without the tokenizer's added start token.
    pub fn tokens(&self, text: &str) -> Vec<u32> {
        let by_word = self
            .words
            .as_ref()
            .and_then(|w| w.ids(&self.tokenizer, text));
        if let Some(ids) = by_word {
            return ids
                .into_iter()
                .filter(|id| !self.special.contains(id))
                .collect();
        }
        // Ids alone: `encode_fast` skips the offsets `encode` computes; the ids are the same.
        match self.tokenizer.encode_fast(text, false) {
            Ok(e) => e
                .get_ids()
                .iter()
                .copied()
                .filter(|id| !self.special.contains(id))
                .collect(),
            // Only a tokenizer configured beyond what it can apply (a truncation stride longer than its
            // maximum length) fails; the message is then classified on its n-grams alone.
            Err(e) => {
                tracing::warn!(error = %e, "the embeddings' tokenizer failed on a message; using its n-grams alone");
                Vec::new()
            }
        }
    }

    /// The mean of the text's token vectors, L2-normalised; all zeros for a text with no tokens.
    pub fn embed(&self, text: &str) -> Vec<f32> {
        self.weighted(&self.tokens(text), |_| 1.0)
    }

    /// The sum of the tokens' vectors, each scaled by `weight(token)`, L2-normalised; all zeros
    /// when nothing weighs.
    pub fn weighted(&self, tokens: &[u32], weight: impl Fn(u32) -> f32) -> Vec<f32> {
        let mut v = vec![0f32; self.dim];
        for &id in tokens {
            self.table.add_row(&mut v, id as usize, weight(id));
        }
        let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        if norm > 0.0 {
            v.iter_mut().for_each(|x| *x /= norm);
        }
        v
    }
}

const SHIPPED_TABLE: &[u8] = include_bytes!("../config/vectors/wordllama/table.safetensors");
pub(crate) const SHIPPED_TOKENIZER: &[u8] =
    include_bytes!("../config/vectors/wordllama/tokenizer.json");
/// [`fingerprint`] of the two above; hashing 8 MB at every start costs more than the rest of
/// loading them. `the_shipped_fingerprint_is_the_tables_hash` keeps it true.
const SHIPPED_FINGERPRINT: &str = "1ed9a11e4e85c762";

/// SHA-256 of a table and its tokenizer, its first 8 bytes in hex: how a model names its vectors.
fn fingerprint(table: &[u8], tokenizer: &[u8]) -> String {
    let mut hash = Sha256::new();
    hash.update(table);
    hash.update(tokenizer);
    hash.finalize()
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The file's token table: one 2-D tensor in f32, f16 or bf16 (read as f32), or an int8 one with a 1-D
/// f32 tensor of one scale per row (row = int8 × scale, kept so), as config/vectors/build.py writes it.
fn read_table(bytes: &[u8]) -> Result<(Table, usize, usize), String> {
    use safetensors::{Dtype, SafeTensors};
    let st = SafeTensors::deserialize(bytes).map_err(|e| format!("not a safetensors file: {e}"))?;
    let mut tensors = st.tensors();
    tensors.sort_by_key(|(_, t)| std::cmp::Reverse(t.shape().len()));
    let (name, t, scale) = match tensors.as_slice() {
        [(name, t)] => (name, t, None),
        [(name, t), (_, s)] if t.dtype() == Dtype::I8 && s.shape().len() == 1 => (name, t, Some(s)),
        other => {
            return Err(format!(
                "expected one tensor (the token table), or an int8 table and its row scales; \
                 found {}",
                other.len()
            ));
        }
    };
    let &[rows, dim] = t.shape() else {
        return Err(format!(
            "tensor {name:?} has shape {:?}, not [tokens, dimensions]",
            t.shape()
        ));
    };
    let d = t.data();
    let table = match (t.dtype(), scale) {
        (Dtype::F32, None) => Table::F32(
            d.chunks_exact(4)
                .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                .collect(),
        ),
        (Dtype::F16, None) => Table::F32(
            d.chunks_exact(2)
                .map(|c| half::f16::from_le_bytes([c[0], c[1]]).to_f32())
                .collect(),
        ),
        (Dtype::BF16, None) => Table::F32(
            d.chunks_exact(2)
                .map(|c| half::bf16::from_le_bytes([c[0], c[1]]).to_f32())
                .collect(),
        ),
        (Dtype::I8, Some(s)) if s.dtype() == Dtype::F32 && s.shape() == [rows] => Table::I8 {
            data: d.iter().map(|b| *b as i8).collect(),
            scales: s
                .data()
                .chunks_exact(4)
                .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                .collect(),
        },
        (Dtype::I8, _) => {
            return Err(format!(
                "tensor {name:?} holds int8 without a [{rows}] f32 tensor of row scales"
            ));
        }
        (other, _) => {
            return Err(format!(
                "tensor {name:?} holds {other:?}; f32, f16, bf16 or int8 expected"
            ));
        }
    };
    if rows == 0 || dim == 0 || table.len() != rows * dim {
        return Err(format!(
            "tensor {name:?} is empty or shorter than its shape {:?}",
            t.shape()
        ));
    }
    Ok((table, rows, dim))
}

/// The tiny fixture the tests share (`tests/fixtures/embeddings/make.py` says how it was made).
#[cfg(test)]
pub(crate) fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/embeddings")
}

mod words;

#[cfg(test)]
#[path = "vectors_tests.rs"]
mod tests;
