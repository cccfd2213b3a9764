//! MDX components on lines of their own (`<Tabs>`, `<Tab title="npm">`, `</Accordion>`, `<Info />`),
//! as Mintlify and Docusaurus pages write them: what they are called and the title they show; an
//! opening tag wrapped over several lines joined into one first.

/// Components that fold their body under a title (Mintlify's `<Accordion title="Can I…?">`): the
/// title reads as a heading, as a `<details>` block's summary does.
const COLLAPSIBLE: &[&str] = &["Accordion", "Expandable", "Collapse", "Details"];

/// A component's tag alone on a line.
pub struct Tag<'a> {
    pub name: &'a str,
    /// Its `title="…"` or `label="…"`.
    pub title: Option<&'a str>,
    kind: Kind,
}

#[derive(PartialEq)]
enum Kind {
    Open,
    Close,
    SelfClosing,
}

impl Tag<'_> {
    /// How many components are open after this tag, given how many were before it.
    pub fn depth_after(&self, depth: usize) -> usize {
        match self.kind {
            Kind::Open => depth + 1,
            Kind::Close => depth.saturating_sub(1),
            Kind::SelfClosing => depth,
        }
    }

    pub fn collapsible(&self) -> bool {
        self.kind == Kind::Open && COLLAPSIBLE.contains(&self.name)
    }
}

/// The component tag that is all of `t` (a line without its indent): a name in PascalCase, as JSX
/// tells components from HTML elements (a placeholder such as `<YOUR_TOKEN>` is not one).
pub fn component(t: &str) -> Option<Tag<'_>> {
    let inner = t.trim_end().strip_prefix('<')?.strip_suffix('>')?;
    let (inner, self_closing) = match inner.strip_suffix('/') {
        Some(i) => (i.trim_end(), true),
        None => (inner, false),
    };
    let (body, closing) = match inner.strip_prefix('/') {
        Some(b) => (b, true),
        None => (inner, false),
    };
    let end = body
        .find(|c: char| !(c.is_alphanumeric() || c == '.' || c == '_'))
        .unwrap_or(body.len());
    let (name, attrs) = body.split_at(end);
    if !pascal_case(name) || !(attrs.is_empty() || attrs.starts_with(char::is_whitespace)) {
        return None;
    }
    let kind = match (closing, self_closing) {
        (true, _) => Kind::Close,
        (false, true) => Kind::SelfClosing,
        (false, false) => Kind::Open,
    };
    let title = ["title=", "label="].iter().find_map(|k| value(attrs, k));
    Some(Tag { name, title, kind })
}

/// An attribute's quoted value (`title="Install"`, `label='npm'`).
pub(super) fn value<'a>(attrs: &'a str, key: &str) -> Option<&'a str> {
    let at = attrs
        .match_indices(key)
        .find(|(k, _)| attrs[..*k].ends_with(char::is_whitespace))?
        .0;
    let rest = &attrs[at + key.len()..];
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let rest = &rest[1..];
    let text = rest[..rest.find(quote)?].trim();
    (!text.is_empty()).then_some(text)
}

/// `text` with each component's opening tag written over several lines (`<Accordion\n  title="…"\n>`,
/// as prettier wraps a long one) joined into one line, outside fenced code.
pub fn join_tags(text: &str) -> String {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let mut out = String::with_capacity(text.len());
    let mut fence = None;
    let mut i = 0;
    while i < lines.len() {
        let t = lines[i].trim_start();
        let opens = t.starts_with('<') && !t.contains('>') && pascal_case(&t[1..]);
        if super::page_text::fenced(&mut fence, t) || !opens {
            out.push_str(lines[i]);
            i += 1;
            continue;
        }
        let end = (i + 1..lines.len().min(i + 12)).find(|&j| lines[j].trim_end().ends_with('>'));
        let Some(end) = end.filter(|&j| lines[i + 1..j].iter().all(|l| !l.contains(['<', '>'])))
        else {
            out.push_str(lines[i]);
            i += 1;
            continue;
        };
        let indent = &lines[i][..lines[i].len() - t.len()];
        let joined: Vec<&str> = lines[i..=end].iter().map(|l| l.trim()).collect();
        out.push_str(indent);
        out.push_str(
            &joined
                .join(" ")
                .replace("< ", "<")
                .replace(" >", ">")
                .replace(" />", "/>"),
        );
        out.push('\n');
        i = end + 1;
    }
    out
}

/// Whether `s` starts with a name in PascalCase.
fn pascal_case(s: &str) -> bool {
    let name: String = s.chars().take_while(char::is_ascii_alphanumeric).collect();
    name.starts_with(|c: char| c.is_ascii_uppercase())
        && name.chars().any(|c| c.is_ascii_lowercase())
}
