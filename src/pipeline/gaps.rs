//! Knowledge gaps as the team sees them: the questions recorded since a point in time (each written
//! with the commit that escalated it), grouped by meaning off the async workers.

use super::Pipeline;
use crate::domain::Millis;
use crate::domain::gaps::{GapGroup, groups};
use crate::domain::ports::StoreError;

/// The most questions one listing groups (the newest): the pairwise similarities grow with its square.
pub const MAX_GAPS: i64 = 2_000;

impl Pipeline {
    /// The unanswered questions asked at or after `since`, grouped, largest group first.
    pub async fn knowledge_gaps(&self, since: Millis) -> Result<Vec<GapGroup>, StoreError> {
        let gaps = self.store.kb_gaps(since, MAX_GAPS).await?;
        let texts: Vec<String> = gaps.iter().map(|g| g.question.clone()).collect();
        let (kb, min) = (self.kb.clone(), self.settings.kb.gap_similarity);
        let members = tokio::task::spawn_blocking(move || {
            let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
            kb.group_similar(&refs, min)
        })
        .await
        .map_err(|e| StoreError::Other(format!("grouping knowledge gaps: {e}")))?;
        Ok(groups(&gaps, members))
    }
}
