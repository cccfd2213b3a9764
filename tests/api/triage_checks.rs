//! Triage on check sets written after the phrases they test were chosen, each scored once:
//! follow-ups, newcomers and billing disputes (`tests/fixtures/triage/`).

use crate::triage_fixtures::{built_in_triager, tally};
use opsdesk::domain::tier::TriageReason;

/// `file`'s tally, checked: `lines` lines, at most `ignored` support lines called chatter, at
/// least `silent` chatter lines kept silent and at most `person` non-human lines sent to a person.
async fn scored(file: &str, lines: usize, ignored: usize, silent: usize, person: usize) {
    let t = tally(file).await;
    assert_eq!(t.lines, lines, "{file}");
    assert!(
        t.ignored <= ignored,
        "{file}: {} support lines ignored",
        t.ignored
    );
    let kept = t.none - t.ignored;
    assert!(kept >= silent, "{file}: {kept} chatter lines silent");
    assert!(t.person <= person, "{file}: {} sent to a person", t.person);
}

/// Customers follow up ("any update on my ticket?", "still no answer to my email"), look for the
/// support team and ask whether a fault is just theirs; none of it is chatter. Of these 28 (and 10
/// lines of community chatter beside them), written after the follow-up phrases of
/// `triage.support_phrases` were chosen and scored once, 4 were called chatter before those
/// phrases and 1 after ("what response time do you guarantee on enterprise?"); the chatter kept 9
/// of 10 silent either way. Newcomers' questions ("where do i even start?", "is there documentation
/// for…"), 20 beside 10 greetings, written and scored the same way: 2 → 1 called chatter, the
/// greetings all silent.
#[tokio::test]
async fn follow_ups_and_calls_for_support_are_not_chatter() {
    // "opened a support ticket 4 days ago, nobody has replied" goes to a person: nobody answering
    // is anger at the service (`human_phrases`), and the desk hands such a follow-up to one anyway.
    scored("follow-ups-check.jsonl", 38, 1, 9, 1).await;
    scored("newcomers-check.jsonl", 30, 1, 10, 0).await;
}

/// Billing disputes go to a person however they are worded ("billed us twice", "two charges",
/// "double billed"), and questions about billing and data sources are answered. Of 10 disputes and
/// 10 billing and data-source questions written after the dispute phrases and "data source*" were
/// chosen and scored once, 8 → 9 disputes went to a person ("we cancelled in march and were still
/// charged in april, we want that reversed" did not: banking77 reverses transfers too) and 1 → 0
/// questions were called chatter ("how do i remove a data source we no longer use").
#[tokio::test]
async fn billing_disputes_go_to_a_person_and_billing_questions_do_not() {
    let t = tally("billing-disputes-check.jsonl").await;
    assert_eq!(t.lines, 20);
    assert!(
        t.humans >= 9,
        "{} of 10 disputes sent to a person",
        t.humans
    );
    assert_eq!(t.ignored, 0, "no question is chatter");
    assert_eq!(t.person, 0, "no billing question needs a person");
    assert!(t.agreement >= 0.9, "agreement {:.3}", t.agreement);
}

/// What stopped arriving is support ("customers aren't receiving their password reset emails").
/// Of 15 such reports and 8 lines of chatter written after those phrases were chosen and scored
/// once, none of the reports was chatter before or after; "not getting" then made "not getting
/// much sleep with this launch lol" support and was left out (so this set saw that choice). One
/// chatter line is answered either way ("my package from the conference store finally arrived").
#[tokio::test]
async fn what_stopped_arriving_is_support() {
    let t = tally("not-arriving-check.jsonl").await;
    assert_eq!(t.lines, 23);
    assert_eq!(t.ignored, 0, "no report is chatter");
    assert!(t.none >= 7, "{} of 8 chatter lines silent", t.none);
    assert_eq!(t.person, 0, "none needs a person");
}

/// Promotion — services for hire, lead generation, NFT drops, trading channels — is spam: silent,
/// logged and counted, whatever product words it uses ("I can build your website for cheap").
/// Questions about partners, resellers and referrals are not. Of 12 promotions and 10 such
/// questions written after the promotion phrases of `triage.spam_phrases` were chosen (by the same
/// hand, so they share their wording) and scored once, 6 → 12 promotions were silent; no question
/// was.
#[tokio::test]
async fn promotion_is_spam_and_questions_about_partners_are_not() {
    let t = tally("promotion-check.jsonl").await;
    assert_eq!((t.lines, t.none, t.ignored), (22, 12, 0));
    spam_exactly_where_labelled_none("promotion-check.jsonl").await;
}

/// Phrases spammers and customers share ("telegram channel", "lead generation", "partnership
/// opportunities", "development services") are `~` entries of `triage.spam_phrases`: spam only in
/// a message that asks nothing. Of 12 questions and reports and 12 promotions that use them,
/// written after that rule was chosen and scored once, the questions went from all silent to all
/// support, and every promotion stays silent as spam.
#[tokio::test]
async fn a_question_in_a_spammers_words_is_support() {
    let t = tally("promotion-inquiries-check.jsonl").await;
    assert_eq!((t.lines, t.none, t.ignored, t.person), (24, 12, 0, 0));
    spam_exactly_where_labelled_none("promotion-inquiries-check.jsonl").await;
}

/// Every line of `file` labelled `none` is spam to the built-in triage, and no other line is.
async fn spam_exactly_where_labelled_none(file: &str) {
    let triager = built_in_triager().await;
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/triage/");
    for line in std::fs::read_to_string(format!("{path}{file}"))
        .unwrap()
        .lines()
    {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let text = v["text"].as_str().unwrap();
        let spam = matches!(triager.triage(text).reason, TriageReason::Spam(_));
        assert_eq!(spam, v["tier"] == "none", "{text}");
    }
}

/// A customer about to leave goes to a person ("we are seriously considering switching to a
/// competitor" was chatter); switching plans, themes or warehouses and asking for an alternative
/// feature do not. Of 10 churn threats and 10 such questions written after the churn phrases of
/// `triage.human_phrases` were chosen (by the same hand) and scored once: 0 → 9 threats sent to a
/// person, 2 → 0 called chatter, no question sent to one.
#[tokio::test]
async fn a_customer_about_to_leave_goes_to_a_person() {
    let t = tally("churn-check.jsonl").await;
    assert_eq!(t.lines, 20);
    assert!(t.humans >= 9, "{} of 10 threats sent to a person", t.humans);
    assert_eq!((t.ignored, t.person), (0, 0));
}

/// A reaction alone ("same", "oof", "me too") is chatter: "same" paged a person (P(human) 0.52)
/// and "oof" and "yikes" were answered. Of 15 reactions and 10 short messages that say something
/// ("same, getting a 502", "help?", "refund please"), written after the reaction words were chosen
/// and scored once, all 15 reactions are silent and every short message is support.
#[tokio::test]
async fn a_reaction_alone_is_chatter() {
    let t = tally("reactions-check.jsonl").await;
    assert_eq!((t.lines, t.none, t.ignored, t.humans), (25, 15, 0, 1));
}

/// Charts are the app's screens: "how do i make a pie chart" was chatter. Of 12 chart questions
/// and reports and 6 chatter lines that use the same words (written to trip them: "legend has it
/// the coffee machine still works"), written after the chart phrases were chosen and scored once:
/// 4 → 0 questions called chatter, and 5 → 2 chatter lines silent, a trade the costs take.
#[tokio::test]
async fn questions_about_charts_are_support() {
    let t = tally("charts-check.jsonl").await;
    assert_eq!((t.lines, t.ignored, t.person), (18, 0, 0));
    assert!(t.none >= 2, "{} of 6 chatter lines silent", t.none);
}

/// Asking for a call is asking for a person ("could we get on a call this week"); a call in the
/// app, the API or a phone is not. Of 8 asks and 8 such questions written after the call phrases
/// of `triage.human_phrases` were chosen (by the same hand) and scored once: 0 → 8 asks sent to a
/// person (2 were chatter), no question sent to one.
#[tokio::test]
async fn asking_for_a_call_is_asking_for_a_person() {
    let t = tally("call-requests-check.jsonl").await;
    assert_eq!((t.lines, t.humans, t.ignored, t.person), (16, 8, 0, 0));
}

/// An ask to be phoned in other words ("can someone call me back", "give us a call", "ring me")
/// goes to a person too, and "call me" in a product question or in chatter does not. Worded on 16
/// lines written to find the failure (0 → 7 of 8 asks to a person); of 12 written before and
/// scored once, 2 → 5 of 6 asks go to a person ("someone from tallybird to call her" does not),
/// none of the 3 questions about phone calls does and the 3 chatter lines stay silent.
#[tokio::test]
async fn an_ask_to_be_phoned_goes_to_a_person() {
    let t = tally("call-asks.jsonl").await;
    // "is there a number i can call? or can someone call us" is chatter to the model (P 0.96).
    assert_eq!((t.lines, t.humans, t.person, t.ignored), (16, 7, 0, 1));
    assert_eq!(t.none, 6, "5 chatter lines and that ask");
    let t = tally("call-asks-check.jsonl").await;
    assert_eq!((t.lines, t.humans, t.person, t.ignored), (12, 5, 0, 0));
    assert_eq!(t.none, 3);
}

/// The same reports in other words ("the invoice for november never came", "new rows aren't
/// showing up on the dashboard", "how do i stop getting the weekly summary emails") are the
/// model's already: of 20 written for this and 10 lines of chatter that use the same words, 1
/// report was chatter ("can i stop receiving notifications on weekends?") and 8 chatter lines were
/// silent. Thirty-two more phrases ("never came", "didn't show up", "not coming through", "stop
/// getting", …), chosen before this set was written and scored once with it, took the reports to
/// 0 called chatter and the chatter to 1 of 10 silent ("half the team didn't show up to standup
/// today"), so they were not kept; this keeps the model's figures.
#[tokio::test]
async fn reports_of_what_never_showed_up_are_the_models() {
    scored("not-showing-up-check.jsonl", 30, 1, 8, 0).await;
}

/// What a product works with, is certified for and offers is support: of 20 such questions
/// ("are you hipaa compliant?", "can i write raw sql for a chart", "how do i join the affiliate
/// program") written after those phrases of `triage.support_phrases` were chosen and scored once,
/// the model alone called 11 chatter, the phrases none. The 10 chatter lines beside them were
/// written to trip the same words ("learning sql on weekends for fun", "just got certified as a
/// scuba diver"): 10 silent before, 2 after — the price of never ignoring the questions, which no
/// line of HWU64 or the chatter fixtures pays.
#[tokio::test]
async fn what_a_product_works_with_and_is_certified_for_is_support() {
    scored("capabilities-check.jsonl", 30, 0, 2, 1).await;
}

/// Short questions about a product's screens, plans and accounts ("where's the setting for
/// business hours", "which browsers do you support"): the shipped model calls 5 of 40 chatter and
/// keeps 19 of 20 chatter and off-topic lines silent. A model retrained on 144 such questions took
/// that to 2–3 of 40 and 20 of 20 but cost silence on off-topic topics it never saw, so it was not
/// shipped (docs/triage.md); this keeps the shipped figures from getting worse.
#[tokio::test]
async fn short_questions_about_a_products_screens_are_mostly_support() {
    scored("product-questions-check.jsonl", 60, 5, 19, 0).await;
}

/// A product's screens, plans and metrics ("any hotkeys for switching between dashboards?", "does
/// the mrr chart include annual plans", "do you have a data center in australia"): of 20 written
/// after those phrases were chosen and scored once, 4 were chatter before them and none after; of
/// 10 chatter lines written to trip the words ("the butter churn at my grandma's farm"), 7 → 2
/// stay silent.
#[tokio::test]
async fn a_products_screens_plans_and_metrics_are_support() {
    scored("screens-check.jsonl", 30, 0, 2, 1).await;
}

/// Thanks for help given ("thanks for all your help yesterday!") is chatter, though "help" alone
/// is a call for it: of 10 such lines, written after the thanks phrases of `triage.praise_phrases`
/// were chosen and scored once, 1 was silent before them and 9 after; the 10 that also ask, report
/// or want a person ("thanks for your help, but the export still fails") are all support, and
/// only the two that want a person go to one.
#[tokio::test]
async fn thanks_for_help_is_chatter_and_thanks_with_a_question_is_not() {
    scored("thanks-check.jsonl", 20, 0, 9, 0).await;
}

/// "Down" and "slowly" report outages and slow pages, and are everyday words too ("turn the radio
/// down", "slow down, you're talking too fast", "could you speak a little more slowly"). Of 15
/// reports and settings questions and 15 chatter lines written to trip the words, scored once with
/// the everyday senses (`!` entries of `triage.support_phrases`) as first chosen: chatter silent
/// 0 → 13, but two settings questions ("can we turn the alert threshold down to 80 percent") were
/// called chatter; with "turn … down" narrowed to what a home assistant turns down (volume, music,
/// lights, heat…), 14 silent and none ignored.
#[tokio::test]
async fn down_and_slowly_in_their_everyday_senses_are_chatter() {
    scored("down-check.jsonl", 30, 0, 14, 0).await;
}

/// What people ask a voice assistant (dining, cars, travel, pay slips, small talk, its own voice and
/// name) is not a support request: of 383 such requests written before the thanks and
/// everyday-sense rules, 334 were silent before them and 337 after; 4 go to a person ("are you a
/// real person", "the airline lost my luggage what do i do").
#[tokio::test]
async fn what_people_ask_a_voice_assistant_is_mostly_silent() {
    scored("assistant-requests-check.jsonl", 383, 0, 337, 4).await;
}

/// "Help" is a call for help, unless the model is sure the message is chatter
/// (`triage.sure_none_threshold`): of 10 calls for help and 10 requests for help with everyday
/// things ("help me find a recipe for lentil soup"), written after the threshold was chosen and
/// scored once, no call is ignored and 3 of the 10 requests are silent (none before).
#[tokio::test]
async fn help_is_support_unless_the_model_is_sure_of_chatter() {
    scored("help-check.jsonl", 20, 0, 3, 0).await;
}

/// A question about GDPR compliance is a question; a request under the law needs a person: of 8
/// each, written after the GDPR phrases of `triage.human_phrases` were narrowed from "gdpr" alone
/// and scored once, the questions went from a person to tier 1 and the requests all reach one.
#[tokio::test]
async fn gdpr_questions_are_questions_and_gdpr_requests_need_a_person() {
    let t = tally("gdpr-check.jsonl").await;
    assert_eq!((t.lines, t.person, t.humans, t.ignored), (16, 0, 8, 0));
}

/// Anger at the service goes to a person ("paying $400 a month for a dashboard that times out every
/// morning. pathetic"); a word of anger in everyday talk does not make chatter a ticket. Of 12 angry
/// customers, 8 calm questions and reports and 10 lines of chatter written to trip the same words,
/// written after the anger phrases of `triage.human_phrases` were chosen (by the same hand) and
/// scored once: angry customers sent to a person 1 → 12; the 7 chatter lines the model keeps silent
/// stay silent, but the 3 it answers ("my printer at home is useless") now go to a person, and so
/// does one calm question ("disappointing that the free plan lost the api access, …").
#[tokio::test]
async fn anger_at_the_service_goes_to_a_person() {
    scored("anger-check.jsonl", 30, 0, 7, 4).await;
    let t = tally("anger-check.jsonl").await;
    assert!(t.humans >= 12, "{} of 12 angry customers", t.humans);
}

/// A message to a support desk's account ("@PhilipsHueHelp lights randomly turn on at 3am") is a
/// support request whatever its topic; a mention of anyone else is not. Of 20 such messages on
/// the topics off-topic chatter has (music, lights, travel, food, calendars) and 10 lines of chatter
/// that mention people and accounts, written after the rule and scored once with the binary before
/// and after it: support called chatter 3 → 0, chatter silent 10 → 10.
#[tokio::test]
async fn a_message_to_a_support_desk_is_support() {
    let t = tally("addressed-check.jsonl").await;
    assert_eq!((t.lines, t.ignored, t.none, t.person), (30, 0, 10, 0));
}

/// An ask for a person in other words ("can i talk with customer service please", "speak with a
/// representative") goes to one; a question about support hours or channels does not. HWU64 says
/// "customer service" only in tweets to a third party, so the model called the first chatter. Of
/// 10 asks, 5 questions and 5 chatter lines written after the phrases were added and scored once
/// before and after them: asks sent to a person 3 → 9, questions unchanged, and one chatter line
/// now goes to a person too ("great talk with someone from the design meetup yesterday").
#[tokio::test]
async fn an_ask_for_a_person_in_other_words_goes_to_one() {
    let t = tally("ask-for-person-check.jsonl").await;
    assert_eq!(t.lines, 20);
    // The phrase is named as the desk's list of asks for a person names it (`CustomerAsked`).
    let why = built_in_triager()
        .await
        .triage("i need to talk with customer service")
        .reason;
    assert_eq!(
        why,
        TriageReason::Rule("talk with ... customer service".into())
    );
    assert!(t.humans >= 9, "{} of 10 asks sent to a person", t.humans);
    assert!(t.ignored <= 1, "{} support lines called chatter", t.ignored);
    assert!(
        t.person <= 1,
        "{} non-human lines sent to a person",
        t.person
    );
}

/// Everyday problems told as a ticket tells one ("my car won't start this morning", "the airline
/// lost my luggage what do i do") are chatter that reads like a problem report, a weak spot the
/// desk keeps from getting worse: of the 20 written to probe it, 8 stay silent and 2 go to a
/// person; of 20 more, scored once, 7 stay silent and 1 goes to a person.
#[tokio::test]
async fn everyday_problems_do_not_page_the_team_more_than_they_did() {
    scored("life-problems.jsonl", 20, 0, 8, 2).await;
    scored("life-problems-check.jsonl", 20, 0, 7, 1).await;
}

/// A complaint to the desk goes to a person, a complaint a voice assistant is asked to tweet about
/// someone else does not: of 8 such requests 6 stay silent (none before the `!` entries), and all
/// 6 complaints to the desk, two naming Twitter, still go to a person.
#[tokio::test]
async fn a_complaint_to_tweet_is_chatter_and_one_to_the_desk_goes_to_a_person() {
    let t = tally("complaints.jsonl").await;
    assert_eq!((t.lines, t.humans), (14, 6));
    assert_eq!(t.none - t.ignored, 6, "chatter kept silent");
    assert_eq!(t.ignored, 0, "no complaint to the desk ignored");
}
