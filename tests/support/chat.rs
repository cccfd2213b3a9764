//! A chat platform that records what it is asked to send and can be told to fail, for outbox tests.

use async_trait::async_trait;
use opsdesk::domain::Platform;
use opsdesk::domain::ports::{ChatPlatform, Outbound, SendError};
use std::collections::VecDeque;
use std::sync::Mutex;

#[derive(Debug, Clone)]
pub struct Sent {
    pub msg: Outbound,
    pub target: Option<String>,
    pub id: String,
}

pub struct RecordingChat {
    pub platform: Platform,
    pub sent: Mutex<Vec<Sent>>,
    /// Failures to return, one per send, before succeeding again.
    pub fail_next: Mutex<VecDeque<SendError>>,
}

impl RecordingChat {
    pub fn new(platform: Platform) -> RecordingChat {
        RecordingChat {
            platform,
            sent: Mutex::new(vec![]),
            fail_next: Mutex::new(VecDeque::new()),
        }
    }

    pub fn sent(&self) -> Vec<Sent> {
        self.sent.lock().unwrap().clone()
    }
}

#[async_trait]
impl ChatPlatform for RecordingChat {
    fn platform(&self) -> Platform {
        self.platform
    }

    async fn send(
        &self,
        msg: &Outbound,
        target: Option<&str>,
    ) -> Result<Option<String>, SendError> {
        if let Some(e) = self.fail_next.lock().unwrap().pop_front() {
            return Err(e);
        }
        let mut sent = self.sent.lock().unwrap();
        let id = format!("msg-{}", sent.len() + 1);
        sent.push(Sent {
            msg: msg.clone(),
            target: target.map(String::from),
            id: id.clone(),
        });
        Ok(Some(id))
    }
}
