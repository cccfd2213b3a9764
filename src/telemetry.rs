//! Logging (tracing to stderr, filtered by RUST_LOG, default `opsdesk=info,warn`, e-mails and card numbers
//! redacted from every line) and the process-wide TLS set-up.

use tracing_subscriber::EnvFilter;

pub fn init(default: &str) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(|| crate::redact::RedactingWriter(std::io::stderr()))
        .with_target(false)
        .try_init();
}

/// Chooses rustls's ring provider for the whole process (more than one TLS stack is linked, so rustls
/// cannot pick by itself). Safe to call more than once.
pub fn install_tls_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}
