//! A fake GitHub REST API on 127.0.0.1: `POST /repos/{owner}/{repo}/issues` files an issue (numbered from
//! 1, recorded with its Authorization header) and `GET` lists them newest first, as GitHub does;
//! `GET /repos/{owner}/{repo}` describes the repository (for `opsdesk doctor`).

use axum::Router;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::routing::get;
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};

#[derive(Clone, Default)]
pub struct FakeGithub {
    pub base_url: String,
    /// (repo, Authorization header, issue JSON) per filed issue.
    pub filed: Arc<Mutex<Vec<(String, String, Value)>>>,
}

impl FakeGithub {
    pub async fn start() -> FakeGithub {
        let mut fake = FakeGithub::default();
        let app = Router::new()
            .route(
                "/repos/{owner}/{repo}",
                get(|Path((o, r)): Path<(String, String)>, headers: HeaderMap| async move {
                    if headers.get("authorization").is_none() {
                        return (axum::http::StatusCode::UNAUTHORIZED, axum::Json(json!({"message": "Requires authentication"})));
                    }
                    (axum::http::StatusCode::OK, axum::Json(json!({"full_name": format!("{o}/{r}"), "has_issues": true})))
                }),
            )
            .route(
                "/repos/{owner}/{repo}/issues",
                get(|State(f): State<FakeGithub>, Path((o, r)): Path<(String, String)>| async move {
                    let repo = format!("{o}/{r}");
                    let list: Vec<Value> = f.filed.lock().unwrap().iter().rev().filter(|(rp, _, _)| *rp == repo).map(|(_, _, i)| i.clone()).collect();
                    axum::Json(Value::Array(list))
                })
                .post(|State(f): State<FakeGithub>, Path((o, r)): Path<(String, String)>, headers: HeaderMap, body: String| async move {
                    let b: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
                    let mut filed = f.filed.lock().unwrap();
                    let n = filed.len() + 1;
                    let issue = json!({"number": n, "html_url": format!("https://github.com/{o}/{r}/issues/{n}"), "title": b["title"], "body": b["body"], "state": "open"});
                    let auth = headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
                    filed.push((format!("{o}/{r}"), auth, issue.clone()));
                    (axum::http::StatusCode::CREATED, axum::Json(issue))
                }),
            )
            .with_state(fake.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        fake.base_url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        fake
    }
}
