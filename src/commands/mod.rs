//! `/ops …` founders' commands, one module per command; parsed with clap, authorised in code.

mod alerts;
mod approvals;
mod ask;
mod audit;
mod finance;
mod kb_gaps;
mod link;
mod metrics;
mod refund;
mod request;
mod status;
mod tickets;
mod unlink;

use crate::domain::ports::StoreError;
use crate::domain::{ApprovalKind, AuditAction, Reply};
pub use crate::pipeline::{CommandCtx, CommandRunner};
use clap::{Parser, Subcommand};

#[derive(Parser, Debug)]
#[command(
    name = "/ops",
    no_binary_name = true,
    disable_version_flag = true,
    about = "opsdesk founders' commands"
)]
struct OpsCli {
    #[command(subcommand)]
    cmd: OpsCmd,
}

#[derive(Subcommand, Debug)]
enum OpsCmd {
    /// What is connected, queue depths and open tickets.
    Status,
    /// Recent tickets with their state and age.
    Tickets(tickets::Args),
    /// Per-tier involvement, resolution rate, first-response time and cost.
    Metrics(metrics::Args),
    /// Alert groups, newest change first.
    Alerts(alerts::Args),
    /// Revenue, MRR movements, churn, failed payments, refunds and disputes: today, this week or month.
    Finance(finance::Args),
    /// Requests waiting for sign-off, and recent decisions.
    Approvals(approvals::Args),
    /// The append-only audit log: who did what, when.
    Audit(audit::Args),
    /// Refund a Stripe charge (sign-off above finance.refund_approval_above).
    Refund(refund::Args),
    /// Ask for sign-off to run an allow-listed runbook.
    Runbook(request::Args),
    /// Ask for sign-off to call a configured webhook.
    Webhook(request::Args),
    /// Ask the assistant about tickets, alerts and finance (needs an LLM).
    Ask(ask::Args),
    /// Answer a chat user's questions from a Stripe customer's account.
    Link(link::Args),
    /// Stop answering a chat user from any account.
    Unlink(unlink::Args),
    /// The knowledge base: `gaps` lists the questions it could not answer, grouped.
    Kb {
        #[command(subcommand)]
        cmd: KbCmd,
    },
}

#[derive(Subcommand, Debug)]
enum KbCmd {
    /// Unanswered questions grouped by what they ask about, largest group first.
    Gaps(kb_gaps::Args),
}

/// The `/ops` grammar, for platforms that register commands with their options (Discord).
pub fn definition() -> clap::Command {
    <OpsCli as clap::CommandFactory>::command()
}

/// Whether `user` may run `/ops` on `platform`: the local console always; elsewhere only users listed
/// in `ops.allowed_users` as `platform:user`, or members of a listed `slack:group:…` / `discord:role:…`.
pub fn allowed(ctx: &CommandCtx<'_>) -> bool {
    ctx.pipeline
        .settings
        .team_member(ctx.platform, ctx.user, ctx.roles)
}

/// The `/ops` commands, as the pipeline runs them.
pub struct Ops;

#[async_trait::async_trait]
impl CommandRunner for Ops {
    async fn run(
        &self,
        ctx: &CommandCtx<'_>,
        args: &str,
    ) -> Result<(Reply, Option<AuditAction>), StoreError> {
        run(ctx, args).await
    }
}

/// Runs one `/ops` command line; returns the reply and, for state-changing or refused commands, the
/// audit action to record.
pub async fn run(
    ctx: &CommandCtx<'_>,
    args: &str,
) -> Result<(Reply, Option<AuditAction>), StoreError> {
    if !allowed(ctx) {
        return Ok((
            Reply::text("Sorry, /ops is only for the team members listed in ops.allowed_users."),
            Some(AuditAction::OpsRefused),
        ));
    }
    let cli = match OpsCli::try_parse_from(args.split_whitespace()) {
        Ok(c) => c,
        Err(e) => {
            return Ok((
                Reply::text(e.render().to_string().trim_end().to_string()),
                None,
            ));
        }
    };
    let reply = match cli.cmd {
        OpsCmd::Status => status::run(ctx).await?,
        OpsCmd::Tickets(a) => tickets::run(ctx, &a).await?,
        OpsCmd::Metrics(a) => metrics::run(ctx, &a).await?,
        OpsCmd::Alerts(a) => alerts::run(ctx, &a).await?,
        OpsCmd::Finance(a) => finance::run(ctx, &a).await?,
        OpsCmd::Approvals(a) => approvals::run(ctx, &a).await?,
        OpsCmd::Audit(a) => audit::run(ctx, &a).await?,
        OpsCmd::Refund(a) => refund::run(ctx, &a).await?,
        OpsCmd::Runbook(a) => request::run(ctx, ApprovalKind::Runbook, &a).await?,
        OpsCmd::Webhook(a) => request::run(ctx, ApprovalKind::Webhook, &a).await?,
        OpsCmd::Ask(a) => ask::run(ctx, &a).await?,
        OpsCmd::Link(a) => link::run(ctx, &a).await?,
        OpsCmd::Unlink(a) => unlink::run(ctx, &a).await?,
        OpsCmd::Kb {
            cmd: KbCmd::Gaps(a),
        } => kb_gaps::run(ctx, &a).await?,
    };
    Ok((reply, None))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_subcommands_and_rejects_unknown_ones() {
        assert!(
            matches!(OpsCli::try_parse_from("tickets --escalated".split_whitespace()).unwrap().cmd, OpsCmd::Tickets(a) if a.escalated)
        );
        assert!(
            matches!(OpsCli::try_parse_from("kb gaps --since 30d".split_whitespace()).unwrap().cmd, OpsCmd::Kb { cmd: KbCmd::Gaps(a) } if a.since == "30d")
        );
        let err = OpsCli::try_parse_from("frobnicate".split_whitespace())
            .unwrap_err()
            .render()
            .to_string();
        assert!(err.contains("frobnicate"), "{err}");
    }
}
