//! The finance report as text: money in its currency's major units (from integer minor units, never
//! through floats), percentages from basis points, one block per currency; and dates on the command line.

use crate::domain::Millis;
use crate::domain::finance_report::{CurrencyReport, Report};

pub use super::money::money;

/// Basis points → `2.5 %`.
pub fn percent(bp: i64) -> String {
    format!("{}.{} %", bp / 100, (bp % 100).abs() / 10)
}

/// `YYYY-MM-DD` (UTC midnight) → epoch milliseconds.
pub fn parse_date(s: &str) -> Result<Millis, crate::domain::Refusal> {
    let d = chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|e| format!("{s:?} is not a date like 2026-11-01: {e}"))?;
    Ok(d.and_hms_opt(0, 0, 0)
        .expect("midnight exists")
        .and_utc()
        .timestamp_millis())
}

/// The calendar date of `ms` in `tz`.
pub fn date_in(tz: chrono_tz::Tz, ms: Millis) -> String {
    chrono::DateTime::from_timestamp_millis(ms).map_or_else(String::new, |t| {
        t.with_timezone(&tz).format("%Y-%m-%d").to_string()
    })
}

/// The calendar date of `ms` in UTC.
pub fn date(ms: Millis) -> String {
    date_in(chrono_tz::UTC, ms)
}

fn block(r: &CurrencyReport) -> String {
    let m = |v: i64| money(v, &r.currency);
    [
        r.currency.to_uppercase(),
        format!("  MRR                {}  (from {}; ARR {})", m(r.mrr), m(r.mrr_start), m(r.arr)),
        format!(
            "  MRR movement       new {} · expansion {} · reactivation {} · contraction -{} · churned -{} = net {}",
            m(r.new_mrr),
            m(r.expansion_mrr),
            m(r.reactivation_mrr),
            m(r.contraction_mrr),
            m(r.churned_mrr),
            m(r.net_new_mrr)
        ),
        format!("  Paying customers   {} (from {}); {} churned", r.customers, r.customers_start, r.churned_customers),
        format!("  Churn              logo {} · revenue {}", percent(r.logo_churn_bp), percent(r.revenue_churn_bp)),
        format!(
            "  Cash               charges {} · refunds -{} · net {}",
            m(r.cash_gross),
            m(r.refunds_amount),
            m(r.cash_net)
        ),
        format!(
            "  Failed payments    {} outstanding ({}); {} recovered ({})",
            r.failed_outstanding,
            m(r.failed_outstanding_amount),
            r.recovered,
            m(r.recovered_amount)
        ),
        format!("  Refunds            {} ({})", r.refunds, m(r.refunds_amount)),
        format!("  Disputes           {} ({})", r.disputes, m(r.disputes_amount)),
        format!("  Annual plans       recognised {} · deferred {}", m(r.recognised_annual), m(r.deferred_annual)),
    ]
    .join("\n")
}

/// `▲ 95.00 USD` / `▼ 4.00 USD` / `= ` against the previous period.
fn change(now: i64, before: i64, currency: &str) -> String {
    match now.cmp(&before) {
        std::cmp::Ordering::Greater => format!("▲ {}", money(now - before, currency)),
        std::cmp::Ordering::Less => format!("▼ {}", money(before - now, currency)),
        std::cmp::Ordering::Equal => "unchanged".into(),
    }
}

/// A digest's text: each currency's headline figures with their change against the previous period.
pub fn digest(cur: &Report, prev: &Report) -> String {
    if cur.currencies.is_empty() {
        return "No Stripe data yet: point a Stripe webhook at /hooks/stripe.".into();
    }
    let empty = CurrencyReport::default();
    cur.currencies
        .iter()
        .map(|r| {
            let p = prev.currencies.iter().find(|p| p.currency == r.currency).unwrap_or(&empty);
            let m = |v: i64| money(v, &r.currency);
            let c = |a: i64, b: i64| change(a, b, &r.currency);
            [
                format!("*{}* MRR {} ({}) · ARR {}", r.currency.to_uppercase(), m(r.mrr), c(r.mrr, r.mrr_start), m(r.arr)),
                format!(
                    "New {} · expansion {} · reactivation {} · contraction {} · churned {} ({} customer{})",
                    m(r.new_mrr),
                    m(r.expansion_mrr),
                    m(r.reactivation_mrr),
                    m(r.contraction_mrr),
                    m(r.churned_mrr),
                    r.churned_customers,
                    if r.churned_customers == 1 { "" } else { "s" }
                ),
                format!(
                    "Cash: charges {} · refunds -{} · net {} ({} vs the period before)",
                    m(r.cash_gross),
                    m(r.refunds_amount),
                    m(r.cash_net),
                    c(r.cash_net, p.cash_net)
                ),
                format!(
                    "At risk: {} failed payment{} outstanding ({}); {} recovered ({})",
                    r.failed_outstanding,
                    if r.failed_outstanding == 1 { "" } else { "s" },
                    m(r.failed_outstanding_amount),
                    r.recovered,
                    m(r.recovered_amount)
                ),
                format!("Refunds {} ({}) · disputes {} ({})", r.refunds, m(r.refunds_amount), r.disputes, m(r.disputes_amount)),
                format!("Annual plans: recognised {} · deferred {}", m(r.recognised_annual), m(r.deferred_annual)),
            ]
            .join("\n")
        })
        .chain((cur.late_events > 0).then(|| late(cur.late_events)))
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// The digest's note on events that entered the ledger without a card.
fn late(n: i64) -> String {
    format!(
        "{n} late Stripe event{} (failed payments, disputes: retries or replays) went into the ledger without a card.",
        if n == 1 { "" } else { "s" }
    )
}

/// What a report covers, in `tz`. A period up to now (`so_far`: today, this week, this month) says so
/// with its start and the time it ends: "today so far, 00:00 → 14:05 UTC"; whole days are named
/// first to last: "2026-03-01 – 2026-03-31 (whole days, UTC)".
pub fn covers(tz: chrono_tz::Tz, from: Millis, to: Millis, so_far: Option<&str>) -> String {
    let at = |ms: Millis, f: &str| {
        chrono::DateTime::from_timestamp_millis(ms)
            .map_or_else(String::new, |t| t.with_timezone(&tz).format(f).to_string())
    };
    if let Some(name) = so_far {
        let start = if date_in(tz, from) == date_in(tz, to) {
            at(from, "%H:%M")
        } else {
            at(from, "%a %Y-%m-%d %H:%M")
        };
        let name = if name == "today" {
            "today".to_string()
        } else {
            format!("this {name}")
        };
        return format!("{name} so far, {start} → {} {tz}", at(to, "%H:%M"));
    }
    let midnight = |ms: Millis| at(ms, "%H:%M:%S.%3f") == "00:00:00.000";
    if midnight(from) && midnight(to) {
        format!(
            "{} – {} (whole days, {tz})",
            date_in(tz, from),
            date_in(tz, to - 1)
        )
    } else {
        format!(
            "{} → {} {tz}",
            at(from, "%Y-%m-%d %H:%M"),
            at(to, "%Y-%m-%d %H:%M")
        )
    }
}

/// The report as text, its dates in `tz` (`so_far`: the period ends now; see [`covers`]).
pub fn text(r: &Report, tz: chrono_tz::Tz, so_far: Option<&str>) -> String {
    let head = format!("Finance {}", covers(tz, r.from, r.to, so_far));
    if r.currencies.is_empty() {
        return format!("{head}\nNo Stripe data yet: point a Stripe webhook at /hooks/stripe.");
    }
    std::iter::once(head)
        .chain(r.currencies.iter().map(block))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_is_exact_and_grouped_per_currency() {
        assert_eq!(percent(250), "2.5 %");
        assert_eq!(parse_date("2026-11-01"), Ok(1_793_491_200_000));
        assert!(parse_date("November").unwrap_err().0.contains("not a date"));
    }

    #[test]
    fn the_digest_counts_late_events_and_shows_cash_three_ways() {
        let r = |late_events, gross| Report {
            from: 0,
            to: 1,
            currencies: vec![CurrencyReport {
                currency: "usd".into(),
                cash_gross: gross,
                refunds_amount: 500,
                cash_net: gross - 500,
                ..Default::default()
            }],
            late_events,
        };
        let text = digest(&r(2, 10_000), &r(0, 8000));
        assert!(
            text.contains(
                "Cash: charges 100.00 USD · refunds -5.00 USD · net 95.00 USD (▲ 20.00 USD"
            ),
            "{text}"
        );
        assert!(text.contains("2 late Stripe events"), "{text}");
        assert!(!digest(&r(0, 1), &r(0, 1)).contains("late"));
    }

    #[test]
    fn a_heading_says_what_the_period_covers() {
        let utc = chrono_tz::UTC;
        let day = parse_date("2026-03-05").unwrap();
        let now = day + (14 * 60 + 5) * 60_000;
        assert_eq!(
            covers(utc, day, now, Some("today")),
            "today so far, 00:00 → 14:05 UTC"
        );
        let monday = parse_date("2026-03-02").unwrap();
        assert_eq!(
            covers(utc, monday, now, Some("week")),
            "this week so far, Mon 2026-03-02 00:00 → 14:05 UTC"
        );
        let april = parse_date("2026-04-01").unwrap();
        assert_eq!(
            covers(utc, parse_date("2026-03-01").unwrap(), april, None),
            "2026-03-01 – 2026-03-31 (whole days, UTC)"
        );
        assert_eq!(
            covers(utc, day, now, None),
            "2026-03-05 00:00 → 2026-03-05 14:05 UTC"
        );
    }
}
