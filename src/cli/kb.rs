//! `opsdesk kb search "<query>"`: what the knowledge base returns, with scores; `opsdesk kb eval`:
//! how well the desk answers labelled questions (see `kb_eval`).

use crate::config::Settings;
use crate::domain::ports::KnowledgeBase;
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
        /// One JSON object per section instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Score the desk's answers on labelled messages (JSONL: text, kind, answer_sections).
    Eval {
        #[arg(long, value_name = "FILE")]
        data: std::path::PathBuf,
        /// One JSON object instead of text.
        #[arg(long)]
        json: bool,
        /// Also score other values of kb.min_coverage, kb.min_margin and kb.min_similarity_margin,
        /// and of the clear lead (kb.clear_margin, kb.clear_similarity_margin).
        #[arg(long)]
        sweep: bool,
        /// List every miss with what was quoted.
        #[arg(long)]
        verbose: bool,
    },
    /// Questions the knowledge base could not answer, grouped by what they ask about.
    Gaps {
        /// How far back: 30m, 12h, 7d…
        #[arg(long, default_value = "7d")]
        since: String,
        /// One JSON object per group instead of text.
        #[arg(long)]
        json: bool,
        /// Group this file's questions instead (JSONL: text, and optionally group to score against).
        #[arg(long, value_name = "FILE")]
        data: Option<std::path::PathBuf>,
        /// With --data: score the grouping at several values of kb.gap_similarity.
        #[arg(long, requires = "data")]
        sweep: bool,
    },
}

pub async fn run(s: &Settings, cmd: &KbCmd) -> anyhow::Result<()> {
    match cmd {
        KbCmd::Search { query, limit, json } => search(s, query, *limit, *json),
        KbCmd::Eval {
            data,
            json,
            sweep,
            verbose,
        } => eval(s, data, *json, *sweep, *verbose).await,
        KbCmd::Gaps {
            since,
            json,
            data,
            sweep,
        } => super::kb_gaps::run(s, since, *json, data.as_deref(), *sweep).await,
    }
}

fn search(s: &Settings, query: &str, limit: usize, json: bool) -> anyhow::Result<()> {
    let kb = crate::app::knowledge_base(&s.kb)?;
    let hits = kb.search(query, limit);
    let mut out = std::io::stdout().lock();
    if json {
        for h in &hits {
            let v = serde_json::json!({
                "id": h.id, "title": h.title, "link": h.link, "score": h.score, "coverage": h.coverage,
                "similarity": h.similarity, "lexical_rank": h.lexical_rank,
                "semantic_rank": h.semantic_rank, "heading_words": h.heading_words, "elsewhere": h.elsewhere, "text": h.text,
            });
            writeln!(out, "{v}")?;
        }
        return Ok(());
    }
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

/// The values `--sweep` tries: kb.min_coverage × kb.min_margin × kb.min_similarity_margin (1.0:
/// a lead on meaning never suffices).
const COVERAGES: [f64; 5] = [0.2, 0.3, 0.4, 0.5, 0.6];
const MARGINS: [f64; 4] = [0.0, 0.1, 0.2, 0.3];
const SIMILARITY_MARGINS: [f64; 4] = [0.05, 0.1, 0.15, 1.0];

async fn eval(
    s: &Settings,
    data: &std::path::Path,
    json: bool,
    sweep: bool,
    verbose: bool,
) -> anyhow::Result<()> {
    use super::kb_report::{describe, misses, report};
    let lines = super::kb_eval::read(data)?;
    let scored = super::kb_eval::score(s, &lines, verbose).await?;
    let r = report(&scored);
    let mut points = vec![];
    if sweep {
        for c in COVERAGES {
            for m in MARGINS {
                for sm in SIMILARITY_MARGINS {
                    let mut t = s.clone();
                    t.kb.min_coverage = c as f32;
                    t.kb.min_margin = m as f32;
                    t.kb.min_similarity_margin = sm as f32;
                    let r = report(&super::kb_eval::score(&t, &lines, false).await?);
                    points.push((c, m, sm, r));
                }
            }
        }
    }
    let clear = if sweep {
        super::kb_sweep::clear_leads(s, &lines).await?
    } else {
        vec![]
    };
    let mut out = std::io::stdout().lock();
    if json {
        let sweep: Vec<_> = points
            .iter()
            .map(|(c, m, sm, r)| {
                serde_json::json!({
                    "min_coverage": c, "min_margin": m, "min_similarity_margin": sm, "report": r,
                })
            })
            .collect();
        let misses = if verbose { misses(&scored) } else { vec![] };
        let clear = super::kb_sweep::clear_json(&clear);
        let v = serde_json::json!({
            "report": r, "sweep": sweep, "clear_sweep": clear, "misses": misses,
        });
        writeln!(out, "{v}")?;
        return Ok(());
    }
    writeln!(out, "{}", describe(&r))?;
    if sweep {
        writeln!(
            out,
            "\nmin_coverage min_margin min_similarity_margin  precision coverage \
             false-answers human-recall helped"
        )?;
        for (c, m, sm, r) in &points {
            writeln!(
                out,
                "{c:>12.2} {m:>10.2} {sm:>21.2}  {:>9.3} {:>8.3} {:>13.3} {:>12} {:>6.3}",
                r.precision,
                r.coverage,
                r.false_answer_rate,
                super::kb_report::recall(r.human_recall),
                r.helped
            )?;
        }
        super::kb_sweep::write_clear(&mut out, &clear)?;
    }
    if verbose {
        for m in misses(&scored) {
            writeln!(out, "{m}")?;
        }
    }
    Ok(())
}
