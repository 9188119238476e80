//! CSV (and tab- or semicolon-separated text) indexes and privilege logs.

use super::records::Dialect;
use super::windows::{self, Reading};
use super::{Record, Table};
use std::io::{Read, Seek};

/// The separator the header line (`first`) uses most: `,`, `;`, TAB or `|`.
fn sniff_separator(first: &str) -> char {
    let mut best = (',', 0usize);
    for sep in [',', ';', '\t', '|'] {
        let n = first.matches(sep).count();
        if n > best.1 {
            best = (sep, n);
        }
    }
    best.0
}

pub fn read(bytes: &[u8]) -> Result<Table, String> {
    windows::collect(bytes, read_from)
}

/// Reads a CSV as [`super::dat::read_from`] reads a DAT.
pub fn read_from<S>(
    source: impl Read + Seek,
    piece: usize,
    start: impl FnOnce(&[String], usize) -> S,
    push: impl FnMut(&mut S, Record),
) -> Reading<S> {
    let dialect = |first: &str| Dialect {
        sep: sniff_separator(first),
        quote: Some('"'),
    };
    let Some((read, state)) = windows::read_table(source, piece, dialect, start, push)? else {
        return Err("the file is empty: no header row was found".into());
    };
    let mut problems = read.problems;
    problems.extend(read.parsed.problems);
    let table = Table {
        format: "CSV".into(),
        encoding: Some(read.encoding.into()),
        qualifier: Some("\" (double quote)".into()),
        separator: Some(
            match read.dialect.sep {
                '\t' => "TAB",
                ';' => "semicolon",
                '|' => "pipe",
                _ => "comma",
            }
            .into(),
        ),
        headers: read.headers,
        header_line: read.header_line,
        problems,
        ..Default::default()
    };
    Ok((table, state, read.digested))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::read::windows::testing::{self, windows_read_as_whole};
    use proptest::prelude::*;

    fn read_in(bytes: &[u8], piece: usize) -> testing::Read {
        testing::read_in(read_from, bytes, piece)
    }

    /// CSVs as other tools write them, each `(head, filler, rest)`: the
    /// filler line is repeated after the head so that the rest comes after
    /// the records the header is found among. Quoted separators and quotes,
    /// records over several lines, a broken quote, a title row, semicolons
    /// and tabs, CR, LF and CRLF, a byte-order mark, Windows-1252.
    const TRICKY: [testing::Sample; 7] = [
        (
            b"BEGBATES,ENDBATES,NAME\r\n",
            b"F1,F1,f\r\n",
            b"\"A1\",\"A1\",\"x, \"\"y\"\"\"\r\n\"A2\",\"A2\",\"multi\r\nline\"\r\nA3,A3\r\n",
        ),
        (
            b"Production index\n\nBEGBATES,ENDBATES,NAME\n",
            b"F1,F1,f\n",
            b"A1,A1,\"broken\nA2,A2,x\nA3,A3,\"closed\nlater\",extra\n",
        ),
        (
            b"BEGBATES;ENDBATES;NAME\r",
            b"F1;F1;f\r",
            b"A1;A1;\"a;b\"\rA2;A2;c\r",
        ),
        (
            b"\xEF\xBB\xBFBEGBATES\tENDBATES\tNAME\r\n",
            b"F1\tF1\t\xC3\xA9\r\n",
            b"A1\tA1\t\"tab\tinside\"\r\nA2\tA2\tlast",
        ),
        (
            b"BEGBATES,ENDBATES,NAME\r\n",
            b"F1,F1,caf\xE9\r\n",
            b"A1,A1,\"\x93quoted\x94\"\r\n",
        ),
        (b"\n\n", b"", b""),
        (b"", b"", b""),
    ];

    #[test]
    fn windows_of_any_size_read_a_csv_as_it_reads_whole() {
        testing::every_window_size(read_from, &TRICKY);
    }

    #[test]
    fn a_csv_read_in_windows_keeps_its_records_separator_and_problems() {
        let (table, (line_feeds, records), _) = read_in(&testing::padded(TRICKY[1]), 5).unwrap();
        assert_eq!(line_feeds, 21);
        assert_eq!(table.header_line, 3);
        assert_eq!(table.separator.as_deref(), Some("comma"));
        let tail: Vec<(usize, bool)> = records[14..]
            .iter()
            .map(|r| (r.line, r.malformed))
            .collect();
        assert_eq!(tail, vec![(18, true), (19, false), (20, true), (21, true)]);
        assert_eq!(records[15].cells, vec!["A2", "A2", "x"]);
        let lines: Vec<Option<usize>> = table.problems.iter().map(|p| p.line).collect();
        assert_eq!(
            lines,
            vec![Some(18), Some(20), Some(21)],
            "{:?}",
            table.problems
        );
        let (table, _, _) = read_in(&testing::padded(TRICKY[2]), 3).unwrap();
        assert_eq!(table.separator.as_deref(), Some("semicolon"));
        // Its lines end with a CR alone (a Mac's CSV) and its values hold
        // more commas than the header has semicolons: the separator is
        // still taken from the first line alone.
        let mac = b"BEGBATES;ENDBATES;NAME\rA1;A1;\"a, b, c, d, e\"\rA2;A2;\"f, g, h, i\"\r";
        let t = read(mac).unwrap();
        assert_eq!(t.separator.as_deref(), Some("semicolon"));
        assert_eq!(t.headers, vec!["BEGBATES", "ENDBATES", "NAME"]);
        assert_eq!(t.records[1].cells, vec!["A2", "A2", "f, g, h, i"]);
        assert!(t.problems.is_empty(), "{:?}", t.problems);
        assert_eq!(
            read_in(b"\n\n", 1).unwrap_err(),
            "the file is empty: no header row was found"
        );
    }

    #[test]
    fn a_record_over_two_lines_may_end_with_a_separator() {
        let t = read(b"BEGBATES,ENDBATES,NAME\nA1,A1,\"multi\nline\",\nA2,A2,x,\n").unwrap();
        let cells: Vec<&[String]> = t.records.iter().map(|r| &r.cells[..]).collect();
        assert_eq!(
            cells,
            vec![&["A1", "A1", "multi\nline"][..], &["A2", "A2", "x"][..]]
        );
        assert!(t.problems.is_empty(), "{:?}", t.problems);
        // A non-empty field too many is still a broken quote.
        let t = read(b"BEGBATES,ENDBATES,NAME\nA1,A1,\"multi\nline\",extra\n").unwrap();
        assert_eq!(t.problems[0].line, Some(2), "{:?}", t.problems);
    }

    #[test]
    fn a_title_over_two_lines_above_the_header_is_not_a_broken_quote() {
        let t = read(b"\"Production\nIndex\"\nBEGBATES,ENDBATES,NAME\nA1,A1,x\n").unwrap();
        assert_eq!(t.header_line, 3);
        assert_eq!(t.records.len(), 1);
        assert!(t.problems.is_empty(), "{:?}", t.problems);
    }

    proptest! {
        /// Any bytes made of a CSV's significant characters (UTF-8 or
        /// Windows-1252) read the same in windows of any size as whole.
        #[test]
        fn windows_read_any_csv_as_whole(
            parts in proptest::collection::vec(prop::sample::select(vec![
                &b","[..], b"\"", b"\r", b"\n", b"\r\n", b";", b"\t", b"A1", b"x", b" ",
                "\u{feff}".as_bytes(), "é".as_bytes(), b"\xE9",
            ]), 0..80),
            piece in 1usize..24,
            records_first in any::<bool>(),
        ) {
            // After the records the header is found among, or not.
            let bytes = testing::random_file(TRICKY[0], records_first, &parts);
            let read = windows_read_as_whole(read_from, &bytes, [piece]);
            prop_assert!(read.is_ok(), "{}", read.unwrap_err());
        }
    }
}
