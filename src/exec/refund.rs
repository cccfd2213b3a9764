//! Stripe refunds: `POST /v1/refunds` with the charge and amount, the secret key from the environment,
//! and an idempotency key derived from the decision, so a retried or repeated execution refunds once.

use super::{Executed, tail};
use crate::config::FinanceSettings;
use crate::domain::finance::Refund as Refunded;
use http_body_util::Full;
use secrecy::ExposeSecret;
use std::time::Duration;

/// What to refund.
pub struct Refund<'a> {
    pub charge: &'a str,
    pub amount: i64,
    /// `opsdesk-approval-<id>` or `opsdesk-command-<event>`: Stripe answers a repeat with the first result.
    pub idempotency_key: String,
    pub requested_by: &'a str,
}

pub async fn run(f: &FinanceSettings, r: &Refund<'_>) -> Executed {
    let Some(key) = crate::config::secret(&f.stripe_api_key_env) else {
        return Executed {
            refund: None,
            ok: false,
            result: format!("Stripe's secret key ${} is not set", f.stripe_api_key_env),
        };
    };
    let body: String = form_urlencoded::Serializer::new(String::new())
        .append_pair("charge", r.charge)
        .append_pair("amount", &r.amount.to_string())
        .append_pair("reason", "requested_by_customer")
        .append_pair("metadata[requested_by]", r.requested_by)
        .finish();
    let url = format!("{}/v1/refunds", f.stripe_api_url.trim_end_matches('/'));
    let req = match http::Request::post(&url)
        .header("authorization", format!("Bearer {}", key.expose_secret()))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("idempotency-key", &r.idempotency_key)
        .body(Full::new(bytes::Bytes::from(body)))
    {
        Ok(req) => req,
        Err(e) => {
            return Executed {
                refund: None,
                ok: false,
                result: format!("bad Stripe URL {url:?}: {e}"),
            };
        }
    };
    let timeout = Duration::from_secs(f.stripe_timeout_secs);
    let (status, text) = match crate::net::call_to("Stripe", req, timeout).await {
        Ok(answer) => answer,
        Err(why) => {
            return Executed {
                refund: None,
                ok: false,
                result: why.to_string(),
            };
        }
    };
    let v: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
    if status.is_success() {
        let amount = crate::finance::report::money(
            v["amount"].as_i64().unwrap_or(r.amount),
            v["currency"].as_str().unwrap_or(""),
        );
        // Stripe dates its refunds; a reply without `created` is dated now.
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as i64);
        let refund = v["id"].as_str().map(|id| Refunded {
            id: id.into(),
            charge: Some(r.charge.into()),
            amount: v["amount"].as_i64().unwrap_or(r.amount),
            currency: v["currency"].as_str().unwrap_or_default().to_lowercase(),
            status: v["status"].as_str().unwrap_or("pending").into(),
            created: v["created"].as_i64().map_or(now, |s| s * 1000),
            at: v["created"].as_i64().map_or(now, |s| s * 1000),
        });
        Executed {
            refund,
            ok: true,
            result: format!(
                "Refund {} of {amount}: {}",
                v["id"].as_str().unwrap_or("?"),
                v["status"].as_str().unwrap_or("?")
            ),
        }
    } else {
        let why = v
            .pointer("/error/message")
            .and_then(|m| m.as_str())
            .map(String::from)
            .unwrap_or_else(|| tail(&text, 300));
        Executed {
            refund: None,
            ok: false,
            result: format!("Stripe refused the refund (HTTP {status}): {why}"),
        }
    }
}
