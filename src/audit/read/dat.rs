//! Concordance DAT load files: þ or `"` qualifiers (or none), 0x14 between
//! fields (other separators are recognised and named), any of the encodings
//! [`super::text::decode`] detects, read a window of lines at a time.

use super::records::Dialect;
use super::windows::{self, Reading, TableRead};
use super::{Problem, Record, Table};
use std::io::{Read, Seek};

fn separator_name(sep: char) -> String {
    match sep {
        '\u{14}' => "0x14 (DC4)".into(),
        '\u{b6}' => "¶ (U+00B6, not the standard 0x14)".into(),
        '\t' => "TAB".into(),
        ',' => "comma".into(),
        ';' => "semicolon".into(),
        '|' => "pipe".into(),
        c => format!("{c}"),
    }
}

pub fn read(bytes: &[u8]) -> Result<Table, String> {
    windows::collect(bytes, read_from)
}

const EMPTY: &str = "the file is empty: no header line was found";

/// The qualifier and separator of a DAT whose first line is `first`.
fn dialect(first: &str) -> Dialect {
    let quote = match first.trim_start().chars().next() {
        Some('þ') => Some('þ'),
        Some('"') => Some('"'),
        _ => None,
    };
    let mut sep = ('\u{14}', 0usize);
    for c in ['\u{14}', '\u{b6}', '|', '\t', ',', ';'] {
        let n = first.matches(c).count();
        if n > sep.1 {
            sep = (c, n);
        }
    }
    Dialect { sep: sep.0, quote }
}

/// Reads a DAT `piece` bytes at a time ([`windows::read_table`]; a piece
/// is [`windows::PIECE`] but in tests), handing each record to `push` as it
/// is parsed, into what `start` makes from the header and the file's count
/// of line feeds: a large index is held whole neither as bytes nor as a
/// table of cells. The table returned has no records.
pub fn read_from<S>(
    source: impl Read + Seek,
    piece: usize,
    start: impl FnOnce(&[String], usize) -> S,
    push: impl FnMut(&mut S, Record),
) -> Reading<S> {
    let Some((read, state)) = windows::read_table(source, piece, dialect, start, push)? else {
        return Err(EMPTY.into());
    };
    let TableRead {
        first_line,
        dialect: d,
        headers,
        header_line,
        parsed,
        encoding,
        mut problems,
        digested,
    } = read;
    let thorn_broken = first_line.contains("Ã¾");
    if thorn_broken {
        problems.push(Problem::line(
            1,
            "the header holds `Ã¾`: a UTF-8 DAT was re-saved as Windows-1252 (or read so), and its þ qualifiers are broken",
        ));
    }
    problems.extend(parsed.problems);
    if !parsed.ends_with_newline && parsed.count > 0 {
        let last = parsed.last_line.unwrap_or(header_line);
        problems.push(Problem::line(last, "the last line does not end with a line break: Concordance does not load the last record"));
    }
    let mut notes = Vec::new();
    if !parsed.crlf && parsed.count > 0 {
        let ending = if parsed.lf { "LF" } else { "CR" };
        notes.push(format!(
            "lines end with {ending}, not the CRLF Concordance expects"
        ));
    }
    let (sep, quote) = (d.sep, d.quote);
    let table = Table {
        format: "Concordance DAT".into(),
        encoding: Some(encoding.into()),
        qualifier: Some(match quote {
            Some('þ') => "þ (thorn, U+00FE)".into(),
            Some(_) => "\" (plain quote)".into(),
            None => "none".into(),
        }),
        separator: Some(separator_name(sep)),
        headers,
        header_line,
        problems,
        notes,
        ..Default::default()
    };
    Ok((table, state, digested))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    use crate::audit::read::windows::testing::{self, windows_read_as_whole};

    fn read_in(bytes: &[u8], piece: usize) -> testing::Read {
        testing::read_in(read_from, bytes, piece)
    }

    /// DATs as the windows can meet them: records over several lines, broken
    /// quotes (closed later, or never), stray text, blank lines, lines before
    /// the header, CR, LF and CRLF, byte-order marks, Windows-1252, UTF-16.
    /// Each is `(head, filler, rest)`: the filler line is repeated after the
    /// head, so that the rest comes after the records the header is found
    /// among, where the windows are small.
    const TRICKY: [testing::Sample; 12] = [
        ("þBEGþ\u{14}þENDþ\u{14}þNOTEþ\r\n".as_bytes(), "þF1þ\u{14}þF1þ\u{14}þfþ\r\n".as_bytes(), "þA1þ\u{14}þA1þ\u{14}þone\r\ntwo\r\nthreeþ\r\nþA2þ\u{14}þA3þ\u{14}þokþ\r\n".as_bytes()),
        ("þBEGþ\u{14}þENDþ\u{14}þNOTEþ\r\n".as_bytes(), "þF1þ\u{14}þF1þ\u{14}þfþ\r\n".as_bytes(), "þA1þ\u{14}þA1þ\u{14}þnever closed\r\nþA2þ\u{14}þA2þ\u{14}þxþ\r\nþA3þ\u{14}þA3þ\u{14}þyþ\r\n".as_bytes()),
        ("þBEGþ\u{14}þENDþ\u{14}þNOTEþ\n".as_bytes(), "þF1þ\u{14}þF1þ\u{14}þfþ\n".as_bytes(), "þA1þ\u{14}þA1þ\u{14}þbroken\nþA2þ\u{14}þA2þ\u{14}þxþ\nþA3þ\u{14}þA3þ\u{14}þyþ\n".as_bytes()),
        ("þBEGþ\u{14}þENDþ\r\n".as_bytes(), "\r\nþF1þ\u{14}þF1þ\r\n".as_bytes(), "þA1þstray\u{14}þA1þ\r\n\r\n   \r\nþA2þ\u{14}þA2þ\u{14}þextraþ\r\nþA3þ\r\nþA4þ\u{14}þA4þ".as_bytes()),
        ("\u{feff}\u{feff}\r\n\r\nTitle line\r\nþBEGþ\u{14}þENDþ\r".as_bytes(), "þF1þ\u{14}þF1þ\r".as_bytes(), "þA1þ\u{14}þA1þ\rþA2þ\u{14}þA2þ\r".as_bytes()),
        (b"\xEF\xBB\xBF\xC3\xBEBEG\xC3\xBE\x14\xC3\xBEEND\xC3\xBE\r\n", b"\xC3\xBEF\xC3\xBE\x14\xC3\xBEF\xC3\xBE\r\n", b"\xC3\xBE\xE6\x9C\xBA\xE5\xAF\x86\xC3\xBE\x14\xC3\xBEA1\xC3\xBE\r\n"),
        (b"\xFEBEGDOC\xFE\x14\xFEENDDOC\xFE\x14\xFETITLE\xFE\r\n", b"\xFEF1\xFE\x14\xFEF1\xFE\x14\xFE\xE9\xFE\r\n", b"\xFEA-01\xFE\x14\xFEA-02\xFE\x14\xFECaf\xE9\r\nna\xEFve\xFE\r\n\xFEA-03\xFE\x14\xFEA-03\xFE\x14\xFE\x93q\x94\xFE\r\n"),
        (b"\xFF\xFE\xFE\x00B\x00\xFE\x00\x14\x00\xFE\x00E\x00\xFE\x00\r\x00\n\x00", b"\xFE\x00F\x00\xFE\x00\x14\x00\xFE\x00F\x00\xFE\x00\r\x00\n\x00", b"\xFE\x001\x00\xFE\x00\x14\x00\xFE\x002\x00\xFE\x00\r\x00\n\x00"),
        (b"BEGBATES,ENDBATES,NAME\n", b"F1,F1,f\n", b"\"A1\",\"A1\",\"x, y\"\n\"A2\",\"A2\",\"multi\nline\"\n\"A3\",\"A3\"\n"),
        (b"\xC3\xBEBEG\xC3\xBE\x14\xC3\xBEEND\xC3\xBE\r\n", b"\xC3\xBEF\xC3\xBE\xC3\xBE1\xC3\xBE\x14\xC3\xBEF\xC3\xBE\xC3\xBE1\xC3\xBE\r\n", b"\xC3\xBEA1\xC3\xBE\x14\xC3\xBEcut \xC3\xC3\xBE\r\n\xC3\xBEA2\xC3\xBE\x14\xC3\xBEA2\xC3\xBE\r\n"),
        (b"\n\n\n", b"", b""),
        (b"", b"", b""),
    ];

    #[test]
    fn windows_of_any_size_read_a_dat_as_it_reads_whole() {
        testing::every_window_size(read_from, &TRICKY);
    }

    #[test]
    fn a_dat_read_in_windows_is_hashed_whole_and_its_records_and_problems_kept() {
        let bytes = &testing::padded(TRICKY[1])[..];
        let (table, records, digested) = read_in(bytes, 7).unwrap();
        use sha2::Digest;
        let expected: [u8; 32] = sha2::Sha256::digest(bytes).into();
        assert_eq!(
            (digested.sha256, digested.size),
            (expected, bytes.len() as u64)
        );
        assert_eq!(records.0, 18, "line feeds");
        let lines: Vec<usize> = records.1.iter().map(|r| r.line).collect();
        assert_eq!(lines, (2..=18).collect::<Vec<_>>());
        assert!(records.1[14].malformed);
        assert_eq!(records.1[14].cells, vec!["A1", "A1", "never closed"]);
        assert_eq!(records.1[15].cells, vec!["A2", "A2", "x"]);
        assert_eq!(table.problems.len(), 1, "{:?}", table.problems);
        assert_eq!(table.problems[0].line, Some(16));
    }

    proptest! {
        /// Any bytes made of a DAT's and a CSV's significant characters (UTF-8
        /// or Windows-1252) read the same in windows of any size as whole.
        #[test]
        fn windows_read_any_dat_as_whole(
            parts in proptest::collection::vec(prop::sample::select(vec![
                "þ".as_bytes(), b"\x14", b"\r", b"\n", b"\r\n", b"\"", b",", b"A1", b"x", b" ",
                "\u{feff}".as_bytes(), "é".as_bytes(), b"\xFE", b"\xE9",
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

    #[test]
    fn reads_a_cp1252_thorn_dat() {
        let bytes = b"\xFEBEGDOC\xFE\x14\xFEENDDOC\xFE\x14\xFETITLE\xFE\r\n\xFEA-01\xFE\x14\xFEA-02\xFE\x14\xFECaf\xE9\xFE\r\n";
        let t = read(bytes).unwrap();
        assert_eq!(t.encoding.as_deref(), Some("Windows-1252"));
        assert!(t.qualifier.as_deref().unwrap().starts_with('þ'));
        assert_eq!(t.headers, vec!["BEGDOC", "ENDDOC", "TITLE"]);
        assert_eq!(t.records[0].cells, vec!["A-01", "A-02", "Café"]);
        assert!(t.problems.is_empty(), "{:?}", t.problems);
    }

    #[test]
    fn a_utf8_dat_with_a_value_cut_mid_character_keeps_its_thorns() {
        let t = read(&testing::padded(TRICKY[9])).unwrap();
        assert_eq!(t.encoding.as_deref(), Some("UTF-8 (no BOM)"));
        assert!(t.qualifier.as_deref().unwrap().starts_with('þ'));
        assert_eq!(t.headers, vec!["BEG", "END"]);
        assert_eq!(t.records[14].cells, vec!["A1", "cut \u{FFFD}"]);
        assert_eq!(t.records[15].cells, vec!["A2", "A2"]);
        let lines: Vec<Option<usize>> = t.problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, vec![Some(16)], "{:?}", t.problems);
    }

    #[test]
    fn a_dat_with_lines_ended_by_cr_alone_is_noted_as_such() {
        let t = read("þAþ\u{14}þBþ\rþ1þ\u{14}þ2þ\r".as_bytes()).unwrap();
        assert_eq!(t.records[0].cells, vec!["1", "2"]);
        assert_eq!(
            t.notes,
            vec!["lines end with CR, not the CRLF Concordance expects"]
        );
        // An LF inside a value is not how a line ends.
        let t = read("þAþ\u{14}þBþ\rþ1þ\u{14}þtwo\nlinesþ\r".as_bytes()).unwrap();
        assert_eq!(t.records[0].cells, vec!["1", "two\nlines"]);
        assert_eq!(
            t.notes,
            vec!["lines end with CR, not the CRLF Concordance expects"]
        );
        let t = read("þAþ\u{14}þBþ\nþ1þ\u{14}þ2þ\n".as_bytes()).unwrap();
        assert_eq!(
            t.notes,
            vec!["lines end with LF, not the CRLF Concordance expects"]
        );
    }

    #[test]
    fn field_counts_and_missing_final_newline_are_reported() {
        let t = read("þAþ\u{14}þBþ\r\nþ1þ\u{14}þ2þ\r\nþ3þ\r\nþ5þ\u{14}þ6þ".as_bytes()).unwrap();
        let lines: Vec<Option<usize>> = t.problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, vec![Some(3), Some(4)]);
        assert!(t.records[1].malformed);
    }
}
