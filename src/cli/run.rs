//! `opsdesk run`: the store, the pipeline, the outbox sender, the webhooks and the configured platforms
//! (Slack and Discord when their tokens are in the environment) until SIGTERM or SIGINT; then it stops
//! taking work and delivers what is queued for up to `http.shutdown_grace_secs`. It runs as a service
//! unless a console is asked for (`--console`), or stdin is a terminal and no platform is configured;
//! the console ends at end of input or `/quit` too.

use crate::chat::console::{Console, HELP};
use crate::config::Settings;
use crate::domain::ports::Store;
use crate::runtime::{Connect, Runtime};
use anyhow::Context;
use std::io::IsTerminal;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::BufReader;

/// `console`: `Some` when asked for (`--console` / `--no-console`), `None` to decide by the terminal.
pub async fn run(s: Settings, http: Option<String>, console: Option<bool>) -> anyhow::Result<()> {
    let addr = http.unwrap_or_else(|| s.http.addr.clone());
    let listener = tokio::net::TcpListener::bind(&addr)
        .await
        .with_context(|| format!("cannot listen on {addr} (http.addr / --http)"))?;
    let secrets = crate::http::HookSecrets::from_env(&s);
    let store: Arc<dyn Store> = Arc::new(crate::app::open_store(&s, &s.store.url).await?);
    let slack = s.slack.tokens_from_env();
    if slack.is_none() {
        tracing::info!(app = %s.slack.app_token_env, bot = %s.slack.bot_token_env, "Slack is off: its token variables are not set");
    }
    let discord = s.discord.token_from_env();
    if discord.is_none() {
        tracing::info!(token = %s.discord.token_env, "Discord is off: its token variable is not set");
    }
    let wanted = console
        .unwrap_or_else(|| slack.is_none() && discord.is_none() && std::io::stdin().is_terminal());
    if !wanted && slack.is_none() && discord.is_none() {
        tracing::info!(
            "no chat platform and no terminal: running as a service (webhooks, schedules); --console for the console"
        );
    }
    let grace = Duration::from_secs(s.http.shutdown_grace_secs);
    // Installed before anything says "running", so a signal sent on that line is never lost.
    let stop = shutdown_signal()?;
    let console = wanted.then(|| Arc::new(Console::new(Box::new(std::io::stdout()))));
    let rt = Runtime::start(
        s,
        store,
        Connect {
            console: console.clone(),
            slack,
            discord,
            http: Some((listener, secrets)),
        },
    )
    .await?;
    match &console {
        Some(console) => {
            console.note(HELP);
            tokio::select! {
                r = console.read_loop(&rt.pipeline, BufReader::new(tokio::io::stdin())) => r?,
                _ = stop => console.note("(interrupted)"),
            }
        }
        None => {
            tracing::info!("opsdesk is running; Ctrl-C or SIGTERM stops it");
            stop.await;
        }
    }
    // Let the sender deliver what the last events produced (bounded: the rows stay queued otherwise).
    tracing::info!(
        grace_secs = grace.as_secs(),
        "stopping: delivering what is queued"
    );
    rt.drain(grace).await?;
    rt.stop().await;
    Ok(())
}

/// Installs the SIGTERM and Ctrl-C handlers now and returns the wait for either.
fn shutdown_signal() -> std::io::Result<impl std::future::Future<Output = ()>> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut term = signal(SignalKind::terminate())?;
        let mut int = signal(SignalKind::interrupt())?;
        Ok(async move {
            tokio::select! {
                _ = int.recv() => {}
                _ = term.recv() => {}
            }
        })
    }
    #[cfg(not(unix))]
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
    })
}
