//! `opsdesk doctor` for Discord: the token (`GET /users/@me`) and access to each configured guild.

use crate::config::{DiscordSettings, Secret};
use serenity::all::GuildId;

pub struct DiscordCheck {
    pub bot: String,
    /// Per configured guild: its name, or why it cannot be read.
    pub guilds: Vec<(String, Result<String, String>)>,
}

pub async fn check(s: &DiscordSettings, token: &Secret) -> anyhow::Result<DiscordCheck> {
    let http = super::http(s, token);
    let me = http
        .get_current_user()
        .await
        .map_err(|e| anyhow::anyhow!("the bot token was refused: {e}"))?;
    let mut guilds = vec![];
    for g in &s.guilds {
        let r = match g.parse::<u64>() {
            Ok(id) => GuildId::new(id)
                .to_partial_guild(&http)
                .await
                .map(|g| g.name)
                .map_err(|e| e.to_string()),
            Err(_) => Err("not a guild id".into()),
        };
        guilds.push((g.clone(), r));
    }
    Ok(DiscordCheck {
        bot: format!("{} ({})", me.name, me.id),
        guilds,
    })
}
