//! reStructuredText grid tables (`+---+` borders, `|` rows, a `+===+` border under the header)
//! and simple tables (`=====  =====` borders, columns where the border's runs are) read as markdown
//! table rows: each cell's lines joined, columns counted in characters; so are the `list-table`
//! and `csv-table` directives.

/// The grid table starting at line `i` (its top border): its rows as markdown table rows, and
/// the line after the table.
pub fn grid_rows(lines: &[&str], i: usize) -> (Vec<String>, usize) {
    let base = lines[i].len() - lines[i].trim_start().len();
    let end = (i..lines.len())
        .find(|&j| {
            let t = lines[j].get(base..).unwrap_or("");
            !(t.starts_with('+') || t.starts_with('|'))
        })
        .unwrap_or(lines.len());
    let cuts: Vec<usize> = lines[i][base..]
        .chars()
        .enumerate()
        .filter(|(_, c)| *c == '+')
        .map(|(k, _)| k)
        .collect();
    let (mut rows, mut cells) = (vec![], vec![String::new(); cuts.len().saturating_sub(1)]);
    for line in &lines[i + 1..end] {
        let line = &line[base..];
        if line.starts_with('+') {
            let row: Vec<&str> = cells.iter().map(|c| c.trim()).collect();
            rows.push(format!("| {} |", row.join(" | ")));
            if line.contains('=') {
                rows.push(format!("|{}", " --- |".repeat(row.len())));
            }
            cells.iter_mut().for_each(String::clear);
            continue;
        }
        let chars: Vec<char> = line.chars().collect();
        for (k, cell) in cells.iter_mut().enumerate() {
            let to = cuts[k + 1].min(chars.len());
            let part: String = chars.get(cuts[k] + 1..to).unwrap_or(&[]).iter().collect();
            if !part.trim().is_empty() {
                cell.push(' ');
                cell.push_str(part.trim());
            }
        }
    }
    (rows, end)
}

/// Where a simple table's border line (two or more runs of `=` apart by spaces) puts its columns:
/// each run's first character.
pub fn simple_border(line: &str) -> Option<Vec<usize>> {
    let t = line.trim_end();
    if !t.starts_with('=') || !t.chars().all(|c| c == '=' || c == ' ') {
        return None;
    }
    let chars: Vec<char> = t.chars().collect();
    let starts: Vec<usize> = (0..chars.len())
        .filter(|&k| chars[k] == '=' && (k == 0 || chars[k - 1] == ' '))
        .collect();
    (starts.len() >= 2).then_some(starts)
}

/// The simple table starting at line `i` (its top border): its rows as markdown table rows (a
/// line whose first column is blank continues the row above), and the line after the table.
pub fn simple_rows(lines: &[&str], i: usize) -> (Vec<String>, usize) {
    let starts = simple_border(lines[i]).unwrap_or_default();
    let mut rows: Vec<Vec<String>> = vec![];
    let (mut header, mut j) = (None::<usize>, i + 1);
    while j < lines.len() {
        let line = lines[j];
        if simple_border(line).is_some() {
            let last = lines.get(j + 1).is_none_or(|l| l.trim().is_empty());
            if last || header.is_some() {
                j += 1;
                break;
            }
            header = Some(rows.len());
        } else if !line.trim().is_empty() && !line.trim().chars().all(|c| c == '-' || c == ' ') {
            let cells = cut(line, &starts);
            match rows.last_mut().filter(|_| cells[0].is_empty()) {
                Some(row) => row.iter_mut().zip(cells).for_each(|(c, more)| {
                    if !more.is_empty() {
                        c.push(' ');
                        c.push_str(&more);
                    }
                }),
                None => rows.push(cells),
            }
        }
        j += 1;
    }
    let mut out: Vec<String> = rows
        .iter()
        .map(|r| format!("| {} |", r.join(" | ")))
        .collect();
    if let Some(h) = header.filter(|h| *h > 0) {
        out.insert(h, format!("|{}", " --- |".repeat(starts.len())));
    }
    (out, j)
}

/// A simple table's line cut at the columns' starts (the last column runs to the line's end), each
/// cell trimmed and without a line block's `| `.
fn cut(line: &str, starts: &[usize]) -> Vec<String> {
    let chars: Vec<char> = line.chars().collect();
    (0..starts.len())
        .map(|k| {
            let to = starts
                .get(k + 1)
                .copied()
                .unwrap_or(chars.len())
                .min(chars.len());
            let from = starts[k].min(to);
            let cell: String = chars[from..to].iter().collect();
            let cell = cell.trim();
            cell.strip_prefix("| ").unwrap_or(cell).trim().to_string()
        })
        .collect()
}

/// A `list-table` or `csv-table` directive's block (options and body, dedented) as markdown table
/// rows, the header marked; `None` for any other directive.
pub fn directive_rows(name: &str, block: &[&str]) -> Option<Vec<String>> {
    let option = |key: &str| {
        block
            .iter()
            .find_map(|l| l.trim().strip_prefix(key).map(str::trim))
    };
    let body: Vec<&str> = block
        .iter()
        .copied()
        .skip_while(|l| l.trim_start().starts_with(':'))
        .collect();
    let (mut rows, header) = match name {
        "list-table" => {
            let n = option(":header-rows:").and_then(|v| v.parse().ok());
            (list_cells(&body), n.unwrap_or(0))
        }
        "csv-table" => {
            let mut rows: Vec<Vec<String>> =
                option(":header:").map(csv_cells).into_iter().collect();
            let header = rows.len();
            rows.extend(
                body.iter()
                    .filter(|l| !l.trim().is_empty())
                    .map(|l| csv_cells(l)),
            );
            (rows, header)
        }
        _ => return None,
    };
    let width = rows.iter().map(Vec::len).max().unwrap_or(0);
    rows.iter_mut().for_each(|r| r.resize(width, String::new()));
    let mut out: Vec<String> = rows
        .iter()
        .map(|r| format!("| {} |", r.join(" | ")))
        .collect();
    if header > 0 && header <= out.len() && width > 0 {
        out.insert(header, format!("|{}", " --- |".repeat(width)));
    }
    Some(out)
}

/// A list table's cells: `* - a` starts a row, `  - b` a cell, deeper lines continue the cell.
fn list_cells(body: &[&str]) -> Vec<Vec<String>> {
    let mut rows: Vec<Vec<String>> = vec![];
    for line in body {
        let t = line.trim_start();
        let top = t.len() == line.len();
        let item = t.strip_prefix("* ").or_else(|| t.strip_prefix("- "));
        match item {
            Some(rest) if top => {
                let rest = rest.trim_start();
                let first = rest.strip_prefix("- ").unwrap_or(rest);
                rows.push(vec![first.trim().to_string()]);
            }
            Some(rest) => {
                if let Some(row) = rows.last_mut() {
                    row.push(rest.trim().to_string());
                }
            }
            None if !t.is_empty() => {
                if let Some(cell) = rows.last_mut().and_then(|r| r.last_mut()) {
                    cell.push(' ');
                    cell.push_str(t.trim_end());
                }
            }
            None => {}
        }
    }
    rows
}

/// One line of a CSV table: cells apart at commas outside double quotes (`""` is a quote).
fn csv_cells(line: &str) -> Vec<String> {
    let (mut cells, mut cell, mut quoted) = (vec![], String::new(), false);
    let mut chars = line.trim().chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                cell.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => cells.push(std::mem::take(&mut cell).trim().to_string()),
            c => cell.push(c),
        }
    }
    cells.push(cell.trim().to_string());
    cells
}

#[cfg(test)]
mod tests {
    use super::{directive_rows, grid_rows, simple_rows};

    #[test]
    fn cells_spanning_lines_are_joined_and_the_header_is_marked() {
        let table = "+-------+--------+\n| Plan  | Price  |\n+=======+========+\n\
                     | Pro é | 10 per |\n|       | seat   |\n+-------+--------+\nafter";
        let lines: Vec<&str> = table.lines().collect();
        let (rows, end) = grid_rows(&lines, 0);
        assert_eq!(
            rows,
            [
                "| Plan | Price |",
                "| --- | --- |",
                "| Pro é | 10 per seat |"
            ]
        );
        assert_eq!(lines[end], "after");
    }

    #[test]
    fn a_simple_tables_columns_are_where_its_border_puts_them() {
        let lines = [
            "=========== ==== ======================",
            "Plugin      Auth Notes",
            "=========== ==== ======================",
            "apache      Y    | Automates Apache.",
            "webroot     Y    | Writes to the webroot of",
            "                 | a running server.    http-01 (80)",
            "=========== ==== ======================",
            "",
            "after",
        ];
        let (rows, end) = simple_rows(&lines, 0);
        assert_eq!(
            rows,
            [
                "| Plugin | Auth | Notes |",
                "| --- | --- | --- |",
                "| apache | Y | Automates Apache. |",
                "| webroot | Y | Writes to the webroot of a running server.    http-01 (80) |",
            ]
        );
        assert_eq!(lines[end], "");
        // Without a header: one border above, one below.
        let plain = ["=====  =====", "a      b", "=====  =====", "", "next"];
        let (rows, end) = simple_rows(&plain, 0);
        assert_eq!(rows, ["| a | b |"]);
        assert_eq!(plain[end], "");
    }

    #[test]
    fn list_and_csv_tables_are_table_rows() {
        let list = [
            ":header-rows: 1",
            ":widths: 20 80",
            "",
            "* - Plan",
            "  - Price",
            "* - Pro",
            "  - 10 per seat,",
            "    billed monthly",
        ];
        let rows = directive_rows("list-table", &list).unwrap();
        assert_eq!(
            rows,
            [
                "| Plan | Price |",
                "| --- | --- |",
                "| Pro | 10 per seat, billed monthly |"
            ]
        );
        let csv = [
            ":header: \"Treat\", \"Quantity\"",
            "",
            "\"Albatross, fresh\", 2.99",
            "\"Say \"\"cheese\"\"\", 1",
        ];
        let rows = directive_rows("csv-table", &csv).unwrap();
        assert_eq!(
            rows,
            [
                "| Treat | Quantity |",
                "| --- | --- |",
                "| Albatross, fresh | 2.99 |",
                "| Say \"cheese\" | 1 |",
            ]
        );
        assert!(directive_rows("note", &csv).is_none());
        let page = ".. list-table:: Prices\n   :header-rows: 1\n\n   * - Plan\n     - Price\n\
                    \x20  * - Pro\n     - $10\n\nAfter.\n";
        let md = crate::kb::rst::to_markdown(page);
        assert!(md.contains("Prices\n"), "{md}");
        assert!(
            md.contains("| Plan | Price |\n| --- | --- |\n| Pro | $10 |"),
            "{md}"
        );
        assert!(md.trim_end().ends_with("After."), "{md}");
    }
}
