//! The fake Slack's Web API: chat.* (with 429s on demand and Slack's own refusal of repeated action
//! ids), auth.test with scopes, user groups, views.open, and the file upload flow
//! (files.getUploadURLExternal → the upload URL → files.completeUploadExternal).

use super::{BOT_ID, BOT_USER, Call, Inner};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

fn parse_body(headers: &HeaderMap, body: &Bytes) -> Value {
    let ct = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if ct.starts_with("application/json") {
        serde_json::from_slice(body).unwrap_or(Value::Null)
    } else {
        let pairs: serde_json::Map<String, Value> = form_urlencoded::parse(body)
            .map(|(k, v)| (k.into_owned(), Value::String(v.into_owned())))
            .collect();
        Value::Object(pairs)
    }
}

pub(super) async fn web_api(
    State(s): State<Arc<Inner>>,
    Path(method): Path<String>,
    uri: axum::http::Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    // Slack takes arguments as a JSON body, a form body or (for GET) the query string.
    let body = match uri.query() {
        Some(q) if body.is_empty() => {
            parse_body(&HeaderMap::new(), &Bytes::copy_from_slice(q.as_bytes()))
        }
        _ => parse_body(&headers, &body),
    };
    let auth = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .map(String::from);
    let channel = body["channel"].as_str().unwrap_or("").to_string();
    let now = Instant::now();
    let status = pace(&s, &method, &channel, now);
    let record = |response: &Value| {
        s.calls.lock().unwrap().push(Call {
            method: method.clone(),
            auth: auth.clone(),
            body: body.clone(),
            at: now,
            status,
            response: response.clone(),
        });
        s.changed.notify_waiters();
    };
    if status == 429 {
        let r = json!({"ok": false, "error": "ratelimited"});
        record(&r);
        return (
            StatusCode::TOO_MANY_REQUESTS,
            [("retry-after", "1")],
            axum::Json(r),
        )
            .into_response();
    }
    if let Some(why) = invalid_blocks(&body) {
        let r = json!({"ok": false, "error": "invalid_blocks", "errors": [why]});
        record(&r);
        return axum::Json(r).into_response();
    }
    if method == "auth.test" {
        let scopes = s.scopes.lock().unwrap().clone();
        let r = json!({"ok": true, "url": "https://fake.slack.com/", "team": "Fake Co", "user": "opsdesk", "team_id": "T1", "user_id": BOT_USER, "bot_id": BOT_ID});
        record(&r);
        return ([("x-oauth-scopes", scopes)], axum::Json(r)).into_response();
    }
    let host = headers
        .get("host")
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    let reply = answer(&s, &method, &body, &channel, host);
    record(&reply);
    axum::Json(reply).into_response()
}

/// Slack refuses blocks whose action ids repeat within one block.
fn invalid_blocks(body: &Value) -> Option<String> {
    let blocks: Vec<Value> = match &body["blocks"] {
        Value::String(s) => serde_json::from_str(s).ok()?,
        Value::Array(a) => a.clone(),
        _ => return None,
    };
    for (i, b) in blocks.iter().enumerate() {
        let mut seen = std::collections::HashSet::new();
        for e in b["elements"].as_array().into_iter().flatten() {
            if let Some(id) = e["action_id"].as_str()
                && !seen.insert(id)
            {
                return Some(format!(
                    "action_id {id:?} repeats in block {i} [json-pointer:/blocks/{i}/elements]"
                ));
            }
        }
    }
    None
}

pub(super) async fn upload(
    State(s): State<Arc<Inner>>,
    Path(file): Path<String>,
    body: Bytes,
) -> Response {
    s.uploads.lock().unwrap().insert(file, body.to_vec());
    s.changed.notify_waiters();
    axum::Json(json!({"ok": true})).into_response()
}

/// 429 every `rate_limit_every` chat calls (the channel then paused for a second); a chat call to a
/// paused channel is recorded as a violation.
fn pace(s: &Inner, method: &str, channel: &str, now: Instant) -> u16 {
    if method.starts_with("chat.") {
        if let Some(until) = s.paused.lock().unwrap().get(channel)
            && now < *until
        {
            s.violations.lock().unwrap().push(format!(
                "{method} to {channel} {:?} before Retry-After ended",
                *until - now
            ));
        }
        let n = s.chat_calls.fetch_add(1, Ordering::SeqCst) + 1;
        let every = s.rate_limit_every.load(Ordering::SeqCst);
        if every > 0 && n.is_multiple_of(every) {
            s.paused
                .lock()
                .unwrap()
                .insert(channel.to_string(), now + Duration::from_secs(1));
            return 429;
        }
    }
    200
}

/// The Web API's answer to `method`, as Slack's docs show it.
fn answer(s: &Inner, method: &str, body: &Value, channel: &str, host: &str) -> Value {
    let ts = || format!("1700000000.{:06}", s.ts.fetch_add(1, Ordering::SeqCst) + 1);
    match method {
        "apps.connections.open" => {
            json!({"ok": true, "url": format!("ws://{host}/link/?ticket=t")})
        }
        "chat.postMessage" => {
            let ts = ts();
            json!({"ok": true, "channel": channel, "ts": ts, "message": {"type": "message", "ts": ts, "user": BOT_USER, "bot_id": BOT_ID, "text": body["text"]}})
        }
        "chat.update" => {
            json!({"ok": true, "channel": channel, "ts": body["ts"], "text": body["text"],
            "message": {"type": "message", "user": BOT_USER, "bot_id": BOT_ID, "text": body["text"], "edited": {"user": BOT_USER, "ts": ts()}}})
        }
        "chat.postEphemeral" => json!({"ok": true, "message_ts": ts()}),
        "reactions.add" | "reactions.remove" => json!({"ok": true}),
        "usergroups.users.list" => {
            let id = body["usergroup"].as_str().unwrap_or("");
            match s.groups.lock().unwrap().get(id) {
                Some(users) => json!({"ok": true, "users": users}),
                None => json!({"ok": false, "error": "no_such_subteam"}),
            }
        }
        "users.info" => {
            let id = body["user"].as_str().unwrap_or("");
            match s.users.lock().unwrap().get(id) {
                Some(u) => json!({"ok": true, "user": u}),
                None => json!({"ok": false, "error": "user_not_found"}),
            }
        }
        "views.open" => json!({"ok": true, "view": {"id": "V1", "type": "modal"}}),
        "files.getUploadURLExternal" => {
            let file = format!("F{}", s.ts.fetch_add(1, Ordering::SeqCst) + 1);
            json!({"ok": true, "upload_url": format!("http://{host}/upload/{file}"), "file_id": file})
        }
        "files.completeUploadExternal" => {
            let files = body["files"].as_array().cloned().unwrap_or_default();
            let uploads = s.uploads.lock().unwrap();
            match files
                .iter()
                .find(|f| !uploads.contains_key(f["id"].as_str().unwrap_or("")))
            {
                Some(f) => json!({"ok": false, "error": "file_not_found", "file": f["id"]}),
                None => {
                    json!({"ok": true, "files": files.iter().map(|f| json!({"id": f["id"], "title": f["title"], "created": 1_700_000_000})).collect::<Vec<_>>()})
                }
            }
        }
        _ => json!({"ok": false, "error": "unknown_method"}),
    }
}
