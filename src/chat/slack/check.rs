//! `opsdesk doctor` for Slack: `auth.test` with the bot token (who the bot is, and the scopes Slack
//! reports in `x-oauth-scopes`), compared with the scopes config/slack-app-manifest.yml asks for, and
//! `apps.connections.open` with the app-level token.

use crate::config::{SlackSettings, SlackTokens};
use http_body_util::Full;
use secrecy::ExposeSecret;
use serde_json::Value;
use std::time::Duration;

/// The bot scopes opsdesk needs; the manifest grants exactly these.
pub const BOT_SCOPES: &[&str] = &[
    "app_mentions:read",
    "channels:history",
    "groups:history",
    "chat:write",
    "commands",
    "reactions:write",
    "usergroups:read",
    "users:read",
    "users:read.email",
];

#[derive(Debug)]
pub struct SlackCheck {
    pub team: String,
    pub bot_user: String,
    pub missing_scopes: Vec<&'static str>,
    pub socket_mode: Result<(), String>,
}

/// Calls a Web API method with a bearer token; returns the JSON body and the granted scopes header.
async fn call(api_url: &str, method: &str, token: &str) -> anyhow::Result<(Value, Option<String>)> {
    let req = http::Request::post(format!("{}/{method}", api_url.trim_end_matches('/')))
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Full::new(bytes::Bytes::new()))?;
    let answer = crate::net::call_with_headers("Slack", req, Duration::from_secs(10)).await?;
    let scopes = answer
        .headers
        .get("x-oauth-scopes")
        .and_then(|v| v.to_str().ok())
        .map(String::from);
    let json: Value = serde_json::from_str(&answer.body)
        .map_err(|e| anyhow::anyhow!("{method}: HTTP {}, not JSON: {e}", answer.status))?;
    if json["ok"] != true {
        anyhow::bail!("{method}: {}", json["error"].as_str().unwrap_or("failed"));
    }
    Ok((json, scopes))
}

pub async fn check(s: &SlackSettings, tokens: &SlackTokens) -> anyhow::Result<SlackCheck> {
    let (auth, scopes) = call(&s.api_url, "auth.test", tokens.bot.expose_secret()).await?;
    let granted: Vec<&str> = scopes
        .as_deref()
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .collect();
    let missing_scopes = BOT_SCOPES
        .iter()
        .copied()
        .filter(|s| !granted.contains(s))
        .collect();
    let socket_mode = call(
        &s.api_url,
        "apps.connections.open",
        tokens.app.expose_secret(),
    )
    .await
    .map(|_| ())
    .map_err(|e| e.to_string());
    Ok(SlackCheck {
        team: auth["team"].as_str().unwrap_or("?").to_string(),
        bot_user: auth["user_id"].as_str().unwrap_or("?").to_string(),
        missing_scopes,
        socket_mode,
    })
}
