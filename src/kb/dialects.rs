//! The markup documentation generators add to markdown, read as the published page reads: MDX
//! `import`/`export` lines, Docusaurus and VuePress `:::tip Title` admonitions, GitHub's `> [!NOTE]`
//! alerts, MkDocs `!!! note "Title"` admonitions and `=== "Tab"` content tabs (their indented body
//! is text, not code), MDX components (Mintlify's `<Accordion title="…">` a heading, a tab's or
//! step's title a label), GitBook, Jekyll and Hugo template tags on lines of their own, and link
//! reference definitions (`[docs]: https://…`).

/// `text` with the generators' markup replaced by what a reader sees: an admonition's or tab's
/// title as a line of text, its body as plain lines; imports and template tags dropped. Code
/// blocks (fenced, or indented outside a MkDocs block) are left as written.
pub fn plain_markdown(text: &str) -> String {
    let text = &super::mdx::join_tags(text);
    let mut out = String::with_capacity(text.len());
    let mut fence: Option<&str> = None;
    // How many MkDocs blocks (each indented four more columns) the current line is inside.
    let mut depth = 0usize;
    // How many MDX components (`<Tabs>`, `<Accordion …>`) are open: their bodies' indent is layout.
    let mut jsx = 0usize;
    for line in text.split_inclusive('\n') {
        if !line.trim().is_empty() && fence.is_none() {
            while depth > 0 && indent(line) < 4 * depth {
                depth -= 1;
            }
        }
        let line = dedent(line, 4 * depth);
        let line = match jsx > 0 && fence.is_none() && !line.trim().is_empty() {
            true => line.trim_start(),
            false => line,
        };
        let t = line.trim_start();
        if t.starts_with('#') && fence.is_none() {
            jsx = 0; // a component left open does not reach past the next heading
        }
        if super::page_text::fenced(&mut fence, t) || indent(line) >= 4 {
            out.push_str(line); // code, fenced or indented
            continue;
        }
        if let Some(title) = mkdocs_block(t) {
            depth += 1;
            push_title(&mut out, title);
        } else if let Some(title) = colon_admonition(t) {
            push_title(&mut out, title);
        } else if let Some(tag) = super::mdx::component(t) {
            jsx = tag.depth_after(jsx);
            match tag.title {
                Some(q) if tag.collapsible() => {
                    out.push_str(&format!("\n<summary>{q}</summary>\n\n"))
                }
                Some(label) => push_title(&mut out, label),
                None => out.push('\n'),
            }
        } else if let Some(title) = template_title(t) {
            push_title(&mut out, title);
        } else if is_module_line(line)
            || is_template_tag(t)
            || is_toc_marker(t)
            || is_github_alert(t)
            || is_link_definition(t)
        {
            out.push('\n');
        } else {
            out.push_str(line);
        }
    }
    out
}

/// `"Title"` (surrounding space allowed): the title.
fn quoted(r: &str) -> Option<&str> {
    let r = r.trim().strip_prefix('"')?.strip_suffix('"')?;
    (!r.contains('"')).then_some(r.trim())
}

/// An admonition's or tab's title as a paragraph of its own, read as a label ("Automatic
/// updates:") when a quote runs it into the text below; nothing for an untitled one.
fn push_title(out: &mut String, title: &str) {
    out.push('\n');
    if !title.is_empty() {
        out.push_str(title);
        if !title.ends_with(['.', ':', '!', '?']) {
            out.push(':');
        }
        out.push_str("\n\n");
    }
}

/// Leading columns of `line` (a tab counts four).
fn indent(line: &str) -> usize {
    line.chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .map(|c| if c == '\t' { 4 } else { 1 })
        .sum()
}

/// `line` without up to `cols` leading columns.
fn dedent(line: &str, cols: usize) -> &str {
    let mut taken = 0;
    for (i, c) in line.char_indices() {
        if taken >= cols || !(c == ' ' || c == '\t') {
            return &line[i..];
        }
        taken += if c == '\t' { 4 } else { 1 };
    }
    line.trim_start_matches([' ', '\t'])
}

/// A MkDocs admonition (`!!! note "Title"`, collapsible `??? tip`, `???+ warning`) or content tab
/// (`=== "Docker"`): its title, quoted or empty. A setext underline (`===`) is no tab.
fn mkdocs_block(t: &str) -> Option<&str> {
    let t = t.trim_end();
    if let Some(r) = t.strip_prefix("===+").or_else(|| t.strip_prefix("===")) {
        return r.starts_with(' ').then(|| quoted(r)).flatten();
    }
    let r = ["!!!", "???+", "???"]
        .iter()
        .find_map(|m| t.strip_prefix(m))?
        .strip_prefix(' ')?
        .trim_start();
    let kind_len = r
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
        .unwrap_or(r.len());
    if kind_len == 0 {
        return None;
    }
    let after = r[kind_len..].trim();
    // `!!! note inline end "Title"`: modifiers before the title.
    let title_at = after.find('"').unwrap_or(after.len());
    if after[..title_at]
        .split_whitespace()
        .any(|w| !w.chars().all(|c| c.is_ascii_alphabetic()))
    {
        return None;
    }
    Some(if title_at == after.len() {
        ""
    } else {
        quoted(&after[title_at..])?
    })
}

/// A Docusaurus or VuePress admonition fence (`:::tip Title`, `:::note[Title]`, `::: warning`, the
/// closing `:::`): its title, or empty.
fn colon_admonition(t: &str) -> Option<&str> {
    let rest = t
        .trim_end()
        .strip_prefix(":::")?
        .trim_start_matches(':')
        .trim();
    let kind_len = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
        .unwrap_or(rest.len());
    let after = rest[kind_len..].trim();
    let title = after
        .strip_prefix('[')
        .and_then(|r| r.strip_suffix(']'))
        .unwrap_or(after);
    let title = title.trim_start_matches('{').trim_end_matches('}');
    Some(if after.starts_with('{') {
        ""
    } else {
        title.trim()
    })
}

/// An MDX module line at the top level: `import Tabs from '@theme/Tabs';`, `export const x = …`.
fn is_module_line(line: &str) -> bool {
    let t = line.trim_end();
    let import = t.strip_prefix("import ").is_some_and(|r| {
        r.contains(" from '") || r.contains(" from \"") || r.starts_with(['\'', '"'])
    });
    let export = [
        "export const ",
        "export default ",
        "export function ",
        "export {",
    ]
    .iter()
    .any(|p| t.starts_with(p));
    import || export
}

/// A line that is only a template tag: GitBook's `{% hint style="info" %}`, Jekyll's `{% raw %}`,
/// Hugo's `{{< ref "x" >}}` and `{{% notice %}}`.
/// The title a template tag shows (GitBook's `{% tab title="npm" %}`, Hugo's
/// `{{< tab name="Docker" >}}` or `{{% tab header="pip" %}}`).
fn template_title(t: &str) -> Option<&str> {
    let keys = ["title=", "name=", "header="];
    is_template_tag(t)
        .then(|| keys.iter().find_map(|k| super::mdx::value(t, k)))
        .flatten()
}

fn is_template_tag(t: &str) -> bool {
    let t = t.trim_end();
    [("{%", "%}"), ("{{<", ">}}"), ("{{%", "%}}")]
        .iter()
        .any(|(a, b)| t.starts_with(a) && t.ends_with(b) && t.matches(a).count() == 1)
}

/// A table-of-contents placeholder: VitePress' and markdown-it's `[[toc]]`, GitLab's `[[_TOC_]]`,
/// `[TOC]`. The generator puts the page's headings there; it says nothing itself.
fn is_toc_marker(t: &str) -> bool {
    let t = t.trim_end().to_ascii_lowercase();
    ["[[toc]]", "[[_toc_]]", "[toc]"].contains(&t.as_str())
}

/// A link reference definition, `[compose-file]: https://…` (an address, not text).
fn is_link_definition(t: &str) -> bool {
    let Some(r) = t.strip_prefix('[').filter(|r| !r.starts_with('^')) else {
        return false;
    };
    r.find("]:").is_some_and(|i| {
        !r[..i].is_empty() && !r[..i].contains(']') && !r[i + 2..].trim().is_empty()
    })
}

/// GitHub's alert marker line: `> [!NOTE]`, `> [!WARNING]`.
fn is_github_alert(t: &str) -> bool {
    let r = t.trim_end().trim_start_matches('>').trim();
    r.strip_prefix("[!")
        .and_then(|r| r.strip_suffix(']'))
        .is_some_and(|k| !k.is_empty() && k.chars().all(|c| c.is_ascii_alphabetic()))
}

#[cfg(test)]
#[path = "dialects_tests.rs"]
mod tests;
