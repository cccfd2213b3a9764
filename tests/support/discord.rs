//! A fake Discord on 127.0.0.1 that speaks the real protocols: REST under `/api/v10` (messages, threads,
//! channels, commands, interaction callbacks and webhooks, 429s) and the gateway over a websocket (HELLO,
//! IDENTIFY → READY, heartbeats, RESUME with replay, INVALID_SESSION, dispatches with sequence numbers).
//! It keeps the messages it has seen, so REST reads (the backfill) see what the gateway sent.

#[path = "discord_gateway.rs"]
mod gateway;
#[path = "discord_limits.rs"]
mod limits;
#[path = "discord_server.rs"]
mod server;

use serde_json::{Value, json};
use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;
use tokio::sync::{Notify, mpsc};

pub const BOT_ID: u64 = 9000;
pub const GUILD: u64 = 500;
pub const TEXT: u64 = 100;
pub const FORUM: u64 = 200;
pub const ESCALATIONS: u64 = 300;
pub const ALERTS: u64 = 400;
pub const FINANCE: u64 = 600;
/// A member allowed to run `/ops` by id, and the role that runs `/ops` and signs off.
pub const ADMIN: u64 = 1001;
pub const OPS_ROLE: u64 = 777;

#[derive(Debug, Clone)]
pub struct Call {
    pub method: String,
    pub path: String,
    pub body: Value,
    pub status: u16,
    pub response: Value,
    pub at: Instant,
}

pub(crate) enum Out {
    Frame(String),
    Close(u16),
}

#[derive(Default)]
pub(crate) struct Session {
    pub seq: u64,
    pub log: Vec<(u64, String)>,
}

#[derive(Default)]
pub(crate) struct Inner {
    pub addr: Mutex<String>,
    pub calls: Mutex<Vec<Call>>,
    pub messages: Mutex<BTreeMap<u64, Value>>,
    pub channels: Mutex<HashMap<u64, Value>>,
    pub next_id: AtomicU64,
    pub sessions: Mutex<HashMap<String, Session>>,
    /// The connection that owns the live session: (connection number, session id, sender).
    pub current: Mutex<Option<(usize, String, mpsc::UnboundedSender<Out>)>>,
    pub last_session: Mutex<Option<String>>,
    pub connections: AtomicUsize,
    pub identifies: AtomicUsize,
    pub resumes: AtomicUsize,
    pub rate_limit_every: AtomicUsize,
    /// The wait a 429 asks for, in ms (1,000 unless set), and whether it is global.
    pub retry_after_ms: AtomicU64,
    pub global_limit: std::sync::atomic::AtomicBool,
    pub creates: AtomicUsize,
    /// Every `read_limit_every`th message-list read is a 429 (0: never); reads counted in `reads`.
    pub read_limit_every: AtomicUsize,
    pub reads: AtomicUsize,
    pub read_paused: Mutex<HashMap<u64, Instant>>,
    pub paused: Mutex<HashMap<u64, Instant>>,
    pub violations: Mutex<Vec<String>>,
    pub changed: Notify,
}

impl Inner {
    pub fn id(&self) -> u64 {
        self.next_id.fetch_add(1, Ordering::SeqCst)
    }

    /// Keeps message `m` and moves its channel's `last_message_id` to it, as Discord does.
    pub fn keep_message(&self, id: u64, m: Value) {
        let ch: u64 = m["channel_id"]
            .as_str()
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        if let Some(c) = self.channels.lock().unwrap().get_mut(&ch) {
            c["last_message_id"] = json!(id.to_string());
        }
        self.messages.lock().unwrap().insert(id, m);
    }

    /// Sends a dispatch on the live session (or logs it in the last session for a RESUME to replay).
    pub fn dispatch(&self, t: &str, d: Value) {
        let current = self.current.lock().unwrap();
        let session = match &*current {
            Some((_, s, _)) => s.clone(),
            None => match self.last_session.lock().unwrap().clone() {
                Some(s) => s,
                None => return, // nobody ever connected: Discord would not deliver either
            },
        };
        let mut sessions = self.sessions.lock().unwrap();
        let s = sessions.entry(session).or_default();
        s.seq += 1;
        let frame = json!({"op": 0, "t": t, "s": s.seq, "d": d}).to_string();
        s.log.push((s.seq, frame.clone()));
        if let Some((_, _, tx)) = &*current {
            let _ = tx.send(Out::Frame(frame));
        }
    }
}

pub fn user(id: u64, name: &str, bot: bool) -> Value {
    json!({"id": id.to_string(), "username": name, "discriminator": "0", "global_name": name, "avatar": null, "bot": bot})
}

pub fn member(id: u64, name: &str, roles: &[u64]) -> Value {
    json!({"user": user(id, name, false), "roles": roles.iter().map(|r| r.to_string()).collect::<Vec<_>>(), "joined_at": "2025-01-01T00:00:00.000000+00:00",
        "deaf": false, "mute": false, "flags": 0, "permissions": "2248473465835073"})
}

pub fn channel(id: u64, kind: u8, name: &str, parent: Option<u64>) -> Value {
    let mut c = json!({"id": id.to_string(), "type": kind, "guild_id": GUILD.to_string(), "name": name, "position": 0, "permission_overwrites": [],
        "nsfw": false, "parent_id": parent.map(|p| p.to_string()), "last_message_id": null, "rate_limit_per_user": 0, "flags": 0});
    if kind == 11 {
        c["owner_id"] = json!(BOT_ID.to_string());
        c["message_count"] = json!(0);
        c["member_count"] = json!(1);
        c["thread_metadata"] = json!({"archived": false, "auto_archive_duration": 1440, "archive_timestamp": "2026-11-26T00:00:00.000000+00:00", "locked": false});
    }
    c
}

pub fn message(id: u64, channel: u64, author: Value, content: &str, mentions: Vec<Value>) -> Value {
    json!({"id": id.to_string(), "channel_id": channel.to_string(), "guild_id": GUILD.to_string(), "author": author, "content": content,
        "timestamp": "2026-11-26T01:00:00.000000+00:00", "edited_timestamp": null, "tts": false, "mention_everyone": false, "mentions": mentions,
        "mention_roles": [], "attachments": [], "embeds": [], "components": [], "pinned": false, "type": 0, "flags": 0})
}

#[derive(Clone)]
pub struct FakeDiscord {
    pub addr: std::net::SocketAddr,
    inner: Arc<Inner>,
}

impl FakeDiscord {
    pub async fn start() -> FakeDiscord {
        let inner = Arc::new(Inner::default());
        inner
            .next_id
            .store(1_300_000_000_000_000_000, Ordering::SeqCst);
        {
            let mut ch = inner.channels.lock().unwrap();
            ch.insert(TEXT, channel(TEXT, 0, "community", None));
            ch.insert(FORUM, channel(FORUM, 15, "help-forum", None));
            ch.insert(ESCALATIONS, channel(ESCALATIONS, 0, "escalations", None));
            ch.insert(ALERTS, channel(ALERTS, 0, "alerts", None));
            ch.insert(FINANCE, channel(FINANCE, 0, "finance", None));
        }
        let addr = server::serve(inner.clone()).await;
        *inner.addr.lock().unwrap() = addr.to_string();
        FakeDiscord { addr, inner }
    }

    pub fn api_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn gateway_url(&self) -> String {
        format!("ws://{}/gw", self.addr)
    }

    pub fn calls(&self) -> Vec<Call> {
        self.inner.calls.lock().unwrap().clone()
    }

    /// Successful calls whose method and path match (`{}` in `path` matches one segment).
    pub fn ok(&self, method: &str, path: &str) -> Vec<Call> {
        let want: Vec<&str> = path.split('/').collect();
        let calls = self.inner.calls.lock().unwrap();
        calls
            .iter()
            .filter(|c| c.method == method && c.status < 300)
            .filter(|c| {
                let got: Vec<&str> = c.path.split('/').collect();
                got.len() == want.len() && got.iter().zip(&want).all(|(g, w)| *w == "{}" || g == w)
            })
            .cloned()
            .collect()
    }

    /// How many messages the bot posted per channel (one pass, nothing cloned: cheap enough to poll).
    pub fn bot_post_counts(&self) -> HashMap<u64, usize> {
        let mut counts = HashMap::new();
        for c in self
            .inner
            .calls
            .lock()
            .unwrap()
            .iter()
            .filter(|c| c.method == "POST" && c.status < 300)
        {
            if let ["", "api", "v10", "channels", id, "messages"] =
                c.path.split('/').collect::<Vec<_>>().as_slice()
            {
                *counts.entry(id.parse().unwrap_or(0)).or_default() += 1;
            }
        }
        counts
    }

    /// Whether every message in `ids` has at least one bot post in its thread.
    pub fn all_answered(&self, ids: &[u64]) -> bool {
        let counts = self.bot_post_counts();
        ids.iter().all(|m| counts.contains_key(m))
    }

    /// Messages the bot posted in `channel`.
    pub fn bot_posts_in(&self, channel: u64) -> Vec<Call> {
        self.ok("POST", &format!("/api/v10/channels/{channel}/messages"))
    }

    pub fn connections(&self) -> usize {
        self.inner.connections.load(Ordering::SeqCst)
    }

    pub fn identifies(&self) -> usize {
        self.inner.identifies.load(Ordering::SeqCst)
    }

    pub fn resumes(&self) -> usize {
        self.inner.resumes.load(Ordering::SeqCst)
    }

    /// A person posts in `channel` (a text channel or a thread); the gateway delivers it if connected.
    pub fn post(&self, channel: u64, user_id: u64, content: &str) -> u64 {
        self.post_as(channel, user_id, &[], content)
    }

    /// As `post`, by a guild member holding `roles` (MESSAGE_CREATE carries `member.roles`).
    pub fn post_as(&self, channel: u64, user_id: u64, roles: &[u64], content: &str) -> u64 {
        let id = self.inner.id();
        let mentions = if content.contains(&format!("<@{BOT_ID}>")) {
            vec![user(BOT_ID, "opsdesk", true)]
        } else {
            vec![]
        };
        let mut m = message(
            id,
            channel,
            user(user_id, &format!("user{user_id}"), false),
            content,
            mentions,
        );
        let roles: Vec<String> = roles.iter().map(u64::to_string).collect();
        m["member"] = json!({"roles": roles, "joined_at": "2025-01-01T00:00:00.000000+00:00", "deaf": false, "mute": false, "flags": 0});
        self.inner.keep_message(id, m.clone());
        self.inner.dispatch("MESSAGE_CREATE", m);
        id
    }

    /// A person starts a thread on message `message` in `parent` (Discord gives it the message's id).
    pub fn start_thread(&self, parent: u64, message: u64, name: &str) {
        let mut t = channel(message, 11, name, Some(parent));
        self.inner
            .channels
            .lock()
            .unwrap()
            .insert(message, t.clone());
        t["newly_created"] = json!(true);
        self.inner.dispatch("THREAD_CREATE", t);
    }

    /// A new post in a forum channel: a thread whose starter message has the thread's id.
    pub fn forum_post(&self, forum: u64, user_id: u64, title: &str, content: &str) -> u64 {
        let id = self.inner.id();
        let mut t = channel(id, 11, title, Some(forum));
        self.inner.channels.lock().unwrap().insert(id, t.clone());
        t["newly_created"] = json!(true);
        self.inner.dispatch("THREAD_CREATE", t);
        let m = message(
            id,
            id,
            user(user_id, &format!("user{user_id}"), false),
            content,
            vec![],
        );
        self.inner.keep_message(id, m.clone());
        self.inner.dispatch("MESSAGE_CREATE", m);
        id
    }

    /// A click on a button of message `message_id` (which the bot posted).
    pub fn click(&self, message_id: u64, user_id: u64, roles: &[u64], custom_id: &str) -> u64 {
        let msg = self
            .inner
            .messages
            .lock()
            .unwrap()
            .get(&message_id)
            .cloned()
            .expect("clicked message exists");
        let id = self.inner.id();
        let d = json!({"id": id.to_string(), "application_id": BOT_ID.to_string(), "type": 3, "token": format!("itok-{id}"), "version": 1,
            "guild_id": GUILD.to_string(), "channel_id": msg["channel_id"], "channel": {"id": msg["channel_id"], "type": 0},
            "member": member(user_id, &format!("user{user_id}"), roles), "data": {"custom_id": custom_id, "component_type": 2}, "message": msg,
            "locale": "en-US", "guild_locale": "en-US", "app_permissions": "2248473465835073", "entitlements": [], "authorizing_integration_owners": {"0": GUILD.to_string()},
            "context": 0, "attachment_size_limit": 26214400});
        self.inner.dispatch("INTERACTION_CREATE", d);
        id
    }

    /// A modal submitted from a button on message `message_id`: its text input `answer` holds `answer`.
    pub fn submit_modal(
        &self,
        message_id: u64,
        user_id: u64,
        roles: &[u64],
        custom_id: &str,
        answer: &str,
    ) -> u64 {
        let msg = self
            .inner
            .messages
            .lock()
            .unwrap()
            .get(&message_id)
            .cloned()
            .expect("the modal's message exists");
        let id = self.inner.id();
        let d = json!({"id": id.to_string(), "application_id": BOT_ID.to_string(), "type": 5, "token": format!("itok-{id}"), "version": 1,
            "guild_id": GUILD.to_string(), "channel_id": msg["channel_id"], "channel": {"id": msg["channel_id"], "type": 0},
            "member": member(user_id, &format!("user{user_id}"), roles), "message": msg,
            "data": {"custom_id": custom_id, "components": [{"type": 1, "components": [{"type": 4, "custom_id": "answer", "value": answer}]}]},
            "locale": "en-US", "guild_locale": "en-US", "app_permissions": "2248473465835073", "entitlements": [], "authorizing_integration_owners": {"0": GUILD.to_string()},
            "context": 0, "attachment_size_limit": 26214400});
        self.inner.dispatch("INTERACTION_CREATE", d);
        id
    }

    /// `/ops <sub> [options]` invoked in `channel`.
    pub fn command(
        &self,
        channel: u64,
        user_id: u64,
        roles: &[u64],
        sub: &str,
        options: Value,
    ) -> u64 {
        let id = self.inner.id();
        let d = json!({"id": id.to_string(), "application_id": BOT_ID.to_string(), "type": 2, "token": format!("itok-{id}"), "version": 1,
            "guild_id": GUILD.to_string(), "channel_id": channel.to_string(), "channel": {"id": channel.to_string(), "type": 0},
            "member": member(user_id, &format!("user{user_id}"), roles),
            "data": {"id": "7001", "name": "ops", "type": 1, "guild_id": GUILD.to_string(), "options": [{"name": sub, "type": 1, "options": options}]},
            "locale": "en-US", "guild_locale": "en-US", "app_permissions": "2248473465835073", "entitlements": [], "authorizing_integration_owners": {"0": GUILD.to_string()},
            "context": 0, "attachment_size_limit": 26214400});
        self.inner.dispatch("INTERACTION_CREATE", d);
        id
    }

    /// Closes the socket with 4000 (unknown error): a client should reconnect and RESUME.
    pub fn close_resumable(&self) {
        if let Some((_, _, tx)) = self.inner.current.lock().unwrap().take() {
            let _ = tx.send(Out::Close(4000));
        }
    }

    /// Opcode 9 (`d: false`): the session is gone; the client must IDENTIFY again.
    pub fn invalidate_session(&self) {
        if let Some((_, _, tx)) = &*self.inner.current.lock().unwrap() {
            let _ = tx.send(Out::Frame(json!({"op": 9, "d": false}).to_string()));
        }
    }

    /// Waits (at most 30 s, a hang guard) until `cond` holds.
    pub async fn wait_until(&self, what: &str, cond: impl Fn(&FakeDiscord) -> bool) {
        let explain = || {
            let calls: Vec<_> = self
                .calls()
                .iter()
                .map(|c| format!("{} {} {} {}", c.method, c.path, c.status, c.body))
                .collect();
            let tail = calls.len().saturating_sub(30);
            format!(
                "connections {} identifies {} resumes {}\nlast calls: {:#?}",
                self.connections(),
                self.identifies(),
                self.resumes(),
                &calls[tail..]
            )
        };
        super::wait_for(what, &self.inner.changed, || cond(self), explain).await
    }
}
