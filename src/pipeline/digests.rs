//! Finance digests on their schedules: the previous day (daily) or seven days (weekly, with an MRR
//! chart of the last 12 weeks in its thread), with the change against the period before, as a card
//! awaiting sign-off in the finance channel. An inbox key per firing makes each digest go out once,
//! however many replicas tick.

use super::Pipeline;
use super::{ApprovalRequest, thread_of_card};
use crate::domain::ApprovalKind;
use crate::domain::finance_report::{DAY, report, weekly_mrr};
use crate::domain::ports::{Commit, InboxPut, Outbound, OutboundOp, StoreError};
use crate::domain::{ChannelRole, Millis, Reply};
use crate::finance::report::{date_in, digest};
use crate::finance::schedule::{due, midnight};

/// A digest whose time passed while no replica ran is still sent within this long.
const GRACE: Millis = 6 * 3_600_000;

/// The schedule key a digest firing is stored under.
pub const SCHEDULE_PREFIX: &str = "schedule:finance.";

impl Pipeline {
    /// Sends the digests whose time has come; returns how many this replica sent.
    pub async fn finance_tick(&self, now: Millis) -> Result<usize, StoreError> {
        let f = &self.settings.finance;
        let mut sent = 0;
        for (name, cron) in [("daily", &f.daily_cron), ("weekly", &f.weekly_cron)] {
            let Some(slot) = due(cron, f.tz(), now, GRACE) else {
                continue;
            };
            let key = format!("{SCHEDULE_PREFIX}{name}:{slot}");
            if self.store.inbox_put(&key, "schedule", name, now).await? == InboxPut::Duplicate {
                continue;
            }
            match self.send_digest(name, slot, &key, now).await {
                Ok(true) => sent += 1,
                Ok(false) | Err(StoreError::AlreadyProcessed(_)) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(sent)
    }

    /// Builds and posts one digest for the firing at `slot`; `false` when another replica did.
    pub async fn send_digest(
        &self,
        name: &str,
        slot: Millis,
        key: &str,
        now: Millis,
    ) -> Result<bool, StoreError> {
        let Some(place) = self
            .settings
            .channels
            .iter()
            .find(|c| c.role == ChannelRole::Finance)
        else {
            tracing::warn!(
                digest = name,
                "no channel has the finance role; the digest is skipped"
            );
            self.store
                .inbox_mark(key, now, Some("no finance channel"))
                .await?;
            return Ok(false);
        };
        let tz = self.settings.finance.tz();
        let days = if name == "weekly" { 7 } else { 1 };
        // Local midnights (a day around a daylight-saving change is 23 or 25 hours long).
        let to = midnight(tz, slot);
        let from = midnight(tz, to - days * DAY + 6 * 3_600_000);
        let before = midnight(tz, from - days * DAY + 6 * 3_600_000);
        let ledger = self.store.finance_ledger().await?;
        let (cur, prev) = (report(&ledger, from, to), report(&ledger, before, from));
        let title = match name {
            "weekly" => format!(
                "Weekly finance digest, {} to {}",
                date_in(tz, from),
                date_in(tz, to - 1)
            ),
            _ => format!("Daily finance digest, {}", date_in(tz, from)),
        };
        let request = ApprovalRequest {
            kind: ApprovalKind::FinanceReport,
            params: serde_json::json!({ "digest": name, "from": from, "to": to }),
            summary: title.clone(),
            reason: digest(&cur, &prev),
            platform: place.platform,
            requester: "opsdesk".into(),
            channel: place.id.clone(),
            thread: None,
        };
        let a = match self
            .request_approval_once(request, Some(key.to_string()), now)
            .await?
        {
            Ok(a) => a,
            Err(_) => {
                self.store.inbox_mark(key, now, None).await?;
                return Ok(false);
            }
        };
        if name == "weekly"
            && let Some(card) = a.card
        {
            // One chart per currency with MRR, the three largest.
            let mut by_mrr: Vec<_> = cur.currencies.iter().filter(|r| r.mrr > 0).collect();
            by_mrr.sort_by_key(|r| std::cmp::Reverse(r.mrr));
            let charts: Vec<Outbound> = by_mrr
                .iter()
                .take(3)
                .filter_map(|r| {
                    let points = weekly_mrr(&ledger, &r.currency, to, 12);
                    self.chart_post(&points, &r.currency, &title, place, card)
                })
                .collect();
            if !charts.is_empty() {
                self.commit(Commit {
                    outbox: charts,
                    now,
                    ..Default::default()
                })
                .await?;
            }
        }
        Ok(true)
    }

    /// The weekly digest's MRR chart, posted in the digest card's thread (none if it cannot be drawn).
    fn chart_post(
        &self,
        points: &[(Millis, i64)],
        currency: &str,
        title: &str,
        place: &crate::config::ChannelSettings,
        card: i64,
    ) -> Option<Outbound> {
        use base64::Engine;
        let png = match crate::finance::chart::mrr_png(points, currency) {
            Ok(png) => png,
            Err(e) => {
                tracing::warn!(error = %e, "the MRR chart could not be drawn");
                return None;
            }
        };
        let figures: Vec<String> = points
            .iter()
            .map(|p| crate::finance::report::money(p.1, currency))
            .collect();
        let reply = Reply::File {
            name: format!("mrr-{currency}-12-weeks.png"),
            title: format!(
                "MRR ({}), last 12 weeks: {}",
                currency.to_uppercase(),
                figures.join(" → ")
            ),
            data_b64: base64::engine::general_purpose::STANDARD.encode(png),
        };
        Some(Outbound {
            thread_title: Some(title.to_string()),
            platform: place.platform,
            channel: place.id.clone(),
            thread: Some(thread_of_card(card)),
            op: OutboundOp::Post,
            reply,
        })
    }
}
