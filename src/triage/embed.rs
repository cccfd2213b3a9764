//! Optional pretrained word embeddings (`triage.embeddings`): a static token table in a
//! `.safetensors` file and its Hugging Face `tokenizer.json`, as WordLlama and Model2Vec ship them.
//! A message's vector is the mean of its tokens' rows, L2-normalised; the triage model appends it to
//! its n-gram features, which lets it match words it never saw in training to ones it did.

use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use tokenizers::Tokenizer;

pub struct Embeddings {
    tokenizer: Tokenizer,
    /// Row-major `[rows × dim]`.
    table: Vec<f32>,
    dim: usize,
    /// Token ids that carry no meaning (`<s>`, `<unk>`, padding): left out of the mean.
    special: Vec<u32>,
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
        let (table, rows, dim) =
            read_table(&bytes).map_err(|r| fail(format!("{}: {r}", table_path.display())))?;
        let tokenizer = Tokenizer::from_bytes(&tok_bytes)
            .map_err(|e| fail(format!("{}: {e}", tok_path.display())))?;
        let vocab = tokenizer.get_vocab_size(true);
        if vocab > rows {
            return Err(fail(format!(
                "the tokenizer has {vocab} tokens but the table only {rows} rows"
            )));
        }
        let special = tokenizer
            .get_added_tokens_decoder()
            .iter()
            .filter(|(_, t)| t.special)
            .map(|(id, _)| *id)
            .collect();
        let mut hash = Sha256::new();
        hash.update(&bytes);
        hash.update(&tok_bytes);
        let fingerprint = hash
            .finalize()
            .iter()
            .take(8)
            .map(|b| format!("{b:02x}"))
            .collect();
        Ok(Embeddings {
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
        match self.tokenizer.encode(text, false) {
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
        let mut v = vec![0f32; self.dim];
        for id in self.tokens(text) {
            let row = &self.table[id as usize * self.dim..(id as usize + 1) * self.dim];
            v.iter_mut().zip(row).for_each(|(a, b)| *a += b);
        }
        let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        if norm > 0.0 {
            v.iter_mut().for_each(|x| *x /= norm);
        }
        v
    }
}

/// The file's one 2-D tensor as f32 (it may be stored as f16, bf16 or f32).
fn read_table(bytes: &[u8]) -> Result<(Vec<f32>, usize, usize), String> {
    use safetensors::{Dtype, SafeTensors};
    let st = SafeTensors::deserialize(bytes).map_err(|e| format!("not a safetensors file: {e}"))?;
    let tensors = st.tensors();
    let (name, t) = match tensors.as_slice() {
        [one] => one,
        other => {
            return Err(format!(
                "expected one tensor (the token table), found {}",
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
    let table: Vec<f32> = match t.dtype() {
        Dtype::F32 => d
            .chunks_exact(4)
            .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect(),
        Dtype::F16 => d
            .chunks_exact(2)
            .map(|c| half::f16::from_le_bytes([c[0], c[1]]).to_f32())
            .collect(),
        Dtype::BF16 => d
            .chunks_exact(2)
            .map(|c| half::bf16::from_le_bytes([c[0], c[1]]).to_f32())
            .collect(),
        other => {
            return Err(format!(
                "tensor {name:?} holds {other:?}; f32, f16 or bf16 expected"
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

#[cfg(test)]
mod tests {
    use super::*;
    use safetensors::tensor::{Dtype, TensorView};

    /// A folder holding the fixture's tokenizer and `tables` as safetensors files.
    fn folder(tables: &[(&str, Vec<u8>)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::copy(
            fixture_dir().join("tokenizer.json"),
            dir.path().join("tokenizer.json"),
        )
        .unwrap();
        for (name, bytes) in tables {
            std::fs::write(dir.path().join(name), bytes).unwrap();
        }
        dir
    }

    fn f32_table(shapes: &[(&str, Vec<usize>)]) -> Vec<u8> {
        let data: Vec<Vec<u8>> = shapes
            .iter()
            .map(|(_, s)| vec![0u8; s.iter().product::<usize>() * 4])
            .collect();
        let views = shapes
            .iter()
            .zip(&data)
            .map(|((n, s), d)| (*n, TensorView::new(Dtype::F32, s.clone(), d).unwrap()));
        safetensors::serialize(views, None).unwrap()
    }

    #[test]
    fn the_mean_token_vector_leaves_special_tokens_out_and_is_unit_length() {
        let e = Embeddings::load(&fixture_dir()).unwrap();
        assert_eq!(e.dim(), 4);
        assert_eq!(e.fingerprint().len(), 16);
        // Lower-cased by the tokenizer's normaliser; the unknown word is `<unk>`, a special token.
        assert_eq!(
            e.tokens("I want a REFUND, zebra"),
            e.tokens("i want a refund")
        );
        let v = e.embed("refund my money");
        assert!(
            (v.iter().map(|x| x * x).sum::<f32>() - 1.0).abs() < 1e-5,
            "{v:?}"
        );
        let top = v
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.total_cmp(b.1))
            .unwrap()
            .0;
        assert_eq!(top, 0, "refund lies along the first axis: {v:?}");
        assert_eq!(e.embed(""), vec![0.0; 4]);
        assert_eq!(
            e.embed("zebra <s>"),
            vec![0.0; 4],
            "special tokens carry nothing"
        );
    }

    #[test]
    fn a_folder_that_does_not_hold_one_table_and_one_tokenizer_is_a_named_error() {
        let err = |dir: &Path| Embeddings::load(dir).unwrap_err().to_string();
        let e = err(Path::new("/nonexistent/emb"));
        assert!(
            e.starts_with("word embeddings in /nonexistent/emb: cannot read the folder"),
            "{e}"
        );
        let none = folder(&[]);
        assert!(
            err(none.path()).ends_with("no .safetensors file"),
            "{}",
            err(none.path())
        );
        let two = folder(&[
            ("a.safetensors", f32_table(&[("t", vec![30, 4])])),
            ("b.safetensors", vec![]),
        ]);
        assert!(
            err(two.path()).contains("2 files could be the .safetensors file"),
            "{}",
            err(two.path())
        );
        let no_tok = tempfile::tempdir().unwrap();
        std::fs::write(
            no_tok.path().join("t.safetensors"),
            f32_table(&[("t", vec![30, 4])]),
        )
        .unwrap();
        assert!(
            err(no_tok.path()).ends_with("no tokenizer (*tokenizer*.json)"),
            "{}",
            err(no_tok.path())
        );
    }

    #[test]
    fn a_table_that_does_not_fit_the_tokenizer_is_a_named_error() {
        let cases: Vec<(Vec<u8>, &str)> = vec![
            (b"not a table".to_vec(), "not a safetensors file"),
            (
                f32_table(&[("a", vec![30, 4]), ("b", vec![30, 4])]),
                "expected one tensor (the token table), found 2",
            ),
            (
                f32_table(&[("t", vec![120])]),
                "tensor \"t\" has shape [120], not [tokens, dimensions]",
            ),
            (
                f32_table(&[("t", vec![5, 4])]),
                "the tokenizer has 26 tokens but the table only 5 rows",
            ),
        ];
        for (bytes, want) in cases {
            let dir = folder(&[("t.safetensors", bytes)]);
            let e = Embeddings::load(dir.path()).unwrap_err().to_string();
            assert!(e.contains(want), "{e} lacks {want:?}");
        }
        let ok = folder(&[("t.safetensors", f32_table(&[("t", vec![26, 3])]))]);
        let e = Embeddings::load(ok.path()).unwrap();
        assert_eq!(e.dim(), 3);
        assert_ne!(
            e.fingerprint(),
            Embeddings::load(&fixture_dir()).unwrap().fingerprint()
        );
    }
}
