//! Clicks on a sign-off card become votes: the domain checks them against the policy, the vote is
//! stored with a version check (one winner in a race), and the clicker, the requester and the card
//! hear the outcome. An approval that completes the quorum starts the executor.

use super::{Handled, Outcome, Pipeline};
use crate::domain::approval::{Vote, VoteOutcome};
use crate::domain::button::ApprovalButton;
use crate::domain::ports::{ApprovalWrite, Commit, Outbound, StoreError};
use crate::domain::{Approval, ApprovalPolicy, Event, Millis, Reply};

impl Pipeline {
    pub(super) async fn on_approval_click(
        &self,
        ev: &Event,
        button: ApprovalButton,
        value: &str,
        input: Option<&str>,
        now: Millis,
    ) -> Result<Handled, StoreError> {
        let vote = match button {
            ApprovalButton::Approve => Vote::Approve,
            ApprovalButton::Deny => Vote::Deny(input.map(str::to_string)),
            ApprovalButton::Edit => return self.on_draft_edit(ev, value, input, now).await,
        };
        let Some(mut a) = (match value.parse::<i64>() {
            Ok(id) => self.store.approval(id).await?,
            Err(_) => None,
        }) else {
            return Ok(Handled::Ignored("button names no approval"));
        };
        let policy = self.policy(a.kind);
        let voter = format!("{}:{}", ev.platform.as_str(), ev.user);
        let outcome = a.vote(&policy, ev.platform, &ev.user, &ev.roles, vote, now);
        let mut c = Commit {
            inbox_key: Some(ev.inbox_key()),
            now,
            ..Default::default()
        };
        c.outbox = vote_replies(ev, &a, &policy, &outcome, &voter);
        let (step, detail) = (outcome.audit_step(), outcome.describe());
        c.audit.push(Self::audit(&a, &voter, step, detail, now));
        if outcome.changes_request() {
            c.outbox.extend(self.card_edit(&a, now));
            c.approval = Some(ApprovalWrite::Update(a.clone()));
        }
        let ids = self.commit(c).await?;
        if outcome == VoteOutcome::Approved {
            let me = self.clone();
            let id = a.id;
            tokio::spawn(async move {
                if let Err(e) = me.execute_approval(id).await {
                    tracing::error!(approval = id, error = %e, "executing an approved action failed to record");
                }
            });
        }
        Ok(Handled::Done(Outcome {
            outbox: ids,
            ..Outcome::default()
        }))
    }
}

/// What the clicker (privately) and the requester hear about a vote.
fn vote_replies(
    ev: &Event,
    a: &Approval,
    policy: &ApprovalPolicy,
    outcome: &VoteOutcome,
    voter: &str,
) -> Vec<Outbound> {
    let private = |text: String| super::private(ev, Reply::text(text));
    match outcome {
        VoteOutcome::NotAnApprover => vec![private(format!(
            "You are not an approver for {} actions ({}).",
            a.kind,
            policy.describe()
        ))],
        VoteOutcome::OwnRequest => vec![private(
            "You asked for this one; someone else has to approve it.".into(),
        )],
        VoteOutcome::AlreadyVoted => vec![private(format!(
            "Your approval is already counted ({} of {}).",
            a.approved_by.len(),
            a.quorum
        ))],
        VoteOutcome::AlreadyDecided { state, by } => {
            let who = by
                .as_deref()
                .map(|b| format!(" by {b}"))
                .unwrap_or_default();
            vec![private(format!(
                "Too late: request #{} was already {}{who}.",
                a.id,
                state.as_str()
            ))]
        }
        VoteOutcome::Expired => vec![
            private(format!("Too late: request #{} has expired.", a.id)),
            Pipeline::tell_requester(
                a,
                format!(
                    "⌛ Your request #{} ({}) expired without sign-off.",
                    a.id, a.summary
                ),
            ),
        ],
        VoteOutcome::Counted { have, need } => {
            vec![private(format!("Counted: {have} of {need} approvals."))]
        }
        VoteOutcome::Approved => vec![],
        VoteOutcome::Denied => {
            let why = a
                .deny_reason
                .as_deref()
                .map(|r| format!(": {r}"))
                .unwrap_or_default();
            vec![Pipeline::tell_requester(
                a,
                format!(
                    "❌ Your request #{} ({}) was denied by {voter}{why}",
                    a.id, a.summary
                ),
            )]
        }
    }
}
