//! People acting on alert groups: the card's buttons and the same words typed in the card's thread
//! (`ack`, `silence 2h`, `unsilence`, `resolve`, `runbook`), with one permission check for both. Silences
//! on Alertmanager groups are created in Alertmanager (API v2) and always end; Run runbook only asks for
//! sign-off. Anything else said in a card's thread is answered with the group's context.

use super::alert_cards::{card, clock, edit, post, thread_of_card};
use super::{ApprovalRequest, Handled, Outcome, Pipeline};
use crate::alerts::silences::Alertmanager;
use crate::alerts::silences::SilenceError;
use crate::domain::ApprovalKind;
use crate::domain::AuditAction;
use crate::domain::Refusal;
use crate::domain::alert::AlertGroup;
use crate::domain::alert_actions::AlertAction;
use crate::domain::button::AlertButton;
use crate::domain::human_duration;
use crate::domain::ports::{AlertWrite, AuditEntry, Commit, OutboundOp, StoreError};
use crate::domain::{Event, EventKind, Millis, Reply};
use std::time::Duration;

impl Pipeline {
    pub(super) async fn on_alert_click(
        &self,
        ev: &Event,
        button: AlertButton,
        value: &str,
        now: Millis,
    ) -> Result<Handled, StoreError> {
        let Some((id, act)) = AlertAction::from_button(button, value) else {
            return Ok(Handled::Ignored("not an alert button"));
        };
        let Some(g) = self.store.alert_group_by_id(id).await? else {
            return Ok(Handled::Ignored("the alert group is gone"));
        };
        self.alert_act(ev, g, act, now).await
    }

    /// A message in an alert card's thread: a command, or a question about the group.
    pub(super) async fn on_alert_thread(
        &self,
        ev: &Event,
        text: &str,
        now: Millis,
    ) -> Result<Handled, StoreError> {
        let Some(root) = ev.thread.as_deref() else {
            return Ok(Handled::Ignored("not in a card's thread"));
        };
        let Some(g) = self.card_group(ev, root).await? else {
            return Ok(Handled::Ignored("a thread without an alert card"));
        };
        if !self.settings.team_member(ev.platform, &ev.user, &ev.roles) {
            return Ok(Handled::Ignored("not a team member"));
        }
        match AlertAction::from_text(text) {
            Ok(Some(act)) => self.alert_act(ev, g, act, now).await,
            Err(why) => self.answer(ev, Reply::text(why.0), now).await,
            Ok(None) => {
                // A question about the group: the assistant with the group's context, or the context itself.
                let context = self.group_context(&g, now).await?;
                let asker = super::assistant::Asker {
                    platform: ev.platform,
                    user: ev.user.clone(),
                    channel: ev.channel.clone(),
                    thread: ev.thread.clone(),
                };
                let reply = self
                    .assist("assistant.md", text, Some(&context), &asker, now)
                    .await?
                    .unwrap_or(context);
                self.answer(ev, Reply::text(reply), now).await
            }
        }
    }

    /// The group whose card is the thread's root message.
    async fn card_group(&self, ev: &Event, root: &str) -> Result<Option<AlertGroup>, StoreError> {
        self.store.alert_group_by_card_ref(ev.platform, root).await
    }

    /// A reply to whoever acted: only them for a click, the thread for a typed message.
    pub(super) async fn answer(
        &self,
        ev: &Event,
        reply: Reply,
        now: Millis,
    ) -> Result<Handled, StoreError> {
        let mut out = super::private(ev, reply);
        if matches!(ev.kind, EventKind::MessagePosted { .. }) {
            out.op = OutboundOp::Post;
        }
        let ids = self.reply_to(ev, out, vec![], now).await?;
        Ok(Handled::Done(Outcome {
            outbox: ids,
            ..Outcome::default()
        }))
    }

    /// The offline assistant's answer in a card's thread: what the group is, its state, related groups, runbook.
    pub(super) async fn group_context(
        &self,
        g: &AlertGroup,
        now: Millis,
    ) -> Result<String, StoreError> {
        let mut s = format!(
            "Alert group #{} ({}): {} — {}, {} firing / {} resolved, for {}.",
            g.id,
            g.source,
            g.title,
            if g.firing { "firing" } else { "resolved" },
            g.firing_count,
            g.resolved_count,
            human_duration(g.duration(now))
        );
        // Its history, as the store keeps it (the card's thread shows the same as lines).
        s.push_str(&format!(
            "\nHistory: first seen {}, {} update(s), last change {}",
            super::alert_cards::clock(g.first_seen),
            g.updates,
            super::alert_cards::clock(g.last_change)
        ));
        if let (Some(who), Some(at)) = (&g.acked_by, g.acked_at) {
            s.push_str(&format!(
                ", acknowledged by {who} at {}",
                super::alert_cards::clock(at)
            ));
        }
        if let Some(until) = g.silenced_until.filter(|u| *u > now) {
            s.push_str(&format!(
                ", silenced until {}",
                super::alert_cards::clock(until)
            ));
        }
        s.push('.');
        let labels: Vec<String> = g.labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
        if !labels.is_empty() {
            s.push_str(&format!("\nLabels: {}", labels.join(", ")));
        }
        let related = self.related(g).await?;
        if !related.is_empty() {
            let r: Vec<String> = related
                .iter()
                .take(5)
                .map(|o| format!("#{} {}", o.id, o.title))
                .collect();
            s.push_str(&format!("\nRelated, firing now: {}", r.join(" · ")));
        }
        match self.settings.alerts.runbooks.get(g.alertname()) {
            Some(rb) => s.push_str(&format!(
                "\nRunbook: {rb} (type `runbook` to ask for sign-off to run it)"
            )),
            None => s.push_str("\nNo runbook is configured for this alert."),
        }
        s.push_str("\nCommands here: `ack`, `silence 2h`, `unsilence`, `resolve`, `runbook`.");
        Ok(s)
    }

    async fn alert_act(
        &self,
        ev: &Event,
        mut g: AlertGroup,
        act: AlertAction,
        now: Millis,
    ) -> Result<Handled, StoreError> {
        if !self.settings.team_member(ev.platform, &ev.user, &ev.roles) {
            let why = "Only the ops team can act on alerts (see ops.allowed_users).";
            return self.answer(ev, Reply::text(why), now).await;
        }
        if act == AlertAction::Runbook {
            return self.ask_runbook(ev, &g, now).await;
        }
        let who = ev
            .user_name
            .clone()
            .unwrap_or_else(|| format!("{}:{}", ev.platform.as_str(), ev.user));
        let line = match self.change_group(&mut g, act, &who, now).await {
            Ok(line) => line,
            Err(why) => return self.answer(ev, Reply::text(why.0), now).await,
        };
        let mut c = Commit {
            inbox_key: Some(ev.inbox_key()),
            now,
            ..Default::default()
        };
        if let Some(id) = g.card {
            let current = card(&g, self.has_runbook(&g), now);
            c.outbox.push(edit(g.platform, &g.channel, id, current));
            c.outbox.push(post(
                g.platform,
                &g.channel,
                Some(thread_of_card(id)),
                &g.title,
                Reply::text(line.clone()),
            ));
        } else {
            c.outbox.push(super::private(ev, Reply::text(line.clone())));
        }
        c.audit.push(AuditEntry {
            at: now,
            actor: format!("{}:{}", ev.platform.as_str(), ev.user),
            action: AuditAction::Alert(act.button()),
            subject: format!("alert group #{}", g.id),
            detail: line,
        });
        c.alert = Some(AlertWrite {
            group: g,
            card_index: None,
            storm_index: None,
            card_budget: None,
        });
        let ids = self.commit(c).await?;
        Ok(Handled::Done(Outcome {
            outbox: ids,
            ..Outcome::default()
        }))
    }

    /// Applies the action to the group: the line for its thread, or why nothing changed.
    async fn change_group(
        &self,
        g: &mut AlertGroup,
        act: AlertAction,
        who: &str,
        now: Millis,
    ) -> Result<String, Refusal> {
        match act {
            AlertAction::Ack if !g.firing => {
                Err(Refusal::new("It is not firing; nothing to acknowledge."))
            }
            AlertAction::Ack => match &g.acked_by {
                Some(by) => Err(Refusal(format!("Already acknowledged by {by}."))),
                None => {
                    g.acked_by = Some(who.to_string());
                    g.acked_at = Some(now);
                    Ok(format!("👀 Acknowledged by {who}"))
                }
            },
            AlertAction::Silence(d) => self
                .silence(g, d, who, now)
                .await
                .map_err(|why| Refusal(format!("Not silenced: {why}"))),
            AlertAction::Unsilence => {
                if !g.silenced(now) {
                    return Err(Refusal::new("It is not silenced."));
                }
                if let Some(id) = &g.silence_id {
                    self.expire_silence(g.id, id)
                        .await
                        .map_err(|why| Refusal(format!("Still silenced: {why}")))?;
                }
                g.silenced_until = None;
                g.silence_id = None;
                Ok(format!("🔔 Silence lifted by {who}"))
            }
            AlertAction::Resolve if !g.resolve_by_hand(now) => {
                Err(Refusal::new("It is already resolved."))
            }
            AlertAction::Resolve => Ok(format!(
                "✅ Resolved by hand by {who} after {}",
                human_duration(g.duration(now))
            )),
            AlertAction::Runbook => Err(Refusal::new("Run runbook asks for sign-off.")),
        }
    }

    fn alertmanager(&self) -> Option<Alertmanager> {
        let a = &self.settings.alerts;
        (!a.alertmanager_url.is_empty()).then(|| Alertmanager {
            base_url: a.alertmanager_url.clone(),
            timeout: Duration::from_secs(a.alertmanager_timeout_secs),
        })
    }

    /// Lifts the group's silence in Alertmanager. A silence made there while a URL was configured
    /// cannot be lifted once the URL is gone: that is a refusal, never a crash.
    async fn expire_silence(&self, group: i64, silence: &str) -> Result<(), SilenceError> {
        let Some(am) = self.alertmanager() else {
            tracing::warn!(
                group,
                silence,
                "unsilence refused: the silence lives in Alertmanager and alerts.alertmanager_url is empty"
            );
            return Err(SilenceError::NoUrl(silence.into()));
        };
        am.expire(silence).await
    }

    /// Silences the group until `now + d`: in Alertmanager for its groups when one is configured
    /// (replacing an earlier silence), else in opsdesk alone.
    async fn silence(
        &self,
        g: &mut AlertGroup,
        d: Millis,
        who: &str,
        now: Millis,
    ) -> Result<String, SilenceError> {
        let until = now + d;
        let mut line = format!(
            "🔕 Silenced by {who} for {} (until {})",
            human_duration(d),
            clock(until)
        );
        if g.source == "alertmanager"
            && let Some(am) = self.alertmanager()
        {
            let comment = format!("opsdesk: alert group #{} silenced from chat by {who}", g.id);
            let id = am.silence(&g.labels, now, until, who, &comment).await?;
            if let Some(old) = g.silence_id.replace(id.clone())
                && let Err(e) = am.expire(&old).await
            {
                tracing::warn!(silence = %old, error = %e, "the earlier silence could not be lifted; it ends on its own");
            }
            line.push_str(&format!(" — Alertmanager silence {id}"));
        }
        g.silenced_until = Some(until);
        Ok(line)
    }

    async fn ask_runbook(
        &self,
        ev: &Event,
        g: &AlertGroup,
        now: Millis,
    ) -> Result<Handled, StoreError> {
        let Some(name) = self.settings.alerts.runbooks.get(g.alertname()) else {
            let why = format!(
                "No runbook is configured for alert {:?} (see [alerts.runbooks]).",
                g.alertname()
            );
            return self.answer(ev, Reply::text(why), now).await;
        };
        let description = self
            .settings
            .runbooks
            .get(name)
            .map_or("", |r| r.description.as_str());
        let request = ApprovalRequest {
            kind: ApprovalKind::Runbook,
            params: serde_json::json!({ "name": name }),
            summary: format!("runbook {name}: {description}"),
            reason: format!("alert group #{}: {}", g.id, g.title),
            platform: ev.platform,
            requester: ev.user.clone(),
            channel: g.channel.clone(),
            thread: g.card.map(thread_of_card),
        };
        let text = match self.request_approval(request, now).await? {
            Ok(a) => format!(
                "Asked for sign-off to run {name}: request #{}. Nothing runs before it is approved.",
                a.id
            ),
            Err(a) => format!(
                "Running {name} is already waiting for sign-off: request #{}.",
                a.id
            ),
        };
        self.answer(ev, Reply::text(text), now).await
    }
}
