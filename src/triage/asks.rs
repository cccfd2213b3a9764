//! A story and a question: "our old cto set everything up and then left for a startup. how do i
//! transfer ownership of the workspace to me?". The story's past events pull the model towards a
//! problem report; what the message asks is a how-to question.

use super::{Triager, features};
use crate::domain::Tier;

/// Words by which a story says something failed; with one, the story is a problem report's and
/// the unsure rule's tier 2 stands ("Install v2 fails on database creation: is there a version I
/// should be using?"). An apostrophe splits a word, so "didn't" is "didn t".
pub(super) const FAILING: &[&str] = &[
    "not",
    "no",
    "never",
    "cannot",
    "can t",
    "cant",
    "don t",
    "dont",
    "doesn t",
    "doesnt",
    "didn t",
    "didnt",
    "won t",
    "wont",
    "isn t",
    "isnt",
    "aren t",
    "wasn t",
    "weren t",
    "haven t",
    "fail*",
    "error*",
    "broke*",
    "crash*",
    "bug*",
    "down",
    "wrong",
    "stuck",
    "lost",
    "missing",
    "issue*",
    "problem*",
    "slow*",
    "outage*",
    "disappear*",
    "vanish*",
    "instead",
];

impl Triager {
    /// Whether `text` tells a story and asks something besides, the story names nothing failing,
    /// and the model, reading only what it asks, takes it for tier 1 over tier 2 by at least
    /// `confidence_threshold`. Read when the model is torn between the two on the whole message.
    pub(super) fn asks_how(&self, text: &str) -> bool {
        let parts = crate::words::sentences(text);
        let pick = |asks: bool| {
            parts
                .iter()
                .filter(|(_, a)| *a == asks)
                .map(|(s, _)| *s)
                .collect::<Vec<_>>()
                .join(" ")
        };
        let (question, story) = (pick(true), pick(false));
        if question.is_empty() || story.is_empty() {
            return false;
        }
        if self.failing.first(&features::words(&story)).is_some() {
            return false;
        }
        let probs = self.probs(&question);
        let p = |tier: Tier| {
            let i = self.model.classes.iter().position(|c| *c == tier);
            i.map_or(0.0, |i| f64::from(probs[i]))
        };
        let (p1, p2) = (p(Tier::Tier1), p(Tier::Tier2));
        p1 > p2 && p1 / (p1 + p2).max(f64::EPSILON) >= self.rules.confidence_threshold
    }
}

/// Words by which a message describes what it sees going wrong, besides `FAILING`'s ("does anyone
/// else see empty charts today?"): a question with one is a problem report's.
pub(super) const SYMPTOMS: &[&str] = &[
    "empty",
    "blank",
    "nothing",
    "anyone else",
    "stopped",
    "invalid",
    "rejected",
    "rejects",
    "rejecting",
    "denied",
    "forbidden",
    "unauthori*",
    "timeout*",
    "timed out",
    "hang*",
    "freez*",
    "weird*",
    "strange*",
    "suddenly",
    "anymore",
    "any more",
];

/// How a question opens that asks how to do something or whether something is so; "why" and
/// "did" ask about something that went wrong.
const HOW_OPENERS: &[&str] = &[
    "how", "can", "could", "do", "does", "is", "are", "where", "which", "what", "will", "would",
    "should", "any", "anyone",
];

impl Triager {
    /// Whether `text` only asks how to do something or whether something is so, and names nothing
    /// failing: every sentence that asks opens with a how-to or whether word, and no word of it
    /// says something failed or shows a symptom (`FAILING`, `SYMPTOMS`, or an HTTP error status
    /// such as "401s"). A message the model reads as a problem report for its words ("how do we
    /// authenticate api calls, bearer token?") is then a how-to question the docs may answer.
    pub fn asks_only_how(&self, text: &str) -> bool {
        let asking: Vec<&str> = crate::words::sentences(text)
            .into_iter()
            .filter_map(|(s, asks)| asks.then_some(s))
            .collect();
        let opens_how = |s: &&str| {
            features::words(s)
                .first()
                .is_some_and(|w| HOW_OPENERS.contains(&w.as_str()))
        };
        let words = features::words(text);
        !asking.is_empty()
            && asking.iter().all(opens_how)
            && self.symptoms.first(&words).is_none()
            && !words.iter().any(|w| http_error(w))
    }
}

/// "401", "503s": a 4xx or 5xx status.
fn http_error(w: &str) -> bool {
    let digits = w.strip_suffix('s').unwrap_or(w);
    digits.len() == 3
        && digits.bytes().all(|b| b.is_ascii_digit())
        && matches!(digits.as_bytes()[0], b'4' | b'5')
}
