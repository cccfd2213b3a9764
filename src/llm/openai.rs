//! The `Llm` port over async-openai: one client per configured agent, pointed at its base URL, with a
//! timeout on every call. async-openai itself retries 429 and 5xx (honouring Retry-After); what still
//! fails is an `LlmError`, and the caller falls back to the offline path.

use crate::config::{AgentSettings, LlmSettings};
use crate::domain::ports::{Llm, LlmError, LlmRequest, LlmResponse, ToolCall};
use crate::net::CheckError;
use async_openai::config::OpenAIConfig;
use async_openai::types::chat::*;
use async_openai::{Client, types::chat::ChatCompletionTools};
use async_trait::async_trait;
use secrecy::ExposeSecret;
use std::collections::BTreeMap;
use std::time::Duration;

pub struct OpenAiLlm {
    agents: BTreeMap<String, (Client<OpenAIConfig>, AgentSettings)>,
    timeout: Duration,
}

impl OpenAiLlm {
    /// Clients for the agents that have an endpoint; `None` when none has.
    pub fn new(s: &LlmSettings) -> Option<OpenAiLlm> {
        crate::telemetry::install_tls_provider();
        let agents: BTreeMap<_, _> = s
            .agents
            .iter()
            .filter(|(_, a)| !a.base_url.is_empty())
            .map(|(name, a)| {
                // Always set: an unset variable must not fall back to OPENAI_API_KEY.
                let key = crate::config::secret(&a.api_key_env);
                let config = OpenAIConfig::new()
                    .with_api_base(a.base_url.trim_end_matches('/'))
                    .with_api_key(key.as_ref().map_or("", |k| k.expose_secret()));
                (name.clone(), (Client::with_config(config), a.clone()))
            })
            .collect();
        (!agents.is_empty()).then(|| OpenAiLlm {
            agents,
            timeout: Duration::from_secs(s.timeout_secs),
        })
    }

    pub fn settings(&self, agent: &str) -> Option<&AgentSettings> {
        self.agents.get(agent).map(|(_, a)| a)
    }
}

/// For `opsdesk doctor`: whether the agent's endpoint answers `GET /models` and lists its model (a free
/// call, unlike a completion). Returns what it found.
pub async fn check(a: &AgentSettings, timeout: Duration) -> Result<String, CheckError> {
    let url = format!("{}/models", a.base_url.trim_end_matches('/'));
    let mut req = crate::net::get(&url)?;
    if let Some(key) = crate::config::secret(&a.api_key_env) {
        let value = http::HeaderValue::from_str(&format!("Bearer {}", key.expose_secret()))
            .map_err(|_| {
                CheckError::Unfit(format!("${} cannot be sent in a header", a.api_key_env))
            })?;
        req.headers_mut().insert(http::header::AUTHORIZATION, value);
    }
    let (status, body) = crate::net::call_to(&url, req, timeout).await?;
    if !status.is_success() {
        return Err(CheckError::Refused {
            what: url,
            status: status.as_u16(),
            hint: format!("is ${} right?", a.api_key_env),
        });
    }
    let v: serde_json::Value = serde_json::from_str(&body).unwrap_or_default();
    let models: Vec<&str> = v["data"]
        .as_array()
        .map(|d| d.iter().filter_map(|m| m["id"].as_str()).collect())
        .unwrap_or_default();
    if models.is_empty() || models.contains(&a.model.as_str()) {
        Ok(format!("{} at {} answers", a.model, a.base_url))
    } else if let [only] = models.as_slice() {
        // llama.cpp's server lists the one model it loaded (often as its .gguf path) and answers
        // completions under any name: accept it, and say what the name would be.
        Ok(format!(
            "{} serves one model, {only:?}, and answers {:?} with it (set the agent's model = {only:?} to name it exactly)",
            a.base_url, a.model
        ))
    } else {
        Err(CheckError::Unfit(format!(
            "{} does not serve {:?} (it has: {})",
            a.base_url,
            a.model,
            models.join(", ")
        )))
    }
}

fn message(m: &crate::domain::ports::LlmMessage) -> Result<ChatCompletionRequestMessage, String> {
    let e = |e: async_openai::error::OpenAIError| e.to_string();
    Ok(match m.role.as_str() {
        "system" => ChatCompletionRequestSystemMessageArgs::default()
            .content(m.content.clone())
            .build()
            .map_err(e)?
            .into(),
        "assistant" => {
            let mut b = ChatCompletionRequestAssistantMessageArgs::default();
            if !m.content.is_empty() {
                b.content(m.content.clone());
            }
            if !m.tool_calls.is_empty() {
                let calls: Vec<ChatCompletionMessageToolCalls> = m
                    .tool_calls
                    .iter()
                    .map(|c| {
                        ChatCompletionMessageToolCalls::Function(ChatCompletionMessageToolCall {
                            id: c.id.clone(),
                            function: FunctionCall {
                                name: c.name.clone(),
                                arguments: c.arguments.clone(),
                            },
                        })
                    })
                    .collect();
                b.tool_calls(calls);
            }
            b.build().map_err(e)?.into()
        }
        "tool" => ChatCompletionRequestToolMessageArgs::default()
            .tool_call_id(m.tool_call_id.clone().unwrap_or_default())
            .content(m.content.clone())
            .build()
            .map_err(e)?
            .into(),
        _ => ChatCompletionRequestUserMessageArgs::default()
            .content(m.content.clone())
            .build()
            .map_err(e)?
            .into(),
    })
}

/// The chat completion request for `req` under agent settings `a`: messages, tools, and the JSON
/// schema of a structured answer.
fn request(a: &AgentSettings, req: &LlmRequest) -> Result<CreateChatCompletionRequest, LlmError> {
    let messages = req
        .messages
        .iter()
        .map(message)
        .collect::<Result<Vec<_>, _>>()
        .map_err(LlmError)?;
    let mut b = CreateChatCompletionRequestArgs::default();
    b.model(a.model.clone())
        .messages(messages)
        .temperature(a.temperature)
        .max_completion_tokens(a.max_tokens);
    if !req.tools.is_empty() {
        let tools: Vec<ChatCompletionTools> = req
            .tools
            .iter()
            .map(|t| {
                ChatCompletionTools::Function(ChatCompletionTool {
                    function: FunctionObject {
                        name: t.name.clone(),
                        description: Some(t.description.clone()),
                        parameters: Some(t.parameters.clone()),
                        strict: None,
                    },
                })
            })
            .collect();
        b.tools(tools);
    }
    if let Some(schema) = &req.schema {
        b.response_format(ResponseFormat::JsonSchema {
            json_schema: ResponseFormatJsonSchema {
                description: None,
                name: format!("{}_answer", req.agent),
                schema: schema.clone(),
                strict: Some(true),
            },
        });
    }
    b.build().map_err(|e| LlmError(format!("bad request: {e}")))
}

/// The first choice's text and function calls, and the tokens the server counted.
fn response(resp: CreateChatCompletionResponse) -> Result<LlmResponse, LlmError> {
    let usage = resp.usage.as_ref();
    let (input, output) = (
        usage.map_or(0, |u| u.prompt_tokens),
        usage.map_or(0, |u| u.completion_tokens),
    );
    let choice = resp
        .choices
        .into_iter()
        .next()
        .ok_or_else(|| LlmError("the answer has no choices".into()))?;
    let tool_calls: Vec<ToolCall> = choice
        .message
        .tool_calls
        .unwrap_or_default()
        .into_iter()
        .filter_map(|c| match c {
            ChatCompletionMessageToolCalls::Function(f) => Some(ToolCall {
                id: f.id,
                name: f.function.name,
                arguments: f.function.arguments,
            }),
            _ => None,
        })
        .collect();
    Ok(LlmResponse {
        cut_off: choice.finish_reason == Some(FinishReason::Length),
        content: choice.message.content.unwrap_or_default(),
        tool_calls,
        input_tokens: input,
        output_tokens: output,
    })
}

#[async_trait]
impl Llm for OpenAiLlm {
    async fn chat(&self, req: LlmRequest) -> Result<LlmResponse, LlmError> {
        let (client, a) = self.agents.get(&req.agent).ok_or_else(|| {
            LlmError(format!(
                "no endpoint configured for the {} agent",
                req.agent
            ))
        })?;
        let request = request(a, &req)?;
        let started = std::time::Instant::now();
        let answered = tokio::time::timeout(self.timeout, client.chat().create(request)).await;
        let took = started.elapsed();
        let agent = req.agent.clone();
        let result = match &answered {
            Err(_) => "timeout",
            Ok(Err(_)) => "error",
            Ok(Ok(_)) => "ok",
        };
        metrics::counter!("opsdesk_llm_calls_total", "agent" => agent.clone(), "result" => result)
            .increment(1);
        metrics::histogram!("opsdesk_llm_call_seconds", "agent" => agent.clone())
            .record(took.as_secs_f64());
        let answer = match answered {
            Err(_) => {
                tracing::warn!(agent = %req.agent, duration_ms = took.as_millis() as u64, "llm call timed out");
                return Err(LlmError(format!(
                    "{} did not answer within {:?}",
                    a.base_url, self.timeout
                )));
            }
            Ok(Err(e)) => {
                tracing::warn!(agent = %req.agent, duration_ms = took.as_millis() as u64, error = %e, "llm call failed");
                return Err(LlmError(format!("{}: {e}", a.base_url)));
            }
            Ok(Ok(r)) => response(r)?,
        };
        let (input, output) = (answer.input_tokens, answer.output_tokens);
        let tokens = |kind: &'static str| metrics::counter!("opsdesk_llm_tokens_total", "agent" => agent.clone(), "kind" => kind);
        tokens("prompt").increment(input as u64);
        tokens("completion").increment(output as u64);
        metrics::counter!("opsdesk_llm_cost_micro_usd_total", "agent" => agent.clone())
            .increment(a.cost_micro_usd(input, output));
        // Per call; per ticket, agent and month they add up in `llm_usage`.
        tracing::info!(
            agent = %req.agent,
            model = %a.model,
            prompt_tokens = input,
            completion_tokens = output,
            cost_micro_usd = a.cost_micro_usd(input, output),
            tool_calls = answer.tool_calls.len(),
            duration_ms = started.elapsed().as_millis() as u64,
            "llm call"
        );
        Ok(answer)
    }
}
