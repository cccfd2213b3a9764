//! MRR per customer at any instant, with every discount the ledger holds (on the subscription, on one
//! item, or on the customer), and the instants at which a customer's MRR can change. Pure.

use super::Millis;
use super::finance::{Coupon, Grant, Ledger, Off, SubItem, SubVersion};
use std::collections::{BTreeMap, BTreeSet};

/// The ledger's discounts, indexed by what they reduce.
#[derive(Debug, Default)]
pub struct Discounts<'a> {
    coupons: BTreeMap<&'a str, &'a Coupon>,
    by_id: BTreeMap<&'a str, &'a Grant>,
    by_sub: BTreeMap<&'a str, Vec<&'a Grant>>,
    by_item: BTreeMap<&'a str, Vec<&'a Grant>>,
    by_customer: BTreeMap<&'a str, Vec<&'a Grant>>,
}

impl<'a> Discounts<'a> {
    pub fn new(l: &'a Ledger) -> Self {
        let mut d = Discounts {
            coupons: l.coupons.iter().map(|c| (c.id.as_str(), c)).collect(),
            by_id: l.discounts.iter().map(|g| (g.id.as_str(), g)).collect(),
            ..Default::default()
        };
        for g in &l.discounts {
            if let Some(i) = &g.item {
                d.by_item.entry(i).or_default().push(g);
            } else if let Some(s) = &g.subscription {
                d.by_sub.entry(s).or_default().push(g);
            } else if let (None, Some(c)) = (&g.invoice, &g.customer) {
                d.by_customer.entry(c).or_default().push(g);
            }
        }
        d
    }

    fn off(&self, g: &Grant) -> Option<Off> {
        Off::of(g, self.coupons.get(g.coupon.as_str()).copied())
    }

    /// The subscription's own discounts: those it names and those given to it.
    fn sub_offs(&self, v: &SubVersion) -> Vec<Off> {
        let mut grants: BTreeMap<&str, &Grant> = v
            .discounts
            .iter()
            .filter_map(|id| self.by_id.get(id.as_str()))
            .filter(|g| g.item.is_none() && g.invoice.is_none())
            .map(|g| (g.id.as_str(), *g))
            .collect();
        for g in self.by_sub.get(v.id.as_str()).into_iter().flatten() {
            grants.insert(&g.id, g);
        }
        grants.values().filter_map(|g| self.off(g)).collect()
    }

    /// The discounts given to the customer as a whole.
    fn customer_offs(&self, v: &SubVersion) -> Vec<Off> {
        let grants = self.by_customer.get(v.customer.as_str());
        grants
            .into_iter()
            .flatten()
            .filter_map(|g| self.off(g))
            .collect()
    }

    fn item_offs(&self, item: &SubItem) -> Vec<Off> {
        let mut grants: BTreeMap<&str, &Grant> = item
            .discounts
            .iter()
            .filter_map(|id| self.by_id.get(id.as_str()))
            .map(|g| (g.id.as_str(), *g))
            .collect();
        for g in self.by_item.get(item.id.as_str()).into_iter().flatten() {
            grants.insert(&g.id, g);
        }
        grants.values().filter_map(|g| self.off(g)).collect()
    }

    /// The version's MRR at `t`, every discount applied: its own, or while none of those applies, its
    /// customer's (a subscription's discount takes the place of the customer's).
    pub fn mrr(&self, v: &SubVersion, t: Millis) -> i64 {
        let mut offs = self.sub_offs(v);
        let (interval, count) = billing(v);
        let own = v
            .discount
            .iter()
            .map(|d| d.off())
            .chain(offs.iter().cloned());
        if !own.into_iter().any(|o| o.applies(t, interval, count)) {
            offs.extend(self.customer_offs(v));
        }
        v.mrr_with(t, &offs, &|i| self.item_offs(i))
    }

    /// The instants at which a discount starts or stops reducing the version.
    fn edges(&self, v: &SubVersion) -> Vec<Millis> {
        let mut offs = self.sub_offs(v);
        offs.extend(self.customer_offs(v));
        offs.extend(v.discount.as_ref().map(|d| d.off()));
        for i in &v.items {
            offs.extend(self.item_offs(i));
        }
        let (interval, count) = billing(v);
        offs.iter()
            .flat_map(|o| {
                let once_end = o
                    .start
                    .filter(|_| o.once)
                    .map(|s| super::finance_discount::next_bill(s, interval, count));
                [o.start, o.end, o.removed, once_end]
            })
            .flatten()
            .collect()
    }
}

/// How often the subscription bills: its first item's interval.
fn billing(v: &SubVersion) -> (&str, i64) {
    v.items
        .first()
        .map_or(("month", 1), |i| (i.interval.as_str(), i.interval_count))
}

/// Each subscription's latest version at or before `t`.
pub fn as_of(subs: &[&SubVersion], t: Millis) -> BTreeMap<String, SubVersion> {
    let mut latest: BTreeMap<&str, &SubVersion> = BTreeMap::new();
    for v in subs.iter().copied().filter(|v| v.at <= t) {
        let e = latest.entry(v.id.as_str()).or_insert(v);
        if (v.at, v.rank) >= (e.at, e.rank) {
            *e = v;
        }
    }
    latest
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
}

/// One customer's subscriptions in one currency, every version.
pub type Account<'a> = Vec<&'a SubVersion>;

/// The ledger's subscription versions per (currency, customer).
pub fn accounts(l: &Ledger) -> BTreeMap<(String, String), Account<'_>> {
    let mut m: BTreeMap<(String, String), Account<'_>> = BTreeMap::new();
    for v in &l.subscriptions {
        m.entry((v.currency.clone(), v.customer.clone()))
            .or_default()
            .push(v);
    }
    m
}

/// An account's MRR at `t`.
pub fn account_mrr(d: &Discounts, subs: &[&SubVersion], t: Millis) -> i64 {
    as_of(subs, t).values().map(|v| d.mrr(v, t)).sum()
}

/// The instants in `(from, to)` at which the account's MRR can change: its versions, their ends, and
/// its discounts' starts and ends; then `to`.
pub fn changes(d: &Discounts, subs: &[&SubVersion], from: Millis, to: Millis) -> Vec<Millis> {
    let mut at: BTreeSet<Millis> = BTreeSet::new();
    for v in subs {
        at.insert(v.at);
        at.extend(v.ended_at);
        at.extend(d.edges(v));
    }
    at.into_iter()
        .filter(|t| *t > from && *t < to)
        .chain(std::iter::once(to))
        .collect()
}
