//! The platform-neutral core: events, replies, tickets, triage tiers, the support desk's decisions and
//! the port traits. Nothing here imports a platform, database or LLM crate; time is always an argument.

pub mod alert;
pub mod alert_actions;
pub mod alert_port;
pub mod answer;
pub mod answer_action;
pub mod answer_leads;
pub mod approval;
pub mod approval_kind;
pub mod audit;
pub mod button;
pub mod desk;
pub mod event;
pub mod finance;
pub mod finance_discount;
pub mod finance_mrr;
pub mod finance_report;
pub mod gaps;
pub mod kb_draft;
pub mod keys;
pub mod llm_port;
pub mod phrases;
pub mod ports;
pub mod refusal;
pub mod reply;
pub mod sla;
pub mod store_port;
pub mod support;
pub mod support_digest;
pub mod ticket;
pub mod tier;
pub mod time;

pub use approval::{Approval, ApprovalPolicy, ApprovalState};
pub use approval_kind::ApprovalKind;
pub use audit::AuditAction;
pub use button::ButtonAction;
pub use event::{ChannelRole, Event, EventKind, Platform};
pub use refusal::Refusal;
pub use reply::{Button, ButtonStyle, Card, Citation, Field, Reply};
pub use ticket::{Ticket, TicketState};
pub use tier::{Tier, Triage};
pub use time::human_duration;

/// Milliseconds since the Unix epoch: the one clock unit the domain and the store share.
pub type Millis = i64;
