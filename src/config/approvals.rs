//! `[approvals]`, `[runbooks]` and `[webhooks]`: who may sign off what (per kind), and the allow-listed
//! actions a sign-off can run.

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApprovalPolicySettings {
    pub approvers: Option<Vec<String>>,
    pub quorum: Option<u32>,
    pub allow_self: Option<bool>,
    pub expires_after_mins: Option<i64>,
    pub warn_before_mins: Option<i64>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApprovalSettings {
    pub approvers: Vec<String>,
    pub quorum: u32,
    pub allow_self: bool,
    pub expires_after_mins: i64,
    pub warn_before_mins: i64,
    #[serde(default)]
    pub kinds: std::collections::BTreeMap<String, ApprovalPolicySettings>,
}

impl ApprovalSettings {
    /// The policy for one kind of action: the defaults with that kind's overrides.
    pub fn policy(&self, kind: &str) -> crate::domain::ApprovalPolicy {
        let k = self.kinds.get(kind);
        let pick =
            |f: fn(&ApprovalPolicySettings) -> Option<i64>, d: i64| k.and_then(f).unwrap_or(d);
        crate::domain::ApprovalPolicy {
            approvers: k
                .and_then(|k| k.approvers.clone())
                .unwrap_or_else(|| self.approvers.clone()),
            quorum: k.and_then(|k| k.quorum).unwrap_or(self.quorum).max(1),
            allow_self: k.and_then(|k| k.allow_self).unwrap_or(self.allow_self),
            ttl_ms: pick(|k| k.expires_after_mins, self.expires_after_mins) * 60_000,
            warn_before_ms: pick(|k| k.warn_before_mins, self.warn_before_mins) * 60_000,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunbookSettings {
    pub description: String,
    pub argv: Vec<String>,
    #[serde(default = "default_runbook_timeout")]
    pub timeout_secs: u64,
}

fn default_runbook_timeout() -> u64 {
    60
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WebhookSettings {
    pub description: String,
    pub url: String,
    pub secret_env: String,
    #[serde(default = "default_webhook_timeout")]
    pub timeout_secs: u64,
}

fn default_webhook_timeout() -> u64 {
    10
}
