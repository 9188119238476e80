//! One document: the facts ingest found in its file (`Source`) plus the
//! reviewers' decisions (`Review`). Every other view (JSON, CSV, history) is
//! derived from these two.

use super::{DocId, FileKind, Hidden, Metadata, Status};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use std::sync::Arc;

/// What ingest found in one file: where it is, its hashes, type, pages,
/// metadata and hidden content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// The canonical absolute path: the file's identity for re-ingest.
    pub source_path: String,
    /// The PATH given to `ingest` that this file was found under.
    pub ingest_root: String,
    /// The path relative to `ingest_root`, `/`-separated (FILENAME, display).
    pub rel_path: String,
    pub custodian: String,
    pub size: u64,
    pub mtime_ns: i64,
    pub sha256: String,
    pub md5: String,
    pub kind: FileKind,
    pub type_name: String,
    pub page_count: Option<u64>,
    /// Why the file could not be parsed (it is still a document).
    pub problem: Option<String>,
    /// How a damaged file was repaired in memory.
    pub repaired: Option<String>,
    pub metadata: Metadata,
    pub hidden: Vec<Hidden>,
    /// The first document with the same bytes, when this one is a copy.
    pub duplicate_of: Option<DocId>,
}

impl Source {
    /// The source's own file name (the last part of its relative path).
    pub fn file_name(&self) -> &str {
        self.rel_path.rsplit('/').next().unwrap_or(&self.rel_path)
    }
}

/// A reviewer's decisions on one document. `None` overrides mean "use what
/// ingest extracted".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Review {
    pub status: Status,
    pub categories: Vec<String>,
    pub privileges: Vec<String>,
    pub description: Option<String>,
    pub confidentiality: Option<String>,
    pub redacted_sha256: Option<String>,
    pub redacted_pages: Option<u64>,
    pub as_native: bool,
    pub hidden_reviewed: bool,
    pub doc_date: Option<String>,
    pub doc_type: Option<String>,
    pub author: Option<String>,
    pub recipients: Option<String>,
    pub title: Option<String>,
    pub filename: Option<String>,
    pub first_reviewed_at: Option<String>,
}

/// A document as the matter holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub id: DocId,
    pub source: Source,
    pub review: Review,
    pub ingested_at: String,
    pub updated_at: String,
}

impl Document {
    /// The source's own file name (the last part of its relative path).
    pub fn file_name(&self) -> &str {
        self.source.file_name()
    }
}

/// One entry of a document's history: who changed which field, when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HistoryEntry {
    pub at: String,
    pub actor: String,
    pub field: String,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
}

/// One field's change, as history records it (values as text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    pub field: &'static str,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// How a document goes out. One owner for the names every file uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Treatment {
    Produced,
    Redacted,
    Withheld,
}

impl Treatment {
    /// The index's and DAT's TREATMENT value.
    pub fn label(self) -> &'static str {
        match self {
            Treatment::Produced => "Produced",
            Treatment::Redacted => "Redacted",
            Treatment::Withheld => "Withheld",
        }
    }

    /// The privilege log's TREATMENT value.
    pub fn log_label(self) -> &'static str {
        match self {
            Treatment::Withheld => "Withheld in Full",
            other => other.label(),
        }
    }

    /// Reads either label back (case-insensitive; `Withheld in Full` is `Withheld`).
    pub fn parse(text: &str) -> Option<Treatment> {
        let t = text.trim().to_ascii_lowercase();
        Some(match t.as_str() {
            "produced" => Treatment::Produced,
            "redacted" => Treatment::Redacted,
            "withheld" | "withheld in full" => Treatment::Withheld,
            _ => return None,
        })
    }
}

/// What a reviewer decided, as copies of one file must agree on it. Stored
/// with every produced document so later volumes compare against it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    pub status: String,
    pub privileges: Vec<String>,
    pub description: String,
    pub redacted_sha256: String,
    pub confidentiality: String,
}

impl Decision {
    /// The decision hashed: copies of one file agree when theirs are equal.
    pub fn fingerprint(&self) -> Fingerprint {
        let privileges = self.privileges.join("\u{1f}");
        fingerprint(&[
            self.status.as_bytes(),
            privileges.as_bytes(),
            self.description.as_bytes(),
            self.redacted_sha256.as_bytes(),
            self.confidentiality.as_bytes(),
        ])
    }
}

/// A dedupe key or a decision, hashed: 128 bits of SHA-256 compare exactly
/// enough for a matter of any size and take 16 bytes, not the key's 70.
pub type Fingerprint = [u8; 16];

pub fn fingerprint(parts: &[&[u8]]) -> Fingerprint {
    let mut sha = Sha256::new();
    for part in parts {
        // Length-prefixed, so ("ab", "c") and ("a", "bc") differ.
        sha.update((part.len() as u64).to_le_bytes());
        sha.update(part);
    }
    let digest = sha.finalize();
    let mut out = [0; 16];
    out.copy_from_slice(&digest[..16]);
    out
}

/// A document produced in an earlier volume, as far as planning needs it.
/// Every produced document of the matter has one while a volume is
/// planned, so it is kept small: names shared, the decision hashed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Earlier {
    /// The volume's name, shared by its documents.
    pub volume: Arc<str>,
    pub sha256: String,
    /// Shared by the custodian's documents.
    pub custodian: Arc<str>,
    /// The decision it went out under ([`Decision::fingerprint`]): planning
    /// only compares it with its copies'.
    pub decision: Fingerprint,
    /// The document that represents it (itself, unless it was a duplicate).
    pub represented_by: DocId,
}

/// Every document already in a volume, as planning needs it, in DOCID
/// order: a sorted list rather than a hash map, so a matter of a million
/// produced documents takes what they hold and no room to spare.
#[derive(Debug, Clone, Default)]
pub struct EarlierDocs(Vec<(DocId, Earlier)>);

impl EarlierDocs {
    pub fn get(&self, id: &DocId) -> Option<&Earlier> {
        let at = self.0.binary_search_by(|(k, _)| k.cmp(id)).ok()?;
        Some(&self.0[at].1)
    }

    pub fn contains_key(&self, id: &DocId) -> bool {
        self.get(id).is_some()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// In DOCID order.
    pub fn iter(&self) -> impl Iterator<Item = (&DocId, &Earlier)> {
        self.0.iter().map(|(id, e)| (id, e))
    }

    /// Adds a document, or replaces what is kept of it.
    pub fn insert(&mut self, id: DocId, earlier: Earlier) {
        match self.0.binary_search_by(|(k, _)| k.cmp(&id)) {
            Ok(at) => self.0[at].1 = earlier,
            Err(at) => self.0.insert(at, (id, earlier)),
        }
    }
}

/// As a map is collected: a document listed twice keeps its last entry.
impl FromIterator<(DocId, Earlier)> for EarlierDocs {
    fn from_iter<I: IntoIterator<Item = (DocId, Earlier)>>(entries: I) -> Self {
        let mut all: Vec<(DocId, Earlier)> = entries.into_iter().collect();
        // Stable, so of equal DOCIDs the last listed is last; kept in place
        // (a second list of a million would be held beside the first).
        all.sort_by_key(|(id, _)| *id);
        all.dedup_by(|later, kept| {
            let same = later.0 == kept.0;
            if same {
                std::mem::swap(later, kept);
            }
            same
        });
        all.shrink_to_fit();
        EarlierDocs(all)
    }
}

/// One copy of each name (a volume's, a custodian's), however many
/// documents carry it.
#[derive(Default)]
pub struct SharedNames(HashSet<Arc<str>>);

impl SharedNames {
    pub fn get(&mut self, name: &str) -> Arc<str> {
        if let Some(shared) = self.0.get(name) {
            return shared.clone();
        }
        let shared: Arc<str> = Arc::from(name);
        self.0.insert(shared.clone());
        shared
    }
}

/// A reviewed PDF of one page at `a.pdf`, for tests to change what they look at.
#[cfg(test)]
impl Document {
    pub fn for_tests(review: Review) -> Document {
        Document {
            id: DocId(1),
            source: Source {
                source_path: String::new(),
                ingest_root: String::new(),
                rel_path: "a.pdf".into(),
                custodian: String::new(),
                size: 0,
                mtime_ns: 0,
                sha256: String::new(),
                md5: String::new(),
                kind: FileKind::Pdf,
                type_name: "pdf".into(),
                page_count: Some(1),
                problem: None,
                repaired: None,
                metadata: Metadata::default(),
                hidden: Vec::new(),
                duplicate_of: None,
            },
            review,
            ingested_at: String::new(),
            updated_at: String::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn treatment_labels_read_back() {
        for t in [
            Treatment::Produced,
            Treatment::Redacted,
            Treatment::Withheld,
        ] {
            assert_eq!(Treatment::parse(t.label()), Some(t));
            assert_eq!(Treatment::parse(t.log_label()), Some(t));
        }
        assert_eq!(Treatment::Withheld.log_label(), "Withheld in Full");
        assert_eq!(
            Treatment::parse(" withheld IN full "),
            Some(Treatment::Withheld)
        );
        assert_eq!(Treatment::parse("Duplicate"), None);
    }

    #[test]
    fn earlier_documents_are_found_by_docid_and_a_later_entry_replaces_an_earlier() {
        let earlier = |volume: &str| Earlier {
            volume: volume.into(),
            sha256: "aa".into(),
            custodian: "".into(),
            decision: [0; 16],
            represented_by: DocId(1),
        };
        let child = DocId(3).child(1).unwrap();
        let mut docs: EarlierDocs = [
            (DocId(9), earlier("VOL002")),
            (child, earlier("VOL001")),
            (DocId(3), earlier("VOL001")),
            (DocId(9), earlier("VOL003")),
        ]
        .into_iter()
        .collect();
        let order: Vec<DocId> = docs.iter().map(|(id, _)| *id).collect();
        assert_eq!(order, [DocId(3), child, DocId(9)], "DOCID order, once each");
        assert_eq!(&*docs.get(&DocId(9)).unwrap().volume, "VOL003");
        assert!(docs.contains_key(&child));
        assert!(!docs.contains_key(&DocId(4)));
        docs.insert(DocId(4), earlier("VOL004"));
        docs.insert(DocId(3), earlier("VOL005"));
        assert_eq!(docs.len(), 4);
        assert_eq!(&*docs.get(&DocId(4)).unwrap().volume, "VOL004");
        assert_eq!(&*docs.get(&DocId(3)).unwrap().volume, "VOL005");
        assert!(docs.contains_key(&child));
    }

    #[test]
    fn file_name_is_the_last_path_part() {
        let s = Source {
            source_path: "/x/a/b.pdf".into(),
            ingest_root: "/x".into(),
            rel_path: "a/b.pdf".into(),
            page_count: None,
            ..Document::for_tests(Review::default()).source
        };
        assert_eq!(s.file_name(), "b.pdf");
    }
}
