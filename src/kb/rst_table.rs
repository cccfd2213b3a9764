//! reStructuredText grid tables (`+---+` borders, `|` rows, a `+===+` border under the header)
//! read as markdown table rows: each cell's lines joined, columns counted in characters.

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

#[cfg(test)]
mod tests {
    use super::grid_rows;

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
}
