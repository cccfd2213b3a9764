//! The real pretrained word embeddings (WordLlama, fetched from PyPI by
//! `config/triage/fetch-wordllama.sh`; `.ci/run` sets `OPSDESK_TEST_EMBEDDINGS` to them): the f16
//! table and the Llama tokenizer load, and tokens and vectors match what Python's `tokenizers` and
//! numpy compute for the same files (values noted when this test was written).

use opsdesk::vectors::Embeddings;

fn embeddings() -> Option<Embeddings> {
    let Ok(dir) = std::env::var("OPSDESK_TEST_EMBEDDINGS") else {
        eprintln!(
            "skipped: OPSDESK_TEST_EMBEDDINGS is not set (config/triage/fetch-wordllama.sh fetches them)"
        );
        return None;
    };
    Some(Embeddings::load(std::path::Path::new(&dir)).expect("the WordLlama folder loads"))
}

#[test]
fn wordllama_tokens_and_vectors_match_the_reference_implementation() {
    let Some(e) = embeddings() else { return };
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
        assert!((got - want).abs() < 1e-4, "{:?}", &v[..4]);
    }
    assert!((v.iter().map(|x| x * x).sum::<f32>() - 1.0).abs() < 1e-4);
}
