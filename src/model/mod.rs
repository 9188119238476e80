//! Domain types shared by every module: document identity, file kinds,
//! extracted metadata and hidden content, the document and its review, and
//! the decisions a production records. Depends on no other adrec module.

mod document;
pub mod filter;
pub mod view;

pub use document::{
    Decision, Document, Earlier, EarlierDocs, FieldChange, Fingerprint, HistoryEntry, Review,
    SharedNames, Source, Treatment, fingerprint,
};
pub use filter::DocFilter;

use serde::{Deserialize, Serialize};
use std::fmt;

/// A document's control number, `DOC-000001`, or for an e-mail's
/// attachment `DOC-000005.0001` (and `DOC-000005.0002.0001` for an
/// attachment of an attached e-mail). Assigned once, never reused.
///
/// The number is also the storage key. A top-level document is its plain
/// sequence number; a child sets bit 62 and packs its top-level number (26
/// bits) and its position at each of up to three levels (12 bits each), so
/// documents ingested before families existed keep their keys, and a
/// family's members sort together (see `Ord` and [`DocId::ORDER_SQL`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DocId(pub u64);

const CHILD: u64 = 1 << 62;
const LEVEL_BITS: u32 = 12;
const TOP_SHIFT: u32 = LEVEL_BITS * DocId::MAX_DEPTH as u32;
const LEVEL_MASK: u64 = (1 << LEVEL_BITS) - 1;

impl DocId {
    /// How many levels of attachments below a top-level document have
    /// DOCIDs; deeper ones are listed as a problem of their parent.
    pub const MAX_DEPTH: usize = 3;
    /// The most attachments one message gives DOCIDs to.
    pub const MAX_CHILDREN: u32 = (1 << LEVEL_BITS) - 1;
    /// The highest top-level number that can have children.
    pub const MAX_FAMILY_TOP: u64 = (1 << (62 - TOP_SHIFT)) - 1;
    /// `ORDER BY` for the `seq` column that gives DOCID order in SQLite and
    /// PostgreSQL: by top-level number, then the key (a parent before its
    /// children, children by position).
    pub const ORDER_SQL: &'static str =
        "(CASE WHEN seq >= 4611686018427387904 THEN (seq >> 36) & 67108863 ELSE seq END), seq";
    /// Keys below this are top-level documents (for `MAX(seq)`).
    pub const FIRST_CHILD_KEY: u64 = CHILD;

    /// Parses `DOC-000123` or `DOC-000123.0001.0002` (case-insensitive prefix).
    pub fn parse(text: &str) -> Option<DocId> {
        let text = text.trim();
        let rest = text
            .get(..4)
            .filter(|p| p.eq_ignore_ascii_case("DOC-"))
            .map(|_| &text[4..])?;
        let mut parts = rest.split('.');
        let digits = |part: &str| -> Option<u64> {
            if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            part.parse().ok()
        };
        let mut id = DocId(digits(parts.next()?)?);
        if id.0 >= CHILD {
            return None;
        }
        for part in parts {
            id = id.child(u32::try_from(digits(part)?).ok()?)?;
        }
        Some(id)
    }

    /// The `n`th (1-based) attachment of this document, if it can have a
    /// DOCID (see [`DocId::MAX_DEPTH`] and [`DocId::MAX_CHILDREN`]).
    pub fn child(self, n: u32) -> Option<DocId> {
        if n == 0 || n > Self::MAX_CHILDREN {
            return None;
        }
        let depth = self.depth();
        if depth >= Self::MAX_DEPTH {
            return None;
        }
        let top = self.top().0;
        if top > Self::MAX_FAMILY_TOP {
            return None;
        }
        let shift = LEVEL_BITS * (Self::MAX_DEPTH - depth - 1) as u32;
        let base = if depth == 0 {
            CHILD | top << TOP_SHIFT
        } else {
            self.0
        };
        Some(DocId(base | u64::from(n) << shift))
    }

    /// Whether this is an attachment (a child document).
    pub fn is_child(self) -> bool {
        self.0 & CHILD != 0
    }

    /// The family's top-level document (itself for a top-level document).
    pub fn top(self) -> DocId {
        if self.is_child() {
            DocId((self.0 & !CHILD) >> TOP_SHIFT)
        } else {
            self
        }
    }

    /// The positions below the top-level document, outermost first.
    pub fn path(self) -> Vec<u32> {
        if !self.is_child() {
            return Vec::new();
        }
        (0..Self::MAX_DEPTH)
            .map(|level| {
                let shift = LEVEL_BITS * (Self::MAX_DEPTH - level - 1) as u32;
                ((self.0 >> shift) & LEVEL_MASK) as u32
            })
            .take_while(|&n| n != 0)
            .collect()
    }

    /// 0 for a top-level document, 1 for its attachments, and so on.
    pub fn depth(self) -> usize {
        self.path().len()
    }

    /// The immediate parent of an attachment.
    pub fn parent(self) -> Option<DocId> {
        let path = self.path();
        let (_, above) = path.split_last()?;
        above.iter().try_fold(self.top(), |id, &n| id.child(n))
    }

    /// The storage keys of every attachment in this document's family:
    /// `lo..hi` (a top-level document's own key is outside it).
    pub fn family_keys(self) -> std::ops::Range<u64> {
        let top = self.top().0;
        let lo = CHILD | top << TOP_SHIFT;
        lo..lo + (1 << TOP_SHIFT)
    }

    /// The storage keys of the families whose top-level numbers are in
    /// `tops`: the top-level keys, then every attachment's, as inclusive
    /// bounds (the last family's upper key is 2^63 - 1 at most, as a signed
    /// 64-bit column holds it).
    pub fn families_keys(tops: std::ops::Range<u64>) -> [(u64, u64); 2] {
        const NONE: (u64, u64) = (1, 0);
        // A family with attachments has a top-level number of 26 bits.
        const MAX_PARENT: u64 = (1 << (62 - TOP_SHIFT)) - 1;
        if tops.is_empty() || tops.start >= CHILD {
            return [NONE, NONE];
        }
        let tops_keys = (tops.start, (tops.end - 1).min(CHILD - 1));
        if tops.start > MAX_PARENT {
            return [tops_keys, NONE];
        }
        let last = (tops.end - 1).min(MAX_PARENT);
        let lo = CHILD | tops.start << TOP_SHIFT;
        let hi = (CHILD | last << TOP_SHIFT) + ((1 << TOP_SHIFT) - 1);
        [tops_keys, (lo, hi)]
    }

    /// The key DOCID order sorts by.
    fn order_key(self) -> (u64, u64) {
        (self.top().0, self.0)
    }
}

impl Ord for DocId {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.order_key().cmp(&other.order_key())
    }
}

impl PartialOrd for DocId {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for DocId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DOC-{:06}", self.top().0)?;
        for n in self.path() {
            write!(f, ".{n:04}")?;
        }
        Ok(())
    }
}

impl Serialize for DocId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for DocId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<DocId, D::Error> {
        let text = std::borrow::Cow::<str>::deserialize(d)?;
        DocId::parse(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("not a DOCID: {text:?}")))
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
    fn families_keys_stay_within_a_signed_64_bit_column() {
        for tops in [
            0..1,
            5..9,
            0..(1 << 26),
            ((1 << 26) - 1)..(1 << 26),
            0..u64::MAX,
        ] {
            for (lo, hi) in DocId::families_keys(tops.clone()) {
                assert!(lo <= hi && hi <= i64::MAX as u64, "{tops:?}: {lo}..={hi}");
            }
        }
        // An empty range matches no key.
        let [(a, b), (c, d)] = DocId::families_keys(7..7);
        assert!(a > b && c > d);
        let [(a, b), (c, d)] = DocId::families_keys(5..9);
        assert_eq!((a, b), (5, 8));
        let child = DocId(8).child(3).unwrap();
        assert!((c..=d).contains(&child.0));
        assert!(!(c..=d).contains(&DocId(9).child(1).unwrap().0));
        assert!(!(c..=d).contains(&DocId(4).child(1).unwrap().0));
    }

    #[test]
    fn docid_round_trips() {
        assert_eq!(DocId(42).to_string(), "DOC-000042");
        assert_eq!(DocId::parse("doc-000042"), Some(DocId(42)));
        assert_eq!(DocId::parse("DOC-1234567"), Some(DocId(1234567)));
    }

    #[test]
    fn attachments_number_below_their_parent_and_sort_right_after_it() {
        let email = DocId(5);
        let first = email.child(1).unwrap();
        let second = email.child(2).unwrap();
        let nested = second.child(1).unwrap();
        assert_eq!(first.to_string(), "DOC-000005.0001");
        assert_eq!(nested.to_string(), "DOC-000005.0002.0001");
        for id in [email, first, second, nested] {
            assert_eq!(DocId::parse(&id.to_string()), Some(id));
            assert_eq!(id.top(), email);
        }
        assert_eq!(nested.parent(), Some(second));
        assert_eq!(second.parent(), Some(email));
        assert_eq!(email.parent(), None);
        assert_eq!(nested.path(), vec![2, 1]);
        let mut ids = vec![DocId(6), nested, second, DocId(4), first, email];
        ids.sort();
        assert_eq!(ids, vec![DocId(4), email, first, second, nested, DocId(6)]);
        // Depth and count limits: no DOCID rather than a wrong one.
        assert_eq!(nested.child(3).unwrap().child(1), None);
        assert_eq!(email.child(0), None);
        assert_eq!(email.child(DocId::MAX_CHILDREN + 1), None);
        assert_eq!(DocId::parse("DOC-000005.0000"), None);
        assert_eq!(DocId::parse("DOC-000005."), None);
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
