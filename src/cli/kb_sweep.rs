//! `opsdesk kb eval --sweep`'s rows for the clear lead: the configured answer bars with other values
//! of `kb.clear_margin` and `kb.clear_similarity_margin` (and the clear lead off), so a desk sees
//! what quoting a long message on a lead on words and meaning at once buys and costs on its docs.

use super::kb_eval::{Line, score};
use super::kb_report::{Report, recall, report};
use crate::config::Settings;
use std::io::Write;

/// The pairs tried: (clear_margin, clear_similarity_margin); a margin above 1 can never be met, so
/// the last pair turns the clear lead off.
const CLEAR_LEADS: [(f64, f64); 5] = [(0.3, 0.15), (0.4, 0.2), (0.5, 0.25), (0.6, 0.3), (2.0, 2.0)];

/// One row: the pair and what the desk does with it.
pub struct ClearPoint {
    pub margin: f64,
    pub similarity_margin: f64,
    pub report: Report,
}

/// Scores `lines` once per pair, every other setting as configured.
pub async fn clear_leads(s: &Settings, lines: &[Line]) -> anyhow::Result<Vec<ClearPoint>> {
    let mut out = Vec::with_capacity(CLEAR_LEADS.len());
    for (margin, similarity_margin) in CLEAR_LEADS {
        let mut t = s.clone();
        t.kb.clear_margin = margin as f32;
        t.kb.clear_similarity_margin = similarity_margin as f32;
        let report = report(&score(&t, lines, false).await?);
        out.push(ClearPoint {
            margin,
            similarity_margin,
            report,
        });
    }
    Ok(out)
}

/// The rows as JSON objects; a pair that turns the lead off is `"off"`.
pub fn clear_json(points: &[ClearPoint]) -> Vec<serde_json::Value> {
    points
        .iter()
        .map(|p| {
            let (m, sm) = if p.margin > 1.0 {
                (serde_json::json!("off"), serde_json::json!("off"))
            } else {
                (p.margin.into(), p.similarity_margin.into())
            };
            serde_json::json!({"clear_margin": m, "clear_similarity_margin": sm, "report": p.report})
        })
        .collect()
}

/// The rows as a table under the main sweep's.
pub fn write_clear(out: &mut impl Write, points: &[ClearPoint]) -> std::io::Result<()> {
    writeln!(
        out,
        "\nclear_margin clear_similarity_margin  precision coverage false-answers human-recall helped"
    )?;
    for p in points {
        let r = &p.report;
        let (m, sm) = if p.margin > 1.0 {
            ("off".to_string(), "off".to_string())
        } else {
            (
                format!("{:.2}", p.margin),
                format!("{:.2}", p.similarity_margin),
            )
        };
        writeln!(
            out,
            "{m:>12} {sm:>23}  {:>9.3} {:>8.3} {:>13.3} {:>12} {:>6.3}",
            r.precision,
            r.coverage,
            r.false_answer_rate,
            recall(r.human_recall),
            r.helped
        )?;
    }
    Ok(())
}
