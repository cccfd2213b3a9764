//! "This looks like a known issue" is a claim made to a customer: a problem report hears it only when
//! the known-issue page is the section the answer bars single out, and `ask --json` lists it.

use crate::kb_answers::acknowledgement;
use crate::pipeline::{done, message, rig};
use crate::support;
use std::sync::Arc;

const EMOJI: &str = "known-issues#webhook-signature-check-fails-for-bodies-with-emoji";

#[tokio::test]
async fn a_problem_report_hears_of_the_known_issue_it_is_about() {
    let db = support::sqlite().await;
    let r = rig(Arc::new(db.store.clone())).await;
    let report = "our webhook signature check fails on some deliveries, only when the report name \
                  has an emoji in it";
    let o = done(
        r.p.handle(message("k1", None, "cust", report), 1_000)
            .await
            .unwrap(),
    );
    assert_eq!(o.tier, Some(opsdesk::domain::Tier::Tier2), "{o:?}");
    assert!(o.citations.is_empty() && o.escalated, "{o:?}");
    assert!(o.known_issues[0].link.ends_with(EMOJI), "{o:?}");
    assert_eq!(
        o.suggestions[0], o.known_issues[0],
        "named first among the pages offered"
    );
    let ack = acknowledgement(&r).await;
    assert!(
        ack.contains("This looks like a known issue") && ack.contains(EMOJI),
        "{ack}"
    );
}

/// Webhooks that stop arriving share "webhook" and "endpoint" with the emoji known issue, which is
/// not about them: the customer is not told it is a known issue.
#[tokio::test]
async fn a_known_issue_that_only_shares_words_is_not_named() {
    let db = support::sqlite().await;
    let r = rig(Arc::new(db.store.clone())).await;
    let report = "webhooks stopped arriving at our endpoint about an hour ago";
    let o = done(
        r.p.handle(message("k2", None, "cust", report), 1_000)
            .await
            .unwrap(),
    );
    assert_eq!(o.tier, Some(opsdesk::domain::Tier::Tier2), "{o:?}");
    assert!(o.known_issues.is_empty(), "{o:?}");
    let ack = acknowledgement(&r).await;
    assert!(!ack.contains("known issue"), "{ack}");
}
