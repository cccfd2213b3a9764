//! The tier-2 agent's tools, each limited in code to what the configuration allows: `search_logs`
//! (configured log files and HTTP log endpoints only), `check_health` (configured endpoints only, by
//! name), `recent_alerts` (the alert store), `search_known_issues` (knowledge-base pages tagged
//! known-issue) and `draft_github_issue` (kept as a draft: a person signs it off before it is filed).

use super::tools::{NoArgs, ToolBox, args, spec};
use crate::config::Tier2Settings;
use crate::domain::alert::AlertGroup;
use crate::domain::ports::{KnowledgeBase, ToolSpec};
use crate::kb::passage::extract_at;
use async_trait::async_trait;
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::Value;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// An issue the agent wants filed; it becomes an approval request.
#[derive(Debug, Clone, PartialEq)]
pub struct IssueDraft {
    pub title: String,
    pub body: String,
}

/// Log files are read from their end: at most this much of each.
const TAIL_BYTES: u64 = 4 << 20;

pub struct Tier2Tools {
    pub settings: Tier2Settings,
    /// Whether a GitHub repository is configured (otherwise the drafting tool is not offered).
    pub github: bool,
    pub kb: Arc<dyn KnowledgeBase>,
    /// The alert groups seen recently, newest first.
    pub alerts: Vec<AlertGroup>,
    pub drafts: Mutex<Vec<IssueDraft>>,
}

fn matches(line: &str, terms: &[String]) -> bool {
    let l = line.to_lowercase();
    terms.iter().all(|t| l.contains(t.as_str()))
}

fn read_tail(path: &std::path::Path) -> std::io::Result<String> {
    use std::io::{Read, Seek, SeekFrom};
    let mut f = std::fs::File::open(path)?;
    let len = f.metadata()?.len();
    f.seek(SeekFrom::Start(len.saturating_sub(TAIL_BYTES)))?;
    let mut buf = vec![];
    f.read_to_end(&mut buf)?;
    Ok(String::from_utf8_lossy(&buf).into_owned())
}

/// Every string in a JSON answer (Loki's values, Elasticsearch's hits …), in order.
fn strings(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
        Value::Object(o) => o.values().for_each(|x| strings(x, out)),
        _ => {}
    }
}

impl Tier2Tools {
    pub async fn search_logs(&self, query: &str) -> String {
        let terms: Vec<String> = query.split_whitespace().map(|t| t.to_lowercase()).collect();
        if terms.is_empty() {
            return "give a search text".into();
        }
        let s = &self.settings;
        if s.log_files.is_empty() && s.log_urls.is_empty() {
            return "no log sources are configured".into();
        }
        let mut found: Vec<String> = vec![];
        for pattern in &s.log_files {
            let Ok(paths) = glob::glob(pattern) else {
                continue;
            };
            for path in paths.flatten() {
                let Ok(text) = tokio::task::spawn_blocking({
                    let p = path.clone();
                    move || read_tail(&p)
                })
                .await
                .unwrap_or_else(|e| Err(std::io::Error::other(e))) else {
                    continue;
                };
                let name = path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                found.extend(
                    text.lines()
                        .filter(|l| matches(l, &terms))
                        .map(|l| format!("{name}: {}", l.chars().take(300).collect::<String>())),
                );
            }
        }
        for u in &s.log_urls {
            let url = format!(
                "{}{}{}={}",
                u.url,
                if u.url.contains('?') { '&' } else { '?' },
                u.query_param,
                urlencode(query)
            );
            match crate::net::call(
                match crate::net::get(&url) {
                    Ok(r) => r,
                    Err(e) => return e.to_string(),
                },
                Duration::from_secs(s.http_timeout_secs),
            )
            .await
            {
                Ok((status, body)) if status.is_success() => {
                    let mut all = vec![];
                    strings(
                        &serde_json::from_str(&body).unwrap_or(Value::Null),
                        &mut all,
                    );
                    found.extend(all.into_iter().filter(|l| matches(l, &terms)).map(|l| {
                        format!("{}: {}", u.name, l.chars().take(300).collect::<String>())
                    }));
                }
                Ok((status, _)) => found.push(format!("{}: answered HTTP {status}", u.name)),
                Err(e) => found.push(format!("{}: {e}", u.name)),
            }
        }
        if found.is_empty() {
            return format!("no log line contains {query:?}");
        }
        let skip = found.len().saturating_sub(s.max_log_lines);
        found.split_off(skip).join("\n")
    }

    pub async fn check_health(&self, name: Option<&str>) -> String {
        let s = &self.settings;
        if s.health.is_empty() {
            return "no health endpoints are configured".into();
        }
        let chosen: Vec<_> = s
            .health
            .iter()
            .filter(|h| name.is_none_or(|n| n == h.name))
            .collect();
        if chosen.is_empty() {
            let known: Vec<&str> = s.health.iter().map(|h| h.name.as_str()).collect();
            return format!(
                "no health endpoint named {:?} (known: {})",
                name.unwrap_or(""),
                known.join(", ")
            );
        }
        let mut out = vec![];
        for h in chosen {
            let started = std::time::Instant::now();
            let r = match crate::net::get(&h.url) {
                Ok(req) => crate::net::call(req, Duration::from_secs(s.http_timeout_secs)).await,
                Err(e) => Err(e),
            };
            let ms = started.elapsed().as_millis();
            out.push(match r {
                Ok((status, body)) => format!(
                    "{}: HTTP {status} in {ms} ms {}",
                    h.name,
                    body.chars().take(200).collect::<String>().trim()
                ),
                Err(e) => format!("{}: DOWN ({e})", h.name),
            });
        }
        out.join("\n")
    }

    pub fn recent_alerts(&self) -> String {
        if self.alerts.is_empty() {
            return "no alerts".into();
        }
        self.alerts
            .iter()
            .take(15)
            .map(|g| {
                format!(
                    "{} [{}] {} ({} firing, {} resolved)",
                    if g.firing { "FIRING" } else { "resolved" },
                    g.severity,
                    g.title,
                    g.firing_count,
                    g.resolved_count
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    pub fn search_known_issues(&self, query: &str) -> String {
        let hits: Vec<String> = self
            .kb
            .search(query, 10)
            .into_iter()
            .filter(crate::domain::ports::KbHit::is_known_issue)
            .take(3)
            .map(|h| {
                format!(
                    "[kb:{}] {}: {}",
                    h.id,
                    h.title,
                    extract_at(&h.text, self.kb.focus(query, &h), 400)
                )
            })
            .collect();
        if hits.is_empty() {
            "no known issue matches".into()
        } else {
            hits.join("\n")
        }
    }
}

fn urlencode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

#[async_trait]
impl ToolBox for Tier2Tools {
    fn specs(&self) -> Vec<ToolSpec> {
        let mut specs = vec![
            spec::<LogQuery>(
                "search_logs",
                "Search the service's logs; returns the newest matching lines.",
            ),
            spec::<HealthArgs>(
                "check_health",
                "Call the configured health endpoints (all, or one by name).",
            ),
            spec::<NoArgs>(
                "recent_alerts",
                "Infrastructure alerts seen recently, firing first.",
            ),
            spec::<IssueQuery>(
                "search_known_issues",
                "Known issues and their workarounds from the documentation.",
            ),
        ];
        if self.github {
            specs.push(spec::<IssueDraftArgs>(
                "draft_github_issue",
                "Draft a bug report for the engineering team; a person approves it before it is filed.",
            ));
        }
        specs
    }

    async fn call(&self, name: &str, arguments: &str) -> String {
        match self.dispatch(name, arguments).await {
            Ok(text) => text,
            Err(e) => format!("error: {e}"),
        }
    }
}

impl Tier2Tools {
    async fn dispatch(&self, name: &str, raw: &str) -> Result<String, String> {
        Ok(match name {
            "search_logs" => {
                let a: LogQuery = args(name, raw)?;
                self.search_logs(a.query.trim()).await
            }
            "check_health" => {
                let a: HealthArgs = args(name, raw)?;
                let only = a.name.as_deref().map(str::trim).filter(|n| !n.is_empty());
                self.check_health(only).await
            }
            "recent_alerts" => self.recent_alerts(),
            "search_known_issues" => {
                let a: IssueQuery = args(name, raw)?;
                self.search_known_issues(a.query.trim())
            }
            "draft_github_issue" if self.github => {
                let a: IssueDraftArgs = args(name, raw)?;
                let (title, body) = (a.title.trim(), a.body.trim());
                if title.is_empty() || body.is_empty() {
                    return Err("a title and a body are required".into());
                }
                let draft = IssueDraft {
                    title: title.chars().take(200).collect(),
                    body: body.chars().take(8000).collect(),
                };
                self.drafts
                    .lock()
                    .map_err(|_| "the drafts were lost to a crashed task".to_string())?
                    .push(draft);
                "drafted: a person will review it and file it".into()
            }
            other => return Err(format!("no tool named {other}")),
        })
    }
}

#[derive(Debug, Deserialize, JsonSchema)]
struct LogQuery {
    /// Words every line must contain, e.g. 'export error'.
    query: String,
}

#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(default)]
struct HealthArgs {
    /// One configured endpoint by name (default: all).
    name: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
struct IssueQuery {
    /// What is broken.
    query: String,
}

#[derive(Debug, Deserialize, JsonSchema)]
struct IssueDraftArgs {
    title: String,
    body: String,
}
