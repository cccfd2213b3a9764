//! Slack user groups named in `ops.allowed_users` (`slack:group:S…`): who is in them, looked up with
//! `usergroups.users.list` and cached for a few minutes. A failed lookup grants nothing.

use super::send::SlackChat;
use slack_morphism::prelude::*;
use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};
use tokio::sync::Mutex;

const FRESH_FOR: Duration = Duration::from_secs(300);

pub struct Groups {
    ids: Vec<String>,
    cache: Mutex<HashMap<String, (Instant, HashSet<String>)>>,
}

impl Groups {
    pub fn from_allowed(allowed: &[String]) -> Groups {
        let ids = allowed
            .iter()
            .filter_map(|a| a.strip_prefix("slack:group:"))
            .map(str::to_string)
            .collect();
        Groups {
            ids,
            cache: Mutex::new(HashMap::new()),
        }
    }

    /// The configured groups `user` belongs to, as `group:S…` roles.
    pub async fn of(&self, chat: &SlackChat, user: &str) -> Vec<String> {
        let mut roles = vec![];
        for id in &self.ids {
            let mut cache = self.cache.lock().await;
            let stale = cache.get(id).is_none_or(|(at, _)| at.elapsed() > FRESH_FOR);
            if stale {
                let req =
                    SlackApiUserGroupsUsersListRequest::new(SlackUserGroupId::new(id.clone()));
                match chat
                    .client
                    .open_session(&chat.token)
                    .usergroups_users_list(&req)
                    .await
                {
                    Ok(r) => {
                        cache.insert(
                            id.clone(),
                            (Instant::now(), r.users.into_iter().map(|u| u.0).collect()),
                        );
                    }
                    Err(e) => {
                        tracing::warn!(group = %id, error = %e, "cannot list a Slack user group's members")
                    }
                }
            }
            if cache
                .get(id)
                .is_some_and(|(_, members)| members.contains(user))
            {
                roles.push(format!("group:{id}"));
            }
        }
        roles
    }
}
