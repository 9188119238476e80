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
    fn earlier(&self) -> Result<HashMap<DocId, Earlier>, Error>;
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
    /// As [`Store::each_volume_row`], collected (a volume's rows, small matters).
    fn volume_rows(&self, volume: Option<&str>, kind: RowKind) -> Result<Vec<String>, Error> {
        let mut rows = Vec::new();
        self.each_volume_row(volume, kind, &mut |row| {
            rows.push(row);
            Ok(())
        })?;
        Ok(rows)
    }

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
    fn record_overlay(&mut self, v: &OverlayRecord) -> Result<(), Error>;

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

/// The behaviour every implementation must show, as functions over any
/// `Store`: each backend's tests run all of them against a fresh store.
#[cfg(test)]
pub mod conformance {
    use super::*;
    use crate::model::{FileKind, Metadata, Status};

    /// Every check, in order, each on a fresh store from `fresh`.
    pub fn run_all(fresh: &mut dyn FnMut() -> Box<dyn Store>) {
        ingest_then_read_back(fresh().as_mut());
        review_with_history_and_notes(fresh().as_mut());
        volumes_issue_numbers_once(fresh().as_mut());
        nothing_is_recorded_when_the_flush_before_the_commit_fails(fresh().as_mut());
        an_update_replaces_source_facts_with_history(fresh().as_mut());
        families_come_whole_in_docid_order(fresh().as_mut());
        reviewers_changing_different_fields_both_keep_their_change(fresh().as_mut());
        crate::matter::clawbacks::conformance::recorded_once_and_replaced_once(fresh().as_mut());
        crate::export::stored::conformance::exports_read_the_stored_rows_in_place(fresh().as_mut());
        let mut full = fresh();
        volumes_issue_numbers_once(full.as_mut());
        review_with_history_and_notes_on(full.as_mut(), DocId(2));
        a_dump_restores_into_an_empty_store(full.as_ref(), fresh().as_mut());
    }

    /// Copies `from` into the empty `into` and reads it back identical.
    pub fn a_dump_restores_into_an_empty_store(from: &dyn Store, into: &mut dyn Store) {
        let dump = from.dump().unwrap();
        assert!(dump.tables.iter().any(|(_, rows)| !rows.is_empty()));
        into.restore(&dump).unwrap();
        assert_eq!(into.dump().unwrap(), dump);
        assert_eq!(into.documents().unwrap(), from.documents().unwrap());
        assert_eq!(into.volumes().unwrap(), from.volumes().unwrap());
        assert_eq!(
            into.history(DocId(2)).unwrap(),
            from.history(DocId(2)).unwrap()
        );
        assert_eq!(into.highest_bates().unwrap(), from.highest_bates().unwrap());
    }

    /// Two reviewers read the same document and each changes one field: both
    /// changes stay, and both are in the history.
    pub fn reviewers_changing_different_fields_both_keep_their_change(store: &mut dyn Store) {
        ingest(store, &[(1, "a.pdf", "aa")]);
        let seen = store.document(DocId(1)).unwrap().unwrap().review;
        let change = |field: &'static str, review: Review| ReviewUpdate {
            id: DocId(1),
            actor: field.into(),
            review,
            categories_changed: false,
            privileges_changed: false,
            changes: vec![FieldChange {
                field,
                old: None,
                new: Some("x".into()),
            }],
            note: None,
        };
        let first = Review {
            status: Status::Produce,
            first_reviewed_at: Some("t1".into()),
            ..seen.clone()
        };
        let second = Review {
            author: Some("Unknown".into()),
            ..seen
        };
        store
            .apply_review("t1", &[change("status", first)])
            .unwrap();
        store
            .apply_review("t2", &[change("author", second)])
            .unwrap();
        let r = store.document(DocId(1)).unwrap().unwrap().review;
        assert_eq!(
            r.status,
            Status::Produce,
            "the first reviewer's change stays"
        );
        assert_eq!(r.author.as_deref(), Some("Unknown"));
        assert_eq!(r.first_reviewed_at.as_deref(), Some("t1"));
        assert_eq!(store.history(DocId(1)).unwrap().len(), 2);
    }

    fn source(path: &str, sha: &str) -> Source {
        Source {
            source_path: format!("/collected/{path}"),
            ingest_root: "/collected".into(),
            rel_path: path.into(),
            custodian: "Policy Office".into(),
            size: 10,
            mtime_ns: 1,
            sha256: sha.into(),
            md5: "m".into(),
            kind: FileKind::Pdf,
            type_name: "pdf".into(),
            page_count: Some(3),
            problem: None,
            repaired: None,
            metadata: Metadata {
                title: Some("Memo".into()),
                ..Metadata::default()
            },
            hidden: Vec::new(),
            duplicate_of: None,
        }
    }

    pub(crate) fn ingest(store: &mut dyn Store, docs: &[(u64, &str, &str)]) {
        let batch = IngestBatch {
            new: docs
                .iter()
                .map(|(id, path, sha)| NewDocument {
                    id: DocId(*id),
                    source: source(path, sha),
                })
                .collect(),
            failures: vec![Failure {
                source_path: "/collected/broken".into(),
                ingest_root: "/collected".into(),
                rel_path: "broken".into(),
                reason: "broken link".into(),
            }],
            actor: "tester".into(),
            ..IngestBatch::default()
        };
        store.apply_ingest(&batch).unwrap();
    }

    pub fn ingest_then_read_back(store: &mut dyn Store) {
        assert_eq!(store.max_doc_seq().unwrap(), 0);
        assert!(store.documents().unwrap().is_empty());
        ingest(
            store,
            &[(2, "b.pdf", "bb"), (1, "a.pdf", "aa"), (3, "c.pdf", "aa")],
        );
        let docs = store.documents().unwrap();
        let ids: Vec<u64> = docs.iter().map(|d| d.id.0).collect();
        assert_eq!(ids, [1, 2, 3], "DOCID order");
        assert_eq!(docs[0].source, source("a.pdf", "aa"));
        assert_eq!(docs[0].review, Review::default());
        assert_eq!(store.max_doc_seq().unwrap(), 3);
        assert_eq!(
            store.document(DocId(2)).unwrap().unwrap().file_name(),
            "b.pdf"
        );
        assert!(store.document(DocId(9)).unwrap().is_none());
        let known = store.known_files().unwrap();
        assert_eq!(known["/collected/b.pdf"].id, DocId(2));
        assert_eq!(known["/collected/b.pdf"].sha256, "bb");
        assert_eq!(store.first_by_sha256().unwrap()["aa"], DocId(1));
        assert!(store.produced_docs().unwrap().is_empty());
    }

    /// `families_in` gives whole families, parents before their
    /// attachments, and nothing outside the numbers asked for.
    pub fn families_come_whole_in_docid_order(store: &mut dyn Store) {
        let child = |top: u64, n: u32| DocId(top).child(n).unwrap();
        let (c21, c22, c31) = (child(2, 1), child(2, 2), child(3, 1));
        let c211 = c21.child(1).unwrap();
        let docs = [
            (c22.0, "b-2.pdf", "b2"),
            (3, "c.eml", "cc"),
            (1, "a.pdf", "aa"),
            (c31.0, "c-1.pdf", "c1"),
            (2, "b.eml", "bb"),
            (c211.0, "b-1-1.pdf", "b11"),
            (c21.0, "b-1.pdf", "b1"),
        ];
        ingest(store, &docs);
        let ids = |tops: std::ops::Range<u64>| -> Vec<DocId> {
            store
                .families_in(tops)
                .unwrap()
                .iter()
                .map(|d| d.id)
                .collect()
        };
        assert_eq!(ids(2..3), [DocId(2), c21, c211, c22]);
        assert_eq!(ids(1..2), [DocId(1)]);
        assert_eq!(ids(3..9), [DocId(3), c31]);
        assert!(ids(4..9).is_empty());
        let all: Vec<DocId> = store.documents().unwrap().iter().map(|d| d.id).collect();
        assert_eq!(ids(0..(1 << 26)), all);
        let mut batched = ids(0..2);
        batched.extend(ids(2..4));
        assert_eq!(batched, all);
        // Looked up by key: in DOCID order, each once, the unknown left out.
        let some: Vec<DocId> = store
            .documents_in(&[c22, DocId(9), DocId(2), c211, c22, DocId(1)])
            .unwrap()
            .iter()
            .map(|d| d.id)
            .collect();
        assert_eq!(some, [DocId(1), DocId(2), c211, c22]);
        assert!(store.documents_in(&[]).unwrap().is_empty());
    }

    pub fn review_with_history_and_notes(store: &mut dyn Store) {
        ingest(store, &[(1, "a.pdf", "aa")]);
        review_with_history_and_notes_on(store, DocId(1));
    }

    fn review_with_history_and_notes_on(store: &mut dyn Store, id: DocId) {
        let review = Review {
            status: Status::Withhold,
            categories: vec!["2".into(), "1".into()],
            privileges: vec!["DP".into()],
            description: Some("Draft guidance".into()),
            ..Review::default()
        };
        let update = ReviewUpdate {
            id,
            actor: "reviewer".into(),
            review: review.clone(),
            categories_changed: true,
            privileges_changed: true,
            changes: vec![
                FieldChange {
                    field: "status",
                    old: Some("unreviewed".into()),
                    new: Some("withhold".into()),
                },
                FieldChange {
                    field: "description",
                    old: None,
                    new: Some("Draft guidance".into()),
                },
            ],
            note: Some("checked with counsel".into()),
        };
        store
            .apply_review("2024-01-02T00:00:00Z", &[update])
            .unwrap();
        let doc = store.document(id).unwrap().unwrap();
        assert_eq!(doc.review.status, Status::Withhold);
        assert_eq!(doc.review.categories, ["1", "2"], "sorted");
        assert_eq!(doc.review.privileges, ["DP"]);
        assert_eq!(doc.review.description.as_deref(), Some("Draft guidance"));
        let history = store.history(id).unwrap();
        let fields: Vec<&str> = history.iter().map(|h| h.field.as_str()).collect();
        assert_eq!(fields, ["status", "description", "note"]);
        assert_eq!(history[0].actor, "reviewer");
        assert_eq!(history[0].new_value.as_deref(), Some("withhold"));
        assert!(store.note_texts().unwrap()[&id].contains("checked with counsel"));
        let notes = store.note_texts_in(&[id, DocId(9)]).unwrap();
        assert_eq!(notes.len(), 1);
        assert!(notes[&id].contains("checked with counsel"));
        assert!(store.note_texts_in(&[DocId(9)]).unwrap().is_empty());
    }

    pub(crate) fn volume(name: &str, first: u64, last: u64, docs: &[u64]) -> VolumeRecord {
        VolumeRecord {
            name: name.into(),
            title: format!("{name} title"),
            date: "2024-04-12".into(),
            first_bates: Some(first),
            last_bates: Some(last),
            settings: BatesSettings {
                prefix: "DHS-MPP-".into(),
                width: 6,
                start: 1,
            },
            documents: docs
                .iter()
                .map(|id| VolumeDocument {
                    id: DocId(*id),
                    treatment: "Produced".into(),
                    beg: Some(first),
                    end: Some(last),
                    log_id: None,
                    represented_by: None,
                    produced_sha256: Some("pp".into()),
                    decision: Decision {
                        status: "produce".into(),
                        privileges: Vec::new(),
                        description: String::new(),
                        redacted_sha256: String::new(),
                        confidentiality: String::new(),
                    },
                })
                .collect::<Vec<_>>()
                .into(),
            index_rows: vec![crate::export::IndexRow {
                volume: name.into(),
                ..Default::default()
            }]
            .into(),
            privlog_rows: Vec::new().into(),
        }
    }

    /// The VOLUME of each stored index row, which must read back whole.
    pub fn volumes_of(rows: Vec<String>) -> Vec<String> {
        crate::export::row::thawed::<crate::export::IndexRow>(rows)
            .unwrap()
            .into_iter()
            .map(|r| r.volume)
            .collect()
    }

    pub fn volumes_issue_numbers_once(store: &mut dyn Store) {
        ingest(store, &[(1, "a.pdf", "aa"), (2, "b.pdf", "bb")]);
        assert_eq!(store.bates_settings().unwrap(), None);
        assert_eq!(store.highest_bates().unwrap(), None);
        assert_eq!(store.next_log_id().unwrap(), 1);
        store.record_volume(&volume("VOL001", 1, 3, &[1])).unwrap();
        assert_eq!(store.bates_settings().unwrap().unwrap().prefix, "DHS-MPP-");
        assert_eq!(store.highest_bates().unwrap(), Some(3));
        let vols = store.volumes().unwrap();
        assert_eq!(vols.len(), 1);
        assert_eq!(
            (vols[0].name.as_str(), vols[0].first_bates),
            ("VOL001", Some(1))
        );
        assert!(store.produced_docs().unwrap().contains(&DocId(1)));
        let earlier = store.earlier().unwrap();
        assert_eq!(earlier[&DocId(1)].volume, "VOL001");
        assert_eq!(earlier[&DocId(1)].sha256, "aa");
        assert_eq!(earlier[&DocId(1)].represented_by, DocId(1));

        // Numbers already issued, or a name already used: refused, nothing recorded.
        assert!(store.record_volume(&volume("VOL002", 3, 4, &[2])).is_err());
        assert!(store.record_volume(&volume("VOL001", 4, 4, &[2])).is_err());
        assert_eq!(store.volumes().unwrap().len(), 1);
        assert!(!store.produced_docs().unwrap().contains(&DocId(2)));

        store.record_volume(&volume("VOL002", 4, 4, &[2])).unwrap();
        assert_eq!(store.highest_bates().unwrap(), Some(4));
        let all = store.volume_rows(None, RowKind::Index).unwrap();
        assert_eq!(volumes_of(all), ["VOL001", "VOL002"], "volume order");
        let one = store.volume_rows(Some("VOL002"), RowKind::Index).unwrap();
        assert_eq!(volumes_of(one), ["VOL002"]);
        assert!(
            store
                .volume_rows(None, RowKind::Privlog)
                .unwrap()
                .is_empty()
        );
    }

    /// `record_volume_with` calls its hook once, after the inserts; a hook
    /// that fails (the staged files did not reach the disk) leaves no trace.
    pub fn nothing_is_recorded_when_the_flush_before_the_commit_fails(store: &mut dyn Store) {
        ingest(store, &[(1, "a.pdf", "aa")]);
        let failed = store.record_volume_with(&volume("VOL001", 1, 3, &[1]), &mut || {
            Err(Error::io(
                "flush to disk",
                std::path::Path::new("staging"),
                std::io::Error::other("device gone"),
            ))
        });
        assert!(failed.is_err());
        assert!(store.volumes().unwrap().is_empty());
        assert_eq!(store.highest_bates().unwrap(), None);
        assert!(store.produced_docs().unwrap().is_empty());
        assert!(store.volume_rows(None, RowKind::Index).unwrap().is_empty());
        let mut calls = 0;
        store
            .record_volume_with(&volume("VOL001", 1, 3, &[1]), &mut || {
                // The rows are in, not yet committed.
                calls += 1;
                Ok(())
            })
            .unwrap();
        assert_eq!(calls, 1);
        assert_eq!(store.highest_bates().unwrap(), Some(3));
        assert_eq!(
            volumes_of(store.volume_rows(None, RowKind::Index).unwrap()),
            ["VOL001"]
        );
    }

    pub fn an_update_replaces_source_facts_with_history(store: &mut dyn Store) {
        ingest(store, &[(1, "a.pdf", "aa")]);
        let mut changed = source("a.pdf", "a2");
        changed.size = 20;
        let batch = IngestBatch {
            updated: vec![NewDocument {
                id: DocId(1),
                source: changed.clone(),
            }],
            touched: Vec::new(),
            actor: "tester".into(),
            ..IngestBatch::default()
        };
        store.apply_ingest(&batch).unwrap();
        let doc = store.document(DocId(1)).unwrap().unwrap();
        assert_eq!(doc.source, changed);
        let fields: Vec<String> = store
            .history(DocId(1))
            .unwrap()
            .into_iter()
            .map(|h| h.field)
            .collect();
        assert_eq!(fields, ["source sha256", "source size"]);
    }
}
