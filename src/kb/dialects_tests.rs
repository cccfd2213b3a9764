//! Tests of documentation generators' markup read as the published page reads.

use super::*;
use crate::kb::markdown::sections;
use crate::kb::page_text::{normalise, plain};

#[test]
fn a_docusaurus_page_reads_as_its_text() {
    let page = "---\ntitle: Install\n---\nimport Tabs from '@theme/Tabs';\n\
                import TabItem from '@theme/TabItem';\n\n## Docker\n\n:::tip Pick a tag\n\n\
                Use the `2` tag.\n\n:::\n\n<Tabs>\n<TabItem value=\"compose\" label=\"Compose\">\n\n\
                Run `docker compose up`.\n\n</TabItem>\n</Tabs>\n";
    let s = sections("install", &normalise(page));
    let ids: Vec<&str> = s.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["install#docker"], "no intro section from the imports");
    let text = plain(&s[0].body);
    for gone in [":::", "import", "TabItem", "<Tabs>", "value="] {
        assert!(!text.contains(gone), "{gone} in {text}");
    }
    for kept in ["Pick a tag", "Use the `2` tag.", "Run `docker compose up`."] {
        assert!(text.contains(kept), "{kept} missing from {text}");
    }
    // Quoted, the admonition's title reads as a label of what follows.
    let quote = crate::kb::markdown::extract(&s[0].body, 1000);
    assert!(quote.contains("Pick a tag: Use the `2` tag."), "{quote}");
    assert_eq!(colon_admonition(":::note[Your title]"), Some("Your title"));
    assert_eq!(colon_admonition("::: warning"), Some(""));
    assert_eq!(colon_admonition("::::info{title=\"x\"}"), Some(""));
    assert_eq!(colon_admonition("a :::"), None);
    assert!(is_module_line("import { Tabs } from \"@theme/Tabs\";\n"));
    assert!(
        !is_module_line("import your contacts from a CSV file\n"),
        "prose"
    );
}

#[test]
fn a_mkdocs_admonition_and_tab_body_is_text_and_its_headings_count() {
    let page = "# Backups\n\n## Restore\n\n!!! warning \"Stop the server first\"\n\n    \
                Restoring over a running server corrupts the database.\n\n        nested code\n\n\
                === \"Docker\"\n\n    Mount the backup volume.\n\n    ```sh\n    docker run x\n    ```\n\n\
                After the tabs.\n\n## Schedule\nNightly.\n";
    let n = normalise(page);
    assert!(
        n.contains("\nRestoring over a running server corrupts the database.\n"),
        "{n}"
    );
    assert!(
        n.contains("\n    nested code\n"),
        "indented code stays code: {n}"
    );
    assert!(n.contains("\n```sh\ndocker run x\n```\n"), "{n}");
    assert!(!n.contains("!!!") && !n.contains("==="), "{n}");
    let s = sections("backups", &n);
    let ids: Vec<&str> = s.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["backups#restore", "backups#schedule"]);
    let text = plain(&s[0].body);
    assert!(
        text.contains("Stop the server first") && text.contains("Docker"),
        "{text}"
    );
    assert!(text.contains("After the tabs."), "{text}");
    assert_eq!(mkdocs_block("??? tip"), Some(""));
    assert_eq!(mkdocs_block("???+ note inline end \"Hi\""), Some("Hi"));
    assert_eq!(mkdocs_block("!!!wow"), None);
    assert_eq!(mkdocs_block("==="), None, "a setext underline");
    assert_eq!(mkdocs_block("=== not a tab"), None);
}

#[test]
fn a_setext_heading_and_indented_code_outside_blocks_are_left_alone() {
    let page = "Install\n=======\n\nText.\n\n    !!! note \"code\"\n";
    assert_eq!(plain_markdown(page), page);
}

#[test]
fn template_tags_and_github_alert_markers_are_not_text() {
    let page = "## Limits\n\n{% hint style=\"info\" %}\nThe API allows 100 calls a minute.\n\
                {% endhint %}\n\n> [!NOTE]\n> Keys expire after a year.\n\n{{< ref \"x\" >}}\n\
                {% include note.md %} and more\n\n[[toc]]\n[TOC]\n";
    let n = normalise(page);
    for gone in ["{% hint", "endhint", "[!NOTE]", "{{<", "toc]", "TOC]"] {
        assert!(!n.contains(gone), "{gone} in {n}");
    }
    assert!(n.contains("> Keys expire after a year."), "{n}");
    assert!(
        n.contains("{% include note.md %} and more"),
        "inline text stays: {n}"
    );
    let tabs = "## Install\n\n{% tabs %}\n{% tab title=\"npm\" %}\nnpm i acme\n{% endtab %}\n\
                {{< tab name=\"Docker\" >}}\ndocker run acme\n{{< /tab >}}\n{% endtabs %}\n";
    let s = sections("page", &normalise(tabs));
    let quote = crate::kb::markdown::extract(&s[0].body, 1000);
    assert!(
        quote.contains("npm: npm i acme") && quote.contains("Docker: docker run acme"),
        "a tab's title is a label: {quote}"
    );
    assert!(!quote.contains("tab"), "{quote}");
}

#[test]
fn code_keeps_what_looks_like_markup() {
    let page = "## Run\n```js\nimport x from 'y';\n:::tip\n{% raw %}\n```\n";
    assert_eq!(plain_markdown(page), page);
}

#[test]
fn an_explicit_heading_anchor_is_the_section_id() {
    let page =
        "## Install with Docker {#docker}\nRun it.\n\n## Upgrade { #upgrade-guide }\nPull.\n";
    let s = sections("setup", &normalise(page));
    let ids: Vec<&str> = s.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["setup#docker", "setup#upgrade-guide"]);
    assert_eq!(s[0].heading, "Install with Docker");
}

#[test]
fn placeholders_stay_and_components_go() {
    assert_eq!(
        plain(
            "set <YOUR_TOKEN> or <your-token>, `<MonitorObject>` <Tabs groupId=\"os\">x</Tabs> <Note/>\n<Tabs>\ny"
        ),
        "set <YOUR_TOKEN> or <your-token>, `<MonitorObject>` x \n\ny"
    );
}

#[test]
fn reference_links_read_as_their_text_and_their_definitions_are_not_text() {
    let page = "## Files\nDownload [`compose.yml`][compose-file] and [the env][].\n\n\
                [compose-file]: https://example.com/compose.yml\n[the env]: <https://x.example/env>\n";
    let s = sections("install", &normalise(page));
    assert_eq!(
        plain(&s[0].body),
        "Download `compose.yml` and the env.",
        "{:?}",
        s[0].body
    );
    assert!(!is_link_definition("[^1]: a footnote is text"));
    assert!(!is_link_definition("[beta]: "));
    assert_eq!(plain("[beta] (soon) and [x]"), "[beta] (soon) and [x]");
}

#[test]
fn a_mintlify_faq_reads_each_accordion_as_a_question_of_its_own() {
    let page = "---\ntitle: FAQ\n---\nimport Note from '/snippets/note.mdx'\n\n## Billing\n\n\
                <AccordionGroup>\n  <Accordion title=\"Can I change my plan at any time?\">\n    \
                Yes. Open **Settings → Billing** and pick a plan; the change is prorated.\n  \
                </Accordion>\n  <Accordion title='Do you offer refunds?' icon=\"money\">\n    \
                Within 14 days of a charge.\n  </Accordion>\n</AccordionGroup>\n\n## Install\n\n\
                <Tabs>\n  <Tab title=\"npm\">\n    ```bash\n    npm i acme\n    ```\n  </Tab>\n\
                </Tabs>\n\n<Steps>\n  <Step title=\"Create a key\">\n    Open the dashboard.\n  \
                </Step>\n</Steps>\n<Info />\n";
    let s = sections("faq", &normalise(page));
    let ids: Vec<&str> = s.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "faq#can-i-change-my-plan-at-any-time",
            "faq#do-you-offer-refunds",
            "faq#install"
        ]
    );
    assert_eq!(s[0].parents, ["Billing"]);
    assert_eq!(
        plain(&s[0].body),
        "Yes. Open Settings → Billing and pick a plan; the change is prorated."
    );
    assert_eq!(plain(&s[1].body), "Within 14 days of a charge.");
    let install = plain(&s[2].body);
    for kept in ["npm:", "npm i acme", "Create a key:", "Open the dashboard."] {
        assert!(install.contains(kept), "{kept} missing from {install}");
    }
    assert!(crate::kb::mdx::component("<YOUR_TOKEN>").is_none());
    let wrapped = "## FAQ\n\n<Accordion\n  title=\"Can I invite people from outside my company?\"\n  \
                   icon=\"users\"\n>\n  Yes, as guests.\n</Accordion>\n\n```jsx\n<Card\n  title=\"x\"\n>\n```\n";
    let w = sections("faq", &normalise(wrapped));
    assert_eq!(
        w[0].heading, "Can I invite people from outside my company?",
        "{w:?}"
    );
    assert!(
        plain(&w[0].body).starts_with("Yes, as guests."),
        "{:?}",
        w[0].body
    );
    assert!(
        w[0].body.contains("<Card\n  title=\"x\"\n>"),
        "code is left as written"
    );
    let all: String = s.iter().map(|s| plain(&s.body)).collect();
    for gone in ["Accordion", "<Tab", "Steps", "Info", "icon"] {
        assert!(!all.contains(gone), "{gone} in {all}");
    }
}
