//! reStructuredText grid tables (`+---+` borders, `|` rows, a `+===+` border under the header)
//! and simple tables (`=====  =====` borders, columns where the border's runs are) read as markdown
//! table rows: each cell's lines joined, columns counted in characters.

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

#[cfg(test)]
mod tests {
    use super::{grid_rows, simple_rows};

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
}
