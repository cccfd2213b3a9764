//! The webhook edge against hostile clients, over raw TCP: a declared body over the limit is refused
//! before it is sent, a bearer token is checked before the body is read, a stalled body gets a 408, a
//! stalled header is cut off, and connections past the cap wait instead of exhausting the process.

use super::alerts::{STRIPE_SECRET, settings};
use crate::support;
use opsdesk::domain::ports::Store;
use opsdesk::http::{HookSecrets, Limits, router, serve_hardened};
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

async fn edge(
    max_connections: usize,
) -> (String, tokio::sync::watch::Sender<bool>, support::TestDb) {
    let db = support::sqlite().await;
    let store: Arc<dyn Store> = Arc::new(db.store.clone());
    let mut s = settings();
    s.http.body_timeout_secs = 1;
    let p = support::pipeline_with(store, s).await;
    let secrets = HookSecrets {
        token: Some("s3cret".into()),
        sentry: None,
        stripe: Some(STRIPE_SECRET.into()),
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let (stop, rx) = tokio::sync::watch::channel(false);
    let limits = Limits {
        max_connections,
        header_timeout: Duration::from_secs(1),
    };
    tokio::spawn(serve_hardened(listener, router(p, secrets), limits, rx));
    (addr, stop, db)
}

/// Sends `head` (and nothing more), then reads what comes back within 5 s.
async fn answer_to(addr: &str, head: &str) -> String {
    let mut c = TcpStream::connect(addr).await.unwrap();
    c.write_all(head.as_bytes()).await.unwrap();
    let mut buf = vec![0; 4096];
    let n = tokio::time::timeout(Duration::from_secs(5), c.read(&mut buf))
        .await
        .expect("answered without waiting for the body")
        .unwrap_or(0);
    String::from_utf8_lossy(&buf[..n]).into_owned()
}

fn post(path: &str, headers: &str, length: usize) -> String {
    format!(
        "POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n{headers}Content-Length: {length}\r\n\r\n"
    )
}

#[tokio::test]
async fn hostile_requests_are_refused_before_their_bodies() {
    let (addr, _stop, _db) = edge(64).await;
    let auth = "Authorization: Bearer s3cret\r\n";
    let r = answer_to(&addr, &post("/hooks/alertmanager", auth, 10_000_000_000)).await;
    assert!(r.starts_with("HTTP/1.1 413"), "a 10 GB declaration: {r}");
    let r = answer_to(&addr, &post("/hooks/alertmanager", "", 500_000)).await;
    assert!(
        r.starts_with("HTTP/1.1 401"),
        "no token, body never read: {r}"
    );
    let r = answer_to(
        &addr,
        &post(
            "/hooks/alertmanager",
            "authorization: bearer s3cret\r\n",
            5_000_000,
        ),
    )
    .await;
    assert!(
        r.starts_with("HTTP/1.1 413"),
        "the scheme's case does not matter: {r}"
    );
    let r = answer_to(&addr, &post("/hooks/stripe", "", 400_000)).await;
    assert!(
        r.starts_with("HTTP/1.1 401") && r.contains("Stripe-Signature"),
        "{r}"
    );
    let r = answer_to(
        &addr,
        &post("/hooks/stripe", "Stripe-Signature: t=1,v1=00\r\n", 600_000),
    )
    .await;
    assert!(
        r.starts_with("HTTP/1.1 413"),
        "signed bodies have a smaller limit: {r}"
    );
    // Authenticated, 100 bytes declared, 10 sent, then silence: 408 after http.body_timeout_secs.
    let mut head = post("/hooks/alertmanager", auth, 100);
    head.push_str("{\"status\":");
    let r = answer_to(&addr, &head).await;
    assert!(r.starts_with("HTTP/1.1 408"), "{r}");
}

#[tokio::test]
async fn stalled_headers_are_cut_off_and_free_their_connection_slot() {
    let (addr, _stop, _db) = edge(2).await;
    let mut stalled = vec![];
    for _ in 0..2 {
        let mut c = TcpStream::connect(&addr).await.unwrap();
        c.write_all(b"POST /hooks/alertmanager HTTP/1.1\r\nHost: x\r\n")
            .await
            .unwrap();
        stalled.push(c);
    }
    // Both slots are held; a third client waits until the header timeout frees one.
    let r = answer_to(
        &addr,
        "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    )
    .await;
    assert!(r.starts_with("HTTP/1.1 200"), "{r}");
    for mut c in stalled {
        let mut buf = [0; 256];
        let n = tokio::time::timeout(Duration::from_secs(5), c.read(&mut buf))
            .await
            .expect("a stalled header is cut off")
            .unwrap_or(0);
        let said = String::from_utf8_lossy(&buf[..n]);
        assert!(n == 0 || said.starts_with("HTTP/1.1 408"), "{said}");
    }
}
