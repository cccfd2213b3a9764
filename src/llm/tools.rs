//! The tool loop: ask the model; while it asks for tools, run them through the agent's `ToolBox` (which
//! decides in code what the caller may see) and answer; stop at a final answer or after `max_rounds`.

use crate::domain::ports::{Llm, LlmError, LlmMessage, LlmRequest, ToolSpec};
use async_trait::async_trait;

/// The tools an agent offers; `call` gets the model's raw arguments and must authorise them itself.
#[async_trait]
pub trait ToolBox: Send + Sync {
    fn specs(&self) -> Vec<ToolSpec>;
    async fn call(&self, name: &str, arguments: &str) -> String;
}

/// Tokens used over every round of one answer.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Usage {
    pub input_tokens: u64,
    pub output_tokens: u64,
    pub calls: u32,
}

/// Runs the conversation to a final answer; `Ok(None)` when the rounds ran out without one.
pub async fn run_tools(
    llm: &dyn Llm,
    agent: &str,
    messages: Vec<LlmMessage>,
    tools: &dyn ToolBox,
    max_rounds: u32,
) -> Result<(Option<String>, Usage), LlmError> {
    run_tools_within(llm, agent, messages, tools, max_rounds, u64::MAX).await
}

/// [`run_tools`] that also stops (with no answer) once `max_tokens` prompt + completion tokens are used.
pub async fn run_tools_within(
    llm: &dyn Llm,
    agent: &str,
    mut messages: Vec<LlmMessage>,
    tools: &dyn ToolBox,
    max_rounds: u32,
    max_tokens: u64,
) -> Result<(Option<String>, Usage), LlmError> {
    let mut usage = Usage::default();
    for _ in 0..max_rounds {
        if usage.input_tokens + usage.output_tokens >= max_tokens {
            break;
        }
        let r = llm
            .chat(LlmRequest {
                agent: agent.into(),
                messages: messages.clone(),
                tools: tools.specs(),
                schema: None,
            })
            .await?;
        usage.input_tokens += r.input_tokens as u64;
        usage.output_tokens += r.output_tokens as u64;
        usage.calls += 1;
        if r.tool_calls.is_empty() {
            return Ok((Some(r.content), usage));
        }
        messages.push(LlmMessage {
            role: "assistant".into(),
            content: r.content.clone(),
            tool_calls: r.tool_calls.clone(),
            tool_call_id: None,
        });
        for c in &r.tool_calls {
            let out = tools.call(&c.name, &c.arguments).await;
            messages.push(LlmMessage {
                role: "tool".into(),
                content: out,
                tool_calls: vec![],
                tool_call_id: Some(c.id.clone()),
            });
        }
    }
    Ok((None, usage))
}
