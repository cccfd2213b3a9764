//! Webhooks: after sign-off, a JSON body POSTed to a configured URL and signed with HMAC-SHA256
//! (`X-Opsdesk-Signature: sha256=<hex>`) so the receiver can check it came from opsdesk.

use super::{Executed, tail};
use crate::config::WebhookSettings;
use crate::domain::Approval;
use hmac::{Hmac, KeyInit, Mac};
use http_body_util::Full;
use secrecy::ExposeSecret;
use sha2::Sha256;
use std::time::Duration;

/// `sha256=<hex of HMAC-SHA256(secret, body)>`.
pub fn signature(secret: &[u8], body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

pub async fn run(w: &WebhookSettings, a: &Approval) -> Executed {
    let Some(secret) = crate::config::secret(&w.secret_env) else {
        return Executed {
            refund: None,
            ok: false,
            result: format!("the signing secret ${} is not set", w.secret_env),
        };
    };
    let body = serde_json::json!({
        "approval": a.id, "kind": a.kind, "params": serde_json::from_str::<serde_json::Value>(&a.params).unwrap_or_default(),
        "summary": a.summary, "reason": a.reason, "requested_by": a.requested_by, "approved_by": a.approved_by,
    })
    .to_string();
    let req = match http::Request::post(&w.url)
        .header("content-type", "application/json")
        .header(
            "x-opsdesk-signature",
            signature(secret.expose_secret().as_bytes(), body.as_bytes()),
        )
        .body(Full::new(bytes::Bytes::from(body)))
    {
        Ok(r) => r,
        Err(e) => {
            return Executed {
                refund: None,
                ok: false,
                result: format!("bad webhook URL {:?}: {e}", w.url),
            };
        }
    };
    let timeout = Duration::from_secs(w.timeout_secs);
    match crate::net::call_to("the webhook", req, timeout).await {
        Err(why) => Executed {
            refund: None,
            ok: false,
            result: why.to_string(),
        },
        Ok((status, text)) => {
            let excerpt = tail(&text, 500);
            Executed {
                refund: None,
                ok: status.is_success(),
                result: if excerpt.is_empty() {
                    format!("HTTP {status}")
                } else {
                    format!("HTTP {status}\n{excerpt}")
                },
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::signature;

    #[test]
    fn signature_matches_a_known_hmac() {
        // RFC 4231 test case 2.
        assert_eq!(
            signature(b"Jefe", b"what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}
