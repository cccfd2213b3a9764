//! The fake Discord's rate limits: every `n`th post or message-list read is refused with a 429 body
//! as Discord sends it (`retry_after`, `global`), the channel (or every channel) is then paused for that
//! long, and a call before the pause ends is recorded as a violation.

use super::{FakeDiscord, Inner};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

impl FakeDiscord {
    pub fn violations(&self) -> Vec<String> {
        self.inner.violations.lock().unwrap().clone()
    }

    pub fn rate_limit_every(&self, n: usize) {
        self.inner.rate_limit_every.store(n, Ordering::SeqCst);
    }

    /// Every `n`th read of a channel's messages is refused with a 429 asking for 0.3 s; reading that
    /// channel again sooner is a violation.
    pub fn rate_limit_reads_every(&self, n: usize) {
        self.inner.read_limit_every.store(n, Ordering::SeqCst);
    }

    /// The channels whose messages were listed, one entry per read (429s included).
    pub fn reads_of(&self) -> Vec<u64> {
        self.calls()
            .iter()
            .filter(|c| c.method == "GET" && c.path.ends_with("/messages"))
            .filter_map(|c| c.path.split('/').nth(4).and_then(|v| v.parse().ok()))
            .collect()
    }

    /// Every `n`th post is refused with a 429 asking for `retry_after` seconds (the body's float; the
    /// `Retry-After` header rounds it up, as Discord's does), for every channel when `global`.
    pub fn rate_limit_with(&self, n: usize, retry_after: f64, global: bool) {
        let ms = (retry_after * 1000.0) as u64;
        self.inner.retry_after_ms.store(ms, Ordering::SeqCst);
        self.inner.global_limit.store(global, Ordering::SeqCst);
        self.rate_limit_every(n);
    }
}

/// Records a violation when `key` (or every channel, key 0) is still paused at `now`.
fn check_pause(
    paused: &Mutex<HashMap<u64, Instant>>,
    keys: &[u64],
    now: Instant,
    what: &str,
) -> Vec<String> {
    let paused = paused.lock().unwrap();
    keys.iter()
        .filter_map(|k| paused.get(k))
        .filter(|until| now < **until)
        .map(|until| format!("{what} {:?} before Retry-After ended", *until - now))
        .collect()
}

fn limited(ms: u64, global: bool) -> Value {
    json!({"message": "You are being rate limited.", "retry_after": ms as f64 / 1000.0, "global": global})
}

/// The 429 body for every `rate_limit_every`th post (pausing the channel, or every channel for a
/// global limit, for the wait it asks for), or `None` to post.
pub(super) fn limited_create(s: &Inner, ch: u64, now: Instant) -> Option<Value> {
    let late = check_pause(&s.paused, &[ch, 0], now, &format!("POST to channel {ch}"));
    s.violations.lock().unwrap().extend(late);
    let n = s.creates.fetch_add(1, Ordering::SeqCst) + 1;
    let every = s.rate_limit_every.load(Ordering::SeqCst);
    if every == 0 || !n.is_multiple_of(every) {
        return None;
    }
    let ms = match s.retry_after_ms.load(Ordering::SeqCst) {
        0 => 1000,
        ms => ms,
    };
    let global = s.global_limit.load(Ordering::SeqCst);
    let key = if global { 0 } else { ch };
    s.paused
        .lock()
        .unwrap()
        .insert(key, now + Duration::from_millis(ms));
    Some(limited(ms, global))
}

/// The 429 body for every `read_limit_every`th read of a channel's messages (its reads are then
/// paused for 0.3 s), or `None` to answer.
pub(super) fn limited_read(s: &Inner, ch: u64, now: Instant) -> Option<Value> {
    let late = check_pause(&s.read_paused, &[ch], now, &format!("GET messages of {ch}"));
    s.violations.lock().unwrap().extend(late);
    let n = s.reads.fetch_add(1, Ordering::SeqCst) + 1;
    let every = s.read_limit_every.load(Ordering::SeqCst);
    if every == 0 || !n.is_multiple_of(every) {
        return None;
    }
    s.read_paused
        .lock()
        .unwrap()
        .insert(ch, now + Duration::from_millis(300));
    Some(limited(300, false))
}
