//! Markdown pages → sections: optional front matter (`title`, `tags`), then one section per heading.

/// One section of a knowledge-base page.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    /// `page-slug#section-slug` (just `page-slug` for the text before the first heading).
    pub id: String,
    pub page_title: String,
    /// The headings above this one, outermost first (the page's `#` title aside).
    pub parents: Vec<String>,
    pub heading: String,
    pub anchor: Option<String>,
    pub body: String,
    pub tags: Vec<String>,
    /// Where the page is published, below the docs' base URL (`guides/install`); empty: at the
    /// page's slug. Front matter's `slug` sets it; the loader fills it from the page's folders.
    pub path: String,
}

/// Lower-case, alphanumerics joined by single dashes: `Reset your password` → `reset-your-password`.
pub fn slug(s: &str) -> String {
    let mut out = String::new();
    for w in s
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(&w.to_lowercase());
    }
    out
}

/// What a page's front matter says: its title, tags and published slug.
#[derive(Default)]
struct FrontMatter {
    title: Option<String>,
    tags: Vec<String>,
    slug: Option<String>,
}

/// A page's front matter (YAML between `---` lines, or TOML between `+++` lines): its `title`,
/// `tags` (inline `[a, "b"]` or a YAML list of `- a` lines) and `slug`, and the body after it.
fn front_matter(text: &str) -> (FrontMatter, &str) {
    let Some((fence, rest)) = ["---\n", "+++\n"]
        .iter()
        .find_map(|f| text.strip_prefix(f).map(|r| (&f[..3], r)))
    else {
        return (FrontMatter::default(), text);
    };
    let Some(end) = rest.find(&format!("\n{fence}")) else {
        return (FrontMatter::default(), text);
    };
    let unquote = |v: &str| v.trim().trim_matches(['"', '\'']).trim().to_string();
    let (mut fm, mut in_tags) = (FrontMatter::default(), false);
    for line in rest[..end].lines() {
        let item = line.trim_start().strip_prefix("- ");
        if let (true, Some(t)) = (in_tags, item) {
            fm.tags.push(unquote(t));
            continue;
        }
        in_tags = false;
        let Some((key, v)) = line.split_once([':', '=']) else {
            continue;
        };
        match key.trim() {
            "title" => fm.title = Some(unquote(v)).filter(|t| !t.is_empty()),
            "slug" => fm.slug = Some(unquote(v)).filter(|t| !t.is_empty()),
            "tags" if v.trim().is_empty() => in_tags = true,
            "tags" => {
                let list = v.trim().trim_matches(['[', ']']);
                fm.tags = list
                    .split(',')
                    .map(unquote)
                    .filter(|t| !t.is_empty())
                    .collect();
            }
            _ => {}
        }
    }
    let body = rest[end + 4..]
        .trim_start_matches(fence.chars().next().unwrap_or('-'))
        .trim_start_matches('\n');
    (fm, body)
}

/// A heading found by the markdown parser: its level, text, and the byte range of the whole line(s).
struct Heading {
    level: usize,
    text: String,
    /// An explicit anchor (`## Install {#setup}`, as Docusaurus, MkDocs and Hugo write it).
    id: Option<String>,
    span: std::ops::Range<usize>,
}

/// The page's headings, ATX (`## Title`) and setext (`Title\n---`) alike. A `#` line inside a fenced
/// or indented code block is code, not a heading. A trailing `{#anchor}` is the heading's anchor.
fn headings(body: &str) -> Vec<Heading> {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
    let mut out = vec![];
    let mut open: Option<Heading> = None;
    let parser = Parser::new_ext(body, Options::ENABLE_HEADING_ATTRIBUTES);
    for (event, range) in parser.into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level, id, .. }) => {
                open = Some(Heading {
                    level: level as usize,
                    text: String::new(),
                    id: id.map(|i| i.trim().to_string()).filter(|i| !i.is_empty()),
                    span: range,
                });
            }
            Event::End(TagEnd::Heading(_)) => out.extend(open.take()),
            Event::Text(t) | Event::Code(t) => {
                if let Some(h) = open.as_mut() {
                    h.text.push_str(&t);
                }
            }
            _ => {}
        }
    }
    out
}

/// Whether the page's first heading is its title: a `#` heading with nothing before it, that is the
/// page's only `#` heading or is followed at once by another heading. A wiki page made of several
/// `# Nginx`, `# Apache` parts has no title heading: each is a section.
fn names_the_page(body: &str, found: &[Heading]) -> bool {
    let Some(first) = found.first() else {
        return false;
    };
    let alone = found.iter().filter(|h| h.level == 1).count() == 1;
    let bare = found
        .get(1)
        .is_some_and(|next| body[first.span.end..next.span.start].trim().is_empty());
    first.level == 1 && body[..first.span.start].trim().is_empty() && (alone || bare)
}

/// Splits a page into sections. `page` is the file stem, used for the slug when there is no title.
pub fn sections(page: &str, text: &str) -> Vec<Section> {
    let (fm, body) = front_matter(text);
    let tags = fm.tags;
    let page_slug = slug(page);
    let mut page_title = fm.title.unwrap_or_else(|| page.replace(['-', '_'], " "));
    let path = fm.slug.unwrap_or_default();
    let section = |heading: Option<(String, Option<String>)>, parents: Vec<String>, text: &str| {
        let anchor = heading
            .as_ref()
            .map(|(h, id)| id.clone().unwrap_or_else(|| slug(h)));
        let heading = heading.map(|(h, _)| h);
        Section {
            id: anchor
                .as_ref()
                .map_or_else(|| page_slug.clone(), |a| format!("{page_slug}#{a}")),
            page_title: String::new(),
            parents,
            heading: heading.unwrap_or_default(),
            anchor,
            body: text.trim().to_string(),
            tags: tags.clone(),
            path: path.clone(),
        }
    };
    let mut out: Vec<Section> = Vec::new();
    let (mut heading, mut from) = (None::<(String, Option<String>)>, 0);
    // The open headings above the current one: (level, text).
    let mut stack: Vec<(usize, String)> = vec![];
    let mut parents: Vec<String> = vec![];
    let found = headings(body);
    let titled = names_the_page(body, &found);
    for (i, h) in found.into_iter().enumerate() {
        let before = &body[from..h.span.start];
        from = h.span.end;
        let text = h.text.trim().to_string();
        let id = h.id;
        if i == 0 && titled {
            page_title = text; // "# Title" names the page
            continue;
        }
        if heading.is_some() && says_something(before) || worth_citing(before) {
            out.push(section(heading.take(), parents.clone(), before));
        }
        stack.retain(|(level, _)| *level < h.level);
        parents = stack.iter().map(|(_, t)| t.clone()).collect();
        stack.push((h.level, text.clone()));
        heading = Some((text, id));
    }
    let rest = &body[from..];
    // A page without sections of its own (a learned answer, a short note) is all intro: kept.
    if says_something(rest) && (heading.is_some() || out.is_empty() || worth_citing(rest)) {
        out.push(section(heading, parents, rest));
    }
    for s in &mut out {
        s.page_title = page_title.clone();
    }
    out
}

/// Whether a section's text holds a word or a number: a heading over nothing but a rule (`---`)
/// or a stripped picture is no section.
fn says_something(text: &str) -> bool {
    text.chars().any(char::is_alphanumeric)
}

/// Whether a page's text before its first section heading says something a customer could be sent
/// to: a line of at least five words that is not a list of links, a badge or a table of contents.
fn worth_citing(intro: &str) -> bool {
    let plain = super::page_text::plain(intro);
    plain.lines().any(|l| {
        let l = l.trim();
        let listed = l.starts_with(['-', '*', '+', '|']) && intro.contains("](");
        !listed
            && l.split_whitespace()
                .filter(|w| w.chars().any(char::is_alphabetic))
                .count()
                >= 5
    })
}

/// The first sentences of a section's body, up to about `max` characters, without markdown markers;
/// a line of fenced code stays code (`` `npm run reset-password` ``), not words run into the prose.
pub fn extract(body: &str, max: usize) -> String {
    let mut fenced = false;
    let plain: String = super::page_text::plain(body)
        .lines()
        .filter_map(|l| {
            let l = l.trim();
            if l.starts_with("```") || l.starts_with("~~~") {
                fenced = !fenced;
                return None;
            }
            if fenced {
                return (!l.is_empty()).then(|| {
                    if l.contains('`') {
                        l.to_string()
                    } else {
                        format!("`{l}`")
                    }
                });
            }
            let l = l.trim_start_matches(['-', '*', '>']).trim();
            (!l.is_empty()).then(|| l.to_string())
        })
        .collect::<Vec<_>>()
        .join(" ");
    if plain.chars().count() <= max {
        return plain;
    }
    let cut: String = plain.chars().take(max).collect();
    match cut.rfind(". ") {
        Some(i) if i > max / 3 => cut[..=i].to_string(),
        _ => format!("{}…", cut.trim_end()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "---\ntitle: Passwords and sign-in\ntags: [account, security]\n---\n# Passwords and sign-in\nHow you sign in, and what to do when you cannot.\n\n## Reset your password\nGo to Settings. Click Reset.\n\n### Two-factor\nUse an app.\n";

    #[test]
    fn splits_at_headings_with_ids_and_tags() {
        let s = sections("passwords", PAGE);
        let ids: Vec<&str> = s.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "passwords",
                "passwords#reset-your-password",
                "passwords#two-factor"
            ]
        );
        assert_eq!(s[1].page_title, "Passwords and sign-in");
        assert_eq!(s[1].body, "Go to Settings. Click Reset.");
        assert_eq!(s[2].tags, ["account", "security"]);
    }

    #[test]
    fn hash_lines_in_code_blocks_are_code_not_headings() {
        let page = "# Install\n\n## With a script\nRun this:\n\n```sh\n# fetch the binary\ncurl -O x\n## not a heading\n```\n\n    # indented code\n\nDone.\n\nSetext heading\n--------------\nBody.\n";
        let s = sections("install", page);
        let ids: Vec<&str> = s.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["install#with-a-script", "install#setext-heading"]);
        assert_eq!(s[0].page_title, "Install");
        assert!(s[0].body.contains("# fetch the binary"), "{}", s[0].body);
        assert!(s[0].body.contains("## not a heading"), "{}", s[0].body);
        assert!(s[0].body.ends_with("Done."), "{}", s[0].body);
        assert_eq!(s[1].body, "Body.");
    }

    #[test]
    fn sections_carry_the_headings_above_them() {
        let page = "# Proxies\n\n## Reverse proxy\n\n### Nginx\nUse proxy_pass.\n\n### Caddy\nUse \
                    reverse_proxy.\n\n## Ports\nChange the port.\n";
        let s = sections("proxies", page);
        let paths: Vec<(Vec<String>, &str)> = s
            .iter()
            .map(|s| (s.parents.clone(), s.heading.as_str()))
            .collect();
        assert_eq!(
            paths,
            [
                (vec!["Reverse proxy".to_string()], "Nginx"),
                (vec!["Reverse proxy".to_string()], "Caddy"),
                (vec![], "Ports"),
            ]
        );
        let kb = crate::kb::Kb::from_sections(&s, "https://d").unwrap();
        use crate::domain::ports::KnowledgeBase;
        let hit = &kb.search("nginx proxy_pass", 1)[0];
        assert_eq!(hit.title, "Proxies › Reverse proxy › Nginx");
    }

    #[test]
    fn front_matter_in_yaml_or_toml_names_the_page() {
        let yaml = "---\ntitle: 'Billing: invoices'\nsidebar_label: Bills\ntags:\n  - billing\n  - \"money\"\n---\n## Download\nClick Download.\n";
        let s = sections("billing", yaml);
        assert_eq!(s[0].page_title, "Billing: invoices");
        assert_eq!(s[0].tags, ["billing", "money"]);
        assert_eq!(s[0].body, "Click Download.");
        let toml =
            "+++\ntitle = \"Install\"\ntags = [\"how-to\", \"setup\"]\n+++\n## Docker\nRun it.\n";
        let s = sections("install", toml);
        assert_eq!(
            (s[0].page_title.as_str(), s[0].id.as_str()),
            ("Install", "install#docker")
        );
        assert_eq!(s[0].tags, ["how-to", "setup"]);
    }

    #[test]
    fn a_page_of_several_top_level_parts_has_no_title_heading() {
        let wiki = "# Nginx\nUse proxy_pass.\n\n# Apache\nUse ProxyPass.\n";
        let s = sections("Reverse-Proxy", wiki);
        let ids: Vec<&str> = s.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["reverse-proxy#nginx", "reverse-proxy#apache"]);
        assert_eq!(s[0].page_title, "Reverse Proxy");
        let titled = "# Badge\n## Overview\nBadges show a monitor's state.\n# Styles\nFlat.\n";
        let s = sections("badge", titled);
        let ids: Vec<&str> = s.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["badge#overview", "badge#styles"]);
        assert_eq!(s[0].page_title, "Badge");
    }

    #[test]
    fn an_intro_is_a_section_only_when_it_says_something() {
        let toc = "# Guide\n![build](https://ci/b.svg)\n\n- [Install](#install)\n- [Update the app \
                   to the newest release](#update)\n\n## Install\nRun the installer.\n";
        let ids: Vec<String> = sections("guide", toc).into_iter().map(|s| s.id).collect();
        assert_eq!(ids, ["guide#install"]);
        let prose = "# Guide\nTallybird turns your data into dashboards.\n\n## Install\nRun it.\n";
        let ids: Vec<String> = sections("guide", prose).into_iter().map(|s| s.id).collect();
        assert_eq!(ids, ["guide", "guide#install"]);
        let note = "# Is there a dark mode?\n\nNot yet, in March.\n";
        let ids: Vec<String> = sections("dark", note).into_iter().map(|s| s.id).collect();
        assert_eq!(ids, ["dark"], "a page with no sections is its intro");
    }

    #[test]
    fn extract_stops_at_a_sentence() {
        let body =
            "First sentence is here. Second one is much longer and goes past the limit for sure.";
        assert_eq!(extract(body, 40), "First sentence is here.");
        assert_eq!(extract("- a\n- b", 40), "a b");
        assert_eq!(
            extract("Read the [guide](https://d/g) <br>first.", 40),
            "Read the guide first."
        );
        assert_eq!(
            extract(
                "cd to the working directory.\n\n```bash\nnpm run reset-password\n```\n",
                80
            ),
            "cd to the working directory. `npm run reset-password`"
        );
        assert_eq!(
            extract("Run:\n~~~\n- not a list\n~~~\nDone.", 80),
            "Run: `- not a list` Done."
        );
    }
}
