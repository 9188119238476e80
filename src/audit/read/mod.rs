//! Readers for the load files of a received production. Each turns bytes into
//! the same [`Table`] (headers + records, each record knowing its line or
//! row), and reports what it could not read with the line or cell instead of
//! failing: the rest of the audit runs on what could be read.

pub mod categories;
pub mod csv;
pub mod dat;
pub mod dii;
pub mod edrm;
pub mod lfp;
pub mod opt;
pub mod records;
pub mod sheet_rows;
pub mod sniff;
pub mod sums;
pub mod text;
pub mod tiff;
pub mod windows;
pub mod xlsx;

use super::columns::Columns;

/// A problem in a load file, located by line (text) or cell (spreadsheet).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: Option<usize>,
    pub cell: Option<String>,
    pub message: String,
}

impl Problem {
    pub fn line(line: usize, message: impl Into<String>) -> Problem {
        Problem {
            line: Some(line),
            cell: None,
            message: message.into(),
        }
    }

    pub fn cell(row: usize, cell: impl Into<String>, message: impl Into<String>) -> Problem {
        Problem {
            line: Some(row),
            cell: Some(cell.into()),
            message: message.into(),
        }
    }

    pub fn file(message: impl Into<String>) -> Problem {
        Problem {
            line: None,
            cell: None,
            message: message.into(),
        }
    }
}

/// One data record: its cells, and where it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// 1-based line (text files) or row (spreadsheets) where the record starts.
    pub line: usize,
    pub cells: Vec<String>,
    /// The record could not be read cleanly (wrong field count, broken
    /// quote): only its Bates numbers are trusted.
    pub malformed: bool,
}

/// A load file read into headers and records.
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub format: String,
    pub encoding: Option<String>,
    pub qualifier: Option<String>,
    pub separator: Option<String>,
    pub sheet: Option<String>,
    /// Spreadsheet rows are called rows, text lines lines.
    pub spreadsheet: bool,
    pub headers: Vec<String>,
    pub header_line: usize,
    pub records: Vec<Record>,
    pub problems: Vec<Problem>,
    /// Facts worth showing that are not problems (encoding guessed, …).
    pub notes: Vec<String>,
}

impl Table {
    /// `line 7` or `row 7`.
    pub fn place(&self, line: usize) -> String {
        if self.spreadsheet {
            format!("row {line}")
        } else {
            format!("line {line}")
        }
    }

    /// The cell of column `col` in row `row` as a spreadsheet names it (`C7`),
    /// for spreadsheets only.
    pub fn cell_name(&self, row: usize, col: usize) -> Option<String> {
        self.spreadsheet.then(|| cell_at(row, col))
    }
}

/// The cell of column `col` (from 0) in row `row` as a spreadsheet names it (`C7`).
pub fn cell_at(row: usize, col: usize) -> String {
    format!("{}{row}", column_letters(col))
}

/// `0` → `A`, `26` → `AA`.
pub fn column_letters(col: usize) -> String {
    crate::sheet_bounds::column_name(col as u64)
}

/// Picks the header among the first records: the first one naming at least
/// two known columns, else the first non-empty one. Title rows above the
/// header ("Privilege Log – Defendants") are skipped this way.
pub fn header_index(records: &[Vec<String>]) -> Option<usize> {
    let first = records
        .iter()
        .position(|r| r.iter().any(|c| !c.trim().is_empty()))?;
    let known = |r: &Vec<String>| Columns::new(r).recognised();
    records
        .iter()
        .enumerate()
        .skip(first)
        .take(10)
        .find(|(_, r)| known(r) >= 2)
        .map(|(i, _)| i)
        .or(Some(first))
}

/// A cell value as the audit compares it: trimmed, and without the leading
/// `'` a spreadsheet-safe export puts before `=`, `+`, `-`, `@`.
pub fn clean(value: &str) -> &str {
    let v = value.trim();
    match v.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => v,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Seeds for the load-file readers: each dialect as other tools write it.
    const SEEDS: [&[u8]; 4] = [
        b"A1,V,IMAGES\\A1.tif,Y,,,2\r\nA2,V,IMAGES\\A2.tif,,\r\n",
        b"IO,A1,E\r\nIM,A1,D,0,@V;IMAGES\\00;A1.TIF;2\r\nIM,A2,,1,@V;IMAGES;M.TIF;2,1\r\n",
        b"@FULLTEXT DOC\r\n@T AA01\r\n@C PGCOUNT 2\r\n@D @I\\IMAGES\r\nAA01.TIF\r\nAA02.TIF\r\n",
        b"<Root><Batch><Documents><Document DocID=\"D\"><Tags><Tag TagName=\"#BegBates\" TagValue=\"A1\"/></Tags><Files><File FileType=\"Image\"><ExternalFile FilePath=\"I\" FileName=\"A1.tif\"/></File></Files></Document></Documents></Batch></Root>",
    ];

    fn every_reader(data: &[u8]) {
        let _ = sniff::sniff(data);
        for xref in [opt::read(data), lfp::read(data), dii::read(data)] {
            assert!(xref.lines.iter().all(|l| l.line > 0));
        }
        if let Ok(t) = edrm::read(data) {
            assert!(t.records.iter().all(|r| r.cells.len() == t.headers.len()));
        }
        if let Ok(n) = tiff::frames(data) {
            assert!(n > 0);
        }
    }

    proptest! {
        /// No reader panics on arbitrary bytes or on a seed with bytes changed.
        #[test]
        fn readers_survive_any_bytes(data in proptest::collection::vec(any::<u8>(), 0..512)) {
            every_reader(&data);
        }

        #[test]
        fn readers_survive_mutated_seeds(seed in 0usize..4, at in any::<prop::sample::Index>(), byte in any::<u8>(), cut in any::<prop::sample::Index>()) {
            let mut data = SEEDS[seed].to_vec();
            let i = at.index(data.len());
            data[i] = byte;
            data.truncate(cut.index(data.len() + 1));
            every_reader(&data);
        }
    }

    #[test]
    fn column_letters_follow_spreadsheets() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(27), "AB");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
    }

    #[test]
    fn header_row_skips_titles() {
        let rows = vec![
            vec!["Privilege Log".to_string(), String::new()],
            vec!["LOG_ID".to_string(), "BEGBATES".to_string()],
            vec!["PRIV-1".to_string(), "A1".to_string()],
        ];
        assert_eq!(header_index(&rows), Some(1));
        assert_eq!(clean(" '=SUM(A1) "), "=SUM(A1)");
        assert_eq!(clean("'quoted"), "'quoted");
    }
}
