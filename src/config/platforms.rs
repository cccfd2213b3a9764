//! Chat platform settings: Slack (tokens from the environment, pacing, Socket Mode's watchdog) and
//! Discord (token, guilds, pacing). Tokens are held so that `Debug` never prints them.

use secrecy::SecretString;
use serde::Deserialize;

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
        Some(SlackTokens {
            app: secret(&self.app_token_env)?,
            bot: secret(&self.bot_token_env)?,
        })
    }
}

/// Slack's two secrets (`Debug` prints them redacted).
#[derive(Clone, Debug)]
pub struct SlackTokens {
    pub app: SecretString,
    pub bot: SecretString,
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
        secret(&self.token_env)
    }
}

/// A token, signing secret or API key: `Debug` prints it redacted, and reading it takes an explicit
/// `expose_secret()`.
pub type Secret = SecretString;

/// The secret in environment variable `var`; unset or blank is `None`.
pub fn secret(var: &str) -> Option<SecretString> {
    std::env::var(var)
        .ok()
        .filter(|v| !v.trim().is_empty())
        .map(SecretString::from)
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
