//! A fake Slack on 127.0.0.1 that speaks the real protocols: the Web API over HTTP (`POST /api/<method>`,
//! JSON or form bodies, `{"ok":…}` answers, 429 with `Retry-After`) and Socket Mode over a websocket
//! (`hello`, envelopes, acks, redelivery of unacked envelopes with `retry_attempt` after a reconnect).
//! It records every call and every ack.

use axum::Router;
use axum::extract::State;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::response::Response;
use axum::routing::any;
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;
use tokio::sync::{Notify, mpsc};

#[path = "slack_web.rs"]
mod web;

pub const BOT_USER: &str = "UBOT";
pub const BOT_ID: &str = "BBOT";

/// One Web API call as the fake saw it.
#[derive(Debug, Clone)]
pub struct Call {
    pub method: String,
    pub auth: Option<String>,
    pub body: Value,
    pub at: Instant,
    /// The HTTP status the fake answered, and its JSON body.
    pub status: u16,
    pub response: Value,
}

impl Call {
    pub fn channel(&self) -> &str {
        self.body["channel"].as_str().unwrap_or("")
    }
}

pub(crate) enum Out {
    Frame(String),
    Drop,
    Mute,
}

#[derive(Default)]
pub(crate) struct Inner {
    pub(crate) calls: Mutex<Vec<Call>>,
    /// Envelopes sent but not acked, by sequence: (envelope id, frame without retry fields, attempts so far).
    pub(crate) pending: Mutex<BTreeMap<u64, (String, Value, u32)>>,
    pub(crate) acks: Mutex<Vec<Value>>,
    pub(crate) socket: Mutex<Option<(usize, mpsc::UnboundedSender<Out>)>>,
    pub(crate) connections: AtomicUsize,
    pub(crate) redelivered: AtomicUsize,
    pub(crate) seq: AtomicU64,
    pub(crate) ts: AtomicU64,
    /// Every Nth `chat.*` call is answered 429 (0 = never).
    pub(crate) rate_limit_every: AtomicUsize,
    pub(crate) chat_calls: AtomicUsize,
    /// Per channel: when a 429 told the client to wait until.
    pub(crate) paused: Mutex<HashMap<String, Instant>>,
    pub(crate) violations: Mutex<Vec<String>>,
    pub(crate) groups: Mutex<HashMap<String, Vec<String>>>,
    /// `users.info` answers by user id (unknown ids: `user_not_found`).
    pub(crate) users: Mutex<HashMap<String, Value>>,
    pub(crate) scopes: Mutex<String>,
    pub(crate) muted: Mutex<Vec<mpsc::UnboundedSender<Out>>>,
    /// Bytes received at the upload URLs, by file id.
    pub(crate) uploads: Mutex<HashMap<String, Vec<u8>>>,
    pub(crate) changed: Notify,
}

#[derive(Clone)]
pub struct FakeSlack {
    pub addr: std::net::SocketAddr,
    inner: Arc<Inner>,
}

impl FakeSlack {
    pub async fn start() -> FakeSlack {
        let inner = Arc::new(Inner::default());
        *inner.scopes.lock().unwrap() =
            "chat:write,channels:history,groups:history,app_mentions:read,commands,reactions:write,usergroups:read,users:read,users:read.email".into();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let app = Router::new()
            .route("/api/{method}", any(web::web_api))
            .route("/upload/{file}", axum::routing::post(web::upload))
            .route("/link/", any(socket))
            .with_state(inner.clone());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        FakeSlack { addr, inner }
    }

    /// The bytes uploaded for a file id (files.getUploadURLExternal's URL).
    pub fn upload(&self, file: &str) -> Option<Vec<u8>> {
        self.inner.uploads.lock().unwrap().get(file).cloned()
    }

    pub fn api_url(&self) -> String {
        format!("http://{}/api", self.addr)
    }

    pub fn rate_limit_every(&self, n: usize) {
        self.inner.rate_limit_every.store(n, Ordering::SeqCst);
    }

    /// The scopes `auth.test` reports in `x-oauth-scopes`.
    pub fn set_scopes(&self, scopes: &str) {
        *self.inner.scopes.lock().unwrap() = scopes.into();
    }

    pub fn set_group(&self, id: &str, members: &[&str]) {
        self.inner
            .groups
            .lock()
            .unwrap()
            .insert(id.into(), members.iter().map(|m| m.to_string()).collect());
    }

    /// A workspace member as `users.info` describes one (docs.slack.dev/reference/methods/users.info).
    pub fn add_user(&self, id: &str, display_name: &str, real_name: &str, email: &str) {
        let u = serde_json::json!({"id": id, "team_id": "T1", "name": real_name.to_lowercase().replace(' ', "."),
            "deleted": false, "real_name": real_name, "tz": "Europe/London", "is_admin": false, "is_bot": false,
            "profile": {"display_name": display_name, "display_name_normalized": display_name, "real_name": real_name,
                "real_name_normalized": real_name, "email": email, "team": "T1"}});
        self.inner.users.lock().unwrap().insert(id.into(), u);
    }

    pub fn calls(&self) -> Vec<Call> {
        self.inner.calls.lock().unwrap().clone()
    }

    /// Successful calls of one method.
    pub fn ok_calls(&self, method: &str) -> Vec<Call> {
        self.calls()
            .into_iter()
            .filter(|c| c.method == method && c.status == 200)
            .collect()
    }

    pub fn acks(&self) -> Vec<Value> {
        self.inner.acks.lock().unwrap().clone()
    }

    pub fn connections(&self) -> usize {
        self.inner.connections.load(Ordering::SeqCst)
    }

    /// Envelopes sent again (with `retry_attempt` ≥ 1) because a connection ended before their ack.
    pub fn redelivered(&self) -> usize {
        self.inner.redelivered.load(Ordering::SeqCst)
    }

    pub fn unacked(&self) -> usize {
        self.inner.pending.lock().unwrap().len()
    }

    /// Calls made to a channel while a 429 told the client to wait.
    pub fn violations(&self) -> Vec<String> {
        self.inner.violations.lock().unwrap().clone()
    }

    /// Sends an envelope (`events_api`, `interactive`, `slash_commands`) now or, with no socket, on the
    /// next connection. It stays pending until acked. Returns its envelope id.
    pub fn push(&self, kind: &str, payload: Value) -> String {
        let seq = self.inner.seq.fetch_add(1, Ordering::SeqCst);
        let id = format!("env-{seq}");
        let frame = json!({"envelope_id": id, "type": kind, "accepts_response_payload": kind != "events_api", "payload": payload});
        let mut pending = self.inner.pending.lock().unwrap();
        let tx = self
            .inner
            .socket
            .lock()
            .unwrap()
            .as_ref()
            .map(|(_, tx)| tx.clone());
        let attempts = match tx {
            Some(tx) => {
                let _ = tx.send(Out::Frame(with_retry(&frame, 0)));
                1
            }
            None => 0,
        };
        pending.insert(seq, (id.clone(), frame, attempts));
        id
    }

    /// Sends the same payload again as Slack's redelivery would: a new envelope with `retry_attempt`.
    pub fn redeliver(&self, kind: &str, payload: Value, attempt: u32) {
        let seq = self.inner.seq.fetch_add(1, Ordering::SeqCst);
        let frame = json!({"envelope_id": format!("env-{seq}"), "type": kind, "accepts_response_payload": false,
            "retry_attempt": attempt, "retry_reason": "timeout", "payload": payload});
        if let Some((_, tx)) = &*self.inner.socket.lock().unwrap() {
            let _ = tx.send(Out::Frame(frame.to_string()));
        }
    }

    /// Drops the websocket without a close frame, as a network failure would.
    pub fn drop_socket(&self) {
        if let Some((_, tx)) = self.inner.socket.lock().unwrap().take() {
            let _ = tx.send(Out::Drop);
        }
    }

    /// Keeps the current socket open but silent: no frames, no pongs. Only the client's watchdog can
    /// notice; envelopes pushed meanwhile wait for the next connection.
    pub fn mute_socket(&self) {
        if let Some((_, tx)) = self.inner.socket.lock().unwrap().take() {
            let _ = tx.send(Out::Mute);
            self.inner.muted.lock().unwrap().push(tx);
        }
    }

    /// Slack's own `disconnect` message (e.g. before a server restart): the client must reconnect.
    pub fn send_disconnect(&self) {
        if let Some((_, tx)) = &*self.inner.socket.lock().unwrap() {
            let _ = tx
                .send(Out::Frame(json!({"type": "disconnect", "reason": "refresh_requested", "debug_info": {"host": "fake"}}).to_string()));
        }
    }

    /// Waits (at most 30 s, a hang guard) until `cond` holds.
    pub async fn wait_until(&self, what: &str, cond: impl Fn(&FakeSlack) -> bool) {
        let explain = || {
            format!(
                "calls: {:#?}",
                self.calls()
                    .iter()
                    .map(|c| (&c.method, c.status, &c.body))
                    .collect::<Vec<_>>()
            )
        };
        super::wait_for(what, &self.inner.changed, || cond(self), explain).await
    }

    /// A `message` event callback as Slack sends it.
    pub fn message(
        event_id: &str,
        channel: &str,
        user: &str,
        ts: &str,
        thread_ts: Option<&str>,
        text: &str,
    ) -> Value {
        let mut ev = json!({"type": "message", "channel": channel, "user": user, "text": text, "ts": ts, "event_ts": ts, "channel_type": "channel"});
        if let Some(t) = thread_ts {
            ev["thread_ts"] = json!(t);
        }
        json!({"token": "x", "team_id": "T1", "api_app_id": "A1", "type": "event_callback", "event_id": event_id, "event_time": 1_700_000_000, "event": ev})
    }

    /// A `block_actions` payload for a click on a button of the bot's message `card_ts`.
    pub fn click(
        channel: &str,
        user: &str,
        card_ts: &str,
        thread_ts: Option<&str>,
        action: &str,
        value: &str,
        action_ts: &str,
    ) -> Value {
        let mut message = json!({"type": "message", "ts": card_ts, "user": BOT_USER, "bot_id": BOT_ID, "text": "card"});
        if let Some(t) = thread_ts {
            message["thread_ts"] = json!(t);
        }
        json!({"type": "block_actions", "team": {"id": "T1", "domain": "fake"}, "user": {"id": user, "username": format!("{user}-name"), "team_id": "T1"},
            "api_app_id": "A1", "trigger_id": format!("trig-{action_ts}"), "container": {"type": "message", "message_ts": card_ts, "channel_id": channel, "is_ephemeral": false},
            "channel": {"id": channel, "name": "c"}, "message": message, "response_url": "http://127.0.0.1:9/respond",
            "actions": [{"type": "button", "action_id": action, "block_id": "b1", "value": value, "action_ts": action_ts, "text": {"type": "plain_text", "text": "x"}}]})
    }

    /// A submitted modal (`view_submission`) whose single input `answer`/`text` holds `answer`.
    pub fn view_submission(
        user: &str,
        view_id: &str,
        private_metadata: &str,
        answer: &str,
    ) -> Value {
        json!({"type": "view_submission", "team": {"id": "T1", "domain": "fake"}, "user": {"id": user, "username": format!("{user}-name"), "team_id": "T1"},
            "api_app_id": "A1", "trigger_id": format!("trig-{view_id}"),
            "view": {"id": view_id, "team_id": "T1", "type": "modal", "callback_id": "opsdesk.ask", "private_metadata": private_metadata, "hash": "h1",
                "title": {"type": "plain_text", "text": "opsdesk"}, "blocks": [],
                "state": {"values": {"answer": {"text": {"type": "plain_text_input", "value": answer}}}}}})
    }

    /// A `/ops` slash command payload.
    pub fn command(channel: &str, user: &str, text: &str, trigger: &str) -> Value {
        json!({"token": "x", "team_id": "T1", "team_domain": "fake", "channel_id": channel, "channel_name": "c", "user_id": user, "user_name": "u",
            "command": "/ops", "text": text, "api_app_id": "A1", "response_url": "http://127.0.0.1:9/respond", "trigger_id": trigger})
    }
}

fn with_retry(frame: &Value, attempt: u32) -> String {
    let mut f = frame.clone();
    f["retry_attempt"] = json!(attempt);
    f["retry_reason"] = json!(if attempt == 0 { "" } else { "timeout" });
    f.to_string()
}

async fn socket(State(s): State<Arc<Inner>>, ws: WebSocketUpgrade) -> Response {
    ws.on_upgrade(move |socket| serve_socket(s, socket))
}

async fn serve_socket(s: Arc<Inner>, mut socket: WebSocket) {
    let conn = s.connections.fetch_add(1, Ordering::SeqCst) + 1;
    let (tx, mut rx) = mpsc::unbounded_channel();
    let hello = json!({"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A1"}, "debug_info": {"host": "fake", "approximate_connection_time": 18060}});
    if socket
        .send(Message::Text(hello.to_string().into()))
        .await
        .is_err()
    {
        return;
    }
    {
        // Everything not acked is delivered again on the new connection, with its retry count.
        let mut pending = s.pending.lock().unwrap();
        for (_, frame, attempts) in pending.values_mut() {
            if *attempts > 0 {
                s.redelivered.fetch_add(1, Ordering::SeqCst);
            }
            let _ = tx.send(Out::Frame(with_retry(frame, *attempts)));
            *attempts += 1;
        }
        *s.socket.lock().unwrap() = Some((conn, tx));
    }
    s.changed.notify_waiters();
    loop {
        tokio::select! {
            out = rx.recv() => match out {
                Some(Out::Frame(f)) => if socket.send(Message::Text(f.into())).await.is_err() { break },
                Some(Out::Drop) | None => return, // dropping the socket without a close frame
                Some(Out::Mute) => {
                    // Stop reading (so no pongs) and writing, but keep the TCP connection open.
                    while let Some(out) = rx.recv().await {
                        if matches!(out, Out::Drop) {
                            return;
                        }
                    }
                    return;
                }
            },
            msg = socket.recv() => match msg {
                Some(Ok(Message::Text(t))) => {
                    if let Ok(ack) = serde_json::from_str::<Value>(&t) && let Some(id) = ack["envelope_id"].as_str() {
                        s.pending.lock().unwrap().retain(|_, (e, _, _)| e != id);
                        s.acks.lock().unwrap().push(ack.clone());
                        s.changed.notify_waiters();
                    }
                }
                Some(Ok(_)) => {}
                _ => break,
            },
        }
    }
    let mut cur = s.socket.lock().unwrap();
    if cur.as_ref().is_some_and(|(c, _)| *c == conn) {
        *cur = None;
    }
}
