//! AsciiDoc pages (Asciidoctor, Antora) read as the markdown the section splitter takes: `=`
//! section titles become `#` headings (an explicit `[[id]]` or `[#id]` their anchor); listing,
//! literal and source blocks become fenced code; admonitions, examples, sidebars and quotes keep a
//! label and their text; tables become markdown rows; lists and description lists become markdown
//! lists; attribute entries are applied where referenced; comments, passthroughs, includes, images
//! and conditional directives are dropped.

use super::adoc_inline::Attributes;
use super::adoc_table::column_count;

const ADMONITIONS: &[&str] = &["NOTE", "TIP", "IMPORTANT", "WARNING", "CAUTION"];

/// Block macros and preprocessor directives that hold nothing a reader reads as text.
const DROPPED: &[&str] = &[
    "image::",
    "include::",
    "toc::",
    "video::",
    "audio::",
    "ifdef::",
    "ifndef::",
    "ifeval::",
    "endif::",
];

/// Block styles whose text is code.
const CODE: &[&str] = &["source", "listing", "literal"];

/// `text` (an `.adoc` page) as markdown.
pub fn to_markdown(text: &str) -> String {
    let mut conv = Converter {
        attrs: Attributes::default(),
        next: Pending::default(),
        out: String::with_capacity(text.len()),
    };
    let body = conv.front_matter(text);
    let lines: Vec<&str> = body.lines().map(str::trim_end).collect();
    let start = conv.header(&lines);
    conv.block(&lines[start..]);
    conv.out
}

/// The block attribute line and title waiting for the block they describe.
#[derive(Default)]
struct Pending {
    /// The first positional attribute: `source`, `NOTE`, `quote`, … (shorthand id and roles cut).
    style: String,
    /// A source block's language.
    lang: String,
    id: Option<String>,
    /// `.Title` above a block.
    title: Option<String>,
    /// `cols`, for a table.
    cols: Option<usize>,
}

impl Pending {
    /// Reads a block attribute line (`[source,bash]`, `[NOTE]`, `[[id]]`, `[#id.role]`,
    /// `[cols="1,2",options="header"]`).
    fn read(&mut self, line: &str) {
        if let Some(id) = line.strip_prefix("[[").and_then(|r| r.strip_suffix("]]")) {
            self.id = Some(id.split(',').next().unwrap_or("").trim().to_string());
            return;
        }
        let inner = &line[1..line.len() - 1];
        for (k, part) in split_attrs(inner).into_iter().enumerate() {
            let part = part.trim();
            if let Some((name, value)) = part.split_once('=') {
                let value = value.trim().trim_matches('"');
                match name.trim() {
                    "id" => self.id = Some(value.to_string()),
                    "cols" => self.cols = column_count(value),
                    "language" => self.lang = value.to_string(),
                    _ => {}
                }
            } else if k == 0 {
                self.shorthand(part);
            } else if k == 1 && (self.style == "source" || self.style.is_empty()) {
                self.lang = part.to_string();
                if self.style.is_empty() {
                    self.style = "source".into();
                }
            }
        }
    }

    /// The first positional attribute: a style, then `#id`, `.role` and `%option` shorthands (the id
    /// kept).
    fn shorthand(&mut self, part: &str) {
        let cut = part.find(['#', '.', '%']).unwrap_or(part.len());
        self.style = part[..cut].to_string();
        let mut rest = &part[cut..];
        while let Some(kind) = rest.chars().next() {
            let end = rest[1..]
                .find(['#', '.', '%'])
                .map_or(rest.len(), |k| k + 1);
            let value = &rest[1..end];
            if kind == '#' {
                self.id = Some(value.to_string());
            }
            rest = &rest[end..];
        }
    }

    fn admonition(&self) -> Option<&str> {
        ADMONITIONS
            .contains(&self.style.as_str())
            .then_some(self.style.as_str())
    }
}

/// Splits an attribute list at commas outside double quotes.
fn split_attrs(s: &str) -> Vec<&str> {
    let (mut parts, mut from, mut quoted) = (vec![], 0, false);
    for (k, c) in s.char_indices() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => {
                parts.push(&s[from..k]);
                from = k + 1;
            }
            _ => {}
        }
    }
    parts.push(&s[from..]);
    parts
}

struct Converter {
    attrs: Attributes,
    next: Pending,
    out: String,
}

/// A block delimiter: four or more of `-.=*_+/` (or `--`, an open block), a table's `|===`
/// (`,===`, `:===`, `!===`), or a markdown fence.
fn delimiter(s: &str) -> Option<&str> {
    let c = s.chars().next()?;
    let repeated = s.len() >= 4 && s.chars().all(|x| x == c) && "-.=*_+/".contains(c);
    let table = s.len() >= 4 && "|,:!".contains(c) && s[1..].chars().all(|x| x == '=');
    (repeated || table || s == "--" || s.starts_with("```")).then_some(s)
}

/// A section title: `=` (or markdown's `#`) one to six times, a space, the title; closing marks
/// of the symmetric form dropped.
fn heading(line: &str) -> Option<(usize, &str)> {
    let c = line.chars().next().filter(|c| *c == '=' || *c == '#')?;
    let level = line.chars().take_while(|x| *x == c).count();
    let title = line[level..].strip_prefix(' ')?.trim();
    let title = title.trim_end_matches(c).trim_end();
    (level <= 6 && !title.is_empty()).then_some((level, title))
}

/// `:name: value`, `:name!:` or `:!name:` → the name, and its value (`None`: unset).
pub(super) fn attribute_entry(s: &str) -> Option<(&str, Option<&str>)> {
    let rest = s.strip_prefix(':')?;
    let (name, value) = rest.split_once(':')?;
    let valid =
        |n: &str| !n.is_empty() && n.chars().all(|c| c.is_alphanumeric() || "_-".contains(c));
    if let Some(n) = name.strip_prefix('!').or_else(|| name.strip_suffix('!')) {
        return valid(n).then_some((n, None));
    }
    let value = value.strip_prefix(' ').unwrap_or(value);
    (valid(name) && (value.is_empty() || rest[name.len() + 1..].starts_with(' ')))
        .then_some((name, Some(value.trim())))
}

/// A block title: `.Title` (a dot, then neither a space nor another dot).
fn block_title(s: &str) -> Option<&str> {
    let rest = s.strip_prefix('.')?;
    let first = rest.chars().next()?;
    (!first.is_whitespace() && first != '.').then_some(rest)
}

/// A list item: its kind of marker and its text. Unordered `*`…`*****` and `-`, ordered
/// `.`…`.....` and `1.`, callouts `<1>`, and description lists `term:: definition`. As AsciiDoc
/// nests lists, each kind met is one level deeper than the one before it.
fn list_item(line: &str) -> Option<(&str, String)> {
    let s = line.trim_start();
    let (marker, text) = s.split_once(' ').unwrap_or((s, ""));
    let text = text.trim().to_string();
    let repeated =
        |c: char| !marker.is_empty() && marker.len() <= 5 && marker.chars().all(|x| x == c);
    if repeated('*') || repeated('.') || marker == "-" {
        return Some((marker, text));
    }
    if marker
        .strip_suffix('.')
        .is_some_and(|n| n.parse::<u32>().is_ok())
    {
        return Some(("1.", text));
    }
    if marker.starts_with('<') && marker.ends_with('>') && marker.len() > 2 {
        return Some(("<>", text));
    }
    for sep in ["::::", ":::", "::", ";;"] {
        if let Some((term, def)) = s.split_once(sep) {
            let ends = def.is_empty() || def.starts_with(char::is_whitespace);
            if ends && !term.trim().is_empty() && !term.contains("://") {
                let text = format!("{}: {}", term.trim(), def.trim());
                return Some((sep, text));
            }
        }
    }
    None
}

/// The markdown marker of a list kind: numbered for ordered kinds.
fn markdown_marker(kind: &str) -> &'static str {
    if kind.starts_with('.') || kind == "1." || kind == "<>" {
        "1. "
    } else {
        "- "
    }
}

/// A code line less its callout mark (`<1>`, `// <1>`, `# <1>`).
fn without_callout(line: &str) -> &str {
    let t = line.trim_end();
    let Some(open) = t.rfind('<') else {
        return line;
    };
    let mark = &t[open + 1..];
    let is_mark = mark
        .strip_suffix('>')
        .is_some_and(|n| n == "." || n.parse::<u32>().is_ok());
    if !is_mark {
        return line;
    }
    let head = t[..open].trim_end();
    head.strip_suffix("//")
        .or_else(|| head.strip_suffix('#'))
        .or_else(|| head.strip_suffix("--"))
        .unwrap_or(head)
        .trim_end()
}

#[path = "adoc_blocks.rs"]
mod blocks;

#[cfg(test)]
#[path = "adoc_tests.rs"]
mod tests;
