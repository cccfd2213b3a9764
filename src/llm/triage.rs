//! The triage agent's second opinion: asked only when the offline classifier is unsure, with a JSON
//! schema the answer must follow (structured output). An answer that does not fit the schema is no
//! opinion, and the classifier's stands.

use super::tools::Usage;
use crate::domain::ports::{Llm, LlmError, LlmMessage, LlmRequest};
use crate::domain::tier::TriageReason;
use crate::domain::{Tier, Triage};
use serde::Deserialize;

/// The schema of the answer: tier, confidence and a short reason.
pub fn schema() -> serde_json::Value {
    serde_json::json!({
        "type": "object",
        "properties": {
            "tier": {"type": "string", "enum": ["none", "tier1", "tier2", "human"]},
            "confidence": {"type": "number", "minimum": 0, "maximum": 1},
            "reason": {"type": "string"}
        },
        "required": ["tier", "confidence", "reason"],
        "additionalProperties": false
    })
}

#[derive(Deserialize)]
struct Answer {
    tier: String,
    confidence: f64,
    reason: String,
}

/// Reads the model's answer; `None` when it does not follow the schema.
pub fn parse(content: &str) -> Option<Triage> {
    let start = content.find('{')?;
    let end = content.rfind('}')?;
    let a: Answer = serde_json::from_str(content.get(start..=end)?).ok()?;
    let tier = Tier::parse(&a.tier)?;
    (0.0..=1.0).contains(&a.confidence).then(|| {
        let reason: String = a.reason.chars().take(200).collect();
        Triage {
            tier,
            confidence: a.confidence,
            reason: TriageReason::Llm(reason),
        }
    })
}

/// Asks the triage agent about `text`; `Ok((None, _))` when the answer is unusable.
pub async fn second_opinion(
    llm: &dyn Llm,
    system: String,
    text: &str,
) -> Result<(Option<Triage>, Usage), LlmError> {
    let req = LlmRequest {
        agent: "triage".into(),
        messages: vec![
            LlmMessage::new("system", system),
            LlmMessage::new("user", text),
        ],
        tools: vec![],
        schema: Some(schema()),
    };
    let r = llm.chat(req).await?;
    let usage = Usage {
        input_tokens: r.input_tokens as u64,
        output_tokens: r.output_tokens as u64,
        calls: 1,
    };
    Ok((parse(&r.content), usage))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_outside_the_schema_are_no_opinion() {
        let t = parse(r#"{"tier":"tier2","confidence":0.8,"reason":"the export fails"}"#).unwrap();
        assert_eq!(
            (t.tier, t.confidence, t.reason),
            (
                Tier::Tier2,
                0.8,
                TriageReason::Llm("the export fails".into())
            )
        );
        assert_eq!(
            parse(r#"{"tier":"urgent","confidence":0.8,"reason":"x"}"#),
            None,
            "not a tier"
        );
        assert_eq!(
            parse(r#"{"tier":"tier1","confidence":7,"reason":"x"}"#),
            None,
            "confidence out of range"
        );
        assert_eq!(parse("tier1"), None);
    }
}
