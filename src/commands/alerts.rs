//! `/ops alerts [--firing] [--since 2h] [-n N]`: every alert group opsdesk holds, newest change first —
//! including those folded away or never posted, so nothing is lost from view.

use super::CommandCtx;
use crate::domain::Reply;
use crate::domain::human_duration;
use crate::domain::ports::StoreError;
use crate::domain::time::parse_duration;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Only groups that are firing now.
    #[arg(long)]
    pub firing: bool,
    /// Only groups that changed within this long: 30m, 2h, 1d.
    #[arg(long, value_parser = parse_duration)]
    pub since: Option<i64>,
    /// How many to show.
    #[arg(short = 'n', long, default_value_t = 30)]
    pub limit: i64,
}

pub async fn run(ctx: &CommandCtx<'_>, a: &Args) -> Result<Reply, StoreError> {
    let groups = ctx.pipeline.store.alert_groups(a.firing, 500).await?;
    let shown: Vec<_> = groups
        .into_iter()
        .filter(|g| a.since.is_none_or(|s| g.last_change >= ctx.now - s))
        .take(a.limit.clamp(1, 200) as usize)
        .collect();
    if shown.is_empty() {
        return Ok(Reply::text(if a.firing {
            "Nothing is firing."
        } else {
            "No alerts yet."
        }));
    }
    let mut s = String::from("#     status    severity  firing/resolved  for       title\n");
    for g in shown {
        s.push_str(&format!(
            "#{:<4} {:<9} {:<9} {:<16} {:<9} {}\n",
            g.id,
            if g.firing { "firing" } else { "resolved" },
            g.severity,
            format!("{}/{}", g.firing_count, g.resolved_count),
            human_duration(g.duration(ctx.now)),
            g.title.chars().take(60).collect::<String>()
        ));
    }
    Ok(Reply::text(format!("```\n{}```", s)))
}
