//! Spam and promotion in a community channel: a promotional phrase ("buy followers", "free crypto"),
//! links to many different sites, or a message that pings many people or the whole channel with a
//! link. Such a message is `none` whatever the model says: no ticket, no reply; the desk logs it and
//! `/ops metrics` counts it.

use super::phrase::Phrases;

/// The promotional phrases, parsed once: `~` entries are phrases customers and prospective partners
/// use too ("partnership opportunities", "our telegram channel"), spam only in a message that asks
/// nothing.
pub(super) struct Promotion {
    strong: Phrases,
    weak: Phrases,
}

impl Promotion {
    pub(super) fn new(phrases: &[String]) -> Self {
        Promotion {
            strong: Phrases::new(phrases.iter().filter(|p| !p.starts_with('~'))),
            weak: Phrases::new(phrases.iter().filter_map(|p| p.strip_prefix('~'))),
        }
    }

    /// The promotional phrase that makes `words` spam, if any.
    fn find(&self, text: &str, words: &[String]) -> Option<String> {
        (self.strong.first(words)).or_else(|| self.weak.first(words).filter(|_| !asks(text)))
    }
}

/// Whether a sentence or clause of `text` opens with a question word ("are there partner
/// programmes?", "we're an agency, do you offer partner pricing?"): a prospective partner asks, a
/// spammer announces ("partnership opportunity: resell our crm"), and "anyone need web design
/// services?" or a bare "interested in a partnership?" is a hook.
fn asks(text: &str) -> bool {
    const OPENERS: &[&str] = &[
        "how", "what", "where", "when", "why", "which", "who", "whom", "can", "could", "is", "are",
        "do", "does", "will", "would",
    ];
    (crate::words::sentences(text).iter())
        .flat_map(|(s, _)| s.split([',', ';', ':']))
        .any(|clause| {
            // A mention first ("@support can i…", "<@U1> is there…") is whom it asks.
            let rest = (clause.split_whitespace()).skip_while(|t| t.starts_with(['@', '<']));
            let first = (rest.flat_map(|t| t.split(|c: char| !c.is_alphanumeric())))
                .find(|w| !w.is_empty());
            first.is_some_and(|w| OPENERS.contains(&w.to_lowercase().as_str()))
        })
}

/// `[triage]`'s spam settings.
#[derive(Debug, Clone)]
pub struct SpamRules {
    /// Lower-cased promotional phrases, matched as whole words.
    pub phrases: Vec<String>,
    /// Links to this many different sites in one message make it a link farm (0: off).
    pub links: usize,
    /// Mentions of this many people in one message make it a mass mention (0: off).
    pub mentions: usize,
}

/// What made a message spam, for the log and the audit entry; `None` for an ordinary message. A
/// message that reads as support (`support`: it has a support phrase, "site down", "error",
/// "help") is spam only by a promotional phrase: a customer may paste links or ping everyone in an
/// outage.
/// `words` are the text's (`features::words`).
pub(super) fn signal(
    text: &str,
    words: &[String],
    rules: &SpamRules,
    promotion: &Promotion,
    support: bool,
) -> Option<String> {
    if let Some(p) = promotion.find(text, words) {
        return Some(format!("promotion: \"{p}\""));
    }
    if support {
        return None;
    }
    let sites = sites(text);
    if rules.links > 0 && sites >= rules.links {
        return Some(format!("links to {sites} different sites"));
    }
    let people = mentions(text);
    if rules.mentions > 0 && people >= rules.mentions {
        return Some(format!("mentions {people} people"));
    }
    if sites > 0 && broadcasts(text) {
        return Some("a link sent to the whole channel".into());
    }
    None
}

/// The number of different hosts linked (`http://`, `https://` or `www.`).
fn sites(text: &str) -> usize {
    let mut hosts: Vec<String> = text
        .split_whitespace()
        .filter_map(|t| {
            let t = t.trim_start_matches(['<', '(', '[']);
            let rest = t
                .strip_prefix("https://")
                .or_else(|| t.strip_prefix("http://"))
                .or_else(|| t.starts_with("www.").then_some(t))?;
            let host = rest.split(['/', '|', '>', ')', ']', '?', '#']).next()?;
            let host = host.trim_start_matches("www.").to_lowercase();
            host.contains('.').then_some(host)
        })
        .collect();
    hosts.sort();
    hosts.dedup();
    hosts.len()
}

/// The number of different people mentioned: Slack's `<@U…>` and Discord's `<@123…>` / `<@!123…>`.
fn mentions(text: &str) -> usize {
    let mut ids: Vec<&str> = text
        .split("<@")
        .skip(1)
        .filter_map(|rest| {
            rest.split_once('>')
                .map(|(id, _)| id.trim_start_matches('!'))
        })
        .filter(|id| !id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric()))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids.len()
}

/// A ping of the whole channel: `@everyone` / `@here` (Discord) or `<!channel>` / `<!here>` /
/// `<!everyone>` (Slack).
fn broadcasts(text: &str) -> bool {
    ["@everyone", "@here", "<!channel", "<!here", "<!everyone"]
        .iter()
        .any(|b| text.contains(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str) -> Option<String> {
        check_as(text, false)
    }

    fn check_as(text: &str, support: bool) -> Option<String> {
        let rules = SpamRules {
            phrases: vec![
                "buy followers".into(),
                "free crypto".into(),
                "~partnership opportunit*".into(),
            ],
            links: 3,
            mentions: 5,
        };
        let words = crate::triage::features::words(text);
        signal(
            text,
            &words,
            &rules,
            &Promotion::new(&rules.phrases),
            support,
        )
    }

    #[test]
    fn promotion_link_farms_and_mass_mentions_are_spam() {
        assert_eq!(
            check("Buy followers now!! cheap").as_deref(),
            Some("promotion: \"buy followers\"")
        );
        assert_eq!(
            check("deals https://a.example/x http://b.example www.c.example/y").as_deref(),
            Some("links to 3 different sites")
        );
        assert_eq!(
            check("<@U1> <@U2> <@U3> <@U4> <@!5> check this").as_deref(),
            Some("mentions 5 people")
        );
        assert_eq!(
            check("@everyone new drop at https://mint.example").as_deref(),
            Some("a link sent to the whole channel")
        );
    }

    #[test]
    fn customers_with_links_mentions_or_urgency_are_not_spam() {
        for text in [
            "Help",
            "site down since last night, see https://status.mysite.example and https://mysite.example/app",
            "@here is anyone else getting 502s?",
            "<@U1> <@U2> can you look at my invoice?",
            "do you accept crypto for the annual plan?",
            "https://app.example/a https://app.example/b https://app.example/c all 404",
        ] {
            assert_eq!(check(text), None, "{text}");
        }
        // Read as support (an outage report), links and a ping of everyone are not spam …
        let outage =
            "@everyone checkout is down https://shop.example https://cdn.example https://x.example";
        assert_eq!(check_as(outage, true), None);
        // … but a promotional phrase still is.
        assert!(check_as("help! free crypto at https://x.example", true).is_some());
    }

    #[test]
    fn a_weak_promotional_phrase_is_spam_only_in_a_message_that_asks_nothing() {
        let offer = "Partnership opportunity: resell our white label crm and earn 40%";
        assert_eq!(
            check(offer).as_deref(),
            Some("promotion: \"partnership opportunit*\"")
        );
        assert!(check("interested in partnership opportunities? dm me").is_some());
        let inquiry = "Inquiry about partnership opportunities. We are a consultancy: who would \
                       be the right person to talk to?";
        assert_eq!(check(inquiry), None);
        assert!(check_as("partnership opportunity for your server, dm me", true).is_some());
        assert!(check_as("free crypto, who wants some?", true).is_some());
        let asked = "@support <@U1> can i send partnership opportunities to the sales team?";
        assert_eq!(check(asked), None);
    }
}
