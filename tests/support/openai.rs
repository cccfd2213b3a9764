//! A fake OpenAI-compatible server on 127.0.0.1: `POST /v1/chat/completions` answers from a script
//! (a final answer, one cut off at `max_tokens`, tool calls, a slow answer, or an HTTP error such as 429 or 500), and records every request body and
//! its Authorization header; `GET /v1/models` lists `gpt-test`.

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde_json::{Value, json};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

/// One scripted answer.
pub enum Step {
    Answer(&'static str),
    /// An answer that stopped at `max_tokens` (`finish_reason` `length`).
    CutOff(&'static str),
    /// (call id, tool name, arguments JSON).
    Tools(Vec<(&'static str, &'static str, &'static str)>),
    Status(u16),
    /// A final answer after this many seconds (tokio time: tests pause the clock).
    Slow(u64, &'static str),
}

#[derive(Default)]
struct Inner {
    /// What `GET /v1/models` lists (`gpt-test` unless a test sets it).
    models: Mutex<Vec<String>>,
    script: Mutex<VecDeque<Step>>,
    requests: Mutex<Vec<(Option<String>, Value)>>,
}

#[derive(Clone)]
pub struct FakeOpenAi {
    pub base_url: String,
    inner: Arc<Inner>,
}

impl FakeOpenAi {
    pub async fn start(script: Vec<Step>) -> FakeOpenAi {
        let inner = Arc::new(Inner {
            script: Mutex::new(script.into()),
            models: Mutex::new(vec!["gpt-test".into()]),
            ..Default::default()
        });
        let app = Router::new()
            .route("/v1/chat/completions", post(complete))
            .route("/v1/models", axum::routing::get(models))
            .with_state(inner.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base_url = format!("http://{}/v1", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        FakeOpenAi { base_url, inner }
    }

    /// The models `GET /v1/models` lists from now on.
    pub fn set_models(&self, ids: &[&str]) {
        *self.inner.models.lock().unwrap() = ids.iter().map(|m| m.to_string()).collect();
    }

    /// (Authorization header, body) of each request, in order.
    pub fn requests(&self) -> Vec<(Option<String>, Value)> {
        self.inner.requests.lock().unwrap().clone()
    }
}

async fn models(State(s): State<Arc<Inner>>) -> axum::Json<Value> {
    let data: Vec<Value> = s
        .models
        .lock()
        .unwrap()
        .iter()
        .map(|id| json!({"id": id, "object": "model", "created": 1_700_000_000, "owned_by": "llamacpp"}))
        .collect();
    axum::Json(json!({"object": "list", "data": data}))
}

async fn complete(State(s): State<Arc<Inner>>, headers: HeaderMap, body: String) -> Response {
    let auth = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .map(String::from);
    let body: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
    s.requests.lock().unwrap().push((auth, body.clone()));
    let step = s
        .script
        .lock()
        .unwrap()
        .pop_front()
        .unwrap_or(Step::Answer("(script ran out)"));
    let cut_off = matches!(step, Step::CutOff(_));
    let message = match step {
        Step::Status(code) => {
            let err = json!({"error": {"message": format!("scripted {code}"), "type": "server_error", "param": null, "code": null}});
            return (
                StatusCode::from_u16(code).unwrap(),
                [("retry-after", "0")],
                axum::Json(err),
            )
                .into_response();
        }
        Step::Answer(text) | Step::CutOff(text) => json!({"role": "assistant", "content": text}),
        Step::Slow(secs, text) => {
            tokio::time::sleep(std::time::Duration::from_secs(secs)).await;
            json!({"role": "assistant", "content": text})
        }
        Step::Tools(calls) => {
            json!({"role": "assistant", "content": null, "tool_calls": calls.iter().map(|(id, name, args)|
            json!({"id": id, "type": "function", "function": {"name": name, "arguments": args}})).collect::<Vec<_>>()})
        }
    };
    let finish = if message["tool_calls"].is_array() {
        "tool_calls"
    } else if cut_off {
        "length"
    } else {
        "stop"
    };
    axum::Json(json!({"id": "chatcmpl-1", "object": "chat.completion", "created": 1_700_000_000, "model": body["model"],
        "choices": [{"index": 0, "finish_reason": finish, "message": message}],
        "usage": {"prompt_tokens": 120, "completion_tokens": 30, "total_tokens": 150}}))
    .into_response()
}
