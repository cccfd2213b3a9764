//! Optional: the agents against a real OpenAI-compatible server on this machine (llama.cpp's server,
//! Ollama, vLLM). Runs when `OPSDESK_TEST_LLM_URL` is set (e.g. `http://127.0.0.1:11434/v1`), with the
//! model in `OPSDESK_TEST_LLM_MODEL`; skipped with the reason printed otherwise. Only loopback addresses
//! are used: tests send nothing off the machine.

use super::agents::{customer, done, rig};

#[tokio::test]
async fn a_real_model_answers_with_retrieved_citations_or_hands_over() {
    let Ok(url) = std::env::var("OPSDESK_TEST_LLM_URL") else {
        eprintln!(
            "skipped: set OPSDESK_TEST_LLM_URL (and OPSDESK_TEST_LLM_MODEL) to run the agents against a local model server"
        );
        return;
    };
    let host = url
        .parse::<http::Uri>()
        .ok()
        .and_then(|u| u.host().map(String::from))
        .unwrap_or_default();
    if !["127.0.0.1", "localhost", "[::1]"].contains(&host.as_str()) {
        eprintln!(
            "skipped: OPSDESK_TEST_LLM_URL must point at this machine (127.0.0.1 or localhost), not {host:?}"
        );
        return;
    }
    let model = std::env::var("OPSDESK_TEST_LLM_MODEL").unwrap_or_else(|_| "llama3.2".into());
    let (p, store, _db) = rig(&url, &["triage", "tier1", "summary"], |s| {
        s.llm.timeout_secs = 120;
        for a in s.llm.agents.values_mut() {
            a.model = model.clone();
        }
    })
    .await;
    let out = done(
        &p,
        customer("live1", "alice", "How do I reset my password?"),
        1000,
    )
    .await;
    match &out.answer {
        Some(a) => {
            assert!(
                !a.trim().is_empty() && !out.citations.is_empty(),
                "an answer cites what it used: {out:?}"
            );
            assert!(
                out.citations
                    .iter()
                    .all(|c| c.link.starts_with("https://docs.example.com/")),
                "{out:?}"
            );
        }
        None => assert!(out.escalated, "no answer means a person takes it: {out:?}"),
    }
    let totals = store.llm_totals(0).await.unwrap();
    assert!(
        totals
            .iter()
            .any(|u| u.agent == "tier1" && u.calls >= 1 && u.input_tokens > 0),
        "usage recorded: {totals:?}"
    );
}
