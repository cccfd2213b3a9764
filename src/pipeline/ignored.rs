//! Events that lead nowhere: marked processed so that a redelivery is recognised, and a click on a
//! button that no longer does anything says so to the clicker.

use super::{Handled, Pipeline, private};
use crate::domain::ports::{Commit, Outbound, StoreError, UnstoredEvent};
use crate::domain::{Event, EventKind, Millis, Reply};

impl Pipeline {
    /// Marks an ignored event processed (storing it first when no inbox put did, so that a redelivery
    /// is still recognised). A click on a button that no longer leads anywhere (a stale card, an
    /// unknown action) tells the clicker so, privately: the click was acknowledged and nothing else
    /// would happen.
    pub(super) async fn store_ignored(
        &self,
        ev: &Event,
        unstored: Option<&UnstoredEvent>,
        why: &'static str,
        now: Millis,
    ) -> Result<Handled, StoreError> {
        let outbox: Vec<Outbound> = match ev.kind {
            EventKind::ButtonClicked { .. } => {
                let text = format!("This button is no longer valid ({why}); nothing was changed.");
                vec![private(ev, Reply::text(text))]
            }
            _ => vec![],
        };
        if unstored.is_none() && outbox.is_empty() {
            self.store.inbox_mark(&ev.inbox_key(), now, None).await?;
            return Ok(Handled::Ignored(why));
        }
        let c = Commit {
            inbox_key: Some(ev.inbox_key()),
            unstored: unstored.cloned(),
            outbox,
            now,
            ..Default::default()
        };
        match self.commit(c).await {
            Ok(_) => Ok(Handled::Ignored(why)),
            Err(StoreError::AlreadyProcessed(_)) => Ok(Handled::Duplicate),
            Err(e) => Err(e),
        }
    }
}
