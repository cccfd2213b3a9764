//! Outbound HTTP(S) through one shared client (hyper + rustls, no proxy magic), each call with a
//! timeout: what the executors, Alertmanager's silences and the agents' tools use. Errors are short
//! sentences that name the other end.

use http_body_util::{BodyExt, Full};
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use std::sync::OnceLock;
use std::time::Duration;

type Https = Client<HttpsConnector<HttpConnector>, Full<bytes::Bytes>>;

/// The process's one outbound client: its connection pool is shared by every caller (executors,
/// Alertmanager, GitHub, the agents' tools), so repeated calls to one host reuse connections.
fn client() -> &'static Https {
    static CLIENT: OnceLock<Https> = OnceLock::new();
    CLIENT.get_or_init(|| {
        crate::telemetry::install_tls_provider();
        let https = hyper_rustls::HttpsConnectorBuilder::new()
            .with_webpki_roots()
            .https_or_http()
            .enable_http1()
            .build();
        Client::builder(TokioExecutor::new()).build(https)
    })
}

/// Why a call has no answer; each names the other end.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum NetError {
    #[error("bad URL {url:?}: {reason}")]
    BadUrl { url: String, reason: String },
    #[error("could not reach {what}: {reason}")]
    Unreachable { what: String, reason: String },
    #[error("{what} broke off its answer: {reason}")]
    BrokeOff { what: String, reason: String },
    #[error("{what} did not answer within {secs} s")]
    Timeout { what: String, secs: f32 },
}

/// Why `opsdesk doctor` finds a remote service unusable; each says what to set or fix.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CheckError {
    #[error("${0} is not set")]
    NotSet(String),
    #[error(transparent)]
    Net(#[from] NetError),
    #[error("{what} answered HTTP {status} ({hint})")]
    Refused {
        what: String,
        status: u16,
        hint: String,
    },
    /// It answers, but cannot do what opsdesk needs of it (issues turned off, model not served).
    #[error("{0}")]
    Unfit(String),
}

/// Sends `req` and reads the whole answer: `(status, body)`, or why there is none, naming the host.
pub async fn call(
    req: http::Request<Full<bytes::Bytes>>,
    timeout: Duration,
) -> Result<(http::StatusCode, String), NetError> {
    let host = req.uri().host().unwrap_or("the server").to_string();
    call_to(&host, req, timeout).await
}

/// [`call`], with errors that name the other end as `what` ("Stripe", "Alertmanager at …").
pub async fn call_to(
    what: &str,
    req: http::Request<Full<bytes::Bytes>>,
    timeout: Duration,
) -> Result<(http::StatusCode, String), NetError> {
    call_with_headers(what, req, timeout)
        .await
        .map(|a| (a.status, a.body))
}

/// A whole answer: status, headers and body (lossy UTF-8).
#[derive(Debug)]
pub struct Answer {
    pub status: http::StatusCode,
    pub headers: http::HeaderMap,
    pub body: String,
}

/// [`call_to`], keeping the answer's headers (rate-limit headers say how long to wait).
pub async fn call_with_headers(
    what: &str,
    req: http::Request<Full<bytes::Bytes>>,
    timeout: Duration,
) -> Result<Answer, NetError> {
    let work = async {
        let resp = client()
            .request(req)
            .await
            .map_err(|e| NetError::Unreachable {
                what: what.into(),
                reason: e.to_string(),
            })?;
        let (parts, body) = resp.into_parts();
        let body = body
            .collect()
            .await
            .map_err(|e| NetError::BrokeOff {
                what: what.into(),
                reason: e.to_string(),
            })?
            .to_bytes();
        Ok(Answer {
            status: parts.status,
            headers: parts.headers,
            body: String::from_utf8_lossy(&body).into_owned(),
        })
    };
    match tokio::time::timeout(timeout, work).await {
        Ok(r) => r,
        Err(_) => Err(NetError::Timeout {
            what: what.into(),
            secs: timeout.as_secs_f32(),
        }),
    }
}

/// A GET request with no body.
pub fn get(url: &str) -> Result<http::Request<Full<bytes::Bytes>>, NetError> {
    http::Request::get(url)
        .body(Full::default())
        .map_err(|e| NetError::BadUrl {
            url: url.into(),
            reason: e.to_string(),
        })
}

/// The end of a long output, which is where errors are.
pub fn tail(s: &str, max: usize) -> String {
    let s = s.trim_end();
    let n = s.chars().count();
    if n <= max {
        s.to_string()
    } else {
        format!("…{}", s.chars().skip(n - max).collect::<String>())
    }
}
