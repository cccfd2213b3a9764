//! Markdown pages → sections: optional front matter (`title`, `tags`), then one section per heading.

/// One section of a knowledge-base page.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    /// `page-slug#section-slug` (just `page-slug` for the text before the first heading).
    pub id: String,
    pub page_title: String,
    pub heading: String,
    pub anchor: Option<String>,
    pub body: String,
    pub tags: Vec<String>,
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

fn front_matter(text: &str) -> (Option<String>, Vec<String>, &str) {
    let Some(rest) = text.strip_prefix("---\n") else {
        return (None, vec![], text);
    };
    let Some(end) = rest.find("\n---") else {
        return (None, vec![], text);
    };
    let (mut title, mut tags) = (None, vec![]);
    for line in rest[..end].lines() {
        if let Some(v) = line.strip_prefix("title:") {
            title = Some(v.trim().trim_matches('"').to_string());
        } else if let Some(v) = line.strip_prefix("tags:") {
            tags = v
                .trim()
                .trim_matches(|c| c == '[' || c == ']')
                .split(',')
                .map(|t| t.trim().to_string())
                .filter(|t| !t.is_empty())
                .collect();
        }
    }
    let body = rest[end + 4..]
        .trim_start_matches('-')
        .trim_start_matches('\n');
    (title, tags, body)
}

/// Splits a page into sections. `page` is the file stem, used for the slug when there is no title.
pub fn sections(page: &str, text: &str) -> Vec<Section> {
    let (fm_title, tags, body) = front_matter(text);
    let page_slug = slug(page);
    let mut page_title = fm_title.unwrap_or_else(|| page.replace(['-', '_'], " "));
    let mut out: Vec<Section> = Vec::new();
    let mut current = Section {
        id: page_slug.clone(),
        page_title: String::new(),
        heading: String::new(),
        anchor: None,
        body: String::new(),
        tags: tags.clone(),
    };
    for line in body.lines() {
        let hashes = line.chars().take_while(|c| *c == '#').count();
        if hashes > 0 && line[hashes..].starts_with(' ') {
            let heading = line[hashes..].trim().to_string();
            if hashes == 1 && out.is_empty() && current.body.trim().is_empty() {
                page_title = heading; // "# Title" names the page
                continue;
            }
            if !current.body.trim().is_empty() {
                out.push(current);
            }
            let anchor = slug(&heading);
            current = Section {
                id: format!("{page_slug}#{anchor}"),
                page_title: String::new(),
                heading,
                anchor: Some(anchor),
                body: String::new(),
                tags: tags.clone(),
            };
        } else {
            current.body.push_str(line);
            current.body.push('\n');
        }
    }
    if !current.body.trim().is_empty() {
        out.push(current);
    }
    for s in &mut out {
        s.page_title = page_title.clone();
        s.body = s.body.trim().to_string();
    }
    out
}

/// The first sentences of a section's body, up to about `max` characters, without markdown markers.
pub fn extract(body: &str, max: usize) -> String {
    let plain: String = body
        .lines()
        .map(|l| l.trim().trim_start_matches(['-', '*', '>']).trim())
        .filter(|l| !l.is_empty() && !l.starts_with("```"))
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

    const PAGE: &str = "---\ntitle: Passwords and sign-in\ntags: [account, security]\n---\n# Passwords and sign-in\nIntro text.\n\n## Reset your password\nGo to Settings. Click Reset.\n\n### Two-factor\nUse an app.\n";

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
    fn extract_stops_at_a_sentence() {
        let body =
            "First sentence is here. Second one is much longer and goes past the limit for sure.";
        assert_eq!(extract(body, 40), "First sentence is here.");
        assert_eq!(extract("- a\n- b", 40), "a b");
    }
}
