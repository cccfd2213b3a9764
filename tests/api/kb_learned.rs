//! Answers that become docs, end to end (customer on Discord, team on Slack): a question the docs do
//! not answer goes to a person; their reply, once they resolve the ticket, is offered in the card's
//! thread as a draft page, cleaned of contacts; approved, it is written under the learned folder and
//! indexed at once, and the next customer asking gets it quoted with its citation. A denied draft is
//! not offered again, and a folder that cannot be written fails the request with a clear message.

use super::desk::{Rig, click, customer, event, rig_with};
use crate::support::{self, chat::Sent};
use opsdesk::domain::{Approval, ApprovalKind, ApprovalState, EventKind, Platform};
use std::path::Path;
use std::sync::Arc;

async fn learning_rig(db: &support::TestDb, learned: &Path) -> Rig {
    let learned = learned.to_path_buf();
    rig_with(Arc::new(db.store.clone()), move |s| {
        s.kb.learned_path = learned;
        s.approvals.approvers = vec!["slack:UBEN".into()];
    })
    .await
}

/// A customer's question escalated, answered by Ana in the card's thread, and resolved by her: the
/// escalation card.
async fn answered_and_resolved(r: &Rig, id: &str, question: &str, answer: &str, at: i64) -> Sent {
    r.p.handle(customer(id, None, question), at).await.unwrap();
    r.deliver().await;
    let card = r.escalation_card();
    answer_and_resolve(r, &card, answer, at + 1).await;
    card
}

/// Ana's reply in the card's thread, then her click on Resolve.
async fn answer_and_resolve(r: &Rig, card: &Sent, answer: &str, at: i64) {
    let reply = event(
        Platform::Slack,
        "SESC",
        Some(&card.id),
        "UANA",
        EventKind::MessagePosted {
            text: answer.into(),
            mentioned: false,
        },
    );
    r.p.handle(reply, at).await.unwrap();
    let ticket = card.msg.reply.buttons()[0].value.clone();
    let resolve = click(
        Platform::Slack,
        "SESC",
        "UANA",
        "desk.resolve",
        &ticket,
        &card.id,
    );
    r.p.handle(resolve, at + 1).await.unwrap();
    r.deliver().await;
}

async fn drafts(r: &Rig) -> Vec<Approval> {
    let all = r.p.store.approvals(&[], 100).await.unwrap();
    all.into_iter()
        .filter(|a| a.kind == ApprovalKind::KbEntry)
        .collect()
}

/// Ben's vote on the draft (Approve, or Deny with a reason); then the approved page is written.
async fn vote(r: &Rig, a: &Approval, action: &str, input: Option<&str>, at: i64) -> Approval {
    let mut e = click(
        Platform::Slack,
        "SESC",
        "UBEN",
        action,
        &a.id.to_string(),
        "card",
    );
    if let EventKind::ButtonClicked { input: i, .. } = &mut e.kind {
        *i = input.map(String::from);
    }
    r.p.handle(e, at).await.unwrap();
    r.p.approvals_tick(at + 1).await.unwrap();
    // The vote's own task may be the one running it: wait for it to finish.
    for _ in 0..10_000 {
        let now = r.p.store.approval(a.id).await.unwrap().unwrap();
        if !matches!(
            now.state,
            ApprovalState::Approved | ApprovalState::Executing
        ) {
            r.deliver().await;
            return now;
        }
        tokio::task::yield_now().await;
    }
    panic!("approval #{} never finished", a.id);
}

#[tokio::test]
async fn an_approved_answer_becomes_a_page_the_next_customer_is_answered_from() {
    let db = support::sqlite().await;
    let dir = tempfile::tempdir().unwrap();
    let learned = dir.path().join("learned");
    let r = learning_rig(&db, &learned).await;
    let question = "hey team, is there a dark mode? my eyes hurt at night";
    let answer = "Hi C42-name, not yet: a dark theme ships with the March release. Until then, \
                  turn on your browser's forced dark colours. Write to ana@tallybird.example \
                  if it breaks a chart.\nCheers,\nUANA-name";
    let card = answered_and_resolved(&r, "m1", question, answer, 10).await;

    let [draft] = drafts(&r).await.try_into().unwrap();
    assert_eq!(draft.summary, "Add \"Is there a dark mode?\" to the docs");
    assert!(
        !draft.params.contains("ana@") && draft.params.contains("[email]"),
        "{}",
        draft.params
    );
    assert!(
        !draft.params.contains("C42") && !draft.params.contains("Cheers"),
        "{}",
        draft.params
    );
    let offer = r
        .slack
        .sent()
        .into_iter()
        .find(|s| {
            s.msg
                .reply
                .plain()
                .contains("Sign-off needed: Add \"Is there a dark mode?\"")
        })
        .expect("the draft is offered to the team");
    let shown = offer.msg.reply.plain();
    assert!(
        shown.contains("Heading: Is there a dark mode?\nAnswer: Not yet: a dark theme ships"),
        "{shown}"
    );
    assert_eq!(
        (offer.msg.channel.as_str(), offer.msg.thread.as_deref()),
        ("SESC", Some(card.id.as_str())),
        "in the escalation card's thread"
    );

    // Edited before approval: an empty answer is refused, a stranger cannot, Ben's text replaces it.
    let edited = "Not yet: a dark theme ships with the March release. Meanwhile, your browser's \
                  forced dark colours work on every dashboard.";
    for (i, (who, text)) in [
        ("UBEN", "   "),
        ("UBEN", "# Only a heading"),
        ("UANA", "anything"),
        ("UBEN", edited),
    ]
    .into_iter()
    .enumerate()
    {
        let (id, card) = (draft.id.to_string(), format!("view{i}"));
        let mut e = click(Platform::Slack, "SESC", who, "approval.edit", &id, &card);
        if let EventKind::ButtonClicked { input, .. } = &mut e.kind {
            *input = Some(text.into());
        }
        r.p.handle(e, 90).await.unwrap();
    }
    r.deliver().await;
    let refusals: Vec<String> = r.slack.sent().iter().map(|s| s.msg.reply.plain()).collect();
    assert!(
        refusals
            .iter()
            .any(|t| t.contains("An empty answer cannot become a page"))
    );
    assert!(refusals.iter().any(|t| t.contains("Only an approver")));
    let draft = r.p.store.approval(draft.id).await.unwrap().unwrap();
    assert!(
        draft.params.contains("Meanwhile, your browser"),
        "{}",
        draft.params
    );
    let done = vote(&r, &draft, "approval.approve", None, 100).await;
    assert_eq!(done.state, ApprovalState::Executed, "{:?}", done.result);
    let page = std::fs::read_to_string(learned.join("is-there-a-dark-mode.md")).unwrap();
    assert!(
        page.starts_with(
            "---\ntags: [learned]\n---\n# Is there a dark mode?\n\nNot yet: a dark theme ships"
        ),
        "{page}"
    );
    assert!(done.result.unwrap().contains("indexed"));

    // Another customer asks the same thing: the new page is the answer, with its citation.
    let other = event(
        Platform::Discord,
        "D1",
        None,
        "C77",
        EventKind::MessagePosted {
            text: "Is there a dark mode?".into(),
            mentioned: false,
        },
    );
    let o = match r.p.handle(other, 200).await.unwrap() {
        opsdesk::pipeline::Handled::Done(o) => o,
        h => panic!("{h:?}"),
    };
    let cited: Vec<&str> = o.citations.iter().map(|c| c.link.as_str()).collect();
    assert_eq!(
        cited,
        ["https://docs.example.com/is-there-a-dark-mode"],
        "{o:?}"
    );
    assert!(
        o.answer
            .unwrap()
            .contains("dark theme ships with the March release")
    );
}

#[tokio::test]
async fn a_denied_draft_is_not_offered_again_and_an_unwritable_folder_fails_clearly() {
    let db = support::sqlite().await;
    let dir = tempfile::tempdir().unwrap();
    let r = learning_rig(&db, &dir.path().join("learned")).await;
    let q = "can i export a dashboard to pdf for the board?";
    let card =
        answered_and_resolved(&r, "m1", q, "Print it to PDF from the browser for now.", 10).await;
    let ticket = card.msg.reply.buttons()[0].value.clone();
    let [draft] = drafts(&r).await.try_into().unwrap();
    // A first line "# …" changes the heading as well as the answer.
    let mut e = click(
        Platform::Slack,
        "SESC",
        "UBEN",
        "approval.edit",
        &draft.id.to_string(),
        "v",
    );
    if let EventKind::ButtonClicked { input, .. } = &mut e.kind {
        *input = Some("# Export a dashboard to PDF\nPrint it from the browser.".into());
    }
    r.p.handle(e, 15).await.unwrap();
    let draft = r.p.store.approval(draft.id).await.unwrap().unwrap();
    assert_eq!(
        draft.summary,
        "Add \"Export a dashboard to PDF\" to the docs"
    );
    assert!(
        draft
            .params
            .contains("\"body\":\"Print it from the browser.\""),
        "{}",
        draft.params
    );
    let denied = vote(
        &r,
        &draft,
        "approval.deny",
        Some("a workaround, not docs"),
        20,
    )
    .await;
    assert_eq!(denied.state, ApprovalState::Denied);
    assert_eq!(
        denied.deny_reason.as_deref(),
        Some("a workaround, not docs")
    );
    // The customer comes back in the same thread; Ana answers and resolves again: no second offer.
    r.p.handle(
        customer("m2", Some("m1"), "the pdf cuts off the charts"),
        30,
    )
    .await
    .unwrap();
    r.deliver().await;
    answer_and_resolve(&r, &card, "Use landscape in the print dialog.", 31).await;
    let t =
        r.p.store
            .ticket(ticket.parse().unwrap())
            .await
            .unwrap()
            .unwrap();
    assert_eq!(
        t.state,
        opsdesk::domain::TicketState::Resolved,
        "resolved twice"
    );
    assert_eq!(drafts(&r).await.len(), 1, "a ticket is offered once");

    // A learned folder under a file cannot be created: the request fails, saying why.
    let blocker = dir.path().join("not-a-folder");
    std::fs::write(&blocker, "x").unwrap();
    let db2 = support::sqlite().await;
    let r2 = learning_rig(&db2, &blocker.join("learned")).await;
    answered_and_resolved(
        &r2,
        "m9",
        "does it connect to jira?",
        "Not yet, through Zapier only.",
        10,
    )
    .await;
    let [draft] = drafts(&r2).await.try_into().unwrap();
    let failed = vote(&r2, &draft, "approval.approve", None, 20).await;
    assert_eq!(failed.state, ApprovalState::Failed);
    let why = failed.result.unwrap();
    assert!(
        why.contains("cannot create") && why.contains("not-a-folder"),
        "{why}"
    );
    let edit = r2
        .slack
        .sent()
        .into_iter()
        .rev()
        .find(|s| s.msg.reply.plain().contains("Failed: Add"))
        .expect("the card says it failed");
    assert!(
        edit.msg.reply.plain().contains("cannot create"),
        "{}",
        edit.msg.reply.plain()
    );
}
