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
use std::collections::{BTreeMap, BTreeSet, HashMap};

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
    pub rows: Vec<(String, Vec<Value>)>,
}

/// The files a privilege log is written as.
#[derive(Debug, Clone, Default)]
pub struct LogTables {
    pub log: Table,
    /// `redactions = "separate"`: the redaction log beside the log.
    pub redaction_log: Option<Table>,
    /// `names_legend = true`.
    pub legend: Option<Table>,
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

/// Builds the log, the redaction log and the legend from the frozen rows.
pub fn build(rows: &[PrivLogRow], settings: &LogSettings) -> LogTables {
    let redacted = |r: &&PrivLogRow| r.treatment == "Redacted";
    let (main, separate): (Vec<&PrivLogRow>, Vec<&PrivLogRow>) = match settings.redactions {
        Redactions::Main => (rows.iter().collect(), Vec::new()),
        Redactions::Separate => rows.iter().partition(|r| !redacted(r)),
        Redactions::None => (rows.iter().filter(|r| !redacted(r)).collect(), Vec::new()),
    };
    let attorneys: BTreeSet<String> = if settings.names_legend {
        settings
            .persons
            .iter()
            .filter(|(_, _, attorney)| *attorney)
            .map(|(name, _, _)| name.to_lowercase())
            .collect()
    } else {
        BTreeSet::new()
    };
    let table = |rows: &[&PrivLogRow]| match settings.profile {
        LogProfile::Categorical => categorical(rows),
        profile => itemized(rows, profile == LogProfile::MetadataOnly, &attorneys),
    };
    let legend = settings
        .names_legend
        .then(|| legend(main.iter().chain(&separate).copied(), &settings.persons));
    LogTables {
        log: table(&main),
        redaction_log: (settings.redactions == Redactions::Separate).then(|| table(&separate)),
        legend,
    }
}

fn itemized(
    rows: &[&PrivLogRow],
    without_description: bool,
    attorneys: &BTreeSet<String>,
) -> Table {
    let keep = |column: &&str| !(without_description && *column == "DESCRIPTION");
    let header: Vec<&'static str> = PRIVLOG_COLUMNS.iter().copied().filter(keep).collect();
    let rows = rows
        .iter()
        .map(|row| {
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
            (row.control_id.clone(), values)
        })
        .collect();
    Table { header, rows }
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

fn legend<'a>(
    rows: impl Iterator<Item = &'a PrivLogRow>,
    persons: &[(String, String, bool)],
) -> Table {
    // name (lower case) -> (name as first written, as author, as recipient)
    let mut seen: BTreeMap<String, (String, u64, u64)> = BTreeMap::new();
    for row in rows {
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

/// One categorical entry's documents.
#[derive(Default)]
struct Group<'a> {
    rows: Vec<&'a PrivLogRow>,
}

/// One row per treatment × privilege × category × document type, with the
/// dates its documents span, their count, Bates ranges and LOG_IDs, and the
/// reviewers' distinct descriptions.
fn categorical(rows: &[&PrivLogRow]) -> Table {
    let mut groups: BTreeMap<(String, String, String, String), Group<'_>> = BTreeMap::new();
    for row in rows {
        let key = (
            row.treatment.clone(),
            row.privilege.clone(),
            row.category.clone(),
            row.doc_type.clone(),
        );
        groups.entry(key).or_default().rows.push(row);
    }
    let rows = groups
        .into_iter()
        .enumerate()
        .map(|(i, ((treatment, privilege, category, doc_type), group))| {
            let entry = format!("CAT-{:04}", i + 1);
            let dates: Vec<&String> = group
                .rows
                .iter()
                .filter_map(|r| r.doc_date.as_ref())
                .collect();
            let undated = dates.len() < group.rows.len();
            // An undated document makes the range open: its end shows `Undated`.
            let from = dates.iter().min().map(|d| (*d).clone());
            let to = if undated {
                None
            } else {
                dates.iter().max().map(|d| (*d).clone())
            };
            let mut bates: Vec<(&str, &str)> = group
                .rows
                .iter()
                .filter(|r| !r.begbates.is_empty())
                .map(|r| (r.begbates.as_str(), r.endbates.as_str()))
                .collect();
            bates.sort_by(|a, b| number_order(a.0, b.0));
            let mut log_ids: Vec<(&str, &str)> = group
                .rows
                .iter()
                .map(|r| (r.log_id.as_str(), r.log_id.as_str()))
                .collect();
            log_ids.sort_by(|a, b| number_order(a.0, b.0));
            let mut descriptions: Vec<&str> = Vec::new();
            for r in &group.rows {
                if !r.description.is_empty() && !descriptions.contains(&r.description.as_str()) {
                    descriptions.push(&r.description);
                }
            }
            let values = vec![
                Value::Text(entry.clone()),
                Value::Text(treatment),
                Value::Text(privilege),
                Value::Text(category),
                Value::Text(doc_type),
                Value::Date(from),
                Value::Date(to),
                Value::Count(group.rows.len() as u64),
                Value::Text(merge_ranges(&bates)),
                Value::Text(merge_ranges(&log_ids)),
                Value::Text(descriptions.join("; ")),
            ];
            (entry, values)
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
    fn categorical_counts_add_up_and_redactions_go_where_asked() {
        let rows = vec![
            row(1, "Withheld in Full", "DP", Some("2020-01-02")),
            row(2, "Withheld in Full", "DP", Some("2019-05-06")),
            row(3, "Redacted", "DP", None),
            row(4, "Withheld in Full", "AC", Some("2021-01-01")),
            row(5, "Withheld in Full", "DP", Some("2020-03-04")),
        ];
        let settings = LogSettings {
            profile: LogProfile::Categorical,
            ..Default::default()
        };
        let t = build(&rows, &settings);
        let counts: u64 = t
            .log
            .rows
            .iter()
            .map(|(_, v)| match v[7] {
                Value::Count(n) => n,
                _ => 0,
            })
            .sum();
        assert_eq!(counts, 5);
        let dp = &t
            .log
            .rows
            .iter()
            .find(|(_, v)| v[1].text() == "Withheld in Full" && v[2].text() == "DP")
            .unwrap()
            .1;
        assert_eq!(dp[5].text(), "2019-05-06");
        assert_eq!(dp[6].text(), "2020-03-04");
        assert_eq!(dp[8].text(), "A-000001 \u{2013} A-000002; A-000005");
        assert_eq!(dp[10].text(), "advice 1; advice 0");
        let settings = LogSettings {
            redactions: Redactions::Separate,
            ..Default::default()
        };
        let t = build(&rows, &settings);
        assert_eq!(t.log.rows.len(), 4);
        assert_eq!(t.redaction_log.unwrap().rows.len(), 1);
        let settings = LogSettings {
            redactions: Redactions::None,
            profile: LogProfile::MetadataOnly,
            ..Default::default()
        };
        let t = build(&rows, &settings);
        assert_eq!(t.log.rows.len(), 4);
        assert!(!t.log.header.contains(&"DESCRIPTION"));
        assert_eq!(t.log.header.len(), PRIVLOG_COLUMNS.len() - 1);
    }
}
