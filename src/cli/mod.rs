//! The command line (fixed surface, see docs/ARCHITECTURE.md): one module per subcommand.

pub mod ask;
pub mod doctor;
pub mod finance;
pub mod kb;
pub mod kb_eval;
pub mod kb_gaps;
pub mod kb_report;
pub mod kb_sweep;
pub mod run;
pub mod triage;
mod triage_export;
mod triage_sweep;

use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "opsdesk",
    version,
    about = "Support, alerts and finance from Slack and Discord"
)]
pub struct Cli {
    /// Folder with default.toml and <env>.toml.
    #[arg(long, global = true, default_value = crate::config::DEFAULT_DIR)]
    pub config: PathBuf,
    #[command(subcommand)]
    pub cmd: Cmd,
}

#[derive(Subcommand, Debug)]
pub enum Cmd {
    /// Start everything configured; in a terminal with no Slack/Discord tokens, a console too.
    Run {
        /// Serve webhooks, /healthz, /readyz and /metrics here (default: http.addr, 127.0.0.1:8080).
        #[arg(long, value_name = "ADDR")]
        http: Option<String>,
        /// The terminal console even when stdin is not a terminal (a script typing into it).
        #[arg(long, conflicts_with = "no_console")]
        console: bool,
        /// No console even in a terminal: run as a service.
        #[arg(long)]
        no_console: bool,
    },
    /// Run one message through the customer pipeline.
    Ask {
        text: String,
        /// One JSON object instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Triage JSONL {"text"} from stdin; or train / eval a model.
    Triage(triage::Args),
    /// Knowledge-base tools.
    Kb {
        #[command(subcommand)]
        cmd: kb::KbCmd,
    },
    /// Finance reports from the Stripe ledger.
    Finance {
        #[command(subcommand)]
        cmd: finance::FinanceCmd,
    },
    /// Create or update the database schema.
    Migrate,
    /// Check configuration, database and connections.
    Doctor,
}
