//! Web addresses in a section's text: what they point at, not what the section says.
//!
//! `https://docs.aws.amazon.com/ElasticLoadBalancing/…` or `status.tallybird.example` are shown on
//! the page, but their pieces ("aws", "status") are not words the section says about anything: a
//! question about a status page is not covered by a sentence that names a status host for another
//! reason. Coverage reads a section without them (`terms`); ranking and quoting keep them.

use regex::Regex;
use std::borrow::Cow;
use std::sync::LazyLock;

/// A URL with a scheme or `www.`, or a host name of three labels or more (`app.example.com`), with
/// its path. File names (`docker.sock`, `pip.conf`), versions (`1.2.3`) and e-mail addresses'
/// mailboxes stay: each label is two characters or more and starts with a letter.
static ADDRESS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:https?://|www\.)\S+|\b[a-z][a-z0-9-]+(?:\.[a-z][a-z0-9-]+){2,}\b(?:/\S*)?",
    )
    .expect("the address pattern compiles")
});

/// `text` with every web address replaced by a space.
pub fn without_addresses(text: &str) -> Cow<'_, str> {
    ADDRESS.replace_all(text, " ")
}

#[cfg(test)]
mod tests {
    use super::without_addresses;

    #[test]
    fn urls_and_host_names_are_dropped() {
        let t = "Amazon ELB explains its choices at https://docs.aws.amazon.com/elb/x.html today";
        assert_eq!(
            without_addresses(t),
            "Amazon ELB explains its choices at   today"
        );
        let t = "If the page stays blank, check status.tallybird.example for an incident.";
        assert_eq!(
            without_addresses(t),
            "If the page stays blank, check   for an incident."
        );
        assert_eq!(without_addresses("see www.example.org/a?b=1"), "see  ");
    }

    #[test]
    fn file_names_versions_and_mailboxes_stay() {
        for t in [
            "share /var/run/docker.sock with the container",
            "edit pip.conf or config.toml",
            "upgrade to 1.23.2 first",
            "write to support@tallybird.example",
            "U.S. Government guidance, e.g. this",
        ] {
            let out = without_addresses(t);
            for word in [
                "docker", "sock", "pip", "conf", "config", "toml", "1", "support", "e",
            ] {
                assert_eq!(t.contains(word), out.contains(word), "{t} → {out}");
            }
        }
    }
}
