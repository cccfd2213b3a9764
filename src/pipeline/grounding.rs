//! What a customer message is answered with: the knowledge base's judged sections, the tier's agent's
//! answer when one is configured, and for a problem report offline, what the desk checked.

use super::Pipeline;
use super::support::Msg;
use crate::domain::ports::{KbHit, StoreError};
use crate::domain::{Ticket, Tier, Triage};
use crate::llm::tier1::Grounded;
use crate::llm::tier2::IssueDraft;

/// What retrieval and the agents found to answer with.
pub(super) struct Found {
    /// The knowledge-base section that clears the answer bar (never for an incident offline).
    pub best: Option<KbHit>,
    /// Related sections that are not the answer: on the team's card, and offered to the customer.
    pub candidates: Vec<KbHit>,
    /// The agent's grounded answer, when one was asked.
    pub llm: Option<Grounded>,
    /// An agent decided (its `None` means "not grounded"); otherwise the offline path did.
    pub asked: bool,
    pub drafts: Vec<IssueDraft>,
    /// For a problem report answered offline: what was checked.
    pub checked: Option<super::tier2::Checked>,
}

impl Found {
    pub fn grounded(&self) -> bool {
        if self.asked {
            self.llm.is_some()
        } else {
            self.best.is_some()
        }
    }
}

impl Pipeline {
    /// The knowledge base's best section, and the tier's agent's answer when one is configured. A
    /// ticket a person owns gets no bot answer, so the model is not asked either.
    pub(super) async fn find_answer(
        &self,
        m: &Msg<'_>,
        triage: &Triage,
        ticket: &Ticket,
        account: Option<&crate::domain::ports::Customer>,
    ) -> Result<Found, StoreError> {
        let wants_kb = matches!(triage.tier, Tier::Tier1 | Tier::Tier2) || m.mentioned;
        let g = if wants_kb {
            crate::domain::answer::judge(self.kb.search(m.text, 5), &self.settings.kb.bar())
        } else {
            Default::default()
        };
        let mut found = Found {
            best: g.answer,
            candidates: g.candidates,
            llm: None,
            asked: false,
            drafts: vec![],
            checked: None,
        };
        let ruled_out = |h: &KbHit| {
            crate::domain::answer::rules_out(m.text, &h.title)
                || crate::domain::answer_action::does_something_else(m.text, h)
        };
        match triage.tier {
            _ if ticket.state.human_owned() => {}
            Tier::Tier1 => {
                (found.llm, found.asked) =
                    self.tier1_answer(m.text, account, ticket, m.now).await?;
                if !found.asked
                    && (crate::domain::answer::tried_and_failed(m.text)
                        || found.best.as_ref().is_some_and(ruled_out))
                {
                    // "I did X and it still does not work": the section on X is what they followed.
                    if let Some(best) = found.best.take() {
                        found.candidates.insert(0, best);
                        found.candidates.truncate(self.settings.kb.candidates);
                    }
                }
            }
            Tier::Tier2 => {
                (found.llm, found.asked, found.drafts) =
                    self.tier2_answer(m.text, ticket, m.now).await?;
                // Read as a problem report, it only asks how (or whether), naming nothing that
                // failed: a how-to section that clears the bar answers it, as in tier 1.
                let how_to = found.best.as_ref().is_some_and(|h| {
                    !h.is_known_issue() && !ruled_out(h) && self.triager.asks_only_how(m.text)
                });
                if !found.asked && !how_to {
                    // Something is broken now: a how-to quote is no answer to that. Check what the
                    // desk knows (firing alerts, known issues) and hand it to a person.
                    let checked = self.incident_check(m.text, found.best.as_ref()).await?;
                    if let Some(best) = found.best.take() {
                        found.candidates.insert(0, best);
                    }
                    found.candidates.truncate(self.settings.kb.candidates);
                    found.checked = Some(checked);
                }
            }
            _ => {}
        }
        Ok(found)
    }
}
