//! LLM agents: the async-openai adapter behind the domain's `Llm` port, and the tool loop every agent
//! runs (the model asks for tools, opsdesk runs them — authorised in code — and answers, for at most
//! `llm.max_rounds` rounds). Token use and cost are added up per call.

pub mod assistant;
pub mod cite;
pub mod openai;
pub mod summary;
pub mod tier1;
pub mod tier2;
pub mod tools;
pub mod triage;

pub use openai::OpenAiLlm;
pub use tools::{RunError, ToolBox, Usage, run_tools, run_tools_within};
