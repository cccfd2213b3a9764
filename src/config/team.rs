//! What the settings say about people and places: who is on the ops team, and links to messages.

use super::Settings;
use crate::domain::Platform;

impl Settings {
    /// Whether someone is on the team (`ops.allowed_users`, by user or group/role): who may use `/ops`,
    /// the escalation and alert cards' buttons, and whose replies in a card's thread reach the
    /// customer. The local console is always on the team.
    pub fn team_member(&self, platform: Platform, user: &str, roles: &[String]) -> bool {
        let p = platform.as_str();
        platform == Platform::Console
            || self.ops.allowed_users.iter().any(|u| {
                u.strip_prefix(p)
                    .and_then(|rest| rest.strip_prefix(':'))
                    .is_some_and(|who| who == user || roles.iter().any(|r| r == who))
            })
    }

    /// A link to a delivered message, where the platform has one.
    pub fn permalink(&self, platform: Platform, channel: &str, message: &str) -> Option<String> {
        match platform {
            // Slack resolves workspace-less archive links for signed-in members.
            Platform::Slack => Some(format!(
                "https://slack.com/archives/{channel}/p{}",
                message.replace('.', "")
            )),
            Platform::Discord => self
                .discord
                .guilds
                .first()
                .map(|g| format!("https://discord.com/channels/{g}/{channel}/{message}")),
            Platform::Console => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn team_members_by_user_or_role_on_their_platform() {
        let mut s = Settings::builtin();
        s.ops.allowed_users = vec!["slack:U1".into(), "discord:role:R9".into()];
        assert!(s.team_member(Platform::Slack, "U1", &[]));
        assert!(!s.team_member(Platform::Discord, "U1", &[]));
        assert!(s.team_member(Platform::Discord, "U7", &["role:R9".into()]));
        assert!(!s.team_member(Platform::Slack, "U7", &["role:R9".into()]));
        assert!(s.team_member(Platform::Console, "anyone", &[]));
    }

    #[test]
    fn permalinks_per_platform() {
        let mut s = Settings::builtin();
        assert_eq!(
            s.permalink(Platform::Slack, "C1", "1700000000.000100")
                .as_deref(),
            Some("https://slack.com/archives/C1/p1700000000000100")
        );
        assert_eq!(s.permalink(Platform::Discord, "5", "6"), None);
        s.discord.guilds = vec!["42".into()];
        assert_eq!(
            s.permalink(Platform::Discord, "5", "6").as_deref(),
            Some("https://discord.com/channels/42/5/6")
        );
    }
}
