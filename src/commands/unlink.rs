//! `/ops unlink <platform:user>`: the chat user's questions are no longer answered from any account.

use super::CommandCtx;
use super::link::parse_who;
use crate::domain::AuditAction;
use crate::domain::Reply;
use crate::domain::ports::{AuditEntry, StoreError};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The chat user: `slack:U0123…` or `discord:1234…`.
    pub who: String,
}

pub async fn run(ctx: &CommandCtx<'_>, a: &Args) -> Result<Reply, StoreError> {
    let (platform, user) = match parse_who(&a.who) {
        Ok(w) => w,
        Err(e) => return Ok(Reply::text(e)),
    };
    let store = &ctx.pipeline.store;
    let was = store.customer(platform, user).await?;
    let audit = AuditEntry {
        at: ctx.now,
        actor: format!("{}:{}", ctx.platform.as_str(), ctx.user),
        action: AuditAction::CustomerUnlink,
        subject: a.who.clone(),
        detail: was
            .as_ref()
            .map_or_else(String::new, |c| c.account_id.clone()),
    };
    if !store
        .set_customer_link(platform, user, None, &audit, ctx.now)
        .await?
    {
        return Ok(Reply::text(format!(
            "{} is not linked to any customer.",
            a.who
        )));
    }
    Ok(Reply::text(format!(
        "Unlinked {} from {}.",
        a.who, audit.detail
    )))
}
