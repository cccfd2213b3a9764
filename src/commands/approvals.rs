//! `/ops approvals [--all] [-n N]`: requests waiting for sign-off (or all recent ones), with votes and expiry.

use super::CommandCtx;
use crate::domain::human_duration;
use crate::domain::ports::StoreError;
use crate::domain::{ApprovalState, Reply};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Include decided, run and expired requests.
    #[arg(long)]
    pub all: bool,
    /// How many to show.
    #[arg(short = 'n', long, default_value_t = 20)]
    pub limit: i64,
}

pub async fn run(ctx: &CommandCtx<'_>, a: &Args) -> Result<Reply, StoreError> {
    let states = if a.all {
        vec![]
    } else {
        vec![ApprovalState::Pending]
    };
    let list = ctx
        .pipeline
        .store
        .approvals(&states, a.limit.clamp(1, 200))
        .await?;
    if list.is_empty() {
        return Ok(Reply::text(if a.all {
            "No sign-off requests yet."
        } else {
            "Nothing is waiting for sign-off."
        }));
    }
    let mut s =
        String::from("#                 state      votes  expires   requested by       action\n");
    for x in list {
        let expires = if x.state == ApprovalState::Pending {
            human_duration(x.expires_at - ctx.now)
        } else {
            "-".into()
        };
        s.push_str(&format!(
            "#{:<16} {:<10} {:<6} {:<9} {:<18} {}\n",
            x.id,
            x.state.as_str(),
            format!("{}/{}", x.approved_by.len(), x.quorum),
            expires,
            x.requested_by,
            x.summary.chars().take(60).collect::<String>()
        ));
    }
    Ok(Reply::text(format!("```\n{}```", s)))
}
