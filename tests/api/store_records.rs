//! The store's contract on every backend for what is only ever added to: the audit log, channel
//! cursors and LLM usage.

use opsdesk::domain::{AuditAction, Platform, Tier};

use super::store_contract::{key, open};
use crate::support;
use opsdesk::domain::ports::*;

#[tokio::test]
async fn audit_log_is_append_only() {
    for db in support::backends().await {
        let s = &db.store;
        for i in 0..3 {
            s.audit(&AuditEntry {
                at: i,
                actor: "U1".into(),
                action: AuditAction::Unknown(format!("a{i}")),
                subject: "x".into(),
                detail: "".into(),
            })
            .await
            .unwrap();
        }
        let recent = s.audit_recent(2).await.unwrap();
        assert_eq!(
            recent.iter().map(|e| e.action.name()).collect::<Vec<_>>(),
            ["a2", "a1"]
        );
        let upd = sqlx::query("UPDATE audit_log SET actor = 'mallory'")
            .execute(s.pool())
            .await;
        assert!(upd.is_err(), "{}: updates are refused", s.backend());
        let del = sqlx::query("DELETE FROM audit_log").execute(s.pool()).await;
        assert!(del.is_err(), "{}: deletes are refused", s.backend());
        assert_eq!(s.audit_recent(10).await.unwrap().len(), 3);
        db.cleanup().await;
    }
}

#[tokio::test]
async fn cursors_only_move_forward() {
    for db in support::backends().await {
        let s = &db.store;
        assert_eq!(s.cursor(Platform::Discord, "100").await.unwrap(), None);
        s.cursor_advance(Platform::Discord, "100", 1_200_000_000_000_000_000)
            .await
            .unwrap();
        s.cursor_advance(Platform::Discord, "100", 1_100_000_000_000_000_000)
            .await
            .unwrap();
        assert_eq!(
            s.cursor(Platform::Discord, "100").await.unwrap(),
            Some(1_200_000_000_000_000_000),
            "{}",
            s.backend()
        );
        s.cursor_advance(Platform::Discord, "100", 1_300_000_000_000_000_000)
            .await
            .unwrap();
        assert_eq!(
            s.cursor(Platform::Discord, "100").await.unwrap(),
            Some(1_300_000_000_000_000_000)
        );
        assert_eq!(
            s.cursor(Platform::Slack, "100").await.unwrap(),
            None,
            "per platform"
        );
        db.cleanup().await;
    }
}

#[tokio::test]
async fn llm_usage_adds_to_the_ticket_and_sums_per_agent_and_month() {
    for db in support::backends().await {
        let s = &db.store;
        let mut t = open(s, &key("u1"), "U1", "help", 100).await;
        let use_ = |agent: &str, at: i64, ticket: Option<i64>, cost: i64| LlmUsage {
            at,
            agent: agent.into(),
            ticket,
            calls: 2,
            input_tokens: 100,
            output_tokens: 20,
            cost_micros: cost,
            outcome: "grounded".into(),
        };
        let audit = AuditEntry {
            at: 1,
            actor: "opsdesk/tier1".into(),
            action: AuditAction::Llm("tier1".into()),
            subject: "t".into(),
            detail: "d".into(),
        };
        s.llm_usage(&use_("tier1", 1_000, Some(t.id), 40), &audit)
            .await
            .unwrap();
        s.llm_usage(&use_("tier1", 5_000, Some(t.id), 60), &audit)
            .await
            .unwrap();
        s.llm_usage(&use_("assistant", 5_000, None, 7), &audit)
            .await
            .unwrap();
        assert_eq!(s.llm_spend("tier1", 0).await.unwrap(), 100);
        assert_eq!(
            s.llm_spend("tier1", 2_000).await.unwrap(),
            60,
            "only since the month began"
        );
        assert_eq!(s.llm_spend("tier2", 0).await.unwrap(), 0);
        assert_eq!(s.llm_ticket_tokens("tier1", t.id).await.unwrap(), 240);
        let totals = s.llm_totals(0).await.unwrap();
        assert_eq!(
            totals
                .iter()
                .map(|u| (u.agent.as_str(), u.calls, u.cost_micros))
                .collect::<Vec<_>>(),
            [("assistant", 2, 7), ("tier1", 4, 100)]
        );
        assert_eq!(s.audit_recent(10).await.unwrap().len(), 3);
        // The ticket's cost, and both triage opinions and the prompt version, survive a round trip.
        t.tier = Some(Tier::Tier2);
        t.triage_offline = Some(opsdesk::domain::Triage {
            tier: Tier::Tier1,
            confidence: 0.4,
            reason: opsdesk::domain::tier::TriageReason::LowConfidence,
        });
        t.triage_llm = Some(opsdesk::domain::Triage {
            tier: Tier::Tier2,
            confidence: 0.9,
            reason: opsdesk::domain::tier::TriageReason::Llm("broken".into()),
        });
        t.prompt_version = Some("p-0011aabb".into());
        s.commit(Commit {
            ticket: Some(t.clone()),
            now: 6_000,
            ..Default::default()
        })
        .await
        .unwrap();
        let back = s.ticket(t.id).await.unwrap().unwrap();
        assert_eq!(
            (back.triage_offline, back.triage_llm, back.prompt_version),
            (t.triage_offline, t.triage_llm, t.prompt_version)
        );
        let stats = s.tier_stats(0, i64::MAX).await.unwrap();
        assert_eq!(stats[0].cost_micros, 100);
        db.cleanup().await;
    }
}
