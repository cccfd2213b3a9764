//! AsciiDoc's `include::` directive, as Asciidoctor's preprocessor reads it: the named file's lines
//! (its tagged regions or line ranges when the directive asks) in place of the directive, section
//! titles shifted by `leveloffset`. Targets are relative to the including file, or Antora resource
//! ids (`partial$notes.adoc`, `admin:example$backup.sh`) found in their module's folder. Only files
//! inside the knowledge-base folder are read; one that is missing is left out. A file another page
//! includes is not a page of its own.

use super::adoc::attribute_entry;
use super::adoc_inline::Attributes;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// How deep includes may nest (a file that includes itself stops here).
const MAX_DEPTH: usize = 8;

/// `text` (the page at `page`) with its includes expanded from files under `root`.
pub fn expand(text: &str, page: &Path, root: &Path) -> String {
    let Ok(root) = root.canonicalize() else {
        return text.to_string();
    };
    expand_in(text, page, &root, &mut Attributes::default(), 0)
}

/// Of the pages found, those no AsciiDoc page includes: an included file is part of the page that
/// includes it, as Asciidoctor publishes it, not a page of its own (whose sections would stand
/// beside the same text in the page that includes it).
pub fn not_included(pages: Vec<PathBuf>, root: &Path) -> Vec<PathBuf> {
    let Ok(root) = root.canonicalize() else {
        return pages;
    };
    let mut included = HashSet::new();
    for page in &pages {
        if super::formats::of(page) != Some(super::formats::Format::AsciiDoc) {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(page) else {
            continue;
        };
        let mut attrs = Attributes::default();
        for line in text.lines() {
            let target = include_target(line, &mut attrs).map(|(t, _)| t);
            if let Some(file) = target.and_then(|t| resolve(&t, page, &root)) {
                included.insert(file);
            }
        }
    }
    pages
        .into_iter()
        .filter(|p| p.canonicalize().map_or(true, |c| !included.contains(&c)))
        .collect()
}

fn expand_in(text: &str, file: &Path, root: &Path, attrs: &mut Attributes, depth: usize) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let Some((target, options)) = include_target(line, attrs) else {
            out.push_str(line);
            out.push('\n');
            continue;
        };
        let found = resolve(&target, file, root).filter(|_| depth < MAX_DEPTH);
        let Some((path, body)) =
            found.and_then(|p| Some((p.clone(), std::fs::read_to_string(p).ok()?)))
        else {
            continue;
        };
        let body = selected(&body, options);
        let body = shifted(&body, level_offset(options));
        out.push_str(&expand_in(&body, &path, root, attrs, depth + 1));
    }
    out
}

/// An `include::target[options]` line's target (its attribute references replaced) and options;
/// an attribute entry line updates `attrs`. `\include::` is text.
fn include_target<'a>(line: &'a str, attrs: &mut Attributes) -> Option<(String, &'a str)> {
    if let Some((name, value)) = attribute_entry(line) {
        attrs.set(name, value);
        return None;
    }
    let rest = line.strip_prefix("include::")?.strip_suffix(']')?;
    let open = rest.find('[')?;
    Some((attrs.references(&rest[..open]), &rest[open + 1..]))
}

/// The file a target names, when it exists inside `root`.
fn resolve(target: &str, file: &Path, root: &Path) -> Option<PathBuf> {
    if target.contains("://") {
        return None;
    }
    let path = match target.split_once('$') {
        Some((id, relative)) => antora(id, relative, file)?,
        None => file.parent()?.join(target),
    };
    let path = path.canonicalize().ok()?;
    (path.starts_with(root) && path.is_file()).then_some(path)
}

/// An Antora resource id's file: `[module:]family$relative` in the including page's component.
fn antora(id: &str, relative: &str, file: &Path) -> Option<PathBuf> {
    let parts: Vec<&str> = id.split(':').collect();
    let family = match *parts.last()? {
        "partial" => "partials",
        "example" => "examples",
        "page" => "pages",
        "attachment" => "attachments",
        "image" => "images",
        _ => return None,
    };
    let modules = file
        .ancestors()
        .find(|a| a.file_name().is_some_and(|n| n == "modules"))?;
    let here = file.strip_prefix(modules).ok()?.components().next()?;
    let module = match parts.len() {
        1 => here.as_os_str().to_str()?,
        2 => parts[0],
        _ => return None, // another component: not in this folder's reach
    };
    Some(modules.join(module).join(family).join(relative))
}

/// The lines an include asks for: its `tag`/`tags` regions, or its `lines` ranges, or all; tag
/// marker lines (`// tag::name[]`, `# end::name[]`) never.
fn selected(body: &str, options: &str) -> String {
    let tags: Vec<&str> = option(options, "tags")
        .or_else(|| option(options, "tag"))
        .map(|t| {
            t.split([';', ','])
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .collect()
        })
        .unwrap_or_default();
    let ranges = option(options, "lines").map(line_ranges);
    let mut out = String::with_capacity(body.len());
    let mut open: Vec<&str> = vec![];
    for (k, line) in body.lines().enumerate() {
        if let Some(name) = marker(line, "tag::") {
            open.push(name);
            continue;
        }
        if let Some(name) = marker(line, "end::") {
            open.retain(|t| *t != name);
            continue;
        }
        let by_tag = tags.is_empty() || open.iter().any(|t| tags.contains(t));
        let by_line = ranges
            .as_ref()
            .is_none_or(|r| r.iter().any(|(a, b)| (*a..=*b).contains(&(k + 1))));
        if by_tag && by_line {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// A named option's value (`tag=install`, `lines="1..5;9"`).
fn option<'a>(options: &'a str, name: &str) -> Option<&'a str> {
    options.split(',').find_map(|o| {
        let (n, v) = o.split_once('=')?;
        (n.trim() == name).then(|| v.trim().trim_matches('"'))
    })
}

/// `1..5;9;12..-1` → inclusive ranges of line numbers (`-1`: to the end).
fn line_ranges(spec: &str) -> Vec<(usize, usize)> {
    spec.split([';', ','])
        .filter_map(|r| {
            let (a, b) = r.split_once("..").unwrap_or((r, r));
            let a = a.trim().parse::<usize>().ok()?;
            let b = match b.trim() {
                "-1" | "" => usize::MAX,
                b => b.parse::<usize>().ok()?,
            };
            Some((a, b))
        })
        .collect()
}

/// The tag a marker line opens or closes (`// tag::install[]` → `install`).
fn marker<'a>(line: &'a str, kind: &str) -> Option<&'a str> {
    let at = line.find(kind)?;
    let rest = &line[at + kind.len()..];
    let name = &rest[..rest.find("[]")?];
    (!name.is_empty() && !name.contains(char::is_whitespace)).then_some(name)
}

fn level_offset(options: &str) -> i32 {
    option(options, "leveloffset").map_or(0, |v| v.trim_start_matches('+').parse().unwrap_or(0))
}

/// Section titles (`== Title`) moved `offset` levels deeper (or shallower, never above `=`).
fn shifted(body: &str, offset: i32) -> String {
    if offset == 0 {
        return body.to_string();
    }
    let mut out = String::with_capacity(body.len() + 64);
    for line in body.lines() {
        let level = line.chars().take_while(|c| *c == '=').count();
        let title = line[level..].starts_with(' ') && (1..=6).contains(&level);
        if title {
            let to = (level as i32 + offset).clamp(1, 6) as usize;
            out.push_str(&"=".repeat(to));
            out.push_str(&line[level..]);
        } else {
            out.push_str(line);
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_lines_and_level_offsets_select_and_shift_what_is_included() {
        let body = "intro\n// tag::install[]\npip install acme\n// end::install[]\n# tag::run[]\nacme up\n# end::run[]\n";
        assert_eq!(selected(body, "tag=install"), "pip install acme\n");
        assert_eq!(
            selected(body, "tags=install;run"),
            "pip install acme\nacme up\n"
        );
        assert_eq!(selected(body, ""), "intro\npip install acme\nacme up\n");
        assert_eq!(selected("a\nb\nc\nd\n", "lines=\"1;3..-1\""), "a\nc\nd\n");
        assert_eq!(
            shifted("= T\n== S\ntext == x\n", level_offset("leveloffset=+1")),
            "== T\n=== S\ntext == x\n"
        );
        assert_eq!(shifted("== S\n", level_offset("leveloffset=-3")), "= S\n");
    }

    #[test]
    fn partials_and_relative_files_are_included_and_nothing_outside_the_folder_is() {
        let dir = tempfile::tempdir().unwrap();
        let outside = dir.path().join("secret.adoc");
        std::fs::write(&outside, "SECRET\n").unwrap();
        let root = dir.path().join("docs");
        let module = root.join("modules").join("ROOT");
        std::fs::create_dir_all(module.join("pages")).unwrap();
        std::fs::create_dir_all(module.join("partials")).unwrap();
        std::fs::write(
            module.join("partials/limits.adoc"),
            "= Limits\n\nUp to 50 seats.\n",
        )
        .unwrap();
        std::fs::write(
            module.join("pages/shared.adoc"),
            "Shared text.\ninclude::shared.adoc[]\n",
        )
        .unwrap();
        let page = module.join("pages/plans.adoc");
        let text = ":dir: ../partials\n= Plans\n\ninclude::partial$limits.adoc[leveloffset=+1]\n\
                    include::{dir}/limits.adoc[lines=3]\ninclude::shared.adoc[]\n\
                    include::../../../../secret.adoc[]\ninclude::partial$missing.adoc[]\n\
                    include::https://acme.example/x.adoc[]\n";
        std::fs::write(&page, text).unwrap();
        let out = expand(text, &page, &root);
        assert!(out.contains("== Limits\n\nUp to 50 seats.\n"), "{out}");
        assert_eq!(out.matches("Up to 50 seats.").count(), 2, "{out}");
        assert!(out.contains("Shared text.\n"), "{out}");
        assert!(
            out.matches("Shared text.").count() <= MAX_DEPTH + 1,
            "a file including itself stops"
        );
        assert!(
            !out.contains("SECRET") && !out.contains("include::"),
            "{out}"
        );
    }

    #[test]
    fn a_file_another_page_includes_is_read_there_and_not_as_a_page() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("audio")).unwrap();
        let faq = "=== Saving mixer settings\n\nRun `sudo alsactl store` to keep them.\n";
        std::fs::write(dir.path().join("audio/faq.adoc"), faq).unwrap();
        let audio =
            "= Audio boards\n\n== Setup\n\nPlug the board in.\n\ninclude::audio/faq.adoc[]\n";
        std::fs::write(dir.path().join("audio.adoc"), audio).unwrap();
        let display = "= Displays\n\n== Rotate the screen\n\nOpen Screen Configuration.\n";
        std::fs::write(dir.path().join("display.adoc"), display).unwrap();
        let kb = crate::kb::Kb::load(dir.path(), "https://docs.example.com").unwrap();
        let ids: Vec<&str> = kb.docs.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "audio#setup",
                "audio#saving-mixer-settings",
                "display#rotate-the-screen"
            ]
        );
        assert!(
            kb.docs[1].body.contains("alsactl store"),
            "{}",
            kb.docs[1].body
        );
    }
}
