//! House rules the compiler cannot check: the domain imports no platform, database, LLM or search
//! crate, and every source file opens with a `//!` line saying what it is for.

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn domain_imports_no_platform_db_or_llm_crate() {
    let mut files = vec![];
    rust_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src/domain"),
        &mut files,
    );
    assert!(files.len() >= 6, "domain files found: {files:?}");
    let forbidden = [
        "sqlx",
        "serenity",
        "slack_morphism",
        "async_openai",
        "tantivy",
        "axum",
        "reqwest",
        "minijinja",
        "figment",
        "tokio",
    ];
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        for line in text
            .lines()
            .map(str::trim)
            .filter(|l| l.starts_with("use ") || l.contains("::"))
        {
            for c in forbidden {
                assert!(
                    !line.contains(&format!("{c}::")),
                    "{} imports {c}: {line}",
                    f.display()
                );
            }
        }
    }
}

#[test]
fn every_source_file_says_what_it_is_for() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = vec![];
    for d in ["src", "tests", "benches"] {
        rust_files(&root.join(d), &mut files);
    }
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        assert!(
            text.lines().take(3).any(|l| l.starts_with("//!")),
            "{} has no //! line",
            f.display()
        );
    }
}

/// The "may import" column of docs/ARCHITECTURE.md's module table: module → allowed modules.
fn allowed_imports(root: &Path) -> std::collections::HashMap<String, Vec<String>> {
    let doc = std::fs::read_to_string(root.join("docs/ARCHITECTURE.md")).unwrap();
    let ticked = |cell: &str| -> Vec<String> {
        cell.split('`')
            .skip(1)
            .step_by(2)
            .map(str::to_string)
            .collect()
    };
    doc.lines()
        .filter(|l| l.starts_with("| `"))
        .map(|l| {
            let cells: Vec<&str> = l.split(" | ").collect();
            let module = ticked(cells[0]).remove(0);
            (module, ticked(cells.last().unwrap()))
        })
        .collect()
}

/// Every `crate::<module>` a file names outside comments, with its line number.
fn crate_paths(text: &str) -> Vec<(usize, String)> {
    let mut out = vec![];
    // A `use` statement spread over several lines is read as one, numbered by its first line.
    let mut statements: Vec<(usize, String)> = vec![];
    let mut open = false;
    for (n, line) in text.lines().enumerate() {
        let code = line.split("//").next().unwrap_or("");
        match statements.last_mut() {
            Some((_, s)) if open => s.push_str(code),
            _ => statements.push((n, code.to_string())),
        }
        open = code.trim_start().starts_with("use ") && !code.contains(';')
            || open && !code.contains(';');
    }
    for (n, code) in &statements {
        let (n, code) = (*n, code.as_str());
        for (i, _) in code.match_indices("crate::") {
            let rest = &code[i + "crate::".len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            let before = code[..i].chars().last();
            // `opsdesk_crate::` or `$crate::` are not ours; `{` groups are checked member by member.
            if !name.is_empty()
                && !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$')
            {
                out.push((n + 1, name));
            }
        }
        if let Some(group) = code.split("use crate::{").nth(1) {
            let group = group.split("};").next().unwrap_or("");
            for member in group.split(['{', '}', ',', ' ']).filter(|m| !m.is_empty()) {
                let name = member.split("::").next().unwrap_or("");
                if name.chars().all(|c| c.is_alphanumeric() || c == '_') {
                    out.push((n + 1, name.to_string()));
                }
            }
        }
    }
    out
}

/// The top-level module a file under src/ belongs to (`src/chat/slack/mod.rs` → `chat`).
fn module_of(src: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src).ok()?;
    let first = rel.components().next()?.as_os_str().to_str()?;
    let name = first.strip_suffix(".rs").unwrap_or(first);
    (!matches!(name, "lib" | "main")).then(|| name.to_string())
}

fn layout_violations(root: &Path) -> Vec<String> {
    let allowed = allowed_imports(root);
    let src = root.join("src");
    let mut files = vec![];
    rust_files(&src, &mut files);
    let mut bad = vec![];
    for f in files {
        let Some(module) = module_of(&src, &f) else {
            continue;
        };
        // `*_tests.rs` files are unit-test modules (`#[cfg(test)] #[path = …] mod tests`).
        if f.to_string_lossy().ends_with("_tests.rs") {
            continue;
        }
        let Some(may) = allowed.get(&module) else {
            bad.push(format!("{module} has no row in docs/ARCHITECTURE.md"));
            continue;
        };
        let text = std::fs::read_to_string(&f).unwrap();
        // A unit-test module (at the end of its file) may wire in whatever its test needs.
        let code = text.split("#[cfg(test)]\nmod tests").next().unwrap_or("");
        for (line, target) in crate_paths(code) {
            if target != module && allowed.contains_key(&target) && !may.contains(&target) {
                bad.push(format!(
                    "{}:{line}: {module} imports {target}",
                    f.strip_prefix(root).unwrap().display()
                ));
            }
        }
    }
    bad
}

#[test]
fn modules_import_only_what_the_architecture_table_allows() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let allowed = allowed_imports(root);
    assert!(
        allowed.len() >= 20 && allowed["domain"].is_empty(),
        "the table parsed: {allowed:?}"
    );
    let bad = layout_violations(root);
    assert!(
        bad.is_empty(),
        "imports the table does not allow:\n{}",
        bad.join("\n")
    );
}

#[test]
fn the_layout_check_sees_paths_in_use_lines_groups_and_code_but_not_comments() {
    let text = "use crate::domain::Event;\nuse crate::{commands, http::Http};\n\
                let x = crate::chat::permalink();\n// crate::runtime in a comment\n\
                use crate::{\n    app,\n    sender::Sender,\n};\nuse crate::kb;\n";
    let found = crate_paths(text);
    let names: Vec<&str> = found.iter().map(|(_, n)| n.as_str()).collect();
    assert_eq!(
        names,
        ["domain", "commands", "http", "chat", "app", "sender", "kb"]
    );
    assert_eq!(
        found.last().unwrap().0,
        9,
        "numbered by the statement's line"
    );
}
