//! Answers customers can trust, end to end: a question the docs answer gets its section quoted; one
//! they do not answer gets no quote (a person follows up, with pages that may help); a problem report
//! gets an acknowledgement and a card for the team, never a how-to quote, and says so when a matching
//! alert is firing. A customer who says they tried and it failed is offered the section, not told it.

use crate::alerts::fixture;
use crate::pipeline::{Rig, done, message, rig};
use crate::support;
use std::sync::Arc;

#[tokio::test]
async fn a_question_the_docs_do_not_answer_gets_no_quote() {
    let db = support::sqlite().await;
    let r = rig(Arc::new(db.store.clone())).await;
    let o = done(
        r.p.handle(
            message(
                "u1",
                None,
                "cust",
                "is there a dark mode? my eyes hurt at night",
            ),
            1_000,
        )
        .await
        .unwrap(),
    );
    assert!(o.answer.is_none() && o.citations.is_empty(), "{o:?}");
    assert!(o.escalated, "{o:?}");
    while r.sender.tick(10_000).await.unwrap() > 0 {}
    let sent = r.chat.sent();
    let notice = sent
        .iter()
        .find(|m| m.msg.reply.plain().contains("A person will reply"))
        .expect("the customer is told a person follows up");
    assert!(
        !notice
            .msg
            .reply
            .plain()
            .contains("Here is what our docs say")
    );
    assert!(
        sent.iter()
            .any(|m| m.msg.reply.plain().contains("needs a person")),
        "the team gets the card: {sent:?}"
    );
}

#[tokio::test]
async fn a_clear_how_to_question_is_answered_with_its_section() {
    let db = support::sqlite().await;
    let r = rig(Arc::new(db.store.clone())).await;
    let o = done(
        r.p.handle(
            message("a1", None, "cust", "How do I reset my password?"),
            1_000,
        )
        .await
        .unwrap(),
    );
    let cited: Vec<&str> = o.citations.iter().map(|c| c.link.as_str()).collect();
    assert_eq!(
        cited,
        ["https://docs.example.com/account-password#reset-your-password"],
        "{o:?}"
    );
    assert!(o.suggestions.is_empty() && !o.escalated);
}

/// A question wrapped in its story ("the auditors want…. how do i…?") is judged on what it asks:
/// the story's words, which no section holds, do not hide the section that answers it; nor do the
/// words of another question asked beside it.
#[tokio::test]
async fn a_question_told_with_its_story_is_answered_from_what_it_asks() {
    let db = support::sqlite().await;
    // What the knowledge base quotes is under test, not the tier: the model is torn between tier 1
    // and tier 2 on the first story (0.66 / 0.27; told "…extra security on every tool", 0.43 /
    // 0.49), and unsure calls go to tier 2 by default.
    let mut s = support::settings();
    s.triage.confidence_threshold = 0.0;
    let p = support::pipeline_with(Arc::new(db.store.clone()), s).await;
    for (id, text, section) in [
        (
            "s1",
            "we onboarded our whole finance crew last week and the auditors want extra security. \
             how do i turn on two-factor authentication?",
            "account-password#two-factor-authentication",
        ),
        (
            "s2",
            "our accountant keeps nagging me about paperwork for the tax office. can i add our \
             VAT number to invoices?",
            "billing-payments#add-a-vat-number-or-company-address",
        ),
        // Two questions: the docs answer one of them whole, and the other's words are no reason
        // to withhold it.
        (
            "s3",
            "procurement keeps chasing vendor paperwork, are you hipaa certified? separately, how \
             do i add our VAT number to invoices?",
            "billing-payments#add-a-vat-number-or-company-address",
        ),
    ] {
        let o = done(
            p.handle(message(id, None, "cust", text), 1_000)
                .await
                .unwrap(),
        );
        let cited: Vec<&str> = o.citations.iter().map(|c| c.link.as_str()).collect();
        assert_eq!(
            cited,
            [format!("https://docs.example.com/{section}")],
            "{o:?}"
        );
    }
}

#[tokio::test]
async fn a_customer_who_tried_the_section_is_offered_it_not_answered_with_it() {
    let db = support::sqlite().await;
    let r = rig(Arc::new(db.store.clone())).await;
    let text = "How do I reset my password? I did it twice and it still does not work";
    let o = done(
        r.p.handle(message("a2", None, "cust", text), 1_000)
            .await
            .unwrap(),
    );
    assert!(o.answer.is_none() && o.citations.is_empty(), "{o:?}");
    assert!(o.escalated, "{o:?}");
    let offered: Vec<&str> = o.suggestions.iter().map(|c| c.link.as_str()).collect();
    assert_eq!(
        offered.first(),
        Some(&"https://docs.example.com/account-password#reset-your-password"),
        "the section is a page that may help: {o:?}"
    );
}

#[tokio::test]
async fn an_incident_gets_an_acknowledgement_and_a_card_instead_of_a_quote() {
    let db = support::sqlite().await;
    let r = rig(Arc::new(db.store.clone())).await;
    let report = "your api keeps returning 500 errors on /v1/invoices since this morning, is checkout broken?";
    let o = done(
        r.p.handle(message("i1", None, "cust", report), 1_000)
            .await
            .unwrap(),
    );
    assert_eq!(o.tier, Some(opsdesk::domain::Tier::Tier2), "{o:?}");
    assert!(o.answer.is_none() && o.citations.is_empty(), "{o:?}");
    assert!(o.escalated);
    let ack = acknowledgement(&r).await;
    assert!(!ack.contains("we're aware"), "no alert is firing: {ack}");
    let card = delivered(&r)
        .await
        .into_iter()
        .find(|t| t.contains("needs a person"))
        .expect("the team gets a card");
    assert!(card.contains("no matching alert firing"), "{card}");

    // With a matching alert firing, the customer hears that the team is on it.
    let mut firing =
        opsdesk::alerts::alertmanager::parse(&fixture("am-0.25-webhook-firing.json")).unwrap();
    firing.title = "CheckoutApi5xxHigh".into();
    r.p.on_alert_batch(&firing, None, 2_000).await.unwrap();
    let o = done(
        r.p.handle(message("i2", None, "cust2", report), 3_000)
            .await
            .unwrap(),
    );
    assert!(o.citations.is_empty() && o.escalated, "{o:?}");
    assert!(
        o.suggestions.is_empty(),
        "docs are no help with an outage: {o:?}"
    );
    let ack = acknowledgement(&r).await;
    assert!(ack.contains("we're aware, and the team is on it"), "{ack}");
    let sent = delivered(&r).await;
    let card = sent.iter().rfind(|t| t.contains("needs a person")).unwrap();
    assert!(card.contains("firing: CheckoutApi5xxHigh"), "{card}");
}

/// A problem report with no matching alert firing is handed to a person, and the troubleshooting
/// section about its symptom is offered meanwhile as a page that may help — never quoted as the answer.
#[tokio::test]
async fn a_problem_report_is_offered_the_troubleshooting_page_about_its_symptom() {
    let db = support::sqlite().await;
    let r = rig(Arc::new(db.store.clone())).await;
    let report = "the dashboard is blank since this morning, nothing loads at all";
    let o = done(
        r.p.handle(message("b1", None, "cust", report), 1_000)
            .await
            .unwrap(),
    );
    assert_eq!(o.tier, Some(opsdesk::domain::Tier::Tier2), "{o:?}");
    assert!(o.citations.is_empty() && o.escalated, "{o:?}");
    let blank = "troubleshooting-performance#dashboard-shows-a-blank-page";
    assert!(
        o.suggestions.iter().any(|c| c.link.ends_with(blank)),
        "{o:?}"
    );
    let ack = acknowledgement(&r).await;
    assert!(ack.contains("may help") && ack.contains(blank), "{ack}");
}

/// Delivers the outbox and returns the plain text of every message sent so far, oldest first.
pub(crate) async fn delivered(r: &Rig) -> Vec<String> {
    while r.sender.tick(10_000).await.unwrap() > 0 {}
    r.chat.sent().iter().map(|m| m.msg.reply.plain()).collect()
}

/// Delivers the outbox and returns the latest acknowledgement of a problem report sent so far.
pub(crate) async fn acknowledgement(r: &Rig) -> String {
    delivered(r)
        .await
        .into_iter()
        .rfind(|t| t.starts_with("Thanks for reporting this"))
        .expect("the customer is acknowledged")
}

/// The shipped word vectors find the section a customer describes in other words; without them
/// (a folder that cannot be loaded) the knowledge base still answers, by shared words alone.
#[test]
fn word_vectors_find_the_section_a_question_describes_in_other_words() {
    use opsdesk::domain::ports::KnowledgeBase;
    let mut s = support::settings();
    let kb = opsdesk::app::knowledge_base(&s.kb).unwrap();
    let q = "is paying for a whole year up front any cheaper?";
    let best = &kb.search(q, 3)[0];
    assert_eq!(best.id, "billing-plans#discounts", "{best:?}");
    assert_eq!(best.semantic_rank, Some(0), "{best:?}");
    assert!(best.similarity > 0.3, "{best:?}");
    s.kb.embeddings = "/nonexistent/vectors".into();
    let words_only = opsdesk::app::knowledge_base(&s.kb).unwrap();
    let hits = words_only.search(q, 3);
    assert!(hits.iter().all(|h| h.semantic_rank.is_none()), "{hits:?}");
    assert_ne!(
        hits[0].id, "billing-plans#discounts",
        "BM25 alone misses it"
    );
}

/// A 2 MB page is indexed in sections, and the answer quoted from it is an extract no longer than
/// `kb.answer_chars`, even from a section of hundreds of kilobytes.
#[tokio::test]
async fn a_two_megabyte_page_is_indexed_in_sections_and_quoted_in_short() {
    let dir = tempfile::tempdir().unwrap();
    let mut page = String::from("# Devices\n\n");
    for k in 0..180 {
        page.push_str(&format!("## Pair a sensor of model X{k}\n\n"));
        for _ in 0..60 {
            page.push_str(&format!(
                "Hold the X{k} button for three seconds until the light blinks, then choose \
                 Add device in the app and wait for the X{k} to appear in the list. "
            ));
        }
        page.push_str("\n\n");
    }
    page.push_str("## Replace the battery\n\n");
    while page.len() < 2_000_000 {
        page.push_str(
            "Open the back cover with a coin, take out the old CR2032 battery and put in a new \
             one with the plus side up; the sensor reconnects by itself within a minute. ",
        );
    }
    std::fs::write(dir.path().join("devices.md"), &page).unwrap();
    let db = support::sqlite().await;
    let mut s = support::settings();
    s.kb.path = dir.path().into();
    let p = support::pipeline_with(Arc::new(db.store.clone()), s.clone()).await;
    let hits =
        p.kb.search("how do I change the CR2032 battery of my sensor?", 3);
    assert_eq!(hits[0].id, "devices#replace-the-battery", "{hits:?}");
    assert!(hits[0].text.len() > 100_000, "the whole section is indexed");
    let o = done(
        p.handle(
            message(
                "b1",
                None,
                "cust",
                "how do I replace the CR2032 battery in the sensor?",
            ),
            1_000,
        )
        .await
        .unwrap(),
    );
    let answer = o.answer.clone().expect("the battery section is the answer");
    assert!(
        answer.chars().count() <= s.kb.answer_chars,
        "{} chars: {answer}",
        answer.chars().count()
    );
    assert_eq!(o.citations.len(), 1, "{o:?}");
}

/// Sections of one page share words, so neither leads on them; the one whose own heading names what
/// is asked does (*Generate an API key*, not *Authenticate requests*). `opsdesk ask` as a user runs
/// it, with the heading lead on (default) and off.
#[test]
fn a_section_whose_heading_names_the_question_leads_its_siblings() {
    use crate::cli::{opsdesk, stderr, stdout};
    let q = "hey, how do i make a new api key? the old intern has the only one";
    let cited = |env: &[(&str, &str)]| -> serde_json::Value {
        let o = opsdesk(&["ask", q, "--json"], env, None);
        assert!(o.status.success(), "{}", stderr(&o));
        let v: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
        v["citations"].clone()
    };
    let on = cited(&[]);
    assert_eq!(
        on[0]["link"], "https://docs.example.com/api-keys#generate-an-api-key",
        "{on}"
    );
    let off = cited(&[("OPSDESK__KB__MIN_HEADING_LEAD", "0")]);
    assert_eq!(off, serde_json::json!([]), "no lead on words or meaning");
}

/// Questions told with their story, as community members write them (`opsdesk kb eval`, as a user
/// runs it): every quote right, none on a question the docs cannot answer, and at least 13 of the 18
/// answerable ones quoted (12 before each question of a message was read on its own, and a colon
/// ended a sentence).
#[test]
fn questions_told_with_their_story_are_answered_and_nothing_else_is() {
    let r = &crate::kb_fresh::kb_report("tests/fixtures/kb/story-questions.jsonl", &[]);
    assert_eq!(r["lines"], 24, "{r}");
    assert_eq!(r["precision"], 1.0, "{r}");
    assert_eq!(r["false_answer_rate"], 0.0, "{r}");
    assert!(r["coverage"].as_f64().unwrap() >= 13.0 / 18.0 - 1e-9, "{r}");
}

/// Long messages that say much besides what they ask, and questions about features the sample docs
/// lack (`opsdesk kb eval`, as a user runs it): every quote right, none on a missing feature, and
/// the clear lead on relevance and meaning at once quotes one more at `kb.min_coverage` 0.4 (8 of
/// 21 answerable against 7 with it off).
#[test]
fn a_clear_lead_on_words_and_meaning_answers_a_wordy_message() {
    use crate::cli::{opsdesk, stderr, stdout};
    let data = "tests/fixtures/kb/wordy-questions.jsonl";
    let report = |env: &[(&str, &str)]| crate::kb_fresh::kb_report(data, env);
    let on = report(&[]);
    assert_eq!(on["lines"], 30, "{on}");
    assert_eq!(on["precision"], 1.0, "{on}");
    assert_eq!(on["false_answer_rate"], 0.0, "{on}");
    assert!(
        on["coverage"].as_f64().unwrap() >= 8.0 / 21.0 - 1e-9,
        "{on}"
    );
    // --verbose says, for an answerable line left unquoted, what came first and which bar held it.
    let o = opsdesk(&["kb", "eval", "--data", data, "--verbose"], &[], None);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(
        text.contains("first api-limits#rate-limits (right): coverage"),
        "{text}"
    );
    // At `kb.min_coverage` 0.4 the clear lead is what quotes that line; at the shipped 0.35 the
    // coverage bar quotes it too.
    let strict = [("OPSDESK__KB__MIN_COVERAGE", "0.4")];
    let with = report(&strict);
    let off = report(&[strict[0], ("OPSDESK__KB__CLEAR_MARGIN", "2")]);
    assert!(
        off["coverage"].as_f64().unwrap() < with["coverage"].as_f64().unwrap(),
        "{off} / {with}"
    );
}
