//! Left-aligned text columns for a terminal, two spaces apart.

use super::escape_controls;
use std::io::Write;

/// Between the cells of a row kept as one string: a control character,
/// which [`escape_controls`] leaves in no cell.
const APART: char = '\u{1f}';

/// A table filled a row at a time and written once its columns' widths are
/// known. A row is kept as its cells' text in one string, so a listing of a
/// whole matter holds its lines, not its documents.
pub struct Table {
    headers: Vec<String>,
    widths: Vec<usize>,
    rows: Vec<Box<str>>,
}

impl Table {
    pub fn new(headers: &[&str]) -> Table {
        Table {
            headers: headers.iter().map(|h| h.to_string()).collect(),
            widths: headers.iter().map(|h| h.chars().count()).collect(),
            rows: Vec::new(),
        }
    }

    /// Adds a row, its control characters escaped.
    pub fn push<S: AsRef<str>>(&mut self, cells: impl IntoIterator<Item = S>) {
        let mut row = String::new();
        for (i, cell) in cells.into_iter().enumerate() {
            let cell = escape_controls(cell.as_ref());
            if let Some(w) = self.widths.get_mut(i) {
                *w = (*w).max(cell.chars().count());
            }
            if i > 0 {
                row.push(APART);
            }
            row.push_str(&cell);
        }
        self.rows.push(row.into());
    }

    /// How many rows were added.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The header line, then each row's, each ending in a line feed.
    pub fn write_to(&self, out: &mut impl Write) -> std::io::Result<()> {
        self.lines().try_for_each(|line| writeln!(out, "{line}"))
    }

    fn lines(&self) -> impl Iterator<Item = String> + '_ {
        let header = self.line(self.headers.iter().map(String::as_str).collect());
        let rows = self
            .rows
            .iter()
            .map(|r| self.line(r.split(APART).collect()));
        std::iter::once(header).chain(rows)
    }

    /// Each cell padded to its column's width but the last; no trailing spaces.
    fn line(&self, cells: Vec<&str>) -> String {
        let mut s = String::new();
        for (i, (cell, w)) in cells.iter().zip(&self.widths).enumerate() {
            if i + 1 == cells.len() {
                s.push_str(cell);
            } else {
                s.push_str(&format!("{cell:<w$}  "));
            }
        }
        s.truncate(s.trim_end().len());
        s
    }
}

/// Left-aligned text columns, two spaces apart, as one string.
pub fn table(headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut t = Table::new(headers);
    for row in rows {
        t.push(row);
    }
    t.lines().map(|line| line + "\n").collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_as_wide_as_their_widest_cell_and_controls_are_escaped() {
        let rows = vec![
            vec!["DOC-1".to_string(), "a\u{1b}[2J".into(), "x".into()],
            vec!["DOC-10".to_string(), "é".into(), String::new()],
        ];
        let text = table(&["ID", "NAME", "NOTES"], &rows);
        assert_eq!(
            text,
            "ID      NAME        NOTES\n\
             DOC-1   a\\u{1b}[2J  x\n\
             DOC-10  é\n"
        );
        let mut t = Table::new(&["ID", "NAME", "NOTES"]);
        rows.iter().for_each(|r| t.push(r));
        let mut written = Vec::new();
        t.write_to(&mut written).unwrap();
        assert_eq!(String::from_utf8(written).unwrap(), text);
        assert_eq!(t.len(), 2);
    }
}
