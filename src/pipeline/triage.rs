//! Triage of a customer message: the offline classifier decides when it is confident (or a configured
//! phrase matched); otherwise the triage agent, when configured and within budget, gives a second
//! opinion through structured output, and that opinion decides. Both are kept with the ticket.

use super::{Handled, Pipeline};
use crate::domain::AuditAction;
use crate::domain::Tier;
use crate::domain::ports::{AuditEntry, Commit, StoreError, ThreadKey, UnstoredEvent};
use crate::domain::tier::TriageReason;
use crate::domain::{Event, Millis, Triage};
use crate::llm::Usage;

/// Both opinions, the one that decides, and the LLM usage to record once the ticket is known.
pub(super) struct Judged {
    pub decided: Triage,
    pub offline: Triage,
    pub llm: Option<Triage>,
    pub usage: Option<(crate::config::AgentSettings, Usage, &'static str)>,
}

impl Pipeline {
    pub(super) async fn judge(
        &self,
        text: &str,
        key: &ThreadKey<'_>,
        now: Millis,
    ) -> Result<Judged, StoreError> {
        let offline = self.triager.triage(text);
        let mut j = Judged {
            decided: offline.clone(),
            offline,
            llm: None,
            usage: None,
        };
        let unsure = j.offline.confidence < self.settings.llm.triage_below
            && !matches!(j.offline.reason, TriageReason::Rule(_));
        if !unsure {
            return Ok(j);
        }
        let Some(agent) = self.agent("triage", now).await? else {
            return Ok(j);
        };
        // A person owns the thread's ticket: the bot stays silent there, so the model's opinion is not worth paying for.
        if self
            .store
            .find_ticket(key)
            .await?
            .is_some_and(|t| t.state.human_owned())
        {
            return Ok(j);
        }
        let system = self.templates.render("triage.md", minijinja::context! {});
        match crate::llm::triage::second_opinion(agent.llm.as_ref(), system, text).await {
            Ok((opinion, usage)) => {
                j.usage = Some((
                    agent.settings,
                    usage,
                    if opinion.is_some() {
                        "second opinion"
                    } else {
                        "answer outside the schema"
                    },
                ));
                if let Some(o) = opinion {
                    // The model may move a message between tiers, never into silence on its own:
                    // ignoring a customer needs the classifier to lean that way too.
                    if o.tier == Tier::None && j.offline.tier != Tier::None {
                        tracing::warn!(
                            offline = %j.offline.tier,
                            "the LLM called a message chatter that the classifier calls support: the classifier's tier stands"
                        );
                    } else {
                        j.decided = o.clone();
                    }
                    j.llm = Some(o);
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, "the LLM is unavailable: the offline classifier's triage stands")
            }
        }
        Ok(j)
    }

    /// Records the triage agent's usage (on the ticket when there is one).
    pub(super) async fn record_judged(
        &self,
        j: &Judged,
        ticket: Option<i64>,
        now: Millis,
    ) -> Result<(), StoreError> {
        match &j.usage {
            Some((agent, usage, outcome)) => {
                self.record_llm("triage", agent, *usage, outcome, ticket, now)
                    .await
            }
            None => Ok(()),
        }
    }

    /// Stores a spam message processed, with its audit entry ([`AuditAction::SpamIgnored`]) in the same
    /// write, and logs what gave it away; no ticket, no reply.
    pub(super) async fn store_spam(
        &self,
        ev: &Event,
        unstored: Option<&UnstoredEvent>,
        why: String,
        now: Millis,
    ) -> Result<Handled, StoreError> {
        tracing::info!(
            platform = ?ev.platform, channel = %ev.channel, user = %ev.user, signal = %why,
            "spam: no ticket, no reply"
        );
        let audit = AuditEntry {
            at: now,
            actor: ev.user.clone(),
            action: AuditAction::SpamIgnored,
            subject: ev.inbox_key(),
            detail: why,
        };
        let c = Commit {
            inbox_key: Some(ev.inbox_key()),
            unstored: unstored.cloned(),
            audit: vec![audit],
            now,
            ..Default::default()
        };
        match self.commit(c).await {
            Ok(_) => Ok(Handled::Ignored("spam")),
            Err(StoreError::AlreadyProcessed(_)) => Ok(Handled::Duplicate),
            Err(e) => Err(e),
        }
    }
}
