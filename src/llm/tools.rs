//! The tool loop: ask the model; while it asks for tools, run them through the agent's `ToolBox` (which
//! decides in code what the caller may see) and answer; stop at a final answer or after `max_rounds`.

use crate::domain::ports::{Llm, LlmError, LlmMessage, LlmRequest, ToolSpec};
use async_trait::async_trait;
use schemars::JsonSchema;
use serde::de::DeserializeOwned;

/// A tool whose arguments are read into `T`: its JSON schema is derived from `T` (field doc comments
/// become descriptions), so what the model is told and what is parsed cannot drift apart.
pub fn spec<T: JsonSchema>(name: &str, description: &str) -> ToolSpec {
    let mut parameters = serde_json::to_value(schemars::schema_for!(T)).unwrap_or_default();
    if let Some(o) = parameters.as_object_mut() {
        o.remove("$schema");
        o.remove("title");
    }
    ToolSpec {
        name: name.into(),
        description: description.into(),
        parameters,
    }
}

/// The model's arguments for `tool`, read into `T`; the error (returned to the model) names what was
/// wrong. Empty arguments are an empty object.
pub fn args<T: DeserializeOwned>(tool: &str, arguments: &str) -> Result<T, String> {
    let raw = if arguments.trim().is_empty() {
        "{}"
    } else {
        arguments
    };
    serde_json::from_str(raw).map_err(|e| format!("bad arguments for {tool}: {e}"))
}

/// No arguments.
#[derive(Debug, Default, serde::Deserialize, JsonSchema)]
pub struct NoArgs {}

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

#[cfg(test)]
mod tests {
    use super::*;

    /// A tool's arguments, as an agent declares them.
    #[derive(Debug, serde::Deserialize, JsonSchema)]
    struct Lookup {
        /// What to look for.
        query: String,
        #[serde(default)]
        limit: Option<u32>,
    }

    #[test]
    fn a_spec_s_schema_is_derived_from_the_arguments_struct() {
        let s = spec::<Lookup>("lookup", "Looks things up.");
        let p = &s.parameters;
        assert_eq!(p["type"], "object");
        assert_eq!(p["properties"]["query"]["type"], "string");
        assert_eq!(p["properties"]["query"]["description"], "What to look for.");
        assert_eq!(p["required"], serde_json::json!(["query"]));
        assert!(
            p.get("$schema").is_none() && p.get("title").is_none(),
            "{p}"
        );
        let none = spec::<NoArgs>("none", "Nothing.");
        assert_eq!(none.parameters["type"], "object");
    }

    #[test]
    fn arguments_are_read_into_the_struct_or_the_error_names_the_field() {
        let a: Lookup = args("lookup", r#"{"query": "export error"}"#).unwrap();
        assert_eq!((a.query.as_str(), a.limit), ("export error", None));
        let e = args::<Lookup>("lookup", r#"{"limit": 3}"#).unwrap_err();
        assert!(
            e.contains("bad arguments for lookup") && e.contains("query"),
            "{e}"
        );
        let e = args::<Lookup>("lookup", r#"{"query": 7}"#).unwrap_err();
        assert!(e.contains("invalid type"), "{e}");
        assert!(args::<NoArgs>("none", "").is_ok());
    }
}
