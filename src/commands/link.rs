//! `/ops link <platform:user> <cus_…>`: whose Stripe account a chat user's questions are answered
//! from. Until a team member links them (here, or by confirming a suggested link), the tier-1 account
//! tools see no account at all.

use super::CommandCtx;
use crate::domain::AuditAction;
use crate::domain::ports::{AuditEntry, StoreError};
use crate::domain::{Platform, Reply};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The chat user: `slack:U0123…` or `discord:1234…`.
    pub who: String,
    /// The Stripe customer id (`cus_…`).
    pub customer: String,
}

/// `platform:user`, or a message saying what is wrong with it.
pub fn parse_who(who: &str) -> Result<(Platform, &str), crate::domain::Refusal> {
    let bad = || {
        crate::domain::Refusal::new(format!(
            "{who:?} is not a chat user: write slack:U0123… or discord:1234…"
        ))
    };
    let (p, user) = who.split_once(':').ok_or_else(bad)?;
    let platform = Platform::parse(p).ok_or_else(bad)?;
    if user.is_empty() || user.contains(char::is_whitespace) {
        return Err(bad());
    }
    Ok((platform, user))
}

pub async fn run(ctx: &CommandCtx<'_>, a: &Args) -> Result<Reply, StoreError> {
    let (platform, user) = match parse_who(&a.who) {
        Ok(w) => w,
        Err(e) => return Ok(Reply::text(e)),
    };
    if !a.customer.starts_with("cus_") || a.customer.len() < 5 {
        return Ok(Reply::text(format!(
            "{:?} is not a Stripe customer id (they start with cus_).",
            a.customer
        )));
    }
    let ledger = ctx.pipeline.store.finance_ledger().await?;
    let known = ledger.customers.iter().find(|(id, _)| *id == a.customer);
    let audit = AuditEntry {
        at: ctx.now,
        actor: format!("{}:{}", ctx.platform.as_str(), ctx.user),
        action: AuditAction::CustomerLink,
        subject: a.who.clone(),
        detail: a.customer.clone(),
    };
    let store = &ctx.pipeline.store;
    if !store
        .set_customer_link(platform, user, Some(&a.customer), &audit, ctx.now)
        .await?
    {
        return Ok(Reply::text(format!(
            "{} is already linked to {}.",
            a.who, a.customer
        )));
    }
    let name = known.map_or_else(
        || " (not in the Stripe events received so far)".to_string(),
        |(_, n)| format!(" ({n})"),
    );
    Ok(Reply::text(format!(
        "Linked {} to {}{name}: their questions are answered with their own account data from now on.",
        a.who, a.customer
    )))
}
