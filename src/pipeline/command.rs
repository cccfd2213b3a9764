//! A command typed in chat (`/ops …`): the pipeline hands it to the configured [`CommandRunner`] with
//! a [`CommandCtx`], then commits the private reply, the inbox mark and any audit entry in one write.

use super::{Handled, Outcome, Pipeline, private};
use crate::domain::AuditAction;
use crate::domain::ports::{AuditEntry, StoreError};
use crate::domain::{Event, Millis, Platform, Reply};
use async_trait::async_trait;

/// Who ran a command, where and when, with the pipeline to act through.
pub struct CommandCtx<'a> {
    pub pipeline: &'a Pipeline,
    /// The invoking event's inbox key (an idempotency key for what the command does outside).
    pub event: &'a str,
    pub platform: Platform,
    pub user: &'a str,
    /// The user's groups/roles as the adapter reported them (`group:S…` on Slack, `role:…` on Discord).
    pub roles: &'a [String],
    /// Where the command was typed (a request for sign-off reports back there).
    pub channel: &'a str,
    pub thread: Option<&'a str>,
    pub now: Millis,
}

/// Runs one command line; returns the reply and, for state-changing or refused commands, the audit
/// action to record. Implemented by `crate::commands`, which sits above the pipeline.
#[async_trait]
pub trait CommandRunner: Send + Sync {
    async fn run(
        &self,
        ctx: &CommandCtx<'_>,
        args: &str,
    ) -> Result<(Reply, Option<AuditAction>), StoreError>;
}

impl Pipeline {
    pub(super) async fn on_command(
        &self,
        ev: &Event,
        name: &str,
        args: &str,
        now: Millis,
    ) -> Result<Handled, StoreError> {
        if name != "ops" {
            return Ok(Handled::Ignored("unknown command"));
        }
        let event = ev.inbox_key();
        let ctx = CommandCtx {
            pipeline: self,
            event: &event,
            platform: ev.platform,
            user: &ev.user,
            roles: &ev.roles,
            channel: &ev.channel,
            thread: ev.thread.as_deref(),
            now,
        };
        let (reply, audit) = self.commands.run(&ctx, args).await?;
        let out = private(ev, reply);
        let audit = audit
            .map(|action| AuditEntry {
                at: now,
                actor: format!("{}:{}", ev.platform.as_str(), ev.user),
                action,
                subject: "/ops".into(),
                detail: args.to_string(),
            })
            .into_iter()
            .collect();
        let ids = self.reply_to(ev, out, audit, now).await?;
        Ok(Handled::Done(Outcome {
            outbox: ids,
            ..Outcome::default()
        }))
    }
}
