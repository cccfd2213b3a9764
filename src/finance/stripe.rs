//! Stripe webhooks: the `Stripe-Signature` check (HMAC-SHA256 over `t.payload`, any of several `v1`
//! signatures, a timestamp tolerance) and events turned into ledger records. Both the older (`plan`,
//! `price.amount`, `discount`) and newer (`price.recurring`, `parent.subscription_details`) shapes are
//! read. An event is read by what its object is; objects opsdesk does not use (payment methods, checkout
//! sessions, invoice previews…) give no records: they are stored and ignored.

use super::stripe_objects::{coupon, discount, invoice, subscription};
use crate::domain::Millis;
use crate::domain::finance::{Charge, Dispute, Price, Record, Refund};
use hmac::{Hmac, KeyInit, Mac};
use serde_json::Value;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("missing Stripe-Signature header")]
    Missing,
    #[error("Stripe-Signature has no t= timestamp or no v1= signature")]
    Malformed,
    #[error(
        "Stripe-Signature timestamp is {0} s away from now (tolerance {1} s): a replay or a stale retry"
    )]
    Stale(i64, i64),
    #[error("no v1 signature in Stripe-Signature matches the body (wrong signing secret?)")]
    Mismatch,
}

/// Verifies `header` for `payload` at `now_secs`.
pub fn verify(
    header: Option<&str>,
    payload: &[u8],
    secret: &[u8],
    now_secs: i64,
    tolerance_secs: i64,
) -> Result<(), SignatureError> {
    let header = header.ok_or(SignatureError::Missing)?;
    let mut t = None;
    let mut sigs = vec![];
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", v)) => t = v.parse::<i64>().ok(),
            Some(("v1", v)) => sigs.push(v.to_string()),
            _ => {}
        }
    }
    let t = t.ok_or(SignatureError::Malformed)?;
    if sigs.is_empty() {
        return Err(SignatureError::Malformed);
    }
    if (now_secs - t).abs() > tolerance_secs {
        return Err(SignatureError::Stale(now_secs - t, tolerance_secs));
    }
    let ok = sigs.iter().any(|s| {
        let Ok(want) = hex::decode(s) else {
            return false;
        };
        let mut mac =
            Hmac::<sha2::Sha256>::new_from_slice(secret).expect("HMAC takes any key length");
        mac.update(t.to_string().as_bytes());
        mac.update(b".");
        mac.update(payload);
        mac.verify_slice(&want).is_ok()
    });
    if ok {
        Ok(())
    } else {
        Err(SignatureError::Mismatch)
    }
}

/// `t=<now>,v1=<hex>` for a payload: what Stripe sends (tests and the replay tool use it).
pub fn sign(payload: &[u8], secret: &[u8], t: i64) -> String {
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(format!("{t}.").as_bytes());
    mac.update(payload);
    let hex: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("t={t},v1={hex}")
}

/// An event's envelope.
#[derive(Debug, Clone)]
pub struct Event {
    pub id: String,
    pub kind: String,
    pub created: Millis,
    pub object: Value,
}

/// Why a Stripe event cannot enter the ledger; the reason names the field or the value.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum StripeError {
    #[error("not a Stripe event: {0}")]
    NotJson(String),
    #[error("{0}")]
    Invalid(String),
}

impl From<String> for StripeError {
    fn from(why: String) -> Self {
        StripeError::Invalid(why)
    }
}

impl From<&str> for StripeError {
    fn from(why: &str) -> Self {
        StripeError::Invalid(why.to_string())
    }
}

pub fn parse_event(body: &[u8]) -> Result<Event, StripeError> {
    let v: Value = serde_json::from_slice(body).map_err(|e| StripeError::NotJson(e.to_string()))?;
    let s = |k: &str| {
        v.get(k)
            .and_then(Value::as_str)
            .map(String::from)
            .ok_or_else(|| format!("missing field `{k}`"))
    };
    let created = v
        .get("created")
        .and_then(Value::as_i64)
        .ok_or("missing field `created`")?;
    let object = v
        .get("data")
        .and_then(|d| d.get("object"))
        .cloned()
        .ok_or("missing field `data.object`")?;
    Ok(Event {
        id: s("id")?,
        kind: s("type")?,
        created: created * 1000,
        object,
    })
}

pub(super) fn text(v: &Value, k: &str) -> Option<String> {
    match v.get(k)? {
        Value::String(s) => Some(s.clone()),
        // An expanded object: its id.
        Value::Object(o) => o.get("id").and_then(Value::as_str).map(String::from),
        _ => None,
    }
}

pub(super) fn int(v: &Value, k: &str) -> Option<i64> {
    v.get(k).and_then(Value::as_i64)
}

pub(super) fn ms(v: &Value, k: &str) -> Option<Millis> {
    int(v, k).map(|s| s * 1000)
}

pub(super) fn need(v: &Value, k: &str, what: &str) -> Result<String, String> {
    text(v, k).ok_or_else(|| format!("{what} has no `{k}`"))
}

pub(super) fn currency(v: &Value) -> String {
    text(v, "currency").unwrap_or_default().to_lowercase()
}

/// The records an event gives the ledger (none for the types opsdesk does not use).
pub fn records(e: &Event) -> Result<Vec<Record>, StripeError> {
    let o = &e.object;
    let at = e.created;
    // What the object is (its `object` field), else what the event's family says it is.
    let family = e.kind.rsplit_once('.').map_or(e.kind.as_str(), |(f, _)| f);
    let kind = o
        .get("object")
        .and_then(Value::as_str)
        .unwrap_or(match family {
            "customer.subscription" => "subscription",
            "charge.refund" => "refund",
            "charge.dispute" => "dispute",
            "customer.discount" => "discount",
            f => f,
        });
    Ok(match kind {
        // A preview of the next invoice: nothing has happened yet.
        "invoice" if e.kind == "invoice.upcoming" => vec![],
        "customer" => vec![Record::Customer {
            id: need(o, "id", "customer")?,
            email: text(o, "email"),
            name: text(o, "name"),
            deleted: e.kind == "customer.deleted",
            at,
        }],
        "subscription" => vec![Record::Subscription(subscription(o, &e.kind, at)?)],
        "product" => vec![Record::Product {
            id: need(o, "id", "product")?,
            name: text(o, "name").unwrap_or_default(),
            active: o.get("active").and_then(Value::as_bool).unwrap_or(true)
                && e.kind != "product.deleted",
            at,
        }],
        "price" | "plan" => vec![Record::Price(price(o, &e.kind, at)?)],
        "invoice" => vec![Record::Invoice(invoice(o, &e.kind, at)?)],
        "charge" => charge(o, at)?,
        "refund" => vec![Record::Refund(refund(o, at)?)],
        "coupon" => vec![Record::Coupon(coupon(o, at)?)],
        "discount" => vec![Record::Discount(discount(o, &e.kind, at)?)],
        "dispute" => vec![Record::Dispute(Dispute {
            id: need(o, "id", "dispute")?,
            charge: text(o, "charge"),
            amount: int(o, "amount").unwrap_or(0),
            currency: currency(o),
            status: text(o, "status").unwrap_or_default(),
            reason: text(o, "reason").unwrap_or_default(),
            created: ms(o, "created").unwrap_or(at),
            at,
        })],
        _ => vec![],
    })
}

/// A price, or a legacy plan (amount and interval at the top level).
fn price(o: &Value, kind: &str, at: Millis) -> Result<Price, String> {
    let recurring = o.get("recurring").filter(|r| r.is_object());
    Ok(Price {
        id: need(o, "id", "price")?,
        product: text(o, "product").unwrap_or_default(),
        currency: currency(o),
        unit_amount: int(o, "unit_amount")
            .or_else(|| int(o, "amount"))
            .unwrap_or(0),
        interval: recurring
            .and_then(|r| text(r, "interval"))
            .or_else(|| text(o, "interval")),
        interval_count: recurring
            .and_then(|r| int(r, "interval_count"))
            .or_else(|| int(o, "interval_count"))
            .unwrap_or(1),
        active: o.get("active").and_then(Value::as_bool).unwrap_or(true)
            && !kind.ends_with(".deleted"),
        at,
    })
}

/// A charge, and the refunds its `refunds` list carries.
fn charge(o: &Value, at: Millis) -> Result<Vec<Record>, String> {
    let charge = Charge {
        id: need(o, "id", "charge")?,
        customer: text(o, "customer"),
        invoice: text(o, "invoice"),
        amount: int(o, "amount").unwrap_or(0),
        amount_refunded: int(o, "amount_refunded").unwrap_or(0),
        currency: currency(o),
        status: text(o, "status").unwrap_or_default(),
        created: ms(o, "created").unwrap_or(at),
        at,
    };
    let mut out = vec![Record::Charge(charge)];
    let refunds = o
        .get("refunds")
        .and_then(|r| r.get("data"))
        .and_then(Value::as_array);
    for r in refunds.into_iter().flatten() {
        out.push(Record::Refund(refund(r, at)?));
    }
    Ok(out)
}

fn refund(o: &Value, at: Millis) -> Result<Refund, String> {
    Ok(Refund {
        id: need(o, "id", "refund")?,
        charge: text(o, "charge"),
        amount: int(o, "amount").unwrap_or(0),
        currency: currency(o),
        status: text(o, "status").unwrap_or_else(|| "succeeded".into()),
        created: ms(o, "created").unwrap_or(at),
        at,
    })
}

#[cfg(test)]
#[path = "stripe_tests.rs"]
mod tests;
