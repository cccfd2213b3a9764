//! MyST markdown (Sphinx's MyST-Parser, Jupyter Book) read as the published page reads: a fenced
//! directive (```` ```{note} ````, `:::{tip}`) is its text, not code; `(label)=` targets, `%`
//! comments and `+++` breaks are nothing; roles (`` {ref}`the cache <caching>` ``) keep their text.

use super::rst::{capitalised, is_admonition, version_label};

/// Directives whose body is code (or a command line): kept as a fenced block.
const CODE: &[&str] = &[
    "code",
    "code-block",
    "code-cell",
    "sourcecode",
    "literalinclude",
    "console",
    "prompt",
    "parsed-literal",
];

/// Directives that show nothing a reader asks about: tables of contents, pictures, generated
/// listings, the page's own settings.
const DROPPED: &[&str] = &[
    "toctree",
    "contents",
    "image",
    "include",
    "raw",
    "index",
    "mermaid",
    "graphviz",
    "math",
    "meta",
    "tableofcontents",
    "bibliography",
];

/// Roles whose content is code (an option, a command, a file, an API name): kept in backticks.
const CODE_ROLES: &[&str] = &[
    "code", "command", "option", "envvar", "file", "samp", "kbd", "program", "literal", "func",
    "class", "meth", "mod", "attr", "obj", "data", "exc", "const", "makevar", "regexp",
];

/// `text` with MyST's markup replaced by plain markdown; unchanged when it holds none.
pub fn plain(text: &str) -> String {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    if !lines.iter().any(|l| is_myst_line(l.trim())) && !text.contains("}`") {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    block(&lines, &mut out);
    out
}

/// Whether a line is MyST's own: a directive fence, a target or a block break.
fn is_myst_line(t: &str) -> bool {
    directive(t).is_some() || target(t) || t == "+++"
}

/// Converts `lines` (a page, or a directive's body) into `out`.
fn block(lines: &[&str], out: &mut String) {
    let mut i = 0;
    // A plain fenced code block: its fence (character and length), copied as written.
    let mut code: Option<(char, usize)> = None;
    while i < lines.len() {
        let line = lines[i];
        let t = line.trim();
        if let Some((c, n)) = code {
            if fence_of(t).is_some_and(|(c2, n2, rest)| c2 == c && n2 >= n && rest.is_empty()) {
                code = None;
            }
            out.push_str(line);
            i += 1;
            continue;
        }
        if let Some((c, n, name, arg)) = directive(t) {
            let end = (i + 1..lines.len())
                .find(|&j| closes(lines[j].trim(), c, n))
                .unwrap_or(lines.len());
            emit(name, arg, &lines[i + 1..end], out);
            i = end + 1;
            continue;
        }
        if let Some((c, n, _)) = fence_of(t).filter(|(c, _, _)| *c != ':') {
            code = Some((c, n));
            out.push_str(line);
        } else if target(t) || t == "+++" || t.starts_with("% ") || t == "%" {
            out.push('\n');
        } else {
            out.push_str(&roles(line));
        }
        i += 1;
    }
}

/// A fence line: its character (`` ` ``, `~` or `:`), its length and what follows it.
fn fence_of(t: &str) -> Option<(char, usize, &str)> {
    let c = t.chars().next().filter(|c| matches!(c, '`' | '~' | ':'))?;
    let n = t.len() - t.trim_start_matches(c).len();
    (n >= 3).then(|| (c, n, t[n..].trim()))
}

/// A directive's opening fence: ```` ```{name} argument ```` or `:::{name} argument`.
fn directive(t: &str) -> Option<(char, usize, &str, &str)> {
    let (c, n, rest) = fence_of(t)?;
    let rest = rest.strip_prefix('{')?;
    let (name, arg) = rest.split_once('}')?;
    let ok = !name.is_empty()
        && name
            .chars()
            .all(|ch| ch.is_ascii_alphanumeric() || "-_:".contains(ch));
    ok.then(|| (c, n, name, arg.trim()))
}

/// Whether `t` closes a directive opened with `n` of `c`.
fn closes(t: &str, c: char, n: usize) -> bool {
    fence_of(t).is_some_and(|(c2, n2, rest)| c2 == c && n2 >= n && rest.is_empty())
}

/// A target line: `(label)=`.
fn target(t: &str) -> bool {
    t.len() > 3 && t.starts_with('(') && t.ends_with(")=") && !t[1..t.len() - 2].contains(')')
}

/// A directive as text: its body (options left out) as text or code, titled when it has a title.
fn emit(name: &str, arg: &str, body: &[&str], out: &mut String) {
    let name = name.rsplit(':').next().unwrap_or(name).to_ascii_lowercase();
    let body = without_options(body);
    if DROPPED.contains(&name.as_str()) || name.starts_with("auto") {
        out.push('\n');
        return;
    }
    if CODE.contains(&name.as_str()) || name.ends_with("-cli") || name.ends_with("shell") {
        let lang = if name.contains("code") { arg } else { "" };
        let text: String = body.concat();
        out.push_str(&format!("\n```{lang}\n{}\n```\n\n", text.trim_end()));
        return;
    }
    if name == "eval-rst" {
        out.push('\n');
        out.push_str(&super::rst::to_markdown(&body.concat()));
        out.push('\n');
        return;
    }
    let title = version_label(&name, arg).unwrap_or_else(|| match name.as_str() {
        _ if !arg.is_empty() => arg.to_string(),
        "admonition" | "tab" | "tab-item" | "dropdown" | "card" => String::new(),
        _ if is_admonition(&name) => capitalised(&name),
        _ => String::new(),
    });
    out.push('\n');
    if !title.is_empty() {
        out.push_str(&roles(&title));
        if !title.ends_with(['.', ':', '!', '?']) {
            out.push(':');
        }
        out.push_str("\n\n");
    }
    block(&body, out);
    out.push('\n');
}

/// A directive's body less its options: `:key: value` lines at its top, or a `---` YAML block.
fn without_options<'a>(body: &[&'a str]) -> Vec<&'a str> {
    let first = body.first().map(|l| l.trim()).unwrap_or("");
    let yaml_end = body.iter().skip(1).position(|l| l.trim() == "---");
    if let Some(end) = yaml_end.filter(|_| first == "---") {
        return body[end + 2..].to_vec();
    }
    let skip = body
        .iter()
        .take_while(|l| {
            let t = l.trim();
            t.starts_with(':')
                && t[1..]
                    .split_once(':')
                    .is_some_and(|(k, _)| !k.contains(' '))
        })
        .count();
    body[skip..].to_vec()
}

/// `line` with each role (`` {ref}`text <target>` ``, `` {doc}`page` ``, `` {option}`--user` ``)
/// as its text: code roles in backticks, others plain. Inline code spans are left as written.
fn roles(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut i = 0;
    while i < line.len() {
        let rest = &line[i..];
        if rest.starts_with('`') {
            // An inline code span: up to the next run of as many backticks.
            let n = rest.len() - rest.trim_start_matches('`').len();
            let ticks = &rest[..n];
            let end = rest[n..].find(ticks).map_or(rest.len(), |e| n + e + n);
            out.push_str(&rest[..end]);
            i += end;
            continue;
        }
        if let Some((len, text)) = role_at(rest) {
            out.push_str(&text);
            i += len;
            continue;
        }
        let c = rest.chars().next().unwrap_or(' ');
        out.push(c);
        i += c.len_utf8();
    }
    out
}

/// A role at the start of `rest`: how many bytes it takes and what it shows.
fn role_at(rest: &str) -> Option<(usize, String)> {
    let after = rest.strip_prefix('{')?;
    let close = after.find("}`")?;
    let name = &after[..close];
    let valid = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_:".contains(c));
    let body = &after[close + 2..];
    let end = body.find('`').filter(|_| valid)?;
    Some((1 + close + 2 + end + 1, role_text(name, &body[..end])))
}

/// What a role shows: the text before `<target>` when it has one, else its content without
/// Sphinx's `~`/`!` prefixes; code roles in backticks.
fn role_text(name: &str, content: &str) -> String {
    let text = match content.rfind(" <") {
        Some(i) if content.ends_with('>') => content[..i].trim(),
        _ => content.trim_start_matches(['~', '!']),
    };
    let short = name.rsplit(':').next().unwrap_or(name);
    if CODE_ROLES.contains(&short) {
        format!("`{text}`")
    } else {
        text.to_string()
    }
}

#[cfg(test)]
#[path = "myst_tests.rs"]
mod tests;
