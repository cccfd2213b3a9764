//! The store's port for alert groups and storms: the trait, and what a commit writes for them.

use super::store_port::StoreError;
use super::{Millis, Platform};
use async_trait::async_trait;

#[derive(Debug, Clone)]
pub struct AlertWrite {
    /// Version-checked: two batches for one group cannot both win.
    pub group: super::alert::AlertGroup,
    /// The group's new card is this commit's outbox row at this index.
    pub card_index: Option<usize>,
    /// The storm card it folds into is this commit's outbox row at this index.
    pub storm_index: Option<usize>,
    /// With a new card: the channel's budget of new cards per minute, checked in the commit itself
    /// (one channel's new cards are taken one at a time, across tasks and replicas).
    pub card_budget: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct StormWrite {
    pub storm: super::alert::AlertStorm,
    /// A new storm card: this commit's outbox row at this index.
    pub card_index: Option<usize>,
}

/// Alert groups (created here, changed through [`super::store_port::Commit::alert`]).
#[async_trait]
pub trait AlertStore: Send + Sync {
    async fn alert_group(
        &self,
        source: &str,
        key: &str,
    ) -> Result<Option<super::alert::AlertGroup>, StoreError>;
    /// Creates a group (before the commit that posts its card, so the card can name it); `None` if
    /// another batch created it first.
    async fn alert_group_create(
        &self,
        g: &super::alert::AlertGroup,
    ) -> Result<Option<i64>, StoreError>;
    async fn alert_group_by_id(
        &self,
        id: i64,
    ) -> Result<Option<super::alert::AlertGroup>, StoreError>;
    /// The group whose current card is the delivered message `platform_ref`.
    async fn alert_group_by_card_ref(
        &self,
        platform: Platform,
        platform_ref: &str,
    ) -> Result<Option<super::alert::AlertGroup>, StoreError>;
    /// Newest change first.
    async fn alert_groups(
        &self,
        firing_only: bool,
        limit: i64,
    ) -> Result<Vec<super::alert::AlertGroup>, StoreError>;
    /// How many cards were posted in a channel since `since` (the storm budget).
    async fn alert_cards_since(
        &self,
        platform: Platform,
        channel: &str,
        since: Millis,
    ) -> Result<i64, StoreError>;
    async fn alert_storm(
        &self,
        platform: Platform,
        channel: &str,
    ) -> Result<Option<super::alert::AlertStorm>, StoreError>;
    /// The groups folded into storm card `storm_card` (and never carded since), firing first.
    async fn alert_storm_groups(
        &self,
        storm_card: i64,
    ) -> Result<Vec<super::alert::AlertGroup>, StoreError>;
    /// Every channel's storm that had a fold since `since`.
    async fn alert_storms_since(
        &self,
        since: Millis,
    ) -> Result<Vec<super::alert::AlertStorm>, StoreError>;
    /// What a storm card counts, leaving out group `except` (the one being changed).
    async fn alert_storm_stats(
        &self,
        storm_card: i64,
        except: i64,
    ) -> Result<super::alert_actions::StormStats, StoreError>;
}
