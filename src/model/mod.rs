//! Domain types shared by every module: document identity, file kinds,
//! extracted metadata and hidden content, the document and its review, and
//! the decisions a production records. Depends on no other adrec module.

mod document;
pub mod filter;
pub mod view;

pub use document::{
    Decision, Document, Earlier, FieldChange, HistoryEntry, Review, Source, Treatment,
};
pub use filter::DocFilter;

use serde::{Deserialize, Serialize};
use std::fmt;

/// A document's control number, `DOC-000001`. Assigned once, never reused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DocId(pub u64);

impl DocId {
    /// Parses `DOC-000123` (case-insensitive prefix, any number of digits).
    pub fn parse(text: &str) -> Option<DocId> {
        let text = text.trim();
        let digits = text
            .get(..4)
            .filter(|p| p.eq_ignore_ascii_case("DOC-"))
            .map(|_| &text[4..])?;
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        digits.parse().ok().map(DocId)
    }
}

impl fmt::Display for DocId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DOC-{:06}", self.0)
    }
}

impl Serialize for DocId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// What a file is, decided by its content (extension as fallback).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FileKind {
    Pdf,
    Email,
    Docx,
    Xlsx,
    Pptx,
    Other,
}

impl FileKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FileKind::Pdf => "pdf",
            FileKind::Email => "email",
            FileKind::Docx => "docx",
            FileKind::Xlsx => "xlsx",
            FileKind::Pptx => "pptx",
            FileKind::Other => "other",
        }
    }

    pub fn parse(text: &str) -> FileKind {
        match text {
            "pdf" => FileKind::Pdf,
            "email" => FileKind::Email,
            "docx" => FileKind::Docx,
            "xlsx" => FileKind::Xlsx,
            "pptx" => FileKind::Pptx,
            _ => FileKind::Other,
        }
    }
}

/// Kinds of content a reader may not see but that would go out with the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HiddenKind {
    TrackedChanges,
    Comments,
    HiddenSheets,
    HiddenRowsColumns,
    SpeakerNotes,
    EmbeddedObjects,
    Annotations,
    FormFields,
    EmbeddedFiles,
    Layers,
}

impl HiddenKind {
    pub fn label(self) -> &'static str {
        match self {
            HiddenKind::TrackedChanges => "tracked changes",
            HiddenKind::Comments => "comments",
            HiddenKind::HiddenSheets => "hidden sheets",
            HiddenKind::HiddenRowsColumns => "hidden rows or columns",
            HiddenKind::SpeakerNotes => "speaker notes",
            HiddenKind::EmbeddedObjects => "embedded objects",
            HiddenKind::Annotations => "annotations (comments)",
            HiddenKind::FormFields => "form fields",
            HiddenKind::EmbeddedFiles => "embedded files",
            HiddenKind::Layers => "optional-content layers",
        }
    }
}

/// One piece of hidden content found at ingest, with a detail for reviewers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hidden {
    pub kind: HiddenKind,
    pub detail: String,
}

/// Metadata extracted from a file's content. Which fields are filled depends
/// on the file kind; dates are calendar dates in the source's own UTC offset.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Metadata {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// Creation date (PDF CreationDate, Office created), `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
    /// E-mail `Date:` as a calendar date, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// The header or property exactly as found, for `show`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_raw: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub to: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cc: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bcc: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<String>,
    /// Facts a reviewer should know (owner-password encryption, a wrong page
    /// count in the file, an in-memory repair).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

impl Metadata {
    /// RECIPIENTS as the index writes it: `To: a; b | Cc: c | Bcc: d`.
    pub fn recipients(&self) -> String {
        [("To", &self.to), ("Cc", &self.cc), ("Bcc", &self.bcc)]
            .iter()
            .filter(|(_, list)| !list.is_empty())
            .map(|(label, list)| format!("{label}: {}", list.join("; ")))
            .collect::<Vec<_>>()
            .join(" | ")
    }
}

/// Everything a reader learned from one file's bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extracted {
    pub kind: FileKind,
    /// A short type name for display: `pdf`, `email`, `docx`, `png`, `html`, …
    pub type_name: String,
    pub pages: Option<u64>,
    pub metadata: Metadata,
    pub hidden: Vec<Hidden>,
    /// Why the file could not be understood (it is still a document).
    pub problem: Option<String>,
    /// How a damaged file was repaired in memory.
    pub repaired: Option<String>,
}

/// A reviewer's decision on a document.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    #[default]
    Unreviewed,
    NotResponsive,
    Produce,
    Redact,
    Withhold,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Unreviewed => "unreviewed",
            Status::NotResponsive => "not-responsive",
            Status::Produce => "produce",
            Status::Redact => "redact",
            Status::Withhold => "withhold",
        }
    }

    pub fn parse(text: &str) -> Option<Status> {
        Some(match text.trim().to_ascii_lowercase().as_str() {
            "unreviewed" => Status::Unreviewed,
            "not-responsive" | "not responsive" | "nonresponsive" => Status::NotResponsive,
            "produce" => Status::Produce,
            "redact" => Status::Redact,
            "withhold" => Status::Withhold,
            _ => return None,
        })
    }

    pub const ALL: [Status; 5] = [
        Status::Unreviewed,
        Status::NotResponsive,
        Status::Produce,
        Status::Redact,
        Status::Withhold,
    ];
}

/// Lower-case hex SHA-256 of some bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex(&sha2::Sha256::digest(bytes))
}

/// Lower-case hex of a digest.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[(b >> 4) as usize] as char);
        out.push(DIGITS[(b & 15) as usize] as char);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docid_round_trips() {
        assert_eq!(DocId(42).to_string(), "DOC-000042");
        assert_eq!(DocId::parse("doc-000042"), Some(DocId(42)));
        assert_eq!(DocId::parse("DOC-1234567"), Some(DocId(1234567)));
        assert_eq!(DocId::parse("DOC-"), None);
        assert_eq!(DocId::parse("DOC-12a"), None);
        assert_eq!(DocId::parse("X"), None);
    }

    #[test]
    fn recipients_omit_empty_groups() {
        let m = Metadata {
            to: vec!["a".into(), "b".into()],
            bcc: vec!["d".into()],
            ..Default::default()
        };
        assert_eq!(m.recipients(), "To: a; b | Bcc: d");
        assert_eq!(Metadata::default().recipients(), "");
    }
}
