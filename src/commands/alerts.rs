//! `/ops alerts [--firing] [--since 2h] [--service S] [--severity S] [-n N] [--page P]`: every alert
//! group opsdesk holds, newest change first, a page at a time — including those folded into a storm
//! card or never posted, so every group can be reached.

use super::CommandCtx;
use crate::domain::Reply;
use crate::domain::alert::AlertGroup;
use crate::domain::human_duration;
use crate::domain::ports::StoreError;
use crate::domain::time::parse_duration;

/// Groups read for one listing; far above what a channel ever holds at once.
const MOST: i64 = 100_000;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Only groups that are firing now.
    #[arg(long)]
    pub firing: bool,
    /// Only groups that changed within this long: 30m, 2h, 1d.
    #[arg(long, value_parser = parse_duration)]
    pub since: Option<i64>,
    /// Only groups whose `service` label is this.
    #[arg(long)]
    pub service: Option<String>,
    /// Only groups of this severity (critical, warning …).
    #[arg(long)]
    pub severity: Option<String>,
    /// Groups per page (at most 200).
    #[arg(short = 'n', long, default_value_t = 30)]
    pub limit: i64,
    /// Which page, from 1.
    #[arg(long, default_value_t = 1)]
    pub page: i64,
}

impl Args {
    fn keeps(&self, g: &AlertGroup, now: i64) -> bool {
        self.since.is_none_or(|s| g.last_change >= now - s)
            && self
                .service
                .as_ref()
                .is_none_or(|s| g.labels.get("service") == Some(s))
            && self
                .severity
                .as_ref()
                .is_none_or(|s| g.severity.eq_ignore_ascii_case(s))
    }

    /// The same listing's next page, as a command to type.
    fn next(&self, page: i64) -> String {
        let mut c = String::from("/ops alerts");
        if self.firing {
            c.push_str(" --firing");
        }
        for (flag, v) in [("--service", &self.service), ("--severity", &self.severity)] {
            if let Some(v) = v {
                c.push_str(&format!(" {flag} {v}"));
            }
        }
        if self.since.is_some() || self.limit != 30 {
            c.push_str(" …");
        }
        format!("{c} --page {page}")
    }
}

pub async fn run(ctx: &CommandCtx<'_>, a: &Args) -> Result<Reply, StoreError> {
    let groups: Vec<AlertGroup> = ctx
        .pipeline
        .store
        .alert_groups(a.firing, MOST)
        .await?
        .into_iter()
        .filter(|g| a.keeps(g, ctx.now))
        .collect();
    if groups.is_empty() {
        return Ok(Reply::text(if a.firing {
            "Nothing is firing."
        } else {
            "No alerts yet."
        }));
    }
    let per = a.limit.clamp(1, 200) as usize;
    let pages = groups.len().div_ceil(per) as i64;
    let page = a.page.clamp(1, pages);
    let mut s = String::from("#     status    severity  firing/resolved  for       where  title\n");
    for g in groups.iter().skip((page - 1) as usize * per).take(per) {
        let place = if g.card.is_some() {
            "card"
        } else if g.storm.is_some() {
            "storm"
        } else {
            "-"
        };
        s.push_str(&format!(
            "#{:<4} {:<9} {:<9} {:<16} {:<9} {:<6} {}\n",
            g.id,
            if g.firing { "firing" } else { "resolved" },
            g.severity,
            format!("{}/{}", g.firing_count, g.resolved_count),
            human_duration(g.duration(ctx.now)),
            place,
            g.title.chars().take(80).collect::<String>()
        ));
    }
    let mut foot = format!("Page {page} of {pages} ({} groups).", groups.len());
    if page < pages {
        foot.push_str(&format!(" Next: `{}`", a.next(page + 1)));
    }
    Ok(Reply::text(format!("```\n{s}```\n{foot}")))
}
