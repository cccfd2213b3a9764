//! Slack over Socket Mode (slack-morphism): the connection, the inbound side that stores each event
//! before it is acked and then processes it, and the Web API delivery used by the outbox sender.

pub mod blocks;
pub mod check;
mod groups;
pub mod inbound;
pub mod modal;
mod names;
pub mod send;
mod socket;

use crate::config::{SlackSettings, SlackTokens};
use crate::domain::ports::StoreError;
use crate::domain::{ChannelRole, Event, EventKind, Platform};
use crate::pipeline::{Accepted, Pipeline};
use anyhow::Context;
pub use inbound::BotIdentity;
use secrecy::ExposeSecret;
use send::{SlackChat, SlackHyperClient};
use slack_morphism::prelude::*;
use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use tokio::sync::Semaphore;

/// How many events are processed at once; more wait for a slot (they are already stored).
const PARALLEL: usize = 16;

/// The Web API client, allowing plain `http://` so tests can point it at a fake Slack on 127.0.0.1.
pub fn client(api_url: &str) -> Arc<SlackHyperClient> {
    crate::telemetry::install_tls_provider();
    let https = hyper_rustls::HttpsConnectorBuilder::new()
        .with_webpki_roots()
        .https_or_http()
        .enable_http1()
        .enable_http2()
        .build();
    let connector = SlackClientHyperConnector::with_connector(https)
        .with_slack_api_url(api_url.trim_end_matches('/'));
    Arc::new(SlackClient::new(connector))
}

/// The inbound side, shared by the Socket Mode callbacks.
pub struct SlackInbound {
    pipeline: Pipeline,
    me: BotIdentity,
    chat: Arc<SlackChat>,
    groups: groups::Groups,
    names: names::Names,
    /// Customers whose profile this process already compared with Stripe's customers.
    checked: Mutex<HashSet<String>>,
    in_flight: Mutex<HashSet<String>>,
    slots: Semaphore,
    reaction: String,
}

impl SlackInbound {
    /// Stores the event (the ack follows when this returns Ok) and starts processing it.
    async fn accept(self: &Arc<Self>, mut ev: Event) -> Result<(), StoreError> {
        let role = self
            .pipeline
            .settings
            .channel_role(Platform::Slack, &ev.channel);
        if let EventKind::MessagePosted { mentioned, .. } = &ev.kind
            && role.is_none()
            && !mentioned
        {
            // A channel opsdesk has no role in: nothing to keep.
            inbound::skipped("channel_without_role", &ev.channel);
            return Ok(());
        }
        let is_message = matches!(ev.kind, EventKind::MessagePosted { .. });
        if !is_message || role != Some(ChannelRole::Customer) {
            // The team's side (cards' threads, internal channels, commands, clicks): who is allowed by
            // group, and the name a relayed reply goes out under. A community channel's messages are
            // acknowledged without a lookup.
            ev.roles = self.groups.of(&self.chat, &ev.user).await;
            if let Some(name) = self.names.of(&self.chat, &ev.user).await {
                ev.user_name = Some(name);
            }
        }
        if is_message && role == Some(ChannelRole::Customer) {
            self.offer_link(&ev.user);
        }
        let now = crate::clock::now();
        if self.pipeline.in_one_write(&ev) {
            // Offline, a customer's message is handled before Slack is acknowledged, stored by the one
            // write that records its outcome; a failure leaves it unacknowledged, and Slack redelivers.
            let h = self.pipeline.handle(ev, now).await?;
            tracing::debug!(outcome = ?h, "Slack message handled in one write");
            return Ok(());
        }
        if let Accepted::Process = self.pipeline.accept(&ev, now).await? {
            let me = self.clone();
            tokio::spawn(async move { me.process(ev, role).await });
        }
        Ok(())
    }

    /// Once per customer and process, off the acknowledgement's path: when their Slack profile's
    /// e-mail matches a Stripe customer's, the team is asked whether to link them.
    fn offer_link(self: &Arc<Self>, user: &str) {
        if !self
            .checked
            .lock()
            .expect("checked set")
            .insert(user.to_string())
        {
            return;
        }
        let (me, user) = (self.clone(), user.to_string());
        tokio::spawn(async move {
            let Some(p) = me.names.person(&me.chat, &user).await else {
                return;
            };
            let Some(email) = p.email else { return };
            let now = crate::clock::now();
            let offered = me
                .pipeline
                .suggest_link(Platform::Slack, &user, &p.name, &email, now)
                .await;
            if let Err(e) = offered {
                tracing::warn!(error = %e, "a link suggestion was not stored");
            }
        });
    }

    async fn process(&self, ev: Event, role: Option<ChannelRole>) {
        let key = ev.inbox_key();
        if !self
            .in_flight
            .lock()
            .expect("in-flight set")
            .insert(key.clone())
        {
            return; // a redelivery of an event this process is already handling
        }
        let _slot = self.slots.acquire().await;
        let react = !self.reaction.is_empty()
            && role == Some(ChannelRole::Customer)
            && matches!(ev.kind, EventKind::MessagePosted { .. });
        if react {
            self.chat
                .react(&ev.channel, &ev.id, &self.reaction, true)
                .await;
        }
        match self.pipeline.process(&ev, crate::clock::now()).await {
            Ok(h) => tracing::debug!(event = %key, outcome = ?h, "Slack event handled"),
            Err(e) => {
                tracing::warn!(event = %key, error = %e, "Slack event stored but not processed; the inbox sweep retries it")
            }
        }
        if react {
            self.chat
                .react(&ev.channel, &ev.id, &self.reaction, false)
                .await;
        }
        self.in_flight.lock().expect("in-flight set").remove(&key);
    }
}

/// A live Socket Mode connection and the Web API sender that goes with it.
pub struct SlackConnection {
    pub chat: Arc<SlackChat>,
    pub me: BotIdentity,
    listener: SlackClientSocketModeListener<SlackClientHyperHttpsConnector>,
}

impl SlackConnection {
    /// Checks the bot token (`auth.test`), then opens the socket. Reconnects happen by themselves.
    pub async fn connect(
        s: &SlackSettings,
        tokens: &SlackTokens,
        pipeline: Pipeline,
    ) -> anyhow::Result<SlackConnection> {
        let client = client(&s.api_url);
        let token = SlackApiToken::new(tokens.bot.expose_secret().into());
        let auth = client
            .open_session(&token)
            .auth_test()
            .await
            .with_context(|| format!("Slack auth.test failed (check ${})", s.bot_token_env))?;
        let me = BotIdentity {
            user_id: auth.user_id.0,
            bot_id: auth.bot_id.map(|b| b.0),
        };
        tracing::info!(team = %auth.team, bot_user = %me.user_id, "connected to Slack");
        let chat = Arc::new(SlackChat {
            client: client.clone(),
            token,
        });
        let groups = groups::Groups::from_allowed(&pipeline.settings.ops.allowed_users);
        let inbound = Arc::new(SlackInbound {
            pipeline,
            me: me.clone(),
            chat: chat.clone(),
            groups,
            names: names::Names::default(),
            checked: Mutex::new(HashSet::new()),
            in_flight: Mutex::new(HashSet::new()),
            slots: Semaphore::new(PARALLEL),
            reaction: s.working_reaction.clone(),
        });
        let callbacks = SlackSocketModeListenerCallbacks::new()
            .with_push_events(socket::on_push)
            .with_interaction_events(socket::on_interaction)
            .with_command_events(socket::on_command);
        let env = Arc::new(
            SlackClientEventsListenerEnvironment::new(client)
                .with_user_state(inbound)
                .with_error_handler(socket::on_error),
        );
        let cfg = SlackClientSocketModeConfig::new()
            .with_max_connections_count(1)
            .with_reconnect_timeout_in_seconds(s.reconnect_secs)
            .with_initial_backoff_in_seconds(s.reconnect_secs)
            .with_ping_interval_in_seconds(s.ping_interval_secs)
            .with_ping_failure_threshold_times(s.ping_failures);
        let listener = SlackClientSocketModeListener::new(&cfg, env, callbacks);
        listener
            .listen_for(&SlackApiToken::new(tokens.app.expose_secret().into()))
            .await
            .with_context(|| {
                format!(
                    "Slack Socket Mode refused to open (check ${})",
                    s.app_token_env
                )
            })?;
        listener.start().await;
        Ok(SlackConnection { chat, me, listener })
    }

    pub async fn shutdown(&self) {
        self.listener.shutdown().await;
    }
}
