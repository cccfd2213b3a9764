//! Webhooks: after sign-off, a JSON body POSTed to a configured URL and signed with HMAC-SHA256
//! (`X-Opsdesk-Signature: sha256=<hex>`) so the receiver can check it came from opsdesk.

use super::{Executed, tail};
use crate::config::WebhookSettings;
use crate::domain::Approval;
use hmac::{Hmac, KeyInit, Mac};
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use sha2::Sha256;
use std::time::Duration;

/// `sha256=<hex of HMAC-SHA256(secret, body)>`.
pub fn signature(secret: &[u8], body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(body);
    let bytes = mac.finalize().into_bytes();
    format!(
        "sha256={}",
        bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()
    )
}

pub async fn run(w: &WebhookSettings, a: &Approval) -> Executed {
    let Some(secret) = std::env::var(&w.secret_env).ok().filter(|s| !s.is_empty()) else {
        return Executed {
            ok: false,
            result: format!("the signing secret ${} is not set", w.secret_env),
        };
    };
    let body = serde_json::json!({
        "approval": a.id, "kind": a.kind, "params": serde_json::from_str::<serde_json::Value>(&a.params).unwrap_or_default(),
        "summary": a.summary, "reason": a.reason, "requested_by": a.requested_by, "approved_by": a.approved_by,
    })
    .to_string();
    crate::telemetry::install_tls_provider();
    let https = hyper_rustls::HttpsConnectorBuilder::new()
        .with_webpki_roots()
        .https_or_http()
        .enable_http1()
        .build();
    let client: Client<_, Full<bytes::Bytes>> = Client::builder(TokioExecutor::new()).build(https);
    let req = match http::Request::post(&w.url)
        .header("content-type", "application/json")
        .header(
            "x-opsdesk-signature",
            signature(secret.as_bytes(), body.as_bytes()),
        )
        .body(Full::new(bytes::Bytes::from(body)))
    {
        Ok(r) => r,
        Err(e) => {
            return Executed {
                ok: false,
                result: format!("bad webhook URL {:?}: {e}", w.url),
            };
        }
    };
    match tokio::time::timeout(Duration::from_secs(w.timeout_secs), client.request(req)).await {
        Err(_) => Executed {
            ok: false,
            result: format!("no answer within {} s", w.timeout_secs),
        },
        Ok(Err(e)) => Executed {
            ok: false,
            result: format!("could not reach the webhook: {e}"),
        },
        Ok(Ok(resp)) => {
            let status = resp.status();
            let text = resp
                .into_body()
                .collect()
                .await
                .map(|b| String::from_utf8_lossy(&b.to_bytes()).into_owned())
                .unwrap_or_default();
            let excerpt = tail(&text, 500);
            Executed {
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
