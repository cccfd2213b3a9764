//! The blocks of an AsciiDoc page: its header, section titles, paragraphs, lists and delimited
//! blocks (code, tables, and the examples, sidebars, quotes and open blocks that hold more blocks).

use super::{
    ADMONITIONS, CODE, Converter, DROPPED, Pending, attribute_entry, block_title, delimiter,
    heading, list_item, markdown_marker, without_callout,
};
use crate::kb::adoc_inline::inline;
use crate::kb::adoc_table::table_rows;

impl Converter {
    /// A YAML front matter block (Jekyll's AsciiDoc pages carry one) kept as it is, so the markdown
    /// reader takes its title and tags; returns the rest of the page.
    pub(super) fn front_matter<'a>(&mut self, text: &'a str) -> &'a str {
        let Some(rest) = text.strip_prefix("---\n") else {
            return text;
        };
        let Some(end) = rest.find("\n---\n") else {
            return text;
        };
        let head = text.len() - rest.len() + end + 5;
        self.out.push_str(&text[..head]);
        self.out.push('\n');
        &text[head..]
    }

    /// The document header: `= Title`, then (up to a blank line) the author and revision lines,
    /// which are not text, and attribute entries. Returns the line after it (0: no header).
    pub(super) fn header(&mut self, lines: &[&str]) -> usize {
        let first = lines.iter().position(|l| {
            let s = l.trim();
            !(s.is_empty() || s.starts_with("//") || attribute_entry(s).is_some())
        });
        let Some(k) = first else {
            return 0;
        };
        let Some((1, title)) = heading(lines[k]) else {
            return 0;
        };
        for l in &lines[..k] {
            if let Some((name, value)) = attribute_entry(l.trim()) {
                self.attrs.set(name, value);
            }
        }
        self.heading(1, title);
        let mut j = k + 1;
        while j < lines.len() && !lines[j].trim().is_empty() {
            if let Some((name, value)) = attribute_entry(lines[j].trim()) {
                self.attrs.set(name, value);
            }
            j += 1;
        }
        j
    }

    /// Converts a run of lines (a page, or a delimited block's content).
    pub(super) fn block(&mut self, lines: &[&str]) {
        let mut i = 0;
        while i < lines.len() {
            i = self.step(lines, i);
        }
    }

    /// Converts what starts at line `i`; returns the line after it.
    fn step(&mut self, lines: &[&str], i: usize) -> usize {
        let line = lines[i];
        let s = line.trim();
        if s.is_empty() {
            self.out.push('\n');
            return i + 1;
        }
        if let Some(d) = delimiter(s) {
            return self.delimited(lines, i, d);
        }
        if s.starts_with("//") || s == "+" {
            return i + 1;
        }
        if let Some((name, value)) = attribute_entry(s) {
            self.attrs.set(name, value);
            return i + 1;
        }
        if is_attribute_line(s) {
            self.next.read(s);
            return i + 1;
        }
        if DROPPED.iter().any(|m| s.starts_with(m)) {
            self.next = Pending::default();
            return i + 1;
        }
        if let Some((level, title)) = heading(line) {
            self.heading(level, title);
            return i + 1;
        }
        if let Some(title) = block_title(s) {
            self.next.title = Some(title.to_string());
            return i + 1;
        }
        self.paragraph(lines, i)
    }

    /// A section title as a markdown heading, with its explicit id (`[[id]]` above it or in it,
    /// `[#id]` above it) as its anchor.
    pub(super) fn heading(&mut self, level: usize, title: &str) {
        let p = std::mem::take(&mut self.next);
        let mut title = title.to_string();
        let mut id = p.id;
        if let (Some(a), Some(b)) = (title.find("[["), title.find("]]"))
            && a < b
        {
            id = id.or_else(|| Some(title[a + 2..b].split(',').next()?.trim().to_string()));
            title.replace_range(a..b + 2, "");
        }
        let anchor = id
            .filter(|i| !i.is_empty())
            .map(|i| format!(" {{#{i}}}"))
            .unwrap_or_default();
        let text = inline(title.trim(), &self.attrs);
        self.out
            .push_str(&format!("\n{} {text}{anchor}\n\n", "#".repeat(level)));
    }

    /// A paragraph, list, admonition paragraph (`NOTE: …`) or literal (indented) paragraph, up to
    /// a blank line or the start of another block.
    fn paragraph(&mut self, lines: &[&str], i: usize) -> usize {
        let literal = lines[i].starts_with(char::is_whitespace) && list_item(lines[i]).is_none();
        let end = (i + 1..lines.len())
            .find(|&k| ends_paragraph(lines[k], literal))
            .unwrap_or(lines.len());
        let run: Vec<&str> = lines[i..end]
            .iter()
            .copied()
            .filter(|l| literal || !l.trim_start().starts_with("//"))
            .collect();
        let p = std::mem::take(&mut self.next);
        self.title(&p);
        if literal || CODE.contains(&p.style.as_str()) {
            self.fence(&run, &p.lang);
            return end;
        }
        if list_item(lines[i]).is_some() {
            self.list(&run);
            return end;
        }
        let text: Vec<&str> = run.iter().map(|l| hard_break(l.trim())).collect();
        let mut text = text.join(" ");
        if let Some(label) = p.admonition() {
            text = format!("{}: {text}", capitalised(label));
        } else if let Some((label, rest)) = text.split_once(": ")
            && ADMONITIONS.contains(&label)
        {
            text = format!("{}: {rest}", capitalised(label));
        }
        self.out.push_str(&inline(&text, &self.attrs));
        self.out.push_str("\n\n");
        end
    }

    /// List items, each with the lines that continue it joined to it, nested as their kinds of
    /// marker nest.
    fn list(&mut self, run: &[&str]) {
        let mut kinds: Vec<&str> = vec![];
        let mut item: Option<(String, String)> = None;
        for l in run {
            if let Some((kind, text)) = list_item(l) {
                match kinds.iter().position(|k| *k == kind) {
                    Some(k) => kinds.truncate(k + 1),
                    None => kinds.push(kind),
                }
                let parents = &kinds[..kinds.len() - 1];
                let indent: usize = parents.iter().map(|k| markdown_marker(k).len()).sum();
                let marker = format!("{}{}", " ".repeat(indent), markdown_marker(kind));
                self.item(item.replace((marker, text)));
            } else if let Some((_, text)) = item.as_mut() {
                if !text.is_empty() && !text.ends_with(' ') {
                    text.push(' ');
                }
                text.push_str(hard_break(l.trim()));
            }
        }
        self.item(item);
        self.out.push('\n');
    }

    fn item(&mut self, item: Option<(String, String)>) {
        if let Some((marker, text)) = item {
            self.out.push_str(&marker);
            self.out.push_str(inline(&text, &self.attrs).trim_end());
            self.out.push('\n');
        }
    }

    /// A delimited block from line `i` to its closing delimiter (or the page's end); returns the
    /// line after it.
    fn delimited(&mut self, lines: &[&str], i: usize, d: &str) -> usize {
        let (close, fence_lang) = match d.strip_prefix("```") {
            Some(lang) => ("```", lang.trim()),
            None => (d, ""),
        };
        let end = (i + 1..lines.len())
            .find(|&k| lines[k].trim() == close)
            .unwrap_or(lines.len());
        let inner = &lines[i + 1..end];
        let next = (end + 1).min(lines.len());
        let p = std::mem::take(&mut self.next);
        let kind = d.chars().next().unwrap_or('-');
        if kind == '/' || kind == '+' {
            return next; // a comment, or a passthrough of raw HTML
        }
        self.title(&p);
        let code = CODE.contains(&p.style.as_str());
        match kind {
            '`' => self.fence(
                inner,
                if fence_lang.is_empty() {
                    &p.lang
                } else {
                    fence_lang
                },
            ),
            '-' | '.' if d != "--" || code => self.fence(inner, &p.lang),
            '|' | ',' | ':' | '!' => self.table(inner, kind, &p),
            _ => {
                if let Some(label) = p.admonition() {
                    self.out.push_str(&format!("{}:\n\n", capitalised(label)));
                }
                self.out.push('\n');
                self.block(inner);
                self.out.push('\n');
            }
        }
        next
    }

    /// A block's `.Title`, as a line of text above it.
    fn title(&mut self, p: &Pending) {
        if let Some(t) = &p.title {
            self.out.push_str(&inline(t, &self.attrs));
            self.out.push_str("\n\n");
        }
    }

    /// Code, fenced with more backticks than it holds, less its common indentation and callouts.
    fn fence(&mut self, run: &[&str], lang: &str) {
        let indent = run
            .iter()
            .filter(|l| !l.trim().is_empty())
            .map(|l| l.len() - l.trim_start().len())
            .min()
            .unwrap_or(0);
        let ticks = run
            .iter()
            .map(|l| longest_backtick_run(l))
            .max()
            .unwrap_or(0);
        let fence = "`".repeat(ticks.max(2) + 1);
        self.out.push_str(&format!("\n{fence}{lang}\n"));
        for l in run {
            self.out
                .push_str(without_callout(l.get(indent..).unwrap_or(l.trim_start())));
            self.out.push('\n');
        }
        self.out.push_str(&format!("{fence}\n\n"));
    }

    fn table(&mut self, inner: &[&str], sep: char, p: &Pending) {
        self.out.push('\n');
        for (k, row) in table_rows(inner, sep, p.cols).iter().enumerate() {
            let cells: Vec<String> = row
                .iter()
                .map(|c| inline(c, &self.attrs).replace('|', "\\|"))
                .collect();
            self.out.push_str(&format!("| {} |\n", cells.join(" | ")));
            if k == 0 {
                self.out
                    .push_str(&format!("|{}\n", " --- |".repeat(cells.len())));
            }
        }
        self.out.push('\n');
    }
}

/// A block attribute line: `[...]` or `[[id]]` on its own.
fn is_attribute_line(s: &str) -> bool {
    s.len() > 2 && s.starts_with('[') && s.ends_with(']') && !s.starts_with("[[[")
}

/// Whether `line` ends the paragraph above it (a literal paragraph ends only at a blank line).
fn ends_paragraph(line: &str, literal: bool) -> bool {
    let s = line.trim();
    if s.is_empty() || literal {
        return s.is_empty();
    }
    s == "+"
        || delimiter(s).is_some()
        || is_attribute_line(s)
        || heading(line).is_some()
        || DROPPED.iter().any(|m| s.starts_with(m))
}

/// A line less its hard line break (` +`).
fn hard_break(l: &str) -> &str {
    l.strip_suffix(" +").unwrap_or(l)
}

fn longest_backtick_run(l: &str) -> usize {
    l.split(|c| c != '`').map(str::len).max().unwrap_or(0)
}

fn capitalised(s: &str) -> String {
    let lower = s.to_lowercase();
    let mut c = lower.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}
