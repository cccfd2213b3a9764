//! MyST pages read as published: lines in the style of pip's documentation (MIT).

use super::plain;

#[test]
fn a_directive_is_text_and_its_options_are_not() {
    let page = "# Caching\n\n```{versionadded} 6.0\n\n```\n\npip caches downloads.\n\n\
        ```{caution}\n:class: dropdown\nThe cache layout may change.\n```\n\n\
        :::{admonition} Behind a proxy\n---\nclass: tip\n---\nSet `--proxy`.\n:::\n";
    let out = plain(page);
    assert!(out.contains("New in version 6.0:"), "{out}");
    assert!(
        out.contains("Caution:\n\nThe cache layout may change."),
        "{out}"
    );
    assert!(out.contains("Behind a proxy:\n\nSet `--proxy`."), "{out}");
    assert!(!out.contains("```{") && !out.contains(":class:") && !out.contains("class: tip"));
}

#[test]
fn tabs_keep_their_label_and_their_code() {
    let page = "### Default paths\n\n````{tab} Linux\n```\n~/.cache/pip\n```\n\n\
        pip respects `XDG_CACHE_HOME`.\n````\n\n````{tab} Windows\n```\n%LocalAppData%\\pip\n```\n````\n";
    let out = plain(page);
    assert!(out.contains("Linux:\n\n```\n~/.cache/pip\n```"), "{out}");
    assert!(out.contains("pip respects `XDG_CACHE_HOME`."), "{out}");
    // A code block's lines are code, even one that looks like a MyST comment.
    assert!(
        out.contains("Windows:\n\n```\n%LocalAppData%\\pip\n```"),
        "{out}"
    );
    assert!(!out.contains("````"), "{out}");
}

#[test]
fn targets_comments_and_breaks_are_nothing_and_roles_keep_their_text() {
    let page = "(vcs support)=\n# VCS Support\n\n% a note for editors\n\
        See {ref}`the cache <wheel-caching>`, {ref}`pip cache` and {option}`--no-cache-dir`;\n\
        {py:func}`~pip.main` too.\n+++\nMore.\n";
    let out = plain(page);
    assert!(out.starts_with("\n# VCS Support"), "{out}");
    assert!(!out.contains("editors") && !out.contains("+++"), "{out}");
    assert!(
        out.contains("See the cache, pip cache and `--no-cache-dir`;\n`pip.main` too."),
        "{out}"
    );
}

#[test]
fn code_directives_stay_code_and_generated_ones_are_dropped() {
    let page = "Run:\n\n```{code-block} shell\n$ pip install .\n```\n\n```{pip-cli}\n\
        $ pip download sampleproject\n```\n\n```{toctree}\n:hidden:\ninstalling\n```\n\n\
        ```{eval-rst}\n.. note::\n\n   Read *this*.\n```\n";
    let out = plain(page);
    assert!(out.contains("```shell\n$ pip install .\n```"), "{out}");
    assert!(
        out.contains("```\n$ pip download sampleproject\n```"),
        "{out}"
    );
    assert!(
        !out.contains("installing") && !out.contains("hidden"),
        "{out}"
    );
    assert!(
        out.contains("Note:") && out.contains("Read *this*."),
        "{out}"
    );
}

#[test]
fn a_page_without_myst_is_unchanged() {
    for page in [
        "# Title\n\n```json\n{\"a\": 1}\n```\n\n100% done (really)\n",
        "Use `{placeholder}` and `{x}`.\n",
    ] {
        assert_eq!(plain(page), page);
    }
}

#[test]
fn an_unclosed_directive_runs_to_the_page_end() {
    let out = plain("```{note}\nNever closed.\n");
    assert!(out.contains("Note:\n\nNever closed."), "{out}");
}
