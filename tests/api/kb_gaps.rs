//! Knowledge gaps, end to end: questions the docs cannot answer, on three topics in several
//! phrasings each, become three groups with their counts and tickets in `/ops kb gaps`; answered
//! questions and problem reports are not gaps; the store keeps gaps on every backend.

use crate::pipeline::{command, done, message, rig_with};
use crate::store_contract::{key, open};
use crate::support;
use opsdesk::domain::Platform;
use opsdesk::domain::gaps::KbGap;
use opsdesk::domain::ports::*;
use std::sync::Arc;

const DAY: i64 = 86_400_000;

/// Ten questions the sample docs do not answer: four on one topic, three on each of two others.
const TOPICS: [&[&str]; 3] = [
    &[
        "hey, does tallybird have a dark mode?",
        "dark theme for the dashboards?",
        "could you add a night mode to the dashboards",
        "is dark mode on the roadmap? asking for my eyes",
    ],
    &[
        "will there be a mobile app?",
        "any android app so i can see my numbers on the go?",
        "do you have a mobile app or is it web only",
    ],
    &[
        "does it connect to jira?",
        "we track work in jira, can tallybird import our tickets from there",
        "can tallybird show charts of our jira sprints?",
    ],
];

#[tokio::test]
async fn unanswered_questions_group_by_topic_in_ops_kb_gaps() {
    let db = support::sqlite().await;
    // The grouping is under test, not the tier: the model is torn between tier 1 and tier 2 on "we
    // track work in jira, can tallybird import our tickets from there" (0.39 / 0.37), and unsure
    // calls go to tier 2 by default (a problem report, which is no knowledge gap).
    let mut s = support::settings();
    s.triage.confidence_threshold = 0.0;
    let r = rig_with(Arc::new(db.store.clone()), s).await;
    let now = 30 * DAY;
    // Eight days ago: outside `--since 7d`.
    let old = message("old", None, "c-old", "is there a dark mode?");
    assert!(done(r.p.handle(old, now - 8 * DAY).await.unwrap()).escalated);
    let mut tickets: Vec<Vec<i64>> = vec![];
    for (t, questions) in TOPICS.iter().enumerate() {
        let mut ids = vec![];
        for (i, q) in questions.iter().enumerate() {
            let id = format!("q{t}-{i}");
            let o = done(
                r.p.handle(message(&id, None, &format!("c{t}{i}"), q), now - DAY)
                    .await
                    .unwrap(),
            );
            assert!(o.escalated && o.answer.is_none(), "{q}: {o:?}");
            ids.push(o.ticket.unwrap());
        }
        tickets.push(ids);
    }
    // Answered, and a problem report: neither is a gap.
    let answered = message("a", None, "c-a", "How do I reset my password?");
    assert!(
        done(r.p.handle(answered, now - DAY).await.unwrap())
            .answer
            .is_some()
    );
    let broken = "the site is down, 502 bad gateway on every page since an hour";
    let o = done(
        r.p.handle(message("b", None, "c-b", broken), now - DAY)
            .await
            .unwrap(),
    );
    assert!(o.escalated);
    assert_eq!(db.store.kb_gaps(0, 100).await.unwrap().len(), 11);

    r.sender.tick(now).await.unwrap();
    let before = r.chat.sent().len();
    let cmd = command("g1", Platform::Console, "founder", "kb gaps --since 7d");
    done(r.p.handle(cmd, now).await.unwrap());
    r.sender.tick(now + 1).await.unwrap();
    let reply = r.chat.sent()[before..]
        .iter()
        .map(|s| s.msg.reply.plain())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        reply.contains("Knowledge gaps in the last 7d: 10 unanswered questions in 3 groups"),
        "{reply}"
    );
    let list = |ids: &[i64]| {
        let mut ids = ids.to_vec();
        ids.sort_unstable();
        ids.iter()
            .map(|t| format!("#{t}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    assert!(
        reply.contains(&format!("1. 4 questions · tickets {}", list(&tickets[0]))),
        "{reply}"
    );
    for ids in &tickets[1..] {
        assert!(
            reply.contains(&format!("3 questions · tickets {}", list(ids))),
            "{reply}"
        );
    }
    let bad = command("g2", Platform::Console, "founder", "kb gaps --since soon");
    done(r.p.handle(bad, now).await.unwrap());
    r.sender.tick(now + 2).await.unwrap();
    let last = r.chat.sent().last().unwrap().msg.reply.plain();
    assert!(
        last.contains("--since") && last.contains("\"soon\""),
        "{last}"
    );
}

#[tokio::test]
async fn gaps_are_kept_with_their_commit_on_every_backend() {
    for db in support::backends().await {
        let s = &db.store;
        let t = open(s, &key("g-thread"), "cust", "dark mode?", 10).await;
        let gap = |at: i64, q: &str| KbGap {
            ticket: t.id,
            at,
            question: q.into(),
            reason: "no section".into(),
        };
        for (at, q) in [
            (100, "dark mode?"),
            (300, "night theme?"),
            (200, "mobile app?"),
        ] {
            s.commit(Commit {
                gaps: vec![gap(at, q)],
                now: at,
                ..Default::default()
            })
            .await
            .unwrap();
        }
        let all = s.kb_gaps(0, 10).await.unwrap();
        let order: Vec<&str> = all.iter().map(|g| g.question.as_str()).collect();
        assert_eq!(
            order,
            ["night theme?", "mobile app?", "dark mode?"],
            "newest first"
        );
        assert_eq!(all[0], gap(300, "night theme?"));
        assert_eq!(s.kb_gaps(150, 10).await.unwrap().len(), 2, "since");
        assert_eq!(s.kb_gaps(0, 1).await.unwrap().len(), 1, "limit");
        // A commit that fails writes no gap.
        let mut stale = t.clone();
        stale.version -= 1;
        let lost = s
            .commit(Commit {
                ticket: Some(stale),
                gaps: vec![gap(400, "lost?")],
                now: 400,
                ..Default::default()
            })
            .await;
        assert!(matches!(lost, Err(StoreError::Conflict(_))), "{lost:?}");
        assert_eq!(s.kb_gaps(0, 10).await.unwrap().len(), 3);
    }
}
