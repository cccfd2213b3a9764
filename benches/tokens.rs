//! `cargo bench --bench tokens`: what the agents send, counted with OpenAI's o200k tokenizer
//! (tiktoken-rs). Tier 1: prompt tokens per ticket as opsdesk sends them (retrieved sections cut to
//! extracts, plus the account tools) against a naive baseline that sends the top-5 whole documents with
//! the same instructions and tools. Tier 2: prompt + completion tokens per ticket for a three-round
//! troubleshooting loop (logs, health, alerts, then known issues, then the answer). Requests are read off
//! the fake OpenAI server, so the counts are of the real request bodies. Prints a table; the README quotes it.
// A benchmark harness: a failed unwrap aborts the run, as a failed test would.
#![allow(clippy::unwrap_used)]

mod common;
use common::event;

#[path = "../tests/support/openai.rs"]
#[allow(dead_code)]
mod openai;

use openai::{FakeOpenAi, Step};
use opsdesk::config::Settings;
use opsdesk::domain::Tier;
use opsdesk::domain::ports::Store;
use serde_json::Value;
use std::sync::Arc;

fn questions(tier: &str) -> Vec<String> {
    include_str!("../config/triage/holdout.jsonl")
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|v| v["tier"] == tier)
        .filter_map(|v| v["text"].as_str().map(String::from))
        .collect()
}

fn count(bpe: &tiktoken_rs::CoreBPE, s: &str) -> usize {
    bpe.encode_with_special_tokens(s).len()
}

/// Prompt tokens of one chat-completions request: each message's text (and tool calls) plus the usual
/// 4 tokens of framing per message, and the tool definitions.
fn prompt_tokens(bpe: &tiktoken_rs::CoreBPE, body: &Value) -> usize {
    let msgs = body["messages"].as_array().map_or(0, |ms| {
        ms.iter()
            .map(|m| {
                4 + count(bpe, m["content"].as_str().unwrap_or(""))
                    + count(bpe, &m["tool_calls"].to_string())
            })
            .sum()
    });
    msgs + if body["tools"].is_null() {
        0
    } else {
        count(bpe, &body["tools"].to_string())
    }
}

fn stats(mut v: Vec<usize>) -> (f64, usize, usize) {
    v.sort();
    let mean = v.iter().sum::<usize>() as f64 / v.len().max(1) as f64;
    (mean, v[v.len() / 2], v[(v.len() * 9 / 10).min(v.len() - 1)])
}

async fn pipeline(
    base_url: &str,
    agent: &str,
    tweak: impl FnOnce(&mut Settings),
) -> (opsdesk::pipeline::Pipeline, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Settings::builtin();
    s.kb.path = concat!(env!("CARGO_MANIFEST_DIR"), "/config/kb").into();
    s.prompts.path = concat!(env!("CARGO_MANIFEST_DIR"), "/prompts").into();
    let a = s.llm.agents.get_mut(agent).unwrap();
    (a.base_url, a.model, a.api_key_env) = (base_url.into(), "gpt-test".into(), "PATH".into());
    tweak(&mut s);
    let url = format!("sqlite://{}", dir.path().join("tokens.db").display());
    let store: Arc<dyn Store> = Arc::new(opsdesk::app::open_store(&s, &url).await.unwrap());
    (
        opsdesk::app::pipeline(s, store, vec!["bench".into()])
            .await
            .unwrap(),
        dir,
    )
}

async fn tier1(bpe: &tiktoken_rs::CoreBPE) {
    let qs = questions("tier1");
    let fake = FakeOpenAi::start(qs.iter().map(|_| Step::Answer("ESCALATE")).collect()).await;
    let (p, _dir) = pipeline(&fake.base_url, "tier1", |_| {}).await;
    let kb_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("config/kb");
    let (mut ours, mut naive) = (vec![], vec![]);
    for (i, q) in qs.iter().enumerate() {
        let before = fake.requests().len();
        p.handle(event(i, q), 1_000 + i as i64).await.unwrap();
        let reqs = fake.requests();
        if reqs.len() == before {
            continue; // triaged to another tier: no tier-1 call
        }
        let body = &reqs[before].1;
        ours.push(
            reqs[before..]
                .iter()
                .map(|(_, b)| prompt_tokens(bpe, b))
                .sum(),
        );
        // The baseline: the same instructions and tools, with the five best documents whole.
        let mut pages: Vec<String> = vec![];
        for h in p.kb.search(q, 50) {
            let page = h.id.split('#').next().unwrap_or("").to_string();
            if !pages.contains(&page) {
                pages.push(page);
            }
        }
        let sections: Vec<minijinja::Value> = pages
            .iter()
            .take(5)
            .map(|pg| {
                let text =
                    std::fs::read_to_string(kb_dir.join(format!("{pg}.md"))).unwrap_or_default();
                minijinja::context! { id => pg, title => pg, text }
            })
            .collect();
        let system = p
            .templates
            .render("tier1.md", minijinja::context! { sections });
        let baseline = serde_json::json!({"messages": [{"content": system}, {"content": q}], "tools": body["tools"]});
        naive.push(prompt_tokens(bpe, &baseline));
    }
    let n = ours.len();
    let (o, b) = (stats(ours), stats(naive));
    println!(
        "\ntier 1 prompt tokens per ticket ({n} held-out tier-1 questions that triage sent to tier 1)"
    );
    println!("{:<44} {:>8} {:>8} {:>8}", "", "mean", "median", "p90");
    println!(
        "{:<44} {:>8.0} {:>8} {:>8}",
        "opsdesk (section extracts + account tools)", o.0, o.1, o.2
    );
    println!(
        "{:<44} {:>8.0} {:>8} {:>8}",
        "naive (top-5 whole documents + tools)", b.0, b.1, b.2
    );
    println!(
        "{:<44} {:>7.0}%",
        "opsdesk / naive (mean)",
        100.0 * o.0 / b.0
    );
}

async fn tier2(bpe: &tiktoken_rs::CoreBPE) {
    let logs = app_logs();
    let qs: Vec<String> = questions("tier2");
    const ANSWER: &str = "Exports are failing because a storage timeout interrupts the export worker. The team has been \
        alerted and is looking into it; meanwhile, exporting a smaller date range usually succeeds.";
    let script = |q: &str| {
        let q: &'static str = Box::leak(
            serde_json::json!({"query": q.chars().take(60).collect::<String>()})
                .to_string()
                .into_boxed_str(),
        );
        vec![
            Step::Tools(vec![
                ("c1", "search_logs", r#"{"query":"error"}"#),
                ("c2", "check_health", "{}"),
                ("c3", "recent_alerts", "{}"),
            ]),
            Step::Tools(vec![("c4", "search_known_issues", q)]),
            Step::Answer(ANSWER),
        ]
    };
    let fake = FakeOpenAi::start(qs.iter().flat_map(|q| script(q)).collect()).await;
    let glob = format!("{}/*.log", logs.path().display());
    let (p, _dir) = pipeline(&fake.base_url, "tier2", |s| s.tier2.log_files = vec![glob]).await;
    let (mut prompt, mut total, mut rounds) = (vec![], vec![], vec![]);
    // Completion tokens: what the scripted model wrote (its tool calls' arguments and the answer).
    let completion = |q: &str| {
        let known =
            serde_json::json!({"query": q.chars().take(60).collect::<String>()}).to_string();
        count(bpe, r#"{"query":"error"}"#)
            + count(bpe, "{}") * 2
            + count(bpe, &known)
            + count(bpe, ANSWER)
    };
    let mut served = 0;
    for (i, q) in qs.iter().enumerate() {
        let before = fake.requests().len();
        let out = p.handle(event(i, q), 1_000 + i as i64).await.unwrap();
        let reqs = fake.requests();
        let took = reqs.len() - before;
        let is_tier2 =
            matches!(out, opsdesk::pipeline::Handled::Done(ref o) if o.tier == Some(Tier::Tier2));
        if took == 0 || !is_tier2 {
            continue;
        }
        served += 1;
        let pt: usize = reqs[before..]
            .iter()
            .map(|(_, b)| prompt_tokens(bpe, b))
            .sum();
        prompt.push(pt);
        total.push(pt + completion(q));
        rounds.push(took);
        if took < 3 {
            // The script is per ticket: skip what this ticket did not use so the next starts aligned.
            break;
        }
    }
    let (pm, pmed, p90) = stats(prompt);
    let (tm, tmed, t90) = stats(total);
    println!(
        "\ntier 2 tokens per ticket ({served} held-out tier-2 questions, 3 rounds: logs+health+alerts, known issues, answer)"
    );
    println!("{:<44} {:>8} {:>8} {:>8}", "", "mean", "median", "p90");
    println!("{:<44} {:>8.0} {:>8} {:>8}", "prompt tokens", pm, pmed, p90);
    println!(
        "{:<44} {:>8.0} {:>8} {:>8}",
        "prompt + completion tokens", tm, tmed, t90
    );
    println!(
        "{:<44} {:>8}",
        "rounds per ticket",
        rounds.first().copied().unwrap_or(0)
    );
}

/// 2,000 lines of an application's log with an export error every 97th line.
fn app_logs() -> tempfile::TempDir {
    let logs = tempfile::tempdir().unwrap();
    let mut log = String::new();
    for i in 0..2_000 {
        let level = if i % 97 == 0 {
            "ERROR export worker timeout talking to storage"
        } else {
            "INFO request served"
        };
        log.push_str(&format!(
            "2026-11-25T10:{:02}:{:02}Z {level} req={i} latency_ms={}\n",
            (i / 60) % 60,
            i % 60,
            20 + i % 180
        ));
    }
    std::fs::write(logs.path().join("app.log"), log).unwrap();
    logs
}

fn main() {
    opsdesk::telemetry::install_tls_provider();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let bpe = tiktoken_rs::o200k_base().unwrap();
    rt.block_on(async {
        tier1(&bpe).await;
        tier2(&bpe).await;
    });
}
