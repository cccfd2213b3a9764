//! Which Discord channels are threads and what their parent is, learned from thread events, from the
//! threads opsdesk creates, and (once per unknown channel) from `GET /channels/{id}`.

use serenity::all::{ChannelId, ChannelType, Http};
use std::collections::HashMap;
use std::sync::Mutex;

#[derive(Default)]
pub struct Threads {
    /// channel id → its parent when it is a thread, `None` when it is not.
    known: Mutex<HashMap<u64, Option<u64>>>,
}

impl Threads {
    pub fn learn(&self, channel: u64, parent: Option<u64>) {
        self.known
            .lock()
            .expect("threads map")
            .insert(channel, parent);
    }

    pub fn is_thread(&self, channel: u64) -> bool {
        matches!(
            self.known.lock().expect("threads map").get(&channel),
            Some(Some(_))
        )
    }

    /// The parent of `channel` when it is a thread; asks Discord the first time.
    pub async fn parent(&self, http: &Http, channel: u64) -> Option<u64> {
        if let Some(p) = self.known.lock().expect("threads map").get(&channel) {
            return *p;
        }
        let parent = match ChannelId::new(channel).to_channel(http).await {
            Ok(c) => c
                .guild()
                .filter(|g| {
                    matches!(
                        g.kind,
                        ChannelType::PublicThread | ChannelType::PrivateThread
                    )
                })
                .and_then(|g| g.parent_id)
                .map(|p| p.get()),
            Err(e) => {
                tracing::warn!(channel, error = %e, "cannot look up a Discord channel");
                return None; // not remembered: ask again next time
            }
        };
        self.learn(channel, parent);
        parent
    }
}
