//! opsdesk: a chat-ops bot that runs a small company's support, infrastructure alerts and finance
//! digests from Slack and Discord (and, with no tokens, from a terminal console).
//!
//! # Layout
//! - [`domain`] — the platform-neutral core: events, replies and cards, tickets and their state
//!   machine, triage tiers, the support desk's decisions and the port traits. Imports no platform,
//!   database or LLM crate.
//! - [`triage`] — the offline, trainable classifier (TF-IDF + logistic regression, optionally through
//!   hidden-layer networks and with pretrained word embeddings) and config rules.
//! - [`kb`] — the knowledge base: markdown sections indexed with tantivy (BM25).
//! - [`store`] — the store ports over sqlx `Any`: SQLite by default, Postgres for scale-out.
//! - [`pipeline`] — inbox → route → desk → one atomic commit (ticket, conversation, outbox, audit);
//!   sign-off, people owning tickets and the SLA clock.
//! - [`sender`] — the outbox worker delivering through the chat platforms with retries.
//! - [`chat`] — platform adapters: Slack (Socket Mode, Block Kit) and the terminal console.
//! - [`runtime`] — the running bot: platforms, sender and inbox sweep started and stopped together.
//! - [`commands`] — `/ops …`, one module per command.
//! - [`alerts`], [`http`] — alert webhooks (Alertmanager, Grafana, Sentry, generic) parsed into batches,
//!   Alertmanager's silence API, and the HTTP server (hooks, health, metrics).
//! - [`finance`] — Stripe webhooks into the ledger (signature, events → records) and the finance report.
//! - [`exec`] — what runs after sign-off: allow-listed runbooks, HMAC-signed webhooks, Stripe refunds,
//!   GitHub issues.
//! - [`net`] — one outbound HTTP call with a timeout, for executors and the agents' tools.
//! - [`llm`] — the async-openai adapter behind the `Llm` port, the agents' tool loop and each agent's
//!   tools (tier 1 account reads, tier 2 logs/health/alerts/known issues, the team's assistant).
//! - [`prompts`] — minijinja templates, built in and overridable from `prompts/`.
//! - [`config`] — settings from `config/default.toml`, `config/<env>.toml` and `OPSDESK__…`.
//! - [`app`], [`cli`], [`telemetry`], [`redact`], [`clock`] — start-up wiring, the command line, logging
//!   (e-mails and card numbers masked), time.

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
