//! Suggested links between chat users and Stripe customers: when a customer's chat profile has the
//! same e-mail address as a Stripe customer, the team gets a card asking whether they are the same
//! person. Only a team member's click links them; until then no account data is used for them.

use super::{Handled, Outcome, Pipeline};
use crate::domain::AuditAction;
use crate::domain::button::LinkButton;
use crate::domain::ports::{
    AuditEntry, Commit, InboxPut, Outbound, OutboundOp, StoreError, Target,
};
use crate::domain::{Button, ButtonStyle, Card, Event, Field, Millis, Platform, Reply};

impl Pipeline {
    /// Offers the team a link between `platform:user` (shown as `name`, with profile e-mail `email`)
    /// and the Stripe customer with the same e-mail; once per person and address. Whether a card was
    /// posted.
    pub async fn suggest_link(
        &self,
        platform: Platform,
        user: &str,
        name: &str,
        email: &str,
        now: Millis,
    ) -> Result<bool, StoreError> {
        let email = email.trim().to_lowercase();
        if email.is_empty() || self.store.customer(platform, user).await?.is_some() {
            return Ok(false);
        }
        let key = format!("link-suggest:{}:{user}:{email}", platform.as_str());
        if self.store.inbox_put(&key, "link", "", now).await? == InboxPut::Duplicate {
            return Ok(false);
        }
        let ledger = self.store.finance_ledger().await?;
        let found = ledger
            .customer_emails
            .iter()
            .find(|(_, e)| e.trim().eq_ignore_ascii_case(&email))
            .map(|(id, _)| id.clone());
        let place = self.team_place(platform);
        let mut c = Commit {
            inbox_key: Some(key),
            now,
            ..Default::default()
        };
        let (Some(cus), Some((team_platform, channel))) = (found, place) else {
            self.commit(c).await?;
            return Ok(false);
        };
        let stripe_name = ledger
            .customers
            .iter()
            .find(|(id, _)| *id == cus)
            .map_or(String::new(), |(_, n)| n.clone());
        let who = format!("{}:{user}", platform.as_str());
        let value = format!("{who} {cus}");
        let card = Card {
            title: "Same person? Link a chat user to a Stripe customer".into(),
            body: format!(
                "{name} ({who}) has the chat e-mail {email}, as Stripe customer {cus} ({stripe_name}) does. \
                 Once linked, their questions are answered with that account's data; nothing of it is used before."
            ),
            fields: vec![Field {
                name: "Or type".into(),
                value: format!("/ops link {who} {cus}"),
            }],
            buttons: vec![
                Button {
                    style: ButtonStyle::Primary,
                    ..Button::new("Link them", LinkButton::Confirm, value.clone())
                },
                Button::new("Not the same person", LinkButton::Reject, value),
            ],
            ..Default::default()
        };
        c.outbox.push(Outbound {
            thread_title: None,
            platform: team_platform,
            channel,
            thread: None,
            op: OutboundOp::Post,
            reply: Reply::Card(card),
        });
        self.commit(c).await?;
        Ok(true)
    }

    /// A team member's answer on a suggested link's card.
    pub(super) async fn on_link_click(
        &self,
        ev: &Event,
        button: LinkButton,
        value: &str,
        message: &str,
        now: Millis,
    ) -> Result<Handled, StoreError> {
        let Some((who, cus)) = value.split_once(' ') else {
            return Ok(Handled::Ignored("a link button without its people"));
        };
        let Some((platform, user)) = who
            .split_once(':')
            .and_then(|(p, u)| Some((Platform::parse(p)?, u)))
        else {
            return Ok(Handled::Ignored("a link button without its people"));
        };
        let by = format!("{}:{}", ev.platform.as_str(), ev.user);
        if !self.settings.team_member(ev.platform, &ev.user, &ev.roles) {
            let why = "Only the team (ops.allowed_users) can link customers.";
            return self.answer(ev, Reply::text(why), now).await;
        }
        let confirm = button == LinkButton::Confirm;
        let audit = AuditEntry {
            at: now,
            actor: by.clone(),
            action: if confirm {
                AuditAction::CustomerLink
            } else {
                AuditAction::CustomerLinkRejected
            },
            subject: who.to_string(),
            detail: format!("{cus} (suggested by a matching e-mail)"),
        };
        let footer = if confirm {
            self.store
                .set_customer_link(platform, user, Some(cus), &audit, now)
                .await?;
            format!("🔗 Linked by {by}")
        } else {
            self.store.audit(&audit).await?;
            format!("✋ Not linked: {by} says they are not the same person")
        };
        let card = Card {
            title: format!("{who} and {cus}"),
            body: footer.clone(),
            footer: Some(footer),
            ..Default::default()
        };
        let edit = Outbound {
            thread_title: None,
            platform: ev.platform,
            channel: ev.channel.clone(),
            thread: None,
            op: OutboundOp::Update {
                target: Target::Message(message.to_string()),
            },
            reply: Reply::Card(card),
        };
        let ids = self.reply_to(ev, edit, vec![], now).await?;
        Ok(Handled::Done(Outcome {
            outbox: ids,
            ..Outcome::default()
        }))
    }
}
