//! `/ops audit [N]`: the newest entries of the append-only audit log.

use super::CommandCtx;
use crate::domain::Reply;
use crate::domain::ports::StoreError;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// How many entries, newest first.
    #[arg(default_value_t = 20)]
    pub n: i64,
}

/// `2026-11-26 01:02` (UTC) from epoch milliseconds.
fn when(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}",
        rem / 3600,
        (rem % 3600) / 60
    )
}

pub async fn run(ctx: &CommandCtx<'_>, a: &Args) -> Result<Reply, StoreError> {
    let entries = ctx.pipeline.store.audit_recent(a.n.clamp(1, 200)).await?;
    if entries.is_empty() {
        return Ok(Reply::text("The audit log is empty."));
    }
    let lines: Vec<String> = entries
        .iter()
        .map(|e| {
            let detail: String = e.detail.chars().take(80).collect();
            format!(
                "{}  {:<18} {:<24} {}  {}",
                when(e.at),
                e.actor,
                e.action,
                e.subject,
                detail
            )
        })
        .collect();
    Ok(Reply::text(format!("```\n{}\n```", lines.join("\n"))))
}

#[cfg(test)]
mod tests {
    #[test]
    fn epoch_milliseconds_read_as_utc_dates() {
        assert_eq!(super::when(0), "1970-01-01 00:00");
        assert_eq!(super::when(1_795_655_775_499), "2026-11-26 01:16");
        assert_eq!(super::when(951_782_400_000), "2000-02-29 00:00");
    }
}
