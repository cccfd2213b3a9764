//! `/ops ask <question…>`: the team's assistant answers from opsdesk's records (tickets, alerts, finance,
//! approvals); anything it proposes to change becomes a sign-off request here.

use super::CommandCtx;
use crate::domain::Reply;
use crate::domain::ports::StoreError;
use crate::pipeline::{ASSISTANT_OFFLINE, Asker};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The question, in plain words.
    #[arg(trailing_var_arg = true, required = true)]
    pub question: Vec<String>,
}

pub async fn run(ctx: &CommandCtx<'_>, a: &Args) -> Result<Reply, StoreError> {
    let asker = Asker {
        platform: ctx.platform,
        user: ctx.user.into(),
        channel: ctx.channel.into(),
        thread: ctx.thread.map(String::from),
    };
    let answer = ctx
        .pipeline
        .assist("assistant.md", &a.question.join(" "), None, &asker, ctx.now)
        .await?;
    Ok(Reply::text(
        answer.unwrap_or_else(|| ASSISTANT_OFFLINE.to_string()),
    ))
}
