//! Tests of page text made plain: line ends, collapsible blocks as headings, tags and links.

use super::*;

#[test]
fn windows_line_ends_and_a_byte_order_mark_read_as_plain_lines() {
    let page = "\u{feff}---\r\ntitle: Billing\r\n---\r\n## Invoices\r\nDownload them.\r\n";
    assert_eq!(
        normalise(page),
        "---\ntitle: Billing\n---\n## Invoices\nDownload them.\n"
    );
}

#[test]
fn a_collapsible_block_is_a_heading_below_the_one_above_it() {
    let page = "## Reverse proxy\nIntro.\n\n<details><summary>Nginx</summary>\n\nUse proxy_pass.\n\
                </details>\n<details>\n<summary><b>Caddy</b></summary>Use reverse_proxy.\n</details>\n";
    let n = normalise(page);
    assert!(n.contains("\n### Nginx\n\n"), "{n}");
    assert!(n.contains("\n### Caddy\n\nUse reverse_proxy.\n"), "{n}");
    assert!(!n.contains("details"), "{n}");
    let s = crate::kb::markdown::sections("proxy", &n);
    let ids: Vec<&str> = s.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["proxy#reverse-proxy", "proxy#nginx", "proxy#caddy"]);
    assert_eq!(s[1].parents, ["Reverse proxy"]);
    assert_eq!(s[1].body, "Use proxy_pass.");
}

#[test]
fn code_is_left_as_written() {
    let page = "## Run\n```html\n<details><summary>Not a heading</summary>\n# comment\n```\n";
    assert_eq!(normalise(page), page);
    assert_eq!(atx_level("#hashtag"), None);
    assert_eq!(atx_level("### Three"), Some(3));
}

#[test]
fn tags_comments_and_link_addresses_are_not_text() {
    assert_eq!(
        plain(
            "See the [install guide](https://x.example/install) <br/>or **ask** us.<!-- todo -->"
        ),
        "See the install guide or ask us."
    );
    assert_eq!(
        plain("![status badge](https://x/b.svg) <img src=\"a.png\" alt=\"x\"> done"),
        "status badge  done"
    );
    // Placeholders, comparisons and brackets that are not links stay.
    assert_eq!(
        plain("set <your-token> if a < b, [beta] (soon), 5 * 3, wow!"),
        "set <your-token> if a < b, [beta] (soon), 5 * 3, wow!"
    );
    assert_eq!(plain("UPTIME_KUMA_DB__HOST é"), "UPTIME_KUMA_DB__HOST é");
}

#[test]
fn a_summary_written_over_several_lines_is_a_heading_too() {
    let page = "## Step 2\n\n<details>\n  <summary>\n    Example <code>.env</code> content\n  \
                </summary>\n  Set DB_PASSWORD.\n</details>\n\n```html\n<summary>\nnot a title\n\
                </summary>\n```\n";
    let n = normalise(page);
    assert!(n.contains("\n### Example .env content\n"), "{n}");
    assert!(
        n.contains("```html\n<summary>\nnot a title\n</summary>\n```"),
        "{n}"
    );
    assert_eq!(join_summaries("<summary>\nno end\n"), "<summary>\nno end\n");
}

#[test]
fn jekyll_and_myst_pages_split_into_the_sections_they_publish() {
    let jekyll = "# Setup\n{: .no_toc }\n\n## Contents\n{: .no_toc }\n\n1. TOC\n{:toc}\n\n\
                  ---\n\n## Rotate the token\n{: #rotate }\n\n{: .warning }\nThe old token stops at once.\n";
    let s = crate::kb::markdown::sections("setup", &normalise(jekyll));
    let ids: Vec<&str> = s.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["setup#rotate"], "{s:?}");
    assert_eq!(s[0].page_title, "Setup");
    assert_eq!(s[0].body, "The old token stops at once.");
    let myst = "(caching)=\n# Caching\n\n## Where\n\n```{note}\nSee {ref}`pip cache`.\n```\n";
    let s = crate::kb::markdown::sections("caching", &normalise(myst));
    assert_eq!(s[0].page_title, "Caching");
    assert_eq!(s[0].body, "Note:\n\nSee pip cache.");
}

#[test]
fn every_cut_of_a_myst_jekyll_or_readme_page_reads_without_a_panic() {
    let pages = [
        "(t)=\n# T\n````{tab} é\n```\nx\n```\n````\n{ref}`a <b>` `{x}` {option}`--ü`\n% c\n+++\n\
         :::{note}\n:class: y\nü\n:::\n```{eval-rst}\n.. note::\n\n   é\n```\n",
        "# S\n{: .no_toc }\n1. TOC\n{:toc}\n[B](#b){: .btn }\n## R\n{: #r }\n{::comment}\né\n{:/comment}\n",
        "A\n[block:callout]\n{\"title\": \"é\", \"body\": \"ü\"}\n[/block]\n[block:parameters]\n\
         {\"data\": {\"h-0\": \"é\"}, \"cols\": 1, \"rows\": 2}\n[/block]\n[[toc]]\n",
    ];
    for page in pages {
        for (k, _) in page.char_indices() {
            let n = normalise(&page[..k]);
            crate::kb::markdown::sections("p", &n);
        }
    }
}
