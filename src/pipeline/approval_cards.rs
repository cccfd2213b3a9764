//! How a sign-off request looks: its card for each state (who asked, the policy, the votes, the result),
//! and a finance digest's card, which is the digest itself with Sign off and Flag.

use crate::domain::ApprovalKind;
use crate::domain::button::ApprovalButton;
use crate::domain::human_duration;
use crate::domain::{
    Approval, ApprovalPolicy, ApprovalState, Button, ButtonStyle, Card, Field, Millis,
};

/// A card for sign-off: the request with Approve / Deny, or for a finance digest the digest itself
/// (Sign off / Flag).
pub fn card(a: &Approval, policy: &ApprovalPolicy, now: Millis) -> Card {
    if a.kind == ApprovalKind::FinanceReport {
        return digest_card(a, policy, now);
    }
    let title = match a.state {
        ApprovalState::Pending => format!("🔐 Sign-off needed: {}", a.summary),
        ApprovalState::Approved | ApprovalState::Executing => {
            format!("▶️ Approved, running: {}", a.summary)
        }
        ApprovalState::Executed => format!("✅ Done: {}", a.summary),
        ApprovalState::Failed => format!("⚠️ Failed: {}", a.summary),
        ApprovalState::Denied => format!("❌ Denied: {}", a.summary),
        ApprovalState::Expired => format!("⌛ Expired: {}", a.summary),
    };
    let fields = fields(a, policy, now);
    let mut buttons = if a.state == ApprovalState::Pending {
        vec![
            Button::new("Approve", ApprovalButton::Approve, a.id.to_string())
                .styled(ButtonStyle::Primary),
            Button::new("Deny", ApprovalButton::Deny, a.id.to_string())
                .styled(ButtonStyle::Danger)
                .asking("Why deny this request?"),
        ]
    } else {
        vec![]
    };
    if a.kind == ApprovalKind::KbEntry && a.state == ApprovalState::Pending {
        buttons.push(
            Button::new("Edit answer", ApprovalButton::Edit, a.id.to_string()).asking(
                "The answer as the page should say it (first line \"# …\" to change the heading)",
            ),
        );
    }
    let footer = match (a.state, a.warned) {
        (ApprovalState::Pending, true) => Some(format!(
            "⏳ Expires in {}",
            human_duration(a.expires_at - now)
        )),
        _ => Some(format!(
            "Request #{} · action {}",
            a.id,
            &a.action_hash[..12]
        )),
    };
    Card {
        title,
        body: format!("Why: {}", a.reason),
        fields,
        citations: vec![],
        buttons,
        footer,
    }
}

/// The request's facts: the exact action, who asked, the policy, the votes, and by state the expiry,
/// who denied and why, or the executor's result.
fn fields(a: &Approval, policy: &ApprovalPolicy, now: Millis) -> Vec<Field> {
    let field = |name: &str, value: String| Field {
        name: name.into(),
        value,
    };
    let approvals = if a.approved_by.is_empty() {
        format!("0 of {}", a.quorum)
    } else {
        format!(
            "{} of {} ({})",
            a.approved_by.len(),
            a.quorum,
            a.approved_by.join(", ")
        )
    };
    let mut fields = action_fields(a);
    fields.extend([
        field("Requested by", a.requested_by.clone()),
        field("Policy", policy.describe()),
        field("Approvals", approvals),
    ]);
    match a.state {
        ApprovalState::Pending => fields.push(field(
            "Expires",
            format!("in {}", human_duration(a.expires_at - now)),
        )),
        ApprovalState::Denied => {
            let why = a
                .deny_reason
                .as_deref()
                .map(|r| format!(": {r}"))
                .unwrap_or_default();
            let by = a.decided_by.as_deref().unwrap_or("?");
            fields.push(field("Denied by", format!("{by}{why}")));
        }
        _ => {}
    }
    if let Some(r) = &a.result {
        fields.push(field("Result", format!("```\n{r}\n```")));
    }
    fields
}

/// What will be done: the exact action, or for a docs entry the page as it will be written.
fn action_fields(a: &Approval) -> Vec<Field> {
    let params: serde_json::Value = serde_json::from_str(&a.params).unwrap_or_default();
    match (a.kind, params["title"].as_str(), params["body"].as_str()) {
        (ApprovalKind::KbEntry, Some(title), Some(body)) => vec![
            Field {
                name: "Heading".into(),
                value: title.into(),
            },
            Field {
                name: "Answer".into(),
                value: body.into(),
            },
        ],
        _ => vec![Field {
            name: "Action".into(),
            value: format!("{} {}", a.kind, a.params),
        }],
    }
}

/// A digest awaiting sign-off: its figures, who signed (or flagged it, and why), Sign off and Flag.
fn digest_card(a: &Approval, policy: &ApprovalPolicy, now: Millis) -> Card {
    let title = match a.state {
        ApprovalState::Pending | ApprovalState::Approved | ApprovalState::Executing => {
            format!("📊 {}", a.summary)
        }
        ApprovalState::Executed => format!("✅ Signed off: {}", a.summary),
        ApprovalState::Denied => format!("🚩 Flagged: {}", a.summary),
        ApprovalState::Failed => format!("⚠️ {}", a.summary),
        ApprovalState::Expired => format!("⌛ Not signed off: {}", a.summary),
    };
    let mut fields = vec![Field {
        name: "Signed off by".into(),
        value: if a.approved_by.is_empty() {
            format!("nobody yet ({} needed; {})", a.quorum, policy.describe())
        } else {
            format!(
                "{} ({} of {})",
                a.approved_by.join(", "),
                a.approved_by.len(),
                a.quorum
            )
        },
    }];
    if a.state == ApprovalState::Denied {
        let why = a
            .deny_reason
            .as_deref()
            .map(|r| format!(": {r}"))
            .unwrap_or_default();
        fields.push(Field {
            name: "Flagged by".into(),
            value: format!("{}{why}", a.decided_by.as_deref().unwrap_or("?")),
        });
    }
    if a.state == ApprovalState::Pending {
        fields.push(Field {
            name: "Sign-off expires".into(),
            value: format!("in {}", human_duration(a.expires_at - now)),
        });
    }
    let buttons = if a.state == ApprovalState::Pending {
        vec![
            Button::new("Sign off", ApprovalButton::Approve, a.id.to_string())
                .styled(ButtonStyle::Primary),
            Button::new("Flag", ApprovalButton::Deny, a.id.to_string())
                .styled(ButtonStyle::Danger)
                .asking("What looks wrong in these figures?"),
        ]
    } else {
        vec![]
    };
    Card {
        title,
        body: a.reason.clone(),
        fields,
        citations: vec![],
        buttons,
        footer: Some(format!("Digest #{}", a.id)),
    }
}
