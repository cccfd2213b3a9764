//! `opsdesk finance report --from DATE --to DATE [--json]`: the ledger's figures for a period, per currency.

use crate::config::Settings;
use crate::domain::finance_report::report;
use crate::domain::ports::FinanceStore;
use crate::finance::report::{parse_date, text};
use clap::Subcommand;

#[derive(Subcommand, Debug)]
pub enum FinanceCmd {
    /// MRR and its movements, churn, failed payments, refunds, disputes, cash and deferred revenue.
    Report {
        /// First day of the period (YYYY-MM-DD, UTC).
        #[arg(long, value_parser = parse_date)]
        from: i64,
        /// Day after the period (YYYY-MM-DD, UTC; the period ends before it).
        #[arg(long, value_parser = parse_date)]
        to: i64,
        /// One JSON object instead of text.
        #[arg(long)]
        json: bool,
    },
}

pub async fn run(s: &Settings, cmd: &FinanceCmd) -> anyhow::Result<()> {
    let FinanceCmd::Report { from, to, json } = cmd;
    anyhow::ensure!(to > from, "--to must be after --from");
    let store = crate::app::open_store(s, &s.store.url).await?;
    let r = report(&store.finance_ledger().await?, *from, *to);
    if *json {
        println!("{}", serde_json::to_string(&r)?);
    } else {
        println!("{}", text(&r, chrono_tz::UTC, None));
    }
    Ok(())
}
