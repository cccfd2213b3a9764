//! `/ops refund <charge> <amount> [reason…]`: refund part or all of a charge the ledger knows. Above
//! `finance.refund_approval_above` it becomes a sign-off request; at or below it the team member's
//! command is the decision and Stripe is called at once. Either way it is audited and idempotent.

use super::CommandCtx;
use crate::domain::finance::Charge;
use crate::domain::ports::{AuditEntry, StoreError};
use crate::domain::{Millis, Reply};
use crate::finance::report::money;
use crate::pipeline::ApprovalRequest;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The Stripe charge id (ch_…).
    pub charge: String,
    /// How much, in the charge's currency: 12.50 (or 1250c in minor units).
    #[arg(value_parser = parse_amount)]
    pub amount: i64,
    /// Why (shown to the approvers and kept in the audit log).
    #[arg(trailing_var_arg = true)]
    pub reason: Vec<String>,
}

/// `12.50` → 1250; `1250c` → 1250; `12` → 1200. Never through floats.
pub fn parse_amount(s: &str) -> Result<i64, String> {
    let bad = || format!("{s:?} is not an amount like 12.50 (or 1250c in minor units)");
    if let Some(minor) = s.strip_suffix('c') {
        return minor.parse::<i64>().ok().filter(|v| *v > 0).ok_or_else(bad);
    }
    let (units, cents) = s.split_once('.').unwrap_or((s, "0"));
    if cents.len() > 2
        || units.is_empty()
        || !units
            .bytes()
            .chain(cents.bytes())
            .all(|b| b.is_ascii_digit())
    {
        return Err(bad());
    }
    let cents: i64 = format!("{cents:0<2}").parse().map_err(|_| bad())?;
    let v = units
        .parse::<i64>()
        .map_err(|_| bad())?
        .checked_mul(100)
        .and_then(|u| u.checked_add(cents))
        .ok_or_else(bad)?;
    if v > 0 { Ok(v) } else { Err(bad()) }
}

async fn charge(ctx: &CommandCtx<'_>, id: &str) -> Result<Option<Charge>, StoreError> {
    Ok(ctx
        .pipeline
        .store
        .finance_ledger()
        .await?
        .charges
        .into_iter()
        .find(|c| c.id == id))
}

pub async fn run(ctx: &CommandCtx<'_>, a: &Args) -> Result<Reply, StoreError> {
    let Some(c) = charge(ctx, &a.charge).await? else {
        return Ok(Reply::text(format!(
            "No charge {} in the ledger (has Stripe's webhook delivered it?).",
            a.charge
        )));
    };
    let left = c.amount - c.amount_refunded;
    if a.amount > left {
        return Ok(Reply::text(format!(
            "Charge {} has only {} left to refund.",
            c.id,
            money(left, &c.currency)
        )));
    }
    let f = &ctx.pipeline.settings.finance;
    let who = format!("{}:{}", ctx.platform.as_str(), ctx.user);
    let what = format!("refund {} of charge {}", money(a.amount, &c.currency), c.id);
    if a.amount > f.refund_approval_above {
        let request = ApprovalRequest {
            kind: "refund".into(),
            params: serde_json::json!({ "charge": c.id, "amount": a.amount, "currency": c.currency }),
            summary: what,
            reason: a.reason.join(" "),
            platform: ctx.platform,
            requester: ctx.user.into(),
            channel: ctx.channel.into(),
            thread: ctx.thread.map(String::from),
        };
        return Ok(Reply::text(
            match ctx.pipeline.request_approval(request, ctx.now).await? {
                Ok(r) => format!(
                    "Above {}: asked for sign-off, request #{}.",
                    money(f.refund_approval_above, &c.currency),
                    r.id
                ),
                Err(r) => format!(
                    "That refund is already waiting for sign-off: request #{}.",
                    r.id
                ),
            },
        ));
    }
    let r = crate::exec::refund::Refund {
        charge: &c.id,
        amount: a.amount,
        idempotency_key: format!("opsdesk-command-{}", ctx.event),
        requested_by: &who,
    };
    let done = crate::exec::refund::run(f, &r).await;
    audit(ctx, &who, &what, &done.result, ctx.now).await?;
    Ok(Reply::text(if done.ok {
        format!("✅ {}", done.result)
    } else {
        format!("⚠️ Not refunded: {}", done.result)
    }))
}

async fn audit(
    ctx: &CommandCtx<'_>,
    who: &str,
    what: &str,
    result: &str,
    now: Millis,
) -> Result<(), StoreError> {
    let e = AuditEntry {
        at: now,
        actor: who.into(),
        action: "finance.refund".into(),
        subject: what.into(),
        detail: result.into(),
    };
    ctx.pipeline.store.audit(&e).await
}

#[cfg(test)]
mod tests {
    use super::parse_amount;

    #[test]
    fn amounts_parse_without_floats() {
        assert_eq!(parse_amount("12.50"), Ok(1250));
        assert_eq!(parse_amount("12.5"), Ok(1250));
        assert_eq!(parse_amount("12"), Ok(1200));
        assert_eq!(parse_amount("1250c"), Ok(1250));
        for bad in ["12.505", "-3", "0", "ten", ".5", "1e3"] {
            assert!(parse_amount(bad).is_err(), "{bad}");
        }
    }
}
