//! The tier-2 agent's tools, each limited in code to what the configuration allows: `search_logs`
//! (configured log files and HTTP log endpoints only), `check_health` (configured endpoints only, by
//! name), `recent_alerts` (the alert store), `search_known_issues` (knowledge-base pages tagged
//! known-issue) and `draft_github_issue` (kept as a draft: a person signs it off before it is filed).

use super::tools::ToolBox;
use crate::config::Tier2Settings;
use crate::domain::alert::AlertGroup;
use crate::domain::ports::{KnowledgeBase, ToolSpec};
use crate::kb::markdown::extract;
use async_trait::async_trait;
use serde_json::{Value, json};
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
                    Err(e) => return e,
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
            .filter(|h| h.tags.iter().any(|t| t == "known-issue"))
            .take(3)
            .map(|h| format!("[kb:{}] {}: {}", h.id, h.title, extract(&h.text, 400)))
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
        let text = |d: &str| json!({"type": "object", "properties": {"query": {"type": "string", "description": d}}, "required": ["query"]});
        let mut specs = vec![
            ToolSpec {
                name: "search_logs".into(),
                description: "Search the service's logs; returns the newest matching lines.".into(),
                parameters: text("words every line must contain, e.g. 'export error'"),
            },
            ToolSpec {
                name: "check_health".into(),
                description: "Call the configured health endpoints (all, or one by name).".into(),
                parameters: json!({"type": "object", "properties": {"name": {"type": "string"}}}),
            },
            ToolSpec {
                name: "recent_alerts".into(),
                description: "Infrastructure alerts seen recently, firing first.".into(),
                parameters: json!({"type": "object", "properties": {}}),
            },
            ToolSpec {
                name: "search_known_issues".into(),
                description: "Known issues and their workarounds from the documentation.".into(),
                parameters: text("what is broken"),
            },
        ];
        if self.github {
            specs.push(ToolSpec {
                name: "draft_github_issue".into(),
                description: "Draft a bug report for the engineering team; a person approves it before it is filed.".into(),
                parameters: json!({"type": "object", "properties": {"title": {"type": "string"}, "body": {"type": "string"}}, "required": ["title", "body"]}),
            });
        }
        specs
    }

    async fn call(&self, name: &str, arguments: &str) -> String {
        let args: Value = serde_json::from_str(arguments).unwrap_or_default();
        let arg = |k: &str| {
            args.get(k)
                .and_then(|v| v.as_str())
                .map(str::trim)
                .filter(|v| !v.is_empty())
        };
        match name {
            "search_logs" => self.search_logs(arg("query").unwrap_or("")).await,
            "check_health" => self.check_health(arg("name")).await,
            "recent_alerts" => self.recent_alerts(),
            "search_known_issues" => self.search_known_issues(arg("query").unwrap_or("")),
            "draft_github_issue" if self.github => match (arg("title"), arg("body")) {
                (Some(t), Some(b)) => {
                    let draft = IssueDraft {
                        title: t.chars().take(200).collect(),
                        body: b.chars().take(8000).collect(),
                    };
                    self.drafts.lock().expect("drafts lock").push(draft);
                    "drafted: a person will review it and file it".into()
                }
                _ => "a title and a body are required".into(),
            },
            other => format!("no tool named {other}"),
        }
    }
}
