//! opsdesk: a chat-ops bot that runs a small company's support, infrastructure alerts and finance
//! digests from Slack and Discord (and, with no tokens, from a terminal console).
//!
//! # Layout
//! Lowest layer first; docs/ARCHITECTURE.md's module table says what each may import, and a test
//! holds the code to it.
//! - [`domain`] — the platform-neutral core: events, replies and cards, tickets and their state
//!   machine, triage tiers, the desks' decisions, sign-off rules, alert groups, the finance ledger,
//!   inbox keys and the port traits. Imports no platform, database or LLM crate.
//! - [`redact`], [`clock`], [`telemetry`] — log redaction (e-mails, card numbers), time, logging.
//! - [`config`] — settings layered over the built-in `config/default.toml`, then `config/ENV.toml`
//!   and `OPSDESK__…`; who is on the team.
//! - [`net`] — outbound HTTP through one shared client, each call with a timeout.
//! - [`triage`] — the offline, trainable classifier (TF-IDF + logistic regression, optionally through
//!   hidden-layer networks and with pretrained word embeddings) and config rules.
//! - [`kb`] — the knowledge base: markdown sections (pulldown-cmark) indexed with tantivy (BM25).
//! - [`finance`] — Stripe webhooks into the ledger, money in each currency's exponent, the report,
//!   schedules and the MRR chart.
//! - [`prompts`] — minijinja templates, built in and overridable from `prompts/`.
//! - [`store`] — the store ports over sqlx `Any`: SQLite by default, Postgres for scale-out.
//! - [`alerts`] — alert webhooks (Alertmanager, Grafana, Sentry, generic) parsed into batches, and
//!   Alertmanager's silence API.
//! - [`exec`] — what runs after sign-off: allow-listed runbooks, HMAC-signed webhooks, Stripe refunds,
//!   GitHub issues.
//! - [`llm`] — the async-openai adapter behind the `Llm` port, the agents' tool loop and each agent's
//!   typed tools (tier 1 account reads, tier 2 logs/health/alerts/known issues, the assistant).
//! - [`pipeline`] — inbox → route → desk → one atomic commit; one file per flow (customer message,
//!   click, command, alert, Stripe event, sign-off, SLA).
//! - [`sender`] — the outbox worker delivering through the chat platforms, paced, with retries.
//! - [`commands`] — `/ops …`, one module per command, plugged into the pipeline.
//! - [`http`] — the HTTP server: webhooks, health, metrics.
//! - [`chat`] — platform adapters: Slack (Socket Mode, Block Kit), Discord (gateway, components) and
//!   the terminal console.
//! - [`app`], [`runtime`], [`cli`] — start-up wiring, the running bot, the command line.

pub mod alerts;
pub mod app;
pub mod chat;
pub mod cli;
pub mod clock;
pub mod commands;
pub mod config;
pub mod domain;
pub mod exec;
pub mod finance;
pub mod http;
pub mod kb;
pub mod llm;
pub mod net;
pub mod pipeline;
pub mod prompts;
pub mod redact;
pub mod runtime;
pub mod sender;
pub mod store;
pub mod telemetry;
pub mod triage;
pub mod vectors;
pub mod words;
