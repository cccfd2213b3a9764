//! Slack end to end: the real slack-morphism client (Socket Mode + Web API) against the fake Slack in
//! tests/support/slack.rs, with the whole runtime (inbox, pipeline, outbox, sender) in between.

use crate::support::TestDb;
use crate::support::app::TestApp;
use crate::support::slack::{BOT_USER, FakeSlack};
use opsdesk::domain::ports::{Store, ThreadKey};
use opsdesk::domain::{Platform, TicketState};
use opsdesk::runtime::Runtime;
use serde_json::Value;
use std::sync::Arc;

pub(crate) use crate::support::app::{
    SLACK_COMMUNITY as COMMUNITY, SLACK_ESCALATIONS as ESCALATIONS,
};
pub(crate) const QUESTION: &str = "How do I reset my password?";

pub struct Rig {
    pub fake: FakeSlack,
    pub rt: Runtime,
    pub store: Arc<dyn Store>,
    _db: TestDb,
}

pub(crate) async fn rig() -> Rig {
    rig_with(|_| {}).await
}

pub async fn rig_with(tune: impl FnOnce(&mut opsdesk::config::Settings)) -> Rig {
    let app = TestApp::new().slack().tune(tune).start().await;
    Rig {
        fake: app.slack.expect("started with Slack"),
        rt: app.rt,
        store: app.store,
        _db: app.db,
    }
}

impl Rig {
    /// Waits until every pushed envelope is acked, every stored event processed and the outbox empty.
    pub async fn settle(&self) {
        self.fake
            .wait_until("all envelopes acked", |f| f.unacked() == 0)
            .await;
        for _ in 0..600 {
            let unprocessed = self.store.inbox_unprocessed(i64::MAX, 1).await.unwrap();
            if unprocessed.is_empty() && self.store.outbox_depth().await.unwrap() == 0 {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        let unprocessed = self.store.inbox_unprocessed(i64::MAX, 10).await.unwrap();
        let failed: Vec<_> = self
            .fake
            .calls()
            .into_iter()
            .filter(|c| c.response["ok"] != true)
            .map(|c| (c.method, c.response))
            .collect();
        let rows: Vec<(i64, String, String, i64, i64)> =
            sqlx::query_as("SELECT id, state, body, not_before, attempts FROM outbox")
                .fetch_all(self._db.store.pool())
                .await
                .unwrap();
        eprintln!("outbox: {rows:#?}");
        panic!(
            "the pipeline did not settle: unprocessed {unprocessed:?}, outbox depth {}, failed calls {failed:?}",
            self.store.outbox_depth().await.unwrap()
        );
    }

    /// Successful posts in `channel`'s thread `ts`.
    pub fn replies_in(&self, channel: &str, ts: &str) -> Vec<Value> {
        self.fake
            .ok_calls("chat.postMessage")
            .into_iter()
            .filter(|c| c.channel() == channel && c.body["thread_ts"] == ts)
            .map(|c| c.body)
            .collect()
    }
}

pub(crate) fn button_ids(post: &Value) -> Vec<String> {
    post["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| b["type"] == "actions")
        .flat_map(|b| {
            b["elements"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["action_id"].as_str().unwrap().to_string())
        })
        .collect()
}

#[tokio::test]
async fn a_question_gets_a_threaded_answer_and_solved_edits_the_card() {
    let r = rig().await;
    assert_eq!(
        r.fake.ok_calls("auth.test")[0].auth.as_deref(),
        Some("Bearer xoxb-fake")
    );
    assert_eq!(
        r.fake.ok_calls("apps.connections.open")[0].auth.as_deref(),
        Some("Bearer xapp-fake")
    );
    let answer = the_answer_comes_in_the_thread_with_its_source(&r).await;
    solved_edits_the_card_and_resolves_the_ticket(&r, &answer).await;
    r.rt.stop().await;
}

/// The answer card, with its source and Solved / Talk to a human, in the question's thread.
async fn the_answer_comes_in_the_thread_with_its_source(r: &Rig) -> Value {
    r.fake.push(
        "events_api",
        FakeSlack::message("Ev1", COMMUNITY, "UCUST", "100.000001", None, QUESTION),
    );
    r.fake
        .wait_until("an answer in the thread", |f| {
            f.ok_calls("chat.postMessage")
                .iter()
                .any(|c| c.body["thread_ts"] == "100.000001")
        })
        .await;
    r.settle().await;
    let answers = r.replies_in(COMMUNITY, "100.000001");
    assert_eq!(answers.len(), 1);
    assert_eq!(
        button_ids(&answers[0]),
        vec!["ticket.solved", "ticket.human"]
    );
    let text = answers[0]["blocks"][0]["text"]["text"].as_str().unwrap();
    assert!(text.contains("From our docs"), "{text}");
    assert!(
        answers[0]["blocks"]
            .as_array()
            .unwrap()
            .iter()
            .any(|b| b["type"] == "context" && b.to_string().contains("Source"))
    );
    // Offline the message is answered before Slack is acknowledged: there is no wait to show 👀 for.
    assert!(r.fake.ok_calls("reactions.add").is_empty());
    answers[0].clone()
}

async fn solved_edits_the_card_and_resolves_the_ticket(r: &Rig, answer: &Value) {
    let card_ts = r.fake.ok_calls("chat.postMessage")[0].response["ts"]
        .as_str()
        .unwrap()
        .to_string();
    let value = answer["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["type"] == "actions")
        .unwrap()["elements"][0]["value"]
        .clone();
    r.fake.push(
        "interactive",
        FakeSlack::click(
            COMMUNITY,
            "UCUST",
            &card_ts,
            Some("100.000001"),
            "ticket.solved",
            value.as_str().unwrap(),
            "200.1",
        ),
    );
    r.fake
        .wait_until("the card is edited", |f| {
            f.ok_calls("chat.update")
                .iter()
                .any(|c| c.body["ts"] == card_ts.as_str())
        })
        .await;
    r.settle().await;
    let key = ThreadKey {
        platform: Platform::Slack,
        channel: COMMUNITY,
        thread: "100.000001",
    };
    assert_eq!(
        r.store.find_ticket(&key).await.unwrap().unwrap().state,
        TicketState::Resolved
    );
    let update = &r.fake.ok_calls("chat.update")[0].body;
    assert!(
        button_ids(update).is_empty(),
        "the edited card has no buttons left: {update}"
    );
    let edited = update.to_string();
    assert!(
        edited.contains("From our docs") && edited.contains("Marked solved by UCUST-name"),
        "the answer stays, the outcome is added: {edited}"
    );
}

/// With a model to wait for, the message is stored and acknowledged first, then worked on under 👀.
#[tokio::test]
async fn with_an_llm_the_message_is_acknowledged_first_and_marked_while_worked_on() {
    let llm = crate::support::openai::FakeOpenAi::start(vec![crate::support::openai::Step::Answer(
        "Click \"Forgot password?\" on the sign-in page [kb:account-password#reset-your-password].",
    )])
    .await;
    let r = rig_with(|s| {
        let a = s.llm.agents.get_mut("tier1").unwrap();
        a.base_url = llm.base_url.clone();
        a.model = "gpt-test".into();
        a.api_key_env = "PATH".into();
    })
    .await;
    r.fake.push(
        "events_api",
        FakeSlack::message("Ev9", COMMUNITY, "UCUST", "100.000009", None, QUESTION),
    );
    r.fake
        .wait_until("the answer", |f| {
            f.ok_calls("chat.postMessage")
                .iter()
                .any(|c| c.body["thread_ts"] == "100.000009")
        })
        .await;
    r.settle().await;
    assert_eq!(
        r.fake.ok_calls("reactions.add")[0].body["timestamp"],
        "100.000009"
    );
    assert_eq!(r.fake.ok_calls("reactions.remove").len(), 1);
    assert!(
        r.replies_in(COMMUNITY, "100.000009")[0]
            .to_string()
            .contains("Forgot password")
    );
    r.rt.stop().await;
}

#[tokio::test]
async fn chit_chat_is_ignored_but_a_mention_gets_a_reply_once() {
    let r = rig().await;
    r.fake.push(
        "events_api",
        FakeSlack::message(
            "Ev20",
            COMMUNITY,
            "UCUST",
            "600.000001",
            None,
            "anyone watching the game tonight?",
        ),
    );
    r.settle().await;
    assert!(r.fake.ok_calls("chat.postMessage").is_empty());
    // A mention arrives twice: as a message and as an app_mention. One reply.
    let text = format!("<@{BOT_USER}> anyone watching the game tonight?");
    r.fake.push(
        "events_api",
        FakeSlack::message("Ev21", COMMUNITY, "UCUST", "600.000002", None, &text),
    );
    let mut mention = FakeSlack::message("Ev22", COMMUNITY, "UCUST", "600.000002", None, &text);
    mention["event"]["type"] = "app_mention".into();
    r.fake.push("events_api", mention);
    r.settle().await;
    assert_eq!(r.replies_in(COMMUNITY, "600.000002").len(), 1);
    // The bot's own messages and edits come back as events too: ignored.
    let mut own = FakeSlack::message("Ev23", COMMUNITY, BOT_USER, "600.000003", None, QUESTION);
    own["event"]["bot_id"] = "BBOT".into();
    r.fake.push("events_api", own);
    let mut edit = FakeSlack::message("Ev24", COMMUNITY, "UCUST", "600.000004", None, QUESTION);
    edit["event"]["subtype"] = "message_changed".into();
    r.fake.push("events_api", edit);
    r.settle().await;
    assert_eq!(
        r.fake.ok_calls("chat.postMessage").len(),
        1 + 1,
        "the mention's reply and its escalation card only"
    );
    r.rt.stop().await;
}
