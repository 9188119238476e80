//! Concordance DAT load files: þ or `"` qualifiers (or none), 0x14 between
//! fields (other separators are recognised and named), any of the encodings
//! [`super::text::decode`] detects.

use super::text::{self, Dialect};
use super::{Problem, Table};

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
    let (mut table, records) = read_with(bytes, |_| Vec::new(), |records, r| records.push(r))?;
    table.records = records;
    Ok(table)
}

/// Reads a DAT handing each record to `push` as it is parsed, into what
/// `start` makes from the header: a large index is never held as a whole
/// table of cells. The table returned has no records.
pub fn read_with<S>(
    bytes: &[u8],
    start: impl FnOnce(&[String]) -> S,
    mut push: impl FnMut(&mut S, super::Record),
) -> Result<(Table, S), String> {
    let decoded = text::decode(bytes);
    let body = decoded.text.trim_start_matches('\u{feff}');
    let first = body
        .lines()
        .find(|l| !l.trim().is_empty())
        .ok_or("the file is empty: no header line was found")?;
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
    let sep = sep.0;
    let d = Dialect { sep, quote };
    let Some((headers, header_line)) = text::table_head(body, d).filter(|(h, _)| !h.is_empty())
    else {
        return Err("the file is empty: no header line was found".into());
    };
    let mut state = start(&headers);
    let parsed = text::table_records(body, d, &headers, header_line, &mut |r| push(&mut state, r));
    let mut problems = decoded.problems;
    if first.contains("Ã¾") {
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
        notes.push("lines end with LF, not the CRLF Concordance expects".to_string());
    }
    let table = Table {
        format: "Concordance DAT".into(),
        encoding: Some(decoded.encoding.into()),
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
    Ok((table, state))
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn field_counts_and_missing_final_newline_are_reported() {
        let t = read("þAþ\u{14}þBþ\r\nþ1þ\u{14}þ2þ\r\nþ3þ\r\nþ5þ\u{14}þ6þ".as_bytes()).unwrap();
        let lines: Vec<Option<usize>> = t.problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, vec![Some(3), Some(4)]);
        assert!(t.records[1].malformed);
    }
}
