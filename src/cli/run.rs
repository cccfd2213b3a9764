//! `opsdesk run`: the store, the pipeline, the outbox sender and — with no Slack/Discord tokens —
//! the terminal console, until end of input, `/quit` or Ctrl-C.

use crate::chat::console::{Console, HELP};
use crate::config::Settings;
use crate::domain::Platform;
use crate::domain::ports::{ChatPlatform, Store};
use crate::sender::Sender;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::BufReader;

pub async fn run(s: Settings) -> anyhow::Result<()> {
    let store: Arc<dyn Store> = Arc::new(crate::app::open_store(&s, &s.store.url).await?);
    let console = Arc::new(Console::new(Box::new(std::io::stdout())));
    let pipeline = crate::app::pipeline(s, store.clone(), vec!["console".into()]).await?;
    let now = crate::clock::now();
    let recovered = pipeline.recover(now, now).await?;
    if recovered > 0 {
        tracing::info!(recovered, "re-processed events left from an earlier run");
    }
    let mut platforms: HashMap<Platform, Arc<dyn ChatPlatform>> = HashMap::new();
    platforms.insert(Platform::Console, console.clone());
    let sender = Sender { store: store.clone(), platforms, owner: format!("opsdesk-{}", std::process::id()) };
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let worker = tokio::spawn(sender.run(pipeline.outbox_ready.clone(), stopped, Duration::from_secs(1)));

    console.note(HELP);
    tokio::select! {
        r = console.read_loop(&pipeline, BufReader::new(tokio::io::stdin())) => r?,
        _ = tokio::signal::ctrl_c() => console.note("(interrupted)"),
    }
    // Let the sender deliver what the last input produced (bounded: the rows stay queued otherwise).
    for _ in 0..50 {
        if store.outbox_depth().await? == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let _ = stop.send(true);
    let _ = worker.await;
    Ok(())
}
