//! A channel's storm card: groups over the channel's budget of new cards fold into it. Whether a storm
//! is started or joined is decided in the store (one card per channel and storm, across tasks and
//! replicas); the card's counts are read from the store, and the storm clock corrects a card that a
//! race left stale and puts the full list of held-back groups in its thread as a file.

use super::Pipeline;
use super::alert_cards::{edit, post, storm_card, thread_of_card};
use crate::domain::alert::{AlertGroup, AlertStorm};
use crate::domain::alert_actions::StormStats;
use crate::domain::ports::{AlertWrite, Commit, StoreError, StormWrite};
use crate::domain::{Millis, Reply};
use base64::Engine;

/// The card's counts, as compared with what it last showed.
fn shown(stats: &StormStats) -> String {
    let (title, body) = stats.summary();
    format!("{title}\n{body}")
}

/// Every group held back, one line each, for the file in the storm card's thread.
pub(super) fn held_back_csv(groups: &[AlertGroup]) -> String {
    let mut s = String::from("id,status,severity,firing,resolved,title\n");
    for g in groups {
        let title = g.title.replace('"', "\"\"");
        s.push_str(&format!(
            "{},{},{},{},{},\"{title}\"\n",
            g.id,
            if g.firing { "firing" } else { "resolved" },
            g.severity,
            g.firing_count,
            g.resolved_count,
        ));
    }
    s
}

impl Pipeline {
    /// Folds `g` into the channel's storm, starting one when none is active. The commit fails with a
    /// conflict when another batch started (or replaced) the storm first; the retry then joins it.
    pub(super) async fn fold_into_storm(
        &self,
        c: &mut Commit,
        w: &mut AlertWrite,
        g: &mut AlertGroup,
        now: Millis,
    ) -> Result<(), StoreError> {
        let active = self
            .store
            .alert_storm(g.platform, &g.channel)
            .await?
            .filter(|s| s.active(now));
        let Some(st) = active else {
            let stats = StormStats::default().with(g);
            w.storm_index = Some(c.outbox.len());
            c.outbox.push(post(
                g.platform,
                &g.channel,
                None,
                "Alert storm",
                storm_card(&stats, now, now),
            ));
            let storm = AlertStorm {
                platform: g.platform,
                channel: g.channel.clone(),
                card: 0,
                started: now,
                last_fold: now,
                shown: shown(&stats),
                listed: 0,
            };
            c.storm = Some(StormWrite {
                storm,
                card_index: w.storm_index,
            });
            return Ok(());
        };
        g.storm = Some(st.card);
        let stats = self.store.alert_storm_stats(st.card, g.id).await?.with(g);
        c.outbox.push(edit(
            g.platform,
            &g.channel,
            st.card,
            storm_card(&stats, st.started, now),
        ));
        c.storm = Some(StormWrite {
            storm: AlertStorm {
                last_fold: now,
                shown: shown(&stats),
                ..st
            },
            card_index: None,
        });
        Ok(())
    }

    /// A group already folded into storm card `storm` changed: the card shows the new counts.
    pub(super) async fn storm_changed(
        &self,
        c: &mut Commit,
        g: &AlertGroup,
        storm: i64,
        now: Millis,
    ) -> Result<(), StoreError> {
        let stats = self.store.alert_storm_stats(storm, g.id).await?.with(g);
        let current = self
            .store
            .alert_storm(g.platform, &g.channel)
            .await?
            .filter(|s| s.card == storm);
        let started = current.as_ref().map_or(g.first_seen, |s| s.started);
        c.outbox.push(edit(
            g.platform,
            &g.channel,
            storm,
            storm_card(&stats, started, now),
        ));
        if let Some(st) = current {
            c.storm = Some(StormWrite {
                storm: AlertStorm {
                    shown: shown(&stats),
                    ..st
                },
                card_index: None,
            });
        }
        Ok(())
    }

    /// For each storm of the last half hour whose card no longer shows the store's counts (two
    /// batches raced, or the last change's edit was superseded), the card is edited from the store;
    /// when the number of groups held back changed, their full list goes to its thread as a file.
    pub async fn storm_tick(&self, now: Millis) -> Result<usize, StoreError> {
        let mut fixed = 0;
        for st in self
            .store
            .alert_storms_since(now - 3 * AlertStorm::QUIET)
            .await?
        {
            let stats = self.store.alert_storm_stats(st.card, 0).await?;
            let fresh = shown(&stats);
            if fresh == st.shown && stats.groups == st.listed {
                continue;
            }
            let mut c = Commit {
                now,
                ..Default::default()
            };
            if fresh != st.shown {
                let card = storm_card(&stats, st.started, now);
                c.outbox.push(edit(st.platform, &st.channel, st.card, card));
            }
            let listed = stats.groups;
            if listed != st.listed {
                let groups = self.store.alert_storm_groups(st.card).await?;
                let file = Reply::File {
                    name: format!("held-back-groups-{}.csv", stats.groups),
                    title: format!("All {} groups held back by this storm", stats.groups),
                    data_b64: base64::engine::general_purpose::STANDARD
                        .encode(held_back_csv(&groups)),
                };
                let thread = Some(thread_of_card(st.card));
                c.outbox
                    .push(post(st.platform, &st.channel, thread, "Alert storm", file));
            }
            c.storm = Some(StormWrite {
                storm: AlertStorm {
                    shown: fresh,
                    listed,
                    ..st
                },
                card_index: None,
            });
            match self.commit(c).await {
                Ok(_) => fixed += 1,
                // A batch folded in meanwhile: the next tick looks again.
                Err(StoreError::Conflict(_)) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(fixed)
    }
}
