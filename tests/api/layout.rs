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
