//! `/ops tickets [--escalated] [--all] [-n N]`: recent tickets with state, tier, age and first-response SLA.

use super::CommandCtx;
use crate::domain::human_duration;
use crate::domain::ports::{StoreError, TicketFilter};
use crate::domain::sla::sla_state;
use crate::domain::{Reply, TicketState};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Only tickets waiting for or owned by a person.
    #[arg(long)]
    pub escalated: bool,
    /// Include resolved tickets.
    #[arg(long)]
    pub all: bool,
    /// How many to show.
    #[arg(short = 'n', long, default_value_t = 20)]
    pub limit: i64,
}

pub async fn run(ctx: &CommandCtx<'_>, a: &Args) -> Result<Reply, StoreError> {
    let states = if a.escalated {
        vec![TicketState::Escalated, TicketState::Claimed]
    } else if a.all {
        vec![]
    } else {
        vec![
            TicketState::Open,
            TicketState::Answered,
            TicketState::Escalated,
            TicketState::Claimed,
        ]
    };
    let list = ctx
        .pipeline
        .store
        .tickets(&TicketFilter {
            states,
            limit: a.limit.clamp(1, 200),
        })
        .await?;
    if list.is_empty() {
        return Ok(Reply::text(if a.escalated {
            "No escalated tickets."
        } else {
            "No open tickets."
        }));
    }
    let sla = ctx.pipeline.settings.support.sla.policy();
    let mut s = String::from("#     state      tier    age      SLA          customer  subject\n");
    for t in list {
        let tier = t.tier.map_or("-", |t| t.as_str());
        let subject: String = t.subject.chars().take(48).collect();
        s.push_str(&format!(
            "#{:<4} {:<10} {:<7} {:<8} {:<12} {:<9} {}\n",
            t.id,
            t.state.as_str(),
            tier,
            human_duration(ctx.now - t.opened_at),
            sla_state(&t, &sla, ctx.now, human_duration),
            t.customer,
            subject
        ));
    }
    Ok(Reply::text(s.trim_end().to_string()))
}
