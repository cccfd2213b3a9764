//! The ledger's records as the finance figures need them — subscriptions (each version, as of the time
//! Stripe says it changed), invoices, charges, refunds, disputes — and a subscription's monthly recurring
//! revenue. Money is integer minor units with its currency; percentages are basis points. Pure.

use super::Millis;
pub use super::finance_discount::{Coupon, Grant, Off};
use serde::{Deserialize, Serialize};

/// One priced line of a subscription.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubItem {
    /// The subscription item's id (`si_…`), which item discounts name.
    #[serde(default)]
    pub id: String,
    /// Ids of the discounts on this item alone.
    #[serde(default)]
    pub discounts: Vec<String>,
    pub price: String,
    pub product: String,
    /// Minor units per unit per interval.
    pub unit_amount: i64,
    /// `day`, `week`, `month` or `year`.
    pub interval: String,
    pub interval_count: i64,
    pub quantity: i64,
}

impl SubItem {
    /// The item's amount per month, in minor units ×1000 (kept exact until the subscription's total is rounded).
    fn monthly_milli(&self) -> i128 {
        self.per_month_milli(self.unit_amount * self.quantity.max(0))
    }

    /// An amount billed at this item's interval, per month, in minor units ×1000.
    fn per_month_milli(&self, amount: i64) -> i128 {
        let per_interval = amount as i128 * 1000;
        let n = self.interval_count.max(1) as i128;
        match self.interval.as_str() {
            "day" => per_interval * 365 / (12 * n),
            "week" => per_interval * 52 / (12 * n),
            "year" => per_interval / (12 * n),
            _ => per_interval / n,
        }
    }
}

/// A discount a subscription event carries whole (API versions before 2025-09-30): a percentage
/// (basis points) or an amount off per invoice.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Discount {
    pub percent_off_bp: Option<i64>,
    pub amount_off: Option<i64>,
    /// When it stops applying (`None`: forever).
    pub ends_at: Option<Millis>,
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub currency: Option<String>,
    #[serde(default)]
    pub start: Option<Millis>,
    /// A `once` coupon: the first billing period only.
    #[serde(default)]
    pub once: bool,
}

impl Discount {
    pub fn off(&self) -> Off {
        Off {
            id: self.id.clone(),
            percent_off_bp: self.percent_off_bp,
            amount_off: self.amount_off,
            currency: self.currency.clone(),
            start: self.start,
            end: self.ends_at,
            once: self.once,
            removed: None,
        }
    }
}

/// A subscription as one event left it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubVersion {
    pub id: String,
    pub customer: String,
    pub status: String,
    pub currency: String,
    pub items: Vec<SubItem>,
    pub discount: Option<Discount>,
    /// Ids of the subscription's discounts (API 2025-09-30 and later name them; `customer.discount.*`
    /// events carry them).
    #[serde(default)]
    pub discounts: Vec<String>,
    pub trial_end: Option<Millis>,
    pub cancel_at_period_end: bool,
    pub created: Millis,
    pub ended_at: Option<Millis>,
    /// When Stripe says this version came about (the event's creation time), and a tie-break for
    /// versions within one second (created < updated < deleted).
    pub at: Millis,
    pub rank: i64,
}

impl SubVersion {
    /// Monthly recurring revenue at `t` with the discount the subscription carries whole (see
    /// [`SubVersion::mrr_with`]).
    pub fn mrr(&self, t: Millis) -> i64 {
        self.mrr_with(t, &[], &|_| vec![])
    }

    /// Monthly recurring revenue at `t` in minor units: active and past-due subscriptions only (a trial
    /// is not revenue), each item normalised to a month (annual ÷ 12, quantity) less its own discounts,
    /// then the subscription's discounts (`offs` besides the one it carries) in the order they started.
    pub fn mrr_with(
        &self,
        t: Millis,
        offs: &[Off],
        item_offs: &dyn Fn(&SubItem) -> Vec<Off>,
    ) -> i64 {
        if !matches!(self.status.as_str(), "active" | "past_due")
            || self.ended_at.is_some_and(|e| e <= t)
        {
            return 0;
        }
        let Some(first) = self.items.first() else {
            return 0;
        };
        let applies = |o: &Off, i: &SubItem| o.applies(t, &i.interval, i.interval_count);
        let mut milli: i128 = 0;
        for item in &self.items {
            let mut m = item.monthly_milli();
            for o in item_offs(item).iter().filter(|o| applies(o, item)) {
                m = o.reduce(m, |a| item.per_month_milli(a), &self.currency);
            }
            milli += m;
        }
        let mut all: Vec<Off> = self.discount.iter().map(Discount::off).collect();
        all.extend(
            offs.iter()
                .filter(|o| o.id.is_none() || !all.iter().any(|a| a.id == o.id))
                .cloned()
                .collect::<Vec<_>>(),
        );
        all.sort_by_key(|o| o.start);
        for o in all.iter().filter(|o| applies(o, first)) {
            // An amount off each invoice, normalised to a month like the price it reduces.
            milli = o.reduce(milli, |a| first.per_month_milli(a), &self.currency);
        }
        ((milli.max(0) + 500) / 1000) as i64
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceLine {
    pub amount: i64,
    /// What discounts took off this line (its `discount_amounts`).
    #[serde(default)]
    pub discount: i64,
    pub period_start: Millis,
    pub period_end: Millis,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invoice {
    pub id: String,
    pub customer: String,
    pub subscription: Option<String>,
    pub status: String,
    pub currency: String,
    pub amount_due: i64,
    pub amount_paid: i64,
    pub attempt_count: i64,
    pub created: Millis,
    pub paid_at: Option<Millis>,
    /// When a payment of it first failed (kept once set).
    pub failed_at: Option<Millis>,
    /// When it was voided or marked uncollectible.
    #[serde(default)]
    pub closed_at: Option<Millis>,
    pub lines: Vec<InvoiceLine>,
    pub at: Millis,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Charge {
    pub id: String,
    pub customer: Option<String>,
    pub invoice: Option<String>,
    pub amount: i64,
    pub amount_refunded: i64,
    pub currency: String,
    pub status: String,
    pub created: Millis,
    pub at: Millis,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refund {
    pub id: String,
    pub charge: Option<String>,
    pub amount: i64,
    pub currency: String,
    pub status: String,
    pub created: Millis,
    pub at: Millis,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dispute {
    pub id: String,
    pub charge: Option<String>,
    pub amount: i64,
    pub currency: String,
    pub status: String,
    pub reason: String,
    pub created: Millis,
    pub at: Millis,
}

/// A price of the catalogue (what subscription items point at).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Price {
    pub id: String,
    pub product: String,
    pub currency: String,
    pub unit_amount: i64,
    /// `None` for a one-time price.
    pub interval: Option<String>,
    pub interval_count: i64,
    pub active: bool,
    pub at: Millis,
}

/// One object an event carries, ready for the ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Record {
    Customer {
        id: String,
        email: Option<String>,
        name: Option<String>,
        deleted: bool,
        at: Millis,
    },
    Product {
        id: String,
        name: String,
        active: bool,
        at: Millis,
    },
    Price(Price),
    Subscription(SubVersion),
    Invoice(Invoice),
    Charge(Charge),
    Refund(Refund),
    Dispute(Dispute),
    Coupon(Coupon),
    Discount(Grant),
    /// An event that would have been announced but arrived too late (`at`: when it arrived).
    Late {
        event: String,
        event_type: String,
        created: Millis,
        at: Millis,
    },
}

impl Record {
    /// The ledger key of a record that replaces an earlier state of the same object (subscriptions keep
    /// every version instead).
    pub fn key(&self) -> (&'static str, &str) {
        match self {
            Record::Customer { id, .. } => ("customer", id),
            Record::Product { id, .. } => ("product", id),
            Record::Price(p) => ("price", &p.id),
            Record::Subscription(v) => ("subscription", &v.id),
            Record::Invoice(i) => ("invoice", &i.id),
            Record::Charge(c) => ("charge", &c.id),
            Record::Refund(r) => ("refund", &r.id),
            Record::Dispute(d) => ("dispute", &d.id),
            Record::Coupon(c) => ("coupon", &c.id),
            Record::Discount(g) => ("discount", &g.id),
            Record::Late { event, .. } => ("late", event),
        }
    }

    fn at(&self) -> Millis {
        match self {
            Record::Customer { at, .. } | Record::Product { at, .. } => *at,
            Record::Price(p) => p.at,
            Record::Subscription(v) => v.at,
            Record::Invoice(i) => i.at,
            Record::Charge(c) => c.at,
            Record::Refund(r) => r.at,
            Record::Dispute(d) => d.at,
            Record::Coupon(c) => c.at,
            Record::Discount(g) => g.at,
            Record::Late { at, .. } => *at,
        }
    }

    /// Folds a later-arriving state into the stored one, whatever the arrival order: the state Stripe
    /// made last wins (ties: the one further along, e.g. paid over open); an invoice keeps the first
    /// failure and the payment once seen.
    pub fn merge(stored: Record, incoming: Record) -> Record {
        let (old, new) = if (incoming.at(), stage(&incoming)) >= (stored.at(), stage(&stored)) {
            (stored, incoming)
        } else {
            (incoming, stored)
        };
        match (old, new) {
            (Record::Invoice(o), Record::Invoice(mut n)) => {
                n.failed_at = min_some(o.failed_at, n.failed_at);
                n.paid_at = min_some(o.paid_at, n.paid_at);
                n.closed_at = min_some(o.closed_at, n.closed_at);
                n.attempt_count = n.attempt_count.max(o.attempt_count);
                Record::Invoice(n)
            }
            (Record::Discount(o), Record::Discount(mut n)) => {
                n.deleted_at = min_some(o.deleted_at, n.deleted_at);
                Record::Discount(n)
            }
            (Record::Coupon(o), Record::Coupon(mut n)) => {
                // A deleted coupon's event may carry less; the terms given stay.
                if n.percent_off_bp.is_none() && n.amount_off.is_none() {
                    n = Coupon { at: n.at, ..o };
                }
                Record::Coupon(n)
            }
            (_, n) => n,
        }
    }
}

fn min_some(a: Option<Millis>, b: Option<Millis>) -> Option<Millis> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, y) => x.or(y),
    }
}

/// How far along an object's life its status is (ties within one second go to the later stage).
fn stage(r: &Record) -> i64 {
    let status = match r {
        Record::Invoice(i) => i.status.as_str(),
        Record::Charge(c) => c.status.as_str(),
        Record::Refund(x) => x.status.as_str(),
        Record::Dispute(d) => d.status.as_str(),
        Record::Customer { deleted, .. } => return *deleted as i64,
        Record::Product { active, .. } => return !*active as i64,
        Record::Price(p) => return !p.active as i64,
        Record::Subscription(v) => return v.rank,
        Record::Discount(g) => return g.deleted_at.is_some() as i64,
        Record::Coupon(_) | Record::Late { .. } => return 0,
    };
    match status {
        "draft" | "pending" | "warning_needs_response" | "needs_response" => 0,
        "open" | "under_review" | "warning_under_review" | "requires_action" => 1,
        "paid" | "succeeded" | "won" | "lost" | "void" | "uncollectible" | "failed"
        | "canceled" | "warning_closed" => 2,
        _ => 1,
    }
}

/// Everything the ledger holds that the report reads.
#[derive(Debug, Clone, Default)]
pub struct Ledger {
    /// Customer id → name (or email), for the digests.
    pub customers: Vec<(String, String)>,
    /// Customer id → e-mail address, to suggest links to chat users with the same address.
    pub customer_emails: Vec<(String, String)>,
    /// Product id → name.
    pub products: Vec<(String, String)>,
    pub prices: Vec<Price>,
    pub subscriptions: Vec<SubVersion>,
    pub invoices: Vec<Invoice>,
    pub charges: Vec<Charge>,
    pub refunds: Vec<Refund>,
    pub disputes: Vec<Dispute>,
    pub coupons: Vec<Coupon>,
    pub discounts: Vec<Grant>,
    /// Events not announced because they arrived late: (type, when it arrived).
    pub late: Vec<(String, Millis)>,
}

#[cfg(test)]
#[path = "finance_tests.rs"]
mod tests;
