//! Stripe's subscriptions, invoices, coupons and discounts as ledger records, in every API version's
//! shape: discounts carried whole (`discount`, `coupon` objects) before 2025-09-30, named by id
//! (`discounts: ["di_…"]`, `source.coupon: "…"`) since.

use super::stripe::{currency, int, ms, need, text};
use crate::domain::Millis;
use crate::domain::finance::{Coupon, Discount, Grant, Invoice, InvoiceLine, SubItem, SubVersion};
use crate::domain::finance_discount::add_months;
use serde_json::Value;

/// A coupon's terms (percent as basis points).
pub fn coupon(o: &Value, at: Millis) -> Result<Coupon, String> {
    Ok(Coupon {
        id: need(o, "id", "coupon")?,
        percent_off_bp: o
            .get("percent_off")
            .and_then(Value::as_f64)
            .map(|p| (p * 100.0).round() as i64),
        amount_off: int(o, "amount_off"),
        currency: o
            .get("currency")
            .and_then(Value::as_str)
            .map(|_| currency(o)),
        duration: text(o, "duration").unwrap_or_else(|| "forever".into()),
        duration_in_months: int(o, "duration_in_months"),
        at,
    })
}

/// The coupon a discount gives: `source.coupon` (newer) or `coupon` (older), an id or the whole object.
fn coupon_of(d: &Value) -> Option<&Value> {
    d.pointer("/source/coupon")
        .filter(|c| !c.is_null())
        .or_else(|| d.get("coupon").filter(|c| !c.is_null()))
}

/// A discount given to a customer, a subscription, an item or an invoice (`customer.discount.*`).
pub fn discount(o: &Value, kind: &str, at: Millis) -> Result<Grant, String> {
    let c = coupon_of(o).ok_or("a discount has no `source.coupon` or `coupon`")?;
    let terms = c.is_object().then(|| coupon(c, at)).transpose()?;
    // Discounts have ids since API 2020-08-27; an older one is named by what it reduces and when.
    let id = text(o, "id").unwrap_or_else(|| {
        let of = |k: &str| text(o, k).unwrap_or_default();
        let start = int(o, "start").unwrap_or_default();
        format!("{}:{}:{start}", of("customer"), of("subscription"))
    });
    Ok(Grant {
        id,
        customer: text(o, "customer"),
        subscription: text(o, "subscription"),
        item: text(o, "subscription_item"),
        invoice: text(o, "invoice").or_else(|| text(o, "invoice_item")),
        coupon: match c {
            Value::String(id) => id.clone(),
            _ => need(c, "id", "a discount's coupon")?,
        },
        terms,
        start: ms(o, "start").unwrap_or(at),
        end: ms(o, "end"),
        deleted_at: kind.ends_with(".deleted").then_some(at),
        at,
    })
}

/// A discount carried whole by a subscription (older API versions).
fn embedded(d: &Value) -> Option<Discount> {
    let c = coupon_of(d).filter(|c| c.is_object())?;
    let terms = coupon(c, 0).ok()?;
    let start = ms(d, "start");
    let months = (terms.duration == "repeating")
        .then_some(terms.duration_in_months)
        .flatten();
    Some(Discount {
        percent_off_bp: terms.percent_off_bp,
        amount_off: terms.amount_off,
        ends_at: ms(d, "end").or(start.zip(months).map(|(s, n)| add_months(s, n))),
        id: text(d, "id"),
        currency: terms.currency,
        start,
        once: terms.duration == "once",
    })
}

/// The ids of a `discounts` list (ids, or expanded discount objects).
fn discount_ids(v: &Value) -> Vec<String> {
    v.get("discounts")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|d| match d {
            Value::String(id) => Some(id.clone()),
            _ => text(d, "id"),
        })
        .collect()
}

fn item(it: &Value) -> Result<SubItem, String> {
    let price = it
        .get("price")
        .or_else(|| it.get("plan"))
        .ok_or("a subscription item has no `price`")?;
    let recurring = price
        .get("recurring")
        .filter(|r| r.is_object())
        .unwrap_or(price);
    Ok(SubItem {
        id: text(it, "id").unwrap_or_default(),
        discounts: discount_ids(it),
        price: text(price, "id").unwrap_or_default(),
        product: text(price, "product").unwrap_or_default(),
        unit_amount: int(price, "unit_amount")
            .or_else(|| int(price, "amount"))
            .unwrap_or(0),
        interval: text(recurring, "interval").unwrap_or_else(|| "month".into()),
        interval_count: int(recurring, "interval_count").unwrap_or(1),
        quantity: int(it, "quantity").unwrap_or(1),
    })
}

pub fn subscription(o: &Value, kind: &str, at: Millis) -> Result<SubVersion, String> {
    let items = o
        .pointer("/items/data")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(item)
        .collect::<Result<Vec<_>, String>>()?;
    let discount = o.get("discount").and_then(embedded).or_else(|| {
        o.get("discounts")
            .and_then(Value::as_array)
            .and_then(|ds| ds.iter().find_map(embedded))
    });
    Ok(SubVersion {
        id: need(o, "id", "subscription")?,
        customer: need(o, "customer", "subscription")?,
        status: text(o, "status").unwrap_or_default(),
        currency: o.get("currency").map(|_| currency(o)).unwrap_or_else(|| {
            o.pointer("/items/data/0/price/currency")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_lowercase()
        }),
        items,
        discount,
        discounts: discount_ids(o),
        trial_end: ms(o, "trial_end"),
        cancel_at_period_end: o
            .get("cancel_at_period_end")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        created: ms(o, "created").unwrap_or(at),
        ended_at: ms(o, "ended_at"),
        at,
        rank: match kind {
            "customer.subscription.created" => 0,
            "customer.subscription.deleted" => 2,
            _ => 1,
        },
    })
}

/// What discounts took off an invoice line: `discount_amounts`, else the discounts among
/// `pretax_credit_amounts` (API 2025-03-31 and later).
fn line_discount(l: &Value) -> i64 {
    let sum = |k: &str, only_discounts: bool| {
        l.get(k).and_then(Value::as_array).map(|a| {
            a.iter()
                .filter(|x| !only_discounts || text(x, "type").is_none_or(|t| t == "discount"))
                .filter_map(|x| int(x, "amount"))
                .sum::<i64>()
        })
    };
    sum("discount_amounts", false)
        .filter(|s| *s > 0)
        .or_else(|| sum("pretax_credit_amounts", true))
        .unwrap_or(0)
}

pub fn invoice(o: &Value, kind: &str, at: Millis) -> Result<Invoice, String> {
    let status = text(o, "status").unwrap_or_default();
    let transition = |k: &str| {
        o.pointer(&format!("/status_transitions/{k}"))
            .and_then(Value::as_i64)
            .map(|s| s * 1000)
    };
    let closed = matches!(status.as_str(), "void" | "uncollectible");
    let lines = o
        .pointer("/lines/data")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|l| {
            Some(InvoiceLine {
                amount: int(l, "amount")?,
                discount: line_discount(l),
                period_start: l.pointer("/period/start")?.as_i64()? * 1000,
                period_end: l.pointer("/period/end")?.as_i64()? * 1000,
            })
        })
        .collect();
    Ok(Invoice {
        id: need(o, "id", "invoice")?,
        customer: need(o, "customer", "invoice")?,
        subscription: text(o, "subscription").or_else(|| {
            o.pointer("/parent/subscription_details/subscription")
                .and_then(Value::as_str)
                .map(String::from)
        }),
        paid_at: transition("paid_at").or((status == "paid").then_some(at)),
        closed_at: transition("voided_at")
            .or(transition("marked_uncollectible_at"))
            .or(closed.then_some(at)),
        status,
        currency: currency(o),
        amount_due: int(o, "amount_due").unwrap_or(0),
        amount_paid: int(o, "amount_paid").unwrap_or(0),
        attempt_count: int(o, "attempt_count").unwrap_or(0),
        created: ms(o, "created").unwrap_or(at),
        failed_at: (kind == "invoice.payment_failed").then_some(at),
        lines,
        at,
    })
}
