//! Tests of reStructuredText and HTML pages (AsciiDoc's are in adoc_tests.rs) read as the sections their published pages show.

use super::*;
use crate::kb::markdown::sections;
use crate::kb::page_text::{normalise, plain};

fn read(format: Format, page: &str) -> Vec<crate::kb::markdown::Section> {
    sections("page", &normalise(&to_markdown(format, page)))
}

const SPHINX: &str = "\
.. _install:

=============
Installation
=============

.. contents:: On this page
   :local:

Requirements
============

You need Python 3.10 or later to run |product|. See `the downloads <https://python.example/dl>`_ and
:ref:`upgrading <upgrade-label>`.

.. note::
   Windows users install the ``py`` launcher first.

Install with pip
----------------

|logo|

Run this::

    pip install acme
    # then check it
    acme --version

.. code-block:: console
   :caption: Docker

   $ docker run acme/acme

#. Open :menuselection:`Settings --> Tokens`.
#. Copy the token.

.. toctree::
   :maxdepth: 2

   usage
   api

.. |logo| image:: logo.png
.. |product| replace:: Acme Cloud

.. This is a comment about Upgrading
   that spans two lines.

Upgrade
-------

.. warning:: Back up your data first.

Stop the service, then run ``pip install -U acme``.
";

#[test]
fn a_sphinx_page_splits_at_its_titles_ranked_by_their_style() {
    let s = read(Format::Rst, SPHINX);
    let ids: Vec<&str> = s.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(
        ids,
        ["page#requirements", "page#install-with-pip", "page#upgrade"]
    );
    assert!(s.iter().all(|s| s.page_title == "Installation"));
    assert_eq!(s[1].parents, ["Requirements"], "`-` titles sit under `=`");
    let req = plain(&s[0].body);
    assert!(
        req.contains("to run Acme Cloud. See the downloads and"),
        "{req}"
    );
    assert!(
        req.contains("Note:") && req.contains("the `py` launcher"),
        "{req}"
    );
    assert!(
        !req.contains("On this page") && !req.contains("local"),
        "{req}"
    );
    let pip = &s[1].body;
    assert!(pip.contains("Run this:\n"), "{pip}");
    assert!(
        pip.contains("```\npip install acme\n# then check it\n"),
        "{pip}"
    );
    assert!(pip.contains("```\n$ docker run acme/acme\n```"), "{pip}");
    assert!(pip.contains("Open Settings > Tokens."), "{pip}");
    for gone in ["toctree", "maxdepth", "usage", "logo", "comment", ".."] {
        assert!(!pip.contains(gone), "{gone} in {pip}");
    }
    let up = plain(&s[2].body);
    assert!(up.starts_with("Back up your data first."), "{up}");
    assert!(up.contains("run `pip install -U acme`"), "{up}");
}

#[test]
fn a_version_note_reads_as_sphinx_prints_it() {
    let page =
        "Install\n=======\n\nRun the installer.\n\n.. versionadded:: 2.0\n\n   Works offline.\n";
    let body = &read(Format::Rst, page)[0].body;
    assert!(body.contains("New in version 2.0"), "{body}");
    assert!(body.contains("Works offline."), "{body}");
}

#[test]
fn rst_edge_cases_do_not_become_headings_or_panic() {
    // A transition, a simple table, a `#` line of text and an unclosed literal.
    let page = "Intro words for the page that say something useful here.\n\n----\n\n\
                =====  =====\nPlan   Price\n=====  =====\nPro    $10\n=====  =====\n\n\
                #hashtag is text\n\nA ``broken literal\n\n..\n\n::\n";
    let s = read(Format::Rst, page);
    assert_eq!(s.len(), 1, "{s:?}");
    let body = &s[0].body;
    assert!(
        body.contains("| Pro | $10 |") && body.contains("\\#hashtag is text"),
        "{body}"
    );
    for page in [
        "",
        "====",
        "Title\n===",
        "..",
        ".. note::",
        "::",
        "`",
        "=\n=\n=",
    ] {
        read(Format::Rst, page);
    }
}

#[test]
fn every_cut_of_a_page_and_odd_whitespace_read_without_a_panic() {
    let odd = "Title\n=====\n\n.. note::\n   \u{3000}wide\n \u{a0}\u{3000}x\n\n\
               +--+--+\n| é| ü|\n+==+\n| a\n\n::\n\n \u{3000}code\n\n\
               ===  ===\né    ü\n===  ===\n  ü é\n\n.. list-table::\n   :header-rows: 2\n\n\
               \x20  * - é\n\n.. csv-table::\n   :header: \"é, ü\n\n   \"x\n";
    for page in [SPHINX, HELP_CENTRE, odd] {
        let cuts = page.char_indices().map(|(k, _)| k);
        for k in cuts.step_by(7) {
            read(Format::Rst, &page[..k]);
            read(Format::Html, &page[..k]);
        }
    }
}

const HELP_CENTRE: &str = r##"<!DOCTYPE html>
<html><head><title>Reset your password &amp; 2FA | Acme Help Center</title>
<style>body { color: red }</style><script>var x = "Sign in";</script></head>
<body>
<header class="site-header"><a href="/">Acme</a><form><input placeholder="Search"></form></header>
<nav class="sub-nav"><ol class="breadcrumbs"><li><a href="/hc">Help</a></li></ol></nav>
<main>
<article>
<header class="article-header"><h1>Reset your password</h1></header>
<p>If you forgot your password, you can reset it from the sign-in page.</p>
<h2 id="email">By email<a class="headerlink" href="#email">¶</a></h2>
<ol><li>Click <strong>Forgot password</strong>.</li><li>Open the link we email you.</li></ol>
<h2>With the CLI</h2>
<pre><code>acme users reset --email you@example.com</code></pre>
<div class="article-sidebar"><h3>Related articles</h3><ul><li>Billing</li></ul></div>
</article>
</main>
<aside><h2>Still need help?</h2></aside>
<footer><p>© Acme</p></footer>
</body></html>"##;

#[test]
fn an_html_article_reads_as_its_headings_and_text_without_the_site_around_it() {
    let s = read(Format::Html, HELP_CENTRE);
    let ids: Vec<&str> = s.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(
        ids,
        ["page", "page#email", "page#with-the-cli"],
        "the id is the anchor"
    );
    assert_eq!(s[0].page_title, "Reset your password");
    assert_eq!(
        s[0].body,
        "If you forgot your password, you can reset it from the sign-in page."
    );
    assert_eq!(s[1].heading, "By email", "no permalink sign");
    assert!(s[1].body.contains("Forgot password"), "{}", s[1].body);
    assert!(
        s[2].body.contains("acme users reset --email"),
        "{}",
        s[2].body
    );
    let all: String = s.iter().map(|s| s.body.clone()).collect();
    for gone in [
        "Related articles",
        "Still need help",
        "Acme",
        "Search",
        "Help",
        "color",
    ] {
        assert!(!all.contains(gone), "{gone} in {all}");
    }
}

#[test]
fn an_html_page_without_a_main_heading_is_titled_by_its_title_element() {
    let page = "<html><head><title>Billing FAQ — Acme</title></head><body>\
                <h2>Refunds</h2><p>We refund within 14 days of a charge.</p></body></html>";
    let s = read(Format::Html, page);
    assert_eq!(s.len(), 1);
    assert_eq!(s[0].page_title, "Billing FAQ");
    assert_eq!(s[0].id, "page#refunds");
}

#[test]
fn formats_are_told_by_extension_and_html_is_read_only_without_sources() {
    use std::path::PathBuf;
    assert_eq!(of(Path::new("a/Guide.RST")), Some(Format::Rst));
    assert_eq!(of(Path::new("a/faq.htm")), Some(Format::Html));
    assert_eq!(of(Path::new("a/b.mdx")), Some(Format::Markdown));
    assert_eq!(
        of(Path::new("modules/ROOT/pages/b.adoc")),
        Some(Format::AsciiDoc)
    );
    assert_eq!(of(Path::new("conf.py")), None);
    assert_eq!(of(Path::new("requirements.txt")), None);
    let p = |s: &str| PathBuf::from(s);
    let mixed = vec![p("index.rst"), p("layouts/page.html"), p("guide.md")];
    assert_eq!(indexed(mixed), [p("index.rst"), p("guide.md")]);
    let antora = vec![p("pages/a.adoc"), p("build/site/a.html")];
    assert_eq!(indexed(antora), [p("pages/a.adoc")]);
    let site = vec![p("a.html"), p("b.htm")];
    assert_eq!(indexed(site.clone()), site);
}

#[test]
fn a_sphinx_folder_is_indexed_and_linked_as_markdown_pages_are() {
    let dir = tempfile::tempdir().unwrap();
    let guides = dir.path().join("guides");
    let built = dir.path().join("_build").join("html");
    std::fs::create_dir_all(&guides).unwrap();
    std::fs::create_dir_all(&built).unwrap();
    std::fs::write(guides.join("install.rst"), SPHINX).unwrap();
    std::fs::write(built.join("install.html"), HELP_CENTRE).unwrap();
    std::fs::write(dir.path().join("conf.py"), "project = 'acme'\n").unwrap();
    let kb = crate::kb::Kb::load(dir.path(), "https://docs.example.com/").unwrap();
    let links: Vec<&str> = kb.docs.iter().map(|d| d.link.as_str()).collect();
    assert_eq!(
        links,
        [
            "https://docs.example.com/guides/install#requirements",
            "https://docs.example.com/guides/install#install-with-pip",
            "https://docs.example.com/guides/install#upgrade",
        ]
    );
    let exported = tempfile::tempdir().unwrap();
    std::fs::write(exported.path().join("reset.html"), HELP_CENTRE).unwrap();
    let kb = crate::kb::Kb::load(exported.path(), "https://help.example.com").unwrap();
    let ids: Vec<&str> = kb.docs.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["reset", "reset#email", "reset#with-the-cli"]);
    assert_eq!(kb.docs[1].link, "https://help.example.com/reset#email");
    let none = tempfile::tempdir().unwrap();
    std::fs::write(none.path().join("notes.txt"), "text").unwrap();
    let err = crate::kb::Kb::load(none.path(), "https://x").err().unwrap();
    assert!(err.to_string().contains(".rst, .adoc, .html"), "{err}");
}
