//! Finance digests: sent at the scheduled local time (Europe/Paris) and once however often the clock
//! ticks; the weekly one carries its MRR chart (a PNG) in the digest's thread; Sign off records the
//! signer on the card; Flag asks why and opens a thread; `/ops finance` reports any period on demand.

use super::finance_month::month;
use crate::support;
use opsdesk::domain::ports::*;
use opsdesk::domain::{Approval, ApprovalState, Event, EventKind, Reply};
use opsdesk::finance::report::parse_date;
use opsdesk::pipeline::Pipeline;
use std::sync::Arc;

const H: i64 = 3_600_000;

async fn rig(db: &support::TestDb) -> (Pipeline, Arc<dyn Store>) {
    let store: Arc<dyn Store> = Arc::new(db.store.clone());
    let mut s = support::settings();
    s.finance.timezone = "Europe/Paris".into();
    s.finance.daily_cron = "0 8 * * *".into();
    s.finance.weekly_cron = "30 8 * * MON".into();
    s.approvals.approvers = vec!["console:founder".into()];
    let p = support::pipeline_with(store.clone(), s).await;
    for e in month() {
        let e = opsdesk::finance::stripe::parse_event(e.to_string().as_bytes()).unwrap();
        p.on_stripe_event(&e, None, 0).await.unwrap();
    }
    (p, store)
}

fn click(id: &str, action: &str, value: i64, input: Option<&str>) -> Event {
    let kind = EventKind::ButtonClicked {
        action: action.into(),
        value: value.to_string(),
        message: "m".into(),
        input: input.map(String::from),
    };
    support::console_event(id, "finance", "founder", kind)
}

async fn pending(store: &Arc<dyn Store>) -> Vec<Outbound> {
    store
        .outbox_claim("probe", i64::MAX / 4, 60_000, 100)
        .await
        .unwrap()
        .into_iter()
        .map(|i| i.msg)
        .collect()
}

#[tokio::test]
async fn digests_go_out_at_local_time_once_with_a_chart_and_a_sign_off() {
    let db = support::sqlite().await;
    let (p, store) = rig(&db).await;
    let monday = parse_date("2026-11-30").unwrap(); // 08:00 in Paris is 07:00 UTC in winter
    each_digest_goes_out_once_at_its_local_time(&p, monday).await;
    let sent = pending(&store).await;
    the_cards_tell_the_period_and_ask_for_sign_off(&sent);
    the_weekly_chart_is_in_the_digests_thread(&sent);
    let digests = store
        .approvals(&[ApprovalState::Pending], 10)
        .await
        .unwrap();
    signing_off_records_who_signed(&p, &store, &digests, monday).await;
    a_flag_puts_its_reason_on_the_card_and_in_the_thread(&p, &store, &digests, monday).await;
}

async fn each_digest_goes_out_once_at_its_local_time(p: &Pipeline, monday: i64) {
    assert_eq!(
        p.finance_tick(monday + 7 * H - 60_000).await.unwrap(),
        0,
        "07:59 in Paris: not yet"
    );
    assert_eq!(
        p.finance_tick(monday + 7 * H).await.unwrap(),
        1,
        "08:00: the daily digest"
    );
    assert_eq!(
        p.finance_tick(monday + 7 * H + 60_000).await.unwrap(),
        0,
        "once"
    );
    assert_eq!(
        p.finance_tick(monday + 7 * H + H / 2).await.unwrap(),
        1,
        "08:30 on Monday: the weekly digest"
    );
    assert_eq!(p.finance_tick(monday + 9 * H).await.unwrap(), 0);
}

fn the_cards_tell_the_period_and_ask_for_sign_off(sent: &[Outbound]) {
    let cards: Vec<&Outbound> = sent
        .iter()
        .filter(|o| matches!(o.reply, Reply::Card(_)) && o.reply.plain().starts_with("📊"))
        .collect();
    assert_eq!(cards.len(), 2);
    assert!(
        cards.iter().all(|o| o.channel == "finance"),
        "digests go to the finance channel"
    );
    let daily = cards[0].reply.plain();
    assert!(
        daily.starts_with("📊 Daily finance digest, 2026-11-29"),
        "{daily}"
    );
    let weekly = cards[1].reply.plain();
    assert!(
        weekly.starts_with("📊 Weekly finance digest, 2026-11-23 to 2026-11-29"),
        "{weekly}"
    );
    // The week of Nov 23–29 (Paris): the dispute opened on the 25th, nothing else moved; MRR as on Nov 30.
    assert!(
        weekly.contains("*USD* MRR 325.00 USD (unchanged)")
            && weekly.contains("disputes 1 (50.00 USD)"),
        "{weekly}"
    );
    assert_eq!(
        cards[1]
            .reply
            .buttons()
            .iter()
            .map(|b| b.label.as_str())
            .collect::<Vec<_>>(),
        ["Sign off", "Flag"]
    );
}

fn the_weekly_chart_is_in_the_digests_thread(sent: &[Outbound]) {
    let chart = sent
        .iter()
        .find(|o| matches!(o.reply, Reply::File { .. }))
        .expect("the weekly chart");
    let Reply::File {
        name,
        data_b64,
        title,
    } = &chart.reply
    else {
        panic!()
    };
    assert_eq!(name, "mrr-usd-12-weeks.png");
    assert!(
        title.starts_with("MRR (USD), last 12 weeks: 0.00 USD")
            && title.ends_with("325.00 USD → 325.00 USD"),
        "{title}"
    );
    assert!(
        chart
            .thread
            .as_deref()
            .is_some_and(|t| t.starts_with("outbox:")),
        "in the digest's thread"
    );
    use base64::Engine;
    assert!(
        base64::engine::general_purpose::STANDARD
            .decode(data_b64)
            .unwrap()
            .starts_with(b"\x89PNG")
    );
}

/// Sign off: the card records who signed.
async fn signing_off_records_who_signed(
    p: &Pipeline,
    store: &Arc<dyn Store>,
    digests: &[Approval],
    monday: i64,
) {
    let weekly_id = digests
        .iter()
        .find(|a| a.summary.starts_with("Weekly"))
        .unwrap()
        .id;
    p.handle(
        click("c1", "approval.approve", weekly_id, None),
        monday + 10 * H,
    )
    .await
    .unwrap();
    let a = support::finished(p, weekly_id).await;
    assert_eq!(
        (a.state, a.approved_by.clone()),
        (ApprovalState::Executed, vec!["console:founder".to_string()])
    );
    let edits: Vec<String> = pending(store)
        .await
        .into_iter()
        .filter(|o| matches!(o.op, OutboundOp::Update { .. }))
        .map(|o| o.reply.plain())
        .collect();
    assert!(
        edits
            .iter()
            .any(|e| e.starts_with("✅ Signed off: Weekly finance digest")
                && e.contains("Signed off by: console:founder (1 of 1)")),
        "{edits:?}"
    );
}

/// Flag: the reason goes on the card and into the digest's thread.
async fn a_flag_puts_its_reason_on_the_card_and_in_the_thread(
    p: &Pipeline,
    store: &Arc<dyn Store>,
    digests: &[Approval],
    monday: i64,
) {
    let daily_id = digests
        .iter()
        .find(|a| a.summary.starts_with("Daily"))
        .unwrap()
        .id;
    p.handle(
        click("c2", "approval.deny", daily_id, Some("cash looks low")),
        monday + 11 * H,
    )
    .await
    .unwrap();
    let after = pending(store).await;
    assert!(
        after
            .iter()
            .any(|o| o.reply.plain().starts_with("🚩 Flagged: Daily")
                && o.reply.plain().contains("cash looks low")),
        "{after:?}"
    );
    assert!(after.iter().any(|o| {
        o.thread
            .as_deref()
            .is_some_and(|t| t.starts_with("outbox:"))
            && o.reply.plain().contains("cash looks low")
    }));
}

#[tokio::test]
async fn ops_finance_reports_this_month_so_far() {
    let db = support::sqlite().await;
    let (p, store) = rig(&db).await;
    let ev = Event {
        id: "ops-fin".into(),
        channel: "community".into(),
        kind: EventKind::CommandInvoked {
            name: "ops".into(),
            args: "finance month".into(),
        },
        ..click("x", "", 0, None)
    };
    p.handle(ev, parse_date("2026-11-30").unwrap() + 12 * H)
        .await
        .unwrap();
    let out = pending(&store)
        .await
        .into_iter()
        .map(|o| o.reply.plain())
        .find(|t| {
            t.contains("Finance this month so far, Sun 2026-11-01 00:00 → 13:00 Europe/Paris")
        })
        .expect("a report");
    // Since Nov 1 00:00 in Paris (Oct 31 23:00 UTC) until now: G's annual plan and the others are in.
    assert!(
        out.contains("MRR                325.00 USD  (from 230.00 USD"),
        "{out}"
    );
}
