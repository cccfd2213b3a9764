//! `/ops metrics [--days N]`: per tier, tickets, resolution rate, first-response and resolve times, cost
//! per ticket and per resolved ticket, CSAT; messages ignored as spam; then each LLM agent's spending this
//! month against its budget.

use super::CommandCtx;
use crate::domain::AuditAction;
use crate::domain::Reply;
use crate::domain::human_duration;
use crate::domain::ports::{LlmUsage, StoreError, TierStats};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Period to report, in days back from now.
    #[arg(long, default_value_t = 30)]
    pub days: i64,
}

pub async fn run(ctx: &CommandCtx<'_>, a: &Args) -> Result<Reply, StoreError> {
    let since = ctx.now - a.days.max(1) * 86_400_000;
    let stats = ctx.pipeline.store.tier_stats(since, i64::MAX).await?;
    let spam = ctx
        .pipeline
        .store
        .audit_count(&AuditAction::SpamIgnored, since)
        .await?;
    let mut s = if stats.is_empty() {
        format!("No tickets in the last {} days.\n", a.days)
    } else {
        tiers(&stats, a.days)
    };
    s.push_str(&format!("Spam ignored (no ticket, no reply): {spam}\n"));
    // Agents spend without tickets too (the assistant, infra notes): their spending always shows.
    let (month_start, month) = crate::pipeline::month_of(ctx.now);
    let spent = ctx.pipeline.store.llm_totals(month_start).await?;
    if !spent.is_empty() {
        s.push_str(&llm_table(ctx, &spent, &month));
    }
    Ok(Reply::text(s.trim_end().to_string()))
}

fn tiers(stats: &[TierStats], days: i64) -> String {
    let total: i64 = stats.iter().map(|s| s.tickets).sum();
    let mut s = format!(
        "Last {days} days, {total} tickets\ntier    tickets  share  resolved  first reply  to resolve  cost/ticket  cost/resolved  CSAT\n",
    );
    let usd = |micros: i64, n: i64| {
        if n == 0 {
            "-".to_string()
        } else {
            format!("${:.4}", micros as f64 / 1e6 / n as f64)
        }
    };
    let pct = |n: i64, d: i64| {
        if d == 0 {
            0.0
        } else {
            100.0 * n as f64 / d as f64
        }
    };
    let dur = |v: Option<f64>| v.map_or("-".to_string(), |ms| human_duration(ms as i64));
    for t in stats {
        s.push_str(&format!(
            "{:<7} {:>7} {:>5.0}% {:>8.0}% {:>12} {:>11} {:>12} {:>14}  {}\n",
            t.tier,
            t.tickets,
            pct(t.tickets, total),
            pct(t.resolved, t.tickets),
            dur(t.avg_first_response_ms),
            dur(t.avg_resolve_ms),
            usd(t.cost_micros, t.tickets),
            usd(t.cost_micros, t.resolved),
            t.avg_csat
                .map_or("-".to_string(), |c| format!("{c:.1}/5 ({})", t.ratings)),
        ));
    }
    s
}

fn llm_table(ctx: &CommandCtx<'_>, spent: &[LlmUsage], month: &str) -> String {
    let mut s = format!(
        "\nLLM in {month}\nagent      calls  prompt tok  completion tok      cost  budget\n"
    );
    for u in spent {
        let budget = ctx
            .pipeline
            .settings
            .llm
            .agents
            .get(&u.agent)
            .map_or(0, |a| a.monthly_budget_micro_usd);
        let cap = if budget == 0 {
            "no cap".to_string()
        } else {
            format!(
                "{:.0}% of ${:.2}",
                100.0 * u.cost_micros as f64 / budget as f64,
                budget as f64 / 1e6
            )
        };
        s.push_str(&format!(
            "{:<9} {:>6} {:>11} {:>15} {:>9}  {cap}\n",
            u.agent,
            u.calls,
            u.input_tokens,
            u.output_tokens,
            format!("${:.4}", u.cost_micros as f64 / 1e6),
        ));
    }
    s
}
