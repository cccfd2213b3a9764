//! The ledger's records as the finance figures need them — subscriptions (each version, as of the time
//! Stripe says it changed), invoices, charges, refunds, disputes — and a subscription's monthly recurring
//! revenue. Money is integer minor units with its currency; percentages are basis points. Pure.

use super::Millis;
use serde::{Deserialize, Serialize};

/// One priced line of a subscription.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubItem {
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
        let per_interval = self.unit_amount as i128 * self.quantity.max(0) as i128 * 1000;
        let n = self.interval_count.max(1) as i128;
        match self.interval.as_str() {
            "day" => per_interval * 365 / (12 * n),
            "week" => per_interval * 52 / (12 * n),
            "year" => per_interval / (12 * n),
            _ => per_interval / n,
        }
    }
}

/// A discount on a subscription: a percentage (basis points) or an amount off per invoice.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Discount {
    pub percent_off_bp: Option<i64>,
    pub amount_off: Option<i64>,
    /// When it stops applying (`None`: forever).
    pub ends_at: Option<Millis>,
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
    /// Monthly recurring revenue at `t` in minor units: active and past-due subscriptions only (a trial
    /// is not revenue), each item normalised to a month (annual ÷ 12, quantity), discounts applied.
    pub fn mrr(&self, t: Millis) -> i64 {
        if !matches!(self.status.as_str(), "active" | "past_due")
            || self.ended_at.is_some_and(|e| e <= t)
        {
            return 0;
        }
        let mut milli: i128 = self.items.iter().map(SubItem::monthly_milli).sum();
        if let Some(d) = self
            .discount
            .as_ref()
            .filter(|d| d.ends_at.is_none_or(|e| e > t))
        {
            if let Some(bp) = d.percent_off_bp {
                milli = milli * (10_000 - bp.clamp(0, 10_000)) as i128 / 10_000;
            }
            if let (Some(off), Some(first)) = (d.amount_off, self.items.first()) {
                // An amount off each invoice, normalised to a month like the price it reduces.
                milli -= SubItem {
                    unit_amount: off,
                    quantity: 1,
                    ..first.clone()
                }
                .monthly_milli();
            }
        }
        ((milli.max(0) + 500) / 1000) as i64
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceLine {
    pub amount: i64,
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
                n.attempt_count = n.attempt_count.max(o.attempt_count);
                Record::Invoice(n)
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
}

#[cfg(test)]
#[path = "finance_tests.rs"]
mod tests;
