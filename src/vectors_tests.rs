//! Tests of the word-vector table: loading, the mean vector, int8 tables and named errors.

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
fn an_int8_table_with_row_scales_gives_the_vectors_of_its_float_original() {
    let (table, rows, dim) =
        read_table(&std::fs::read(fixture_dir().join("table.safetensors")).unwrap()).unwrap();
    let Table::F32(table) = table else {
        panic!("the fixture is a float table")
    };
    let scales: Vec<f32> = table
        .chunks_exact(dim)
        .map(|r| r.iter().fold(0f32, |m, x| m.max(x.abs())) / 127.0)
        .collect();
    let q: Vec<u8> = table
        .iter()
        .enumerate()
        .map(|(i, x)| (x / scales[i / dim]).round() as i8 as u8)
        .collect();
    let s: Vec<u8> = scales.iter().flat_map(|x| x.to_le_bytes()).collect();
    let views = [
        (
            "w",
            TensorView::new(Dtype::I8, vec![rows, dim], &q).unwrap(),
        ),
        (
            "w.scale",
            TensorView::new(Dtype::F32, vec![rows], &s).unwrap(),
        ),
    ];
    let dir = folder(&[(
        "t.safetensors",
        safetensors::serialize(views, None).unwrap(),
    )]);
    let quantised = Embeddings::load(dir.path()).unwrap();
    let original = Embeddings::load(&fixture_dir()).unwrap();
    for text in ["refund my money", "password reset error", "how do i"] {
        let (a, b) = (quantised.embed(text), original.embed(text));
        let cos: f32 = a.iter().zip(&b).map(|(x, y)| x * y).sum();
        assert!(cos > 0.999, "{text}: {a:?} vs {b:?}");
    }
    // Int8 without its scales is refused, naming what is missing.
    let views = [(
        "w",
        TensorView::new(Dtype::I8, vec![rows, dim], &q).unwrap(),
    )];
    let dir = folder(&[(
        "t.safetensors",
        safetensors::serialize(views, None).unwrap(),
    )]);
    let e = Embeddings::load(dir.path()).unwrap_err().to_string();
    assert!(
        e.contains("int8 without a [26] f32 tensor of row scales"),
        "{e}"
    );
}

#[test]
fn a_table_that_does_not_fit_the_tokenizer_is_a_named_error() {
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (b"not a table".to_vec(), "not a safetensors file"),
        (
            f32_table(&[("a", vec![30, 4]), ("b", vec![30, 4])]),
            "an int8 table and its row scales; found 2",
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

#[test]
fn the_shipped_fingerprint_is_the_tables_hash() {
    assert_eq!(
        fingerprint(SHIPPED_TABLE, SHIPPED_TOKENIZER),
        Embeddings::shipped_fingerprint()
    );
}

#[test]
fn a_folder_holding_the_shipped_table_shares_the_one_copy() {
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("config/vectors/wordllama");
    let a = Embeddings::load_shared(&shipped).unwrap();
    assert!(std::sync::Arc::ptr_eq(&a, &Embeddings::shipped()));
    assert_eq!(a.fingerprint(), Embeddings::shipped_fingerprint());
    let other = Embeddings::load_shared(&fixture_dir()).unwrap();
    assert_ne!(other.fingerprint(), Embeddings::shipped_fingerprint());
    assert_eq!(
        other.fingerprint(),
        Embeddings::load(&fixture_dir()).unwrap().fingerprint()
    );
    let empty = tempfile::tempdir().unwrap();
    let e = Embeddings::load_shared(empty.path())
        .unwrap_err()
        .to_string();
    assert!(e.contains("no .safetensors file"), "{e}");
}
