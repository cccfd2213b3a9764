//! reStructuredText inline markup as a reader sees it: ``literals`` as markdown code, hyperlink
//! references (`` `text <url>`_ ``, `` `text`_ ``) and roles (`` :ref:`text <target>` ``,
//! `` :doc:`page` ``, `` :py:func:`~mod.name` ``) reduced to their text.

/// `line` with its inline markup reduced. As docutils reads it, markup starts after a space or an
/// opening bracket, not before a space, and ends after a non-space; a backtick anywhere else is
/// text.
pub fn inline(line: &str) -> String {
    if !line.contains('`') {
        return bare_references(line);
    }
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(p) = rest.find('`') {
        let (before, after) = rest.split_at(p);
        let (plain, role) = strip_role(before);
        let opens = plain
            .chars()
            .next_back()
            .is_none_or(|c| c.is_whitespace() || "([{<\"'-/:".contains(c));
        let literal = after.strip_prefix("``");
        let (body, close) = match literal {
            Some(lit) => (lit, "``"),
            None => (&after[1..], "`"),
        };
        let end = body.match_indices(close).map(|(k, _)| k).find(|&k| {
            k > 0 && !body[..k].ends_with(char::is_whitespace) && !body[..k].ends_with('`')
        });
        let starts = body.chars().next().is_some_and(|c| !c.is_whitespace());
        let (Some(end), true, true) = (end, opens || role, starts) else {
            out.push_str(&bare_references(before));
            out.push('`');
            rest = &after[1..];
            continue;
        };
        out.push_str(&bare_references(plain));
        if literal.is_some() {
            out.push('`');
            out.push_str(&body[..end]);
            out.push('`');
            rest = &body[end + 2..];
            continue;
        }
        out.push_str(&reference_text(&body[..end], role));
        let tail = &body[end + 1..];
        rest = tail
            .strip_prefix("__")
            .or_else(|| tail.strip_prefix('_'))
            .unwrap_or(tail);
    }
    out.push_str(&bare_references(rest));
    out
}

/// `text` with its simple hyperlink references (`Docker_`, `http-01_`, `name__`) shown as their
/// word: a word of letters, digits, `-` and `.` that starts with a letter or digit, ends in one or two
/// underscores and stands alone (after a space or an opening bracket, before a space or
/// punctuation).
fn bare_references(text: &str) -> String {
    if !text.contains('_') {
        return text.to_string();
    }
    let word = |c: char| c.is_alphanumeric() || c == '-' || c == '.' || c == '_';
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(word) {
        let (before, tail) = rest.split_at(start);
        out.push_str(before);
        let len = tail.find(|c: char| !word(c)).unwrap_or(tail.len());
        // A full stop or dash that ends the run is punctuation, not part of the word.
        let len = tail[..len].trim_end_matches(['.', '-']).len().max(1);
        let (run, after) = tail.split_at(len);
        let opens = before
            .chars()
            .next_back()
            .is_none_or(|c| c.is_whitespace() || "([{<\"'".contains(c));
        let closes = after
            .chars()
            .next()
            .is_none_or(|c| c.is_whitespace() || ".,;:!?)]}'\"".contains(c));
        let name = run.trim_end_matches('_');
        let named = run.len() - name.len() <= 2
            && name.len() < run.len()
            && name.starts_with(|c: char| c.is_alphanumeric())
            && name.ends_with(|c: char| c.is_alphanumeric());
        out.push_str(if opens && closes && named { name } else { run });
        rest = after;
    }
    out.push_str(rest);
    out
}

/// What a reference or role shows: the text before ` <target>`, else the target; a `~` target
/// shows its last dotted part, as Sphinx renders it; `:menuselection:` arrows become `>`.
fn reference_text(inner: &str, role: bool) -> String {
    let inner = inner.trim();
    if let Some(open) = inner.rfind('<').filter(|_| inner.ends_with('>')) {
        let text = inner[..open].trim();
        if !text.is_empty() {
            return text.to_string();
        }
        return inner[open + 1..inner.len() - 1].to_string();
    }
    if let Some(short) = inner.strip_prefix('~').filter(|_| role) {
        return short.rsplit('.').next().unwrap_or(short).to_string();
    }
    inner.replace("-->", ">")
}

/// `before` less a role name (`:ref:`, `:py:class:`) right before the backtick, and whether it had
/// one.
fn strip_role(before: &str) -> (&str, bool) {
    let Some(body) = before.strip_suffix(':') else {
        return (before, false);
    };
    let name_len = body
        .chars()
        .rev()
        .take_while(|c| c.is_ascii_alphanumeric() || "_.+-:".contains(*c))
        .map(char::len_utf8)
        .sum::<usize>();
    let start = body.len() - name_len;
    let named = body[start..].starts_with(':') && name_len > 1;
    let at_word_start = body[..start]
        .chars()
        .next_back()
        .is_none_or(|c| c.is_whitespace() || "([{\"'".contains(c));
    if named && at_word_start {
        (&body[..start], true)
    } else {
        (before, false)
    }
}

#[cfg(test)]
mod tests {
    use super::inline;

    #[test]
    fn references_and_roles_keep_their_text() {
        let cases = [
            (
                "Run ``pip install foo`` first.",
                "Run `pip install foo` first.",
            ),
            (
                "See `the guide <https://x.example/guide>`_ for more.",
                "See the guide for more.",
            ),
            ("Read `Installation`_ again.", "Read Installation again."),
            (
                "Go to :ref:`backups <backup-label>` now.",
                "Go to backups now.",
            ),
            ("Call :py:func:`~app.client.connect`.", "Call connect."),
            ("Open :doc:`/setup/install`.", "Open /setup/install."),
            (
                "Choose :menuselection:`Settings --> Billing`.",
                "Choose Settings > Billing.",
            ),
            ("A lone ` tick stays.", "A lone ` tick stays."),
            ("Time is 10:30 `ok`_.", "Time is 10:30 ok."),
            ("<https://x.example>`__", "<https://x.example>`__"),
            (
                "the ```ORIGIN`` <https://x.example>`__-Header; set it to ``bypass``. See `A <u>`__ now",
                "the ``ORIGIN` <https://x.example>`__-Header; set it to `bypass`. See A now",
            ),
            ("a ` b` and `c ` d", "a ` b` and `c ` d"),
            (
                "Docker_ is quick; see http-01_ (80) and certbot.eff.org_.",
                "Docker is quick; see http-01 (80) and certbot.eff.org.",
            ),
            (
                "keep snake_case, __init__, _private and ``word_``; drop anon__",
                "keep snake_case, __init__, _private and `word_`; drop anon",
            ),
        ];
        for (raw, read) in cases {
            assert_eq!(inline(raw), read, "{raw}");
        }
    }
}
