//! Finance: Stripe webhooks into the ledger (signature, parsing, out-of-order safe merging in the
//! domain), and the report the CLI, `/ops finance` and the digests print.

pub mod chart;
pub mod chart_tickets;
pub mod money;
pub mod report;
pub mod schedule;
pub mod stripe;
mod stripe_objects;
