//! Integration tests: one binary (faster to link), one module per area.

// Test code, helpers and fakes included: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

#[path = "../support/mod.rs"]
mod support;

mod agents;
mod alert_actions;
mod alert_silences;
mod alert_sources;
mod alert_storm;
mod alert_storm_race;
mod alert_titles;
mod alerts;
mod approval_runs;
mod approvals;
mod assistant;
mod both_platforms;
mod cli;
mod cli_doctor;
mod cli_export;
mod cli_sweep;
mod cli_train;
mod cli_train_vectors;
mod console;
mod deploy;
mod desk;
mod desk_owned;
mod desk_sla;
mod digests;
mod discord;
mod discord_alerts;
mod discord_backfill;
mod discord_fixtures;
mod discord_gateway;
mod discord_team;
mod finance;
mod finance_chat;
mod finance_fixtures;
mod finance_month;
mod finance_month_payments;
mod finance_quarter;
mod finance_quarter_events;
mod finance_quarter_money;
mod http_edge;
mod kb_answers;
mod kb_gaps;
mod kb_learned;
mod layout;
mod leader;
mod llm;
mod llm_live;
mod metrics;
mod ops_commands;
mod pipeline;
mod pipeline_durability;
mod refunds;
mod sender;
mod slack;
mod slack_alerts;
mod slack_fixtures;
mod slack_links;
mod slack_socket;
mod slack_team;
mod store_contract;
mod store_gauges;
mod store_inbox;
mod store_outbox;
mod store_races;
mod store_records;
mod support_digest;
mod tier1_llm;
mod tier2_llm;
mod triage_fixtures;
mod triage_real;
mod wordllama;
