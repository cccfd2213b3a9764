//! People as Slack describes them (`users.info`, cached for an hour): display names, so a team
//! member's reply reaches the customer as "💬 Carol (support team): …" rather than a user id, and
//! profile e-mails (`users:read.email`), to suggest linking a customer to their Stripe account. A
//! failed lookup names nobody and is tried again on the next message.

use super::send::SlackChat;
use slack_morphism::prelude::*;
use std::collections::HashMap;
use std::time::{Duration, Instant};
use tokio::sync::Mutex;

const FRESH_FOR: Duration = Duration::from_secs(3600);
/// Past this many people the cache starts again (a community channel never comes here).
const MAX_CACHED: usize = 5_000;

#[derive(Debug, Clone, PartialEq)]
pub struct Person {
    pub name: String,
    /// Present when the app has `users:read.email` and the profile shows one.
    pub email: Option<String>,
}

#[derive(Default)]
pub struct Names {
    cache: Mutex<HashMap<String, (Instant, Person)>>,
}

/// The name a person chose to be shown by, else their full name, else their handle.
pub fn shown_name(u: &SlackUser) -> Option<String> {
    let profile = u.profile.as_ref();
    [
        profile.and_then(|p| p.display_name.clone()),
        profile.and_then(|p| p.real_name.clone()),
        u.real_name.clone(),
        u.name.clone(),
    ]
    .into_iter()
    .flatten()
    .find(|n| !n.trim().is_empty())
}

impl Names {
    /// `user`'s display name, from the cache or `users.info`.
    pub async fn of(&self, chat: &SlackChat, user: &str) -> Option<String> {
        self.person(chat, user).await.map(|p| p.name)
    }

    /// `user`'s name and profile e-mail, from the cache or `users.info`.
    pub async fn person(&self, chat: &SlackChat, user: &str) -> Option<Person> {
        if let Some((at, p)) = self.cache.lock().await.get(user)
            && at.elapsed() < FRESH_FOR
        {
            return Some(p.clone());
        }
        let req = SlackApiUsersInfoRequest::new(SlackUserId::new(user.to_string()));
        let found = chat.client.open_session(&chat.token).users_info(&req).await;
        let person = match found {
            Ok(r) => Person {
                name: shown_name(&r.user)?,
                email: r
                    .user
                    .profile
                    .as_ref()
                    .and_then(|p| p.email.as_ref())
                    .map(|e| e.0.clone()),
            },
            Err(e) => {
                tracing::debug!(user, error = %e, "cannot read a Slack user's profile");
                return None;
            }
        };
        let mut cache = self.cache.lock().await;
        if cache.len() >= MAX_CACHED {
            cache.clear();
        }
        cache.insert(user.to_string(), (Instant::now(), person.clone()));
        Some(person)
    }
}
