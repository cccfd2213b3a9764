//! The passage of a long section that a question is about: asked which plugin gets a wildcard
//! certificate, a customer is quoted the lines on wildcards, not the section's first paragraph.

use super::terms::Terms;

/// How many characters the passage search reads as one window: what a quote shows after the
/// section's first sentence.
pub const WINDOW: usize = 300;

/// `text` (starting at byte `at`) cut after each `sep`.
fn pieces<'a>(text: &'a str, sep: &str, at: usize) -> Vec<(usize, &'a str)> {
    let mut out = vec![];
    let mut from = 0;
    while let Some(i) = text[from..].find(sep) {
        let end = from + i + sep.len();
        out.push((at + from, &text[from..end]));
        from = end;
    }
    if from < text.len() {
        out.push((at + from, &text[from..]));
    }
    out
}

/// The blocks of a section's body, each with the byte where it starts: paragraphs and lists split
/// at blank lines, a fenced code block kept whole (blank lines and all); a block longer than a
/// window is split into its lines, and a line longer than one into its sentences.
fn blocks(body: &str) -> Vec<(usize, &str)> {
    let mut out = vec![];
    let (mut start, mut fenced, mut at) = (None::<usize>, false, 0);
    for line in body.split_inclusive('\n') {
        let t = line.trim();
        if t.starts_with("```") || t.starts_with("~~~") {
            fenced = !fenced;
        }
        if t.is_empty() && !fenced {
            if let Some(s) = start.take() {
                out.push((s, &body[s..at]));
            }
        } else if start.is_none() {
            start = Some(at);
        }
        at += line.len();
    }
    if let Some(s) = start {
        out.push((s, &body[s..]));
    }
    out.into_iter().flat_map(split_long).collect()
}

/// A block longer than a window as its lines (a fenced block stays whole), and each line longer
/// than one as its sentences.
fn split_long((start, text): (usize, &str)) -> Vec<(usize, &str)> {
    if text.len() <= WINDOW || text.trim_start().starts_with("```") {
        return vec![(start, text)];
    }
    pieces(text, "\n", start)
        .into_iter()
        .flat_map(|(s, line)| {
            if line.len() > WINDOW {
                pieces(line, ". ", s)
            } else {
                vec![(s, line)]
            }
        })
        .collect()
}

/// Where in `body` the passage that holds most of the question's weight begins: the byte of the
/// first block of the window of consecutive blocks (about [`WINDOW`] characters) containing the
/// rarest and most of `query`'s terms, leaving out those the section's `title` names (the whole
/// section is about them). 0 when the body fits one window, or when its start holds as much as
/// any later window: a passage moves only for a better one.
pub fn focus(terms: &Terms, query: &[(String, f32)], title: &str, body: &str) -> usize {
    if body.len() <= WINDOW || query.is_empty() {
        return 0;
    }
    let blocks = blocks(body);
    let named = terms.analyze(title);
    // Which of the question's terms each block holds, as bits (the 64 weightiest terms).
    let mut query: Vec<&(String, f32)> = query.iter().filter(|(t, _)| !named.contains(t)).collect();
    query.sort_by(|a, b| b.1.total_cmp(&a.1));
    query.truncate(64);
    let held: Vec<u64> =
        blocks
            .iter()
            .map(|(_, text)| {
                let set = terms.analyze(text);
                query.iter().enumerate().fold(0u64, |bits, (k, (t, _))| {
                    if set.contains(t) { bits | 1 << k } else { bits }
                })
            })
            .collect();
    let weight = |bits: u64| -> f32 {
        (0..query.len())
            .filter(|k| bits & (1 << k) != 0)
            .map(|k| query[k].1)
            .sum()
    };
    let scores: Vec<f32> = (0..blocks.len())
        .map(|i| {
            let (mut bits, mut len, mut j) = (0u64, 0usize, i);
            while j < blocks.len() && (j == i || len + blocks[j].1.len() <= WINDOW) {
                bits |= held[j];
                len += blocks[j].1.len();
                j += 1;
            }
            // A table's rule line (`| --- | --- |`) is no place to start a quote.
            let rule = blocks[i].1.trim().chars().all(|c| "|-:+= ".contains(c));
            if rule { f32::MIN } else { weight(bits) }
        })
        .collect();
    let best = scores.iter().copied().fold(0.0, f32::max);
    if scores.first().is_none_or(|s| *s + 1e-6 >= best) {
        return 0;
    }
    // Windows sliding past the same words tie: take the middle one of the first run of ties, so
    // what the question asks about sits inside the quote, not at its cut end.
    let first = scores.iter().position(|s| *s + 1e-6 >= best).unwrap_or(0);
    let run = scores[first..]
        .iter()
        .take_while(|s| **s + 1e-6 >= best)
        .count();
    blocks[first + (run - 1) / 2].0
}

/// The quote of a section: its first sentences when they reach the passage the question is about
/// (from `focus`, the byte [`crate::domain::ports::KnowledgeBase::focus`] names) within `max`
/// characters; otherwise its first sentence, when short, then that passage, the cut marked "…".
pub fn extract_at(body: &str, focus: usize, max: usize) -> String {
    if focus == 0 || focus >= body.len() || !body.is_char_boundary(focus) {
        return super::markdown::extract(body, max);
    }
    let before = super::markdown::extract(&body[..focus], usize::MAX);
    if before.chars().count() + max.min(WINDOW) <= max {
        return super::markdown::extract(body, max);
    }
    // Its first sentence: up to a full stop that ends a word, not a list's "1.".
    let end = before.match_indices(". ").map(|(i, _)| i).find(|&i| {
        before[..i]
            .chars()
            .next_back()
            .is_some_and(|c| !c.is_ascii_digit())
    });
    let lead = end.map_or(before.as_str(), |i| &before[..=i]).trim();
    let lead = if lead.ends_with(['.', '!', '?']) && lead.chars().count() <= max / 3 {
        format!("{lead} ")
    } else {
        String::new()
    };
    let room = max.saturating_sub(lead.chars().count() + 2);
    format!("{lead}… {}", super::markdown::extract(&body[focus..], room))
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &str = "Certbot obtains certificates and installs them.\n\n\
        To obtain one, run the command below on the server.\n\n```\ncertbot certonly\n\n\
        certbot renew\n```\n\nAuthenticators prove you control the domain names you request a \
        certificate for. An authenticator is always required to obtain a certificate and most \
        people never choose one by hand.\n\nInstallers change your web server's configuration to \
        serve your website over HTTPS with the certificates obtained. An installer is only \
        required if you want Certbot to set the certificate up for you.\n\nThe DNS plugins prove \
        control by changing DNS records. They are the only way to obtain wildcard certificates.\n\n\
        The manual plugin asks you to do the steps yourself.";

    fn terms() -> Terms {
        Terms::new([BODY, "Renewal runs twice a day.", "Revoke a certificate."].into_iter())
    }

    #[test]
    fn a_quote_leads_with_the_first_sentence_then_the_passage() {
        let t = terms();
        let at = focus(
            &t,
            &t.query("which plugin for a wildcard?"),
            "Plugins",
            BODY,
        );
        let quote = extract_at(BODY, at, 420);
        assert!(
            quote.starts_with("Certbot obtains certificates and installs them. … "),
            "{quote}"
        );
        assert!(
            quote.contains("wildcard") && quote.chars().count() <= 420,
            "{quote}"
        );
        assert_eq!(
            extract_at(BODY, 0, 60),
            super::super::markdown::extract(BODY, 60)
        );
        let short = "Renewal runs twice a day.\n\nIt needs no setup.";
        assert_eq!(
            extract_at(short, 27, 420),
            "Renewal runs twice a day. It needs no setup."
        );
    }

    #[test]
    fn a_code_block_with_blank_lines_is_one_block() {
        let b = blocks(BODY);
        assert!(
            b[2].1.starts_with("```") && b[2].1.contains("certbot renew"),
            "{b:?}"
        );
        assert!(b.iter().all(|(s, t)| BODY[*s..].starts_with(t)));
    }

    #[test]
    fn the_window_moves_to_the_rarest_words_asked_about() {
        let t = terms();
        let q = t.query("which plugin do i need for a wildcard certificate?");
        let at = focus(&t, &q, "Getting certificates", BODY);
        assert!(BODY[at..].starts_with("Installers") || BODY[at..].starts_with("The DNS"));
        assert!(BODY[at..at + WINDOW.min(BODY.len() - at)].contains("wildcard"));
    }

    #[test]
    fn the_start_stays_when_it_answers_as_well_or_the_body_is_short() {
        let t = terms();
        let f = |q: &str, body: &str| focus(&t, &t.query(q), "Plugins", body);
        assert_eq!(f("how do I obtain certificates?", BODY), 0);
        assert_eq!(f("zebra crossing", BODY), 0);
        assert_eq!(f("renewal", "Renewal runs twice a day."), 0);
    }
}
