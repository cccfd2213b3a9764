//! The running bot: the pipeline, the connected platforms, the outbox sender and the inbox sweep,
//! started together and stopped together. `opsdesk run` and the end-to-end tests both use it.

use crate::chat::console::Console;
use crate::chat::discord::DiscordConnection;
use crate::chat::slack::SlackConnection;
use crate::config::{Secret, Settings, SlackTokens};
use crate::domain::Platform;
use crate::domain::ports::{ChatPlatform, Store};
use crate::pipeline::Pipeline;
use crate::sender::{Sender, quota};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// Events stored but unprocessed for this long are retried by the sweep (a crash, a failed store call).
const SWEEP_AFTER_MS: i64 = 60_000;
const SWEEP_EVERY: Duration = Duration::from_secs(30);
/// How often processed inbox events past their retention are deleted (and once at start).
const PRUNE_EVERY: Duration = Duration::from_secs(3_600);
const APPROVALS_EVERY: Duration = Duration::from_secs(15);

/// Which platforms to connect.
#[derive(Default)]
pub struct Connect {
    pub console: Option<Arc<Console>>,
    pub slack: Option<SlackTokens>,
    pub discord: Option<Secret>,
    /// Where to serve webhooks and health (`opsdesk run --http`), with the alert webhooks' token.
    pub http: Option<(tokio::net::TcpListener, crate::http::HookSecrets)>,
}

pub struct Runtime {
    pub pipeline: Pipeline,
    pub slack: Option<SlackConnection>,
    pub discord: Option<DiscordConnection>,
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

impl Runtime {
    pub async fn start(
        settings: Settings,
        store: Arc<dyn Store>,
        connect: Connect,
    ) -> anyhow::Result<Runtime> {
        let mut names = vec![];
        if connect.console.is_some() {
            names.push("console".to_string());
        }
        if connect.slack.is_some() {
            names.push("slack".to_string());
        }
        if connect.discord.is_some() {
            names.push("discord".to_string());
        }
        let pipeline = crate::app::pipeline(settings.clone(), store.clone(), names).await?;
        recover(&pipeline).await?;
        let (stop, stopped) = watch::channel(false);
        let holder = format!("opsdesk-{}-{}", std::process::id(), crate::clock::now());
        let lease = Duration::from_secs(settings.store.leader_lease_secs.max(3));
        let (leading, leader) = watch::channel(false);
        // The first try decides before anything starts: a lone replica leads at once.
        let _ = leading.send(try_lead(&store, &holder, lease).await);
        let lead_task = tokio::spawn(lead(
            store.clone(),
            holder.clone(),
            lease,
            leading,
            stopped.clone(),
        ));
        let mut platforms: HashMap<Platform, Arc<dyn ChatPlatform>> = HashMap::new();
        if let Some(c) = connect.console {
            platforms.insert(Platform::Console, c);
        }
        let slack = match &connect.slack {
            Some(tokens) => {
                let c = SlackConnection::connect(&settings.slack, tokens, pipeline.clone()).await?;
                platforms.insert(Platform::Slack, c.chat.clone());
                Some(c)
            }
            None => None,
        };
        let discord = match &connect.discord {
            Some(token) => {
                let c = DiscordConnection::connect(
                    &settings.discord,
                    token,
                    pipeline.clone(),
                    leader.clone(),
                )
                .await?;
                platforms.insert(Platform::Discord, c.chat.clone());
                Some(c)
            }
            None => None,
        };
        let (s, d) = (&settings.slack, &settings.discord);
        let sender = Sender::new(store, platforms, format!("opsdesk-{}", std::process::id()))
            .with_channel_limit(
                Platform::Slack,
                quota(s.channel_rate_per_sec, s.channel_burst),
            )
            .with_channel_limit(
                Platform::Discord,
                quota(d.channel_rate_per_sec, d.channel_burst),
            );
        let mut tasks = vec![lead_task];
        tasks.push(tokio::spawn(sender.run(
            pipeline.outbox_ready.clone(),
            stopped.clone(),
            Duration::from_secs(1),
        )));
        tasks.push(tokio::spawn(sweep(
            pipeline.clone(),
            leader.clone(),
            stopped.clone(),
        )));
        tasks.push(tokio::spawn(kb_refresh(pipeline.clone(), stopped.clone())));
        tasks.push(tokio::spawn(approvals_clock(
            pipeline.clone(),
            leader.clone(),
            stopped.clone(),
        )));
        if let Some((listener, secrets)) = connect.http {
            tracing::info!(addr = %listener.local_addr()?, "serving webhooks, /healthz, /readyz and /metrics");
            tasks.push(tokio::spawn(crate::http::serve(
                listener,
                pipeline.clone(),
                secrets,
                stopped,
            )));
        }
        Ok(Runtime {
            pipeline,
            slack,
            discord,
            stop,
            tasks,
        })
    }

    /// Waits up to `max` for the outbox to empty (what the last events produced is delivered).
    pub async fn drain(&self, max: Duration) -> anyhow::Result<()> {
        let deadline = tokio::time::Instant::now() + max;
        while self.pipeline.store.outbox_depth().await? > 0
            && tokio::time::Instant::now() < deadline
        {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Ok(())
    }

    /// Disconnects the platforms, then stops the sender and the sweep.
    pub async fn stop(self) {
        if let Some(s) = &self.slack {
            s.shutdown().await;
        }
        if let Some(d) = self.discord {
            d.shutdown().await;
        }
        let _ = self.stop.send(true);
        for t in self.tasks {
            let _ = t.await;
        }
    }
}

/// The leader lease's name: its holder keeps the Discord gateway, the clocks and the sweeps.
pub const LEADER: &str = "leader";

async fn try_lead(store: &Arc<dyn Store>, holder: &str, lease: Duration) -> bool {
    let ttl = lease.as_millis() as i64;
    match store.lease(LEADER, holder, ttl, crate::clock::now()).await {
        Ok(held) => held,
        Err(e) => {
            // Unsure: stand down rather than risk two leaders.
            tracing::warn!(error = %e, "could not renew the leader lease");
            false
        }
    }
}

/// Renews (or tries to take) the leader lease every third of its length and says when that changes;
/// gives it up on a clean stop so another replica leads at once.
async fn lead(
    store: Arc<dyn Store>,
    holder: String,
    lease: Duration,
    leading: watch::Sender<bool>,
    mut stop: watch::Receiver<bool>,
) {
    loop {
        tokio::select! {
            _ = tokio::time::sleep(lease / 3) => {}
            _ = stop.changed() => break,
        }
        let held = try_lead(&store, &holder, lease).await;
        if held != *leading.borrow() {
            tracing::info!(held, holder = %holder, "leader lease changed hands");
            let _ = leading.send(held);
        }
    }
    if *leading.borrow() {
        let _ = leading.send(false);
        if let Err(e) = store.lease_release(LEADER, &holder).await {
            tracing::warn!(error = %e, "could not give up the leader lease");
        }
    }
}

/// Sign-off warnings, expiries and approved actions waiting to run, first-response SLA notices, finance
/// digests and stale storm cards, every few seconds, on the leading replica.
async fn approvals_clock(
    pipeline: Pipeline,
    leader: watch::Receiver<bool>,
    mut stop: watch::Receiver<bool>,
) {
    loop {
        tokio::select! {
            _ = tokio::time::sleep(APPROVALS_EVERY) => {}
            _ = stop.changed() => return,
        }
        if !*leader.borrow() {
            continue;
        }
        if let Err(e) = pipeline.approvals_tick(crate::clock::now()).await {
            tracing::warn!(error = %e, "approval clock failed");
        }
        if let Err(e) = pipeline.sla_tick(crate::clock::now()).await {
            tracing::warn!(error = %e, "SLA clock failed");
        }
        if let Err(e) = pipeline.finance_tick(crate::clock::now()).await {
            tracing::warn!(error = %e, "finance digest clock failed");
        }
        if let Err(e) = pipeline.support_tick(crate::clock::now()).await {
            tracing::warn!(error = %e, "support digest clock failed");
        }
        if let Err(e) = pipeline.storm_tick(crate::clock::now()).await {
            tracing::warn!(error = %e, "alert storm clock failed");
        }
    }
}

/// Retries events that were stored (and acked) but not processed, and prunes old processed ones, on
/// the leading replica.
async fn sweep(pipeline: Pipeline, leader: watch::Receiver<bool>, mut stop: watch::Receiver<bool>) {
    let mut next_prune = tokio::time::Instant::now();
    loop {
        if *leader.borrow() && tokio::time::Instant::now() >= next_prune {
            next_prune += PRUNE_EVERY;
            match pipeline.prune_inbox(crate::clock::now()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(n, "inbox events past their retention deleted"),
                Err(e) => tracing::warn!(error = %e, "inbox pruning failed"),
            }
        }
        tokio::select! {
            _ = tokio::time::sleep(SWEEP_EVERY) => {}
            _ = stop.changed() => return,
        }
        if !*leader.borrow() {
            continue;
        }
        let now = crate::clock::now();
        match pipeline.recover(now - SWEEP_AFTER_MS, now).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(n, "inbox sweep re-processed events"),
            Err(e) => tracing::warn!(error = %e, "inbox sweep failed"),
        }
    }
}

/// How often every replica looks for knowledge-base pages added or changed since its last index.
const KB_REFRESH_EVERY: Duration = Duration::from_secs(60);

/// Re-indexes the knowledge base on this replica when its pages change (an answer another replica
/// wrote, or docs edited in place), off the async workers.
async fn kb_refresh(pipeline: Pipeline, mut stop: watch::Receiver<bool>) {
    loop {
        tokio::select! {
            _ = tokio::time::sleep(KB_REFRESH_EVERY) => {}
            _ = stop.changed() => return,
        }
        let kb = pipeline.kb.clone();
        match tokio::task::spawn_blocking(move || kb.refresh()).await {
            Ok(Ok(_)) => {}
            Ok(Err(e)) => tracing::warn!(error = %e, "knowledge base not re-indexed"),
            Err(e) => tracing::warn!(error = %e, "knowledge base refresh stopped"),
        }
    }
}

/// What an earlier run left: approved actions cut off (marked failed, never run twice) and events
/// stored but not processed (processed now).
async fn recover(pipeline: &crate::pipeline::Pipeline) -> anyhow::Result<()> {
    let now = crate::clock::now();
    let interrupted = pipeline.approvals_recover(now).await?;
    if interrupted > 0 {
        tracing::warn!(
            interrupted,
            "approved actions were cut off by a stop; marked failed, not run again"
        );
    }
    let recovered = pipeline.recover(now, now).await?;
    if recovered > 0 {
        tracing::info!(recovered, "re-processed events left from an earlier run");
    }
    Ok(())
}
