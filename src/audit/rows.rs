//! The one row model every index and log reader feeds: index rows (Bates
//! range, links, hashes, treatment, categories) and privilege-log entries.

use super::bates::{self, Bates, Patterns};
use super::columns::{Columns, Field};
use super::finding::Location;
use super::read::{Record, Table, clean};
use std::sync::Arc;

pub use super::index_rows::{IndexRows, index_rows};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Treatment {
    Produced,
    Redacted,
    Withheld,
}

impl Treatment {
    /// Reads TREATMENT / STATUS / PRPRTIES values: `Withheld` and `Withheld in
    /// Full` are the same; `E-mail; Redacted` is Redacted.
    pub fn parse(text: &str) -> Option<Treatment> {
        let t = text.trim().to_ascii_lowercase();
        if t.is_empty() {
            return None;
        }
        if t.contains("withh")
            || t.contains("not produced")
            || t == "wif"
            || t.contains("privileged - withheld")
        {
            return Some(Treatment::Withheld);
        }
        if t.contains("redact") {
            return Some(Treatment::Redacted);
        }
        if t.contains("produc")
            || t.contains("releas")
            || t == "full"
            || t == "in full"
            || t == "none"
            || t == "no"
        {
            return Some(Treatment::Produced);
        }
        None
    }

    pub fn label(self) -> &'static str {
        match self {
            Treatment::Produced => "Produced",
            Treatment::Redacted => "Redacted",
            Treatment::Withheld => "Withheld",
        }
    }
}

/// A Y/N flag cell.
fn flag(text: &str) -> bool {
    matches!(
        text.trim().to_ascii_lowercase().as_str(),
        "y" | "yes" | "true" | "1" | "x" | "t"
    )
}

/// A hash cell of an index row (64 bytes; a row has a few, held for the whole audit).
#[derive(Debug, Clone)]
pub struct HashCell {
    pub field: Field,
    /// The cell's column in a spreadsheet (from 0), which names the cell
    /// (`F7`) with the row's line; [`NOT_A_SHEET`] in a DAT or CSV.
    pub column: u32,
    /// The header as written (shared by every row of the table).
    pub header: Arc<str>,
    pub value: HashValue,
}

/// [`HashCell::column`] of a cell that is not in a spreadsheet.
pub const NOT_A_SHEET: u32 = u32::MAX;

/// A hash cell's value in lower case. A digest of 32, 40 or 64 hex digits
/// (MD5, SHA-1, SHA-256) is kept as its bytes: an index has a few a row,
/// held for the whole audit, and their text took about 350 bytes a row.
/// Anything else is kept as written, for the finding that quotes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HashValue {
    Digest { digits: u8, bytes: [u8; 32] },
    Text(Box<str>),
}

impl HashValue {
    pub fn new(value: &str) -> HashValue {
        let hex = value.bytes().all(|b| b.is_ascii_hexdigit());
        match value.len() {
            32 | 40 | 64 if hex => HashValue::Digest {
                digits: value.len() as u8,
                bytes: super::read::sums::digest_bytes(value),
            },
            _ => HashValue::Text(value.to_ascii_lowercase().into()),
        }
    }

    /// How many characters the value has (hex digits for a digest).
    pub fn len(&self) -> usize {
        match self {
            HashValue::Digest { digits, .. } => usize::from(*digits),
            HashValue::Text(t) => t.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether every character is a hex digit.
    pub fn is_hex(&self) -> bool {
        match self {
            HashValue::Digest { .. } => true,
            HashValue::Text(t) => t.bytes().all(|b| b.is_ascii_hexdigit()),
        }
    }

    /// The value as text, in lower case.
    pub fn text(&self) -> std::borrow::Cow<'_, str> {
        match self {
            HashValue::Digest { digits, bytes } => {
                crate::model::hex(&bytes[..usize::from(*digits) / 2]).into()
            }
            HashValue::Text(t) => (&**t).into(),
        }
    }
}

impl std::fmt::Display for HashValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text())
    }
}

/// As their text sorts: digests of one length by their bytes (lower-case
/// hex digits sort as the nibbles they stand for), anything else by text.
impl Ord for HashValue {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        match (self, other) {
            (
                HashValue::Digest {
                    digits: a,
                    bytes: x,
                },
                HashValue::Digest {
                    digits: b,
                    bytes: y,
                },
            ) if a == b => x.cmp(y),
            _ => self.text().cmp(&other.text()),
        }
    }
}

impl PartialOrd for HashValue {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

#[derive(Debug, Clone)]
/// Strings are boxed, not `String`s: a row is held for the whole audit,
/// and a volume has 100,000 of them.
pub struct IndexRow {
    pub volume: usize,
    pub location: Location,
    pub beg_raw: Box<str>,
    pub end_raw: Box<str>,
    pub beg: Option<Bates>,
    pub end: Option<Bates>,
    pub pgcount: Box<str>,
    pub control_id: Box<str>,
    pub log_id: Box<str>,
    pub categories: Box<[Box<str>]>,
    pub treatment: Treatment,
    /// Link cells that are not empty: (field, header, value). Once rows are
    /// tied to files, only the links of rows with a broken link are kept
    /// (the checks look at no other: see `prepare`).
    pub links: Vec<(Field, Arc<str>, String)>,
    pub hashes: Vec<HashCell>,
    pub malformed: bool,
    /// The row's family cells, when any is filled (most rows have none:
    /// boxed, they cost a row 8 bytes rather than 64).
    pub family: Option<Box<Family>>,
}

/// An index row's family cells.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Family {
    /// The family's first and last numbers (BEGATTACH/ENDATTACH or a range cell).
    pub beg_attach: Box<str>,
    pub end_attach: Box<str>,
    /// The parent's number or id, and the attachments' (PARENTID, ATTCHIDS).
    pub parent: Box<str>,
    pub attach_ids: Box<[Box<str>]>,
}

impl Family {
    /// Boxed when any cell is filled.
    pub fn boxed(self) -> Option<Box<Family>> {
        (self != Family::default()).then(|| Box::new(self))
    }
}

impl IndexRow {
    /// The family's first number (BEGATTACH or a range cell); empty when none.
    pub fn beg_attach(&self) -> &str {
        self.family.as_ref().map_or("", |f| &f.beg_attach)
    }

    /// The family's last number (ENDATTACH or a range cell); empty when none.
    pub fn end_attach(&self) -> &str {
        self.family.as_ref().map_or("", |f| &f.end_attach)
    }

    /// The parent's number or id (PARENTID); empty when none.
    pub fn parent(&self) -> &str {
        self.family.as_ref().map_or("", |f| &f.parent)
    }

    /// The attachments' numbers or ids (ATTCHIDS).
    pub fn attach_ids(&self) -> &[Box<str>] {
        self.family.as_ref().map_or(&[], |f| &f.attach_ids)
    }

    /// Where a hash cell of this row is: its line, and its cell in a spreadsheet.
    pub fn cell_location(&self, cell: &HashCell) -> Location {
        let name = |line: usize| super::read::cell_at(line, cell.column as usize);
        Location {
            cell: self
                .location
                .line
                .filter(|_| cell.column != NOT_A_SHEET)
                .map(name),
            ..self.location.clone()
        }
    }

    /// A withheld document that consumes no Bates number.
    pub fn log_only(&self) -> bool {
        self.beg_raw.is_empty() && self.treatment == Treatment::Withheld
    }

    /// How findings name the row: its BEGBATES, else its control number, else its line.
    pub fn label(&self) -> String {
        if !self.beg_raw.is_empty() {
            self.beg_raw.to_string()
        } else if !self.control_id.is_empty() {
            self.control_id.to_string()
        } else {
            self.location.describe()
        }
    }

    /// What names the row's files by their stem: its BEGBATES, else its
    /// control number (indexes without Bates columns).
    pub fn name_key(&self) -> &str {
        if self.beg_raw.is_empty() {
            &self.control_id
        } else {
            &self.beg_raw
        }
    }

    /// The Bates numbers a finding about the row cites: both ends, one when
    /// they are equal, none without numbers.
    pub fn bates_ends(&self) -> Vec<String> {
        if self.beg_raw.is_empty() {
            vec![]
        } else if self.end_raw.is_empty() || self.end_raw == self.beg_raw {
            vec![self.beg_raw.to_string()]
        } else {
            vec![self.beg_raw.to_string(), self.end_raw.to_string()]
        }
    }

    /// `ABC-0000001 – ABC-0000003`, or the single number; without Bates
    /// numbers, the row's [`label`](Self::label).
    pub fn range_text(&self) -> String {
        if self.beg_raw.is_empty() {
            self.label()
        } else if self.end_raw.is_empty() || self.end_raw == self.beg_raw {
            self.beg_raw.to_string()
        } else {
            format!("{} – {}", self.beg_raw, self.end_raw)
        }
    }

    /// The numbers the row covers under its canonical prefix, when both ends
    /// parse, the first is not an inserted page and they are in order.
    pub fn range(&self, patterns: &Patterns) -> Option<(String, u64, u64)> {
        let (beg, end) = (self.beg.as_ref()?, self.end.as_ref()?);
        if beg.is_inserted() {
            return None;
        }
        // A malformed row's numbers count only when they fit the pattern.
        if self.malformed && (patterns.problem(beg).is_some() || patterns.problem(end).is_some()) {
            return None;
        }
        let prefix = patterns.canonical(beg)?;
        (patterns.canonical(end)? == prefix && beg.number <= end.number)
            .then(|| (prefix.to_string(), beg.number, end.number))
    }

    /// Numbers in the range when neither end has a suffix.
    pub fn expected_pages(&self, patterns: &Patterns) -> Option<u64> {
        let (_, a, b) = self.range(patterns)?;
        (!self.end.as_ref()?.is_inserted()).then_some(b - a + 1)
    }
}

#[derive(Debug, Clone)]
pub struct LogEntry {
    pub volume: usize,
    pub location: Location,
    pub log_id: String,
    pub control_id: String,
    pub beg_raw: String,
    pub end_raw: String,
    pub beg: Option<Bates>,
    pub end: Option<Bates>,
    pub treatment: Option<Treatment>,
    /// Required fields left empty, named by their header (or by what is
    /// required, when the log has no such column).
    pub empty: Vec<String>,
    pub absent: Vec<&'static str>,
    /// The privilege asserted (its columns' cells joined by `; `).
    pub privilege: String,
}

impl LogEntry {
    /// No Bates numbers and a withheld treatment (an empty treatment counts:
    /// a log entry without numbers can only be a withheld document).
    pub fn log_only(&self) -> bool {
        self.beg_raw.is_empty() && matches!(self.treatment, None | Some(Treatment::Withheld))
    }

    pub fn label(&self) -> String {
        let id = if !self.log_id.is_empty() {
            self.log_id.to_string()
        } else {
            self.control_id.to_string()
        };
        match (id.is_empty(), self.beg_raw.is_empty()) {
            (false, false) => format!("{id} ({})", self.beg_raw),
            (false, true) => id,
            (true, false) => self.beg_raw.to_string(),
            (true, true) => self.location.describe(),
        }
    }
}

/// Whether a text-column cell may be a path: one line, and a folder
/// separator or a file extension. Anything else is the extracted text itself.
pub fn looks_like_path(value: &str) -> bool {
    if value.contains(['\n', '\r']) || value.len() > 400 {
        return false;
    }
    let name = value.trim();
    let extension = match name.rsplit_once('.') {
        Some((stem, ext)) => {
            !stem.is_empty()
                && (1..=5).contains(&ext.len())
                && ext.bytes().all(|b| b.is_ascii_alphanumeric())
                && ext.bytes().any(|b| b.is_ascii_alphabetic())
        }
        None => false,
    };
    // A separator in a sentence (`see the 3/4 memo`) does not make a path.
    extension || (name.contains(['/', '\\']) && !name.contains(char::is_whitespace))
}

pub(super) fn cell(record: &Record, col: Option<usize>) -> &str {
    col.and_then(|c| record.cells.get(c))
        .map_or("", |v| clean(v))
}

pub(super) fn location(
    table: &Table,
    file: &Arc<str>,
    record: &Record,
    col: Option<usize>,
) -> Location {
    Location {
        file: file.clone(),
        line: Some(record.line),
        cell: col.and_then(|c| table.cell_name(record.line, c)),
    }
}

/// BEGBATES and ENDBATES of a record: from their columns, or a range column;
/// without an end column the end is the start plus PGCOUNT − 1.
pub(super) fn bates_of(record: &Record, cols: &Columns) -> (String, String) {
    let (mut beg, mut end) = (
        cell(record, cols.get(Field::BegBates)).to_string(),
        cell(record, cols.get(Field::EndBates)).to_string(),
    );
    if beg.is_empty() && cols.has(Field::BatesRange) {
        let range = cell(record, cols.get(Field::BatesRange));
        if !range.is_empty() {
            (beg, end) = bates::split_range(range);
        }
    }
    if end.is_empty() && !beg.is_empty() && !cols.has(Field::EndBates) {
        end = beg.clone();
        let pages: Option<u64> = cell(record, cols.get(Field::PageCount)).parse().ok();
        if let (Some(b), Some(p)) = (Bates::parse(&beg), pages)
            && p > 1
            && !b.is_inserted()
        {
            end = bates::format(&b.prefix, b.width, b.number + p - 1);
        }
    }
    (beg, end)
}

pub(super) fn treatment_of(record: &Record, cols: &Columns) -> (Option<Treatment>, Option<String>) {
    if cols
        .get(Field::Withheld)
        .is_some_and(|c| flag(cell(record, Some(c))))
    {
        return (Some(Treatment::Withheld), None);
    }
    if cols
        .get(Field::Redacted)
        .is_some_and(|c| flag(cell(record, Some(c))))
    {
        return (Some(Treatment::Redacted), None);
    }
    let text = cell(record, cols.get(Field::Treatment));
    match Treatment::parse(text) {
        Some(t) => (Some(t), None),
        None if text.is_empty() => (None, None),
        None => (None, Some(text.to_string())),
    }
}

/// What reading an index's rows noticed, for the volume's notes.
#[derive(Debug, Default)]
pub struct RowNotes {
    /// Treatment values not understood, with their place.
    pub unknown: Vec<String>,
    /// Text-link cells holding the text itself, by header.
    pub inline_text: Vec<(Arc<str>, usize)>,
}

/// What LOG_INCOMPLETE requires of every entry.
const REQUIRED: [(Field, &str); 6] = [
    (Field::DocDate, "date"),
    (Field::DocType, "document type"),
    (Field::Author, "author"),
    (Field::Recipients, "recipients"),
    (Field::Description, "description"),
    (Field::Privilege, "privilege"),
];

/// Privilege-log entries of one table; like [`index_rows`], the records are
/// taken out of the table and dropped as their entries are built.
pub fn log_entries(table: &mut Table, cols: &Columns, volume: usize, file: &str) -> Vec<LogEntry> {
    let absent: Vec<&'static str> = REQUIRED
        .iter()
        .filter(|(f, _)| !cols.has(*f))
        .map(|(_, label)| *label)
        .collect();
    let records = std::mem::take(&mut table.records);
    let table = &*table;
    let file: Arc<str> = file.into();
    records
        .into_iter()
        .map(|record| {
            let record = &record;
            let (beg_raw, end_raw) = bates_of(record, cols);
            let mut empty = Vec::new();
            for (field, _) in REQUIRED {
                let columns = cols.all(field);
                if !columns.is_empty() && columns.iter().all(|&c| cell(record, Some(c)).is_empty())
                {
                    empty.push(
                        columns
                            .iter()
                            .map(|&c| cols.header(c))
                            .collect::<Vec<_>>()
                            .join("/"),
                    );
                }
            }
            LogEntry {
                volume,
                location: location(table, &file, record, None),
                log_id: cell(record, cols.get(Field::LogId)).to_string(),
                control_id: cell(record, cols.get(Field::ControlId)).to_string(),
                beg: Bates::parse(&beg_raw),
                end: Bates::parse(&end_raw),
                beg_raw,
                end_raw,
                treatment: treatment_of(record, cols).0,
                privilege: cols
                    .all(Field::Privilege)
                    .iter()
                    .map(|&c| cell(record, Some(c)))
                    .filter(|v| !v.is_empty())
                    .collect::<Vec<_>>()
                    .join("; "),
                empty,
                absent: absent.clone(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_values_keep_digests_as_bytes_and_read_back_as_written_in_lower_case() {
        let sha256 = "C34ECA2376414BD1D8E43B6234D22E6B45F626C372A6AEDB3F7AF09BFAE3D3AA";
        let md5 = "0123456789abcdef0123456789ABCDEF";
        let sha1 = "da39a3ee5e6b4b0d3255bfef95601890afd80709";
        for written in [sha256, md5, sha1] {
            let v = HashValue::new(written);
            assert!(matches!(v, HashValue::Digest { .. }), "{written}");
            assert_eq!(v.text(), written.to_ascii_lowercase());
            assert_eq!(v.to_string(), written.to_ascii_lowercase());
            assert_eq!(v.len(), written.len());
            assert!(v.is_hex());
        }
        // Not a digest: kept as written (lower-cased), for the finding that quotes it.
        for written in [
            "not a hash",
            "ABC123",
            "0123456789abcdef0123456789abcdeg",
            "",
        ] {
            let v = HashValue::new(written);
            assert_eq!(v, HashValue::Text(written.to_ascii_lowercase().into()));
            assert_eq!(v.text(), written.to_ascii_lowercase());
        }
        assert!(!HashValue::new("0123456789abcdef0123456789abcdeg").is_hex());
        assert!(HashValue::new(&"ab".repeat(64)).is_hex());
        // Values sort as their text does, whatever they are kept as.
        let mut values: Vec<HashValue> = [
            "ff".repeat(16),
            "00".repeat(32),
            "0f".repeat(20),
            "abc".into(),
            "10".repeat(16),
            "f0".repeat(32),
        ]
        .iter()
        .map(|t| HashValue::new(t))
        .collect();
        values.sort();
        let texts: Vec<String> = values.iter().map(|v| v.text().into_owned()).collect();
        let mut sorted = texts.clone();
        sorted.sort();
        assert_eq!(texts, sorted);
        assert_eq!(
            HashValue::new(md5),
            HashValue::new(&md5.to_ascii_lowercase())
        );
    }

    #[test]
    fn inline_text_is_not_a_path() {
        assert!(looks_like_path("TEXT\\CTRL-0003.txt"));
        assert!(looks_like_path("CTRL-0003.txt"));
        assert!(looks_like_path("VOL001/TEXT/A 1.txt"));
        assert!(looks_like_path("VOL001/TEXT/CTRL-0001"));
        assert!(!looks_like_path("see the 3/4 memo"));
        assert!(!looks_like_path("Budget figures for fiscal year 2024"));
        assert!(!looks_like_path("Dear Luis,\r\nsee TEXT/x.txt"));
        assert!(!looks_like_path("Meeting at 3.30"));
        assert!(!looks_like_path("See attached. Thanks"));
    }

    #[test]
    fn treatments() {
        assert_eq!(
            Treatment::parse("Withheld in Full"),
            Some(Treatment::Withheld)
        );
        assert_eq!(Treatment::parse("withheld"), Some(Treatment::Withheld));
        assert_eq!(
            Treatment::parse("Document Withheld Based On Privilege"),
            Some(Treatment::Withheld)
        );
        assert_eq!(
            Treatment::parse("E-mail; Redacted"),
            Some(Treatment::Redacted)
        );
        assert_eq!(Treatment::parse("Produced"), Some(Treatment::Produced));
        assert_eq!(Treatment::parse(""), None);
        assert_eq!(Treatment::parse("Partial"), None);
    }

    #[test]
    fn a_hash_cell_stays_small() {
        // A few a row, held for the whole audit: 80 bytes with its cell's name.
        assert!(std::mem::size_of::<HashCell>() <= 64);
    }

    #[test]
    fn a_hash_cell_is_named_by_its_column_and_row_in_a_spreadsheet_only() {
        let sha = "c34eca2376414bd1d8e43b6234d22e6b45f626c372a6aedb3f7af09bfae3d3aa";
        let table = |spreadsheet: bool| Table {
            spreadsheet,
            headers: ["BEGBATES", "ENDBATES", "CONTROL_ID", "MD5", "SHA256"]
                .map(String::from)
                .to_vec(),
            records: vec![Record {
                line: 7,
                cells: ["A-1", "A-1", "D1", "", sha].map(String::from).to_vec(),
                malformed: false,
            }],
            ..Table::default()
        };
        for (spreadsheet, cell) in [(true, Some("E7")), (false, None)] {
            let mut table = table(spreadsheet);
            let cols = Columns::new(&table.headers);
            let (rows, _) = index_rows(&mut table, &cols, 0, "index");
            let hash = &rows[0].hashes[0];
            assert_eq!((&*hash.header, hash.value.text()), ("SHA256", sha.into()));
            let at = rows[0].cell_location(hash);
            assert_eq!((at.line, at.cell.as_deref()), (Some(7), cell));
        }
        // Past Z the column takes two letters.
        let mut wide = table(true);
        for (i, extra) in (0..23).map(|i| (i, format!("NOTE{i}"))) {
            wide.headers.insert(3 + i, extra);
            wide.records[0].cells.insert(3 + i, String::new());
        }
        let cols = Columns::new(&wide.headers);
        let (rows, _) = index_rows(&mut wide, &cols, 0, "index");
        let at = rows[0].cell_location(&rows[0].hashes[0]);
        assert_eq!(at.cell.as_deref(), Some("AB7"));
    }
}
