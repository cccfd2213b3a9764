//! The LLM port: the messages, tools and answers of one chat completion, and the trait the agents call
//! (implemented over async-openai in `crate::llm`; the domain imports no LLM crate).

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LlmMessage {
    /// `system`, `user`, `assistant` or `tool`.
    pub role: String,
    pub content: String,
    /// On an assistant message: the tools it asked for.
    #[serde(default)]
    pub tool_calls: Vec<ToolCall>,
    /// On a tool message: which call it answers.
    #[serde(default)]
    pub tool_call_id: Option<String>,
}

impl LlmMessage {
    pub fn new(role: &str, content: impl Into<String>) -> LlmMessage {
        LlmMessage {
            role: role.into(),
            content: content.into(),
            tool_calls: vec![],
            tool_call_id: None,
        }
    }
}

/// A tool the model may call: its name, what it does, and its JSON-schema parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ToolSpec {
    pub name: String,
    pub description: String,
    pub parameters: serde_json::Value,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ToolCall {
    pub id: String,
    pub name: String,
    /// The arguments as the model wrote them (JSON text, not yet trusted).
    pub arguments: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LlmRequest {
    /// Which configured agent (triage, tier1, tier2, summary) is asking: selects model and price.
    pub agent: String,
    pub messages: Vec<LlmMessage>,
    pub tools: Vec<ToolSpec>,
    /// A JSON schema the answer must follow (structured output), named after the agent.
    pub schema: Option<serde_json::Value>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LlmResponse {
    pub content: String,
    pub tool_calls: Vec<ToolCall>,
    pub input_tokens: u32,
    pub output_tokens: u32,
    /// The answer stopped at the token limit (`finish_reason` `length`): it is not whole.
    pub cut_off: bool,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("LLM unavailable: {0}")]
pub struct LlmError(pub String);

#[async_trait]
pub trait Llm: Send + Sync {
    async fn chat(&self, req: LlmRequest) -> Result<LlmResponse, LlmError>;
}
