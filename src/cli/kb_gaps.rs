//! `opsdesk kb gaps [--since 7d] [--json]`: the configured database's unanswered questions, grouped
//! by what they ask about, largest group first (the same listing as `/ops kb gaps`).
//! `--data FILE [--sweep]` groups a file's questions instead and, where its lines name their
//! `group`, scores the grouping, so `kb.gap_similarity` can be chosen on a desk's own questions.

use crate::config::Settings;
use crate::domain::gaps::{GapGroup, KbGap, describe, groups};
use crate::domain::ports::KnowledgeBase;
use std::sync::Arc;

/// Example questions printed per group.
const EXAMPLES: usize = 3;
/// The values of `kb.gap_similarity` `--sweep` scores.
const SWEEP: [f32; 11] = [0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7];

pub async fn run(
    s: &Settings,
    since: &str,
    json: bool,
    data: Option<&std::path::Path>,
    sweep: bool,
) -> anyhow::Result<()> {
    if let Some(path) = data {
        return from_file(s, path, json, sweep);
    }
    let back = crate::domain::time::parse_duration(since).map_err(anyhow::Error::msg)?;
    anyhow::ensure!(back > 0, "--since must be longer than nothing, like 7d");
    let store = crate::app::open_store(s, &s.store.url).await?;
    let pipeline = crate::app::pipeline(s.clone(), Arc::new(store), vec![]).await?;
    let groups = pipeline.knowledge_gaps(crate::clock::now() - back).await?;
    print(&groups, json, &format!("in the last {}", since.trim()));
    Ok(())
}

fn print(groups: &[GapGroup], json: bool, period: &str) {
    if !json {
        println!("{}", describe(groups, EXAMPLES, period));
        return;
    }
    for g in groups {
        let v = serde_json::json!({
            "count": g.gaps.len(), "tickets": g.tickets(), "questions": g.gaps,
        });
        println!("{v}");
    }
}

#[derive(serde::Deserialize)]
struct Line {
    text: String,
    /// What the question is about, when known: the grouping is scored against it.
    #[serde(default, alias = "intent")]
    group: Option<String>,
}

fn read(path: &std::path::Path) -> anyhow::Result<Vec<Line>> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
    let mut out = vec![];
    for (n, l) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let line: Line = serde_json::from_str(l)
            .map_err(|e| anyhow::anyhow!("{}:{}: {e}", path.display(), n + 1))?;
        anyhow::ensure!(
            !line.text.trim().is_empty(),
            "{}:{}: empty text",
            path.display(),
            n + 1
        );
        out.push(line);
    }
    Ok(out)
}

fn from_file(s: &Settings, path: &std::path::Path, json: bool, sweep: bool) -> anyhow::Result<()> {
    let lines = read(path)?;
    let kb = crate::app::knowledge_base(&s.kb)?;
    let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
    let labelled = lines.iter().all(|l| l.group.is_some());
    if sweep {
        anyhow::ensure!(labelled, "--sweep needs a \"group\" on every line");
        println!("gap_similarity groups precision recall    f1");
        for t in SWEEP {
            let members = kb.group_similar(&texts, t);
            let p = pairwise(&lines, &members);
            println!(
                "{t:>14.2} {:>6} {:>9.3} {:>6.3} {:>5.3}",
                members.len(),
                p.0,
                p.1,
                p.2
            );
        }
        return Ok(());
    }
    let members = kb.group_similar(&texts, s.kb.gap_similarity);
    if labelled {
        let (p, r, f1) = pairwise(&lines, &members);
        eprintln!(
            "{} groups; pairs grouped together: precision {p:.3}, recall {r:.3}, F1 {f1:.3}",
            members.len()
        );
    }
    let gaps: Vec<KbGap> = lines
        .iter()
        .enumerate()
        .map(|(i, l)| KbGap {
            ticket: i as i64 + 1,
            at: 0,
            question: l.text.clone(),
            reason: String::new(),
        })
        .collect();
    print(
        &groups(&gaps, members),
        json,
        &format!("in {}", path.display()),
    );
    Ok(())
}

/// Pairs of questions put in one group, scored against their labels: (precision, recall, F1).
fn pairwise(lines: &[Line], members: &[Vec<usize>]) -> (f64, f64, f64) {
    let mut of = vec![0usize; lines.len()];
    for (g, m) in members.iter().enumerate() {
        for i in m {
            of[*i] = g;
        }
    }
    let (mut tp, mut fp, mut fneg) = (0u64, 0u64, 0u64);
    for i in 0..lines.len() {
        for j in i + 1..lines.len() {
            match (of[i] == of[j], lines[i].group == lines[j].group) {
                (true, true) => tp += 1,
                (true, false) => fp += 1,
                (false, true) => fneg += 1,
                _ => {}
            }
        }
    }
    let ratio = |a: u64, b: u64| {
        if a + b == 0 {
            1.0
        } else {
            a as f64 / (a + b) as f64
        }
    };
    let (p, r) = (ratio(tp, fp), ratio(tp, fneg));
    let f1 = if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    };
    (p, r, f1)
}
