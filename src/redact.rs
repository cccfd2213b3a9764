//! Redaction for logs: e-mail addresses become `[email]` and card-like numbers (13–19 digits, optionally
//! grouped by spaces or dashes, starting 2–6 as card numbers do, passing the Luhn check) become `[card]`.
//! Every log line passes through [`RedactingWriter`], whatever logged it.

use std::io::Write;

fn local_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || b"._%+-".contains(&c)
}

fn domain_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'.' || c == b'-'
}

fn luhn(digits: &[u8]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| {
            let d = (d - b'0') as u32;
            if i % 2 == 1 {
                if d * 2 > 9 { d * 2 - 9 } else { d * 2 }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// The end of a card-like number starting at `i` (digits with single spaces or dashes between groups).
fn card_at(b: &[u8], i: usize) -> Option<usize> {
    if !(b'2'..=b'6').contains(&b[i]) || (i > 0 && (b[i - 1].is_ascii_alphanumeric())) {
        return None;
    }
    let (mut j, mut digits) = (i, vec![]);
    while j < b.len() {
        if b[j].is_ascii_digit() {
            digits.push(b[j]);
            j += 1;
        } else if (b[j] == b' ' || b[j] == b'-')
            && j + 1 < b.len()
            && b[j + 1].is_ascii_digit()
            && digits.len() < 19
        {
            j += 1;
        } else {
            break;
        }
    }
    let whole = j >= b.len() || !b[j].is_ascii_alphanumeric();
    (whole && (13..=19).contains(&digits.len()) && luhn(&digits)).then_some(j)
}

/// `text` with e-mail addresses and card-like numbers masked.
pub fn redact(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let mut copied = 0;
    while i < b.len() {
        if b[i] == b'@' {
            let start = (0..i).rev().take_while(|&k| local_char(b[k])).last();
            let end = (i + 1..b.len())
                .take_while(|&k| domain_char(b[k]))
                .last()
                .map(|k| k + 1);
            if let (Some(s), Some(e)) = (start, end) {
                let domain = text[i + 1..e].trim_end_matches('.');
                if s >= copied && domain.contains('.') && !domain.starts_with('.') {
                    out.push_str(&text[copied..s]);
                    out.push_str("[email]");
                    i += 1 + domain.len();
                    copied = i;
                    continue;
                }
            }
        } else if b[i].is_ascii_digit()
            && let Some(e) = card_at(b, i)
        {
            out.push_str(&text[copied..i]);
            out.push_str("[card]");
            i = e;
            copied = i;
            continue;
        }
        i += 1;
    }
    out.push_str(&text[copied..]);
    out
}

/// Prefixes of Stripe object ids that name a customer's account, payments or cards.
const ACCOUNT_IDS: &[&str] = &[
    "cus_", "acct_", "ch_", "in_", "sub_", "pi_", "py_", "re_", "dp_", "pm_", "card_", "src_",
    "txn_",
];

/// Words that open or close a chat reply and name nobody's problem.
const SALUTATIONS: &[&str] = &[
    "hi", "hey", "hello", "dear", "thanks", "thank", "cheers", "best", "regards", "thx",
];

/// `text` made fit for a public page: e-mails and card numbers masked as in logs, account ids
/// (`cus_…`, `in_…`) and numbers of six digits or more as `[account]` and `[number]`, chat mentions
/// and the `names` given (whole words, any case) removed, and a greeting or sign-off line dropped.
pub fn for_docs(text: &str, names: &[&str]) -> String {
    let masked = redact(text);
    let lines: Vec<String> = masked
        .lines()
        .map(|l| {
            l.split(' ')
                .filter_map(|w| docs_word(w, names))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    let lines: Vec<&str> = lines.iter().map(|l| l.trim()).collect();
    let short_salutation = |l: &str| {
        let words: Vec<String> = l
            .split_whitespace()
            .map(|w| {
                w.trim_matches(|c: char| !c.is_alphanumeric())
                    .to_lowercase()
            })
            .collect();
        words.len() <= 3
            && words
                .first()
                .is_some_and(|w| SALUTATIONS.contains(&w.as_str()))
            || words.iter().all(|w| w.is_empty())
    };
    let start = lines.iter().take_while(|l| short_salutation(l)).count();
    let end = lines.len()
        - lines[start..]
            .iter()
            .rev()
            .take_while(|l| short_salutation(l))
            .count();
    without_greeting(&lines[start..end].join("\n"))
}

/// `text` without an opening "Hi Sarah," / "Hey there!" (a salutation and up to three words, then
/// a comma or exclamation mark).
fn without_greeting(text: &str) -> String {
    let text = text.trim();
    let words: Vec<&str> = text.split(' ').take(4).collect();
    let first = words.first().map(|w| {
        w.trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase()
    });
    if !first.is_some_and(|w| ["hi", "hey", "hello", "dear"].contains(&w.as_str())) {
        return text.to_string();
    }
    let mut at = 0;
    for w in words {
        at += w.len() + 1;
        if w.ends_with(',') || w.ends_with('!') {
            let rest = text[at.min(text.len())..].trim_start();
            let mut chars = rest.chars();
            return chars
                .next()
                .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect());
        }
    }
    text.to_string()
}

/// One word of a docs draft: kept, masked, or dropped (`None`).
fn docs_word(w: &str, names: &[&str]) -> Option<String> {
    let core = w.trim_matches(|c: char| !c.is_alphanumeric() && c != '_');
    if w.starts_with("<@") || w.starts_with("<#") || (w.starts_with('@') && core.len() > 1) {
        return None;
    }
    if names
        .iter()
        .any(|n| !n.is_empty() && core.eq_ignore_ascii_case(n))
    {
        return None;
    }
    if ACCOUNT_IDS
        .iter()
        .any(|p| core.starts_with(p) && core.len() > p.len() + 5)
    {
        return Some(w.replace(core, "[account]"));
    }
    if core.chars().filter(|c| c.is_ascii_digit()).count() >= 6
        && core.chars().all(|c| c.is_ascii_digit() || c == '-')
    {
        return Some(w.replace(core, "[number]"));
    }
    Some(w.to_string())
}

/// A writer that redacts what passes through it (each log event is written in one piece).
pub struct RedactingWriter<W: Write>(pub W);

impl<W: Write> Write for RedactingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .write_all(redact(&String::from_utf8_lossy(buf)).as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::{for_docs, redact};

    #[test]
    fn docs_drafts_lose_contacts_accounts_names_and_salutations() {
        let reply = "Hi Sarah,\nI checked cus_Q1w2E3r4T5 (invoice in_1AbCdEf9 for order 99812345): \
                     dark mode is not there yet. Write to sarah@corp.example or pay with \
                     4242 4242 4242 4242 meanwhile, <@U0ABC> knows.\nCheers,\nAna";
        let out = for_docs(reply, &["sarah", "Ana"]);
        assert_eq!(
            out,
            "I checked [account] (invoice [account] for order [number]): dark mode is not there \
             yet. Write to [email] or pay with [card] meanwhile, knows."
        );
        assert_eq!(for_docs("Thanks!", &[]), "");
        assert_eq!(for_docs("Hey Sam Lee, try again", &[]), "Try again");
        assert_eq!(
            for_docs("Hello from Berlin we are", &[]),
            "Hello from Berlin we are"
        );
        assert_eq!(
            for_docs("Version 2.4.1 fixed it", &[]),
            "Version 2.4.1 fixed it"
        );
    }

    #[test]
    fn emails_and_card_numbers_are_masked_and_nothing_else() {
        assert_eq!(
            redact("from jane.doe+x@example.co.uk: hi"),
            "from [email]: hi"
        );
        assert_eq!(
            redact("card 4242 4242 4242 4242 declined"),
            "card [card] declined"
        );
        assert_eq!(redact("card 4242-4242-4242-4242."), "card [card].");
        assert_eq!(redact("pan=5555555555554444"), "pan=[card]");
        assert_eq!(redact("amex 378282246310005 ok"), "amex [card] ok");
        // Not cards: a millisecond timestamp, a failing Luhn check, an order number in a word, too short.
        for keep in [
            "now=1795678452000",
            "4242424242424241",
            "ord4242424242424242",
            "42424242",
            "user@localhost",
            "a @ b",
            "é@x",
        ] {
            assert_eq!(redact(keep), keep);
        }
        assert_eq!(
            redact("ünïcode ok: bob@example.com ✓"),
            "ünïcode ok: [email] ✓"
        );
    }

    #[test]
    fn log_lines_pass_through_the_redacting_writer() {
        use std::sync::{Arc, Mutex};
        #[derive(Clone, Default)]
        struct Buf(Arc<Mutex<Vec<u8>>>);
        impl std::io::Write for Buf {
            fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
                self.0.lock().unwrap().extend_from_slice(b);
                Ok(b.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let buf = Buf::default();
        let sink = buf.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(move || super::RedactingWriter(sink.clone()))
            .with_ansi(false)
            .finish();
        tracing::subscriber::with_default(subscriber, || {
            tracing::warn!(
                from = "ann@example.org",
                "charge for 4000 0566 5566 5556 failed"
            );
        });
        let line = String::from_utf8(buf.0.lock().unwrap().clone()).unwrap();
        assert!(
            line.contains("charge for [card] failed") && line.contains("from=\"[email]\""),
            "{line}"
        );
        assert!(!line.contains("ann@") && !line.contains("5556"), "{line}");
    }
}
