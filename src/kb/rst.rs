//! reStructuredText pages (Sphinx, Read the Docs) read as the markdown the section splitter takes:
//! titles under (and over) punctuation lines become `#` headings, ranked in the order their styles
//! first appear; literal blocks and code directives become fenced code; admonitions, tabs and
//! dropdowns become their title and text; references keep their text; the rest of the explicit
//! markup (targets, comments, substitutions, toctrees, images) is dropped.

use super::rst_inline::inline;
use super::rst_table::{directive_rows, grid_rows, simple_border, simple_rows};

/// The characters docutils accepts in a section title's adornment.
const ADORNMENT: &str = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

/// Directives whose body is code.
const CODE: &[&str] = &[
    "code",
    "code-block",
    "sourcecode",
    "parsed-literal",
    "doctest",
    "testcode",
    "testoutput",
    "prompt",
    "console",
];

/// Directives that say nothing a reader reads as text (their body included).
const DROPPED: &[&str] = &[
    "toctree",
    "image",
    "include",
    "literalinclude",
    "raw",
    "contents",
    "index",
    "meta",
    "math",
    "highlight",
    "sectnum",
    "default-role",
    "role",
    "title",
    "tabularcolumns",
    "only-html",
];

/// Directives whose argument is a path or an expression, not text (their body is text).
const ARG_NOT_TEXT: &[&str] = &["figure", "only", "ifconfig", "container", "tabs"];

/// `text` (a `.rst` page) as markdown.
pub fn to_markdown(text: &str) -> String {
    let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    let mut conv = Converter {
        styles: vec![],
        subs: substitutions(&lines),
        out: String::with_capacity(text.len()),
    };
    conv.block(&lines);
    conv.out
}

struct Converter {
    /// The title styles met so far (character, with an overline), outermost first.
    styles: Vec<(char, bool)>,
    /// Each substitution (`|name|`) and what it reads as: a `replace::` text, or nothing.
    subs: Vec<(String, String)>,
    out: String,
}

/// The page's substitution definitions: `.. |name| replace:: text` reads as the text, an image or
/// any other directive as nothing.
fn substitutions(lines: &[&str]) -> Vec<(String, String)> {
    let mut out = vec![];
    for l in lines {
        let Some(rest) = l.trim_start().strip_prefix(".. |") else {
            continue;
        };
        let Some((name, def)) = rest.split_once('|') else {
            continue;
        };
        let text = def.trim().strip_prefix("replace::").unwrap_or("").trim();
        out.push((format!("|{name}|"), text.to_string()));
    }
    out
}

/// The adornment character of a line made of one punctuation character repeated (at least three
/// times, from the first column).
fn adornment(line: &str) -> Option<char> {
    let c = line.chars().next()?;
    let repeated = line.len() >= 3 && line.chars().all(|x| x == c);
    (repeated && ADORNMENT.contains(c)).then_some(c)
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

/// Whether a line can be a section title: text from the first column, not explicit markup.
fn title_text(line: &str) -> bool {
    !line.is_empty() && indent(line) == 0 && !line.starts_with("..") && adornment(line).is_none()
}

/// The end of the indented block that starts at `from` (lines indented more than `base`, or blank),
/// trailing blank lines left out.
fn block_end(lines: &[&str], from: usize, base: usize) -> usize {
    let mut end = from;
    let mut i = from;
    while i < lines.len() && (lines[i].is_empty() || indent(lines[i]) > base) {
        i += 1;
        if !lines[i - 1].is_empty() {
            end = i;
        }
    }
    end
}

/// `lines` less their common indentation.
fn dedent<'a>(lines: &[&'a str]) -> Vec<&'a str> {
    let common = lines
        .iter()
        .filter(|l| !l.is_empty())
        .map(|l| indent(l))
        .min()
        .unwrap_or(0);
    lines
        .iter()
        .map(|l| l.get(common..).unwrap_or(l.trim_start()))
        .collect()
}

impl Converter {
    /// Converts a run of lines (a page, or a directive's dedented body).
    fn block(&mut self, lines: &[&str]) {
        let mut i = 0;
        while i < lines.len() {
            i = self.step(lines, i);
        }
    }

    /// Converts what starts at line `i`; returns the line after it.
    fn step(&mut self, lines: &[&str], i: usize) -> usize {
        let line = lines[i];
        let next = lines.get(i + 1).copied().unwrap_or("");
        let after = lines.get(i + 2).copied().unwrap_or("");
        let fresh = i == 0 || lines[i - 1].is_empty() || adornment(lines[i - 1]).is_some();
        if let Some(c) = adornment(line) {
            if title_text(next.trim_start()) && adornment(after) == Some(c) {
                self.heading((c, true), next.trim());
                return i + 3;
            }
            self.out.push('\n'); // a transition, or a table's border
            return i + 1;
        }
        if fresh && title_text(line) && adornment(next).is_some() {
            let c = adornment(next).unwrap_or('=');
            self.heading((c, false), line);
            return i + 2;
        }
        let t = line.trim_start();
        if t == ".." && next.is_empty() {
            return i + 1; // an empty comment ends what is above it and holds nothing
        }
        if t == ".." || t.starts_with(".. ") {
            return self.explicit(lines, i);
        }
        if t.is_empty() {
            self.out.push('\n');
            return i + 1;
        }
        if t.starts_with("+-") && t.ends_with('+') {
            return self.grid_table(lines, i);
        }
        if simple_border(line).is_some() {
            let (rows, end) = simple_rows(lines, i);
            self.rows(rows);
            return end;
        }
        self.paragraph(lines, i)
    }

    /// A run of text lines (a reference may span two), up to a blank line, explicit markup or a
    /// line ending in `::`, whose literal block follows.
    fn paragraph(&mut self, lines: &[&str], i: usize) -> usize {
        let mut j = i;
        while j < lines.len() {
            let t = lines[j].trim_start();
            let markup = t == ".." || t.starts_with(".. ");
            if t.is_empty() || (j > i && (markup || adornment(lines[j]).is_some())) {
                break;
            }
            j += 1;
            if t.ends_with("::") {
                let run: Vec<&str> = lines[i..j].iter().map(|l| l.trim_start()).collect();
                let joined = run.join("\n");
                let head = joined.trim_end_matches("::").trim_end();
                if !head.is_empty() {
                    self.text(&format!("{head}:"));
                }
                return self.literal_block(lines, j, indent(lines[i]));
            }
        }
        let run: Vec<&str> = lines[i..j].iter().map(|l| l.trim_start()).collect();
        self.text(&run.join("\n"));
        j.max(i + 1)
    }

    /// A grid table, each row as one markdown table row (see [`grid_rows`]).
    fn grid_table(&mut self, lines: &[&str], i: usize) -> usize {
        let (rows, end) = grid_rows(lines, i);
        self.rows(rows);
        end
    }

    /// A table's rows, each on its own line, set apart from the text around them.
    fn rows(&mut self, rows: Vec<String>) {
        self.out.push('\n');
        for row in rows {
            self.out.push_str(&inline(&self.substituted(&row)));
            self.out.push('\n');
        }
        self.out.push('\n');
    }

    /// `t` with the page's substitutions (`|name|`) replaced by what they read as.
    fn substituted(&self, t: &str) -> String {
        let mut t = t.to_string();
        for (name, value) in &self.subs {
            if t.contains(name.as_str()) {
                t = t.replace(&format!("{name}_"), value).replace(name, value);
            }
        }
        t
    }

    fn heading(&mut self, style: (char, bool), title: &str) {
        let level = match self.styles.iter().position(|s| *s == style) {
            Some(p) => p + 1,
            None => {
                self.styles.push(style);
                self.styles.len()
            }
        };
        let hashes = "#".repeat(level.min(6));
        self.out
            .push_str(&format!("\n{hashes} {}\n\n", inline(title)));
    }

    /// Running text: references reduced to their text; on each line a leading `#` escaped,
    /// auto-numbered list items numbered, line-block bars and table borders dropped.
    fn text(&mut self, t: &str) {
        let t = self.substituted(t);
        // Whether a line of text is open: the next line continues it unless it starts an item.
        let mut open = false;
        for line in inline(&t).lines() {
            if !line.is_empty() && line.chars().all(|c| c == ' ' || ADORNMENT.contains(c)) {
                self.out.push_str(if open { "\n\n" } else { "\n" });
                open = false;
                continue;
            }
            let numbered = line.strip_prefix("#. ").map(|r| format!("1. {r}"));
            let line = numbered.as_deref().unwrap_or(line);
            let bar = line.strip_prefix("| ");
            if open && bar.is_none() && !starts_item(line) {
                self.out.push(' ');
            } else {
                if open {
                    self.out.push('\n');
                }
                if line.starts_with('#') {
                    self.out.push('\\');
                }
            }
            self.out.push_str(bar.unwrap_or(line));
            open = true;
        }
        if open {
            self.out.push('\n');
        }
    }

    /// The indented block after a paragraph that ends in `::` (from line `from`, skipping blank
    /// lines), as code; returns the line after it.
    fn literal_block(&mut self, lines: &[&str], from: usize, base: usize) -> usize {
        let mut j = from;
        while j < lines.len() && lines[j].is_empty() {
            j += 1;
        }
        let end = block_end(lines, j, base);
        self.code(&lines[j..end]);
        end.max(from)
    }

    fn code(&mut self, lines: &[&str]) {
        let Some(first) = lines.iter().position(|l| !l.is_empty()) else {
            return;
        };
        let lines = &lines[first..];
        let body = dedent(lines).join("\n");
        let fence = if body.contains("```") { "````" } else { "```" };
        self.out
            .push_str(&format!("\n{fence}\n{body}\n{fence}\n\n"));
    }

    /// Explicit markup (`.. name:: args`, `.. _target:`, `.. |sub| …`, `.. [1]`, comments) and its
    /// indented block.
    fn explicit(&mut self, lines: &[&str], i: usize) -> usize {
        let base = indent(lines[i]);
        let end = block_end(lines, i + 1, base);
        let t = lines[i].trim_start();
        let Some((name, arg)) = t[2..].trim_start().split_once("::") else {
            return end; // a target, footnote or comment
        };
        let name = name.trim().to_ascii_lowercase();
        if name.contains(' ') || name.starts_with('|') || name.is_empty() {
            return end; // a substitution, or a comment that holds "::"
        }
        let body: Vec<&str> = lines[i + 1..end]
            .iter()
            .copied()
            .skip_while(|l| l.trim_start().starts_with(':') && !l.is_empty())
            .collect();
        let name = name.rsplit(':').next().unwrap_or(&name).to_string(); // `sphinx:code-block`
        if name.starts_with("auto") {
            return end; // autodoc: the body is options for a generator
        }
        if CODE.contains(&name.as_str()) {
            self.code(&body);
        } else if let Some(rows) = directive_rows(&name, &dedent(&lines[i + 1..end])) {
            self.text(arg.trim());
            self.rows(rows);
        } else if !DROPPED.contains(&name.as_str()) {
            let version = version_label(&name, arg);
            let title = version.as_deref().unwrap_or(arg.trim());
            if !title.is_empty() && !ARG_NOT_TEXT.contains(&name.as_str()) {
                self.text(title);
            } else if is_admonition(&name) {
                self.text(&format!("{}:", capitalised(&name)));
            }
            self.out.push('\n');
            self.block(&dedent(&body));
            self.out.push('\n');
        }
        end
    }
}

/// Whether a line starts a list item, a field or a table row rather than continuing a paragraph.
fn starts_item(line: &str) -> bool {
    let enumerated = |l: &str| {
        let n = l.chars().take_while(char::is_ascii_alphanumeric).count();
        (1..=3).contains(&n) && (l[n..].starts_with(". ") || l[n..].starts_with(") "))
    };
    ["- ", "* ", "+ ", "• "].iter().any(|b| line.starts_with(b))
        || line.starts_with([':', '|', '+'])
        || enumerated(line)
        || line.strip_prefix('(').is_some_and(enumerated)
}

/// A version note as Sphinx prints it: `versionadded:: 2.0` reads "New in version 2.0".
pub(super) fn version_label(name: &str, arg: &str) -> Option<String> {
    let lead = match name {
        "versionadded" => "New in version",
        "versionchanged" => "Changed in version",
        "versionremoved" => "Removed in version",
        "deprecated" => "Deprecated since version",
        _ => return None,
    };
    Some(format!("{lead} {}", arg.trim()))
}

/// Whether a directive is an admonition, read with its name as a label ("Note:").
pub(super) fn is_admonition(name: &str) -> bool {
    [
        "note",
        "warning",
        "tip",
        "important",
        "caution",
        "attention",
        "danger",
        "error",
        "hint",
        "seealso",
    ]
    .contains(&name)
}

pub(super) fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}
