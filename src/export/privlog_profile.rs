//! Privilege-log profiles (`[privilege_log]`): the itemized log adrec writes
//! by default, a categorical log, a metadata-only log; where redactions go;
//! and the names legend with attorneys marked `*`.
//!
//! Profiles are a way of writing the frozen itemized rows, never a second
//! record: a volume's log and a later `export privlog` render the same rows,
//! so changing the profile changes the next file written, not what was
//! logged. Nothing here adds a value a reviewer did not enter: the
//! categorical DESCRIPTION is the reviewers' descriptions of the documents
//! it covers.

use super::row::{PRIVLOG_COLUMNS, PrivLogRow};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::rc::Rc;

/// `[privilege_log] profile`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum LogProfile {
    /// One row per document or duplicate group (the SPEC's log).
    #[default]
    Itemized,
    /// One row per privilege × category × document type × date range.
    Categorical,
    /// The itemized log without DESCRIPTION.
    MetadataOnly,
}

impl LogProfile {
    pub const NAMES: [&'static str; 3] = ["itemized", "categorical", "metadata-only"];

    pub fn parse(text: &str) -> Option<LogProfile> {
        match text {
            "itemized" => Some(LogProfile::Itemized),
            "categorical" => Some(LogProfile::Categorical),
            "metadata-only" => Some(LogProfile::MetadataOnly),
            _ => None,
        }
    }
}

/// `[privilege_log] redactions`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Redactions {
    /// Redacted documents are on the privilege log (the SPEC's log).
    #[default]
    Main,
    /// Redacted documents are on a redaction log beside the privilege log.
    Separate,
    /// Redacted documents are left off the log.
    None,
}

impl Redactions {
    pub const NAMES: [&'static str; 3] = ["main", "separate", "none"];

    pub fn parse(text: &str) -> Option<Redactions> {
        match text {
            "main" => Some(Redactions::Main),
            "separate" => Some(Redactions::Separate),
            "none" => Some(Redactions::None),
            _ => None,
        }
    }
}

/// Everything the privilege-log profile asks for, from `adrec.toml`.
#[derive(Debug, Clone, Default)]
pub struct LogSettings {
    pub profile: LogProfile,
    pub redactions: Redactions,
    pub names_legend: bool,
    /// (name, role, attorney) from `[[person]]`.
    pub persons: Vec<(String, String, bool)>,
}

impl LogSettings {
    pub fn from_config(config: &crate::matter::Config) -> LogSettings {
        LogSettings {
            profile: config.privilege_log.profile(),
            redactions: config.privilege_log.redactions(),
            names_legend: config.privilege_log.names_legend,
            persons: config
                .persons
                .iter()
                .map(|p| (p.name.trim().to_string(), p.role.clone(), p.attorney))
                .collect(),
        }
    }

    /// The SPEC's log as it always was: itemized, redactions on it, no legend.
    pub fn is_default(&self) -> bool {
        self.profile == LogProfile::Itemized
            && self.redactions == Redactions::Main
            && !self.names_legend
    }
}

/// One cell of a log table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Text(String),
    /// A `YYYY-MM-DD` date, or `None` for `Undated`.
    Date(Option<String>),
    Count(u64),
}

impl Value {
    /// The cell as CSV text.
    pub fn text(&self) -> String {
        match self {
            Value::Text(s) => s.clone(),
            Value::Date(Some(d)) => d.clone(),
            Value::Date(None) => "Undated".into(),
            Value::Count(n) => n.to_string(),
        }
    }
}

/// A table: a header and rows, each row with the key its problems are
/// reported under (CONTROL_ID, or the categorical entry).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    pub header: Vec<&'static str>,
    pub rows: Vec<TableRow>,
}

/// The categorical log's columns.
pub const CATEGORICAL_COLUMNS: [&str; 11] = [
    "ENTRY",
    "TREATMENT",
    "PRIVILEGE",
    "CATEGORY",
    "DOC_TYPE",
    "DATE_FROM",
    "DATE_TO",
    "DOCUMENTS",
    "BATES_RANGES",
    "LOG_IDS",
    "DESCRIPTION",
];

/// The names legend's columns.
pub const LEGEND_COLUMNS: [&str; 5] = ["NAME", "ATTORNEY", "ROLE", "AS_AUTHOR", "AS_RECIPIENT"];

/// A log's rows, read from the first as often as its profile needs: a
/// volume's spilled rows, or the stored rows `export privlog` reads. A
/// profile keeps what its files show, never the rows themselves.
pub type RowSource<'a> = dyn Fn() -> RowIter<'a> + 'a;

/// One read of a log's rows, from the first.
pub type RowIter<'a> = Box<dyn Iterator<Item = Result<PrivLogRow, String>> + 'a>;

/// The privilege log itself, or the redaction log beside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Log,
    RedactionLog,
}

impl LogSettings {
    /// Whether redacted documents go on a redaction log beside the log.
    pub fn separate(&self) -> bool {
        self.redactions == Redactions::Separate
    }

    /// The logs written: the log, and the redaction log when it is separate.
    pub fn parts(&self) -> &'static [Part] {
        match self.redactions {
            Redactions::Separate => &[Part::Log, Part::RedactionLog],
            Redactions::Main | Redactions::None => &[Part::Log],
        }
    }

    /// Whether `row` is on `part`: a redacted document goes where
    /// `redactions` puts it, every other on the log.
    pub fn on(&self, part: Part, row: &PrivLogRow) -> bool {
        let redacted = row.treatment == "Redacted";
        match (part, self.redactions) {
            (Part::Log, Redactions::Main) => true,
            (Part::Log, Redactions::Separate | Redactions::None) => !redacted,
            (Part::RedactionLog, Redactions::Separate) => redacted,
            (Part::RedactionLog, Redactions::Main | Redactions::None) => false,
        }
    }

    /// The attorneys' names, lower case, marked `*` in the log: none
    /// without the names legend.
    pub fn attorneys(&self) -> BTreeSet<String> {
        if !self.names_legend {
            return BTreeSet::new();
        }
        self.persons
            .iter()
            .filter(|(_, _, attorney)| *attorney)
            .map(|(name, _, _)| name.to_lowercase())
            .collect()
    }
}

/// One row of a log table and the key its problems are reported under.
pub type TableRow = (String, Vec<Value>);

/// A table as it is written: a header, and rows made as they are read.
pub struct Streamed<'a> {
    pub header: Vec<&'static str>,
    pub rows: Box<dyn Iterator<Item = Result<TableRow, String>> + 'a>,
}

impl Table {
    /// The table's rows, to be written.
    pub fn streamed(&self) -> Streamed<'_> {
        Streamed {
            header: self.header.clone(),
            rows: Box::new(self.rows.iter().cloned().map(Ok)),
        }
    }
}

/// The rows on `part`, read one at a time; a row that does not read passes
/// through as its error.
fn rows_on<'s, 'a: 's>(
    rows: &'s RowSource<'a>,
    settings: &'s LogSettings,
    part: Part,
) -> impl Iterator<Item = Result<PrivLogRow, String>> + 's {
    rows().filter(move |row| row.as_ref().map_or(true, |r| settings.on(part, r)))
}

/// The itemized log of `part` (without DESCRIPTION when metadata-only),
/// each row made as it is read.
pub fn itemized<'s, 'a: 's>(
    rows: &'s RowSource<'a>,
    settings: &'s LogSettings,
    part: Part,
    attorneys: &'s BTreeSet<String>,
) -> Streamed<'s> {
    let without_description = settings.profile == LogProfile::MetadataOnly;
    let keep = move |column: &&str| !(without_description && *column == "DESCRIPTION");
    let header: Vec<&'static str> = PRIVLOG_COLUMNS.iter().copied().filter(keep).collect();
    let rows = rows_on(rows, settings, part).map(move |row| {
        let row = row?;
        let values = PRIVLOG_COLUMNS
            .iter()
            .zip(row.values())
            .filter(|(column, _)| keep(column))
            .map(|(column, value)| match *column {
                "DOC_DATE" => Value::Date(row.doc_date.clone()),
                "AUTHOR" | "RECIPIENTS" => Value::Text(mark_attorneys(&value, attorneys)),
                _ => Value::Text(value),
            })
            .collect();
        Ok((row.control_id, values))
    });
    Streamed {
        header,
        rows: Box::new(rows),
    }
}

/// Splits a names cell into (separator before, name) pieces: names are
/// separated by `;` or `|`, and an `To:`/`Cc:`/`Bcc:` label belongs to the
/// separator.
fn names(cell: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = cell.as_bytes();
    for i in 0..=bytes.len() {
        if i == bytes.len() || bytes[i] == b';' || bytes[i] == b'|' {
            let piece = &cell[start..i];
            let trimmed = piece.trim_start();
            let mut lead = piece.len() - trimmed.len();
            for label in ["To:", "Cc:", "Bcc:"] {
                if let Some(rest) = trimmed.strip_prefix(label) {
                    lead += label.len() + (rest.len() - rest.trim_start().len());
                }
            }
            let name = piece[lead..].trim_end();
            let sep = if start == 0 {
                ""
            } else {
                &cell[start - 1..start]
            };
            out.push((format!("{sep}{}", &piece[..lead]), name.to_string()));
            out.push((piece[lead + name.len()..].to_string(), String::new()));
            start = i + 1;
        }
    }
    out
}

/// The names in a cell that are people: not empty, not `None` or `Unknown`.
fn people(cell: &str) -> impl Iterator<Item = String> + '_ {
    names(cell).into_iter().map(|(_, name)| name).filter(|n| {
        !n.is_empty() && !n.eq_ignore_ascii_case("none") && !n.eq_ignore_ascii_case("unknown")
    })
}

/// The cell with `*` after every name that is an attorney's.
fn mark_attorneys(cell: &str, attorneys: &BTreeSet<String>) -> String {
    if attorneys.is_empty() {
        return cell.to_string();
    }
    names(cell)
        .into_iter()
        .map(|(before, name)| {
            if !name.is_empty() && attorneys.contains(&name.to_lowercase()) {
                format!("{before}{name}*")
            } else {
                format!("{before}{name}")
            }
        })
        .collect()
}

/// What a profile must know before its files are written, gathered in one
/// pass over the rows: a categorical log's entries (the log's, and the
/// redaction log's when it is separate) and the names legend.
#[derive(Debug, Default)]
pub struct Gathered {
    pub log_entries: Option<Table>,
    pub redaction_entries: Option<Table>,
    pub legend: Option<Table>,
}

/// Reads the rows once for [`Gathered`], when the profile needs it.
pub fn gather(rows: &RowSource<'_>, settings: &LogSettings) -> Result<Gathered, String> {
    let categorical = settings.profile == LogProfile::Categorical;
    if !categorical && !settings.names_legend {
        return Ok(Gathered::default());
    }
    // By part, as `settings.parts()`: a row is on one at most.
    let mut entries: [BTreeMap<EntryKey, Entry>; 2] = Default::default();
    let mut names: [Names; 2] = Default::default();
    for row in rows() {
        let row = row?;
        let Some(i) = settings.parts().iter().position(|&p| settings.on(p, &row)) else {
            continue;
        };
        if settings.names_legend {
            count_names(&row, &mut names[i]);
        }
        if categorical {
            let key = (
                row.treatment.clone(),
                row.privilege.clone(),
                row.category.clone(),
                row.doc_type.clone(),
            );
            entries[i].entry(key).or_default().add(row);
        }
    }
    let [log, redactions] = entries;
    Ok(Gathered {
        log_entries: categorical.then(|| categorical_table(log)),
        redaction_entries: (categorical && settings.separate())
            .then(|| categorical_table(redactions)),
        legend: settings
            .names_legend
            .then(|| legend(names, &settings.persons)),
    })
}

/// name (lower case) -> (name as first written, as author, as recipient).
type Names = BTreeMap<String, (String, u64, u64)>;

/// The names legend: everyone named in AUTHOR and RECIPIENTS of a row on
/// the log or the redaction log. A name keeps its first spelling on the
/// log, else on the redaction log.
fn legend([on_log, on_redaction_log]: [Names; 2], persons: &[(String, String, bool)]) -> Table {
    let mut seen = on_log;
    for (key, (name, as_author, as_recipient)) in on_redaction_log {
        let entry = seen.entry(key).or_insert((name, 0, 0));
        entry.1 += as_author;
        entry.2 += as_recipient;
    }
    let known: HashMap<String, &(String, String, bool)> =
        persons.iter().map(|p| (p.0.to_lowercase(), p)).collect();
    let rows = seen
        .into_iter()
        .map(|(key, (name, as_author, as_recipient))| {
            let person = known.get(&key);
            let attorney = person.is_some_and(|p| p.2);
            let role = person.map(|p| p.1.clone()).unwrap_or_default();
            let values = vec![
                Value::Text(name.clone()),
                Value::Text(if attorney { "*".into() } else { String::new() }),
                Value::Text(role),
                Value::Count(as_author),
                Value::Count(as_recipient),
            ];
            (name, values)
        })
        .collect();
    Table {
        header: LEGEND_COLUMNS.to_vec(),
        rows,
    }
}

/// Counts each person a row names once as author and once as recipient.
fn count_names(row: &PrivLogRow, seen: &mut Names) {
    for (cell, author) in [(&row.author, true), (&row.recipients, false)] {
        let mut once = BTreeSet::new();
        for name in people(cell) {
            if !once.insert(name.to_lowercase()) {
                continue;
            }
            let entry = seen
                .entry(name.to_lowercase())
                .or_insert_with(|| (name.clone(), 0, 0));
            if author {
                entry.1 += 1;
            } else {
                entry.2 += 1;
            }
        }
    }
}

/// What one categorical entry keeps of its documents as they are read:
/// what its cells show, never the rows.
#[derive(Default)]
struct Entry {
    documents: u64,
    first_date: Option<String>,
    last_date: Option<String>,
    undated: bool,
    bates: Vec<(String, String)>,
    log_ids: Vec<String>,
    /// The distinct descriptions in the order first read; `seen` finds a
    /// repeat at once (a volume can log 100,000 different descriptions).
    descriptions: Vec<Rc<str>>,
    seen: HashSet<Rc<str>>,
}

impl Entry {
    fn add(&mut self, row: PrivLogRow) {
        self.documents += 1;
        match row.doc_date {
            Some(date) => {
                if self.first_date.as_ref().is_none_or(|d| date < *d) {
                    self.first_date = Some(date.clone());
                }
                if self.last_date.as_ref().is_none_or(|d| date > *d) {
                    self.last_date = Some(date);
                }
            }
            None => self.undated = true,
        }
        if !row.begbates.is_empty() {
            self.bates.push((row.begbates, row.endbates));
        }
        self.log_ids.push(row.log_id);
        if !row.description.is_empty() && !self.seen.contains(row.description.as_str()) {
            let description: Rc<str> = row.description.into();
            self.seen.insert(description.clone());
            self.descriptions.push(description);
        }
    }

    fn values(mut self, entry: &str, key: EntryKey) -> Vec<Value> {
        let (treatment, privilege, category, doc_type) = key;
        // An undated document makes the range open: its end shows `Undated`.
        let to = if self.undated { None } else { self.last_date };
        self.bates.sort_by(|a, b| number_order(&a.0, &b.0));
        let bates: Vec<(&str, &str)> = self
            .bates
            .iter()
            .map(|(first, last)| (first.as_str(), last.as_str()))
            .collect();
        self.log_ids.sort_by(|a, b| number_order(a, b));
        let log_ids: Vec<(&str, &str)> = self
            .log_ids
            .iter()
            .map(|id| (id.as_str(), id.as_str()))
            .collect();
        let descriptions: Vec<&str> = self.descriptions.iter().map(|d| &**d).collect();
        vec![
            Value::Text(entry.to_string()),
            Value::Text(treatment),
            Value::Text(privilege),
            Value::Text(category),
            Value::Text(doc_type),
            Value::Date(self.first_date),
            Value::Date(to),
            Value::Count(self.documents),
            Value::Text(merge_ranges(&bates)),
            Value::Text(merge_ranges(&log_ids)),
            Value::Text(descriptions.join("; ")),
        ]
    }
}

/// A categorical entry's key: treatment, privilege, category, document type.
type EntryKey = (String, String, String, String);

/// The categorical log: one row per treatment × privilege × category ×
/// document type, with the dates its documents span, their count, Bates
/// ranges and LOG_IDs, and the reviewers' distinct descriptions.
fn categorical_table(entries: BTreeMap<EntryKey, Entry>) -> Table {
    let rows = entries
        .into_iter()
        .enumerate()
        .map(|(i, (key, entry))| {
            let name = format!("CAT-{:04}", i + 1);
            let values = entry.values(&name, key);
            (name, values)
        })
        .collect();
    Table {
        header: CATEGORICAL_COLUMNS.to_vec(),
        rows,
    }
}

/// A number's prefix and value: `DHS-MPP-000101` → (`DHS-MPP-`, 6, 101).
pub(crate) fn split_number(s: &str) -> Option<(&str, usize, u64)> {
    let digits = s.len() - s.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    let (prefix, number) = s.split_at(s.len() - digits);
    Some((prefix, digits, number.parse().ok()?))
}

pub(crate) fn number_order(a: &str, b: &str) -> std::cmp::Ordering {
    match (split_number(a), split_number(b)) {
        (Some(x), Some(y)) => x.cmp(&y).then_with(|| a.cmp(b)),
        _ => a.cmp(b),
    }
}

/// Sorted (first, last) ranges merged where one ends just before the next
/// begins: `A-01 – A-05; A-09`.
pub(crate) fn merge_ranges(ranges: &[(&str, &str)]) -> String {
    let mut merged: Vec<(String, String)> = Vec::new();
    for (first, last) in ranges {
        if let Some((_, end)) = merged.last_mut()
            && let (Some((p, w, e)), Some((q, v, b))) = (split_number(end), split_number(first))
            && p == q
            && w == v
            && e.checked_add(1) == Some(b)
        {
            *end = (*last).to_string();
            continue;
        }
        merged.push(((*first).to_string(), (*last).to_string()));
    }
    merged
        .iter()
        .map(|(a, b)| {
            if a == b {
                a.clone()
            } else {
                format!("{a} \u{2013} {b}")
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attorneys(names: &[&str]) -> BTreeSet<String> {
        names.iter().map(|n| n.to_lowercase()).collect()
    }

    #[test]
    fn attorneys_are_marked_where_they_are_named() {
        let a = attorneys(&["Doe, John", "Office of the General Counsel"]);
        assert_eq!(
            mark_attorneys(
                "To: Doe, John; Roe, Ann | Cc: Office of the General Counsel",
                &a
            ),
            "To: Doe, John*; Roe, Ann | Cc: Office of the General Counsel*"
        );
        assert_eq!(mark_attorneys("None", &a), "None");
        assert_eq!(mark_attorneys("doe, john ", &a), "doe, john* ");
        assert_eq!(mark_attorneys("Doe, Johnny", &a), "Doe, Johnny");
    }

    #[test]
    fn ranges_merge_only_when_contiguous() {
        let r = [
            ("A-000001", "A-000003"),
            ("A-000004", "A-000004"),
            ("A-000009", "A-000010"),
        ];
        assert_eq!(
            merge_ranges(&r),
            "A-000001 \u{2013} A-000004; A-000009 \u{2013} A-000010"
        );
        let ids = [
            ("PRIV-000002", "PRIV-000002"),
            ("PRIV-000003", "PRIV-000003"),
        ];
        assert_eq!(merge_ranges(&ids), "PRIV-000002 \u{2013} PRIV-000003");
        assert_eq!(merge_ranges(&[]), "");
    }

    fn row(log: u64, treatment: &str, privilege: &str, date: Option<&str>) -> PrivLogRow {
        PrivLogRow {
            log_id: format!("PRIV-{log:06}"),
            begbates: format!("A-{log:06}"),
            endbates: format!("A-{log:06}"),
            control_id: format!("DOC-{log:06}"),
            treatment: treatment.into(),
            doc_date: date.map(str::to_string),
            doc_type: "Memorandum".into(),
            author: "Doe, John".into(),
            recipients: "None".into(),
            description: format!("advice {}", log % 2),
            privilege: privilege.into(),
            category: "1".into(),
            volume: "VOL001".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_legend_name_keeps_its_first_spelling_on_the_log() {
        let mut redacted = row(1, "Redacted", "DP", None);
        redacted.author = "DOE, JOHN".into();
        let withheld = row(2, "Withheld in Full", "DP", None);
        let rows = vec![redacted, withheld];
        let source = || -> RowIter<'_> { Box::new(rows.clone().into_iter().map(Ok)) };
        let legend = |redactions| {
            let settings = LogSettings {
                redactions,
                names_legend: true,
                ..Default::default()
            };
            let table = gather(&source, &settings).unwrap().legend.unwrap();
            let doe: Vec<String> = table.rows[0].1.iter().map(Value::text).collect();
            (table.rows.len(), doe)
        };
        // Separate: the log's spelling, though the redacted row came first;
        // the counts of both logs added up.
        assert_eq!(
            legend(Redactions::Separate),
            (
                1,
                vec![
                    "Doe, John".into(),
                    "".into(),
                    "".into(),
                    "2".into(),
                    "0".into()
                ]
            )
        );
        // On one log, the first row's spelling.
        assert_eq!(legend(Redactions::Main).1[0], "DOE, JOHN");
        // Left off, a redacted row names no one.
        assert_eq!(legend(Redactions::None).1[3], "1");
    }

    #[test]
    fn categorical_counts_add_up_and_redactions_go_where_asked() {
        let rows = vec![
            row(1, "Withheld in Full", "DP", Some("2020-01-02")),
            row(2, "Withheld in Full", "DP", Some("2019-05-06")),
            row(3, "Redacted", "DP", None),
            row(4, "Withheld in Full", "AC", Some("2021-01-01")),
            row(5, "Withheld in Full", "DP", Some("2020-03-04")),
        ];
        let source = || -> RowIter<'_> { Box::new(rows.clone().into_iter().map(Ok)) };
        let settings = LogSettings {
            profile: LogProfile::Categorical,
            ..Default::default()
        };
        let t = gather(&source, &settings).unwrap().log_entries.unwrap();
        let counts: u64 = t
            .rows
            .iter()
            .map(|(_, v)| match v[7] {
                Value::Count(n) => n,
                _ => 0,
            })
            .sum();
        assert_eq!(counts, 5);
        let dp = &t
            .rows
            .iter()
            .find(|(_, v)| v[1].text() == "Withheld in Full" && v[2].text() == "DP")
            .unwrap()
            .1;
        assert_eq!(dp[5].text(), "2019-05-06");
        assert_eq!(dp[6].text(), "2020-03-04");
        assert_eq!(dp[8].text(), "A-000001 \u{2013} A-000002; A-000005");
        assert_eq!(dp[10].text(), "advice 1; advice 0");
        let count = |settings: &LogSettings, part| {
            itemized(&source, settings, part, &BTreeSet::new())
                .rows
                .count()
        };
        let settings = LogSettings {
            redactions: Redactions::Separate,
            ..Default::default()
        };
        assert_eq!(count(&settings, Part::Log), 4);
        assert_eq!(count(&settings, Part::RedactionLog), 1);
        let settings = LogSettings {
            redactions: Redactions::None,
            profile: LogProfile::MetadataOnly,
            ..Default::default()
        };
        assert_eq!(count(&settings, Part::Log), 4);
        assert_eq!(count(&settings, Part::RedactionLog), 0);
        let header = itemized(&source, &settings, Part::Log, &BTreeSet::new()).header;
        assert!(!header.contains(&"DESCRIPTION"));
        assert_eq!(header.len(), PRIVLOG_COLUMNS.len() - 1);
    }
}
