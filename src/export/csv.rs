//! The one CSV writer: every CSV adrec writes (production index, privilege
//! log, `docs --format csv`, audit reports) goes through `write_table`.
//! RFC 4180 quoting; a value that starts with `=`, `+`, `-`, `@`, TAB or CR
//! is prefixed with `'`, so a spreadsheet opening the file never evaluates
//! it as a formula. The rule applies to every field, header included.
//! Volume files are UTF-8 with BOM and CRLF line ends (the last included).

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

/// How a CSV file is laid out: a BOM or not, CRLF or LF line ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    pub bom: bool,
    pub crlf: bool,
}

/// What the SPEC fixes for CSV files in a volume and reports.
pub const FILE: Layout = Layout {
    bom: true,
    crlf: true,
};

/// Writes a header and rows, neutralising every field.
pub fn write_table<W, R, V>(
    out: W,
    layout: Layout,
    header: &[&str],
    rows: impl IntoIterator<Item = R>,
) -> ::csv::Result<()>
where
    W: std::io::Write,
    R: IntoIterator<Item = V>,
    V: AsRef<str>,
{
    let mut table = TableWriter::new(out, layout, header)?;
    for values in rows {
        table.row(values)?;
    }
    table.finish().map(drop)
}

/// A table written a row at a time (its BOM and header first), every field
/// neutralised: as [`write_table`] writes it, for rows that come as they are read.
pub struct TableWriter<W: std::io::Write> {
    w: ::csv::Writer<W>,
}

impl<W: std::io::Write> TableWriter<W> {
    pub fn new(mut out: W, layout: Layout, header: &[&str]) -> ::csv::Result<Self> {
        if layout.bom {
            out.write_all(BOM)?;
        }
        let mut w = builder(layout).from_writer(out);
        w.write_record(header.iter().map(|h| neutralize(h).into_owned()))?;
        Ok(TableWriter { w })
    }

    pub fn row<V: AsRef<str>>(&mut self, values: impl IntoIterator<Item = V>) -> ::csv::Result<()> {
        self.w.write_record(
            values
                .into_iter()
                .map(|v| neutralize(v.as_ref()).into_owned()),
        )
    }

    /// Where the table goes.
    pub fn get_ref(&self) -> &W {
        self.w.get_ref()
    }

    /// Writes what is buffered, and hands the output back.
    pub fn finish(mut self) -> ::csv::Result<W> {
        self.w.flush()?;
        self.w.into_inner().map_err(|e| e.into_error().into())
    }
}

fn builder(layout: Layout) -> ::csv::WriterBuilder {
    let terminator = if layout.crlf {
        ::csv::Terminator::CRLF
    } else {
        ::csv::Terminator::Any(b'\n')
    };
    let mut b = ::csv::WriterBuilder::new();
    b.terminator(terminator)
        .quote_style(::csv::QuoteStyle::Necessary)
        .flexible(true);
    b
}

/// One record of a [`FILE`] table, neutralised, as [`write_table`] writes
/// it: a volume's index CSV is made a row at a time where each document is
/// written, and the rows appended in Bates order after the BOM and header.
pub fn record_bytes<V: AsRef<str>>(values: impl IntoIterator<Item = V>) -> Result<Vec<u8>, String> {
    let mut w = builder(FILE).buffer_capacity(1024).from_writer(Vec::new());
    w.write_record(
        values
            .into_iter()
            .map(|v| neutralize(v.as_ref()).into_owned()),
    )
    .map_err(|e| format!("could not write CSV: {e}"))?;
    w.into_inner()
        .map_err(|e| format!("could not write CSV: {}", e.error()))
}

/// A [`FILE`] table's BOM and header, the rows to follow as
/// [`record_bytes`] makes them.
pub fn header_bytes(header: &[&str]) -> Result<Vec<u8>, String> {
    table_bytes(header, std::iter::empty::<[&str; 0]>())
}

/// A whole table as the bytes of a file (BOM, CRLF).
pub fn table_bytes<R, V>(
    header: &[&str],
    rows: impl IntoIterator<Item = R>,
) -> Result<Vec<u8>, String>
where
    R: IntoIterator<Item = V>,
    V: AsRef<str>,
{
    let mut buf = Vec::new();
    write_table(&mut buf, FILE, header, rows).map_err(|e| format!("could not write CSV: {e}"))?;
    Ok(buf)
}

/// A volume file's table made as the volume and `adrec export` make it, a
/// record at a time after the BOM and header (the goldens pin these bytes).
fn write<const N: usize>(
    header: &[&str; N],
    rows: impl Iterator<Item = [String; N]>,
) -> Result<Vec<u8>, String> {
    let mut bytes = header_bytes(header)?;
    for row in rows {
        bytes.extend(record_bytes(row)?);
    }
    Ok(bytes)
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
    fn every_field_of_any_table_is_neutralised() {
        let mut out = Vec::new();
        let layout = Layout {
            bom: false,
            crlf: false,
        };
        write_table(
            &mut out,
            layout,
            &["=h"],
            [["+cmd|calc!A0"], ["=HYPERLINK(\"x\")"]],
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "'=h\n'+cmd|calc!A0\n\"'=HYPERLINK(\"\"x\"\")\"\n"
        );
    }

    #[test]
    fn a_table_made_a_record_at_a_time_is_the_table_written_whole() {
        let rows = [
            ["=SUM(A1)", "say \"hi\", then\nleave", ""],
            ["DHS-000001", "é; ü", "-2"],
        ];
        let header = ["A", "@B", "C"];
        let whole = table_bytes(&header, rows).unwrap();
        let mut streamed = header_bytes(&header).unwrap();
        for row in rows {
            streamed.extend(record_bytes(row).unwrap());
        }
        assert_eq!(streamed, whole);
    }

    #[test]
    fn empty_log_is_bom_and_header() {
        let bytes = privlog_csv(&[]).unwrap();
        assert_eq!(
            bytes,
            b"\xEF\xBB\xBFLOG_ID,BEGBATES,ENDBATES,CONTROL_ID,TREATMENT,DOC_DATE,DOC_TYPE,\
AUTHOR,RECIPIENTS,DESCRIPTION,PRIVILEGE,CATEGORY,VOLUME,BEGATTACH,ENDATTACH,PARENT_BATES\r\n"
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
