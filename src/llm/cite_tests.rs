//! Tests for reading an agent's citations.

use super::*;

fn hit(id: &str) -> KbHit {
    KbHit {
        id: id.into(),
        title: id.into(),
        link: format!("https://docs/{id}"),
        text: "x".into(),
        tags: vec![],
        score: 1.0,
        coverage: 1.0,
        similarity: 0.0,
        lexical_rank: 0,
        semantic_rank: None,
        heading_words: 0,
        elsewhere: vec![],
    }
}

fn hits() -> Vec<KbHit> {
    vec![
        hit("account-password#reset-your-password"),
        hit("account-password#sign-out-of-all-devices"),
        hit("billing-plans#reset-your-password-limits"),
        hit("getting-started"),
    ]
}

fn cited(answer: &str) -> Option<(String, Vec<String>)> {
    ground(answer, &hits()).map(|g| (g.text, g.cited.into_iter().map(|h| h.id).collect()))
}

#[test]
fn only_answers_citing_given_sections_are_grounded() {
    let h = [hit("page#s1"), hit("page#s2")];
    let g = ground("Use Settings [kb:page#s2]. Then save [kb:page#s2].", &h).unwrap();
    assert_eq!(
        (g.text.as_str(), g.cited.len()),
        ("Use Settings. Then save.", 1)
    );
    assert_eq!(ground("Use Settings.", &h), None, "no citation");
    assert_eq!(
        ground("Use Settings [kb:page#s3].", &h),
        None,
        "a section that was not retrieved"
    );
    assert_eq!(
        ground("Use Settings [kb:page#s1] and [kb:other#x].", &h),
        None,
        "one foreign citation spoils it"
    );
    assert_eq!(ground("ESCALATE", &h), None);
    assert_eq!(ground("ESCALATE.\n", &h), None);
}

#[test]
fn grouped_padded_and_bracketed_citations_are_read() {
    let both = vec![
        "account-password#reset-your-password".to_string(),
        "account-password#sign-out-of-all-devices".to_string(),
    ];
    for answer in [
        "Reset it from the sign-in page [kb:account-password#reset-your-password, kb:account-password#sign-out-of-all-devices].",
        "Reset it from the sign-in page [kb:account-password#reset-your-password; account-password#sign-out-of-all-devices].",
        "Reset it from the sign-in page [kb: account-password#reset-your-password][KB:account-password#sign-out-of-all-devices].",
        "Reset it from the sign-in page (kb:account-password#reset-your-password) 【kb:account-password#sign-out-of-all-devices】.",
    ] {
        let (text, ids) = cited(answer).unwrap_or_else(|| panic!("not grounded: {answer}"));
        assert_eq!(text, "Reset it from the sign-in page.", "{answer}");
        assert_eq!(ids, both, "{answer}");
    }
}

#[test]
fn an_id_without_its_page_names_the_one_section_it_can_be() {
    let (text, ids) = cited("Use the link [kb:reset-your-password].").unwrap();
    assert_eq!(text, "Use the link.");
    assert_eq!(ids, vec!["account-password#reset-your-password"]);
    assert_eq!(
        cited("Case differs [kb:Account-Password#Reset-Your-Password].").map(|c| c.1),
        Some(vec!["account-password#reset-your-password".to_string()])
    );
    assert_eq!(
        cited("A page's intro [kb:getting-started].").map(|c| c.1),
        Some(vec!["getting-started".to_string()])
    );
    // A section name no given section has, or a page that holds several: not read, not grounded.
    assert_eq!(cited("Somewhere [kb:two-factor-authentication]."), None);
    assert_eq!(cited("Somewhere [kb:account-password]."), None);
    assert_eq!(
        cited("Wrong page [kb:billing-plans#reset-your-password]."),
        None
    );
}

#[test]
fn brackets_that_are_not_citations_stay_in_the_text() {
    let (text, ids) =
        cited("Open Settings (top right) [kb:account-password#reset-your-password] [done].")
            .unwrap();
    assert_eq!(text, "Open Settings (top right) [done].");
    assert_eq!(ids.len(), 1);
    assert_eq!(citations("see [kb: ] and (kb:"), Vec::<String>::new());
    assert_eq!(citations("【kb:é#ü】 [kb:a b]"), vec!["é#ü", "a", "b"]);
}
