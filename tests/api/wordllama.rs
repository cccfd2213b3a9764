//! The shipped word vectors (WordLlama, int8 by `config/vectors/build.py`): the table and the
//! Llama tokenizer load, and tokens and vectors match what Python's `tokenizers` and numpy compute
//! for WordLlama's original f16 files (values noted when this test was written), within what
//! int8 rounding moves them.

use opsdesk::vectors::Embeddings;

fn embeddings() -> Embeddings {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("config/vectors/wordllama");
    Embeddings::load(&dir).expect("the shipped WordLlama folder loads")
}

#[test]
fn wordllama_tokens_and_vectors_match_the_reference_implementation() {
    let e = embeddings();
    assert_eq!(e.dim(), 256);
    // Python: Tokenizer.from_file(...).encode(text, add_special_tokens=False).ids
    assert_eq!(
        e.tokens("How do I reverse a transaction?"),
        [1128, 437, 306, 11837, 263, 10804, 29973]
    );
    // Characters outside the vocabulary fall back to their UTF-8 bytes (<0xF0> … <0xB8>).
    assert_eq!(
        e.tokens("Ünïcode 💸 refund"),
        [
            7189, 29876, 30085, 401, 29871, 243, 162, 149, 187, 2143, 870
        ]
    );
    // numpy: the mean of those rows (f16 → f32), divided by its norm.
    let v = e.embed("How do I reverse a transaction?");
    for (got, want) in v.iter().zip([0.05219f32, 0.06285, -0.17766, 0.00392]) {
        assert!((got - want).abs() < 2e-3, "{:?}", &v[..4]);
    }
    assert!((v.iter().map(|x| x * x).sum::<f32>() - 1.0).abs() < 1e-4);
}
