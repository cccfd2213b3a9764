//! Linking a Slack customer to their Stripe account: a matching profile e-mail brings a card to the
//! team, and only a team member's click links them.

use super::slack::{COMMUNITY, ESCALATIONS, Rig, button_ids, rig};
use crate::support::slack::FakeSlack;

/// A customer whose Slack profile e-mail is a Stripe customer's: the team is asked on a card, and only
/// a team member's click links them (nothing is linked before).
#[tokio::test]
async fn a_matching_email_suggests_a_link_that_a_team_members_click_confirms() {
    let r = rig().await;
    a_stripe_customer_with_the_address(&r).await;
    r.fake
        .add_user("UFAY", "Fay", "Fay Jones", "fay@example.com");
    r.fake.push(
        "events_api",
        FakeSlack::message(
            "Ev9",
            COMMUNITY,
            "UFAY",
            "1700000300.000100",
            None,
            "How do I see my invoices?",
        ),
    );
    r.fake
        .wait_until("the link card", |f| {
            f.ok_calls("chat.postMessage")
                .iter()
                .any(|c| c.body.to_string().contains("Same person?"))
        })
        .await;
    r.settle().await;
    let store = r.store.clone();
    assert!(
        store
            .customer(opsdesk::domain::Platform::Slack, "UFAY")
            .await
            .unwrap()
            .is_none(),
        "nothing is linked before a person confirms"
    );
    let card = r
        .fake
        .ok_calls("chat.postMessage")
        .into_iter()
        .find(|c| c.body.to_string().contains("Same person?"))
        .unwrap();
    assert_eq!(card.channel(), ESCALATIONS);
    let ts = card.response["ts"].as_str().unwrap().to_string();
    let ids = button_ids(&card.body);
    assert_eq!(ids[0], "link.confirm");
    let value = card.body["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| b["type"] == "actions")
        .flat_map(|b| b["elements"].as_array().unwrap().clone())
        .next()
        .unwrap()["value"]
        .as_str()
        .unwrap()
        .to_string();
    r.fake.push(
        "interactive",
        FakeSlack::click(ESCALATIONS, "UADMIN", &ts, None, &ids[0], &value, "900.1"),
    );
    r.fake
        .wait_until("the card edited", |f| !f.ok_calls("chat.update").is_empty())
        .await;
    r.settle().await;
    let linked = store
        .customer(opsdesk::domain::Platform::Slack, "UFAY")
        .await
        .unwrap();
    assert_eq!(linked.map(|c| c.account_id).as_deref(), Some("cus_f"));
    let edit = r
        .fake
        .ok_calls("chat.update")
        .pop()
        .unwrap()
        .body
        .to_string();
    assert!(edit.contains("Linked by slack:UADMIN"), "{edit}");
    r.rt.stop().await;
}

/// Fay Ltd, `Fay@Example.com`, as a Stripe customer in the ledger.
async fn a_stripe_customer_with_the_address(r: &Rig) {
    let cus = serde_json::json!({"id": "evt_cus_f", "object": "event", "type": "customer.created", "created": 1_790_000_000,
        "livemode": false, "api_version": "2024-06-20",
        "data": {"object": {"id": "cus_f", "object": "customer", "email": "Fay@Example.com", "name": "Fay Ltd"}}});
    let ev = opsdesk::finance::stripe::parse_event(cus.to_string().as_bytes()).unwrap();
    let p = crate::support::pipeline_with(r.store.clone(), crate::support::settings()).await;
    p.on_stripe_event(&ev, None, 0).await.unwrap();
}
