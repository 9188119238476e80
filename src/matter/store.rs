//! The storage interface: everything the commands ask of the matter's
//! database. Commands see this trait, never the database crate, SQL text or
//! its error types. The embedded SQLite file implements it (`sqlite/`); a
//! shared server can implement it too.
//!
//! Each method that changes something is one transaction: it applies all of
//! its batch or none of it, and a reader never sees half of it. No
//! connection or transaction object leaves an implementation.

use super::clawbacks::{Clawback, NewClawback, OverlayRecord};
use super::tables::Dump;
use crate::error::Error;
use crate::export::spill::Rows;
use crate::export::{IndexRow, PrivLogRow};
use crate::model::{
    Decision, DocId, Document, EarlierDocs, FieldChange, HistoryEntry, Review, Source,
};
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
    /// The family of `id` (its top-level document and every descendant),
    /// in DOCID order; empty when there is no such document.
    fn family_of(&self, id: DocId) -> Result<Vec<Document>, Error>;
    /// Whole families a batch at a time: the top-level documents numbered
    /// `tops` and all their attachments, in DOCID order (a volume of a
    /// million documents is planned and written without holding them all).
    fn families_in(&self, tops: std::ops::Range<u64>) -> Result<Vec<Document>, Error>;
    /// The documents among `ids` that exist, in DOCID order: what a sheet
    /// keyed by DOCID needs, without reading the whole matter.
    fn documents_in(&self, ids: &[DocId]) -> Result<Vec<Document>, Error> {
        let wanted: HashSet<DocId> = ids.iter().copied().collect();
        let mut docs = self.documents()?;
        docs.retain(|d| wanted.contains(&d.id));
        Ok(docs)
    }

    // --- review ------------------------------------------------------------

    /// The text of every note, per document (to skip a note already there).
    fn note_texts(&self) -> Result<HashMap<DocId, HashSet<String>>, Error>;
    /// The same, for the documents among `ids` only.
    fn note_texts_in(&self, ids: &[DocId]) -> Result<HashMap<DocId, HashSet<String>>, Error> {
        let mut notes = self.note_texts()?;
        let wanted: HashSet<DocId> = ids.iter().copied().collect();
        notes.retain(|id, _| wanted.contains(id));
        Ok(notes)
    }
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
    fn earlier(&self) -> Result<EarlierDocs, Error>;
    /// How many documents are already in a volume ([`earlier`](Self::earlier)'s
    /// length), counted by the store: the deadline status shows the number,
    /// and reading every earlier document only to count them took seconds
    /// after a volume of a million.
    fn earlier_count(&self) -> Result<usize, Error>;
    /// Records a produced volume: numbers, documents and rows, all or nothing.
    /// Refuses (and records nothing) when the volume's name is taken or its
    /// first number is not above every number already issued: a Bates number
    /// is never issued twice, whatever ran in between.
    fn record_volume(&mut self, v: &VolumeRecord) -> Result<(), Error> {
        self.record_volume_with(v, &mut || Ok(()))
    }
    /// As [`Store::record_volume`], with `before_commit` called once every
    /// row is in and before the commit; its error records nothing. A produce
    /// waits there for its staged files to reach the disk, so the store's
    /// work and the flush overlap while the commit still comes after both.
    fn record_volume_with(
        &mut self,
        v: &VolumeRecord,
        before_commit: &mut dyn FnMut() -> Result<(), Error>,
    ) -> Result<(), Error>;
    /// Frozen rows of one volume (or all, in volume order), as stored JSON,
    /// each handed to `each` as it is read: a matter's 100,000 rows are
    /// never held at once. One statement reads them all, so they come from
    /// one consistent state of the store; an error from `each` stops the read.
    /// `each` must not use the store itself (PostgreSQL's one connection is
    /// busy with the read until it ends).
    fn each_volume_row(
        &self,
        volume: Option<&str>,
        kind: RowKind,
        each: &mut dyn FnMut(String) -> Result<(), Error>,
    ) -> Result<(), Error>;

    // --- clawbacks -----------------------------------------------------------

    /// Records recall requests together with the review changes they make
    /// (status, privilege, description, redacted file), all or nothing.
    /// Refuses a document that already has a request no overlay replaced.
    fn record_clawbacks(
        &mut self,
        at: &str,
        updates: &[ReviewUpdate],
        requests: &[NewClawback],
    ) -> Result<(), Error>;
    /// Every recall request, oldest first.
    fn clawbacks(&self) -> Result<Vec<Clawback>, Error>;
    /// Records an overlay volume and marks its requests replaced, all or
    /// nothing; refuses when its name is taken or a request was already
    /// replaced. It issues no new numbers.
    fn record_overlay(&mut self, v: &OverlayRecord) -> Result<(), Error> {
        self.record_overlay_with(v, &mut || Ok(()))
    }
    /// As [`Store::record_overlay`], with `before_commit` called once every
    /// row is in and before the commit; its error records nothing.
    fn record_overlay_with(
        &mut self,
        v: &OverlayRecord,
        before_commit: &mut dyn FnMut() -> Result<(), Error>,
    ) -> Result<(), Error>;

    // --- copying a whole matter ----------------------------------------------

    /// Every row of every table (`tables::TABLES`), to copy the matter.
    fn dump(&self) -> Result<Dump, Error>;
    /// Writes a dump into this store, which must be empty, in one transaction.
    fn restore(&mut self, dump: &Dump) -> Result<(), Error>;
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

/// The history of a review reset when its document's source is replaced
/// (`ingest --update`): (field, old, new) for what changes.
pub fn review_reset(status: &str, hidden_reviewed: bool) -> Vec<(&'static str, String, String)> {
    let mut out = Vec::new();
    if status != "unreviewed" {
        out.push(("status", status.to_string(), "unreviewed".to_string()));
    }
    if hidden_reviewed {
        out.push(("hidden-reviewed", "yes".to_string(), "no".to_string()));
    }
    out
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
    /// An overlay volume: the volumes whose rows it replaces.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub overlay_of: Option<Vec<String>>,
}

/// One document's line in a volume's record.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
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
    /// Spilled like the index: a million documents' lines are not held.
    pub documents: Rows<VolumeDocument>,
    /// The rows as exported; the store freezes each as one JSON object as it
    /// records it. A volume's index comes spilled to a temporary file, so a
    /// 100,000-row index is never held in memory.
    pub index_rows: Rows<IndexRow>,
    pub privlog_rows: Rows<PrivLogRow>,
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

/// The refusal of a volume name already used (volumes are never replaced).
pub fn name_taken(name: &str) -> Error {
    Error::input(format!("volume {name} already exists in this matter"))
        .hint("choose a new name, e.g. the next number; volumes are never replaced")
}

/// Why a volume cannot be recorded, given what the store already holds: its
/// name is taken, or its numbers do not start above every number issued.
/// Every implementation checks this inside the transaction that records.
pub fn issue_conflict(v: &VolumeRecord, taken: bool, highest: Option<u64>) -> Option<Error> {
    if taken {
        return Some(name_taken(&v.name));
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
