//! `[llm]`: the OpenAI-compatible endpoint (OpenAI, Ollama, vLLM, llama.cpp) each agent uses — base URL,
//! model, API-key variable, temperature, max tokens, price per million tokens — and the limits of a call.
//! An agent with no base URL uses the offline path.

use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LlmSettings {
    pub timeout_secs: u64,
    /// Tool rounds per answer before the agent gives up (and the ticket goes to a person).
    pub max_rounds: u32,
    /// The triage agent is asked for a second opinion when the classifier's confidence is below this.
    pub triage_below: f64,
    /// The ticket's conversation the agents see, newest first, cut to about this many tokens.
    pub memory_tokens: usize,
    /// Tokens (prompt + completion, all rounds) the tier-2 agent may use on one ticket.
    pub tier2_max_tokens: u64,
    /// `triage`, `tier1`, `tier2`, `summary`, `assistant`.
    pub agents: BTreeMap<String, AgentSettings>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgentSettings {
    /// e.g. `https://api.openai.com/v1`, `http://localhost:11434/v1` (Ollama); empty: offline.
    pub base_url: String,
    pub model: String,
    /// The variable holding the API key (a local server may need none).
    pub api_key_env: String,
    pub temperature: f32,
    pub max_tokens: u32,
    /// US dollars per million prompt / completion tokens, in micro-dollars (0.15 $ = 150000).
    pub price_in_micro_usd_per_mtok: u64,
    pub price_out_micro_usd_per_mtok: u64,
    /// Spending cap per calendar month (UTC) in micro-dollars; reached = the offline path until the
    /// month ends, and the team is told once. 0 = no cap.
    #[serde(default)]
    pub monthly_budget_micro_usd: u64,
}

impl AgentSettings {
    /// The cost of a call in micro-dollars (integers: costs are summed per ticket and per month).
    pub fn cost_micro_usd(&self, input_tokens: u32, output_tokens: u32) -> u64 {
        (input_tokens as u64 * self.price_in_micro_usd_per_mtok
            + output_tokens as u64 * self.price_out_micro_usd_per_mtok)
            / 1_000_000
    }
}

impl LlmSettings {
    /// The agent's settings when it has an endpoint configured.
    pub fn agent(&self, name: &str) -> Option<&AgentSettings> {
        self.agents.get(name).filter(|a| !a.base_url.is_empty())
    }

    pub(super) fn validate(&self) -> Result<(), String> {
        if self.timeout_secs == 0 || self.max_rounds == 0 {
            return Err("llm.timeout_secs / llm.max_rounds: must be positive".into());
        }
        if !(0.0..=1.0).contains(&self.triage_below) {
            return Err(format!(
                "llm.triage_below: {} is not between 0 and 1",
                self.triage_below
            ));
        }
        for (name, a) in &self.agents {
            if !a.base_url.is_empty() && !a.base_url.starts_with("http") {
                return Err(format!(
                    "llm.agents.{name}.base_url: {:?} is not an http(s) URL",
                    a.base_url
                ));
            }
            if !a.base_url.is_empty() && a.model.is_empty() {
                return Err(format!("llm.agents.{name}.model: must name a model"));
            }
            if !(0.0..=2.0).contains(&a.temperature) {
                return Err(format!(
                    "llm.agents.{name}.temperature: must be between 0 and 2"
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::config::Settings;

    #[test]
    fn agents_are_offline_until_given_an_endpoint_and_costs_are_integers() {
        let mut s = Settings::builtin();
        assert!(s.llm.agent("tier1").is_none(), "offline by default");
        let a = s.llm.agents.get_mut("tier1").unwrap();
        a.base_url = "http://127.0.0.1:11434/v1".into();
        a.price_in_micro_usd_per_mtok = 150_000;
        a.price_out_micro_usd_per_mtok = 600_000;
        assert_eq!(
            s.llm
                .agent("tier1")
                .unwrap()
                .cost_micro_usd(1_000_000, 500_000),
            450_000
        );
        s.llm.agents.get_mut("tier2").unwrap().base_url = "localhost:8080".into();
        assert!(
            s.llm
                .validate()
                .unwrap_err()
                .contains("llm.agents.tier2.base_url")
        );
    }
}
