//! Tier 2 through the LLM: a multi-round tool loop over the real tools — log files by glob and a Loki-like
//! HTTP log API, a health
//! endpoint (a fake on 127.0.0.1 answering 503), recent alerts, known issues — whose answer reaches the
//! customer without raw tool output; a drafted GitHub issue waits for sign-off and is filed once on the fake
//! GitHub; a ticket that used up its token allowance goes to a person.

use super::agents::{customer, done, queued, rig};
use crate::support::{
    self,
    github::FakeGithub,
    openai::{FakeOpenAi, Step},
};
use opsdesk::config::{HealthCheck, LogUrl};
use opsdesk::domain::ports::Store;
use opsdesk::domain::{ApprovalState, EventKind, Tier};
use opsdesk::pipeline::Pipeline;
use std::sync::Arc;

const QUESTION: &str = "Google Sheets sync is broken and creates duplicate rows every time";
const ANSWER: &str = "This is a known problem with merged header cells: unmerge the header row and click Resync \
    [kb:known-issues#google-sheets-sync-shows-duplicate-rows]. The team is looking into it.";

/// A health endpoint answering 503, and a Loki-like log API (`/loki?query=…`, values as JSON strings).
async fn service() -> String {
    let loki = |q: axum::extract::Query<std::collections::HashMap<String, String>>| async move {
        assert_eq!(
            q.0.get("query").map(String::as_str),
            Some("sheets sync ERROR"),
            "the search text is passed on"
        );
        axum::Json(
            serde_json::json!({"status": "success", "data": {"result": [{"stream": {"app": "sync"},
            "values": [["1764064802000000000", "ERROR sheets sync duplicate key row=18 acct=42"], ["1764064803000000000", "INFO ok"]]}]}}),
        )
    };
    let app = axum::Router::new()
        .route(
            "/healthz",
            axum::routing::get(|| async {
                (
                    axum::http::StatusCode::SERVICE_UNAVAILABLE,
                    "sync worker degraded",
                )
            }),
        )
        .route("/loki", axum::routing::get(loki));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    url
}

#[tokio::test]
async fn the_tool_loop_troubleshoots_answers_and_files_a_signed_off_issue() {
    let logs = log_folder();
    let svc = service().await;
    let github = FakeGithub::start().await;
    let fake = FakeOpenAi::start(vec![
        Step::Tools(vec![
            ("c1", "search_logs", r#"{"query":"sheets sync ERROR"}"#),
            ("c2", "check_health", r#"{}"#),
            ("c3", "check_health", r#"{"name":"https://evil.example.com"}"#),
            ("c4", "recent_alerts", r#"{}"#),
        ]),
        Step::Tools(vec![
            ("c5", "search_known_issues", r#"{"query":"sheets duplicate rows"}"#),
            ("c6", "draft_github_issue", r#"{"title":"Sheets sync duplicates rows","body":"duplicate key errors in sync.log"}"#),
        ]),
        Step::Answer(ANSWER),
    ])
    .await;
    let glob = format!("{}/*.log", logs.path().display());
    let (p, store, _db) = rig(&fake.base_url, &["tier2"], |s| {
        s.tier2.log_files = vec![glob];
        s.tier2.health = vec![HealthCheck {
            name: "api".into(),
            url: format!("{svc}/healthz"),
        }];
        s.tier2.log_urls = vec![LogUrl {
            name: "loki".into(),
            url: format!("{svc}/loki"),
            query_param: "query".into(),
        }];
        s.github.api_url = github.base_url.clone();
        s.github.repo = "acme/app".into();
        s.github.token_env = "PATH".into();
        s.approvals.approvers = vec!["console:boss".into()];
    })
    .await;

    the_customer_gets_a_cited_answer(&p).await;
    the_tools_answered_the_model_only(&fake, &store).await;
    the_drafted_issue_is_filed_once_after_sign_off(&p, &store, &github).await;
}

/// `sync.log` with one matching error line, and a `.txt` file the `*.log` glob must not read.
fn log_folder() -> tempfile::TempDir {
    let logs = tempfile::tempdir().unwrap();
    std::fs::write(
        logs.path().join("sync.log"),
        "2026-11-25T10:00:01Z INFO sheets sync ok acct=9\n2026-11-25T10:00:02Z ERROR sheets sync duplicate key row=17 acct=42\n",
    )
    .unwrap();
    std::fs::write(
        logs.path().join("other.txt"),
        "ERROR sheets sync should not be read: not *.log\n",
    )
    .unwrap();
    logs
}

async fn the_customer_gets_a_cited_answer(p: &Pipeline) {
    let out = done(p, customer("t1", "alice", QUESTION), 1000).await;
    assert_eq!(out.tier, Some(Tier::Tier2));
    assert!(!out.escalated, "{out:?}");
    assert!(
        out.answer
            .as_deref()
            .unwrap()
            .starts_with("This is a known problem"),
        "{out:?}"
    );
    assert_eq!(
        out.citations[0].title,
        "Known issues › Google Sheets sync shows duplicate rows"
    );
}

/// What the tools returned to the model (and only to the model).
async fn the_tools_answered_the_model_only(fake: &FakeOpenAi, store: &Arc<dyn Store>) {
    let reqs = fake.requests();
    let tool_out = |r: usize, id: &str| {
        reqs[r].1["messages"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["tool_call_id"] == id)
            .unwrap()["content"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(
        tool_out(1, "c1"),
        "sync.log: 2026-11-25T10:00:02Z ERROR sheets sync duplicate key row=17 acct=42\nloki: ERROR sheets sync duplicate key row=18 acct=42"
    );
    assert!(
        tool_out(1, "c2").starts_with("api: HTTP 503 Service Unavailable in "),
        "{}",
        tool_out(1, "c2")
    );
    assert!(
        tool_out(1, "c3").starts_with("no health endpoint named \"https://evil.example.com\""),
        "only configured endpoints"
    );
    assert_eq!(tool_out(1, "c4"), "no alerts");
    assert!(
        tool_out(2, "c5").starts_with("[kb:known-issues#google-sheets-sync-shows-duplicate-rows]"),
        "{}",
        tool_out(2, "c5")
    );
    let customer_sees: Vec<String> = queued(store)
        .await
        .into_iter()
        .filter(|(c, _)| c == "community")
        .map(|(_, t)| t)
        .collect();
    assert!(
        customer_sees
            .iter()
            .all(|t| !t.contains("acct=42") && !t.contains("HTTP 503")),
        "{customer_sees:?}"
    );
}

/// The drafted issue waits for sign-off in the team channel, then is filed once.
async fn the_drafted_issue_is_filed_once_after_sign_off(
    p: &Pipeline,
    store: &Arc<dyn Store>,
    github: &FakeGithub,
) {
    let a = store
        .approvals(&[ApprovalState::Pending], 10)
        .await
        .unwrap()
        .remove(0);
    assert_eq!(
        (a.kind.name(), a.channel.as_str()),
        ("github_issue", "team")
    );
    assert!(
        github.filed.lock().unwrap().is_empty(),
        "nothing is filed before sign-off"
    );
    let mut click = support::ops_command("c1", "boss", "");
    click.kind = EventKind::ButtonClicked {
        action: "approval.approve".into(),
        value: a.id.to_string(),
        message: "m".into(),
        input: None,
    };
    p.handle(click, 2000).await.unwrap();
    let a = support::finished(p, a.id).await;
    assert_eq!(
        a.result.as_deref(),
        Some("Issue #1 filed: https://github.com/acme/app/issues/1"),
        "{a:?}"
    );
    let filed = github.filed.lock().unwrap().clone();
    assert_eq!(
        (filed[0].0.as_str(), filed[0].1.clone()),
        (
            "acme/app",
            format!("Bearer {}", std::env::var("PATH").unwrap())
        )
    );
    assert!(
        filed[0].2["body"].as_str().unwrap().contains("ticket #"),
        "{filed:?}"
    );
    // Run again (a crash before the result was recorded): GitHub already has it, nothing is filed twice.
    let again = opsdesk::exec::run(&p.settings, &a).await;
    assert_eq!(
        again.result,
        "Issue #1 already filed: https://github.com/acme/app/issues/1"
    );
    assert_eq!(github.filed.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn a_foreign_citation_or_a_spent_token_allowance_goes_to_a_person() {
    let fake = FakeOpenAi::start(vec![
        Step::Answer("Clear your cache [kb:made-up#fix]."),
        Step::Tools(vec![("c1", "recent_alerts", "{}")]),
        Step::Answer("(never asked)"),
    ])
    .await;
    // One call is 150 tokens: an allowance of 100 stops the loop after the first round.
    let (p, _store, _db) = rig(&fake.base_url, &["tier2"], |s| s.llm.tier2_max_tokens = 100).await;
    let out = done(&p, customer("f1", "alice", QUESTION), 1000).await;
    assert!(
        out.escalated && out.answer.is_none(),
        "a section it was not shown: {out:?}"
    );
    let out = done(
        &p,
        customer("f2", "bob", "The API returns 500 errors since this morning"),
        1000,
    )
    .await;
    assert_eq!(out.tier, Some(Tier::Tier2));
    assert!(out.escalated, "{out:?}");
    assert_eq!(
        fake.requests().len(),
        2,
        "the loop stopped at the allowance"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn doctor_checks_the_github_repository() {
    let github = FakeGithub::start().await;
    let url = github.base_url.clone();
    let out = tokio::task::spawn_blocking(move || {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_opsdesk"))
            .arg("doctor")
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env_remove("DATABASE_URL")
            .env("OPSDESK__STORE__URL", "sqlite::memory:")
            .env("OPSDESK__GITHUB__API_URL", url)
            .env("OPSDESK__GITHUB__REPO", "acme/app")
            .env("OPSDESK__GITHUB__TOKEN_ENV", "PATH")
            .output()
            .unwrap();
        String::from_utf8_lossy(&o.stdout).into_owned()
    })
    .await
    .unwrap();
    assert!(
        out.contains(&format!(
            "ok   github         acme/app at {}: issues can be filed",
            github.base_url
        )),
        "{out}"
    );
}
