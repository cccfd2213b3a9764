//! Loading settings in layers (built-in defaults, `default.toml` and `<env>.toml` in the config folder,
//! `OPSDESK__…` variables) and checking every value, with errors that name the key.

use super::{ConfigError, DEFAULT_DIR, DEFAULT_TOML, MIN_INBOX_RETENTION_DAYS, Settings};
use figment::Figment;
use figment::providers::{Env, Format, Toml};
use std::path::Path;

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
        s.resolve_paths(dir, |key| {
            fig.find_metadata(key)
                .is_some_and(|m| m.name.contains("environment"))
        });
        if let Ok(url) = std::env::var("DATABASE_URL")
            && !url.is_empty()
        {
            s.store.url = url;
        }
        s.validate()?;
        Ok(s)
    }

    /// The built-in defaults alone (tests, benchmarks), their paths under the default config folder.
    pub fn builtin() -> Settings {
        let mut s: Settings = Figment::from(Toml::string(DEFAULT_TOML))
            .extract()
            .expect("built-in config is valid");
        s.resolve_paths(Path::new(DEFAULT_DIR), |_| false);
        s
    }

    /// Relative file and folder settings read from `dir` (the config folder), except those an
    /// `OPSDESK__…` variable set (`from_env`), which are read from the working directory.
    fn resolve_paths(&mut self, dir: &Path, from_env: impl Fn(&str) -> bool) {
        let under = |key: &str, p: &Path| -> Option<std::path::PathBuf> {
            (!p.as_os_str().is_empty() && p.is_relative() && !from_env(key)).then(|| dir.join(p))
        };
        for (key, slot) in [
            ("kb.path", &mut self.kb.path),
            ("kb.learned_path", &mut self.kb.learned_path),
            ("kb.embeddings", &mut self.kb.embeddings),
            ("prompts.path", &mut self.prompts.path),
        ] {
            if let Some(p) = under(key, slot) {
                *slot = p;
            }
        }
        for (key, slot) in [
            ("triage.model", &mut self.triage.model),
            ("triage.embeddings", &mut self.triage.embeddings),
        ] {
            if let Some(p) = under(key, Path::new(slot.as_str())) {
                *slot = p.display().to_string();
            }
        }
    }

    pub(super) fn validate(&self) -> Result<(), ConfigError> {
        let bad = |k: &str, why: &str| Err(ConfigError::Invalid(format!("{k}: {why}")));
        for (k, v) in [
            (
                "triage.confidence_threshold",
                self.triage.confidence_threshold,
            ),
            ("triage.human_threshold", self.triage.human_threshold),
            ("triage.none_threshold", self.triage.none_threshold),
            (
                "triage.unrelated_none_threshold",
                self.triage.unrelated_none_threshold,
            ),
            (
                "triage.sure_none_threshold",
                self.triage.sure_none_threshold,
            ),
            ("triage.related_share", self.triage.related_share),
            ("triage.product_word_share", self.triage.product_word_share),
            ("kb.gap_similarity", self.kb.gap_similarity.into()),
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
        if self.store.leader_lease_secs < 3 {
            return bad(
                "store.leader_lease_secs",
                "must be at least 3 (it is renewed every third of it)",
            );
        }
        if self.store.inbox_retention_days < MIN_INBOX_RETENTION_DAYS {
            let why = format!(
                "must be at least {MIN_INBOX_RETENTION_DAYS}: redeliveries (Stripe retries for 3 days) and once-a-month notices are recognised by these rows"
            );
            return bad("store.inbox_retention_days", &why);
        }
        self.validate_platforms()?;
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
        self.support.validate().map_err(ConfigError::Invalid)?;
        self.llm.validate().map_err(ConfigError::Invalid)?;
        self.tier2.validate().map_err(ConfigError::Invalid)?;
        self.github.validate().map_err(ConfigError::Invalid)?;
        Ok(())
    }

    /// Pacing, Socket Mode's watchdog and guild ids.
    fn validate_platforms(&self) -> Result<(), ConfigError> {
        let bad = |k: &str, why: &str| Err(ConfigError::Invalid(format!("{k}: {why}")));
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
        if self.slack.ping_interval_secs == 0 || self.slack.ping_failures == 0 {
            return bad(
                "slack.ping_interval_secs / slack.ping_failures",
                "must be positive",
            );
        }
        Ok(())
    }
}

/// figment's errors name the key and the source file; keep every error of a chain.
fn describe(e: figment::Error) -> String {
    e.into_iter()
        .map(|e| e.to_string())
        .collect::<Vec<_>>()
        .join("; ")
}
