//! AsciiDoc inline markup as a reader sees it: attribute references replaced by their values;
//! cross references and links (`xref:page.adoc#id[text]`, `<<id,text>>`, `https://…[text]`),
//! UI macros (`kbd:[…]`, `btn:[…]`, `menu:File[Save]`) and footnotes reduced to their text;
//! curved quotes (`"`text`"`) read as straight ones; anchors, index terms and images dropped.

use regex::{Captures, Regex};
use std::sync::LazyLock;

/// The page's attributes, as its entries (`:name: value`) set and unset them.
#[derive(Default)]
pub struct Attributes(Vec<(String, String)>);

impl Attributes {
    /// Sets (`Some`) or unsets (`None`) an attribute.
    pub fn set(&mut self, name: &str, value: Option<&str>) {
        let name = name.to_lowercase();
        self.0.retain(|(n, _)| *n != name);
        if let Some(v) = value {
            self.0.push((name, v.to_string()));
        }
    }

    /// `text` with each attribute reference (`{name}`) the page defines replaced by its value;
    /// `\{name}` is the reference as text.
    pub fn references(&self, text: &str) -> String {
        let replaced = REFERENCE.replace_all(text, |c: &Captures| match (&c[1], self.get(&c[2])) {
            ("", Some(v)) => v.to_string(),
            _ => format!("{{{}}}", &c[2]),
        });
        replaced.into_owned()
    }

    /// A reference's value: the page's own, else a built-in character replacement.
    fn get(&self, name: &str) -> Option<&str> {
        let name = name.to_lowercase();
        if let Some((_, v)) = self.0.iter().find(|(n, _)| *n == name) {
            return Some(v);
        }
        BUILT_IN.iter().find(|(n, _)| *n == name).map(|(_, v)| *v)
    }
}

/// Asciidoctor's character-replacement attributes.
const BUILT_IN: &[(&str, &str)] = &[
    ("nbsp", " "),
    ("sp", " "),
    ("empty", ""),
    ("blank", ""),
    ("zwsp", ""),
    ("wj", ""),
    ("plus", "+"),
    ("pp", "++"),
    ("cpp", "C++"),
    ("startsb", "["),
    ("endsb", "]"),
    ("vbar", "|"),
    ("caret", "^"),
    ("asterisk", "*"),
    ("tilde", "~"),
    ("backslash", "\\"),
    ("backtick", "`"),
    ("two-colons", "::"),
    ("two-semicolons", ";;"),
    ("amp", "&"),
    ("lt", "<"),
    ("gt", ">"),
    ("quot", "\""),
    ("apos", "'"),
    ("deg", "°"),
    ("brvbar", "¦"),
    ("ldquo", "“"),
    ("rdquo", "”"),
    ("lsquo", "‘"),
    ("rsquo", "’"),
];

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("a valid pattern")
}

static REFERENCE: LazyLock<Regex> = LazyLock::new(|| re(r"(\\?)\{([A-Za-z0-9_][\w-]*)\}"));
static PASS: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\+\+\+(.+?)\+\+\+|`\+(.+?)\+`|\+\+(.+?)\+\+|(^|[\s(])\+([^\s+](?:[^+]*[^\s+])?)\+($|[\s).,;:!?])",
    )
});
static CROSS: LazyLock<Regex> = LazyLock::new(|| re(r"<<([^,>\s]+)(?:,\s*([^>]+?))?>>"));
static MACRO: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(xref|link|mailto|kbd|btn|menu|footnote|footnoteref|pass|image|icon|anchor|indexterm2?|stem|latexmath|asciimath):([^\s\[]*)\[([^\]]*)\]",
    )
});
static URL: LazyLock<Regex> =
    LazyLock::new(|| re(r"\b((?:https?|ftp|irc)://[^\s\[\]]+)\[([^\]]*)\]"));
static INDEX: LazyLock<Regex> = LazyLock::new(|| re(r"\(\(\((.+?)\)\)\)|\(\((.+?)\)\)"));
static CURVED: LazyLock<Regex> = LazyLock::new(|| re(r#""`(.+?)`"|'`(.+?)`'|(\w)`'"#));
static ANCHOR: LazyLock<Regex> = LazyLock::new(|| re(r"\[\[[^\[\]]*\]\]"));
static ROLE: LazyLock<Regex> = LazyLock::new(|| re(r"\[[.#][\w.#-]*\]([#*_`])"));
static MARK: LazyLock<Regex> =
    LazyLock::new(|| re(r"(^|[\s(\[])#([^#\s](?:[^#]*[^#\s])?)#($|[\s).,;:!?\]])|##(.+?)##"));

/// `text` with its inline markup reduced to what a reader sees.
pub fn inline(text: &str, attrs: &Attributes) -> String {
    // A passthrough's attribute references stay as written: escaped for the next step.
    let t = PASS.replace_all(text, |c: &Captures| {
        let kept = |s: &str| REFERENCE.replace_all(s, "\\{$2}").into_owned();
        match (c.get(1).or(c.get(3)), c.get(2)) {
            (Some(m), _) => kept(m.as_str()),
            (_, Some(m)) => format!("`{}`", kept(m.as_str())),
            _ => format!("{}{}{}", &c[4], kept(&c[5]), &c[6]),
        }
    });
    let t = attrs.references(&t);
    let t = CURVED.replace_all(&t, |c: &Captures| match (c.get(1), c.get(2), c.get(3)) {
        (Some(q), _, _) => format!("\"{}\"", q.as_str()),
        (_, Some(q), _) => format!("'{}'", q.as_str()),
        (_, _, Some(w)) => format!("{}'", w.as_str()),
        _ => String::new(),
    });
    let t = CROSS.replace_all(&t, |c: &Captures| match c.get(2) {
        Some(text) => text.as_str().trim().to_string(),
        None => target_text(&c[1]),
    });
    let t = MACRO.replace_all(&t, |c: &Captures| macro_text(&c[1], &c[2], &c[3]));
    let t = URL.replace_all(&t, |c: &Captures| {
        link_text(&c[2]).unwrap_or_else(|| c[1].into())
    });
    let t = INDEX.replace_all(&t, |c: &Captures| {
        c.get(2).map_or("", |m| m.as_str()).to_string()
    });
    let t = ANCHOR.replace_all(&t, "");
    let t = ROLE.replace_all(&t, "$1");
    let t = MARK.replace_all(&t, |c: &Captures| match c.get(4) {
        Some(m) => m.as_str().to_string(),
        None => format!("{}{}{}", &c[1], &c[2], &c[3]),
    });
    t.into_owned()
}

/// What an inline macro shows.
fn macro_text(name: &str, target: &str, text: &str) -> String {
    let text = text.trim();
    match name {
        "xref" => link_text(text).unwrap_or_else(|| target_text(target)),
        "link" | "mailto" => link_text(text).unwrap_or_else(|| target.to_string()),
        "menu" if text.is_empty() => target.to_string(),
        "menu" => format!("{target} > {text}"),
        "footnote" | "footnoteref" if text.is_empty() => String::new(),
        "footnote" | "footnoteref" => format!(" ({text})"),
        "image" | "icon" | "anchor" | "indexterm" => String::new(),
        _ => text.to_string(), // kbd, btn, pass, indexterm2, stem
    }
}

/// A link macro's text: a quoted text, or the text before named attributes; a trailing `^` (open
/// in a new window) dropped. `None` when it shows its target.
fn link_text(text: &str) -> Option<String> {
    let text = text.trim();
    let shown = match text.strip_prefix('"') {
        Some(q) => q.split('"').next().unwrap_or(""),
        None if text.contains('=') => text.split(',').next().unwrap_or("").trim(),
        None => text,
    };
    let shown = shown.trim_end_matches('^').trim();
    (!shown.is_empty() && !shown.contains('=')).then(|| shown.to_string())
}

/// A reference shown by its target: the fragment, else the page's name, in words.
fn target_text(target: &str) -> String {
    let (page, fragment) = target.split_once('#').unwrap_or((target, ""));
    let name = if fragment.is_empty() {
        let file = page.rsplit(['/', '$', ':']).next().unwrap_or(page);
        file.strip_suffix(".adoc").unwrap_or(file)
    } else {
        fragment
    };
    name.trim_start_matches('_').replace(['_', '-'], " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_links_and_macros_keep_their_text() {
        let mut a = Attributes::default();
        a.set("product", Some("Acme Cloud"));
        a.set("gone", Some("x"));
        a.set("gone", None);
        let cases = [
            ("Install {product} now", "Install Acme Cloud now"),
            (
                "keep {unknown} and \\{product}",
                "keep {unknown} and {product}",
            ),
            (
                "see xref:admin/backup.adoc#restore[restoring] first",
                "see restoring first",
            ),
            ("see xref:admin/backup.adoc[]", "see backup"),
            (
                "see <<_rotate_keys>> or <<install,the install guide>>",
                "see rotate keys or the install guide",
            ),
            (
                "read https://acme.example/docs[the docs^] or link:faq.html[\"FAQ, short\",window=_blank]",
                "read the docs or FAQ, short",
            ),
            (
                "plain https://acme.example/x stays",
                "plain https://acme.example/x stays",
            ),
            (
                "press kbd:[Ctrl+S], click btn:[Save] in menu:File[Export > PDF]",
                "press Ctrl+S, click Save in File > Export > PDF",
            ),
            ("icon:gear[] image:logo.png[Logo] Settings", "  Settings"),
            (
                "the ((API key)) and (((secrets, rotation)))rotation",
                "the API key and rotation",
            ),
            (
                "[[note-id]]A [.red]#warning# and #highlight# but not #42",
                "A warning and highlight but not #42",
            ),
            (
                "run `+{product}+` or +++<b>raw</b>+++",
                "run `{product}` or <b>raw</b>",
            ),
            (
                "Node.js ++>++= 20 and +{x}+ but C++ or a+b+c",
                "Node.js >= 20 and {x} but C++ or a+b+c",
            ),
            ("{gone} stays", "{gone} stays"),
            ("a {nbsp}b{plus}c", "a  b+c"),
            (
                "click \"`Forgot password?`\" on '`Sign in`', Acme`'s page",
                "click \"Forgot password?\" on 'Sign in', Acme's page",
            ),
        ];
        for (page, want) in cases {
            assert_eq!(inline(page, &a), want, "{page}");
        }
    }

    #[test]
    fn a_footnote_reads_in_brackets() {
        let a = Attributes::default();
        assert_eq!(
            inline("Daily.footnote:[UTC time.]", &a),
            "Daily. (UTC time.)"
        );
    }
}
