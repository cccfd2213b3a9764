//! Coupons and the discounts that give them to a customer, a subscription, one subscription item or an
//! invoice, and when a discount applies: from its start until its end (a `repeating` coupon's months),
//! for the first billing period only (`once`), or until removed (`forever`). Pure.

use super::Millis;
use serde::{Deserialize, Serialize};

/// What a coupon takes off, and for how long (`coupon.created` / `coupon.updated`; a deleted coupon's
/// terms still hold for the discounts already given).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Coupon {
    pub id: String,
    /// Percent off in basis points (25.5 % → 2550).
    pub percent_off_bp: Option<i64>,
    /// Minor units off each invoice, in `currency`.
    pub amount_off: Option<i64>,
    pub currency: Option<String>,
    /// `once`, `repeating` or `forever`.
    pub duration: String,
    pub duration_in_months: Option<i64>,
    pub at: Millis,
}

/// A coupon given to a customer (`customer.discount.*`); it reduces that customer's subscriptions, or one
/// subscription, one of its items, or one invoice (which is not recurring revenue).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grant {
    pub id: String,
    pub customer: Option<String>,
    pub subscription: Option<String>,
    pub item: Option<String>,
    /// Set for a discount on one invoice or invoice item.
    pub invoice: Option<String>,
    pub coupon: String,
    /// The coupon's terms when the event carries the whole coupon (older API versions).
    pub terms: Option<Coupon>,
    pub start: Millis,
    /// When Stripe says it ends (a `repeating` coupon's last month).
    pub end: Option<Millis>,
    /// When it was removed (`customer.discount.deleted`).
    pub deleted_at: Option<Millis>,
    pub at: Millis,
}

/// A discount ready to apply: its terms and the window in which it applies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Off {
    pub id: Option<String>,
    pub percent_off_bp: Option<i64>,
    pub amount_off: Option<i64>,
    pub currency: Option<String>,
    pub start: Option<Millis>,
    /// The end Stripe gave, or the one its duration implies (`None`: until removed).
    pub end: Option<Millis>,
    /// A `once` coupon: it applies to the first billing period from `start`, whatever removes it later
    /// (Stripe removes a `once` discount as soon as it has been used).
    pub once: bool,
    pub removed: Option<Millis>,
}

impl Off {
    /// A discount with its coupon's terms (`None` when the coupon is unknown).
    pub fn of(g: &Grant, coupon: Option<&Coupon>) -> Option<Off> {
        let c = g.terms.as_ref().or(coupon)?;
        let months = (c.duration == "repeating")
            .then_some(c.duration_in_months)
            .flatten();
        Some(Off {
            id: Some(g.id.clone()),
            percent_off_bp: c.percent_off_bp,
            amount_off: c.amount_off,
            currency: c.currency.clone(),
            start: Some(g.start),
            end: g.end.or(months.map(|n| add_months(g.start, n))),
            once: c.duration == "once",
            removed: g.deleted_at,
        })
    }

    /// Whether it reduces a subscription billed every `interval` × `count` at `t`.
    pub fn applies(&self, t: Millis, interval: &str, count: i64) -> bool {
        let Some(start) = self.start else {
            return self.end.is_none_or(|e| e > t);
        };
        if t < start {
            return false;
        }
        if self.once {
            return t < self
                .end
                .unwrap_or_else(|| next_bill(start, interval, count));
        }
        self.end.is_none_or(|e| e > t) && self.removed.is_none_or(|r| r > t)
    }

    /// Monthly amount ×1000 after this discount, for an amount per month ×1000 whose price is billed
    /// every `interval` × `count` in `currency` (an amount off is normalised to a month like the price).
    pub fn reduce(
        &self,
        milli: i128,
        per_month_milli: impl Fn(i64) -> i128,
        currency: &str,
    ) -> i128 {
        let mut m = milli;
        if let Some(bp) = self.percent_off_bp {
            m = m * (10_000 - bp.clamp(0, 10_000)) as i128 / 10_000;
        }
        if let Some(off) = self.amount_off
            && self.currency.as_deref().is_none_or(|c| c == currency)
        {
            m -= per_month_milli(off);
        }
        m.max(0)
    }
}

/// The start of the second billing period of a price billed every `interval` × `count` from `start`.
pub fn next_bill(start: Millis, interval: &str, count: i64) -> Millis {
    let n = count.max(1);
    match interval {
        "day" => start + n * 86_400_000,
        "week" => start + n * 7 * 86_400_000,
        "year" => add_months(start, 12 * n),
        _ => add_months(start, n),
    }
}

/// `t` plus `n` calendar months (UTC), the day clamped to the month's last (Jan 31 + 1 → Feb 28).
pub fn add_months(t: Millis, n: i64) -> Millis {
    let day_ms = 86_400_000;
    let (days, rest) = (t.div_euclid(day_ms), t.rem_euclid(day_ms));
    let (y, m, d) = civil(days);
    let months = y * 12 + (m - 1) + n;
    let (y2, m2) = (months.div_euclid(12), months.rem_euclid(12) + 1);
    let last = days_of(y2, m2 + 1, 1) - days_of(y2, m2, 1);
    days_of(y2, m2, d.min(last)) * day_ms + rest
}

/// Days since 1970-01-01 of a proleptic Gregorian date (month may be 13: January of the next year).
fn days_of(y: i64, m: i64, d: i64) -> i64 {
    let (y, m) = if m > 12 { (y + 1, m - 12) } else { (y, m) };
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((m + 9) % 12) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The (year, month, day) of a day count since 1970-01-01.
fn civil(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + (m <= 2) as i64, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;
    const DAY: Millis = 86_400_000;

    #[test]
    fn calendar_months_are_added_with_the_day_clamped() {
        let jan31 = days_of(2026, 1, 31) * DAY;
        assert_eq!(civil(jan31 / DAY), (2026, 1, 31));
        assert_eq!(add_months(jan31, 1), days_of(2026, 2, 28) * DAY);
        assert_eq!(add_months(jan31, 13), days_of(2027, 2, 28) * DAY);
        assert_eq!(
            add_months(days_of(2024, 1, 31) * DAY, 1),
            days_of(2024, 2, 29) * DAY
        );
        assert_eq!(
            add_months(days_of(2026, 11, 15) * DAY + 5, 3),
            days_of(2027, 2, 15) * DAY + 5
        );
        assert_eq!(days_of(1970, 1, 1), 0);
        assert_eq!(next_bill(0, "week", 2), 14 * DAY);
    }

    fn off(duration: &str, months: Option<i64>) -> Off {
        let c = Coupon {
            id: "c".into(),
            percent_off_bp: Some(2000),
            duration: duration.into(),
            duration_in_months: months,
            ..Default::default()
        };
        let g = Grant {
            id: "di".into(),
            start: 10 * DAY,
            deleted_at: Some(11 * DAY),
            ..Default::default()
        };
        Off::of(&g, Some(&c)).unwrap()
    }

    #[test]
    fn each_duration_applies_for_its_window() {
        let once = off("once", None);
        assert!(!once.applies(9 * DAY, "month", 1));
        assert!(once.applies(10 * DAY, "month", 1), "from its start");
        assert!(
            once.applies(40 * DAY, "month", 1),
            "the first month, though removed on day 11"
        );
        assert!(!once.applies(41 * DAY, "month", 1), "not the second");
        assert!(
            once.applies(300 * DAY, "year", 1),
            "a yearly price's first year"
        );
        let forever = off("forever", None);
        assert!(forever.applies(10 * DAY, "month", 1));
        assert!(!forever.applies(11 * DAY, "month", 1), "until removed");
        let mut repeating = off("repeating", Some(2));
        repeating.removed = None;
        assert_eq!(repeating.end, Some(add_months(10 * DAY, 2)));
        assert!(repeating.applies(add_months(10 * DAY, 2) - 1, "month", 1));
        assert!(!repeating.applies(add_months(10 * DAY, 2), "month", 1));
        assert_eq!(Off::of(&Grant::default(), None), None, "an unknown coupon");
    }

    #[test]
    fn percent_and_amount_off_reduce_a_monthly_amount() {
        let mut o = off("forever", None);
        assert_eq!(o.reduce(10_000_000, |a| a as i128 * 1000, "usd"), 8_000_000);
        o.percent_off_bp = None;
        o.amount_off = Some(500);
        o.currency = Some("usd".into());
        assert_eq!(o.reduce(10_000_000, |a| a as i128 * 1000, "usd"), 9_500_000);
        assert_eq!(
            o.reduce(10_000_000, |a| a as i128 * 1000, "eur"),
            10_000_000
        );
        assert_eq!(
            o.reduce(100_000, |a| a as i128 * 1000, "usd"),
            0,
            "never below 0"
        );
    }
}
