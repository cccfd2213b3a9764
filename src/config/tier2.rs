//! `[tier2]` and `[github]`: what the tier-2 agent's tools may read — log files by glob or an HTTP JSON
//! log endpoint (Loki and the like), health endpoints — and where `draft_github_issue` files issues.

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tier2Settings {
    /// Log files `search_logs` reads, as globs (`/var/log/app/*.log`).
    pub log_files: Vec<String>,
    /// HTTP JSON log endpoints `search_logs` queries.
    #[serde(default)]
    pub log_urls: Vec<LogUrl>,
    /// Matching lines `search_logs` returns at most (newest last).
    pub max_log_lines: usize,
    /// Endpoints `check_health` may call, by name.
    #[serde(default)]
    pub health: Vec<HealthCheck>,
    pub http_timeout_secs: u64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogUrl {
    pub name: String,
    /// Called with `?<query_param>=<the search text>`; the JSON answer's strings are searched.
    pub url: String,
    pub query_param: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HealthCheck {
    pub name: String,
    pub url: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GithubSettings {
    /// `https://api.github.com`, or a GitHub Enterprise `https://host/api/v3`.
    pub api_url: String,
    /// `owner/name`; empty = issues cannot be filed.
    pub repo: String,
    /// The variable holding a token that may create issues.
    pub token_env: String,
    pub timeout_secs: u64,
}

impl Tier2Settings {
    pub(super) fn validate(&self) -> Result<(), String> {
        for u in &self.log_urls {
            if !u.url.starts_with("http") {
                return Err(format!(
                    "tier2.log_urls ({}): url {:?} is not an http(s) URL",
                    u.name, u.url
                ));
            }
        }
        for h in &self.health {
            if !h.url.starts_with("http") {
                return Err(format!(
                    "tier2.health ({}): url {:?} is not an http(s) URL",
                    h.name, h.url
                ));
            }
        }
        if self.http_timeout_secs == 0 || self.max_log_lines == 0 {
            return Err("tier2.http_timeout_secs / tier2.max_log_lines: must be positive".into());
        }
        Ok(())
    }
}

impl GithubSettings {
    pub(super) fn validate(&self) -> Result<(), String> {
        if !self.repo.is_empty() && self.repo.split('/').filter(|p| !p.is_empty()).count() != 2 {
            return Err(format!("github.repo: {:?} is not owner/name", self.repo));
        }
        if !self.api_url.starts_with("http") {
            return Err(format!(
                "github.api_url: {:?} is not an http(s) URL",
                self.api_url
            ));
        }
        Ok(())
    }
}
