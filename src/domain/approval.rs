//! Human sign-off: an exact action (kind + parameters, hashed) waiting for authorised people's clicks.
//! Votes are checked against the policy here, in code; expiry and its warning are decided here too. The
//! runtime stores each change with a version check, so a race between two clicks has one winner.

use super::audit::ApprovalStep;
use super::{ApprovalKind, Millis, Platform};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ApprovalState {
    Pending,
    Approved,
    Executing,
    Executed,
    Failed,
    Denied,
    Expired,
}

impl ApprovalState {
    pub const ALL: [ApprovalState; 7] = [
        ApprovalState::Pending,
        ApprovalState::Approved,
        ApprovalState::Executing,
        ApprovalState::Executed,
        ApprovalState::Failed,
        ApprovalState::Denied,
        ApprovalState::Expired,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ApprovalState::Pending => "pending",
            ApprovalState::Approved => "approved",
            ApprovalState::Executing => "executing",
            ApprovalState::Executed => "executed",
            ApprovalState::Failed => "failed",
            ApprovalState::Denied => "denied",
            ApprovalState::Expired => "expired",
        }
    }

    pub fn parse(s: &str) -> Option<ApprovalState> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// Who may approve an action kind, how many must, and for how long the request stands.
#[derive(Debug, Clone, PartialEq)]
pub struct ApprovalPolicy {
    /// `platform:user`, `platform:group:…` / `platform:role:…`, or `platform:*` (anyone on that platform).
    pub approvers: Vec<String>,
    pub quorum: u32,
    pub allow_self: bool,
    pub ttl_ms: Millis,
    pub warn_before_ms: Millis,
}

impl ApprovalPolicy {
    /// Whether `voter` (`platform:user`, with the adapter-reported `roles`) is one of the approvers.
    pub fn admits(&self, platform: Platform, user: &str, roles: &[String]) -> bool {
        let p = platform.as_str();
        self.approvers.iter().any(|a| {
            a.strip_prefix(p)
                .and_then(|r| r.strip_prefix(':'))
                .is_some_and(|who| who == "*" || who == user || roles.iter().any(|r| r == who))
        })
    }

    pub fn describe(&self) -> String {
        let who = if self.approvers.is_empty() {
            "nobody is configured".to_string()
        } else {
            self.approvers.join(", ")
        };
        format!(
            "{} approval{} from {who}; the requester {} approve",
            self.quorum,
            if self.quorum == 1 { "" } else { "s" },
            if self.allow_self { "may" } else { "may not" }
        )
    }
}

/// One request for sign-off.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Approval {
    pub id: i64,
    /// What kind of action: selects the policy and the executor.
    pub kind: ApprovalKind,
    /// The action's exact parameters (canonical JSON); `action_hash` is their SHA-256 with the kind.
    pub params: String,
    pub action_hash: String,
    /// What will happen, for people.
    pub summary: String,
    pub reason: String,
    /// `platform:user` of whoever asked (a person, or `opsdesk` for the system).
    pub requested_by: String,
    pub platform: Platform,
    pub channel: String,
    pub thread: Option<String>,
    /// The outbox row of the card, to edit it in place.
    pub card: Option<i64>,
    pub state: ApprovalState,
    pub approved_by: Vec<String>,
    pub decided_by: Option<String>,
    pub deny_reason: Option<String>,
    pub quorum: u32,
    pub allow_self: bool,
    pub expires_at: Millis,
    pub warn_at: Millis,
    pub warned: bool,
    pub result: Option<String>,
    pub created_at: Millis,
    pub updated_at: Millis,
    pub version: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Vote {
    Approve,
    Deny(Option<String>),
}

/// What a click amounted to.
#[derive(Debug, Clone, PartialEq)]
pub enum VoteOutcome {
    NotAnApprover,
    OwnRequest,
    /// Too late: the request has now expired.
    Expired,
    /// Someone decided first (or it expired); `by` says who.
    AlreadyDecided {
        state: ApprovalState,
        by: Option<String>,
    },
    AlreadyVoted,
    /// Counted, not enough yet.
    Counted {
        have: u32,
        need: u32,
    },
    Approved,
    Denied,
}

impl VoteOutcome {
    /// The audit log's step for this outcome.
    pub fn audit_step(&self) -> ApprovalStep {
        match self {
            VoteOutcome::NotAnApprover | VoteOutcome::OwnRequest => ApprovalStep::Refused,
            VoteOutcome::AlreadyVoted => ApprovalStep::Repeated,
            VoteOutcome::AlreadyDecided { .. } => ApprovalStep::Late,
            VoteOutcome::Expired => ApprovalStep::Expired,
            VoteOutcome::Counted { .. } => ApprovalStep::ApprovedPartly,
            VoteOutcome::Approved => ApprovalStep::Approved,
            VoteOutcome::Denied => ApprovalStep::Denied,
        }
    }

    /// Whether the click changed the request (its row is written and its card edited).
    pub fn changes_request(&self) -> bool {
        matches!(
            self,
            VoteOutcome::Expired
                | VoteOutcome::Counted { .. }
                | VoteOutcome::Approved
                | VoteOutcome::Denied
        )
    }

    /// The audit entry's detail.
    pub fn describe(&self) -> String {
        match self {
            VoteOutcome::NotAnApprover => "not an approver".into(),
            VoteOutcome::OwnRequest => "own request".into(),
            VoteOutcome::Expired => "expired".into(),
            VoteOutcome::AlreadyDecided { state, by } => match by {
                Some(by) => format!("already {} by {by}", state.as_str()),
                None => format!("already {}", state.as_str()),
            },
            VoteOutcome::AlreadyVoted => "already voted".into(),
            VoteOutcome::Counted { have, need } => format!("counted: {have} of {need}"),
            VoteOutcome::Approved => "approved".into(),
            VoteOutcome::Denied => "denied".into(),
        }
    }
}

/// What the clock did to a pending request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tick {
    Warn,
    Expire,
}

impl Approval {
    /// Applies one click. `voter` is `platform:user`.
    pub fn vote(
        &mut self,
        policy: &ApprovalPolicy,
        platform: Platform,
        user: &str,
        roles: &[String],
        vote: Vote,
        now: Millis,
    ) -> VoteOutcome {
        if self.state != ApprovalState::Pending {
            return VoteOutcome::AlreadyDecided {
                state: self.state,
                by: self.decided_by.clone(),
            };
        }
        if now >= self.expires_at {
            self.expire(now);
            return VoteOutcome::Expired;
        }
        if !policy.admits(platform, user, roles) {
            return VoteOutcome::NotAnApprover;
        }
        let voter = format!("{}:{user}", platform.as_str());
        match vote {
            Vote::Approve => {
                if !self.allow_self && voter == self.requested_by {
                    return VoteOutcome::OwnRequest;
                }
                if self.approved_by.contains(&voter) {
                    return VoteOutcome::AlreadyVoted;
                }
                self.approved_by.push(voter.clone());
                self.updated_at = now;
                let have = self.approved_by.len() as u32;
                if have < self.quorum {
                    return VoteOutcome::Counted {
                        have,
                        need: self.quorum,
                    };
                }
                self.state = ApprovalState::Approved;
                self.decided_by = Some(voter);
                VoteOutcome::Approved
            }
            Vote::Deny(reason) => {
                self.state = ApprovalState::Denied;
                self.decided_by = Some(voter);
                self.deny_reason = reason.filter(|r| !r.trim().is_empty());
                self.updated_at = now;
                VoteOutcome::Denied
            }
        }
    }

    fn expire(&mut self, now: Millis) {
        self.state = ApprovalState::Expired;
        self.updated_at = now;
    }

    /// The clock's effect on a pending request: a warning once, then expiry.
    pub fn tick(&mut self, now: Millis) -> Option<Tick> {
        if self.state != ApprovalState::Pending {
            return None;
        }
        if now >= self.expires_at {
            self.expire(now);
            return Some(Tick::Expire);
        }
        if !self.warned && now >= self.warn_at {
            self.warned = true;
            self.updated_at = now;
            return Some(Tick::Warn);
        }
        None
    }

    /// Approved → executing; `false` if it is not approved (already run, or never approved).
    pub fn start(&mut self, now: Millis) -> bool {
        if self.state != ApprovalState::Approved {
            return false;
        }
        self.state = ApprovalState::Executing;
        self.updated_at = now;
        true
    }

    pub fn finish(&mut self, ok: bool, result: String, now: Millis) {
        self.state = if ok {
            ApprovalState::Executed
        } else {
            ApprovalState::Failed
        };
        self.result = Some(result);
        self.updated_at = now;
    }
}

#[cfg(test)]
#[path = "approval_tests.rs"]
mod tests;
