//! The escalation summary: from the ticket's own conversation (our store, the latest messages within a
//! budget), what the customer wants, what was checked, and a suggested reply — as one JSON object. Any
//! other answer, or an unreachable model, leaves the card to its offline template.

use super::tools::{RunError, ToolBox, Usage, run_tools};
use crate::domain::ports::{Llm, LlmMessage, TicketMessage, ToolSpec};
use async_trait::async_trait;
use serde::Deserialize;

/// About four characters per token: the conversation kept for the model.
pub const HISTORY_CHARS: usize = 8_000;

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Summary {
    pub wants: String,
    pub checked: String,
    pub suggested_reply: String,
}

struct NoTools;

#[async_trait]
impl ToolBox for NoTools {
    fn specs(&self) -> Vec<ToolSpec> {
        vec![]
    }
    async fn call(&self, _: &str, _: &str) -> String {
        "no tools here".into()
    }
}

/// The newest messages that fit in `budget` characters, oldest first.
pub fn history(messages: &[TicketMessage], budget: usize) -> String {
    let mut kept = vec![];
    let mut used = 0;
    for m in messages.iter().rev() {
        let line = format!("{} ({}): {}", m.author_kind, m.author, m.text);
        if used + line.len() > budget {
            break;
        }
        used += line.len();
        kept.push(line);
    }
    kept.reverse();
    kept.join("\n")
}

/// The JSON object in an answer (models sometimes wrap it in a code fence).
pub fn parse(answer: &str) -> Option<Summary> {
    let start = answer.find('{')?;
    let end = answer.rfind('}')?;
    serde_json::from_str::<Summary>(answer.get(start..=end)?)
        .ok()
        .filter(|s| !s.suggested_reply.trim().is_empty())
}

pub async fn summarise(
    llm: &dyn Llm,
    system: String,
    conversation: String,
    max_rounds: u32,
) -> Result<(Option<Summary>, Usage), RunError> {
    let messages = vec![
        LlmMessage::new("system", system),
        LlmMessage::new("user", conversation),
    ];
    let (text, usage) = run_tools(llm, "summary", messages, &NoTools, max_rounds).await?;
    Ok((text.as_deref().and_then(parse), usage))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(text: &str) -> TicketMessage {
        TicketMessage {
            author_kind: "customer".into(),
            author: "U1".into(),
            text: text.into(),
            at: 0,
        }
    }

    #[test]
    fn history_keeps_the_newest_within_the_budget_and_json_is_found() {
        let h = history(
            &[m("first and long long long"), m("second"), m("third")],
            60,
        );
        assert_eq!(h, "customer (U1): second\ncustomer (U1): third");
        let s = parse("```json\n{\"wants\":\"a refund\",\"checked\":\"the invoice\",\"suggested_reply\":\"Hi!\"}\n```").unwrap();
        assert_eq!(
            (s.wants.as_str(), s.suggested_reply.as_str()),
            ("a refund", "Hi!")
        );
        assert_eq!(parse("I think they want a refund."), None);
        assert_eq!(
            parse(r#"{"wants":"x","checked":"y","suggested_reply":" "}"#),
            None
        );
    }
}
