//! `opsdesk ask "<text>" [--json]`: one message through the customer pipeline, on a throwaway
//! in-memory database so trying things never touches your real tickets.

use crate::config::Settings;
use crate::domain::Tier;
use crate::domain::{Event, EventKind, Platform};
use crate::pipeline::{Handled, Outcome};
use serde_json::json;
use std::sync::Arc;

pub async fn run(s: Settings, text: &str, as_json: bool) -> anyhow::Result<()> {
    let store = crate::app::open_store(&s, "sqlite::memory:").await?;
    let user = s.console.user.clone();
    let channel = s.console.channel.clone();
    let p = crate::app::pipeline(s, Arc::new(store), vec!["ask".into()]).await?;
    let now = crate::clock::now();
    let ev = Event {
        platform: Platform::Console,
        id: format!("ask-{now}"),
        channel,
        thread: None,
        user,
        user_name: None,
        roles: vec![],
        interaction: None,
        at: now,
        kind: EventKind::MessagePosted {
            text: text.to_string(),
            mentioned: false,
        },
    };
    let outcome = match p.handle(ev, now).await? {
        Handled::Done(o) => o,
        // Not a support request: no ticket and no reply, which is an answer too.
        Handled::Ignored(_) | Handled::Spam(_) => Outcome {
            tier: Some(Tier::None),
            ..Outcome::default()
        },
        Handled::Duplicate => anyhow::bail!("duplicate event"),
    };
    let tier = outcome.tier.map(|t| t.to_string());
    if as_json {
        println!("{}", to_json(&outcome));
        return Ok(());
    }
    println!(
        "tier: {} (confidence {:.2})",
        tier.as_deref().unwrap_or("-"),
        outcome.confidence.unwrap_or(0.0)
    );
    match &outcome.answer {
        Some(a) => println!("{a}"),
        None if outcome.escalated => {
            println!("escalated to a person: no answer is sent without one")
        }
        None => println!("no reply (not a support request)"),
    }
    for c in &outcome.citations {
        println!("source: {} <{}>", c.title, c.link);
    }
    for c in &outcome.suggestions {
        let what = if outcome.known_issues.contains(c) {
            "known issue"
        } else {
            "may help (not an answer)"
        };
        println!("{what}: {} <{}>", c.title, c.link);
    }
    Ok(())
}

/// The outcome as `ask --json` prints it.
pub fn to_json(o: &Outcome) -> serde_json::Value {
    json!({
        "tier": o.tier.map(|t| t.to_string()),
        "confidence": o.confidence,
        "answer": o.answer,
        "citations": o.citations,
        "suggestions": o.suggestions,
        "known_issues": o.known_issues,
        "escalated": o.escalated,
    })
}
