//! reStructuredText inline markup as a reader sees it: ``literals`` as markdown code, hyperlink
//! references (`` `text <url>`_ ``, `` `text`_ ``) and roles (`` :ref:`text <target>` ``,
//! `` :doc:`page` ``, `` :py:func:`~mod.name` ``) reduced to their text.

/// `line` with its inline markup reduced. As docutils reads it, markup starts after a space or an
/// opening bracket, not before a space, and ends after a non-space; a backtick anywhere else is
/// text.
pub fn inline(line: &str) -> String {
    if !line.contains('`') {
        return line.to_string();
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
            out.push_str(before);
            out.push('`');
            rest = &after[1..];
            continue;
        };
        out.push_str(plain);
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
        ];
        for (raw, read) in cases {
            assert_eq!(inline(raw), read, "{raw}");
        }
    }
}
