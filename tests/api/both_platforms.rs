//! One opsdesk process on Slack and Discord at once: a customer's question on each platform is
//! answered in its own thread there, and the tickets are kept apart by platform.

use crate::support::app::{SLACK_COMMUNITY, TestApp};
use crate::support::discord::TEXT;
use crate::support::slack::FakeSlack;
use opsdesk::domain::Platform;
use opsdesk::domain::ports::TicketFilter;

const QUESTION: &str = "How do I reset my password?";
const CUSTOMER: u64 = 2001;

#[tokio::test]
async fn one_process_answers_customers_on_slack_and_discord() {
    let app = TestApp::new().slack().discord().start().await;

    app.slack().push(
        "events_api",
        FakeSlack::message(
            "Ev1",
            SLACK_COMMUNITY,
            "UCUST",
            "100.000001",
            None,
            QUESTION,
        ),
    );
    let on_discord = app.discord().post(TEXT, CUSTOMER, QUESTION);
    app.slack()
        .wait_until("the Slack answer", |f| {
            f.ok_calls("chat.postMessage")
                .iter()
                .any(|c| c.body["thread_ts"] == "100.000001")
        })
        .await;
    app.discord()
        .wait_until("the Discord answer", |f| {
            !f.bot_posts_in(on_discord).is_empty()
        })
        .await;
    app.settle().await;

    let tickets = app
        .store
        .tickets(&TicketFilter {
            states: vec![],
            limit: 10,
        })
        .await
        .expect("tickets");
    let mut platforms: Vec<Platform> = tickets.iter().map(|t| t.platform).collect();
    platforms.sort_by_key(|p| p.as_str());
    assert_eq!(platforms, [Platform::Discord, Platform::Slack]);
    assert_eq!(
        app.discord().bot_posts_in(on_discord).len(),
        1,
        "one answer on Discord"
    );
    assert!(
        app.slack()
            .ok_calls("chat.postMessage")
            .iter()
            .all(|c| c.channel() == SLACK_COMMUNITY),
        "nothing of the Discord ticket reaches Slack"
    );
    app.rt.stop().await;
}
