//! `/ops refund <charge> <amount> [reason…]`: refund part or all of a charge the ledger knows. Above
//! `finance.refund_approval_above` it becomes a sign-off request; at or below it the team member's
//! command is the decision and Stripe is called at once. Either way it is audited and idempotent. What
//! is left to refund counts the refunds opsdesk has made or asked for, not only those Stripe's webhooks
//! have confirmed, and the same refund repeated within `finance.refund_confirm_within_secs` waits for
//! the person to confirm it (`--again`).

use super::CommandCtx;
use crate::domain::ApprovalKind;
use crate::domain::AuditAction;
use crate::domain::finance::{Charge, Refund};
use crate::domain::ports::{AuditEntry, StoreError};
use crate::domain::{ApprovalState, Millis, Reply, human_duration};
use crate::finance::money::{money, parse_amount};
use crate::pipeline::ApprovalRequest;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The Stripe charge id (ch_…).
    pub charge: String,
    /// How much, in the charge's currency: 12.50 (or 1250c in minor units); read with the
    /// currency's decimals once the charge is known (500 on a JPY charge is ¥500).
    pub amount: String,
    /// Refund again although the same amount of this charge was refunded a moment ago.
    #[arg(long)]
    pub again: bool,
    /// Why (shown to the approvers and kept in the audit log).
    #[arg(trailing_var_arg = true)]
    pub reason: Vec<String>,
}

/// What opsdesk knows of a charge's refunds: those in the ledger (made here or confirmed by Stripe)
/// and those waiting for sign-off.
struct Refunded {
    done: Vec<Refund>,
    waiting: i64,
}

impl Refunded {
    async fn of(ctx: &CommandCtx<'_>, c: &Charge) -> Result<Self, StoreError> {
        let ledger = ctx.pipeline.store.finance_ledger().await?;
        let done: Vec<Refund> = ledger
            .refunds
            .into_iter()
            .filter(|r| r.charge.as_deref() == Some(&c.id))
            .filter(|r| !matches!(r.status.as_str(), "failed" | "canceled"))
            .collect();
        let open = [
            ApprovalState::Pending,
            ApprovalState::Approved,
            ApprovalState::Executing,
        ];
        let waiting = ctx
            .pipeline
            .store
            .approvals(&open, 1000)
            .await?
            .iter()
            .filter(|a| a.kind == ApprovalKind::Refund)
            .filter_map(|a| serde_json::from_str::<serde_json::Value>(&a.params).ok())
            .filter(|p| p["charge"].as_str() == Some(&c.id))
            .filter_map(|p| p["amount"].as_i64())
            .sum();
        Ok(Refunded { done, waiting })
    }

    /// The charge less what is refunded (the larger of Stripe's figure and the ledger's) and waiting.
    fn left(&self, c: &Charge) -> i64 {
        let done: i64 = self.done.iter().map(|r| r.amount).sum();
        c.amount - c.amount_refunded.max(done) - self.waiting
    }

    /// A refund of the same amount made since `since`.
    fn repeat_of(&self, amount: i64, since: Millis) -> Option<&Refund> {
        self.done
            .iter()
            .filter(|r| r.amount == amount && r.created >= since)
            .max_by_key(|r| r.created)
    }
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
    let amount = match parse_amount(&a.amount, &c.currency) {
        Ok(v) => v,
        Err(why) => return Ok(Reply::text(format!("Not refunded: {why}."))),
    };
    let f = &ctx.pipeline.settings.finance;
    let refunded = Refunded::of(ctx, &c).await?;
    let left = refunded.left(&c);
    if amount > left {
        return Ok(Reply::text(format!(
            "Charge {} has only {} left to refund.",
            c.id,
            money(left, &c.currency)
        )));
    }
    let since = ctx.now - f.refund_confirm_within_secs * 1000;
    if let (false, Some(r)) = (a.again, refunded.repeat_of(amount, since)) {
        return Ok(Reply::text(format!(
            "{} of charge {} was refunded {} ago ({}). To refund it again, repeat the command with --again.",
            money(amount, &c.currency),
            c.id,
            human_duration(ctx.now - r.created),
            r.id
        )));
    }
    let who = format!("{}:{}", ctx.platform.as_str(), ctx.user);
    let what = format!("refund {} of charge {}", money(amount, &c.currency), c.id);
    if amount > f.refund_approval_above {
        let request = ApprovalRequest {
            kind: ApprovalKind::Refund,
            params: serde_json::json!({ "charge": c.id, "amount": amount, "currency": c.currency }),
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
        amount,
        idempotency_key: format!("opsdesk-command-{}", ctx.event),
        requested_by: &who,
    };
    let done = crate::exec::refund::run(f, &r).await;
    audit(ctx, &who, &what, &done.result, ctx.now).await?;
    if let Some(r) = done.refund.clone() {
        ctx.pipeline.record_refund(r, ctx.now).await?;
    }
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
        action: AuditAction::FinanceRefund,
        subject: what.into(),
        detail: result.into(),
    };
    ctx.pipeline.store.audit(&e).await
}
