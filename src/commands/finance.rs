//! `/ops finance [today|week|month]`: the ledger's figures since local midnight, Monday or the 1st
//! (in `finance.timezone`), up to now.

use super::CommandCtx;
use crate::domain::Reply;
use crate::domain::finance_report::report;
use crate::domain::ports::StoreError;
use crate::finance::report::text;
use crate::finance::schedule::period;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// today, week (since Monday) or month (since the 1st).
    #[arg(default_value = "today", value_parser = ["today", "week", "month"])]
    pub period: String,
}

pub async fn run(ctx: &CommandCtx<'_>, a: &Args) -> Result<Reply, StoreError> {
    let tz = ctx.pipeline.settings.finance.tz();
    let (from, to) = period(tz, &a.period, ctx.now).map_err(|e| StoreError::Other(e.0))?;
    let r = report(&ctx.pipeline.store.finance_ledger().await?, from, to);
    Ok(Reply::text(format!(
        "```\n{}\n```",
        text(&r, tz, Some(&a.period))
    )))
}
