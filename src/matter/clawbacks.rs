//! What the matter records about a clawback (Rule 26(b)(5)(B), FRE 502): the
//! request for a produced document, and the overlay volume that replaced it
//! on the same Bates numbers. Backend-neutral values; both stores keep them
//! in the `clawbacks` table and mark an overlay in `volumes.overlay_of`.

use crate::model::DocId;
use serde::Serialize;

/// How a recalled document is replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Replacement {
    /// A one-page slip sheet on its first number, the rest padded.
    Withheld,
    /// Its redacted file on the same numbers.
    Redacted,
}

impl Replacement {
    pub fn label(self) -> &'static str {
        match self {
            Replacement::Withheld => "Withheld",
            Replacement::Redacted => "Redacted",
        }
    }

    pub fn parse(text: &str) -> Option<Replacement> {
        match text {
            "Withheld" => Some(Replacement::Withheld),
            "Redacted" => Some(Replacement::Redacted),
            _ => None,
        }
    }
}

/// A recall request as `adrec clawback` writes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewClawback {
    pub docid: DocId,
    /// The volume that produced the document, and the numbers it took there.
    pub volume: String,
    pub beg: u64,
    pub end: u64,
    /// The date of the request, `YYYY-MM-DD`.
    pub requested_on: String,
    pub actor: String,
    /// Privilege codes asserted.
    pub privileges: Vec<String>,
    pub description: String,
    pub reason: Option<String>,
    pub replacement: Replacement,
}

/// A recorded request, and the overlay that replaced it once there is one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Clawback {
    pub id: u64,
    #[serde(flatten)]
    pub request: NewClawback,
    /// When it was recorded (RFC 3339).
    pub at: String,
    pub overlay: Option<String>,
    /// The privilege-log number the overlay gave it.
    pub log_id: Option<u64>,
}

impl Clawback {
    pub fn outstanding(&self) -> bool {
        self.overlay.is_none()
    }
}

/// Everything an overlay volume records, in one transaction.
#[derive(Debug, Clone)]
pub struct OverlayRecord {
    pub name: String,
    pub title: String,
    pub date: String,
    /// The volumes whose rows it replaces.
    pub overlay_of: Vec<String>,
    /// (clawback id, privilege-log number) for every request it carries out.
    pub replaced: Vec<(u64, u64)>,
    /// Frozen by the store as it records them (see `VolumeRecord`).
    pub index_rows: crate::export::spill::Rows<crate::export::IndexRow>,
    pub privlog_rows: crate::export::spill::Rows<crate::export::PrivLogRow>,
}

/// Privilege codes as both stores keep them (joined with `; `), read back.
pub fn stored_codes(text: &str) -> Vec<String> {
    text.split("; ")
        .filter(|c| !c.is_empty())
        .map(str::to_string)
        .collect()
}

/// The refusal both stores give when a request was already carried out by
/// another overlay (two overlays raced): nothing is recorded.
pub fn already_replaced(id: u64, overlay: &str) -> crate::error::Error {
    crate::error::Error::input(format!(
        "clawback {id} was already replaced by the overlay volume {overlay} while this one was being written"
    ))
    .hint("nothing was recorded; `adrec status` lists the clawbacks still outstanding")
}

/// The refusal when a document already has a clawback not yet replaced.
pub fn already_recalled(docid: DocId) -> crate::error::Error {
    crate::error::Error::input(format!(
        "{docid} already has a clawback that no overlay has replaced yet"
    ))
    .hint("produce the overlay (`adrec produce VOLUME --overlay`) before recalling it again; nothing was recorded")
}

/// What every store must do with clawbacks (run by `matter::conformance`).
#[cfg(test)]
pub mod conformance {
    use super::*;
    use crate::matter::conformance::{ingest, volume};
    use crate::matter::store::{RowKind, Store};

    fn request(doc: u64, beg: u64, end: u64) -> NewClawback {
        NewClawback {
            docid: DocId(doc),
            volume: "VOL001".into(),
            beg,
            end,
            requested_on: "2024-05-01".into(),
            actor: "counsel".into(),
            privileges: vec!["AC".into(), "DP".into()],
            description: "Legal advice".into(),
            reason: Some("letter of 2024-05-01".into()),
            replacement: Replacement::Withheld,
        }
    }

    fn overlay(name: &str, replaced: &[(u64, u64)]) -> OverlayRecord {
        OverlayRecord {
            name: name.into(),
            title: "Replacement".into(),
            date: "2024-05-03".into(),
            overlay_of: vec!["VOL001".into()],
            replaced: replaced.to_vec(),
            index_rows: vec![crate::export::IndexRow {
                volume: name.into(),
                ..Default::default()
            }]
            .into(),
            privlog_rows: vec![crate::export::PrivLogRow::default()].into(),
        }
    }

    pub fn recorded_once_and_replaced_once(store: &mut dyn Store) {
        ingest(store, &[(1, "a.pdf", "aa"), (2, "b.pdf", "bb")]);
        store
            .record_volume(&volume("VOL001", 1, 3, &[1, 2]))
            .unwrap();
        store
            .record_clawbacks("2024-05-01T10:00:00Z", &[], &[request(1, 1, 2)])
            .unwrap();
        let recorded = store.clawbacks().unwrap();
        assert_eq!(recorded.len(), 1);
        assert_eq!(recorded[0].request, request(1, 1, 2));
        assert!(recorded[0].outstanding());
        // One outstanding request per document: refused, nothing recorded.
        assert!(
            store
                .record_clawbacks(
                    "2024-05-02T10:00:00Z",
                    &[],
                    &[request(2, 3, 3), request(1, 1, 2)]
                )
                .is_err()
        );
        assert_eq!(store.clawbacks().unwrap().len(), 1, "all or nothing");

        let next_log = store.next_log_id().unwrap();
        let id = recorded[0].id;
        // A hook that fails (the staged overlay did not reach the disk)
        // leaves no trace; one that passes is called once, before the commit.
        let failed = store.record_overlay_with(&overlay("OVL001", &[(id, next_log)]), &mut || {
            Err(crate::error::Error::internal("the flush to disk failed"))
        });
        assert!(failed.is_err());
        assert_eq!(store.volumes().unwrap().len(), 1);
        assert!(store.clawbacks().unwrap()[0].outstanding());
        assert_eq!(store.next_log_id().unwrap(), next_log);
        let mut calls = 0;
        store
            .record_overlay_with(&overlay("OVL001", &[(id, next_log)]), &mut || {
                calls += 1;
                Ok(())
            })
            .unwrap();
        assert_eq!(calls, 1);
        let after = store.clawbacks().unwrap();
        assert_eq!(after[0].overlay.as_deref(), Some("OVL001"));
        assert_eq!(after[0].log_id, Some(next_log));
        assert_eq!(
            store.next_log_id().unwrap(),
            next_log + 1,
            "log ids continue"
        );
        assert_eq!(store.highest_bates().unwrap(), Some(3), "no number issued");
        let vols = store.volumes().unwrap();
        assert_eq!(
            vols[1].overlay_of.as_deref(),
            Some(&["VOL001".to_string()][..])
        );
        assert_eq!(vols[0].overlay_of, None);
        assert_eq!(
            crate::matter::conformance::volumes_of(crate::matter::conformance::volume_rows(
                store,
                Some("OVL001"),
                RowKind::Index
            )),
            ["OVL001"]
        );
        // The same request again, or a taken name: refused.
        assert!(
            store
                .record_overlay(&overlay("OVL002", &[(id, next_log + 1)]))
                .is_err()
        );
        assert!(store.record_overlay(&overlay("VOL001", &[])).is_err());
        assert_eq!(store.volumes().unwrap().len(), 2);
        // Replaced: the document may be recalled again.
        store
            .record_clawbacks("2024-06-01T10:00:00Z", &[], &[request(1, 1, 2)])
            .unwrap();
        assert_eq!(store.clawbacks().unwrap().len(), 2);
    }
}
