//! `/ops kb gaps [--since 7d]`: the questions the knowledge base could not answer, grouped by what
//! they ask about, largest group first, with examples and tickets: the pages to write next.

use super::CommandCtx;
use crate::domain::ports::StoreError;
use crate::domain::{Reply, gaps::describe};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// How far back: 30m, 12h, 7d…
    #[arg(long, default_value = "7d")]
    pub since: String,
}

/// Example questions shown per group.
pub const EXAMPLES: usize = 3;

pub async fn run(ctx: &CommandCtx<'_>, a: &Args) -> Result<Reply, StoreError> {
    let back = match crate::domain::time::parse_duration(&a.since) {
        Ok(ms) if ms > 0 => ms,
        Ok(_) => return Ok(Reply::text("--since must be longer than nothing, like 7d.")),
        Err(e) => return Ok(Reply::text(format!("--since: {e}"))),
    };
    let groups = ctx.pipeline.knowledge_gaps(ctx.now - back).await?;
    Ok(Reply::text(describe(
        &groups,
        EXAMPLES,
        &format!("in the last {}", a.since.trim()),
    )))
}
