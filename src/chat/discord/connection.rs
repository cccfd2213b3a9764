//! The Discord connection: the REST sender on every replica, and the gateway only on the replica that
//! leads (`leader` true), so one replica receives and stores each event. Losing the lease closes the
//! gateway; winning it opens one (serenity resumes or re-identifies by itself; every READY backfills
//! what was missed).

use super::send::DiscordChat;
use super::threads::Threads;
use super::{DiscordInbound, PARALLEL, handler, http, rest};
use crate::config::{DiscordSettings, Secret};
use crate::pipeline::Pipeline;
use anyhow::Context;
use serenity::all::{ClientBuilder, GatewayIntents};
use std::collections::HashSet;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinHandle;

/// A gateway that ended by itself (not by a stop or a lost lease) is opened again after this long.
const REOPEN_AFTER: Duration = Duration::from_secs(5);

/// The REST sender, and the task that holds the gateway while this replica leads.
pub struct DiscordConnection {
    pub chat: Arc<DiscordChat>,
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

struct Gateway {
    settings: DiscordSettings,
    token: Secret,
    inbound: Arc<DiscordInbound>,
}

impl DiscordConnection {
    /// Checks the token (`GET /users/@me`), then holds the gateway whenever `leader` is true.
    pub async fn connect(
        s: &DiscordSettings,
        token: &Secret,
        pipeline: Pipeline,
        leader: watch::Receiver<bool>,
    ) -> anyhow::Result<DiscordConnection> {
        let http = Arc::new(http(s, token));
        let me = http
            .get_current_user()
            .await
            .with_context(|| format!("Discord refused the bot token (check ${})", s.token_env))?;
        tracing::info!(bot = %me.name, id = %me.id, "Discord token accepted");
        // Interaction follow-ups name the application: known here, so a replica without the gateway
        // (which would learn it from READY) can send them too.
        let app = match http.get_current_application_info().await {
            Ok(a) => a.id,
            Err(e) => {
                tracing::warn!(error = %e, "cannot read the application; using the bot's id");
                serenity::all::ApplicationId::new(me.id.get())
            }
        };
        http.set_application_id(app);
        let threads = Arc::new(Threads::default());
        let rest = Arc::new(rest::Rest::new(&s.api_url, token));
        let inbound = Arc::new(DiscordInbound {
            pipeline,
            threads: threads.clone(),
            me: AtomicU64::new(me.id.get()),
            settings: s.clone(),
            in_flight: Mutex::new(HashSet::new()),
            slots: Semaphore::new(PARALLEL),
            rest: rest.clone(),
        });
        let chat = Arc::new(DiscordChat {
            http,
            rest,
            threads,
        });
        let gateway = Gateway {
            settings: s.clone(),
            token: token.clone(),
            inbound,
        };
        let (stop, stopped) = watch::channel(false);
        let task = tokio::spawn(gateway.hold(leader, stopped));
        Ok(DiscordConnection { chat, stop, task })
    }

    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }
}

impl Gateway {
    /// Opens the gateway while `leader` is true, closes it when it turns false or on `stop`.
    async fn hold(self, mut leader: watch::Receiver<bool>, mut stop: watch::Receiver<bool>) {
        loop {
            while !*leader.borrow_and_update() {
                tokio::select! {
                    changed = leader.changed() => if changed.is_err() { return },
                    _ = stop.changed() => return,
                }
            }
            let mut client = match self.client().await {
                Ok(c) => c,
                Err(e) => {
                    tracing::error!(error = %e, "cannot build the Discord client");
                    return;
                }
            };
            let shards = client.shard_manager.clone();
            tracing::info!("leading: opening the Discord gateway");
            let mut run = tokio::spawn(async move { client.start().await });
            tokio::select! {
                _ = async { leader.wait_for(|lead| !*lead).await.is_ok() } => {
                    tracing::warn!("the lease went to another replica: closing the Discord gateway");
                    shards.shutdown_all().await;
                    let _ = run.await;
                }
                _ = stop.changed() => {
                    shards.shutdown_all().await;
                    let _ = run.await;
                    return;
                }
                ended = &mut run => {
                    if let Ok(Err(e)) = ended {
                        tracing::error!(error = %e, "the Discord gateway connection ended");
                    }
                    tokio::select! {
                        _ = tokio::time::sleep(REOPEN_AFTER) => {}
                        _ = stop.changed() => return,
                    }
                }
            }
        }
    }

    async fn client(&self) -> anyhow::Result<serenity::Client> {
        let intents = GatewayIntents::GUILDS
            | GatewayIntents::GUILD_MESSAGES
            | GatewayIntents::MESSAGE_CONTENT;
        let client = ClientBuilder::new_with_http(http(&self.settings, &self.token), intents)
            .event_handler(handler::Handler(self.inbound.clone()))
            .await
            .context("cannot build the Discord client")?;
        if !self.settings.gateway_url.is_empty() {
            *client.ws_url.lock().await = self.settings.gateway_url.clone();
        }
        Ok(client)
    }
}
