//! Triage on labelled files of messages written for the tests (`tests/fixtures/triage/`): how many
//! stay silent, go to a person or get the right tier with the built-in model and shipped config.

use crate::support;
use opsdesk::domain::Tier;
use opsdesk::domain::tier::TriageReason;
use std::sync::Arc;

/// Tallies of the built-in triage on a labelled file.
pub(crate) struct Tally {
    pub(crate) lines: usize,
    /// Lines called `none` (chatter).
    pub(crate) none: usize,
    /// Non-human lines sent to a person.
    pub(crate) person: usize,
    /// Tier 1 / tier 2 agreement among non-human lines.
    pub(crate) agreement: f64,
    /// Human lines sent to a person.
    pub(crate) humans: usize,
    /// Support lines (not labelled `none`) called chatter.
    pub(crate) ignored: usize,
}

/// The triager the desk runs with the shipped configuration.
pub(crate) async fn built_in_triager() -> Arc<opsdesk::triage::Triager> {
    let db = support::sqlite().await;
    let p = support::pipeline_with(Arc::new(db.store.clone()), support::settings()).await;
    p.triager.clone()
}

pub(crate) async fn tally(file: &str) -> Tally {
    let triager = built_in_triager().await;
    let path = format!(
        "{}/tests/fixtures/triage/{file}",
        env!("CARGO_MANIFEST_DIR")
    );
    let (mut n, mut none, mut person, mut agree, mut support_lines, mut humans) =
        (0, 0, 0, 0, 0, 0);
    let mut ignored = 0;
    for line in std::fs::read_to_string(path).unwrap().lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let (text, want) = (v["text"].as_str().unwrap(), v["tier"].as_str().unwrap());
        let got = triager.triage(text).tier;
        n += 1;
        none += usize::from(got == Tier::None);
        ignored += usize::from(got == Tier::None && want != "none");
        if want != "human" {
            support_lines += 1;
            person += usize::from(got == Tier::Human);
            agree += usize::from(got.to_string() == want);
        } else {
            humans += usize::from(got == Tier::Human);
        }
    }
    Tally {
        lines: n,
        none,
        person,
        agreement: agree as f64 / support_lines.max(1) as f64,
        humans,
        ignored,
    }
}

/// `file`'s tally, checked: `lines` lines, at most `none` called chatter, none of its support lines
/// sent to a person.
async fn support_set(file: &str, lines: usize, none: usize) -> Tally {
    let t = tally(file).await;
    assert_eq!(t.lines, lines, "{file}");
    assert!(t.none <= none, "{file}: {} called chatter", t.none);
    assert_eq!(t.person, 0, "{file}: none needs a person");
    t
}

/// Customers e-mail tickets with a subject line and a formal body; none is chatter, few need a
/// person, and the tier is mostly right. Before the built-in model learned from hand-written
/// e-mails, 7 of these 68 went to a person and 0.81 agreed on the tier.
#[tokio::test]
async fn e_mailed_tickets_are_support_and_rarely_need_a_person() {
    let Tally {
        lines: n,
        none,
        person,
        agreement,
        ..
    } = tally("email-tickets.jsonl").await;
    assert_eq!(n, 68);
    assert_eq!(none, 0, "no ticket is chatter");
    assert!(person <= 6, "{person} of {n} sent to a person");
    assert!(agreement >= 0.86, "tier agreement {agreement:.3}");
    // Long, formal tickets as a helpdesk receives them (a subject line, a greeting, a paragraph,
    // a sign-off), on IT and SaaS topics; written after the model learned other products' tickets.
    let long = tally("long-tickets.jsonl").await;
    assert_eq!(long.lines, 20);
    assert_eq!((long.none, long.person), (0, 0), "support, none a person's");
    assert!(long.agreement >= 0.85, "agreement {:.3}", long.agreement);
    // The same kind, written later and scored once: questions and problems half and half.
    let check = tally("helpdesk-tickets-check.jsonl").await;
    assert_eq!(check.lines, 30);
    assert_eq!(
        (check.none, check.person),
        (0, 0),
        "support, none a person's"
    );
    assert!(check.agreement >= 0.85, "agreement {:.3}", check.agreement);
}

/// "The app crashes on my phone" is a bug report, not banking's lost or stolen phone. Before the
/// built-in model learned hand-written phone messages, 4 of these 15 went to a person and 3 of 16
/// were taken for chatter.
#[tokio::test]
async fn a_phone_in_a_message_is_not_a_lost_phone() {
    let Tally {
        lines: n,
        none,
        person,
        agreement,
        ..
    } = tally("device-messages.jsonl").await;
    assert_eq!(n, 16);
    assert!(none <= 1, "{none} called chatter");
    assert!(person <= 2, "{person} of 15 sent to a person");
    assert!(agreement >= 0.7, "tier agreement {agreement:.3}");
}

/// The model reads English: a ticket in another language is support, rarely a person's, and a
/// problem phrase in its language makes it a problem report. Before that rule, 13 of these 24 agreed
/// on the tier (every problem report the model could not read was a question).
#[tokio::test]
async fn tickets_in_other_languages_are_support_with_the_right_tier() {
    let Tally {
        lines: n,
        none,
        person,
        agreement,
        ..
    } = tally("other-languages.jsonl").await;
    assert_eq!(n, 24);
    assert_eq!(none, 0, "no ticket is chatter");
    assert_eq!(person, 0, "none needs a person");
    assert!(agreement >= 0.7, "tier agreement {agreement:.3}");
}

/// Tickets in other languages written apart from the first ones: their problem reports seldom use
/// the first set's words ("the charts show only zeros since this afternoon"). A message that asks
/// nothing is a problem report, and the problem phrases cover each language's inflections. Before
/// that, 43 of the 78 development tickets and 11 of the 24 check tickets agreed on the tier, and
/// three were called chatter. Since the model learned other products' tickets, one Dutch question
/// ("hoe kan ik een tweede beheerder toevoegen", P(human) 0.32 before) goes to a person at 0.36.
#[tokio::test]
async fn more_tickets_in_other_languages_are_told_problem_from_question() {
    let more = tally("other-languages-more.jsonl").await;
    assert_eq!(more.lines, 78);
    assert_eq!(more.none, 0, "support");
    assert!(more.person <= 1, "{} sent to a person", more.person);
    assert!(more.agreement >= 0.95, "agreement {:.3}", more.agreement);
    let check = tally("other-languages-check.jsonl").await;
    assert_eq!(check.lines, 24);
    assert_eq!(
        (check.none, check.person),
        (0, 0),
        "support, none a person's"
    );
    assert!(check.agreement >= 0.9, "agreement {:.3}", check.agreement);
}

/// A refund, a double charge, deleting an account, a lawyer or asking for a human is a person's in
/// any of the six languages: the human phrases cover them. Before they were broadened, 4 of these
/// 18 went to a person; "mein Konto und alle meine Daten endgültig löschen" (the verb far from its
/// object) and "fue hackeada" (a form the list lacks) still do not.
#[tokio::test]
async fn requests_for_a_person_in_other_languages_go_to_one() {
    let t = tally("other-languages-human.jsonl").await;
    assert_eq!(t.lines, 18);
    assert!(t.humans >= 16, "{} of 18 to a person", t.humans);
    assert_eq!(t.none, 0, "none is chatter");
}

/// Praise alone is chatter ("hey team, loving the reports redesign, great job :)" was answered),
/// and praise never silences a message that asks or reports something besides: no support line of
/// any file is silent because of the praise rule. Before it, 10 of the 20 praise lines, 3 of the 8
/// check lines and none of the 8 thanks in other languages stayed silent. Praise that names one of
/// the app's screens ("loving the weekly digest emails, my boss reads them every monday") is
/// answered: the app's own words are support phrases (one line of each file), and so is one more
/// of the 20 since the model learned other products' tickets.
#[tokio::test]
async fn praise_alone_stays_silent_and_praise_with_a_problem_does_not() {
    let db = support::sqlite().await;
    let p = support::pipeline_with(Arc::new(db.store.clone()), support::settings()).await;
    for (file, least_silent) in [
        ("praise.jsonl", 12),
        ("praise-check.jsonl", 5),
        ("other-languages-thanks.jsonl", 8),
    ] {
        let path = format!(
            "{}/tests/fixtures/triage/{file}",
            env!("CARGO_MANIFEST_DIR")
        );
        let mut silent = 0;
        for line in std::fs::read_to_string(path).unwrap().lines() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            let (text, want) = (v["text"].as_str().unwrap(), v["tier"].as_str().unwrap());
            let t = p.triager.triage(text);
            if want == "none" {
                silent += usize::from(t.tier == Tier::None);
            } else {
                assert!(
                    !matches!(&t.reason, TriageReason::Rule(r) if r.starts_with("praise")),
                    "{text:?} is more than praise: {t:?}"
                );
            }
        }
        assert!(silent >= least_silent, "{file}: {silent} silent");
    }
    let t = p
        .triager
        .triage("hey team, loving the reports redesign, great job :)");
    assert_eq!(
        (t.tier, t.reason),
        (Tier::None, TriageReason::Rule("praise: great job".into()))
    );
}

/// What members say to each other in a community channel (greetings, thanks, events, banter) is no
/// ticket: most of it stays silent and almost none of it pages a person. The built-in model keeps 35
/// of these 40 silent (36 before it learned other products' tickets); one line, "fun fact: our team
/// just hit 1000 days without a production outage", goes to a person (P(human) 0.33 before, 0.51).
#[tokio::test]
async fn community_chatter_stays_silent_and_pages_no_one() {
    let Tally {
        lines: n,
        none,
        person,
        ..
    } = tally("community-chatter.jsonl").await;
    assert_eq!(n, 40);
    assert!(none >= 35, "{none} of {n} kept silent");
    assert!(person <= 1, "{person} of the chatter paged a person");
}

/// Privacy and legal requests go to a person: subject access and erasure requests, a suspected data
/// breach, lawyers, fraud, complaints, refunds. The built-in model with the shipped phrases sends 11
/// of these 12 to one (8 before the data-protection phrases); "Request for erasure: … I want my
/// account and data deleted" names no phrase and reads as a how-to question.
#[tokio::test]
async fn privacy_and_legal_requests_go_to_a_person() {
    let t = tally("privacy-legal.jsonl").await;
    assert_eq!(t.lines, 12);
    assert!(t.humans >= 11, "{} of 12 sent to a person", t.humans);
}

/// Customers ask about their own money the way a bank's customers do ("when is my electric bill
/// due", "how many reward points do i have", "can i get a loan"): support, never chatter. banking77
/// never says "savings", "loan" or "reward", so the model called 15 of these 89 chatter and 9 of
/// the 46 check lines; the money words in `triage.support_phrases` keep them support.
#[tokio::test]
async fn questions_about_money_and_accounts_are_support() {
    let dev = tally("money-questions.jsonl").await;
    assert_eq!(dev.lines, 89);
    assert!(dev.none <= 1, "{} called chatter", dev.none);
    assert!(dev.humans >= 17, "{} of 18 to a person", dev.humans);
    assert!(dev.person <= 3, "{} sent to a person", dev.person);
    let check = tally("money-questions-check.jsonl").await;
    assert_eq!(check.lines, 46);
    // 3 before the built-in model read the shipped word vectors, 1 with them.
    assert!(check.none <= 1, "{} called chatter", check.none);
    assert!(check.humans >= 6, "{} of 8 to a person", check.humans);
}

/// What people ask a voice assistant on topics the built-in model never trained on (travel, cars,
/// pay slips and time off, the assistant's own settings, small talk, sums) is not a support
/// request: most stays silent and few page a person.
#[tokio::test]
async fn requests_meant_for_a_voice_assistant_stay_silent() {
    let t = tally("assistant-requests.jsonl").await;
    assert_eq!(t.lines, 235);
    // 206 before the built-in model read the shipped word vectors, 214 with them.
    assert!(t.none >= 212, "{} of {} kept silent", t.none, t.lines);
    assert!(t.person <= 4, "{} sent to a person", t.person);
    let more = tally("assistant-requests-more.jsonl").await;
    assert_eq!(more.lines, 138);
    assert!(
        more.none >= 130,
        "{} of {} kept silent",
        more.none,
        more.lines
    );
    assert!(more.person <= 2, "{} sent to a person", more.person);
}

/// Customers write about their own product: a shop, bookings, payroll, a till, a CRM, office IT.
/// banking77 and the SaaS templates never name those things and HWU64 calls e-mail, calendars and
/// orders chatter, so the model ignored 56 of these 210 ("printer on the 3rd floor is offline
/// again", "SMS reminders are going out twice"), written in five rounds while
/// `config/triage/products.jsonl` was built, and 11 of the 30 check lines, written before its
/// second round and scored once.
#[tokio::test]
async fn tickets_about_other_kinds_of_product_are_support() {
    let dev = tally("other-products.jsonl").await;
    assert_eq!(dev.lines, 210);
    assert!(dev.none <= 23, "{} called chatter", dev.none);
    assert!(dev.person <= 4, "{} sent to a person", dev.person);
    assert!(dev.agreement >= 0.74, "agreement {:.3}", dev.agreement);
    let check = tally("other-products-check.jsonl").await;
    assert_eq!(check.lines, 30);
    assert!(check.none <= 3, "{} called chatter", check.none);
    assert!(check.person <= 1, "{} sent to a person", check.person);
    assert!(check.agreement >= 0.7, "agreement {:.3}", check.agreement);
}

/// HWU64's 1,250 lines on e-mail and calendars ("check my email", "what's on my calendar") taught
/// the model that tickets about them are chatter too: 13 of these 24 and 7 of the 30 check lines
/// (written before `config/triage/products.jsonl` named e-mail and calendars, scored once) were
/// ignored before it did; 7 and 5 since, 9 and 4 with the shipped word vectors in the model, 9
/// and 3 since "is it possible…" asks support ("…to recall an email I sent to the wrong customer").
#[tokio::test]
async fn tickets_about_e_mail_and_calendars_are_support() {
    let dev = support_set("mail-calendar.jsonl", 24, 9).await;
    assert!(dev.agreement >= 0.62, "agreement {:.3}", dev.agreement);
    let check = support_set("mail-calendar-check.jsonl", 30, 3).await;
    assert!(check.agreement >= 0.66, "agreement {:.3}", check.agreement);
    // A community's own chatter about its inboxes and calendars mostly stays silent: 11 of 12
    // before, 10 after ("out of office until monday, ping me if it's urgent" is answered).
    let chatter = tally("mail-calendar-chatter.jsonl").await;
    assert_eq!(chatter.lines, 12);
    assert!(chatter.none >= 10, "{} of 12 kept silent", chatter.none);
    assert_eq!(chatter.person, 0, "none pages a person");
}

/// Short messages as a community channel gets them: a pasted error, a status code, "anyone else
/// seeing timeouts?". Before "timeout*" and the HTTP statuses were support phrases, 3 of these 25
/// were ignored ("@here is anyone else seeing timeouts?", P(none) 0.87); the check round's 2 of 20
/// ("graphs are all flat lines today", "anybody know if there's a cli?") did not move.
#[tokio::test]
async fn short_reports_in_a_community_channel_are_support() {
    support_set("short-reports.jsonl", 25, 1).await;
    support_set("short-reports-check.jsonl", 20, 2).await;
}

/// A developer-facing SaaS's community asks about its SDKs, tokens and deploys: HWU64 never names
/// them, and the model called 5 of these 15 chatter ("can i run this self hosted", P(none) 0.71)
/// before the developer-tool words were support phrases. The 30 check lines, written after,
/// kept 8 ignored ("any chance of a go client library?"): a list only knows its own words. A wider
/// list (languages, hosts, web terms; none in HWU64's lines) took them to 3, a second round from 8
/// to 4 and a third, written before that list and scored once, from 3 to 1.
#[tokio::test]
async fn developer_questions_are_support() {
    support_set("developer-questions.jsonl", 15, 0).await;
    support_set("developer-questions-check.jsonl", 30, 3).await;
    support_set("developer-questions-check2.jsonl", 30, 4).await;
    support_set("developer-questions-check3.jsonl", 30, 1).await;
}

/// A customer asks about the app's own settings with a home assistant's verbs ("how do i turn on
/// 2fa", "switch the interface to french", "remind my team every friday"): HWU64 taught the model
/// that turning things off, muting, reminding and playing are chatter, so it ignored 17 of these 36
/// and 6 of the 20 check lines. The app's own words in `triage.support_phrases` keep them support.
/// The shipped word vectors in the built-in model cost one here (4 → 7 of 36, 1 → 2 of 20: alerts
/// and notifications read as the assistant's), for more silence on chatter it never saw. Asking
/// whether the product can do something ("is there a way to…", "is it possible to…", "where do
/// i…"), which a home assistant is rarely asked, took them to 5 and 1, and a third round of 20,
/// written before those phrases and scored once, from 5 to 1.
#[tokio::test]
async fn questions_about_the_apps_own_settings_are_support() {
    support_set("app-settings.jsonl", 36, 5).await;
    let check = tally("app-settings-check.jsonl").await;
    assert_eq!(check.lines, 20);
    assert!(check.none <= 1, "{} of 20 called chatter", check.none);
    support_set("settings-questions-check.jsonl", 20, 1).await;
}

/// Notifications and alerts are the app's too, but HWU64 taught the model that turning alerts off
/// and snoozing are an assistant's commands: with the shipped word vectors, 3 of these 15 (written
/// after the model, scored once) are called chatter ("how do i silence the bell icon badge", "i'm
/// getting every alert three times"); none goes to a person. 2 since "even though" reports a
/// fault ("the notification sound plays even though i switched it off").
#[tokio::test]
async fn questions_about_notifications_are_mostly_support() {
    let t = support_set("notification-settings-check.jsonl", 15, 2).await;
    assert!(t.agreement >= 0.6, "agreement {:.3}", t.agreement);
}
