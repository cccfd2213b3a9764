//! What the benchmarks share: a customer message on the console, and percentiles of sorted latencies.
#![allow(dead_code)] // each bench uses part of it

use opsdesk::domain::{Event, EventKind, Platform};
use std::time::Duration;

/// Message `i` from one of 500 customers in the console's community channel.
pub fn event(i: usize, text: &str) -> Event {
    Event {
        platform: Platform::Console,
        id: format!("bench-{i}"),
        channel: "community".into(),
        thread: None,
        user: format!("user{}", i % 500),
        user_name: None,
        roles: vec![],
        interaction: None,
        at: 0,
        kind: EventKind::MessagePosted {
            text: text.into(),
            mentioned: false,
        },
    }
}

/// The `p` percentile (0–1) of latencies sorted ascending.
pub fn pct(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 * p) as usize).min(sorted.len() - 1)]
}
