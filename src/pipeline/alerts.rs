//! Alerts into living cards: a batch creates its group's card in the channel its route selects, edits it
//! (status, counts, last change) and adds a line to the card's thread; a resolution says for how long it
//! fired; a re-fire after a resolution posts one new card that points back. Over a channel's budget of
//! new cards per minute, new groups fold into one storm card instead. The raw webhook was stored first.

use super::Pipeline;
use super::alert_cards::{card, detail, edit, post, thread_of_card};
use crate::domain::alert::{AlertBatch, AlertGroup, Change};
use crate::domain::human_duration;
use crate::domain::ports::{AlertWrite, Commit, StoreError};
use crate::domain::{Millis, Platform, Reply};

/// The storm budget's window.
const MINUTE: Millis = 60_000;

/// What a group was before a batch changed it.
#[derive(Debug, Clone, Copy, Default)]
struct Before {
    /// Since it resolved (0 if it had not).
    quiet_for: Millis,
    /// How long it had fired.
    fired_for: Millis,
}

impl Pipeline {
    /// Applies one batch; retried on a concurrent change to the same group.
    pub async fn on_alert_batch(
        &self,
        b: &AlertBatch,
        inbox_key: Option<String>,
        now: Millis,
    ) -> Result<Vec<i64>, StoreError> {
        let mut b = b.clone();
        b.regroup(
            self.settings
                .alerts
                .group_by
                .get(&b.source)
                .map_or(&[][..], Vec::as_slice),
        );
        if let Some(title) = self.templates.alert_title(minijinja::context! {
            title => &b.title,
            alertname => b.labels.get("alertname").unwrap_or(&b.title),
            labels => &b.labels,
            severity => &b.severity,
            source => &b.source,
            firing => b.firing,
            count => b.alerts.len(),
        }) {
            // The alert's name stays findable (runbooks, `/ops alerts`) when only the title named it.
            let name = std::mem::replace(&mut b.title, title);
            b.labels.entry("alertname".into()).or_insert(name);
        }
        for _ in 0..8 {
            match self.apply_alert_batch(&b, inbox_key.clone(), now).await {
                Err(StoreError::Conflict(_)) => continue,
                Err(StoreError::AlreadyProcessed(_)) => return Ok(vec![]), // another task handled this webhook
                other => return other,
            }
        }
        Err(StoreError::Conflict(format!(
            "alert group {} kept changing",
            b.group_key
        )))
    }

    /// Whether a Run runbook button belongs on this group's card.
    pub(super) fn has_runbook(&self, g: &AlertGroup) -> bool {
        self.settings.alerts.runbooks.contains_key(g.alertname())
    }

    async fn apply_alert_batch(
        &self,
        b: &AlertBatch,
        inbox_key: Option<String>,
        now: Millis,
    ) -> Result<Vec<i64>, StoreError> {
        let (mut g, change, before) = self.group_of(b, now).await?;
        g.detail = detail(&g, b, None, &[]);
        let mut c = Commit {
            inbox_key,
            now,
            ..Default::default()
        };
        let mut w = AlertWrite {
            group: g.clone(),
            card_index: None,
            storm_index: None,
            card_budget: None,
        };
        let never_shown = g.card.is_none() && g.storm.is_none();
        if g.channel.is_empty() {
            tracing::warn!(group = %b.group_key, "an alert arrived but no route or channel with the alerts role takes it");
        } else if change == Change::New || (never_shown && g.firing) {
            self.surface(&mut c, &mut w, &mut g, b, None, now).await?;
        } else if change == Change::Refired && !g.silenced(now) {
            self.refire(&mut c, &mut w, &mut g, b, before, now).await?;
        } else if let Some(id) = g.card {
            self.card_changed(&mut c, &g, id, change, now);
        } else if let Some(storm) = g.storm {
            self.storm_changed(&mut c, &g, storm, now).await?;
        }
        let new_card = w.card_index.filter(|_| g.firing);
        w.group = g.clone();
        c.alert = Some(w);
        let ids = self.commit(c).await?;
        if let Some(card) = new_card.and_then(|i| ids.get(i).copied()) {
            self.spawn_infra_note(g, card, now);
        }
        Ok(ids)
    }

    /// The batch's group, changed by it, with what it was before (how long it had been quiet and how
    /// long it had fired); a group seen for the first time is created in the channel its route picks.
    async fn group_of(
        &self,
        b: &AlertBatch,
        now: Millis,
    ) -> Result<(AlertGroup, Change, Before), StoreError> {
        if let Some(mut g) = self.store.alert_group(&b.source, &b.group_key).await? {
            let before = Before {
                quiet_for: g.resolved_at.map_or(0, |r| now - r),
                fired_for: g.duration(now),
            };
            let change = g.apply(b, now);
            return Ok((g, change, before));
        }
        let s = &self.settings;
        let (platform, channel) = s
            .alerts
            .route(s, &b.source, &b.labels)
            .unwrap_or((Platform::Console, String::new()));
        let g = AlertGroup::new(b, platform, &channel, now);
        match self.store.alert_group_create(&g).await? {
            Some(id) => Ok((AlertGroup { id, ..g }, Change::New, Before::default())),
            None => Err(StoreError::Conflict(format!(
                "alert group {} was created concurrently",
                b.group_key
            ))),
        }
    }

    /// A group firing again after it resolved: a new card that says so and links the earlier one.
    async fn refire(
        &self,
        c: &mut Commit,
        w: &mut AlertWrite,
        g: &mut AlertGroup,
        b: &AlertBatch,
        before: Before,
        now: Millis,
    ) -> Result<(), StoreError> {
        let earlier_card = match g.card {
            Some(id) => self
                .store
                .outbox_ref(id)
                .await?
                .and_then(|r| self.settings.permalink(g.platform, &g.channel, &r)),
            None => None,
        };
        let note = format!(
            "🔁 Firing again {} after it resolved; it had fired for {} ({}).",
            human_duration(before.quiet_for),
            human_duration(before.fired_for),
            if earlier_card.is_some() {
                "earlier card linked below"
            } else {
                "see the earlier card above"
            }
        );
        self.surface(c, w, g, b, Some(note), now).await?;
        if let Some(link) = earlier_card {
            g.detail.links.push(crate::domain::Citation {
                title: "Earlier card".into(),
                link,
                ..Default::default()
            });
            if let Some(i) = w.card_index {
                c.outbox[i].reply = card(g, self.has_runbook(g), now);
            }
        }
        Ok(())
    }

    /// A carded group changed: the card is edited, and a line goes to its thread unless silenced
    /// (while silenced the card stays current but its thread stays quiet).
    fn card_changed(&self, c: &mut Commit, g: &AlertGroup, id: i64, change: Change, now: Millis) {
        let current = card(g, self.has_runbook(g), now);
        c.outbox.push(edit(g.platform, &g.channel, id, current));
        if g.silenced(now) {
            return;
        }
        let line = match change {
            Change::Resolved => format!("✅ Resolved after {}", human_duration(g.duration(now))),
            _ => format!(
                "🔥 {} firing, {} resolved",
                g.firing_count, g.resolved_count
            ),
        };
        c.outbox.push(post(
            g.platform,
            &g.channel,
            Some(thread_of_card(id)),
            &g.title,
            Reply::text(line),
        ));
    }

    /// The infra note follows a new card without holding up the next batch (an LLM takes seconds).
    fn spawn_infra_note(&self, g: AlertGroup, card: i64, now: Millis) {
        if self.llm.is_none() || self.settings.llm.agent("assistant").is_none() {
            return;
        }
        let p = self.clone();
        tokio::spawn(async move {
            if let Err(e) = p.infra_note(&g, card, now).await {
                tracing::warn!(group = g.id, error = %e, "the infra note was not written");
            }
        });
    }

    /// Shows a group that needs a new card: its own card within the channel's budget, else folded into
    /// the channel's storm card (started when there is none).
    async fn surface(
        &self,
        c: &mut Commit,
        w: &mut AlertWrite,
        g: &mut AlertGroup,
        b: &AlertBatch,
        note: Option<String>,
        now: Millis,
    ) -> Result<(), StoreError> {
        let budget = self.settings.alerts.new_cards_per_minute;
        if self
            .store
            .alert_cards_since(g.platform, &g.channel, now - MINUTE)
            .await?
            < budget
        {
            let related = self.related(g).await?;
            g.carded_at = Some(now);
            g.storm = None;
            g.detail = detail(g, b, note, &related);
            w.card_index = Some(c.outbox.len());
            w.card_budget = Some(budget);
            c.outbox.push(post(
                g.platform,
                &g.channel,
                None,
                &g.title,
                card(g, self.has_runbook(g), now),
            ));
            return Ok(());
        }
        g.card = None;
        g.carded_at = None;
        self.fold_into_storm(c, w, g, now).await
    }

    /// Other groups firing now that share a service, team, job or instance with this one (among the 100
    /// that changed last; none asked for when the group has none of those labels).
    pub(super) async fn related(&self, g: &AlertGroup) -> Result<Vec<AlertGroup>, StoreError> {
        const KEYS: [&str; 5] = ["service", "team", "job", "instance", "project"];
        if !KEYS.iter().any(|k| g.labels.contains_key(*k)) {
            return Ok(vec![]);
        }
        let shared = |o: &AlertGroup| {
            KEYS.iter().any(|k| {
                g.labels
                    .get(*k)
                    .is_some_and(|v| o.labels.get(*k) == Some(v))
            })
        };
        Ok(self
            .store
            .alert_groups(true, 100)
            .await?
            .into_iter()
            .filter(|o| o.id != g.id && shared(o))
            .collect())
    }
}
