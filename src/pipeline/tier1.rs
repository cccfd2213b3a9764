//! Tier 1 through the LLM: the retrieved sections with their ids, the asker's own account through
//! read-only tools scoped in code, and the ticket's earlier conversation within the memory budget.

use super::Pipeline;
use crate::domain::ports::{Customer, KbHit, StoreError};
use crate::domain::{Millis, Ticket};
use crate::kb::passage::extract_at;
use crate::llm::summary;
use minijinja::context;

impl Pipeline {
    /// Tier 1 through the LLM when one is configured: `(answer, asked)`; `asked` is false when the
    /// offline path decides (no LLM or no budget, another tier, or the LLM unreachable — which is logged).
    pub(super) async fn tier1_answer(
        &self,
        text: &str,
        account: Option<&Customer>,
        ticket: &Ticket,
        now: Millis,
    ) -> Result<(Option<crate::llm::tier1::Grounded>, bool), StoreError> {
        let s = &self.settings;
        let Some(agent) = self.agent("tier1", now).await? else {
            return Ok((None, false));
        };
        let hits: Vec<KbHit> = self
            .kb
            .search(text, 5)
            .into_iter()
            .filter(|h| h.score >= s.kb.min_score / 2.0)
            .collect();
        let sections: Vec<_> = hits
            .iter()
            .map(|h| context! { id => &h.id, title => &h.title, text => extract_at(&h.text, self.kb.focus(text, h), 1200) })
            .collect();
        let system = self.templates.render("tier1.md", context! { sections });
        let tools = crate::llm::tier1::AccountTools {
            customer: account.map(|c| c.account_id.clone()),
            ledger: self.store.finance_ledger().await?,
        };
        let question = self.memory(ticket, text).await?;
        match crate::llm::tier1::answer(
            agent.llm.as_ref(),
            system,
            &question,
            &hits,
            &tools,
            s.llm.max_rounds,
        )
        .await
        {
            Ok((answer, usage)) => {
                let outcome = if answer.is_some() {
                    "grounded"
                } else {
                    "not grounded"
                };
                self.record_llm(
                    "tier1",
                    &agent.settings,
                    usage,
                    outcome,
                    Some(ticket.id),
                    now,
                )
                .await?;
                Ok((answer, true))
            }
            Err(e) => {
                tracing::warn!(error = %e, "the LLM is unavailable: tier 1 answers offline");
                self.record_failed_llm("tier1", &agent.settings, &e, Some(ticket.id), now)
                    .await?;
                Ok((None, false))
            }
        }
    }

    /// The ticket's conversation from our own store (earlier turns, newest kept) within the memory
    /// budget, ending with the message being answered.
    pub(super) async fn memory(&self, t: &Ticket, text: &str) -> Result<String, StoreError> {
        let budget = self.settings.llm.memory_tokens * 4;
        let earlier = summary::history(
            &self.store.ticket_messages(t.id).await?,
            budget.saturating_sub(text.len()),
        );
        Ok(if earlier.is_empty() {
            text.to_string()
        } else {
            format!("Earlier in this conversation:\n{earlier}\n\nThe customer now asks:\n{text}")
        })
    }
}
