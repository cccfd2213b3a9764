//! `opsdesk kb eval --data FILE [--json] [--sweep] [--verbose]`: labelled customer messages through the
//! customer pipeline (as `ask` runs them, on a throwaway database) → how often a quoted section answers
//! the question, how many answerable questions get one, and how often a question the docs cannot
//! answer (or an incident) gets a quote anyway.

use crate::config::Settings;
use crate::domain::{Event, EventKind, Platform, Tier};
use crate::pipeline::{Handled, Outcome};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// The docs answer it: `answer_sections` lists the sections that do.
    Answerable,
    /// The docs do not answer it (a feature that does not exist, say).
    Unanswerable,
    /// Something is broken now.
    Incident,
    /// A person must handle it (refunds, disputes, legal, anger).
    Human,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Line {
    pub text: String,
    pub kind: Kind,
    #[serde(default)]
    pub answer_sections: Vec<String>,
    /// Words the answer itself says (`"--deploy-hook"`): a right quote is on point when its text
    /// shows one of them, not only the section's other lines.
    #[serde(default)]
    pub answer_contains: Vec<String>,
}

/// What the desk did with one line.
#[derive(Debug, Clone, Serialize)]
pub struct Scored {
    pub text: String,
    pub kind: Kind,
    pub tier: Option<String>,
    /// Section ids quoted as the answer.
    pub quoted: Vec<String>,
    /// Section ids offered as "may help".
    pub suggested: Vec<String>,
    pub escalated: bool,
    /// A quote that answers the question (answerable lines only).
    pub right: bool,
    /// A page offered (a known issue or "may help") that answers it or, for an incident, is about
    /// its symptom.
    pub suggested_right: bool,
    /// The line names sections (`answer_sections` is not empty).
    #[serde(skip)]
    pub has_sections: bool,
    /// For a right quote of a line with `answer_contains`: whether the quoted text shows one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub on_point: Option<bool>,
    /// For an answerable line with no quote (when asked for): the best section, whether it is a
    /// right one, and the bars it missed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub why: Option<String>,
}

/// Reads the JSONL file; a bad line is an error naming it.
pub fn read(path: &std::path::Path) -> anyhow::Result<Vec<Line>> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
    let mut out = vec![];
    for (i, l) in text.lines().enumerate() {
        if l.trim().is_empty() {
            continue;
        }
        let line: Line = serde_json::from_str(l).map_err(|e| {
            anyhow::anyhow!(
                "{} line {}: {e} (want {{\"text\", \"kind\": \"answerable\" | \"unanswerable\" | \"incident\" | \"human\", \"answer_sections\": [\"page#section\"]}})",
                path.display(),
                i + 1
            )
        })?;
        if line.text.trim().is_empty() {
            anyhow::bail!("{} line {}: empty text", path.display(), i + 1);
        }
        out.push(line);
    }
    Ok(out)
}

/// Runs every line through a fresh pipeline built from `s`; with `why`, says for each answerable
/// line left unquoted which section came first and which bars it missed.
pub async fn score(s: &Settings, lines: &[Line], why: bool) -> anyhow::Result<Vec<Scored>> {
    use crate::domain::ports::KnowledgeBase;
    let kb = if why {
        Some(crate::app::knowledge_base(&s.kb)?)
    } else {
        None
    };
    let store = crate::app::open_store(s, "sqlite::memory:").await?;
    let user = s.console.user.clone();
    let channel = s.console.channel.clone();
    let base = format!("{}/", s.kb.base_url.trim_end_matches('/'));
    let p = crate::app::pipeline(s.clone(), Arc::new(store), vec!["kb-eval".into()]).await?;
    let now = crate::clock::now();
    let mut out = Vec::with_capacity(lines.len());
    for (i, line) in lines.iter().enumerate() {
        let ev = Event {
            platform: Platform::Console,
            id: format!("kb-eval-{i}"),
            channel: channel.clone(),
            thread: None,
            user: format!("{user}-{i}"),
            user_name: None,
            roles: vec![],
            interaction: None,
            at: now,
            kind: EventKind::MessagePosted {
                text: line.text.clone(),
                mentioned: false,
            },
        };
        let o = match p.handle(ev, now).await? {
            Handled::Done(o) => o,
            _ => Outcome {
                tier: Some(Tier::None),
                ..Outcome::default()
            },
        };
        let ids = |c: &[crate::domain::Citation]| -> Vec<String> {
            c.iter()
                .map(|c| c.link.strip_prefix(&base).unwrap_or(&c.link).to_string())
                .collect()
        };
        // A label names a section by where its page is published (`guides/install#docker`) or
        // by its id, the page's name alone (`install#docker`).
        let named = |c: &crate::domain::Citation| {
            let path = c.link.strip_prefix(&base).unwrap_or(&c.link);
            line.answer_sections
                .iter()
                .any(|l| l == path || (!c.id.is_empty() && *l == c.id))
        };
        let quoted = ids(&o.citations);
        let right =
            line.kind == Kind::Answerable && !quoted.is_empty() && o.citations.iter().all(named);
        let suggested = ids(&o.suggestions);
        let suggested_right = matches!(line.kind, Kind::Answerable | Kind::Incident)
            && o.suggestions.iter().any(named);
        let why = kb
            .as_ref()
            .filter(|_| line.kind == Kind::Answerable && quoted.is_empty())
            .map(|kb| {
                let hits = kb.search(&line.text, 5);
                let bars = crate::domain::answer_leads::shortfall(&hits, &s.kb.bar());
                match hits.first() {
                    None => bars,
                    Some(h) => {
                        let right = if line.answer_sections.contains(&h.id) {
                            "right"
                        } else {
                            "not right"
                        };
                        let bars = if bars.is_empty() {
                            "clears the bars; held back by its tier or a rule"
                        } else {
                            &bars
                        };
                        format!("first {} ({right}): {bars}", h.id)
                    }
                }
            });
        let on_point = (right && !line.answer_contains.is_empty()).then(|| {
            let said = plain(o.answer.as_deref().unwrap_or(""));
            line.answer_contains
                .iter()
                .any(|a| said.contains(&plain(a)))
        });
        out.push(Scored {
            on_point,
            why,
            text: line.text.clone(),
            kind: line.kind,
            tier: o.tier.map(|t| t.to_string()),
            suggested,
            quoted,
            escalated: o.escalated,
            right,
            suggested_right,
            has_sections: !line.answer_sections.is_empty(),
        });
    }
    Ok(out)
}

/// Text as `answer_contains` compares it: lower case, no code marks, single spaces.
fn plain(text: &str) -> String {
    text.to_lowercase()
        .replace('`', "")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}
