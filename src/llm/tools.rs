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

/// Arguments a tool cannot take; its text goes back to the model as the tool's answer.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("bad arguments for {tool}: {reason}")]
pub struct BadArgs {
    pub tool: String,
    /// What was wrong, naming the field.
    pub reason: String,
}

impl From<BadArgs> for String {
    fn from(e: BadArgs) -> Self {
        e.to_string()
    }
}

/// The model's arguments for `tool`, read into `T`; the error names what was wrong. Empty arguments
/// are an empty object.
pub fn args<T: DeserializeOwned>(tool: &str, arguments: &str) -> Result<T, BadArgs> {
    let raw = if arguments.trim().is_empty() {
        "{}"
    } else {
        arguments
    };
    serde_json::from_str(raw).map_err(|e| BadArgs {
        tool: tool.to_string(),
        reason: e.to_string(),
    })
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

/// A run that failed after `usage.calls` answered calls: their tokens count all the same.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{error}")]
pub struct RunError {
    pub error: LlmError,
    pub usage: Usage,
}

/// What the model is told when its answer was cut off or leaked its chat template.
const SHORTER: &str = "Your last answer was cut off before its end. Answer again, complete, in \
at most 120 words.";

/// Chat-template tokens that reach the text when a server formats a model's turn wrongly
/// (`<|im_end|>`, `<|eot_id|>`, `<end_of_turn>`, `[/INST]` …): what follows is not an answer.
pub fn leaks_template(text: &str) -> bool {
    let special = text.match_indices("<|").any(|(i, _)| {
        let rest = &text[i + 2..];
        rest.find("|>").is_some_and(|end| {
            end > 0
                && rest[..end]
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_')
        })
    });
    special
        || [
            "<end_of_turn>",
            "<start_of_turn>",
            "[/INST]",
            "[INST]",
            "</s>",
        ]
        .iter()
        .any(|t| text.contains(t))
}

/// Runs the conversation to a final answer; `Ok(None)` when the rounds ran out without one.
pub async fn run_tools(
    llm: &dyn Llm,
    agent: &str,
    messages: Vec<LlmMessage>,
    tools: &dyn ToolBox,
    max_rounds: u32,
) -> Result<(Option<String>, Usage), RunError> {
    run_tools_within(llm, agent, messages, tools, max_rounds, u64::MAX).await
}

/// [`run_tools`] that also stops (with no answer) once `max_tokens` prompt + completion tokens are used.
/// An answer cut off at the token limit or leaking the chat template is never returned: the model is
/// asked once for a shorter one, and `Ok(None)` (a person takes over) if that fails too.
pub async fn run_tools_within(
    llm: &dyn Llm,
    agent: &str,
    mut messages: Vec<LlmMessage>,
    tools: &dyn ToolBox,
    max_rounds: u32,
    max_tokens: u64,
) -> Result<(Option<String>, Usage), RunError> {
    let mut usage = Usage::default();
    let mut retried = false;
    for _ in 0..max_rounds {
        if usage.input_tokens + usage.output_tokens >= max_tokens {
            break;
        }
        let request = LlmRequest {
            agent: agent.into(),
            messages: messages.clone(),
            tools: tools.specs(),
            schema: None,
        };
        let r = match llm.chat(request).await {
            Ok(r) => r,
            Err(error) => return Err(RunError { error, usage }),
        };
        usage.input_tokens += r.input_tokens as u64;
        usage.output_tokens += r.output_tokens as u64;
        usage.calls += 1;
        if r.tool_calls.is_empty() {
            if !r.cut_off && !leaks_template(&r.content) {
                return Ok((Some(r.content), usage));
            }
            tracing::warn!(
                agent,
                cut_off = r.cut_off,
                retried,
                "the model's answer is not whole"
            );
            if retried {
                break;
            }
            retried = true;
            messages.push(LlmMessage::new("user", SHORTER));
            continue;
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
        assert_eq!(e.tool, "lookup");
        assert!(e.reason.contains("query"), "{e}");
        assert!(
            e.to_string().starts_with("bad arguments for lookup: "),
            "{e}"
        );
        let e = args::<Lookup>("lookup", r#"{"query": 7}"#).unwrap_err();
        assert!(e.reason.contains("invalid type"), "{e}");
        assert!(args::<NoArgs>("none", "").is_ok());
    }

    #[test]
    fn chat_template_tokens_are_told_from_text() {
        for leak in [
            "Reset it from Settings.<|im_end|>\nuser: thanks",
            "Done <|eot_id|>",
            "ok<end_of_turn>",
            "[INST] next question",
        ] {
            assert!(leaks_template(leak), "{leak}");
        }
        for fine in [
            "Use <b>bold</b> or a | b |> c",
            "Run `a <| b`, then `x |> y`.",
            "Plans: <Team> costs more",
        ] {
            assert!(!leaks_template(fine), "{fine}");
        }
    }
}
