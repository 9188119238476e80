//! The storage interface: everything the commands ask of the matter's
//! database. Commands see this trait, never the database crate, SQL text or
//! its error types. The embedded SQLite file implements it (`sqlite/`); a
//! shared server can implement it too.
//!
//! Each method that changes something is one transaction: it applies all of
//! its batch or none of it, and a reader never sees half of it. No
//! connection or transaction object leaves an implementation.

use crate::error::Error;
use crate::model::{Decision, DocId, Document, Earlier, FieldChange, HistoryEntry, Review, Source};
use std::collections::{HashMap, HashSet};

/// The matter's state, behind one interface.
pub trait Store: Send {
    /// A short name for messages: `sqlite`, `postgres`.
    fn backend(&self) -> &'static str;

    // --- documents ---------------------------------------------------------

    /// The highest DOCID number ever assigned (0 when none).
    fn max_doc_seq(&self) -> Result<u64, Error>;
    /// Every known source path, for re-ingest checks without per-file queries.
    fn known_files(&self) -> Result<HashMap<String, KnownFile>, Error>;
    /// The first (lowest DOCID) document holding each SHA-256.
    fn first_by_sha256(&self) -> Result<HashMap<String, DocId>, Error>;
    /// Writes everything one ingest found, all or nothing.
    fn apply_ingest(&mut self, batch: &IngestBatch) -> Result<(), Error>;
    /// Every document in DOCID order.
    fn documents(&self) -> Result<Vec<Document>, Error>;
    fn document(&self, id: DocId) -> Result<Option<Document>, Error>;

    // --- review ------------------------------------------------------------

    /// The text of every note, per document (to skip a note already there).
    fn note_texts(&self) -> Result<HashMap<DocId, HashSet<String>>, Error>;
    /// Writes reviewers' changes, their history and notes, all or nothing.
    fn apply_review(&mut self, at: &str, updates: &[ReviewUpdate]) -> Result<(), Error>;
    /// One document's history, oldest first.
    fn history(&self, id: DocId) -> Result<Vec<HistoryEntry>, Error>;

    // --- volumes -----------------------------------------------------------

    /// Documents already in a volume (produced, withheld, or represented by a copy).
    fn produced_docs(&self) -> Result<HashSet<DocId>, Error>;
    /// The Bates settings frozen by the first production, if any.
    fn bates_settings(&self) -> Result<Option<BatesSettings>, Error>;
    /// The highest Bates number ever issued in this matter.
    fn highest_bates(&self) -> Result<Option<u64>, Error>;
    /// The next privilege-log number (`PRIV-000001` is 1).
    fn next_log_id(&self) -> Result<u64, Error>;
    /// Volumes in the order they were produced.
    fn volumes(&self) -> Result<Vec<VolumeInfo>, Error>;
    /// Documents already in a volume, with what planning compares against.
    fn earlier(&self) -> Result<HashMap<DocId, Earlier>, Error>;
    /// Records a produced volume: numbers, documents and rows, all or nothing.
    /// Refuses (and records nothing) when the volume's name is taken or its
    /// first number is not above every number already issued: a Bates number
    /// is never issued twice, whatever ran in between.
    fn record_volume(&mut self, v: &VolumeRecord) -> Result<(), Error>;
    /// Frozen rows of one volume (or all, in volume order), as stored JSON.
    fn volume_rows(&self, volume: Option<&str>, kind: RowKind) -> Result<Vec<String>, Error>;
}

/// What ingest needs to know about a path it has seen before.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownFile {
    pub id: DocId,
    pub size: u64,
    pub mtime_ns: i64,
    pub sha256: String,
}

/// A document ingest writes: new, or replacing a changed source's facts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDocument {
    pub id: DocId,
    pub source: Source,
}

/// A file whose bytes could not be read: no DOCID, retried next time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub source_path: String,
    pub ingest_root: String,
    pub rel_path: String,
    pub reason: String,
}

/// All changes ingest makes, written in one transaction.
#[derive(Debug, Default, Clone)]
pub struct IngestBatch {
    pub new: Vec<NewDocument>,
    pub updated: Vec<NewDocument>,
    /// (document, new mtime): same size and content, only the mtime moved.
    pub touched: Vec<(DocId, i64)>,
    pub failures: Vec<Failure>,
    /// Source paths now ingested, whose earlier failures are cleared.
    pub recovered: Vec<String>,
    pub actor: String,
}

/// A reviewer's change to one document: its whole new review, the fields
/// that changed (for history) and a note to add.
#[derive(Debug, Clone)]
pub struct ReviewUpdate {
    pub id: DocId,
    pub actor: String,
    pub review: Review,
    pub categories_changed: bool,
    pub privileges_changed: bool,
    pub changes: Vec<FieldChange>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatesSettings {
    pub prefix: String,
    pub width: u32,
    pub start: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct VolumeInfo {
    pub name: String,
    pub title: String,
    pub date: String,
    pub first_bates: Option<u64>,
    pub last_bates: Option<u64>,
}

/// One document's line in a volume's record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VolumeDocument {
    pub id: DocId,
    pub treatment: String,
    pub beg: Option<u64>,
    pub end: Option<u64>,
    pub log_id: Option<u64>,
    pub represented_by: Option<DocId>,
    pub produced_sha256: Option<String>,
    pub decision: Decision,
}

/// Everything a produced volume records, in one transaction.
#[derive(Debug, Clone)]
pub struct VolumeRecord {
    pub name: String,
    pub title: String,
    pub date: String,
    pub first_bates: Option<u64>,
    pub last_bates: Option<u64>,
    pub settings: BatesSettings,
    pub documents: Vec<VolumeDocument>,
    pub index_rows: Vec<String>,
    pub privlog_rows: Vec<String>,
}

/// Which frozen rows: the production index or the privilege log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowKind {
    Index,
    Privlog,
}

impl RowKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RowKind::Index => "index",
            RowKind::Privlog => "privlog",
        }
    }
}

/// Why a volume cannot be recorded, given what the store already holds: its
/// name is taken, or its numbers do not start above every number issued.
/// Every implementation checks this inside the transaction that records.
pub fn issue_conflict(v: &VolumeRecord, name_taken: bool, highest: Option<u64>) -> Option<Error> {
    if name_taken {
        return Some(
            Error::input(format!("volume {} already exists in this matter", v.name))
                .hint("choose a new name, e.g. the next number; volumes are never replaced"),
        );
    }
    match (v.first_bates, highest) {
        (Some(first), Some(high)) if first <= high => Some(
            Error::internal(format!(
                "volume {} would issue Bates numbers from {first}, but numbers up to {high} were issued meanwhile; nothing was recorded",
                v.name
            ))
            .hint("another production finished first; run `adrec produce` again to number after it"),
        ),
        _ => None,
    }
}
