//! Citations in an agent's answer, read the ways models write them. The prompt asks for `[kb:ID]`;
//! models also group them (`[kb:a, kb:b]`, `[kb:a; b]`), pad them (`[ kb: a ]`), use parentheses or
//! full-width brackets (`(kb:a)`, `【kb:a】`), change the case, or drop the page from the id
//! (`[kb:reset-your-password]` for `account-password#reset-your-password`). Each marker is found,
//! each id is matched to a section the agent was given, and the markers are removed from the text.
//! An id that matches no given section (or several) spoils the answer: it cited what it did not read.

use crate::domain::ports::KbHit;

/// A grounded answer: its text (citation markers removed) and the sections it cited.
#[derive(Debug, Clone, PartialEq)]
pub struct Grounded {
    pub text: String,
    pub cited: Vec<KbHit>,
}

/// One citation marker: where it starts and ends in the answer, and the ids it names.
struct Marker {
    start: usize,
    end: usize,
    ids: Vec<String>,
}

/// The brackets a marker may open and close with.
const BRACKETS: &[(char, char)] = &[('[', ']'), ('(', ')'), ('【', '】'), ('［', '］')];

/// Citation markers in `text`: a bracket, optional spaces, `kb:` (any case), ids separated by
/// commas, semicolons or spaces (each may repeat `kb:`), and the matching closing bracket.
fn markers(text: &str) -> Vec<Marker> {
    let mut out = vec![];
    let mut from = 0;
    while let Some((open, close, start)) = next_open(text, from) {
        let inner_from = start + open.len_utf8();
        let inner = text[inner_from..].trim_start();
        let lead = text.len() - inner_from - inner.len();
        let Some(body) = strip_kb(inner) else {
            from = inner_from;
            continue;
        };
        let Some(len) = body.find(close) else {
            from = inner_from;
            continue;
        };
        let ids: Vec<String> = body[..len]
            .split([',', ';', ' ', '|'])
            .map(|p| strip_kb(p.trim()).unwrap_or(p.trim()).trim().to_string())
            .filter(|p| !p.is_empty())
            .collect();
        let end = inner_from + lead + (inner.len() - body.len()) + len + close.len_utf8();
        if !ids.is_empty() {
            out.push(Marker { start, end, ids });
        }
        from = end;
    }
    out
}

/// The next opening bracket at or after `from`: (open, close, byte offset).
fn next_open(text: &str, from: usize) -> Option<(char, char, usize)> {
    text[from..].char_indices().find_map(|(i, c)| {
        BRACKETS
            .iter()
            .find(|(o, _)| *o == c)
            .map(|(o, cl)| (*o, *cl, from + i))
    })
}

/// `s` without a leading `kb:` (any case, spaces after the colon allowed); `None` without one.
fn strip_kb(s: &str) -> Option<&str> {
    let head = s.get(..3)?;
    head.eq_ignore_ascii_case("kb:")
        .then(|| s[3..].trim_start())
}

/// The ids cited in `text`, in order (repeats kept).
pub fn citations(text: &str) -> Vec<String> {
    markers(text).into_iter().flat_map(|m| m.ids).collect()
}

/// The given section an id names: the same id (any case), or the one section whose part after `#`
/// (or whose page, for a page's intro) it is.
fn resolve<'a>(id: &str, hits: &'a [KbHit]) -> Option<&'a KbHit> {
    if let Some(h) = hits.iter().find(|h| h.id.eq_ignore_ascii_case(id)) {
        return Some(h);
    }
    if id.contains('#') {
        return None;
    }
    let mut named = hits.iter().filter(|h| match h.id.split_once('#') {
        Some((_, section)) => section.eq_ignore_ascii_case(id),
        None => false,
    });
    match (named.next(), named.next()) {
        (Some(h), None) => Some(h),
        _ => None,
    }
}

/// Checks an answer against the sections it was given: some citation, and only given ones.
pub fn ground(answer: &str, hits: &[KbHit]) -> Option<Grounded> {
    if answer.trim().trim_end_matches('.') == "ESCALATE" {
        return None;
    }
    let found = markers(answer);
    let mut cited: Vec<KbHit> = vec![];
    for id in found.iter().flat_map(|m| &m.ids) {
        let hit = resolve(id, hits)?;
        if !cited.contains(hit) {
            cited.push(hit.clone());
        }
    }
    if cited.is_empty() {
        return None;
    }
    let mut text = String::with_capacity(answer.len());
    let mut at = 0;
    for m in &found {
        text.push_str(answer[at..m.start].trim_end_matches([' ', '\t']));
        at = m.end;
    }
    text.push_str(&answer[at..]);
    Some(Grounded {
        text: text.trim().to_string(),
        cited,
    })
}

#[cfg(test)]
#[path = "cite_tests.rs"]
mod tests;
