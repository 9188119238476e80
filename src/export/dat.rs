//! Concordance DAT: UTF-8 with BOM (or, under `[load_file]`, UTF-16LE with
//! BOM or Windows-1252, with an agency's column names: `profile.rs`), every
//! field wrapped in þ (U+00FE) and separated by DC4 (0x14), one record per
//! line, CRLF after every line.
//!
//! DAT has no escape mechanism, so values are sanitised and every change is
//! reported: a line break (CR, LF, CRLF, VT, U+2028, U+2029) becomes one ®
//! (U+00AE, Concordance's in-field newline), 0x14 becomes a space, þ becomes
//! `th`, a literal ® becomes `(R)` and any other C0 control character is
//! removed. Each input character is mapped exactly once, so a literal ® in the
//! data can never come out looking like a line break.

use std::fmt;

use super::profile::{Column, Encoding, Profile};
use super::row::IndexRow;

/// Field separator: DC4.
const SEP: char = '\u{14}';
/// Text qualifier: þ.
const QUOTE: char = '\u{FE}';
/// In-field newline marker: ®.
const NEWLINE: char = '\u{AE}';
const BOM: &str = "\u{FEFF}";

/// The DAT file's bytes and every change made to a value to fit the format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatOutput {
    pub bytes: Vec<u8>,
    pub substitutions: Vec<Substitution>,
}

/// One character (or CRLF pair) of a value that the DAT could not carry as is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Substitution {
    /// The row's CONTROL_ID as given (before any sanitising).
    pub control_id: String,
    /// The DAT column name, e.g. `TITLE`.
    pub column: String,
    /// The original text that was replaced: one character, or `"\r\n"`.
    pub character: String,
}

impl Substitution {
    /// What the DAT holds instead of [`Substitution::character`] (empty when removed).
    pub fn replacement(&self) -> &'static str {
        replacement_for(&self.character)
    }

    /// The original character(s) as code points, e.g. `U+000D U+000A`.
    pub fn code_points(&self) -> String {
        self.character
            .chars()
            .map(|c| format!("U+{:04X}", u32::from(c)))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

impl fmt::Display for Substitution {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let with = self.replacement();
        if with.is_empty() {
            write!(
                f,
                "{} {}: {} removed",
                self.control_id,
                self.column,
                self.code_points()
            )
        } else {
            write!(
                f,
                "{} {}: {} written as `{}`",
                self.control_id,
                self.column,
                self.code_points(),
                with
            )
        }
    }
}

fn replacement_for(original: &str) -> &'static str {
    match original {
        "\r\n" | "\r" | "\n" | "\u{0B}" | "\u{2028}" | "\u{2029}" => "\u{AE}",
        "\u{14}" => " ",
        "\u{FE}" => "th",
        "\u{AE}" => "(R)",
        _ => "",
    }
}

/// Writes the DAT for `rows`: a header of the index columns then NATIVELINK,
/// IMAGELINK and TEXTLINK, then one line per row. DOC_DATE is written `MM/DD/YYYY`
/// (a value that is not a valid `YYYY-MM-DD` is written unchanged) and is
/// empty when undated; PGCOUNT is empty when `None`.
pub fn write_dat(rows: &[IndexRow]) -> DatOutput {
    let mut text = String::from(BOM);
    let (substitutions, _) = dat_text(rows, Profile::Adrec, Encoding::Utf8Bom, &mut |line| {
        text.push_str(line)
    });
    DatOutput {
        bytes: text.into_bytes(),
        substitutions,
    }
}

/// Writes the DAT under a load-file profile (column names and order) in an
/// encoding. Refuses, naming every document and column, a value the
/// encoding cannot hold; nothing is written then.
pub fn write_dat_as<'a>(
    rows: impl IntoIterator<Item = &'a IndexRow>,
    profile: Profile,
    encoding: Encoding,
) -> Result<DatOutput, Vec<Unencodable>> {
    let mut bytes = Vec::new();
    match write_dat_to(rows, profile, encoding, &mut bytes) {
        Ok(substitutions) => Ok(DatOutput {
            bytes,
            substitutions,
        }),
        Err(DatError::Unencodable(bad)) => Err(bad),
        // Writing to memory does not fail.
        Err(DatError::Io(_)) => Err(Vec::new()),
    }
}

/// Why a DAT could not be written to its file.
#[derive(Debug)]
pub enum DatError {
    /// Values the encoding cannot hold (every one of them); the file is
    /// incomplete and must be discarded.
    Unencodable(Vec<Unencodable>),
    Io(std::io::Error),
}

/// [`write_dat_as`] to `out` a line at a time, so a DAT of 100,000 rows is
/// never held whole. On an error what was written must be discarded.
pub fn write_dat_to<R: std::borrow::Borrow<IndexRow>>(
    rows: impl IntoIterator<Item = R>,
    profile: Profile,
    encoding: Encoding,
    out: &mut dyn std::io::Write,
) -> Result<Vec<Substitution>, DatError> {
    let mut failed = out.write_all(encoding.bom()).err();
    let mut holds = true;
    let (substitutions, unencodable) = dat_text(rows, profile, encoding, &mut |line| {
        if failed.is_some() || !holds {
            return;
        }
        match encoding.encode_body(line) {
            Some(bytes) => failed = out.write_all(&bytes).err(),
            // Every such character is listed; nothing more is written.
            None => holds = false,
        }
    });
    if !unencodable.is_empty() {
        return Err(DatError::Unencodable(unencodable));
    }
    match failed {
        Some(e) => Err(DatError::Io(e)),
        None => Ok(substitutions),
    }
}

/// A character of a value that the DAT's encoding cannot hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unencodable {
    pub control_id: String,
    /// The column as the profile names it.
    pub column: String,
    pub character: char,
}

impl fmt::Display for Unencodable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}: {:?} (U+{:04X})",
            self.control_id,
            self.column,
            self.character,
            u32::from(self.character)
        )
    }
}

type DatChanges = (Vec<Substitution>, Vec<Unencodable>);

/// The DAT as text without its BOM, given to `line` a line at a time; the
/// substitutions made and every character `encoding` cannot hold.
fn dat_text<R: std::borrow::Borrow<IndexRow>>(
    rows: impl IntoIterator<Item = R>,
    profile: Profile,
    encoding: Encoding,
    line: &mut dyn FnMut(&str),
) -> DatChanges {
    let columns = profile.columns();
    let mut out = header_text(&columns);
    line(&out);
    let mut changes = (Vec::new(), Vec::new());
    for row in rows {
        out.clear();
        row_text(row.borrow(), &columns, encoding, &mut out, &mut changes);
        line(&out);
    }
    changes
}

/// The header line: the profile's column names.
fn header_text(columns: &[Column]) -> String {
    let mut out = String::new();
    push_line(&mut out, columns.iter().map(|c| c.name.to_string()));
    out
}

/// One row's line appended to `out`, its substitutions and the characters
/// `encoding` cannot hold added to `changes`.
fn row_text(
    row: &IndexRow,
    columns: &[Column],
    encoding: Encoding,
    out: &mut String,
    (substitutions, unencodable): &mut DatChanges,
) {
    let mut values: Vec<String> = row.values().into();
    if let Some(date) = row.doc_date.as_deref() {
        values[DOC_DATE] = dat_date(date);
    }
    values.push(row.nativelink.clone());
    values.push(row.imagelink.clone());
    values.push(row.textlink.clone());

    let clean = columns.iter().map(|column| {
        let value = column.source.value(&values);
        let clean = sanitize(&value, &mut |character| {
            substitutions.push(Substitution {
                control_id: row.control_id.clone(),
                column: column.name.to_string(),
                character: character.to_string(),
            })
        });
        if encoding != Encoding::Utf8Bom {
            for c in clean.chars().filter(|c| !encoding.holds(*c)) {
                unencodable.push(Unencodable {
                    control_id: row.control_id.clone(),
                    column: column.name.to_string(),
                    character: c,
                });
            }
        }
        clean
    });
    let fields = clean.collect::<Vec<_>>();
    push_line(out, fields);
}

/// A DAT made a line at a time: a volume's rows are turned into their
/// lines where each document is written (in parallel) and the lines are
/// appended in Bates order, after [`DatLines::header`].
pub struct DatLines {
    columns: Vec<Column>,
    encoding: Encoding,
}

impl DatLines {
    pub fn new(profile: Profile, encoding: Encoding) -> DatLines {
        DatLines {
            columns: profile.columns(),
            encoding,
        }
    }

    pub fn encoding(&self) -> Encoding {
        self.encoding
    }

    /// The file's first bytes: its BOM and header line.
    pub fn header(&self) -> Vec<u8> {
        // Column names are ASCII: every encoding holds them.
        self.encoding
            .encode(&header_text(&self.columns))
            .unwrap_or_default()
    }

    /// One row's line and the substitutions made in it. Refuses, naming
    /// every column, a value the encoding cannot hold.
    pub fn row(&self, row: &IndexRow) -> Result<(Vec<u8>, Vec<Substitution>), Vec<Unencodable>> {
        let mut text = String::new();
        let mut changes = (Vec::new(), Vec::new());
        row_text(row, &self.columns, self.encoding, &mut text, &mut changes);
        let (substitutions, unencodable) = changes;
        match self.encoding.encode_body(&text) {
            Some(bytes) if unencodable.is_empty() => Ok((bytes, substitutions)),
            _ => Err(unencodable),
        }
    }
}

/// Index of DOC_DATE in [`super::row::INDEX_COLUMNS`].
const DOC_DATE: usize = 8;

fn push_line(out: &mut String, fields: impl IntoIterator<Item = String>) {
    for (i, field) in fields.into_iter().enumerate() {
        if i > 0 {
            out.push(SEP);
        }
        out.push(QUOTE);
        out.push_str(&field);
        out.push(QUOTE);
    }
    out.push_str("\r\n");
}

/// `YYYY-MM-DD` → `MM/DD/YYYY`; anything else is returned unchanged.
fn dat_date(date: &str) -> String {
    match super::parse_ymd(date) {
        Some(d) => format!("{:02}/{:02}/{:04}", d.month(), d.day(), d.year()),
        None => date.to_string(),
    }
}

/// Maps each character of `value` once, calling `report` with the original
/// text of every character (or CRLF pair) that was replaced or removed.
pub fn sanitize(value: &str, report: &mut dyn FnMut(&str)) -> String {
    // Most values have nothing to map: no control character and none of the
    // lead bytes of þ and ® (C3, C2) or of U+2028/U+2029 (E2).
    if value
        .bytes()
        .all(|b| b >= 0x20 && !matches!(b, 0xC2 | 0xC3 | 0xE2))
    {
        return value.to_string();
    }
    let mut out = String::with_capacity(value.len());
    let mut chars = value.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let original = if c == '\r' && matches!(chars.peek(), Some((_, '\n'))) {
            chars.next();
            &value[i..i + 2]
        } else {
            &value[i..i + c.len_utf8()]
        };
        match c {
            '\r' | '\n' | '\u{0B}' | '\u{2028}' | '\u{2029}' => out.push(NEWLINE),
            SEP => out.push(' '),
            QUOTE => out.push_str("th"),
            NEWLINE => out.push_str("(R)"),
            c if u32::from(c) < 0x20 => {}
            c => {
                out.push(c);
                continue;
            }
        }
        report(original);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_with_nothing_to_map_comes_back_as_it_was_and_reports_nothing() {
        for value in ["", "AR-000001", "Memo – café “quoted” ½ 机密 𝄞", "a\u{7F}b"] {
            assert_eq!(clean(value), (value.to_string(), Vec::new()), "{value:?}");
        }
        // Each character the fast path must leave to the full mapping.
        for (value, want) in [
            ("a\u{2028}b", "a®b"),
            ("a\u{2029}b", "a®b"),
            ("þ", "th"),
            ("®", "(R)"),
            ("a\tb", "ab"),
        ] {
            assert_eq!(clean(value).0, want, "{value:?}");
        }
    }

    fn clean(value: &str) -> (String, Vec<String>) {
        let mut seen = Vec::new();
        let out = sanitize(value, &mut |c| seen.push(c.to_string()));
        (out, seen)
    }

    fn row(id: &str, title: &str) -> IndexRow {
        IndexRow {
            begbates: format!("AR-{id}"),
            control_id: format!("DOC-{id}"),
            title: title.into(),
            pgcount: Some(1),
            ..Default::default()
        }
    }

    #[test]
    fn written_a_line_at_a_time_it_is_the_same_file_and_refuses_the_same_values() {
        let rows = [
            row("1", "Peña – memo"),
            row("2", "Nguyễn"),
            row("3", "plain"),
            row("4", "机密"),
        ];
        for encoding in [Encoding::Utf8Bom, Encoding::Utf16Le] {
            let whole = write_dat_as(&rows, Profile::Adrec, encoding).expect("encodable");
            let mut streamed = Vec::new();
            write_dat_to(&rows, Profile::Adrec, encoding, &mut streamed).expect("written");
            assert_eq!(whole.bytes, streamed, "{encoding:?}");
            assert!(streamed.starts_with(encoding.bom()));
        }
        // Windows-1252 holds "Peña" and the en dash, not Vietnamese or Chinese:
        // every such character is named, wherever it comes.
        let mut out = Vec::new();
        let Err(DatError::Unencodable(bad)) =
            write_dat_to(&rows, Profile::Adrec, Encoding::Cp1252, &mut out)
        else {
            panic!("refused");
        };
        let ids: Vec<_> = bad
            .iter()
            .map(|u| (u.control_id.as_str(), u.character))
            .collect();
        assert_eq!(ids, [("DOC-2", 'ễ'), ("DOC-4", '机'), ("DOC-4", '密')]);
        assert_eq!(
            write_dat_as(&rows, Profile::Adrec, Encoding::Cp1252).unwrap_err(),
            bad
        );
    }

    #[test]
    fn a_failing_file_is_an_io_error() {
        let result = write_dat_to(
            &[row("1", "x")],
            Profile::Adrec,
            Encoding::Utf8Bom,
            &mut crate::export::FullDisk,
        );
        assert!(matches!(result, Err(DatError::Io(_))), "{result:?}");
    }

    #[test]
    fn crlf_is_one_break_and_lone_cr_lf_are_one_each() {
        let (out, seen) = clean("a\r\nb\rc\nd");
        assert_eq!(out, "a®b®c®d");
        assert_eq!(seen, ["\r\n", "\r", "\n"]);
    }

    #[test]
    fn cr_cr_lf_is_two_breaks() {
        let (out, seen) = clean("a\r\r\nb");
        assert_eq!(out, "a®®b");
        assert_eq!(seen, ["\r", "\r\n"]);
    }

    #[test]
    fn literal_registered_sign_never_looks_like_a_break() {
        let (out, _) = clean("Acme®\nWidget");
        assert_eq!(out, "Acme(R)®Widget");
    }

    #[test]
    fn tab_and_other_controls_are_removed_printables_kept() {
        let (out, seen) = clean("a\tb\u{0}c\u{1F}d\u{7F}é€");
        assert_eq!(out, "abcd\u{7F}é€");
        assert_eq!(seen, ["\t", "\u{0}", "\u{1F}"]);
    }

    #[test]
    fn clean_value_reports_nothing() {
        let (out, seen) = clean("DHS-MPP-000101");
        assert_eq!(out, "DHS-MPP-000101");
        assert!(seen.is_empty());
    }

    #[test]
    fn dates_are_reformatted_or_left_alone() {
        assert_eq!(dat_date("2024-03-14"), "03/14/2024");
        assert_eq!(dat_date("2024-02-30"), "2024-02-30");
        assert_eq!(dat_date("March 2024"), "March 2024");
    }

    #[test]
    fn display_names_code_points_and_replacement() {
        let s = Substitution {
            control_id: "DOC-000001".into(),
            column: "TITLE".into(),
            character: "\r\n".into(),
        };
        assert_eq!(
            s.to_string(),
            "DOC-000001 TITLE: U+000D U+000A written as `®`"
        );
        let s = Substitution {
            character: "\u{7}".into(),
            ..s
        };
        assert_eq!(s.to_string(), "DOC-000001 TITLE: U+0007 removed");
    }
}
