//! Logging (tracing to stderr, filtered by RUST_LOG, default `opsdesk=info,warn`, e-mails and card numbers
//! redacted from every line) and the process-wide TLS set-up.

use std::io::IsTerminal;
use tracing_subscriber::EnvFilter;

/// Logs to stderr at `default` level (or RUST_LOG), as text or one JSON object per line.
pub fn init(default: &str, json: bool) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default));
    let writer = || crate::redact::RedactingWriter(std::io::stderr());
    let b = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        .with_target(false);
    let _ = if json {
        b.json().try_init()
    } else {
        b.with_ansi(colour()).try_init()
    };
}

/// Colour only for a person at a terminal, and never when `NO_COLOR` is set (no-color.org).
fn colour() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stderr().is_terminal()
}

/// Chooses rustls's ring provider for the whole process (more than one TLS stack is linked, so rustls
/// cannot pick by itself). Safe to call more than once.
pub fn install_tls_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}
