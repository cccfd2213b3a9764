//! The weekly support digest on its schedule: last week's support figures against the week before,
//! the top knowledge gaps and the triage data available, as a card in the team's internal channel with
//! a chart of tickets per day by outcome in its thread. An inbox key per firing sends it once, however
//! many replicas tick.

use super::{Pipeline, thread_of_card};
use crate::domain::finance_report::DAY;
use crate::domain::gaps::GapGroup;
use crate::domain::ports::{Commit, InboxPut, Outbound, OutboundOp, StoreError, TicketFilter};
use crate::domain::support_digest::{Week, per_day, text};
use crate::domain::{Card, ChannelRole, Millis, Platform, Reply, Ticket, TicketState};
use crate::finance::schedule::{due, midnight};

/// A digest whose time passed while no replica ran is still sent within this long.
const GRACE: Millis = 6 * 3_600_000;
/// The most tickets one digest reads for its chart and its count of labelled tickets.
const MAX_TICKETS: i64 = 200_000;
/// Resolved tickets this recent count as triage training data (as `triage export --since 90d`).
const LABELLED_WINDOW: Millis = 90 * DAY;

impl Pipeline {
    /// Sends the weekly support digest when its time has come; whether this replica sent it.
    pub async fn support_tick(&self, now: Millis) -> Result<bool, StoreError> {
        let s = &self.settings.support;
        let Some(slot) = due(&s.digest_cron, s.tz(), now, GRACE) else {
            return Ok(false);
        };
        let key = format!("schedule:support.weekly:{slot}");
        if self
            .store
            .inbox_put(&key, "schedule", "support.weekly", now)
            .await?
            == InboxPut::Duplicate
        {
            return Ok(false);
        }
        match self.send_support_digest(slot, &key, now).await {
            Err(StoreError::AlreadyProcessed(_)) => Ok(false),
            other => other,
        }
    }

    /// The team's channel for the digest: internal, else escalation.
    fn digest_place(&self) -> Option<(Platform, String)> {
        [ChannelRole::Internal, ChannelRole::Escalation]
            .into_iter()
            .find_map(|role| self.settings.channels.iter().find(|c| c.role == role))
            .map(|c| (c.platform, c.id.clone()))
    }

    /// Builds and posts the digest of the seven local days before `slot`, marking `key` processed
    /// in the same commit.
    pub async fn send_support_digest(
        &self,
        slot: Millis,
        key: &str,
        now: Millis,
    ) -> Result<bool, StoreError> {
        let Some((platform, channel)) = self.digest_place() else {
            tracing::warn!("no internal or escalation channel: the support digest is skipped");
            self.store
                .inbox_mark(key, now, Some("no team channel"))
                .await?;
            return Ok(false);
        };
        let tz = self.settings.support.tz();
        let to = midnight(tz, slot);
        // Local midnights (a day around a daylight-saving change is 23 or 25 hours long).
        let days: Vec<Millis> = (1..=7)
            .rev()
            .map(|d| midnight(tz, to - d * DAY + 6 * 3_600_000))
            .collect();
        let from = days[0];
        let before = midnight(tz, from - 7 * DAY + 6 * 3_600_000);
        let cur = Week::from_stats(&self.store.tier_stats(from, to).await?);
        let prev = Week::from_stats(&self.store.tier_stats(before, from).await?);
        let gaps = self.week_gaps(from, to).await?;
        let tickets = self
            .store
            .tickets(&TicketFilter {
                states: vec![],
                limit: MAX_TICKETS,
            })
            .await?;
        let labelled = labelled(&tickets, now);
        let title = format!(
            "Weekly support digest, {} to {}",
            crate::finance::report::date_in(tz, from),
            crate::finance::report::date_in(tz, to - 1)
        );
        let card = Outbound {
            thread_title: Some(title.clone()),
            platform,
            channel: channel.clone(),
            thread: None,
            op: OutboundOp::Post,
            reply: Reply::Card(Card {
                title: title.clone(),
                body: text(&cur, &prev, &gaps, labelled),
                ..Default::default()
            }),
        };
        let ids = self
            .commit(Commit {
                inbox_key: Some(key.to_string()),
                outbox: vec![card],
                now,
                ..Default::default()
            })
            .await?;
        let bars: Vec<_> = per_day(&tickets, &days, to)
            .iter()
            .map(|d| (day_label(tz, d.start), [d.bot, d.people, d.open]))
            .collect();
        if let (Some(card), Some(chart)) = (ids.first(), self.tickets_chart(&bars, &title)) {
            let post = Outbound {
                thread_title: Some(title),
                platform,
                channel,
                thread: Some(thread_of_card(*card)),
                op: OutboundOp::Post,
                reply: chart,
            };
            self.commit(Commit {
                outbox: vec![post],
                now,
                ..Default::default()
            })
            .await?;
        }
        Ok(true)
    }

    /// The knowledge gaps asked in `[from, to)`, grouped.
    async fn week_gaps(&self, from: Millis, to: Millis) -> Result<Vec<GapGroup>, StoreError> {
        Ok(self
            .knowledge_gaps(from)
            .await?
            .into_iter()
            .filter_map(|mut g| {
                g.gaps.retain(|q| q.at < to);
                (!g.gaps.is_empty()).then_some(g)
            })
            .collect())
    }

    fn tickets_chart(
        &self,
        bars: &[crate::finance::chart_tickets::Bar],
        title: &str,
    ) -> Option<Reply> {
        use base64::Engine;
        let png = match crate::finance::chart_tickets::tickets_png(bars) {
            Ok(png) => png,
            Err(e) => {
                tracing::warn!(error = %e, "the tickets chart could not be drawn");
                return None;
            }
        };
        let counts: Vec<String> = bars
            .iter()
            .map(|(d, c)| format!("{d} {}", c.iter().sum::<i64>()))
            .collect();
        Some(Reply::File {
            name: "tickets-per-day.png".into(),
            title: format!("{title}: tickets per day, {}", counts.join(" · ")),
            data_b64: base64::engine::general_purpose::STANDARD.encode(png),
        })
    }
}

/// Resolved tickets of the last 90 days that `triage export` would write as labelled lines.
fn labelled(tickets: &[Ticket], now: Millis) -> usize {
    tickets
        .iter()
        .filter(|t| t.state == TicketState::Resolved)
        .filter(|t| t.resolved_at.unwrap_or(0) >= now - LABELLED_WINDOW)
        .filter(|t| t.learned_tier().is_some())
        .count()
}

/// `Mon 02`: a day's weekday and date in the digest's time zone.
fn day_label(tz: chrono_tz::Tz, t: Millis) -> String {
    chrono::DateTime::from_timestamp_millis(t).map_or_else(String::new, |d| {
        d.with_timezone(&tz).format("%a %d").to_string()
    })
}
