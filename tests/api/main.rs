//! Integration tests: one binary (faster to link), one module per area.

// Test code, helpers and fakes included: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

#[path = "../support/mod.rs"]
mod support;

mod agents;
mod alert_actions;
mod alert_sources;
mod alert_storm;
mod alerts;
mod approvals;
mod assistant;
mod cli;
mod console;
mod desk;
mod digests;
mod discord;
mod discord_alerts;
mod discord_fixtures;
mod finance;
mod finance_chat;
mod finance_fixtures;
mod layout;
mod llm;
mod llm_live;
mod pipeline;
mod refunds;
mod sender;
mod slack;
mod slack_alerts;
mod slack_fixtures;
mod store_contract;
mod store_gauges;
mod store_inbox;
mod store_races;
mod tier1_llm;
mod tier2_llm;
mod wordllama;
