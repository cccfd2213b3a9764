//! Answers that become docs: when a person resolves a ticket they answered, the team is offered (in
//! the escalation card's thread) a draft page — the customer's question as its heading, the person's
//! replies cleaned of names, contacts and account numbers — as a `kb_entry` sign-off request. Once
//! approved it is written under `kb.learned_path` and indexed at once; a ticket is offered once, so a
//! denied draft (its reason kept on the request) is not offered again. Before approval an approver
//! may rewrite the answer (Edit answer: a modal on Slack and Discord, a prompt in the console).

use super::approvals::ApprovalRequest;
use super::{Handled, Pipeline};
use crate::domain::audit::ApprovalStep;
use crate::domain::ports::{Commit, StoreError};
use crate::domain::{Approval, ApprovalKind, ApprovalState, Event, Millis, Reply, Ticket};

/// How many recent sign-off requests are searched for an earlier draft of the same ticket.
const EARLIER: i64 = 2_000;

impl Pipeline {
    /// Offers the ticket's answer as a docs page, unless nobody answered in writing, nothing is left
    /// once cleaned, or it was offered before. Returns the request filed.
    pub(super) async fn offer_kb_entry(
        &self,
        t: &Ticket,
        ev: &Event,
        card_message: &str,
        now: Millis,
    ) -> Result<Option<Approval>, StoreError> {
        let messages = self.store.ticket_messages(t.id).await?;
        let Some(question) = messages.iter().find(|m| m.author_kind == "customer") else {
            return Ok(None);
        };
        let people: Vec<&str> = messages
            .iter()
            .filter(|m| m.author_kind == "human")
            .map(|m| m.author.as_str())
            .collect();
        if people.is_empty() || self.offered_before(t.id).await? {
            return Ok(None);
        }
        // Nobody's name or chat id reaches the page: the customer's, the people's (`slack:U1` → `U1`).
        let mut names: Vec<&str> = vec![t.customer.as_str()];
        names.extend(people.iter().map(|p| p.rsplit(':').next().unwrap_or(p)));
        names.extend(ev.user_name.as_deref());
        let body = messages
            .iter()
            .filter(|m| m.author_kind == "human")
            .map(|m| crate::redact::for_docs(&m.text, &names))
            .filter(|b| !b.is_empty())
            .collect::<Vec<_>>()
            .join("\n\n");
        let title =
            crate::domain::kb_draft::heading(&crate::redact::for_docs(&question.text, &names));
        let (Some(title), false) = (title, body.is_empty()) else {
            return Ok(None);
        };
        let r = ApprovalRequest {
            kind: ApprovalKind::KbEntry,
            params: serde_json::json!({"ticket": t.id, "title": title, "body": body}),
            summary: format!("Add \"{title}\" to the docs"),
            reason: format!(
                "ticket #{} was answered by a person; approved, the answer becomes a page in {}",
                t.id,
                self.settings.kb.learned_path.display()
            ),
            platform: ev.platform,
            requester: "opsdesk".into(),
            channel: ev.channel.clone(),
            thread: Some(card_message.to_string()),
        };
        Ok(self.request_approval(r, now).await?.ok())
    }

    /// Whether a docs entry was drafted from this ticket before (in any state: a denied one stays
    /// denied).
    async fn offered_before(&self, ticket: i64) -> Result<bool, StoreError> {
        Ok(self
            .store
            .approvals(&[], EARLIER)
            .await?
            .iter()
            .filter(|a| a.kind == ApprovalKind::KbEntry)
            .any(|a| {
                serde_json::from_str::<serde_json::Value>(&a.params)
                    .is_ok_and(|p| p["ticket"].as_i64() == Some(ticket))
            }))
    }
}

impl Pipeline {
    /// "Edit answer" on a pending docs draft: an approver's text replaces the draft's answer (a first
    /// line `# …` replaces its heading too), the earlier approvals no longer count, and the card shows
    /// the new draft. An empty answer is refused.
    pub(super) async fn on_draft_edit(
        &self,
        ev: &Event,
        value: &str,
        input: Option<&str>,
        now: Millis,
    ) -> Result<Handled, StoreError> {
        let Some(mut a) = (match value.parse::<i64>() {
            Ok(id) => self.store.approval(id).await?,
            Err(_) => None,
        }) else {
            return Ok(Handled::Ignored("button names no approval"));
        };
        let editor = format!("{}:{}", ev.platform.as_str(), ev.user);
        let text = input.unwrap_or("").trim();
        let refusal = if !self.policy(a.kind).admits(ev.platform, &ev.user, &ev.roles) {
            Some("Only an approver of docs entries can edit the draft.")
        } else if a.kind != ApprovalKind::KbEntry || a.state != ApprovalState::Pending {
            Some("Only a docs draft waiting for sign-off can be edited.")
        } else if text.is_empty() || text.starts_with("# ") && !text.trim_end().contains('\n') {
            Some("An empty answer cannot become a page: the draft is unchanged.")
        } else {
            None
        };
        let mut c = Commit {
            inbox_key: Some(ev.inbox_key()),
            now,
            ..Default::default()
        };
        if let Some(why) = refusal {
            c.outbox.push(super::private(ev, Reply::text(why)));
        } else {
            let mut params: serde_json::Value = serde_json::from_str(&a.params).unwrap_or_default();
            // "# New heading" on the first line changes the heading too.
            let (heading, body) = match text.strip_prefix("# ") {
                Some(rest) => rest.split_once('\n').unwrap_or((rest, "")),
                None => ("", text),
            };
            if !heading.trim().is_empty() {
                params["title"] = serde_json::Value::String(heading.trim().to_string());
                a.summary = format!("Add \"{}\" to the docs", heading.trim());
            }
            params["body"] = serde_json::Value::String(body.trim().to_string());
            a.params = params.to_string();
            a.action_hash = super::action_hash(a.kind, &params);
            a.approved_by.clear();
            a.updated_at = now;
            c = Commit {
                inbox_key: c.inbox_key,
                ..self.approval_change(&a, now)
            };
            c.audit.push(Self::audit(
                &a,
                &editor,
                ApprovalStep::Edited,
                text.into(),
                now,
            ));
            c.outbox.push(super::private(
                ev,
                Reply::text("The draft now says what you wrote."),
            ));
        }
        let ids = self.commit(c).await?;
        Ok(Handled::Done(super::Outcome {
            outbox: ids,
            ..super::Outcome::default()
        }))
    }
}
