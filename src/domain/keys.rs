//! Inbox keys that several layers share: the HTTP edge stores webhooks and Stripe events under them,
//! and the pipeline's sweep reads them back to know what a stored event was.

/// The inbox key prefix of stored webhooks (the sweep re-processes them like chat events).
pub const HOOK_PREFIX: &str = "hook:";
/// Stripe events are keyed by their event id: a redelivery with another signature is still a duplicate.
pub const STRIPE_PREFIX: &str = "stripe:";

/// `hook:<source>[/<resource>]:<digest>`, the digest being the body's hash in hex.
pub fn hook_key(source: &str, resource: Option<&str>, digest: &str) -> String {
    match resource {
        Some(r) => format!("{HOOK_PREFIX}{source}/{r}:{digest}"),
        None => format!("{HOOK_PREFIX}{source}:{digest}"),
    }
}

/// The source and resource a stored webhook's key names.
pub fn hook_source(key: &str) -> Option<(&str, Option<&str>)> {
    let (head, _) = key.strip_prefix(HOOK_PREFIX)?.rsplit_once(':')?;
    Some(
        head.split_once('/')
            .map_or((head, None), |(s, r)| (s, Some(r))),
    )
}

/// `stripe:<event id>`.
pub fn stripe_key(event_id: &str) -> String {
    format!("{STRIPE_PREFIX}{event_id}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hook_keys_name_their_source_and_resource() {
        let k = hook_key("sentry", Some("issue"), "ab12");
        assert_eq!(k, "hook:sentry/issue:ab12");
        assert_eq!(hook_source(&k), Some(("sentry", Some("issue"))));
        assert_eq!(
            hook_source(&hook_key("grafana", None, "ff")),
            Some(("grafana", None))
        );
        assert_eq!(hook_source("slack:C1:1.2"), None);
        assert_eq!(stripe_key("evt_1"), "stripe:evt_1");
    }
}
