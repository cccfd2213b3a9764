//! Tier 2 through the LLM: the troubleshooting tool loop within the ticket's token allowance; its answer
//! is posted only if every known issue it cites was shown to it; issues it drafts become sign-off requests
//! in the team's internal channel.

use super::{ApprovalRequest, Pipeline};
use crate::domain::ApprovalKind;
use crate::domain::ports::{KbHit, StoreError};
use crate::domain::{Millis, Ticket};
use crate::llm::tier1::{Grounded, citations, ground};
use crate::llm::tier2::{IssueDraft, Tier2Tools};

/// What the offline desk checked for a problem report.
#[derive(Debug, Clone, Default)]
pub(super) struct Checked {
    /// Firing alert groups that name a word of the report (service, symptom).
    pub alerts: Vec<String>,
    /// Known-issue pages about it.
    pub known: Vec<KbHit>,
}

impl Checked {
    /// One line for the team's card.
    pub fn describe(&self) -> String {
        let alerts = if self.alerts.is_empty() {
            "no matching alert firing".to_string()
        } else {
            format!("firing: {}", self.alerts.join(", "))
        };
        let known = match self.known.first() {
            Some(h) => format!("known issue: {}", h.title),
            None => "no known issue matches".into(),
        };
        format!("{alerts}; {known}")
    }
}

/// Words too common in alert names and problem reports to tie one to the other.
const COMMON: &[&str] = &[
    "the", "and", "for", "you", "your", "are", "not", "with", "from", "this", "that", "high",
    "low", "rate", "ratio", "too", "all", "any", "our", "has", "have", "can", "cannot", "now",
    "since",
];

/// The lower-cased words of `text` (camelCase split: `Http5xxRatioHigh` → http5xx, ratio, high), of at
/// least three characters, common ones left out.
fn words(text: &str) -> std::collections::HashSet<String> {
    let mut out = std::collections::HashSet::new();
    for w in text.split(|c: char| !c.is_alphanumeric()) {
        let mut cur = String::new();
        let mut after_lower = false;
        for ch in w.chars() {
            if ch.is_uppercase() && after_lower {
                out.insert(std::mem::take(&mut cur));
            }
            after_lower = ch.is_lowercase() || ch.is_numeric();
            cur.extend(ch.to_lowercase());
        }
        out.insert(cur);
    }
    out.retain(|w| w.chars().count() >= 3 && !COMMON.contains(&w.as_str()));
    out
}

impl Pipeline {
    /// For a problem report with no agent: firing alerts whose title or service labels share a word
    /// with the report, and the known issue it is about — `best`, the section that clears the answer
    /// bars, when that page is tagged `known-issue`. "This looks like a known issue" is a claim, held
    /// to an answer's bars: a known issue that merely shares a word or two is only a page that may
    /// help.
    pub(super) async fn incident_check(
        &self,
        text: &str,
        best: Option<&KbHit>,
    ) -> Result<Checked, StoreError> {
        let said = words(text);
        let alerts = self
            .store
            .alert_groups(false, 50)
            .await?
            .into_iter()
            .filter(|g| g.firing)
            .filter(|g| {
                let mut named = words(&g.title);
                for key in ["service", "job", "app", "component", "alertname"] {
                    named.extend(g.labels.get(key).map(|v| words(v)).unwrap_or_default());
                }
                !named.is_disjoint(&said)
            })
            .map(|g| g.title)
            .take(3)
            .collect();
        let known = best
            .filter(|h| h.is_known_issue())
            .cloned()
            .into_iter()
            .collect();
        Ok(Checked { alerts, known })
    }

    /// `(answer, asked, drafts)`; `asked` is false when the offline path decides (no LLM or budget, or
    /// the LLM unreachable — which is logged). No answer = the ticket goes to a person.
    pub(super) async fn tier2_answer(
        &self,
        text: &str,
        ticket: &Ticket,
        now: Millis,
    ) -> Result<(Option<Grounded>, bool, Vec<IssueDraft>), StoreError> {
        let s = &self.settings;
        let Some(agent) = self.agent("tier2", now).await? else {
            return Ok((None, false, vec![]));
        };
        let left = (s.llm.tier2_max_tokens as i64
            - self.store.llm_ticket_tokens("tier2", ticket.id).await?)
            .max(0) as u64;
        if left == 0 {
            // This ticket has had its share of troubleshooting: a person takes it from here.
            return Ok((None, true, vec![]));
        }
        let tools = Tier2Tools {
            settings: s.tier2.clone(),
            github: !s.github.repo.is_empty(),
            kb: self.kb.clone(),
            alerts: self.store.alert_groups(false, 15).await?,
            drafts: Default::default(),
        };
        let system = self.templates.render("tier2.md", minijinja::context! {});
        let messages = vec![
            crate::domain::ports::LlmMessage::new("system", system),
            crate::domain::ports::LlmMessage::new("user", self.memory(ticket, text).await?),
        ];
        match crate::llm::run_tools_within(
            agent.llm.as_ref(),
            "tier2",
            messages,
            &tools,
            s.llm.max_rounds,
            left,
        )
        .await
        {
            Ok((answer, usage)) => {
                let answer = answer.and_then(|a| self.tier2_grounded(text, &a));
                let outcome = if answer.is_some() {
                    "answered"
                } else {
                    "handed to a person"
                };
                self.record_llm(
                    "tier2",
                    &agent.settings,
                    usage,
                    outcome,
                    Some(ticket.id),
                    now,
                )
                .await?;
                let drafts = std::mem::take(&mut *tools.drafts.lock().expect("drafts lock"));
                Ok((answer, true, drafts))
            }
            Err(e) => {
                tracing::warn!(error = %e, "the LLM is unavailable: tier 2 goes the offline way");
                self.record_failed_llm("tier2", &agent.settings, &e, Some(ticket.id), now)
                    .await?;
                Ok((None, false, vec![]))
            }
        }
    }

    /// The agent's answer as the customer may see it: not `ESCALATE` or empty, and citing only known
    /// issues it could have seen (citations are optional here).
    fn tier2_grounded(&self, question: &str, answer: &str) -> Option<Grounded> {
        let a = answer.trim();
        if a == "ESCALATE" || a.is_empty() {
            return None;
        }
        if citations(a).is_empty() {
            return Some(Grounded {
                text: a.to_string(),
                cited: vec![],
            });
        }
        let known: Vec<KbHit> = self
            .kb
            .search(question, 10)
            .into_iter()
            .filter(KbHit::is_known_issue)
            .collect();
        ground(answer, &known)
    }

    /// Files each draft as a `github_issue` sign-off request in the team's internal channel.
    pub(super) async fn file_drafts(
        &self,
        ticket: &Ticket,
        drafts: Vec<IssueDraft>,
        now: Millis,
    ) -> Result<(), StoreError> {
        let Some((platform, channel)) = self.team_place(ticket.platform) else {
            if !drafts.is_empty() {
                tracing::warn!(
                    ticket = ticket.id,
                    "no internal or escalation channel is configured: the drafted GitHub issue is dropped"
                );
            }
            return Ok(());
        };
        for d in drafts {
            let body = format!(
                "{}\n\n_Drafted by opsdesk's tier-2 agent from ticket #{}._",
                d.body, ticket.id
            );
            let r = ApprovalRequest {
                kind: ApprovalKind::GithubIssue,
                params: serde_json::json!({"title": d.title, "body": body, "repo": self.settings.github.repo, "ticket": ticket.id}),
                summary: format!(
                    "File GitHub issue \"{}\" in {}",
                    d.title, self.settings.github.repo
                ),
                reason: format!("tier-2 agent, ticket #{}", ticket.id),
                platform,
                requester: "opsdesk/tier2".into(),
                channel: channel.clone(),
                thread: None,
            };
            // The very same draft already pending is not asked for twice.
            let _new_or_pending = self.request_approval(r, now).await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::words;

    #[test]
    fn alert_names_split_into_words_a_report_can_share() {
        let mut w: Vec<String> = words("Http5xxRatioHigh on checkout-api")
            .into_iter()
            .collect();
        w.sort();
        assert_eq!(w, ["api", "checkout", "http5xx"]);
        assert!(words("the API is down").contains("api"));
    }
}
