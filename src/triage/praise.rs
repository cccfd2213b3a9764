//! Praise and thanks posted to a community channel ("loving the reports redesign, great job",
//! "shoutout to the team for the new release") are chatter, however much of the product they name:
//! a message with a praise phrase that asks nothing, objects to nothing and reports nothing, each
//! clause of it praise or a remark of two words or fewer ("…, very transparent").

use super::phrase::Phrases;

/// Words that make a message more than praise: a question, a "but", a negation, a problem, a
/// request or money ("great job, but the export fails", "love it, how do I share one",
/// "thanks, we need an invoice"), in English and in the five other languages the triage rules read
/// ("danke, aber…", "merci, mais…", "gracias, pero no…"). `features::words` splits "can't" into
/// "can" and "t".
const MORE_THAN_PRAISE: &str = "\
    but however except though although yet unfortunately sadly fail fails failed \
    failing failure error errors broken broke breaks bug bugs buggy crash crashes crashed issue \
    issues problem problems can cannot couldn doesn don didn won isn wasn aren not no never need \
    needs please pls plz help how why when where what which who could would should wish want \
    looking trying tried interested down slow stuck missing wrong again still refund charge \
    charged cancel upgrade downgrade invoice bill billing price pricing account since anymore \
    stopped stops keeps empty blank off gone lost weird strange odd disappeared expired late \
    twice duplicate duplicated frozen freezes hangs spinning only cut timeout \
    aber doch nicht kein keine keinen nie bitte warum wieso wie wo welche mais pas jamais \
    aucun aucune svp pourquoi comment où quel quelle pero nunca ningún ninguna favor porqué cómo \
    dónde qué cuál mas não nenhum nenhuma porque como onde qual ma però non mai nessun nessuna \
    perché dove quale favore maar niet geen nooit alstublieft waarom hoe waar welke";

/// Whether `word` (lower-cased) is one of [`MORE_THAN_PRAISE`].
fn more_than_praise(word: &str) -> bool {
    static WORDS: std::sync::OnceLock<std::collections::HashSet<&'static str>> =
        std::sync::OnceLock::new();
    WORDS
        .get_or_init(|| MORE_THAN_PRAISE.split_whitespace().collect())
        .contains(word)
}

/// The most content words a clause without a praise phrase may hold ("very transparent").
const REMARK_WORDS: usize = 2;

/// Words that open a question asked without a question mark ("is there a way to schedule them").
const QUESTION_OPENERS: &[&str] = &[
    "is", "are", "do", "does", "did", "will", "any", "anyone", "anybody", "has", "have",
];

/// The praise phrase that makes `text` chatter: one of `phrases` in `words`, no question mark, no
/// sentence opening as a question, and none of [`MORE_THAN_PRAISE`].
pub(super) fn only_praise(text: &str, words: &[String], phrases: &Phrases) -> Option<String> {
    let found = phrases.first(words)?;
    let asks = text.split(['.', '!', '\n', ':', ';']).any(|s| {
        s.split(|c: char| !c.is_alphanumeric())
            .find(|w| !w.is_empty())
            .is_some_and(|w| QUESTION_OPENERS.contains(&w.to_lowercase().as_str()))
    });
    // "help" thanked for ("thanks for your help") is praise, not a call for it.
    let thanked = |i: usize| words[i] == "help" && phrases.covers(words, i);
    let more = (0..words.len()).any(|i| more_than_praise(&words[i]) && !thanked(i));
    if asks || text.contains(['?', '？']) || more {
        return None;
    }
    static CONTENT: std::sync::OnceLock<crate::words::Words> = std::sync::OnceLock::new();
    let content = CONTENT.get_or_init(crate::words::Words::default);
    let dashed = text.replace(" - ", ",");
    let all_praise = dashed.split(['.', '!', '\n', ':', ';', ',']).all(|c| {
        phrases.first(&super::features::words(c)).is_some()
            || content.content(c).len() <= REMARK_WORDS
    });
    all_praise.then_some(found)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::triage::features::words;

    #[test]
    fn praise_alone_is_chatter_and_praise_with_anything_more_is_not() {
        let phrases = Phrases::new(["great job", "loving the", "shoutout", "danke"]);
        let praise = |t: &str| only_praise(t, &words(t), &phrases);
        assert_eq!(
            praise("hey team, loving the reports redesign, great job :)").as_deref(),
            Some("great job")
        );
        assert!(praise("shoutout to the support team for the fast turnaround").is_some());
        assert!(praise("just wanted to say: loving the new onboarding").is_some());
        assert!(praise("great job on the status page, very transparent").is_some());
        assert_eq!(praise("Danke!").as_deref(), Some("danke"));
        let thanks = Phrases::new(["thanks for your help", "thank you so much"]);
        let thanked = |t: &str| only_praise(t, &words(t), &thanks);
        assert!(thanked("thanks for your help!").is_some());
        for more in [
            "thank you so much for your help",
            "thanks for your help, but it still fails",
            "thanks for nothing, no help at all",
            "thanks for your help. can you help me with the export",
        ] {
            assert_eq!(thanked(more), None, "{more}");
        }
        for more in [
            "loving the reports redesign, but the export fails on big tables",
            "great job on the release! how do I share a dashboard",
            "great job on the new reports! is there a way to schedule them weekly",
            "loving the new charts, great job. can't find the CSV button though",
            "great job, we need an invoice for last month",
            "loving the redesign?",
            "Danke, geht nicht",
            "Danke! Wie kann ich einen Admin hinzufügen",
            "the export is broken",
            "congrats on the launch. our dashboards are empty after the update",
            "great job on the launch, my boss reads every digest on monday mornings",
        ] {
            assert_eq!(praise(more), None, "{more}");
        }
    }
}
