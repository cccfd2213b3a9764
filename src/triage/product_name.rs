//! The product's name read off its documentation even when it is an everyday word the triage model
//! knows ("Black", a code formatter; "Ghost", a blog engine): the docs write it as a name,
//! capitalised in the middle of a sentence nearly every time ("run _Black_ on save"), which
//! words like "settings" or "tags" (menu labels, also written in lower case) are not.

use std::collections::HashMap;

/// The fewest uses in the middle of a sentence that say how a word is written.
const MIN_USES: usize = 10;
/// The share of those uses a name is capitalised in ("Settings → Security" is a label, and the
/// same docs say "notification settings": 0.88 on the sample pages).
const NAME_SHARE: f64 = 0.95;

/// How often each word is written in the middle of a sentence: (capitalised, all uses).
type Uses = HashMap<String, (usize, usize)>;

/// Words written as a name: at least [`MIN_USES`] uses in the middle of a sentence in `pages`,
/// capitalised (not in capitals throughout) in at least [`NAME_SHARE`] of them. Lower-cased.
pub fn names(pages: &[String]) -> Vec<String> {
    let mut uses = Uses::new();
    for page in pages {
        count(page, &mut uses);
    }
    let mut found: Vec<String> = uses
        .into_iter()
        .filter(|(_, (cap, all))| *all >= MIN_USES && *cap as f64 >= NAME_SHARE * *all as f64)
        .map(|(w, _)| w)
        .collect();
    found.sort();
    found
}

/// Counts the uses of each word of `page`'s prose that follows a word ending in a small letter,
/// a digit or a comma; headings, front matter, tables, links and code are not prose.
fn count(page: &str, uses: &mut Uses) {
    let mut fenced = false;
    for line in page.lines() {
        let t = line.trim_start();
        if t.starts_with("```") || t.starts_with("~~~") {
            fenced = !fenced;
            continue;
        }
        if fenced || t.starts_with('#') || t.starts_with('|') || t.starts_with("title:") {
            continue;
        }
        let mut previous_open = false;
        for token in t.split_whitespace() {
            let word: String = token
                .trim_start_matches(|c: char| !c.is_alphanumeric())
                .chars()
                .take_while(|c| c.is_alphabetic())
                .collect();
            let prose = !token.contains("://") && !token.contains('`');
            if previous_open && prose && word.chars().count() >= 3 {
                let e = uses.entry(word.to_lowercase()).or_default();
                let mut chars = word.chars();
                let first_upper = chars.next().is_some_and(char::is_uppercase);
                e.0 += usize::from(first_upper && chars.any(char::is_lowercase));
                e.1 += 1;
            }
            let last = token.trim_end_matches(['_', '*', '`', '"', '\'', ')']);
            previous_open = last
                .chars()
                .last()
                .is_some_and(|c| c.is_lowercase() || c.is_ascii_digit() || c == ',');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_capitalised_mid_sentence_and_a_label_is_not() {
        let page = |i: usize| {
            format!(
                "---\ntitle: Page {i}\n---\n# Using Black {i}\n\nYou can run _Black_ on save, \
                 and Black keeps your code tidy. Open Settings → Editor, then the settings \
                 page lists your settings. Use the API or the API keys, or run `black .` there.\n\n```\n# black in code\n\
                 black --check .\n```\n"
            )
        };
        let pages: Vec<String> = (0..5).map(page).collect();
        assert_eq!(
            names(&pages),
            ["black"],
            "settings is also lower case; API is capitals"
        );
        assert!(
            names(&pages[..2]).is_empty(),
            "four uses are too few to tell"
        );
    }
}
