//! The fake Discord's HTTP side: REST routes under `/api/v10` and the gateway websocket at `/gw`.

use super::{BOT_ID, Call, GUILD, Inner, channel, message, user};
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Instant;

pub async fn serve(inner: Arc<Inner>) -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = Router::new()
        .route("/gw", any(super::gateway::gateway))
        .fallback(rest)
        .with_state(inner);
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    addr
}

fn query(uri: &Uri, key: &str) -> Option<u64> {
    form_urlencoded::parse(uri.query().unwrap_or("").as_bytes())
        .find(|(k, _)| k == key)
        .and_then(|(_, v)| v.parse().ok())
}

/// A message's channel id as a number.
fn channel_of(m: &Value) -> u64 {
    m["channel_id"]
        .as_str()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

fn error(status: u16, code: u32, message: &str) -> (u16, Value) {
    (status, json!({"code": code, "message": message}))
}

/// A `multipart/form-data` body as Discord takes it: `payload_json` plus `files[n]` parts. Returns the
/// payload with the files listed under `_files` (name, size, whether it is a PNG).
fn multipart(content_type: &str, body: &[u8]) -> Option<Value> {
    let boundary = content_type.split("boundary=").nth(1)?.trim_matches('"');
    let delimiter = format!("--{boundary}");
    let text = body;
    let mut payload = json!({});
    let mut files = vec![];
    let mut rest = text;
    while let Some(start) = find(rest, delimiter.as_bytes()) {
        rest = &rest[start + delimiter.len()..];
        let Some(head_end) = find(rest, b"\r\n\r\n") else {
            break;
        };
        let head = String::from_utf8_lossy(&rest[..head_end]).to_string();
        let after = &rest[head_end + 4..];
        let end = find(after, delimiter.as_bytes()).unwrap_or(after.len());
        let data = &after[..end.saturating_sub(2)]; // the CRLF before the next delimiter
        let field = |k: &str| {
            head.split(&format!("{k}=\""))
                .nth(1)
                .and_then(|v| v.split('"').next())
                .map(String::from)
        };
        match (field("name").as_deref(), field("filename")) {
            (Some("payload_json"), _) => {
                payload = serde_json::from_slice(data).unwrap_or(Value::Null)
            }
            (Some(_), Some(filename)) => files.push(
                json!({"name": filename, "size": data.len(), "png": data.starts_with(b"\x89PNG")}),
            ),
            _ => {}
        }
        rest = after;
    }
    payload["_files"] = Value::Array(files);
    Some(payload)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

async fn rest(
    State(s): State<Arc<Inner>>,
    method: Method,
    uri: Uri,
    headers: axum::http::HeaderMap,
    body: Bytes,
) -> Response {
    let body = request_body(&headers, &body);
    let path = uri.path().to_string();
    let seg: Vec<&str> = path.trim_start_matches("/api/v10/").split('/').collect();
    let num = |i: usize| seg.get(i).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
    let now = Instant::now();
    let (status, response) = match (method.as_str(), seg.as_slice()) {
        ("GET", ["gateway"]) => (200, gateway(&s, false)),
        ("GET", ["gateway", "bot"]) => (200, gateway(&s, true)),
        ("GET", ["users", "@me"]) => (200, user(BOT_ID, "opsdesk", true)),
        // Discord's application object (GET /oauth2/applications/@me, "Get Current Application").
        ("GET", ["oauth2", "applications", "@me"]) => (
            200,
            serde_json::json!({"id": BOT_ID.to_string(), "name": "opsdesk", "icon": null,
                "description": "", "rpc_origins": [], "bot_public": false, "bot_require_code_grant": false,
                "verify_key": "5f3c0ad1e7a9b4c2d8e6f0a1b3c5d7e9f2a4b6c8d0e1f3a5b7c9d2e4f6a8b0c1",
                "owner": user(1, "founder", false), "team": null, "flags": 0,
                "bot": user(BOT_ID, "opsdesk", true), "redirect_uris": [], "interactions_endpoint_url": null}),
        ),
        ("GET", ["guilds", _]) if num(1) == GUILD => (200, guild()),
        ("GET", ["guilds", _]) => error(404, 10004, "Unknown Guild"),
        ("GET", ["guilds", _, "threads", "active"]) => (200, active_threads(&s)),
        ("GET", ["channels", _]) => match s.channels.lock().unwrap().get(&num(1)) {
            Some(c) => (200, c.clone()),
            None => error(404, 10003, "Unknown Channel"),
        },
        ("GET", ["channels", _, "messages"]) => {
            match super::limits::limited_read(&s, num(1), now) {
                Some(limited) => (429, limited),
                None => (200, list_messages(&s, &uri, num(1))),
            }
        }
        ("POST", ["channels", _, "messages"]) => match create_message(&s, num(1), &body, now) {
            Ok(created) => created,
            Err(limited) => (429, limited),
        },
        ("PATCH", ["channels", _, "messages", _]) => edit_message(&s, num(1), num(3), &body),
        ("POST", ["channels", _, "messages", _, "threads"]) => {
            start_thread(&s, num(1), num(3), &body)
        }
        ("PUT", ["applications", _, "guilds", _, "commands"]) => (200, registered(&body)),
        ("POST", ["interactions", _, _, "callback"]) => (204, Value::Null),
        ("PATCH", ["webhooks", _, _, "messages", "@original"]) | ("POST", ["webhooks", _, _]) => {
            webhook_message(&s, &body)
        }
        _ => error(404, 0, "404: Not Found"),
    };
    record(
        &s,
        Call {
            method: method.to_string(),
            path,
            body,
            status,
            response: response.clone(),
            at: now,
        },
    );
    match status {
        204 => StatusCode::NO_CONTENT.into_response(),
        // Discord's Retry-After header is the body's `retry_after` rounded up to whole seconds.
        429 => {
            let secs = response["retry_after"].as_f64().unwrap_or(1.0).ceil();
            (
                StatusCode::TOO_MANY_REQUESTS,
                [("retry-after", format!("{secs}"))],
                axum::Json(response),
            )
                .into_response()
        }
        _ => (StatusCode::from_u16(status).unwrap(), axum::Json(response)).into_response(),
    }
}

/// The docs' example guild as the fake guild, with the fields serenity requires today.
fn guild() -> Value {
    let mut g: Value = serde_json::from_str(include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/discord/guild__01__example-guild.json"
    )))
    .unwrap();
    g["id"] = json!(GUILD.to_string());
    // Fields Discord sends today that the docs' example predates (serenity requires them).
    g["nsfw_level"] = json!(0);
    g["stickers"] = json!([]);
    g["premium_progress_bar_enabled"] = json!(false);
    g
}

/// A channel's messages as Discord lists them: newest first, after a cursor when one is given.
fn list_messages(s: &Inner, uri: &Uri, ch: u64) -> Value {
    let (after, limit) = (
        query(uri, "after").unwrap_or(0),
        query(uri, "limit").unwrap_or(50) as usize,
    );
    let msgs = s.messages.lock().unwrap();
    let mut page: Vec<Value> = msgs
        .range(after + 1..)
        .map(|(_, m)| m)
        .filter(|m| channel_of(m) == ch)
        .cloned()
        .collect();
    if query(uri, "after").is_none() {
        page.reverse(); // no cursor: the newest first
    }
    page.truncate(limit);
    page.sort_by(|a, b| {
        b["id"]
            .as_str()
            .unwrap()
            .len()
            .cmp(&a["id"].as_str().unwrap().len())
            .then(b["id"].as_str().cmp(&a["id"].as_str()))
    });
    Value::Array(page) // Discord lists newest first
}

/// A bot message posted to channel `ch`; `Err` with a 429 body when the fake's limits say so.
fn create_message(s: &Inner, ch: u64, body: &Value, now: Instant) -> Result<(u16, Value), Value> {
    if !s.channels.lock().unwrap().contains_key(&ch) {
        Ok(error(404, 10003, "Unknown Channel"))
    } else {
        if let Some(limited) = super::limits::limited_create(s, ch, now) {
            return Err(limited);
        }
        let id = s.id();
        let mut m = message(
            id,
            ch,
            user(BOT_ID, "opsdesk", true),
            body["content"].as_str().unwrap_or(""),
            vec![],
        );
        m["embeds"] = body.get("embeds").cloned().unwrap_or(json!([]));
        m["components"] = body.get("components").cloned().unwrap_or(json!([]));
        let files = body["_files"].as_array().cloned().unwrap_or_default();
        m["attachments"] = Value::Array(
            files
                .iter()
                .enumerate()
                .map(|(i, f)| {
                    let url = format!("https://cdn.discordapp.com/attachments/{ch}/{id}/{}", f["name"].as_str().unwrap_or("file"));
                    json!({"id": (id + 1 + i as u64).to_string(), "filename": f["name"], "size": f["size"], "url": url, "proxy_url": url, "content_type": "image/png"})
                })
                .collect(),
        );
        s.keep_message(id, m.clone());
        s.dispatch("MESSAGE_CREATE", m.clone()); // bots see their own messages too
        Ok((200, m))
    }
}

/// Guild commands as Discord answers their registration: with ids, versions and permissions.
fn registered(body: &Value) -> Value {
    let cmds: Vec<Value> = body
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .enumerate()
        .map(|(i, mut c)| {
            c["id"] = json!((7001 + i).to_string());
            c["application_id"] = json!(BOT_ID.to_string());
            c["version"] = json!("1");
            c["default_member_permissions"] = Value::Null;
            c["type"] = json!(1);
            c
        })
        .collect();
    Value::Array(cmds)
}

/// A bot message edited in place (content, embeds, components).
fn edit_message(s: &Inner, ch: u64, id: u64, body: &Value) -> (u16, Value) {
    let mut msgs = s.messages.lock().unwrap();
    match msgs.get_mut(&id).filter(|m| channel_of(m) == ch) {
        Some(m) => {
            for k in ["content", "embeds", "components"] {
                if let Some(v) = body.get(k) {
                    m[k] = v.clone();
                }
            }
            m["edited_timestamp"] = json!("2026-11-26T01:05:00.000000+00:00");
            (200, m.clone())
        }
        None => error(404, 10008, "Unknown Message"),
    }
}

/// A public thread on message `mid` of channel `ch`, once per message as on Discord.
fn start_thread(s: &Inner, ch: u64, mid: u64, body: &Value) -> (u16, Value) {
    match s.channels.lock().unwrap().entry(mid) {
        std::collections::hash_map::Entry::Occupied(_) => error(
            400,
            160004,
            "A thread has already been created for this message",
        ),
        std::collections::hash_map::Entry::Vacant(e) => (
            201,
            e.insert(channel(
                mid,
                11,
                body["name"].as_str().unwrap_or("thread"),
                Some(ch),
            ))
            .clone(),
        ),
    }
}

/// An interaction's response or follow-up message.
fn webhook_message(s: &Inner, body: &Value) -> (u16, Value) {
    let id = s.id();
    let mut m = message(
        id,
        0,
        user(BOT_ID, "opsdesk", true),
        body["content"].as_str().unwrap_or(""),
        vec![],
    );
    m["embeds"] = body.get("embeds").cloned().unwrap_or(json!([]));
    m["flags"] = body.get("flags").cloned().unwrap_or(json!(0));
    (200, m)
}

/// A request's JSON body, or the JSON part and files of a multipart one.
fn request_body(headers: &axum::http::HeaderMap, body: &Bytes) -> Value {
    let content_type = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    match content_type.starts_with("multipart/form-data") {
        true => multipart(content_type, body).unwrap_or(Value::Null),
        false => serde_json::from_slice(body).unwrap_or(Value::Null),
    }
}

/// Records a call and wakes whoever waits on the fake.
fn record(s: &Inner, call: Call) {
    s.calls.lock().unwrap().push(call);
    s.changed.notify_waiters();
}

/// Where the gateway is; for a bot, with its shard count and session start limit.
fn gateway(s: &Inner, bot: bool) -> Value {
    let url = format!("ws://{}/gw", s.addr.lock().unwrap());
    match bot {
        false => json!({ "url": url }),
        true => json!({"url": url, "shards": 1,
            "session_start_limit": {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}}),
    }
}

/// The guild's threads (all of the fake's threads are active).
fn active_threads(s: &Inner) -> Value {
    let threads: Vec<Value> = s
        .channels
        .lock()
        .unwrap()
        .values()
        .filter(|c| c["type"] == 11)
        .cloned()
        .collect();
    json!({"threads": threads, "members": []})
}
