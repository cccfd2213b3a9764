//! The team's assistant (the `assistant` agent): questions in internal channels, `/ops ask`, messages in
//! an alert card's thread, and the infra note on a new alert card. It reads through read-only tools and
//! never posts to customers; what it proposes becomes a sign-off request in the asker's conversation.

use super::{ApprovalRequest, Handled, Outcome, Pipeline};
use crate::domain::ApprovalKind;
use crate::domain::alert::AlertGroup;
use crate::domain::ports::{Commit, LlmMessage, Outbound, OutboundOp, StoreError};
use crate::domain::{Event, Millis, Platform, Reply};
use crate::llm::assistant::{AssistantTools, Proposal};

/// Where a question was asked, and by whom: proposals are filed there, in their name.
#[derive(Debug, Clone)]
pub struct Asker {
    pub platform: Platform,
    pub user: String,
    pub channel: String,
    pub thread: Option<String>,
}

/// Said when no assistant agent can answer (none configured, budget spent, or unreachable).
pub const OFFLINE: &str = "The assistant needs an LLM (llm.agents.assistant), and none is available now. Meanwhile: \
    /ops tickets, /ops alerts, /ops finance, /ops approvals and /ops metrics.";

impl Pipeline {
    /// The assistant's answer, with a line per proposal filed for sign-off; `None` when no agent answers.
    pub async fn assist(
        &self,
        template: &str,
        question: &str,
        context: Option<&str>,
        asker: &Asker,
        now: Millis,
    ) -> Result<Option<String>, StoreError> {
        let Some(agent) = self.agent("assistant", now).await? else {
            return Ok(None);
        };
        let tools = AssistantTools {
            store: self.store.clone(),
            settings: self.settings.clone(),
            now,
            proposals: Default::default(),
        };
        let system = self
            .templates
            .render(template, minijinja::context! { context });
        let messages = vec![
            LlmMessage::new("system", system),
            LlmMessage::new("user", question),
        ];
        let (answer, usage) = match crate::llm::run_tools(
            agent.llm.as_ref(),
            "assistant",
            messages,
            &tools,
            self.settings.llm.max_rounds,
        )
        .await
        {
            Ok(r) => r,
            Err(e) => {
                tracing::warn!(error = %e, "the LLM is unavailable: the assistant cannot answer");
                self.record_failed_llm("assistant", &agent.settings, &e, None, now)
                    .await?;
                return Ok(None);
            }
        };
        let outcome = if answer.is_some() {
            "answered"
        } else {
            "no answer within the rounds"
        };
        self.record_llm("assistant", &agent.settings, usage, outcome, None, now)
            .await?;
        let mut text = answer.unwrap_or_else(|| {
            "I could not work that out within my limits; /ops shows the records.".into()
        });
        let proposals = std::mem::take(&mut *tools.proposals.lock().expect("proposals lock"));
        for p in proposals {
            text.push_str(&format!("\n{}", self.file_proposal(p, asker, now).await?));
        }
        Ok(Some(text.trim().to_string()))
    }

    async fn file_proposal(
        &self,
        p: Proposal,
        asker: &Asker,
        now: Millis,
    ) -> Result<String, StoreError> {
        let (kind, params, summary, reason) = match p {
            Proposal::Refund {
                charge,
                amount,
                currency,
                reason,
            } => (
                ApprovalKind::Refund,
                serde_json::json!({ "charge": charge, "amount": amount, "currency": currency }),
                format!(
                    "refund {} of charge {charge}",
                    crate::finance::report::money(amount, &currency)
                ),
                reason,
            ),
            Proposal::Runbook { name, reason } => {
                let description = self
                    .settings
                    .runbooks
                    .get(&name)
                    .map_or(String::new(), |r| r.description.clone());
                (
                    ApprovalKind::Runbook,
                    serde_json::json!({ "name": name }),
                    format!("runbook {name}: {description}"),
                    reason,
                )
            }
        };
        let r = ApprovalRequest {
            kind,
            params,
            summary: summary.clone(),
            reason: format!("{reason} (proposed by the assistant)"),
            platform: asker.platform,
            requester: asker.user.clone(),
            channel: asker.channel.clone(),
            thread: asker.thread.clone(),
        };
        Ok(match self.request_approval(r, now).await? {
            Ok(a) => format!(
                "➡️ Proposed for sign-off: {summary} (request #{}). Nothing happens before it is approved.",
                a.id
            ),
            Err(a) => format!(
                "➡️ {summary} is already waiting for sign-off (request #{}).",
                a.id
            ),
        })
    }

    /// A team member mentioned the bot in an internal channel: the answer goes in the message's thread.
    pub(super) async fn on_internal(
        &self,
        ev: &Event,
        text: &str,
        now: Millis,
    ) -> Result<Handled, StoreError> {
        if !self.settings.team_member(ev.platform, &ev.user, &ev.roles) {
            return Ok(Handled::Ignored("not a team member"));
        }
        let thread = Some(ev.thread_key().to_string());
        let asker = Asker {
            platform: ev.platform,
            user: ev.user.clone(),
            channel: ev.channel.clone(),
            thread: thread.clone(),
        };
        let answer = self
            .assist("assistant.md", text, None, &asker, now)
            .await?
            .unwrap_or_else(|| OFFLINE.to_string());
        let out = Outbound {
            thread_title: None,
            platform: ev.platform,
            channel: ev.channel.clone(),
            thread,
            op: OutboundOp::Post,
            reply: Reply::text(answer.clone()),
        };
        let ids = self.reply_to(ev, out, vec![], now).await?;
        Ok(Handled::Done(Outcome {
            answer: Some(answer),
            outbox: ids,
            ..Outcome::default()
        }))
    }

    /// The infra note for a group that just got a card: in the card's thread, when the assistant agent is
    /// configured (offline, the card itself carries the related groups and the runbook link).
    pub(super) async fn infra_note(
        &self,
        g: &AlertGroup,
        card: i64,
        now: Millis,
    ) -> Result<(), StoreError> {
        let context = self.group_context(g, now).await?;
        let thread = super::thread_of_card(card);
        let asker = Asker {
            platform: g.platform,
            user: "opsdesk".into(),
            channel: g.channel.clone(),
            thread: Some(thread.clone()),
        };
        let Some(note) = self
            .assist(
                "infra_note.md",
                "Write the note.",
                Some(&context),
                &asker,
                now,
            )
            .await?
        else {
            return Ok(());
        };
        let out = super::alert_cards::post(
            g.platform,
            &g.channel,
            Some(thread),
            &g.title,
            Reply::text(format!("🧭 {note}")),
        );
        self.commit(Commit {
            outbox: vec![out],
            now,
            ..Default::default()
        })
        .await
        .map(|_| ())
    }
}
