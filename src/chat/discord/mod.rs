//! Discord over the gateway (serenity): the connection, the inbound side that stores each event before
//! answering the interaction or moving on, the start-up backfill through REST, and REST delivery.

mod backfill;
pub mod check;
mod connection;
mod handler;
pub mod inbound;
pub mod modal;
pub mod ops_command;
pub mod render;
pub mod rest;
pub mod send;
pub mod threads;

use crate::config::{DiscordSettings, Secret};
use crate::domain::ports::StoreError;
use crate::domain::{Event, EventKind, Platform};
use crate::pipeline::{Accepted, Pipeline};
pub use connection::DiscordConnection;
use inbound::Place;
use secrecy::ExposeSecret;
use serenity::all::{Http, HttpBuilder};
use std::collections::HashSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use threads::Threads;
use tokio::sync::Semaphore;

const PARALLEL: usize = 16;

/// The REST client; with `api_url` set (tests: a fake Discord) serenity's own rate limiter must be off,
/// because it ignores the proxy. opsdesk's outbox paces and retries instead.
pub fn http(s: &DiscordSettings, token: &Secret) -> Http {
    crate::telemetry::install_tls_provider();
    let b = HttpBuilder::new(token.expose_secret());
    if s.api_url.is_empty() {
        b.build()
    } else {
        b.proxy(s.api_url.trim_end_matches('/'))
            .ratelimiter_disabled(true)
            .build()
    }
}

/// The inbound side shared by the gateway handler and the backfill.
pub struct DiscordInbound {
    pipeline: Pipeline,
    threads: Arc<Threads>,
    me: AtomicU64,
    settings: DiscordSettings,
    in_flight: Mutex<HashSet<String>>,
    slots: Semaphore,
    /// The REST calls the backfill reads through (shared with the sender: one view of the limits).
    rest: Arc<rest::Rest>,
}

impl DiscordInbound {
    /// Where a channel id sits in the configuration: a channel with a role, or a thread under one.
    async fn place(&self, http: &Http, channel: u64) -> Option<Place> {
        let ch = channel.to_string();
        if self
            .pipeline
            .settings
            .channel_role(Platform::Discord, &ch)
            .is_some()
        {
            return Some(Place {
                channel: ch,
                thread: None,
            });
        }
        let parent = self.threads.parent(http, channel).await?.to_string();
        self.pipeline
            .settings
            .channel_role(Platform::Discord, &parent)
            .is_some()
            .then_some(Place {
                channel: parent,
                thread: Some(ch),
            })
    }

    /// The question a card's button asks, from the card as it was posted.
    async fn question(&self, place: &Place, message: &str, action: &str, value: &str) -> String {
        let card = self
            .pipeline
            .store
            .outbox_delivered(Platform::Discord, &place.channel, message)
            .await
            .ok()
            .flatten();
        card.and_then(|o| {
            o.reply
                .buttons()
                .iter()
                .find(|b| b.action == action && b.value == value)
                .and_then(|b| b.asks.clone())
        })
        .unwrap_or_else(|| "Your answer".to_string())
    }

    /// Stores the event; returns whether it still needs processing.
    async fn accept(&self, ev: &Event) -> Result<bool, StoreError> {
        Ok(matches!(
            self.pipeline.accept(ev, crate::clock::now()).await?,
            Accepted::Process
        ))
    }

    /// Processes a stored event on its own task.
    fn spawn_process(self: &Arc<Self>, ev: Event) {
        let me = self.clone();
        tokio::spawn(async move {
            let key = ev.inbox_key();
            if !me
                .in_flight
                .lock()
                .expect("in-flight set")
                .insert(key.clone())
            {
                return;
            }
            let _slot = me.slots.acquire().await;
            match me.pipeline.process(&ev, crate::clock::now()).await {
                Ok(h) => tracing::debug!(event = %key, outcome = ?h, "Discord event handled"),
                Err(e) => {
                    tracing::warn!(event = %key, error = %e, "Discord event stored but not processed; the inbox sweep retries it")
                }
            }
            me.in_flight.lock().expect("in-flight set").remove(&key);
        });
    }

    /// A message from the gateway or the backfill: stored, the channel's cursor moved, then processed.
    async fn on_message(
        self: &Arc<Self>,
        http: &Http,
        m: &serenity::all::Message,
    ) -> Result<(), StoreError> {
        if m.author.bot {
            return Ok(()); // opsdesk's own posts and other bots: not even worth a channel lookup
        }
        let Some(place) = self.place(http, m.channel_id.get()).await else {
            return Ok(());
        };
        let me = serenity::all::UserId::new(self.me.load(Ordering::Relaxed).max(1));
        let Some(ev) = inbound::from_message(m, place, me, crate::clock::now()) else {
            return Ok(());
        };
        if self.pipeline.in_one_write(&ev) {
            // Offline, a customer's message is handled at once and stored by the write that records its
            // outcome; the channel's cursor moves only after it, so a failure is fetched again.
            let h = self.pipeline.handle(ev, crate::clock::now()).await?;
            tracing::debug!(message = %m.id, outcome = ?h, "Discord message handled in one write");
            self.pipeline
                .store
                .cursor_advance(
                    Platform::Discord,
                    &m.channel_id.to_string(),
                    m.id.get() as i64,
                )
                .await?;
            return Ok(());
        }
        let todo = self.accept(&ev).await?;
        tracing::debug!(message = %m.id, todo, "Discord message stored");
        self.pipeline
            .store
            .cursor_advance(
                Platform::Discord,
                &m.channel_id.to_string(),
                m.id.get() as i64,
            )
            .await?;
        if todo && matches!(ev.kind, EventKind::MessagePosted { .. }) {
            self.spawn_process(ev);
        }
        Ok(())
    }
}
