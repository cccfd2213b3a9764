//! ReadMe's "magic blocks" (`[block:callout]{…JSON…}[/block]`, as ReadMe's exports and GitHub sync
//! write older pages) read as the published page reads: a callout is its title and text, a code
//! block is code, a parameters block is a table, an API header is a heading; pictures and raw HTML
//! are nothing.

use serde_json::Value;

/// `text` with each magic block replaced by markdown; unchanged when it has none.
pub fn plain(text: &str) -> String {
    if !text.contains("[block:") {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = find_block(rest) {
        let after = &rest[start + "[block:".len()..];
        let Some((kind, body)) = after.split_once(']') else {
            break;
        };
        let Some(end) = body.find("[/block]") else {
            break; // an unclosed block is left as written
        };
        out.push_str(&rest[..start]);
        if let Ok(v) = serde_json::from_str::<Value>(body[..end].trim()) {
            out.push_str(&render(kind.trim(), &v));
        }
        rest = &body[end + "[/block]".len()..];
    }
    out.push_str(rest);
    out
}

/// Where the next `[block:` at the start of a line begins.
fn find_block(text: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = text[from..].find("[block:") {
        let at = from + i;
        if at == 0 || text[..at].ends_with('\n') {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

fn str_of<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("").trim()
}

/// One block as markdown, set apart by blank lines.
fn render(kind: &str, v: &Value) -> String {
    let md = match kind {
        "callout" => {
            let (title, body) = (str_of(v, "title"), str_of(v, "body"));
            match title.is_empty() {
                true => body.to_string(),
                false if title.ends_with(['.', ':', '!', '?']) => format!("{title}\n\n{body}"),
                false => format!("{title}:\n\n{body}"),
            }
        }
        "code" => v
            .get("codes")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|c| {
                let code = str_of(c, "code");
                let fence = if code.contains("```") { "````" } else { "```" };
                format!("{fence}{}\n{code}\n{fence}", str_of(c, "language"))
            })
            .collect::<Vec<_>>()
            .join("\n\n"),
        "parameters" => table(v),
        "api-header" => {
            let level = v.get("level").and_then(Value::as_u64).unwrap_or(2);
            let title = str_of(v, "title");
            match title.is_empty() {
                true => String::new(),
                false => format!("{} {title}", "#".repeat(level.clamp(1, 6) as usize)),
            }
        }
        "image" => v
            .get("images")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|i| str_of(i, "caption").to_string())
            .filter(|c| !c.is_empty())
            .collect::<Vec<_>>()
            .join("\n\n"),
        "embed" => str_of(v, "title").to_string(),
        _ => String::new(), // raw HTML, tutorial tiles and the like show no text of their own
    };
    format!("\n\n{}\n\n", md.trim())
}

/// A parameters block (`"data": {"h-0": …, "0-0": …}`, `"cols"`, `"rows"`) as a markdown table.
fn table(v: &Value) -> String {
    let data = v.get("data");
    let n = |k: &str| v.get(k).and_then(Value::as_u64).unwrap_or(0) as usize;
    let (cols, rows) = (n("cols").min(20), n("rows").min(500));
    let cell = |key: String| {
        data.and_then(|d| d.get(&key))
            .and_then(Value::as_str)
            .unwrap_or("")
            .replace('\n', " ")
            .replace('|', "\\|")
    };
    if cols == 0 {
        return String::new();
    }
    let row = |cells: Vec<String>| format!("| {} |", cells.join(" | "));
    let mut lines = vec![
        row((0..cols).map(|c| cell(format!("h-{c}"))).collect()),
        format!("|{}", " --- |".repeat(cols)),
    ];
    for r in 0..rows {
        lines.push(row((0..cols).map(|c| cell(format!("{r}-{c}"))).collect()));
    }
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::plain;

    #[test]
    fn magic_blocks_read_as_their_text_code_and_tables() {
        let page = "## Retries\n\nWe retry.\n\n[block:callout]\n{\n  \"type\": \"info\",\n  \
            \"title\": \"Legacy\",\n  \"body\": \"Legacy endpoints are never retried.\"\n}\n[/block]\n\
            [block:code]\n{\"codes\": [{\"code\": \"curl -X POST /v1/hooks\", \"language\": \"shell\"}]}\n\
            [/block]\n[block:parameters]\n{\"data\": {\"h-0\": \"Attempt\", \"h-1\": \"Delay\", \
            \"0-0\": \"1\", \"0-1\": \"1 minute\"}, \"cols\": 2, \"rows\": 1}\n[/block]\n\
            [block:api-header]\n{\"title\": \"Signatures\"}\n[/block]\n\
            [block:image]\n{\"images\": [{\"image\": [\"https://x/y.png\"]}]}\n[/block]\n\
            [block:html]\n{\"html\": \"<div>hi</div>\"}\n[/block]\nThe end.\n";
        let out = plain(page);
        assert!(
            out.contains("Legacy:\n\nLegacy endpoints are never retried."),
            "{out}"
        );
        assert!(
            out.contains("```shell\ncurl -X POST /v1/hooks\n```"),
            "{out}"
        );
        assert!(
            out.contains("| Attempt | Delay |\n| --- | --- |\n| 1 | 1 minute |"),
            "{out}"
        );
        assert!(out.contains("\n## Signatures\n"), "{out}");
        assert!(!out.contains("[block") && !out.contains("png") && !out.contains("<div>"));
        assert!(out.starts_with("## Retries\n\nWe retry.") && out.ends_with("The end.\n"));
    }

    #[test]
    fn a_broken_block_loses_nothing_around_it() {
        let out = plain("Before.\n[block:callout]\n{not json\n[/block]\nAfter.\n");
        assert!(out.contains("Before.") && out.contains("After.") && !out.contains("not json"));
        let open = "Text.\n[block:callout]\n{\"body\": \"x\"}\n";
        assert_eq!(plain(open), open, "an unclosed block is left as written");
        let inline = "Write `[block:callout]` to add one.\n";
        assert_eq!(plain(inline), inline);
    }
}
