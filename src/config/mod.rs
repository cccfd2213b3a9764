//! Settings: the built-in/on-disk `default.toml`, then `config/<env>.toml`, then `OPSDESK__…`
//! environment variables. Unknown keys and bad values are errors naming the key and the file.

use crate::domain::{ChannelRole, Platform};
use serde::Deserialize;
use std::path::PathBuf;

mod alerts;
mod approvals;
mod finance;
mod llm;
mod load;
mod platforms;
mod team;
mod tier2;
pub use alerts::{AlertRoute, AlertSettings};
pub use approvals::{ApprovalPolicySettings, ApprovalSettings, RunbookSettings, WebhookSettings};
pub use finance::FinanceSettings;
pub use llm::{AgentSettings, LlmSettings};
pub use platforms::{DiscordSettings, Secret, SlackSettings, SlackTokens, secret};
pub use tier2::{GithubSettings, HealthCheck, LogUrl, Tier2Settings};

/// The documented defaults, compiled in so opsdesk runs with zero configuration anywhere.
pub const DEFAULT_TOML: &str = include_str!("../../config/default.toml");
/// The config folder when `--config` is not given; the built-in defaults' relative paths are read from it.
pub const DEFAULT_DIR: &str = "config";
/// `kb.embeddings`' default, under the config folder: the word vectors shipped with opsdesk, also
/// compiled in, so a config folder without them (or none) still ranks by meaning. A folder so
/// named that is not there is the compiled-in table.
pub const SHIPPED_VECTORS: &str = "vectors/wordllama";
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
    pub log: LogSettings,
    #[serde(default)]
    pub channels: Vec<ChannelSettings>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogSettings {
    pub format: LogFormat,
}

/// How log lines are written to stderr.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// One line per event for people (coloured only on a terminal, never with `NO_COLOR`).
    #[default]
    Text,
    /// One JSON object per line, for log collectors.
    Json,
}

#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoreSettings {
    pub url: String,
    pub max_connections: u32,
    pub busy_timeout_secs: u64,
    pub inbox_retention_days: u32,
    /// One replica leads (the Discord gateway, the clocks, the sweeps) on a lease of this many seconds,
    /// renewed every third of it; another takes over once it has run out.
    pub leader_lease_secs: u64,
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
    pub none_threshold: f64,
    /// The least P(none) instead for a message that shares little with the knowledge base's pages.
    pub unrelated_none_threshold: f64,
    /// The P(none) from which a weak support phrase (`~` in `support_phrases`) no longer counts.
    pub sure_none_threshold: f64,
    /// The share of a message's content words the docs use below which it shares little with them.
    pub related_share: f64,
    /// Least share of the knowledge base's pages a word the model never learned must be on to be a
    /// support phrase too (`triage::product::words`); 0 = off.
    pub product_word_share: f64,
    pub support_phrases: Vec<String>,
    /// Phrases that make a message in another language a problem report (tier 2).
    pub other_language_problem_phrases: Vec<String>,
    /// Phrases that make a message in another language a question or request (tier 1).
    pub other_language_question_phrases: Vec<String>,
    pub human_phrases: Vec<String>,
    pub spam_phrases: Vec<String>,
    /// Phrases of praise and thanks that, alone, make a message chatter.
    pub praise_phrases: Vec<String>,
    pub spam_links: usize,
    pub spam_mentions: usize,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KbSettings {
    pub path: PathBuf,
    pub base_url: String,
    /// Folder of the word vectors sections are also ranked with; empty = BM25 alone.
    pub embeddings: PathBuf,
    /// Where approved answers are written as pages (indexed with `path`).
    pub learned_path: PathBuf,
    pub min_score: f32,
    pub min_coverage: f32,
    pub min_margin: f32,
    pub min_similarity_margin: f32,
    /// Or least lead on the question's words the section's own heading names; 0 = off.
    pub min_heading_lead: u32,
    /// A clear lead on relevance and on meaning at once asks only `clear_coverage`.
    pub clear_margin: f32,
    pub clear_similarity_margin: f32,
    pub clear_coverage: f32,
    pub candidate_coverage: f32,
    pub candidate_similarity: f32,
    pub candidates: usize,
    pub answer_chars: usize,
    /// Least average similarity of meaning between unanswered questions grouped as one knowledge gap.
    pub gap_similarity: f32,
}

impl KbSettings {
    /// The bar a section must clear to be quoted as the answer.
    pub fn bar(&self) -> crate::domain::answer::AnswerBar {
        crate::domain::answer::AnswerBar {
            min_score: self.min_score,
            min_coverage: self.min_coverage,
            min_margin: self.min_margin,
            min_similarity_margin: self.min_similarity_margin,
            min_heading_lead: self.min_heading_lead,
            clear_margin: self.clear_margin,
            clear_similarity_margin: self.clear_similarity_margin,
            clear_coverage: self.clear_coverage,
            candidate_coverage: self.candidate_coverage,
            candidate_similarity: self.candidate_similarity,
            candidates: self.candidates,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SupportSettings {
    pub unhelpful_turns: i64,
    pub max_message_chars: usize,
    pub sla: SlaSettings,
    /// The weekly support digest's schedule (cron, in `timezone`); empty turns it off.
    pub digest_cron: String,
    /// The IANA time zone the digest's days and schedule are in.
    pub timezone: String,
}

impl SupportSettings {
    pub fn tz(&self) -> chrono_tz::Tz {
        self.timezone.parse().unwrap_or(chrono_tz::UTC)
    }

    pub(super) fn validate(&self) -> Result<(), String> {
        if self.timezone.parse::<chrono_tz::Tz>().is_err() {
            return Err(format!(
                "support.timezone: {:?} is not an IANA time zone like Europe/Paris",
                self.timezone
            ));
        }
        if !self.digest_cron.is_empty()
            && let Err(e) = self.digest_cron.parse::<croner::Cron>()
        {
            return Err(format!(
                "support.digest_cron: {:?} is not a cron expression (minute hour day month weekday): {e}",
                self.digest_cron
            ));
        }
        Ok(())
    }
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
pub struct HttpSettings {
    pub addr: String,
    pub max_body_bytes: usize,
    /// Stripe's and Sentry's bodies (read before their signature can be checked) may be this large.
    pub max_signed_body_bytes: usize,
    /// At most this many signed bodies are read at once (a 503 past it; the sender retries).
    pub max_signed_reads: usize,
    /// A body must arrive within this long (408 otherwise).
    pub body_timeout_secs: u64,
    /// Request headers must arrive within this long (the connection is closed otherwise).
    pub header_timeout_secs: u64,
    /// Open connections at most; further ones wait in the listen backlog.
    pub max_connections: usize,
    /// On SIGTERM/SIGINT, how long queued messages may still be delivered before the process exits.
    pub shutdown_grace_secs: u64,
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
