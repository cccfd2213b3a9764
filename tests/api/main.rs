//! Integration tests: one binary (faster to link), one module per area.

#[path = "../support/mod.rs"]
mod support;

mod alert_actions;
mod alert_sources;
mod alert_storm;
mod alerts;
mod approvals;
mod cli;
mod console;
mod desk;
mod discord;
mod discord_fixtures;
mod layout;
mod pipeline;
mod sender;
mod slack;
mod slack_fixtures;
mod store_contract;
