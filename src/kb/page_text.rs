//! Page text as real documentation writes it, made plain: Windows line ends and byte-order marks,
//! GitHub's collapsible `<details><summary>Title</summary>` blocks (read as headings), HTML tags and
//! comments, and markdown links (their text kept, their address dropped) in what is indexed and quoted.

/// HTML elements documentation pages use for layout; their tags say nothing a customer asks about.
const TAGS: &[&str] = &[
    "a",
    "abbr",
    "b",
    "br",
    "center",
    "code",
    "details",
    "div",
    "em",
    "figcaption",
    "figure",
    "font",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "iframe",
    "img",
    "kbd",
    "li",
    "ol",
    "p",
    "picture",
    "pre",
    "small",
    "source",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "u",
    "ul",
    "video",
];

/// The page as the section splitter reads it: no byte-order mark, `\n` line ends, and each
/// `<summary>Title</summary>` outside code a heading one level below the heading above it (`<details>`
/// lines dropped), as GitHub shows them: a collapsible part with its own title.
pub fn normalise(text: &str) -> String {
    let text = text.trim_start_matches('\u{feff}').replace("\r\n", "\n");
    let text = super::readme_blocks::plain(&text);
    let text = super::myst::plain(&super::kramdown::plain(&text));
    let text = join_summaries(&super::dialects::plain_markdown(&text));
    let mut out = String::with_capacity(text.len());
    let (mut fence, mut level) = (None::<&str>, 1usize);
    for line in text.split_inclusive('\n') {
        let t = line.trim_start();
        if fenced(&mut fence, t) {
            out.push_str(line);
            continue;
        }
        if let Some(hashes) = atx_level(t) {
            level = hashes;
        } else if let Some(title) = summary(t) {
            let body = after_summary(t);
            out.push('\n');
            out.push_str(&"#".repeat((level + 1).min(6)));
            out.push(' ');
            out.push_str(&title);
            out.push_str("\n\n");
            out.push_str(body);
            if !body.ends_with('\n') {
                out.push('\n');
            }
            continue;
        } else if matches!(t.trim(), "<details>" | "</details>" | "<details open>") {
            out.push('\n');
            continue;
        }
        out.push_str(line);
    }
    out
}

/// Whether a line (`t`, without its indent) is fenced code: inside a fence, or a fence's opening or
/// closing line. Keeps `fence` (the open fence's marker) up to date.
pub(super) fn fenced<'a>(fence: &mut Option<&'a str>, t: &'a str) -> bool {
    if let Some(f) = *fence {
        if t.starts_with(f) {
            *fence = None;
        }
        return true;
    }
    if t.starts_with("```") || t.starts_with("~~~") {
        *fence = Some(&t[..3]);
        return true;
    }
    false
}

/// The level of an ATX heading line (`## Title`): 1–6 `#` followed by a space or the line's end.
fn atx_level(line: &str) -> Option<usize> {
    let n = line.len() - line.trim_start_matches('#').len();
    let next = line[n..].chars().next();
    ((1..=6).contains(&n) && next.is_none_or(char::is_whitespace)).then_some(n)
}

/// `text` with each `<summary>` written over several lines (`<summary>\n  Example <code>.env</code>\n
/// </summary>`, as Docusaurus pages do) joined into one, so it reads as a title like the others.
/// Outside code; at most five lines.
fn join_summaries(text: &str) -> String {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let mut out = String::with_capacity(text.len());
    let (mut fence, mut i) = (None::<&str>, 0);
    while i < lines.len() {
        let t = lines[i].trim();
        let opens = t
            .trim_start_matches("<details>")
            .trim_start()
            .starts_with("<summary>");
        if fenced(&mut fence, lines[i].trim_start()) || !opens || t.contains("</summary>") {
            out.push_str(lines[i]);
            i += 1;
            continue;
        }
        let end = (i + 1..lines.len().min(i + 5)).find(|j| lines[*j].contains("</summary>"));
        let Some(end) = end else {
            out.push_str(lines[i]);
            i += 1;
            continue;
        };
        let joined: Vec<&str> = lines[i..=end].iter().map(|l| l.trim()).collect();
        out.push_str(&joined.join(" ").replace("<summary> ", "<summary>"));
        out.push('\n');
        i = end + 1;
    }
    out
}

/// The title of a line holding `<summary>…</summary>` (after an optional `<details>`), tags removed.
fn summary(line: &str) -> Option<String> {
    let rest = line.strip_prefix("<details>").unwrap_or(line).trim_start();
    let inner = rest.strip_prefix("<summary>")?;
    let end = inner.find("</summary>")?;
    let title = plain(&inner[..end]);
    let title = title.trim().trim_start_matches('#').trim();
    (!title.is_empty()).then(|| title.to_string())
}

/// What follows `</summary>` on its line.
fn after_summary(line: &str) -> &str {
    line.find("</summary>")
        .map_or("", |i| line[i + "</summary>".len()..].trim_start())
}

/// `text` without HTML comments and layout tags, with `[text](address)` and `![alt](address)` read
/// as their text, and bold markers dropped. Code and every other character stay.
pub fn plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find(['<', '[', '!', '*']) {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let skip = if let Some(r) = rest.strip_prefix("<!--") {
            r.find("-->").map_or(rest.len(), |e| 4 + e + 3)
        } else if rest.starts_with('<') {
            let line = out.rsplit('\n').next().unwrap_or("");
            tag_len(rest, line.trim().is_empty()).unwrap_or(0)
        } else if let Some((label, len)) = link(rest) {
            out.push_str(label);
            len
        } else if rest.starts_with("**") {
            2
        } else {
            0
        };
        if skip == 0 {
            let c = rest.chars().next().map_or(1, char::len_utf8);
            out.push_str(&rest[..c]);
            rest = &rest[c..];
        } else {
            rest = &rest[skip..];
        }
    }
    out.push_str(rest);
    out
}

/// The length of an HTML tag at the start of `s` (`<br>`, `</div>`, `<img src="…"/>`) when its
/// element is one of [`TAGS`], or an MDX component: a name in PascalCase with attributes, closing or
/// self-closing, or opening a line (`<TabItem value="npm">`, `</Tabs>`, `<Tabs>` alone), so
/// placeholders such as `<YOUR_TOKEN>`, `<your-token>` and `monitor: <MonitorObject>` stay.
fn tag_len(s: &str, line_start: bool) -> Option<usize> {
    let end = s.find('>')?;
    let inner = s[1..end].trim_start_matches('/');
    let name: String = inner
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect::<String>();
    let rest = &inner[name.len()..];
    let component = name.starts_with(|c: char| c.is_ascii_uppercase())
        && name.chars().any(|c| c.is_ascii_lowercase())
        && (rest.is_empty() || rest.starts_with([' ', '/']))
        && (line_start || s.starts_with("</") || rest.contains('=') || rest.ends_with('/'));
    let lower = name.to_ascii_lowercase();
    let ok = (TAGS.contains(&lower.as_str()) || component) && !inner.contains('\n');
    ok.then_some(end + 1)
}

/// A markdown link or image at the start of `s` (inline, or by reference): its label and the length
/// of the whole link.
fn link(s: &str) -> Option<(&str, usize)> {
    let start = if s.starts_with("![") {
        2
    } else if s.starts_with('[') {
        1
    } else {
        return None;
    };
    let close = s[start..].find(']')? + start;
    let label = &s[start..close];
    if label.contains('\n') {
        return None;
    }
    if let Some(r) = s[close + 1..].strip_prefix('[') {
        // A reference link, `[label][ref]` or `[label][]`: its address is defined elsewhere.
        let end = r.find(']')?;
        return (!r[..end].contains('\n')).then_some((label, close + 2 + end + 1));
    }
    if !s[close + 1..].starts_with('(') {
        return None;
    }
    let end = s[close + 1..].find(')')? + close + 1;
    if s[close + 1..end].contains(['\n', ' ']) {
        return None;
    }
    Some((label, end + 1))
}

#[cfg(test)]
#[path = "page_text_tests.rs"]
mod tests;
