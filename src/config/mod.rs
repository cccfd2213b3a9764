//! Settings: the built-in/on-disk `default.toml`, then `config/<env>.toml`, then `OPSDESK__…`
//! environment variables. Unknown keys and bad values are errors naming the key and the file.

use crate::domain::{ChannelRole, Platform};
use figment::Figment;
use figment::providers::{Env, Format, Toml};
use serde::Deserialize;
use std::path::{Path, PathBuf};

mod alerts;
mod approvals;
mod finance;
mod llm;
mod team;
mod tier2;
pub use alerts::{AlertRoute, AlertSettings};
pub use approvals::{ApprovalPolicySettings, ApprovalSettings, RunbookSettings, WebhookSettings};
pub use finance::FinanceSettings;
pub use llm::{AgentSettings, LlmSettings};
pub use tier2::{GithubSettings, HealthCheck, LogUrl, Tier2Settings};

/// The documented defaults, compiled in so opsdesk runs with zero configuration anywhere.
pub const DEFAULT_TOML: &str = include_str!("../../config/default.toml");
/// The shortest `store.inbox_retention_days` accepted.
pub const MIN_INBOX_RETENTION_DAYS: u32 = 35;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub store: StoreSettings,
    pub triage: TriageSettings,
    pub kb: KbSettings,
    pub support: SupportSettings,
    pub ops: OpsSettings,
    pub slack: SlackSettings,
    pub discord: DiscordSettings,
    pub approvals: ApprovalSettings,
    pub http: HttpSettings,
    pub alerts: AlertSettings,
    pub finance: FinanceSettings,
    pub llm: LlmSettings,
    pub tier2: Tier2Settings,
    pub github: GithubSettings,
    #[serde(default)]
    pub runbooks: std::collections::BTreeMap<String, RunbookSettings>,
    #[serde(default)]
    pub webhooks: std::collections::BTreeMap<String, WebhookSettings>,
    pub prompts: PromptSettings,
    pub console: ConsoleSettings,
    #[serde(default)]
    pub channels: Vec<ChannelSettings>,
}

#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoreSettings {
    pub url: String,
    pub max_connections: u32,
    pub busy_timeout_secs: u64,
    pub inbox_retention_days: u32,
}

impl std::fmt::Debug for StoreSettings {
    // The URL may carry a password: never print it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoreSettings")
            .field("url", &redact_url(&self.url))
            .field("max_connections", &self.max_connections)
            .finish()
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TriageSettings {
    pub model: String,
    /// Folder of the pretrained word embeddings a model trained with `--embeddings` needs; empty = none.
    pub embeddings: String,
    pub confidence_threshold: f64,
    pub human_threshold: f64,
    pub human_phrases: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KbSettings {
    pub path: PathBuf,
    pub base_url: String,
    pub min_score: f32,
    pub answer_chars: usize,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SupportSettings {
    pub unhelpful_turns: i64,
    pub max_message_chars: usize,
    pub sla: SlaSettings,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlaSettings {
    pub urgent_mins: i64,
    pub high_mins: i64,
    pub normal_mins: i64,
    pub remind_at: f64,
}

impl SlaSettings {
    pub fn policy(&self) -> crate::domain::sla::SlaPolicy {
        crate::domain::sla::SlaPolicy {
            urgent_ms: self.urgent_mins * 60_000,
            high_ms: self.high_mins * 60_000,
            normal_ms: self.normal_mins * 60_000,
            remind_at: self.remind_at,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OpsSettings {
    pub allowed_users: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlackSettings {
    pub app_token_env: String,
    pub bot_token_env: String,
    pub api_url: String,
    pub reconnect_secs: u64,
    pub ping_interval_secs: u64,
    pub ping_failures: u64,
    pub channel_rate_per_sec: f64,
    pub channel_burst: u32,
    pub working_reaction: String,
}

impl SlackSettings {
    /// Both tokens from the environment, when both are set.
    pub fn tokens_from_env(&self) -> Option<SlackTokens> {
        let get = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
        Some(SlackTokens {
            app: get(&self.app_token_env)?,
            bot: get(&self.bot_token_env)?,
        })
    }
}

/// Slack's two secrets. `Debug` never prints them.
#[derive(Clone)]
pub struct SlackTokens {
    pub app: String,
    pub bot: String,
}

impl std::fmt::Debug for SlackTokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SlackTokens(***)")
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HttpSettings {
    pub addr: String,
    pub max_body_bytes: usize,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DiscordSettings {
    pub token_env: String,
    pub api_url: String,
    pub gateway_url: String,
    #[serde(deserialize_with = "snowflakes")]
    pub guilds: Vec<String>,
    pub channel_rate_per_sec: f64,
    pub channel_burst: u32,
    pub backfill_limit: u32,
}

impl DiscordSettings {
    /// The bot token from the environment, when set.
    pub fn token_from_env(&self) -> Option<Secret> {
        std::env::var(&self.token_env)
            .ok()
            .filter(|v| !v.trim().is_empty())
            .map(Secret)
    }
}

/// A secret string. `Debug` never prints it.
#[derive(Clone)]
pub struct Secret(pub String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PromptSettings {
    pub path: PathBuf,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsoleSettings {
    pub user: String,
    pub channel: String,
    pub escalation_channel: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChannelSettings {
    pub platform: Platform,
    pub id: String,
    pub role: ChannelRole,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("configuration error: {0}")]
    Invalid(String),
    #[error("OPSDESK_ENV={env} but {path} does not exist")]
    MissingEnvFile { env: String, path: String },
}

impl Settings {
    /// Loads settings in layers: the built-in defaults (always the bottom, so a `default.toml`
    /// copied from an older release still loads), `dir`'s `default.toml` when present, the
    /// environment file named by `OPSDESK_ENV`, and `OPSDESK__…` variables.
    pub fn load(dir: &Path) -> Result<Settings, ConfigError> {
        let on_disk = dir.join("default.toml");
        let mut fig = Figment::from(Toml::string(DEFAULT_TOML));
        if on_disk.is_file() {
            fig = fig.merge(Toml::file_exact(&on_disk));
        }
        if let Ok(env) = std::env::var("OPSDESK_ENV") {
            let path = dir.join(format!("{env}.toml"));
            if !path.is_file() {
                return Err(ConfigError::MissingEnvFile {
                    env,
                    path: path.display().to_string(),
                });
            }
            fig = fig.merge(Toml::file_exact(path));
        }
        fig = fig.merge(Env::prefixed("OPSDESK__").split("__"));
        let mut s: Settings = fig
            .extract()
            .map_err(|e| ConfigError::Invalid(describe(e)))?;
        if let Ok(url) = std::env::var("DATABASE_URL")
            && !url.is_empty()
        {
            s.store.url = url;
        }
        s.validate()?;
        Ok(s)
    }

    /// The built-in defaults alone (tests, benchmarks).
    pub fn builtin() -> Settings {
        Figment::from(Toml::string(DEFAULT_TOML))
            .extract()
            .expect("built-in config is valid")
    }

    fn validate(&self) -> Result<(), ConfigError> {
        let bad = |k: &str, why: &str| Err(ConfigError::Invalid(format!("{k}: {why}")));
        for (k, v) in [
            (
                "triage.confidence_threshold",
                self.triage.confidence_threshold,
            ),
            ("triage.human_threshold", self.triage.human_threshold),
        ] {
            if !(0.0..=1.0).contains(&v) {
                return bad(k, "must be between 0 and 1");
            }
        }
        if self.support.max_message_chars == 0 {
            return bad("support.max_message_chars", "must be positive");
        }
        if self.store.max_connections == 0 {
            return bad("store.max_connections", "must be positive");
        }
        if self.store.inbox_retention_days < MIN_INBOX_RETENTION_DAYS {
            let why = format!(
                "must be at least {MIN_INBOX_RETENTION_DAYS}: redeliveries (Stripe retries for 3 days) and once-a-month notices are recognised by these rows"
            );
            return bad("store.inbox_retention_days", &why);
        }
        if self.slack.channel_rate_per_sec.is_nan()
            || self.slack.channel_rate_per_sec <= 0.0
            || self.slack.channel_burst == 0
        {
            return bad(
                "slack.channel_rate_per_sec / slack.channel_burst",
                "must be positive",
            );
        }
        if self.discord.channel_rate_per_sec.is_nan()
            || self.discord.channel_rate_per_sec <= 0.0
            || self.discord.channel_burst == 0
        {
            return bad(
                "discord.channel_rate_per_sec / discord.channel_burst",
                "must be positive",
            );
        }
        if self
            .discord
            .guilds
            .iter()
            .any(|g| g.parse::<u64>().is_err())
        {
            return bad("discord.guilds", "guild ids are numbers (snowflakes)");
        }
        if !(0.0..=1.0).contains(&self.support.sla.remind_at) {
            return bad("support.sla.remind_at", "must be between 0 and 1");
        }
        if [
            self.support.sla.urgent_mins,
            self.support.sla.high_mins,
            self.support.sla.normal_mins,
        ]
        .iter()
        .any(|m| *m <= 0)
        {
            return bad("support.sla", "targets must be positive minutes");
        }
        if self.approvals.quorum == 0 || self.approvals.kinds.values().any(|k| k.quorum == Some(0))
        {
            return bad("approvals.quorum", "must be at least 1");
        }
        if self.approvals.expires_after_mins <= 0 {
            return bad("approvals.expires_after_mins", "must be positive");
        }
        if let Some((name, _)) = self.runbooks.iter().find(|(_, r)| r.argv.is_empty()) {
            return bad(&format!("runbooks.{name}.argv"), "must name a program");
        }
        self.alerts.validate(self).map_err(ConfigError::Invalid)?;
        self.finance.validate().map_err(ConfigError::Invalid)?;
        self.llm.validate().map_err(ConfigError::Invalid)?;
        self.tier2.validate().map_err(ConfigError::Invalid)?;
        self.github.validate().map_err(ConfigError::Invalid)?;
        if self.slack.ping_interval_secs == 0 || self.slack.ping_failures == 0 {
            return bad(
                "slack.ping_interval_secs / slack.ping_failures",
                "must be positive",
            );
        }
        Ok(())
    }

    /// The role configured for a channel, if any; a channel alert routes send cards to counts as `alerts`.
    pub fn channel_role(&self, platform: Platform, channel: &str) -> Option<ChannelRole> {
        let routed = || {
            self.alerts
                .routes
                .iter()
                .any(|r| r.platform == platform && r.channel == channel)
                .then_some(ChannelRole::Alerts)
        };
        self.channels
            .iter()
            .find(|c| c.platform == platform && c.id == channel)
            .map(|c| c.role)
            .or_else(routed)
    }

    /// The first channel with `role` on `platform`.
    pub fn channel_with_role(&self, platform: Platform, role: ChannelRole) -> Option<&str> {
        self.channels
            .iter()
            .find(|c| c.platform == platform && c.role == role)
            .map(|c| c.id.as_str())
    }
}

/// Discord ids written as strings or as numbers (`guilds = [500]` in TOML or the environment).
fn snowflakes<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Id {
        Text(String),
        Number(u64),
    }
    Ok(Vec::<Id>::deserialize(d)?
        .into_iter()
        .map(|i| match i {
            Id::Text(s) => s,
            Id::Number(n) => n.to_string(),
        })
        .collect())
}

/// figment's errors name the key and the source file; keep every error of a chain.
fn describe(e: figment::Error) -> String {
    e.into_iter()
        .map(|e| e.to_string())
        .collect::<Vec<_>>()
        .join("; ")
}

/// Hides a password in a database URL.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.find(':') {
                Some(c) => format!("{}{}:***{}", &url[..s + 3], &creds[..c], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests;
