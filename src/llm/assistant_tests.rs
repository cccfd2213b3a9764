//! Tests of the assistant's tools: typed arguments, and bad ones named back to the model.

use super::*;

async fn tools() -> (AssistantTools, tempfile::TempDir) {
    let (store, dir) = crate::store::temp_sqlite(1).await;
    let t = AssistantTools {
        store: Arc::new(store),
        settings: Arc::new(Settings::builtin()),
        now: 0,
        proposals: Mutex::new(vec![]),
    };
    (t, dir)
}

#[tokio::test]
async fn arguments_are_typed_and_bad_ones_are_named_to_the_model() {
    let (t, _dir) = tools().await;
    let names: Vec<String> = t.specs().into_iter().map(|s| s.name).collect();
    assert_eq!(names.len(), 8, "{names:?}");
    let refund = t
        .specs()
        .into_iter()
        .find(|s| s.name == "propose_refund")
        .unwrap();
    assert_eq!(
        refund.parameters["required"],
        serde_json::json!(["charge", "amount", "reason"])
    );
    let bad_state = t.call("list_tickets", r#"{"state": "bogus"}"#).await;
    assert!(bad_state.contains("unknown variant `bogus`"), "{bad_state}");
    assert_eq!(t.call("list_tickets", "{}").await, "no tickets");
    let no_id = t.call("get_ticket", "{}").await;
    assert!(no_id.contains("missing field `id`"), "{no_id}");
    assert_eq!(t.call("get_ticket", r#"{"id": 4}"#).await, "no ticket #4");
    let no_reason = t
        .call("propose_runbook", r#"{"name": "x", "reason": " "}"#)
        .await;
    assert!(no_reason.contains("give a reason"), "{no_reason}");
    let unknown = t
        .call(
            "propose_refund",
            r#"{"charge": "ch_1", "amount": 12.5, "reason": "r"}"#,
        )
        .await;
    assert!(unknown.contains("no charge \"ch_1\""), "{unknown}");
    assert!(t.proposals.lock().unwrap().is_empty());
}
