//! CSV for the production index and the privilege log: UTF-8 with BOM, CRLF
//! line ends (the last line included), a header row, RFC 4180 quoting.
//!
//! A value that starts with `=`, `+`, `-`, `@`, TAB or CR is prefixed with
//! `'`, so a spreadsheet opening the file never evaluates it as a formula.
//! The rule applies to every field, header included.

use super::row::{INDEX_COLUMNS, IndexRow, PRIVLOG_COLUMNS, PrivLogRow};

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The production index as CSV; DOC_DATE `YYYY-MM-DD`, empty when undated.
pub fn index_csv(rows: &[IndexRow]) -> Result<Vec<u8>, String> {
    write(&INDEX_COLUMNS, rows.iter().map(IndexRow::values))
}

/// The privilege log as CSV; DOC_DATE `YYYY-MM-DD`, `Undated` when undated.
pub fn privlog_csv(rows: &[PrivLogRow]) -> Result<Vec<u8>, String> {
    write(&PRIVLOG_COLUMNS, rows.iter().map(PrivLogRow::values))
}

/// `value`, prefixed with `'` when a spreadsheet would read it as a formula.
pub fn neutralize(value: &str) -> std::borrow::Cow<'_, str> {
    match value.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{value}").into(),
        _ => value.into(),
    }
}

fn write<const N: usize>(
    header: &[&str; N],
    rows: impl Iterator<Item = [String; N]>,
) -> Result<Vec<u8>, String> {
    let mut buf = BOM.to_vec();
    // Writing to a Vec with N fields a record has no failure case today; an
    // error from the csv crate is still reported, never a panic.
    let written = (|| -> ::csv::Result<()> {
        let mut w = ::csv::WriterBuilder::new()
            .terminator(::csv::Terminator::CRLF)
            .quote_style(::csv::QuoteStyle::Necessary)
            .from_writer(&mut buf);
        w.write_record(header.iter().map(|h| neutralize(h).into_owned()))?;
        for values in rows {
            w.write_record(values.iter().map(|v| neutralize(v).into_owned()))?;
        }
        w.flush()?;
        Ok(())
    })();
    written.map_err(|e| format!("could not write CSV: {e}"))?;
    Ok(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neutralize_prefixes_only_formula_starts() {
        for v in ["=SUM(A1)", "+1", "-2", "@x", "\tx", "\rx"] {
            assert_eq!(neutralize(v), format!("'{v}"));
        }
        for v in ["", "DHS-MPP-000101", "a=b", " =x", "'quoted", "2024-03-14"] {
            assert_eq!(neutralize(v), v);
        }
    }

    #[test]
    fn empty_log_is_bom_and_header() {
        let bytes = privlog_csv(&[]).unwrap();
        assert_eq!(
            bytes,
            b"\xEF\xBB\xBFLOG_ID,BEGBATES,ENDBATES,CONTROL_ID,TREATMENT,DOC_DATE,DOC_TYPE,\
AUTHOR,RECIPIENTS,DESCRIPTION,PRIVILEGE,CATEGORY,VOLUME\r\n"
        );
    }

    #[test]
    fn quoting_is_rfc4180() {
        let row = PrivLogRow {
            description: "say \"hi\", then\nleave".into(),
            ..Default::default()
        };
        let text = String::from_utf8(privlog_csv(&[row]).unwrap()).unwrap();
        assert!(text.contains(",\"say \"\"hi\"\", then\nleave\","), "{text}");
        assert!(text.ends_with("\r\n"));
    }
}
