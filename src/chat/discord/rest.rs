//! opsdesk's own REST calls for the messages it posts and edits, so that Discord's rate-limit answers
//! reach the outbox whatever serenity does (its limiter is off behind `discord.api_url`, and its error
//! type drops the 429 body): a 429's `retry_after` (body) or `Retry-After` header pauses the channel
//! for exactly as long as Discord asks, `global` pauses every channel, and an exhausted bucket
//! (`X-RateLimit-Remaining: 0` with `X-RateLimit-Reset-After`) holds the next send until it refills.

use crate::config::Secret;
use crate::domain::ports::SendError;
use http::{HeaderMap, StatusCode};
use http_body_util::Full;
use secrecy::ExposeSecret;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

/// How long one REST call may take before it counts as a transient failure.
const TIMEOUT: Duration = Duration::from_secs(15);
/// What a 429 without any readable wait is taken to ask for.
const DEFAULT_WAIT_MS: u64 = 1000;

/// Discord's REST API for channel messages, with what it said about its limits.
pub struct Rest {
    base: String,
    auth: Secret,
    /// When each channel may be sent to again (epoch ms); key 0 is the global limit.
    holds: Mutex<HashMap<u64, i64>>,
}

/// What one answer means for the sender.
#[derive(Debug, PartialEq)]
pub enum Verdict {
    /// Done; how long the bucket is empty (ms), if it is.
    Ok {
        empty_ms: Option<u64>,
    },
    /// 429: wait this long; `global` for every channel.
    Limited {
        wait_ms: u64,
        global: bool,
    },
    Failed(SendError),
}

impl Rest {
    /// `api_url` empty: discord.com. The token is sent as `Bot <token>`.
    pub fn new(api_url: &str, token: &Secret) -> Rest {
        let base = if api_url.is_empty() {
            "https://discord.com".to_string()
        } else {
            api_url.trim_end_matches('/').to_string()
        };
        let t = token.expose_secret();
        let auth = if t.starts_with("Bot ") {
            t.to_string()
        } else {
            format!("Bot {t}")
        };
        Rest {
            base,
            auth: Secret::from(auth),
            holds: Mutex::new(HashMap::new()),
        }
    }

    /// Posts a message (JSON, no files) to `channel`; returns its id.
    pub async fn post(
        &self,
        channel: u64,
        body: &impl serde::Serialize,
    ) -> Result<String, SendError> {
        let path = format!("/api/v10/channels/{channel}/messages");
        message_id(
            &self
                .call(http::Method::POST, channel, &path, Some(body))
                .await?,
        )
    }

    /// Replaces message `message` in `channel`; returns its id.
    pub async fn edit(
        &self,
        channel: u64,
        message: u64,
        body: &impl serde::Serialize,
    ) -> Result<String, SendError> {
        let path = format!("/api/v10/channels/{channel}/messages/{message}");
        message_id(
            &self
                .call(http::Method::PATCH, channel, &path, Some(body))
                .await?,
        )
    }

    /// Up to `limit` (≤ 100) messages of `channel` after message `after`, or the latest ones without
    /// it; Discord lists them newest first.
    pub async fn messages(
        &self,
        channel: u64,
        after: Option<u64>,
        limit: u8,
    ) -> Result<Vec<serenity::all::Message>, SendError> {
        let mut path = format!("/api/v10/channels/{channel}/messages?limit={limit}");
        if let Some(a) = after {
            path.push_str(&format!("&after={a}"));
        }
        let body = self
            .call(http::Method::GET, channel, &path, None::<&()>)
            .await?;
        serde_json::from_str(&body).map_err(|e| {
            SendError::Permanent(format!(
                "Discord's message list for {channel} is unreadable: {e}"
            ))
        })
    }

    /// How long `channel` must still wait before the next call (a 429 or an empty bucket), if at all.
    pub fn wait(&self, channel: u64) -> Option<Duration> {
        self.held(channel, crate::clock::now())
            .map(Duration::from_millis)
    }

    async fn call(
        &self,
        method: http::Method,
        channel: u64,
        path: &str,
        body: Option<&impl serde::Serialize>,
    ) -> Result<String, SendError> {
        let now = crate::clock::now();
        if let Some(wait) = self.held(channel, now) {
            return Err(SendError::RateLimited {
                retry_after_ms: wait,
            });
        }
        let json = body
            .map(serde_json::to_vec)
            .transpose()
            .map_err(|e| SendError::Permanent(format!("message not serialisable: {e}")))?;
        let mut req = http::Request::builder()
            .method(method)
            .uri(format!("{}{path}", self.base))
            .header("authorization", self.auth.expose_secret())
            .header("user-agent", "DiscordBot (https://github.com/opsdesk, 0.1)");
        if json.is_some() {
            req = req.header("content-type", "application/json");
        }
        let req = req
            .body(Full::from(json.unwrap_or_default()))
            .map_err(|e| SendError::Permanent(format!("bad Discord request {path}: {e}")))?;
        let answer = crate::net::call_with_headers("Discord", req, TIMEOUT)
            .await
            .map_err(|e| SendError::Transient(e.to_string()))?;
        // Waits count from the answer, as Discord counts them; one more ms for the clock's rounding.
        let now = crate::clock::now() + 1;
        match verdict(answer.status, &answer.headers, &answer.body) {
            Verdict::Ok { empty_ms } => {
                if let Some(ms) = empty_ms {
                    self.hold(channel, now + ms as i64);
                }
                Ok(answer.body)
            }
            Verdict::Limited { wait_ms, global } => {
                self.hold(if global { 0 } else { channel }, now + wait_ms as i64);
                Err(SendError::RateLimited {
                    retry_after_ms: wait_ms,
                })
            }
            Verdict::Failed(e) => Err(e),
        }
    }

    /// How long `channel` (or every channel) must still wait, in ms.
    fn held(&self, channel: u64, now: i64) -> Option<u64> {
        let holds = self.holds.lock().expect("rate-limit holds");
        [0, channel]
            .iter()
            .filter_map(|k| holds.get(k))
            .map(|until| until - now)
            .filter(|w| *w > 0)
            .max()
            .map(|w| w as u64)
    }

    fn hold(&self, key: u64, until: i64) {
        let mut holds = self.holds.lock().expect("rate-limit holds");
        let at = holds.entry(key).or_insert(until);
        *at = (*at).max(until);
    }
}

/// The id of the message in a create or edit answer.
fn message_id(body: &str) -> Result<String, SendError> {
    let json: serde_json::Value = serde_json::from_str(body).unwrap_or_default();
    json["id"].as_str().map(str::to_string).ok_or_else(|| {
        SendError::Permanent(format!(
            "Discord's answer has no message id: {}",
            crate::net::tail(body, 200)
        ))
    })
}

/// Reads one answer: done (and whether the bucket is empty), a rate limit (the longest wait the body and headers ask for), or
/// a failure sorted into the outbox's retry classes.
pub fn verdict(status: StatusCode, headers: &HeaderMap, body: &str) -> Verdict {
    let json: serde_json::Value = serde_json::from_str(body).unwrap_or_default();
    let secs = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<f64>().ok())
            .filter(|s| s.is_finite() && *s >= 0.0)
    };
    let ms = |s: f64| (s * 1000.0).ceil() as u64;
    if status.is_success() {
        let empty = headers
            .get("x-ratelimit-remaining")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim() == "0");
        return Verdict::Ok {
            empty_ms: secs("x-ratelimit-reset-after").filter(|_| empty).map(ms),
        };
    }
    if status == StatusCode::TOO_MANY_REQUESTS {
        let waits = [
            json["retry_after"].as_f64(),
            secs("retry-after"),
            secs("x-ratelimit-reset-after"),
        ];
        let wait = waits.into_iter().flatten().map(ms).max();
        let global = json["global"].as_bool().unwrap_or(false)
            || headers
                .get("x-ratelimit-global")
                .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"true"))
            || headers
                .get("x-ratelimit-scope")
                .is_some_and(|v| v.as_bytes() == b"global");
        return Verdict::Limited {
            wait_ms: wait.unwrap_or(DEFAULT_WAIT_MS).max(1),
            global,
        };
    }
    let what = format!(
        "Discord answered HTTP {} (code {}): {}",
        status.as_u16(),
        json["code"].as_i64().unwrap_or(0),
        json["message"]
            .as_str()
            .map_or_else(|| crate::net::tail(body, 200), str::to_string)
    );
    Verdict::Failed(match status.as_u16() {
        500..=599 | 408 => SendError::Transient(what),
        _ => SendError::Permanent(what),
    })
}

#[cfg(test)]
#[path = "rest_tests.rs"]
mod tests;
