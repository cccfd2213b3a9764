//! `/ops alerts [--firing] [--since 2h] [-n N]`: every alert group opsdesk holds, newest change first —
//! including those folded away or never posted, so nothing is lost from view.

use super::CommandCtx;
use crate::domain::Reply;
use crate::domain::human_duration;
use crate::domain::ports::StoreError;

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

/// `45s`, `30m`, `2h`, `1d` → milliseconds.
pub fn parse_duration(s: &str) -> Result<i64, String> {
    let (n, unit) = s.trim().split_at(
        s.trim()
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(s.trim().len()),
    );
    let n: i64 = n
        .parse()
        .map_err(|_| format!("{s:?} is not a duration like 30m, 2h or 1d"))?;
    let ms = match unit {
        "s" => 1_000,
        "m" => 60_000,
        "h" => 3_600_000,
        "d" => 86_400_000,
        _ => return Err(format!("{s:?} is not a duration like 30m, 2h or 1d")),
    };
    Ok(n * ms)
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

#[cfg(test)]
mod tests {
    use super::parse_duration;

    #[test]
    fn durations_parse_with_their_unit() {
        assert_eq!(parse_duration("30m"), Ok(1_800_000));
        assert_eq!(parse_duration("2h"), Ok(7_200_000));
        assert!(
            parse_duration("2 weeks")
                .unwrap_err()
                .contains("not a duration")
        );
        assert!(parse_duration("h").is_err());
    }
}
