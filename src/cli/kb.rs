//! `opsdesk kb search "<query>"`: what the knowledge base returns, with scores.

use crate::config::Settings;
use crate::domain::ports::KnowledgeBase;
use crate::kb::Kb;
use clap::Subcommand;
use std::io::Write;

#[derive(Subcommand, Debug)]
pub enum KbCmd {
    /// Search the knowledge base.
    Search {
        query: String,
        /// How many sections to show.
        #[arg(short = 'n', long, default_value_t = 5)]
        limit: usize,
    },
}

pub fn run(s: &Settings, cmd: &KbCmd) -> anyhow::Result<()> {
    let KbCmd::Search { query, limit } = cmd;
    let kb = Kb::load(&s.kb.path, &s.kb.base_url)?;
    let hits = kb.search(query, *limit);
    let mut out = std::io::stdout().lock();
    if hits.is_empty() {
        writeln!(out, "no matching section")?;
    }
    for h in hits {
        let mark = if h.score >= s.kb.min_score {
            "answer"
        } else {
            "below threshold"
        };
        writeln!(out, "{:>6.2}  {}  <{}>  [{mark}]", h.score, h.title, h.link)?;
    }
    Ok(())
}
