//! HTML pages (an exported help centre, a built docs site) read as markdown: htmd converts the
//! page; what is the site around it rather than the page — the head, scripts and styles,
//! navigation, sidebars, breadcrumbs, footers, forms — is left out, and heading permalinks (`¶`)
//! dropped. A page without an `<h1>` is titled by its `<title>`.

use htmd::element_handler::{HandlerResult, Handlers};
use htmd::{Element, HtmlToMarkdown};

/// Elements that never hold the page's own text.
const SKIPPED: &[&str] = &[
    "head", "script", "style", "noscript", "template", "svg", "canvas", "iframe", "nav", "aside",
    "footer", "form", "button", "select", "input", "textarea",
];

/// Words of a block's class or id that mark it as the site's chrome.
const CHROME: &[&str] = &[
    "sidebar",
    "sphinxsidebar",
    "navbar",
    "nav",
    "navigation",
    "breadcrumb",
    "breadcrumbs",
    "toc",
    "footer",
    "menu",
    "cookie",
    "cookies",
];

/// ARIA roles of the site's chrome.
const CHROME_ROLES: &[&str] = &[
    "navigation",
    "banner",
    "contentinfo",
    "complementary",
    "search",
];

/// `html` (a page) as markdown.
pub fn to_markdown(html: &str) -> String {
    let md = HtmlToMarkdown::builder()
        .skip_tags(SKIPPED.to_vec())
        .add_handler(vec!["div", "section", "ul", "ol", "table"], chrome)
        .add_handler(vec!["header"], site_header)
        .add_handler(vec!["a"], permalink)
        .add_handler(vec!["h1", "h2", "h3", "h4", "h5", "h6"], anchored)
        .build()
        .convert(html)
        .unwrap_or_default();
    if md.lines().any(|l| l.starts_with("# ")) {
        return md;
    }
    match title(html) {
        Some(t) => format!("# {t}\n\n{md}"),
        None => md,
    }
}

/// Whether an element's class, id or role says it is the site around the page.
fn is_chrome(element: &Element) -> bool {
    element.attrs.iter().any(|a| {
        let value = a.value.to_ascii_lowercase();
        match &*a.name.local {
            "role" => CHROME_ROLES.contains(&value.as_str()),
            "class" | "id" => value
                .split(|c: char| c.is_whitespace() || c == '-' || c == '_')
                .any(|w| CHROME.contains(&w)),
            _ => false,
        }
    })
}

fn chrome(handlers: &dyn Handlers, element: Element) -> Option<HandlerResult> {
    if is_chrome(&element) {
        return None;
    }
    handlers.fallback(element)
}

/// A `<header>` is kept only when it holds a heading (an article's title); a site's banner goes.
fn site_header(handlers: &dyn Handlers, element: Element) -> Option<HandlerResult> {
    let inner = handlers.walk_children(element.node);
    let titled = inner
        .content
        .lines()
        .any(|l| l.trim_start().starts_with('#'));
    (titled && !is_chrome(&element)).then_some(inner)
}

/// A link whose text has no letter or digit (a heading's `¶` or `#` permalink) is dropped.
fn permalink(handlers: &dyn Handlers, element: Element) -> Option<HandlerResult> {
    let inner = handlers.walk_children(element.node);
    if !inner.content.chars().any(char::is_alphanumeric) {
        return None;
    }
    handlers.fallback(element)
}

/// A heading with an `id` keeps it as its anchor (`## By email {#by-email}`), so a citation links
/// where the page's own links do.
fn anchored(handlers: &dyn Handlers, element: Element) -> Option<HandlerResult> {
    let id = element
        .attrs
        .iter()
        .find(|a| &*a.name.local == "id")
        .map(|a| a.value.trim().to_string())
        .filter(|id| !id.is_empty() && !id.contains(['{', '}', ' ']));
    let mut result = handlers.fallback(element)?;
    if let Some(id) = id {
        let text = result.content.trim_end().to_string();
        let tail = &result.content[text.len()..];
        result.content = format!("{text} {{#{id}}}{tail}");
    }
    Some(result)
}

/// The page's `<title>`, less a site name after ` | ` or ` — `.
fn title(html: &str) -> Option<String> {
    let lower = html.to_ascii_lowercase();
    let open = lower.find("<title")?;
    let start = open + lower[open..].find('>')? + 1;
    let end = start + lower[start..].find("</title")?;
    let text = htmd::convert(&format!("<p>{}</p>", &html[start..end])).ok()?;
    let cut = [" | ", " — "]
        .iter()
        .filter_map(|sep| text.find(sep))
        .min()
        .unwrap_or(text.len());
    let text = &text[..cut];
    Some(text.trim().to_string()).filter(|t| !t.is_empty())
}
