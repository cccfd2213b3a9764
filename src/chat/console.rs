//! The terminal console: stands in for Slack and Discord when no tokens are configured. You type as a
//! customer, `/ops …` as a founder, and a number to click the button shown with that number.

use super::render;
use crate::domain::ports::{ChatPlatform, Outbound, OutboundOp, SendError};
use crate::domain::{Button, Event, EventKind, Platform};
use crate::pipeline::{Handled, Pipeline};
use async_trait::async_trait;
use std::io::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use tokio::io::{AsyncBufRead, AsyncBufReadExt};

/// A button printed on the console, clickable by its number.
#[derive(Debug, Clone)]
struct Choice {
    button: Button,
    message: String,
    channel: String,
    thread: Option<String>,
}

pub struct Console {
    out: Mutex<Box<dyn Write + Send>>,
    choices: Mutex<Vec<Choice>>,
    seq: AtomicU64,
}

pub const HELP: &str = "opsdesk console — type a question as a customer; a number clicks that button; \
/ops status | tickets [--escalated] | metrics as a founder; /new starts a new conversation; /quit exits.";

impl Console {
    pub fn new(out: Box<dyn Write + Send>) -> Console {
        Console {
            out: Mutex::new(out),
            choices: Mutex::new(Vec::new()),
            seq: AtomicU64::new(0),
        }
    }

    /// Prints a line that is not a platform message (notes, triage summaries).
    pub fn note(&self, line: &str) {
        let mut out = self.out.lock().expect("console output lock");
        let _ = writeln!(out, "{line}");
        let _ = out.flush();
    }

    /// The question a numbered button asks before it counts, if it asks one.
    fn asks_for(&self, line: &str) -> Option<String> {
        let k = line.parse::<usize>().ok()?;
        self.choices
            .lock()
            .expect("choices lock")
            .get(k.wrapping_sub(1))
            .and_then(|c| c.button.asks.clone())
    }

    /// The event a typed line stands for, if any. `thread` is the current conversation.
    fn event_for(
        &self,
        line: &str,
        pipeline: &Pipeline,
        run: i64,
        n: u64,
        thread: &Option<String>,
    ) -> Option<Event> {
        let c = &pipeline.settings.console;
        let base = |kind| Event {
            platform: Platform::Console,
            id: format!("{run}-{n}"),
            channel: c.channel.clone(),
            thread: thread.clone(),
            user: c.user.clone(),
            user_name: None,
            roles: vec![],
            interaction: None,
            at: crate::clock::now(),
            kind,
        };
        if let Some(args) = line.strip_prefix("/ops") {
            return Some(Event {
                thread: None,
                ..base(EventKind::CommandInvoked {
                    name: "ops".into(),
                    args: args.trim().into(),
                })
            });
        }
        if let Ok(k) = line.parse::<usize>() {
            let choice = self
                .choices
                .lock()
                .expect("choices lock")
                .get(k.wrapping_sub(1))
                .cloned();
            let Some(ch) = choice else {
                self.note(&format!("(no button numbered {k})"));
                return None;
            };
            let kind = EventKind::ButtonClicked {
                action: ch.button.action,
                value: ch.button.value,
                message: ch.message,
                input: None,
            };
            return Some(Event {
                channel: ch.channel,
                thread: ch.thread,
                ..base(kind)
            });
        }
        Some(base(EventKind::MessagePosted {
            text: line.to_string(),
            mentioned: false,
        }))
    }

    /// Reads lines until end of input or `/quit`, feeding each through the pipeline.
    pub async fn read_loop(
        &self,
        pipeline: &Pipeline,
        input: impl AsyncBufRead + Unpin,
    ) -> std::io::Result<()> {
        let run = crate::clock::now();
        let mut lines = input.lines();
        let mut thread: Option<String> = None;
        let mut n = 0u64;
        while let Some(line) = lines.next_line().await? {
            let line = line.trim();
            match line {
                "" => continue,
                "/quit" | "/exit" => break,
                "/new" => {
                    thread = None;
                    self.note("(new conversation)");
                    continue;
                }
                "/help" => {
                    self.note(HELP);
                    continue;
                }
                _ => {}
            }
            n += 1;
            let Some(mut ev) = self.event_for(line, pipeline, run, n, &thread) else {
                continue;
            };
            if let EventKind::ButtonClicked { input, .. } = &mut ev.kind
                && let Some(question) = self.asks_for(line)
            {
                // The console's stand-in for a modal: the next line is the answer.
                self.note(&format!("{question} (type your answer)"));
                *input = lines.next_line().await?.map(|l| l.trim().to_string());
            }
            let is_message = matches!(ev.kind, EventKind::MessagePosted { .. });
            let id = ev.id.clone();
            let handled = pipeline.handle(ev, crate::clock::now()).await;
            wait_for_delivery(pipeline).await;
            match handled {
                Ok(Handled::Done(o)) if is_message => {
                    thread.get_or_insert(id);
                    if let (Some(t), Some(c)) = (o.tier, o.confidence) {
                        let what = if o.escalated {
                            "escalated to a person"
                        } else if o.answer.is_some() {
                            "answered"
                        } else {
                            "no reply"
                        };
                        self.note(&format!("  (triage: {t}, confidence {c:.2}; {what})"));
                    }
                }
                Ok(Handled::Ignored(why)) => self.note(&format!("  (ignored: {why})")),
                Ok(_) => {}
                Err(e) => self.note(&format!("  (error: {e})")),
            }
        }
        Ok(())
    }
}

/// Waits (up to 3 s) until the outbox is empty, so replies show before the next line is read —
/// in a terminal and when a script pipes lines in.
async fn wait_for_delivery(pipeline: &Pipeline) {
    for _ in 0..300 {
        match pipeline.store.outbox_depth().await {
            Ok(0) | Err(_) => return,
            Ok(_) => tokio::time::sleep(std::time::Duration::from_millis(10)).await,
        }
    }
}

#[async_trait]
impl ChatPlatform for Console {
    fn platform(&self) -> Platform {
        Platform::Console
    }

    async fn send(
        &self,
        msg: &Outbound,
        target: Option<&str>,
    ) -> Result<Option<String>, SendError> {
        let id = format!("m{}", self.seq.fetch_add(1, Ordering::Relaxed) + 1);
        let where_ = match (&msg.op, &msg.thread) {
            (OutboundOp::Ephemeral { .. }, _) => "only you see this".to_string(),
            (OutboundOp::Update { .. }, _) => format!("edited {}", target.unwrap_or("?")),
            (OutboundOp::Post, Some(_)) => format!("#{} thread", msg.channel),
            (OutboundOp::Post, None) => format!("#{}", msg.channel),
        };
        let first = {
            let mut choices = self.choices.lock().expect("choices lock");
            let first = choices.len() + 1;
            let message = match (&msg.op, target) {
                (OutboundOp::Update { .. }, Some(t)) => t.to_string(),
                _ => id.clone(),
            };
            for b in msg.reply.buttons() {
                choices.push(Choice {
                    button: b.clone(),
                    message: message.clone(),
                    channel: msg.channel.clone(),
                    thread: msg.thread.clone(),
                });
            }
            first
        };
        self.note(&format!(
            "\nopsdesk [{where_}]\n{}",
            render::text(&msg.reply, first)
        ));
        Ok(Some(match (&msg.op, target) {
            (OutboundOp::Update { .. }, Some(t)) => t.to_string(),
            _ => id,
        }))
    }
}
