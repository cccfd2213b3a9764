//! A person's answer, signed off, written as a markdown page under `kb.learned_path`: one file per
//! entry, named after its heading, never overwriting another page; the live knowledge base indexes it.

use super::Executed;
use std::path::{Path, PathBuf};

/// A page's file name: its heading lower-cased, words joined by `-`, at most 60 characters.
pub fn file_stem(title: &str) -> String {
    let mut s = String::new();
    for w in title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if s.len() + w.len() > 60 {
            break;
        }
        if !s.is_empty() {
            s.push('-');
        }
        s.push_str(&w.to_lowercase());
    }
    if s.is_empty() { "answer".into() } else { s }
}

/// The page's markdown: tagged `learned`, the heading, the answer, where it came from.
pub fn page(title: &str, body: &str, ticket: i64, approved_by: &[String]) -> String {
    format!(
        "---\ntags: [learned]\n---\n# {title}\n\n{}\n\n<!-- From ticket #{ticket}, approved by {}. -->\n",
        body.trim(),
        approved_by.join(", ")
    )
}

/// A free path for `stem` in `dir`: `stem.md`, else `stem-2.md`, `stem-3.md`…
fn free_path(dir: &Path, stem: &str) -> PathBuf {
    let mut n = 1;
    loop {
        let name = if n == 1 {
            format!("{stem}.md")
        } else {
            format!("{stem}-{n}.md")
        };
        let p = dir.join(name);
        if !p.exists() {
            return p;
        }
        n += 1;
    }
}

/// Writes the page (to a temporary file first, then renamed into place, so the index never reads
/// half a page); the result names the file or says why it could not be written.
pub fn run(dir: &Path, title: &str, body: &str, ticket: i64, approved_by: &[String]) -> Executed {
    let fail = |why: String| Executed {
        ok: false,
        result: why,
        refund: None,
    };
    if title.trim().is_empty() || body.trim().is_empty() {
        return fail("the draft has no heading or no answer: nothing was written".into());
    }
    if let Err(e) = std::fs::create_dir_all(dir) {
        return fail(format!("cannot create {}: {e}", dir.display()));
    }
    let path = free_path(dir, &file_stem(title));
    let tmp = path.with_extension("md.tmp");
    let text = page(title, body, ticket, approved_by);
    if let Err(e) = std::fs::write(&tmp, text).and_then(|_| std::fs::rename(&tmp, &path)) {
        let _ = std::fs::remove_file(&tmp);
        return fail(format!(
            "cannot write {}: {e}; the draft is kept with this request",
            path.display()
        ));
    }
    Executed {
        ok: true,
        result: format!("Added to the docs as {}", path.display()),
        refund: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_named_after_their_heading_and_never_overwrite() {
        assert_eq!(file_stem("Is there a dark mode?"), "is-there-a-dark-mode");
        assert_eq!(file_stem("¿?"), "answer");
        assert!(file_stem(&"word ".repeat(40)).len() <= 60);
        let dir = tempfile::tempdir().unwrap();
        let a = run(
            dir.path(),
            "Dark mode?",
            "Not yet.",
            7,
            &["console:ana".into()],
        );
        let b = run(dir.path(), "Dark mode?", "Still no.", 8, &[]);
        assert!(a.ok && b.ok, "{a:?} {b:?}");
        let first = std::fs::read_to_string(dir.path().join("dark-mode.md")).unwrap();
        assert!(first.contains("# Dark mode?\n\nNot yet.") && first.contains("tags: [learned]"));
        assert!(
            first.contains("ticket #7, approved by console:ana"),
            "{first}"
        );
        assert!(dir.path().join("dark-mode-2.md").exists());
        let empty = run(dir.path(), "Dark mode?", "  ", 9, &[]);
        assert!(!empty.ok && empty.result.contains("no answer"), "{empty:?}");
    }
}
