//! `/ops runbook <name> [reason…]` and `/ops webhook <name> [reason…]`: ask for sign-off to run an
//! allow-listed action. Nothing runs here: the request becomes a card with Approve / Deny.

use super::CommandCtx;
use crate::domain::ApprovalKind;
use crate::domain::Reply;
use crate::domain::ports::StoreError;
use crate::pipeline::ApprovalRequest;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Which configured runbook or webhook.
    pub name: String,
    /// Why it should run (shown to the approvers).
    #[arg(trailing_var_arg = true)]
    pub reason: Vec<String>,
}

pub async fn run(ctx: &CommandCtx<'_>, kind: ApprovalKind, a: &Args) -> Result<Reply, StoreError> {
    let s = &ctx.pipeline.settings;
    let (description, known): (Option<&str>, Vec<&str>) = match kind {
        ApprovalKind::Runbook => (
            s.runbooks.get(&a.name).map(|r| r.description.as_str()),
            s.runbooks.keys().map(String::as_str).collect(),
        ),
        _ => (
            s.webhooks.get(&a.name).map(|w| w.description.as_str()),
            s.webhooks.keys().map(String::as_str).collect(),
        ),
    };
    let Some(description) = description else {
        let list = if known.is_empty() {
            format!("none are configured (see [{kind}s] in the config)")
        } else {
            known.join(", ")
        };
        return Ok(Reply::text(format!(
            "No {kind} named {:?}. Known: {list}.",
            a.name
        )));
    };
    let request = ApprovalRequest {
        kind,
        params: serde_json::json!({ "name": a.name }),
        summary: format!("{kind} {}: {description}", a.name),
        reason: a.reason.join(" "),
        platform: ctx.platform,
        requester: ctx.user.into(),
        channel: ctx.channel.into(),
        thread: ctx.thread.map(String::from),
    };
    Ok(Reply::text(
        match ctx.pipeline.request_approval(request, ctx.now).await? {
            Ok(a) => format!(
                "Asked for sign-off: request #{} ({}). You will hear back here.",
                a.id, a.summary
            ),
            Err(a) => format!(
                "That is already waiting for sign-off: request #{} ({} of {} approvals).",
                a.id,
                a.approved_by.len(),
                a.quorum
            ),
        },
    ))
}
