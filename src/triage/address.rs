//! What makes a message a support request whatever the model says, read once per message; among it,
//! whom the message is addressed to: "@AppleSupport my airpods only play in one ear" is written to
//! a support desk, whatever the model makes of airpods.

use super::{Triager, reaction};

impl Triager {
    /// Whether `text` (its `words`) reads as a support request whatever the model says: a support
    /// phrase in its sense; the weak ones ("help") while the model is not sure of chatter (`p_none`
    /// below `sure_none_threshold`); an emoji of distress alone; or a mention of a support desk.
    pub(super) fn reads_as_support(&self, text: &str, words: &[String], p_none: f64) -> bool {
        self.support_phrase(words).is_some()
            || p_none < self.rules.sure_none_threshold
                && self.in_its_sense(&self.weak_support, words).is_some()
            || reaction::distress(text)
            || to_a_desk(text)
    }
}

/// Whether `text` mentions an account named as a support desk: "@AppleSupport", "@AmazonHelp",
/// "@SpotifyCares", "@Uber_Support", "@AskPayPal", "@acme-helpdesk", "@customer-service", a Slack
/// user group ("<!subteam^S1|@support>").
fn to_a_desk(text: &str) -> bool {
    text.split(|c: char| c.is_whitespace() || c == '|')
        .filter_map(|t| t.strip_prefix('@'))
        .map(|name| {
            name.trim_end_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .any(|name| {
            ["support", "help", "service"]
                .iter()
                .any(|w| name.contains(w))
                || name.ends_with("care")
                || name.ends_with("cares")
                || name.starts_with("ask") && name.len() > 5
        })
}

#[cfg(test)]
mod tests {
    use super::to_a_desk;

    #[test]
    fn a_mention_of_a_support_desk_is_told_from_other_mentions() {
        for text in [
            "@AppleSupport my airpods only play in one ear",
            "@Uber_Support driver cancelled on me",
            "hey @sprintcare, no signal since 6am",
            "<!subteam^S1|@support> anyone around?",
            "@acme-helpdesk: invoices page blank",
            "@Ask_Spectrum cable box stuck on the boot screen",
        ] {
            assert!(to_a_desk(text), "{text}");
        }
        for text in [
            "@Delta is wifi free on international flights now?",
            "@careers when do applications open",
            "@asker thanks, that worked",
            "<@U123> lunch?",
            "email me at help@example.com",
        ] {
            assert!(!to_a_desk(text), "{text}");
        }
    }
}
