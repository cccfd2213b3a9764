//! One outbound HTTP(S) call with a timeout (hyper + rustls, no proxy magic): what the executors and the
//! agents' tools use to reach GitHub, health endpoints and log APIs. Errors are short sentences.

use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use std::time::Duration;

/// Sends `req` and reads the whole answer: `(status, body)`, or why there is none.
pub async fn call(
    req: http::Request<Full<bytes::Bytes>>,
    timeout: Duration,
) -> Result<(http::StatusCode, String), String> {
    crate::telemetry::install_tls_provider();
    let https = hyper_rustls::HttpsConnectorBuilder::new()
        .with_webpki_roots()
        .https_or_http()
        .enable_http1()
        .build();
    let client: Client<_, Full<bytes::Bytes>> = Client::builder(TokioExecutor::new()).build(https);
    let host = req.uri().host().unwrap_or("the server").to_string();
    let work = async {
        let resp = client
            .request(req)
            .await
            .map_err(|e| format!("could not reach {host}: {e}"))?;
        let status = resp.status();
        let body = resp
            .into_body()
            .collect()
            .await
            .map_err(|e| format!("{host} broke off its answer: {e}"))?
            .to_bytes();
        Ok((status, String::from_utf8_lossy(&body).into_owned()))
    };
    match tokio::time::timeout(timeout, work).await {
        Ok(r) => r,
        Err(_) => Err(format!(
            "{host} did not answer within {} s",
            timeout.as_secs_f32()
        )),
    }
}

/// A GET request with no body.
pub fn get(url: &str) -> Result<http::Request<Full<bytes::Bytes>>, String> {
    http::Request::get(url)
        .body(Full::default())
        .map_err(|e| format!("bad URL {url:?}: {e}"))
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
