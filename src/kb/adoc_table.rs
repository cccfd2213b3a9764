//! AsciiDoc tables (`|===`, and `,===` / `:===` for comma- and colon-separated data) read as rows
//! of cells: cell specifiers (`2+|`, `a|`, `3*|`) honoured for spans and left out of the text,
//! cells spread over several lines joined, rows counted by the `cols` attribute or the first line.

/// The number of columns `cols` names: `"1,2,3"` → 3, `"3*"` → 3, `"2*,1"` → 3.
pub fn column_count(cols: &str) -> Option<usize> {
    if let Ok(n) = cols.trim().parse::<usize>() {
        return Some(n); // `cols=3`
    }
    let n = cols
        .split([',', ';'])
        .map(|c| match c.split_once('*') {
            Some((n, _)) => n.trim().parse::<usize>().unwrap_or(1),
            None => 1,
        })
        .sum();
    (n > 0).then_some(n)
}

/// The table's content lines as rows of cell texts. `sep` is the delimiter's first character.
pub fn table_rows(lines: &[&str], sep: char, cols: Option<usize>) -> Vec<Vec<String>> {
    if sep == ',' || sep == ':' {
        return lines
            .iter()
            .filter(|l| !l.trim().is_empty())
            .map(|l| split_data(l, sep))
            .collect();
    }
    let (cells, first_line) = cells(lines, sep);
    let cols = cols.unwrap_or(first_line).max(1);
    let (mut rows, mut row, mut width) = (vec![], vec![], 0);
    for cell in cells {
        for _ in 0..cell.copies {
            row.push(cell.text.clone());
            width += cell.span;
            if width >= cols {
                rows.push(std::mem::take(&mut row));
                width = 0;
            }
        }
    }
    if !row.is_empty() {
        rows.push(row);
    }
    rows
}

struct Cell {
    span: usize,
    copies: usize,
    text: String,
}

/// Every cell, and how many columns the first line with a separator fills.
fn cells(lines: &[&str], sep: char) -> (Vec<Cell>, usize) {
    let mut cells: Vec<Cell> = vec![];
    let mut first_line = None;
    for line in lines.iter().filter(|l| !l.trim().is_empty()) {
        let parts = split_unescaped(line, sep);
        for (k, part) in parts.iter().enumerate() {
            let last = k + 1 == parts.len();
            let (text, spec) = if last {
                (part.as_str(), "")
            } else {
                cut_spec(part)
            };
            append(&mut cells, text);
            if !last {
                let (span, copies) = spans(spec);
                let text = String::new();
                cells.push(Cell { span, copies, text });
            }
        }
        if first_line.is_none() && parts.len() > 1 {
            first_line = Some(cells.iter().map(|c| c.span * c.copies).sum());
        }
    }
    (cells, first_line.unwrap_or(1))
}

/// Adds text to the last cell (text before a line's first separator continues the cell above).
fn append(cells: &mut [Cell], text: &str) {
    let text = text.trim();
    if text.is_empty() {
        return;
    }
    if let Some(cell) = cells.last_mut() {
        if !cell.text.is_empty() {
            cell.text.push(' ');
        }
        cell.text.push_str(text);
    }
}

/// `line` split at `sep`, a `\` before it keeping it as text.
fn split_unescaped(line: &str, sep: char) -> Vec<String> {
    let (mut parts, mut part) = (vec![], String::new());
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' && chars.peek() == Some(&sep) {
            part.push(sep);
            chars.next();
        } else if c == sep {
            parts.push(std::mem::take(&mut part));
        } else {
            part.push(c);
        }
    }
    parts.push(part);
    parts
}

/// A part's text and the cell specifier at its end (`2+`, `a`, `3*`, `.^`…) that belongs to the
/// next cell: the last word, when it is made only of specifier characters.
fn cut_spec(part: &str) -> (&str, &str) {
    let start = part.rfind(char::is_whitespace).map_or(0, |k| k + 1);
    let word = &part[start..];
    let style = word.chars().last().filter(|c| "adehlmsv".contains(*c));
    let body = &word[..word.len() - style.map_or(0, char::len_utf8)];
    let spec = body
        .chars()
        .all(|c| c.is_ascii_digit() || ".+*<^>".contains(c));
    if !word.is_empty() && spec && (style.is_some() || !body.is_empty()) {
        let digits_only = style.is_none() && body.chars().all(|c| c.is_ascii_digit());
        if !digits_only {
            return (&part[..start], word);
        }
    }
    (part, "")
}

/// A specifier's column span (`2+`, `2.3+`) and copies (`3*`).
fn spans(spec: &str) -> (usize, usize) {
    let number = |s: &str| s.parse::<usize>().ok().filter(|n| *n > 0);
    let copies = spec
        .split_once('*')
        .and_then(|(n, _)| number(n))
        .unwrap_or(1);
    let span = spec
        .split_once('+')
        .map(|(s, _)| s.rsplit('*').next().unwrap_or(s))
        .filter(|s| !s.starts_with('.'))
        .and_then(|s| number(s.split('.').next().unwrap_or(s)))
        .unwrap_or(1);
    (span, copies)
}

/// A comma- or colon-separated data line's cells (double quotes keep a separator as text).
fn split_data(line: &str, sep: char) -> Vec<String> {
    let (mut cells, mut cell, mut quoted) = (vec![], String::new(), false);
    for c in line.chars() {
        match c {
            '"' if sep == ',' => quoted = !quoted,
            c if c == sep && !quoted => cells.push(std::mem::take(&mut cell).trim().to_string()),
            c => cell.push(c),
        }
    }
    cells.push(cell.trim().to_string());
    cells
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(table: &str, cols: Option<usize>) -> Vec<Vec<String>> {
        let lines: Vec<&str> = table.lines().collect();
        table_rows(&lines, '|', cols)
    }

    #[test]
    fn one_line_rows_and_cells_over_lines_read_the_same() {
        let wide = "|Plan |Price\n\n|Pro |10 per seat\n|Team |20\n";
        let tall = "|Plan\n|Price\n\n|Pro\n|10 per\nseat\n\n|Team\n|20\n";
        let want = [["Plan", "Price"], ["Pro", "10 per seat"], ["Team", "20"]];
        assert_eq!(rows(wide, None), want);
        assert_eq!(rows(tall, Some(2)), want);
    }

    #[test]
    fn specifiers_span_columns_and_are_not_text() {
        let t = "|A |B |C\n2+|wide a|cell\n3*|x\n|a \\| b |2 |3\n";
        assert_eq!(
            rows(t, None),
            [
                vec!["A", "B", "C"],
                vec!["wide", "cell"],
                vec!["x", "x", "x"],
                vec!["a | b", "2", "3"]
            ]
        );
        assert_eq!(column_count("1,2,3"), Some(3));
        assert_eq!(column_count("3*"), Some(3));
        assert_eq!(column_count("2*,1"), Some(3));
        assert_eq!(column_count("4"), Some(4));
    }

    #[test]
    fn comma_separated_data_keeps_quoted_commas() {
        let lines = ["Plan,Price", "\"Pro, yearly\",100", ""];
        assert_eq!(
            table_rows(&lines, ',', None),
            [vec!["Plan", "Price"], vec!["Pro, yearly", "100"]]
        );
    }
}
