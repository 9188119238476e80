//! CSV (and tab- or semicolon-separated text) indexes and privilege logs.

use super::Table;
use super::records::{self, Dialect};
use super::text;

/// The separator the header line uses most: `,`, `;`, TAB or `|`.
fn sniff_separator(text: &str) -> char {
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
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
    let decoded = text::decode(bytes);
    let body = decoded.text.trim_start_matches('\u{feff}');
    let sep = sniff_separator(body);
    let (headers, header_line, parsed) = records::table(
        body,
        Dialect {
            sep,
            quote: Some('"'),
        },
    );
    if headers.is_empty() {
        return Err("the file is empty: no header row was found".into());
    }
    let mut problems = decoded.problems;
    problems.extend(parsed.problems);
    Ok(Table {
        format: "CSV".into(),
        encoding: Some(decoded.encoding.into()),
        qualifier: Some("\" (double quote)".into()),
        separator: Some(
            match sep {
                '\t' => "TAB",
                ';' => "semicolon",
                '|' => "pipe",
                _ => "comma",
            }
            .into(),
        ),
        headers,
        header_line,
        records: parsed.records,
        problems,
        ..Default::default()
    })
}
