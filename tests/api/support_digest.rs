//! The weekly support digest: at its local time (Europe/Paris), once across two replicas on one
//! database (every backend), with last week's figures against the week before — checked against the
//! tickets this test creates — the top knowledge gaps, the triage data available, and a chart of
//! tickets per day in the card's thread.

use crate::pipeline::{done, message};
use crate::support;
use opsdesk::domain::ports::*;
use opsdesk::domain::{Platform, Reply};
use opsdesk::finance::report::parse_date;
use opsdesk::pipeline::Pipeline;
use std::sync::Arc;

const H: i64 = 3_600_000;
const DAY: i64 = 24 * H;

async fn replica(store: &Arc<dyn Store>) -> Pipeline {
    let mut s = support::settings();
    s.support.timezone = "Europe/Paris".into();
    s.support.digest_cron = "0 9 * * MON".into();
    support::pipeline_with(store.clone(), s).await
}

#[tokio::test]
async fn the_weekly_support_digest_goes_out_once_with_the_weeks_figures_and_a_chart() {
    for db in support::backends().await {
        let store: Arc<dyn Store> = Arc::new(db.store.clone());
        let (a, b) = (replica(&store).await, replica(&store).await);
        // The digest of Mon 2026-11-23 – Sun 11-29 (Paris) goes out Monday 11-30 at 09:00 Paris.
        let week = parse_date("2026-11-23").unwrap() - H; // local midnight, UTC+1
        let before = message("p1", None, "c0", "How do I update my credit card?");
        done(a.handle(before, week - 5 * DAY).await.unwrap());
        for (id, user, text, day) in [
            ("w1", "c1", "How do I reset my password?", 1),
            ("w2", "c2", "I want a refund for last month", 2),
            ("w3", "c3", "hey, does tallybird have a dark mode?", 3),
            (
                "w4",
                "c4",
                "is dark mode on the roadmap? asking for my eyes",
                3,
            ),
        ] {
            let o = done(
                a.handle(message(id, None, user, text), week + day * DAY + 10 * H)
                    .await
                    .unwrap(),
            );
            assert_eq!(o.escalated, id != "w1", "{text}: {o:?}");
        }
        let nine = week + 7 * DAY + 9 * H;
        assert!(
            !a.support_tick(nine - 60_000).await.unwrap(),
            "not before 09:00"
        );
        let sent = [
            a.support_tick(nine).await.unwrap(),
            b.support_tick(nine).await.unwrap(),
        ];
        assert_eq!(
            sent.iter().filter(|s| **s).count(),
            1,
            "once across replicas: {sent:?}"
        );
        assert!(!b.support_tick(nine + H).await.unwrap());

        let out: Vec<_> = store
            .outbox_claim("probe", i64::MAX / 4, 60_000, 500)
            .await
            .unwrap();
        let digest = out
            .iter()
            .find(|i| i.msg.reply.plain().contains("Weekly support digest"))
            .expect("the digest");
        assert_eq!(
            (digest.msg.platform, digest.msg.channel.as_str()),
            (Platform::Console, "team")
        );
        let text = digest.msg.reply.plain();
        for want in [
            "Weekly support digest, 2026-11-23 to 2026-11-29",
            "Tickets: 4 (▲ 3 from 1)",
            "by tier: human 3 · tier1 1",
            "Answered by the bot alone: 1 (25%) · handed to people: 3 (▲ 3 from 0)",
            "Top knowledge gaps",
            "1. 2 × ",
            "Triage: ",
        ] {
            assert!(text.contains(want), "{want:?} in {text}");
        }
        let chart = out
            .iter()
            .find(|i| matches!(i.msg.reply, Reply::File { .. }))
            .expect("the chart");
        assert_eq!(chart.msg.thread, Some(format!("outbox:{}", digest.id)));
        let Reply::File { title, .. } = &chart.msg.reply else {
            unreachable!()
        };
        assert!(
            title.contains("Mon 23 0 · Tue 24 1 · Wed 25 1 · Thu 26 2 · Fri 27 0"),
            "{title}"
        );
        db.cleanup().await;
    }
}
