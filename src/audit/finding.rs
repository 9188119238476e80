//! What an audit finds, and the report every renderer (text, JSON, CSV, XLSX,
//! Markdown, HTML) is built from. Field names are stable: they are the JSON
//! schema (`schema_version`).

use serde::Serialize;
use std::collections::BTreeMap;

/// The JSON report's schema version; bump it when a field changes meaning.
pub const SCHEMA_VERSION: u32 = 1;

/// A finding's stable code. The order is the SPEC's table order, which is
/// also the order findings are sorted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Code {
    BatesGap,
    BatesOverlap,
    BatesFormat,
    PageMismatch,
    MissingFile,
    UnindexedFile,
    HashMismatch,
    OptMismatch,
    EmptyCategory,
    UnloggedRedaction,
    LogOrphan,
    LogIncomplete,
    DuplicateProduced,
    UnappliedRedaction,
    /// A load file (index, log, OPT, checksum list) or a produced file that
    /// could not be read in full: the line or cell, and what is wrong.
    ReadError,
    /// An email family whose members are not all there or disagree on it.
    FamilyBroken,
    /// A log entry whose privilege names no recognised privilege.
    LogBasis,
    /// A log entry withheld in full whose document was produced in full.
    LogProduced,
    /// Text still in a PDF under a box or image drawn over it.
    CoveredText,
}

impl Code {
    pub const ALL: [Code; 19] = [
        Code::BatesGap,
        Code::BatesOverlap,
        Code::BatesFormat,
        Code::PageMismatch,
        Code::MissingFile,
        Code::UnindexedFile,
        Code::HashMismatch,
        Code::OptMismatch,
        Code::EmptyCategory,
        Code::UnloggedRedaction,
        Code::LogOrphan,
        Code::LogIncomplete,
        Code::DuplicateProduced,
        Code::UnappliedRedaction,
        Code::ReadError,
        Code::FamilyBroken,
        Code::LogBasis,
        Code::LogProduced,
        Code::CoveredText,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Code::BatesGap => "BATES_GAP",
            Code::BatesOverlap => "BATES_OVERLAP",
            Code::BatesFormat => "BATES_FORMAT",
            Code::PageMismatch => "PAGE_MISMATCH",
            Code::MissingFile => "MISSING_FILE",
            Code::UnindexedFile => "UNINDEXED_FILE",
            Code::HashMismatch => "HASH_MISMATCH",
            Code::OptMismatch => "OPT_MISMATCH",
            Code::EmptyCategory => "EMPTY_CATEGORY",
            Code::UnloggedRedaction => "UNLOGGED_REDACTION",
            Code::LogOrphan => "LOG_ORPHAN",
            Code::LogIncomplete => "LOG_INCOMPLETE",
            Code::DuplicateProduced => "DUPLICATE_PRODUCED",
            Code::UnappliedRedaction => "UNAPPLIED_REDACTION",
            Code::ReadError => "READ_ERROR",
            Code::FamilyBroken => "FAMILY_BROKEN",
            Code::LogBasis => "LOG_BASIS",
            Code::LogProduced => "LOG_PRODUCED",
            Code::CoveredText => "COVERED_TEXT",
        }
    }

    /// One line on what the code means, for report legends.
    pub fn meaning(self) -> &'static str {
        match self {
            Code::BatesGap => "numbers skipped between documents",
            Code::BatesOverlap => "two documents claim the same number",
            Code::BatesFormat => {
                "a number that breaks the volume's pattern, or BEGBATES > ENDBATES"
            }
            Code::PageMismatch => "a PDF's page count differs from its Bates range",
            Code::MissingFile => "an index row whose file is not in the folder",
            Code::UnindexedFile => "a file in the folder that no index row names",
            Code::HashMismatch => "a file whose hash differs from the index or from SHA256SUMS",
            Code::OptMismatch => "the OPT image load file disagrees with the index or the folder",
            Code::EmptyCategory => "a category with no index row of any treatment",
            Code::UnloggedRedaction => {
                "a redacted or withheld document with no privilege-log entry"
            }
            Code::LogOrphan => {
                "a privilege-log entry whose Bates numbers are not in the production"
            }
            Code::LogIncomplete => "a log entry with an empty required field",
            Code::DuplicateProduced => "two rows whose natives or source hashes are identical",
            Code::UnappliedRedaction => {
                "a PDF that still holds redaction annotations not burned in"
            }
            Code::ReadError => "a load file or produced file that could not be read in full",
            Code::FamilyBroken => {
                "a family whose parent or attachments are absent, or whose members disagree on its range"
            }
            Code::LogBasis => "a log entry whose privilege names no recognised privilege",
            Code::LogProduced => "a log entry withheld in full whose document was produced in full",
            Code::CoveredText => "text still present under a redaction box",
        }
    }
}

/// Where in a load file a finding comes from: a line (text files) or a row
/// and cell (spreadsheets).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Location {
    /// Shared by every row of a load file (a location is kept per row).
    pub file: std::sync::Arc<str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<String>,
}

impl Location {
    /// `DATA/VOL001.dat line 7` or `index.xlsx cell C1`.
    pub fn describe(&self) -> String {
        match (&self.cell, self.line) {
            (Some(cell), _) => format!("{} cell {cell}", self.file),
            (None, Some(line)) => format!("{} line {line}", self.file),
            (None, None) => self.file.to_string(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub code: Code,
    /// The volume (or volumes, comma-separated, for cross-volume findings;
    /// empty for findings about the whole set, such as an empty category).
    pub volume: String,
    /// The Bates numbers involved, as written in the production.
    pub bates: Vec<String>,
    /// The files involved, relative to the folder holding the volume.
    pub files: Vec<String>,
    /// One plain sentence.
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// Sort key: the first Bates number's prefix and number (not serialized).
    #[serde(skip)]
    pub order: (String, u64),
}

impl Finding {
    pub fn new(code: Code, volume: impl Into<String>, message: impl Into<String>) -> Finding {
        Finding {
            code,
            volume: volume.into(),
            bates: Vec::new(),
            files: Vec::new(),
            message: message.into(),
            location: None,
            order: (String::new(), 0),
        }
    }

    pub fn bates(mut self, numbers: impl IntoIterator<Item = impl Into<String>>) -> Finding {
        self.bates.extend(numbers.into_iter().map(Into::into));
        if let Some(b) = self
            .bates
            .first()
            .and_then(|b| super::bates::Bates::parse(b))
        {
            self.order = (b.prefix.to_string(), b.number);
        }
        self
    }

    pub fn files(mut self, files: impl IntoIterator<Item = impl Into<String>>) -> Finding {
        self.files.extend(files.into_iter().map(Into::into));
        self
    }

    pub fn at(mut self, location: Location) -> Finding {
        self.location = Some(location);
        self
    }
}

/// Sorts findings the way every report lists them: by code, volume, Bates
/// position, files, then message.
pub fn sort(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        (
            a.code,
            &a.volume,
            &a.order,
            &a.bates,
            &a.files,
            &a.location,
            &a.message,
        )
            .cmp(&(
                b.code,
                &b.volume,
                &b.order,
                &b.bates,
                &b.files,
                &b.location,
                &b.message,
            ))
    });
}

/// A load file the audit read, and how.
#[derive(Debug, Clone, Default, Serialize)]
pub struct LoadFileInfo {
    pub path: String,
    /// `Concordance DAT`, `CSV`, `XLSX`, `XLS`, `ODS`, `Opticon OPT`, `IPRO LFP`,
    /// `Summation DII`, `SHA256SUMS`, `MD5SUMS`.
    pub format: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub qualifier: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub separator: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    /// Data records (rows, entries or lines) read.
    pub records: usize,
    /// How each recognised column was understood: field → header as written.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub columns: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct VolumeReport {
    pub name: String,
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index: Option<LoadFileInfo>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub privilege_log: Option<LoadFileInfo>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub opt: Option<LoadFileInfo>,
    /// Further image cross-references read (an LFP beside the OPT, …).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cross_references: Vec<LoadFileInfo>,
    pub checksums: Vec<LoadFileInfo>,
    /// Index rows that consume Bates numbers.
    pub documents: usize,
    /// Withheld index rows without Bates numbers (log-only).
    pub log_only: usize,
    pub log_entries: usize,
    /// Bates numbers covered by the index (inserted pages not counted).
    pub bates_numbers: u64,
    /// Contiguous runs of numbers, e.g. `ABC-0000001 – ABC-0000250`.
    pub bates_ranges: Vec<String>,
    /// The (prefix, width) patterns the volume's numbers follow, e.g. `ABC-#######`.
    pub patterns: Vec<String>,
    pub files: usize,
    pub bytes: u64,
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CategoryCount {
    pub id: String,
    pub name: String,
    pub produced: usize,
    pub redacted: usize,
    pub withheld: usize,
    /// False for a value found in the index that `--categories` does not list.
    pub listed: bool,
}

impl CategoryCount {
    pub fn total(&self) -> usize {
        self.produced + self.redacted + self.withheld
    }

    /// `3 – Communications with DOJ` or just the id.
    pub fn label(&self) -> String {
        if self.name.is_empty() || self.name == self.id {
            self.id.clone()
        } else {
            format!("{} – {}", self.id, self.name)
        }
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    pub volumes: usize,
    pub documents: usize,
    pub findings: usize,
    /// Finding counts by code, codes with no finding left out.
    pub by_code: BTreeMap<String, usize>,
    pub files_hashed: usize,
    pub bytes_hashed: u64,
    pub elapsed_seconds: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub schema_version: u32,
    pub adrec_version: String,
    pub clean: bool,
    pub summary: Summary,
    pub volumes: Vec<VolumeReport>,
    /// Counts per category (from `--categories`, else the values found).
    pub categories: Vec<CategoryCount>,
    pub findings: Vec<Finding>,
}
