//! Tests of AsciiDoc pages read as the sections their published pages show.

use super::to_markdown;
use crate::kb::markdown::{Section, sections};
use crate::kb::page_text::{normalise, plain};

fn read(page: &str) -> Vec<Section> {
    sections("page", &normalise(&to_markdown(page)))
}

const ANTORA: &str = "\
// The page's own comment
= Backups and restore
Jane Doe <jane@acme.example>
v2.1, 2026-01-04
:description: How to back up your data.
:product: Acme Cloud
:page-aliases: backup.adoc

{product} keeps every workspace in one database, and this page says how to keep a copy of it.

[[schedule]]
== Schedule a backup

Open menu:Settings[Backups] and click btn:[Schedule]. Backups need the xref:roles.adoc#owner[owner role]. +
They run at 02:00 UTC.

NOTE: A backup of a large workspace can take an hour.

.Example schedule
[source,yaml]
----
backup:
  cron: \"0 2 * * *\" # <1>
----
<1> Every night.

=== Keep copies offsite

* Copy each backup to S3
** which needs an IAM key
with write access
* Copy to a local disk

[WARNING]
====
Offsite copies are not encrypted unless you turn on encryption.
====

// a comment about the Restore section
////
A block comment
== Not a heading
////

== Restore

. Stop the service.
. Run `acme restore --from latest`.

[cols=\"1,2\"]
|===
|Flag |Meaning

|--force
|Overwrite the workspace
|===

ifdef::env-github[]
Shown on GitHub as well.
endif::[]
include::partial$footer.adoc[]
image::restore.png[Restore screen]
";

#[test]
fn an_antora_page_splits_at_its_section_titles() {
    let s = read(ANTORA);
    let ids: Vec<&str> = s.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "page",
            "page#schedule",
            "page#keep-copies-offsite",
            "page#restore"
        ],
        "an explicit id is the anchor"
    );
    assert!(s.iter().all(|s| s.page_title == "Backups and restore"));
    assert_eq!(s[2].parents, ["Schedule a backup"], "=== sits under ==");
    let intro = plain(&s[0].body);
    assert!(
        intro.starts_with("Acme Cloud keeps every workspace"),
        "{intro}"
    );
    assert!(
        !intro.contains("Jane") && !intro.contains("v2.1"),
        "{intro}"
    );
    let schedule = plain(&s[1].body);
    for want in [
        "Open Settings > Backups and click Schedule.",
        "the owner role. They run at 02:00 UTC.",
        "Note: A backup of a large workspace can take an hour.",
        "Example schedule",
        "cron: \"0 2 * * *\"",
        "Every night.",
    ] {
        assert!(schedule.contains(want), "{want} not in {schedule}");
    }
    assert!(
        !schedule.contains("<1>") && !schedule.contains("----"),
        "{schedule}"
    );
    let offsite = plain(&s[2].body);
    assert!(
        offsite.contains("which needs an IAM key with write access"),
        "{offsite}"
    );
    assert!(
        offsite.contains("Warning:") && offsite.contains("not encrypted"),
        "{offsite}"
    );
    let restore = plain(&s[3].body);
    for want in [
        "Stop the service.",
        "acme restore --from latest",
        "--force",
        "Overwrite the workspace",
        "Shown on GitHub",
    ] {
        assert!(restore.contains(want), "{want} not in {restore}");
    }
    let all: String = s.iter().map(|s| plain(&s.body)).collect();
    for gone in [
        "comment",
        "Not a heading",
        "footer",
        "restore.png",
        "ifdef",
        "page-aliases",
        "[source",
    ] {
        assert!(!all.contains(gone), "{gone} in {all}");
    }
}

#[test]
fn listings_literals_and_admonition_blocks_keep_their_text() {
    let page = "= Tokens\n\n== Create a token\n\n[TIP]\n.Short-lived\n====\nTokens expire after 30 days.\n====\n\n\
                 ....\nacme tokens create\n....\n\n  acme tokens list\n\n\
                 ```bash\necho ``` inside\n```\n\n\
                 API key:: a secret that identifies your workspace\nScope::\n  what a token may do\n\n\
                 [#rotate]\n== Rotate tokens\n\nSee <<create-a-token>>.\n";
    let s = read(page);
    let ids: Vec<&str> = s.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["page#create-a-token", "page#rotate"]);
    let create = plain(&s[0].body);
    for want in [
        "Short-lived",
        "Tip:",
        "Tokens expire after 30 days.",
        "acme tokens create",
        "acme tokens list",
        "echo ``` inside",
        "API key: a secret that identifies your workspace",
        "Scope: what a token may do",
    ] {
        assert!(create.contains(want), "{want} not in {create}");
    }
    assert!(
        plain(&s[1].body).contains("See create a token."),
        "{:?}",
        s[1].body
    );
}

#[test]
fn lists_nest_as_their_kinds_of_marker_do() {
    let md = to_markdown(". Open the app\n* on the web\n** or on a phone\n. Sign in\n- done\n");
    assert!(
        md.contains(
            "1. Open the app\n   - on the web\n     - or on a phone\n1. Sign in\n   - done\n"
        ),
        "{md}"
    );
}

#[test]
fn odd_and_cut_pages_read_without_a_panic() {
    let odd = "= T\n\n|===\n2+|\n|===\n\n[\n]\n[[]]\n== \n==\n.\n* \n:: x\n----\nunclosed\n\
               `+x+` {x} <<>> xref:[] link:[] kbd:[] \u{3000}\n|===\n|é|ü\n";
    for page in [ANTORA, odd] {
        let cuts = page.char_indices().map(|(k, _)| k);
        for k in cuts.step_by(7) {
            read(&page[..k]);
        }
    }
    for page in [
        "",
        "=",
        "= ",
        "----",
        "|===",
        ".",
        "[]",
        "[x]",
        "////",
        "---\n---\n",
    ] {
        read(page);
    }
}

#[test]
fn front_matter_names_the_page_as_a_markdown_page_s_does() {
    let page = "---\ntitle: Billing FAQ\ntags: [known-issue]\n---\n== Refunds\n\nWithin 14 days.\n";
    let s = read(page);
    assert_eq!(s.len(), 1);
    assert_eq!(s[0].page_title, "Billing FAQ");
    assert_eq!(s[0].id, "page#refunds");
}
