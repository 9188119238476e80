//! The behaviour every implementation must show, as functions over any
//! `Store`: each backend's tests run all of them against a fresh store.

use super::store::*;
use crate::error::Error;
use crate::model::{Decision, DocId, FieldChange, FileKind, Metadata, Review, Source, Status};

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

/// The stored rows of one volume (or all, in volume order), collected.
pub fn volume_rows(store: &dyn Store, volume: Option<&str>, kind: RowKind) -> Vec<String> {
    let mut rows = Vec::new();
    store
        .each_volume_row(volume, kind, &mut |row| {
            rows.push(row);
            Ok(())
        })
        .unwrap();
    rows
}

/// The VOLUME of each stored index row, which must read back whole.
pub fn volumes_of(rows: Vec<String>) -> Vec<String> {
    rows.iter()
        .map(|r| {
            serde_json::from_str::<crate::export::IndexRow>(r)
                .unwrap()
                .volume
        })
        .collect()
}

pub fn volumes_issue_numbers_once(store: &mut dyn Store) {
    ingest(store, &[(1, "a.pdf", "aa"), (2, "b.pdf", "bb")]);
    assert_eq!(store.bates_settings().unwrap(), None);
    assert_eq!(store.highest_bates().unwrap(), None);
    assert_eq!(store.next_log_id().unwrap(), 1);
    assert_eq!(store.earlier_count().unwrap(), 0);
    store.record_volume(&volume("VOL001", 1, 3, &[1])).unwrap();
    assert_eq!(store.earlier_count().unwrap(), 1);
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
    let earlier = earlier.get(&DocId(1)).unwrap();
    assert_eq!(&*earlier.volume, "VOL001");
    assert_eq!(earlier.sha256, "aa");
    assert_eq!(earlier.represented_by, DocId(1));
    let produced = Decision {
        status: "produce".into(),
        privileges: Vec::new(),
        description: String::new(),
        redacted_sha256: String::new(),
        confidentiality: String::new(),
    };
    assert_eq!(earlier.decision, produced.fingerprint());
    let withheld = Decision {
        status: "withhold".into(),
        ..produced
    };
    assert_ne!(earlier.decision, withheld.fingerprint());

    // Numbers already issued, or a name already used: refused, nothing recorded.
    assert!(store.record_volume(&volume("VOL002", 3, 4, &[2])).is_err());
    assert!(store.record_volume(&volume("VOL001", 4, 4, &[2])).is_err());
    assert_eq!(store.volumes().unwrap().len(), 1);
    assert!(!store.produced_docs().unwrap().contains(&DocId(2)));

    store.record_volume(&volume("VOL002", 4, 4, &[2])).unwrap();
    assert_eq!(store.highest_bates().unwrap(), Some(4));
    let all = volume_rows(store, None, RowKind::Index);
    assert_eq!(volumes_of(all), ["VOL001", "VOL002"], "volume order");
    let one = volume_rows(store, Some("VOL002"), RowKind::Index);
    assert_eq!(volumes_of(one), ["VOL002"]);
    assert!(volume_rows(store, None, RowKind::Privlog).is_empty());
    assert_eq!(store.earlier_count().unwrap(), 2);
    assert_eq!(store.earlier().unwrap().len(), 2);
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
    assert_eq!(store.earlier_count().unwrap(), 0);
    assert!(volume_rows(store, None, RowKind::Index).is_empty());
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
        volumes_of(volume_rows(store, None, RowKind::Index)),
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
