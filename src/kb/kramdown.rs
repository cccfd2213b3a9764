//! kramdown's markup (Jekyll sites, the Just the Docs theme) read as the published page reads:
//! attribute lists (`{: .note }`, `[Start](#x){: .btn }`) are not text, a heading's `{: #id }` is
//! its anchor, the `1. TOC` / `{:toc}` placeholder and `{::comment}` blocks are nothing.

/// `text` without kramdown's attribute lists and extensions; unchanged when it has none.
pub fn plain(text: &str) -> String {
    if !text.contains("{:") {
        return text.to_string();
    }
    let mut out: Vec<String> = vec![];
    let mut fence: Option<&str> = None;
    let mut comment = false;
    for line in text.split_inclusive('\n') {
        let t = line.trim();
        if super::page_text::fenced(&mut fence, line.trim_start()) {
            out.push(line.to_string());
            continue;
        }
        if comment {
            comment = !t.starts_with("{:/");
            continue;
        }
        if t.starts_with("{::comment}") {
            comment = !t.contains("{:/");
            continue;
        }
        if !is_attribute_line(t) {
            out.push(strip_spans(line));
            continue;
        }
        let prev = out.last().map(|l| l.trim().to_string()).unwrap_or_default();
        if t == "{:toc}" && is_toc_item(&prev) {
            out.pop();
        } else if let Some(id) = anchor(t).filter(|_| is_heading(&prev) && !prev.ends_with('}')) {
            out.pop();
            out.push(format!("{prev} {{#{id}}}\n"));
        }
    }
    out.concat()
}

/// A line made only of attribute lists or extension tags: `{: .note }`, `{:toc}`, `{::options /}`.
fn is_attribute_line(t: &str) -> bool {
    let mut rest = t;
    if rest.is_empty() {
        return false;
    }
    while !rest.is_empty() {
        let Some(end) = rest.strip_prefix("{:").and_then(|r| r.find('}')) else {
            return false;
        };
        rest = rest[end + 3..].trim_start();
    }
    true
}

/// The `#id` an attribute list names, if any.
fn anchor(t: &str) -> Option<&str> {
    let inner = t.strip_prefix("{:")?.split('}').next()?;
    inner
        .split_whitespace()
        .find_map(|w| w.strip_prefix('#'))
        .filter(|id| !id.is_empty())
}

fn is_heading(t: &str) -> bool {
    let n = t.len() - t.trim_start_matches('#').len();
    (1..=6).contains(&n) && t[n..].starts_with(' ')
}

/// Just the Docs' table-of-contents placeholder: a one-item list `1. TOC` or `* TOC`.
fn is_toc_item(t: &str) -> bool {
    ["1. TOC", "* TOC", "- TOC", "+ TOC"].contains(&t)
}

/// `line` without span attribute lists (`[Get started](#start){: .btn .fs-5 }`): a `{:` followed by
/// a space, `.`, `#` or a `key=`, up to its `}`.
fn strip_spans(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(i) = rest.find("{:") {
        let after = &rest[i + 2..];
        let opens = after.starts_with([' ', '.', '#'])
            || after.split('}').next().is_some_and(|a| a.contains('='));
        match after
            .find('}')
            .filter(|e| opens && !after[..*e].contains('{'))
        {
            Some(e) => {
                out.push_str(rest[..i].trim_end_matches(' '));
                rest = &after[e + 1..];
            }
            None => {
                out.push_str(&rest[..i + 2]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::plain;

    const PAGE: &str = "# Setup\n{: .no_toc }\n\n## Table of contents\n{: .no_toc .text-delta }\n\n\
        1. TOC\n{:toc}\n\n## Install the agent\n\nRun the installer.\n[Download](#dl){: .btn .fs-5 }\n\n\
        {: .note }\nIt needs port 443.\n\n## Rotate the token\n{: #rotate }\n\nPress Rotate.\n\n\
        {::comment}\nfor editors only\n{:/comment}\n```ruby\nh = {:a => 1}\n```\n";

    #[test]
    fn attribute_lists_are_not_text_and_a_headings_id_is_its_anchor() {
        let out = plain(PAGE);
        assert!(
            !out.contains("{:") || out.contains("h = {:a => 1}"),
            "{out}"
        );
        assert_eq!(out.matches("{:").count(), 1, "{out}");
        assert!(out.contains("## Rotate the token {#rotate}\n"), "{out}");
        assert!(
            out.contains("Run the installer.\n[Download](#dl)\n"),
            "{out}"
        );
        assert!(out.contains("\n\nIt needs port 443."), "{out}");
        assert!(!out.contains("TOC") && !out.contains("editors"), "{out}");
    }

    #[test]
    fn a_page_without_kramdown_is_unchanged() {
        let page = "# Title\n\nA dict `{a: 1}` and {braces}.\n";
        assert_eq!(plain(page), page);
    }
}
