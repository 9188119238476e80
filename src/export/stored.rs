//! A matter's stored rows read back a row at a time (`adrec export`, and
//! what `clawback`, an overlay and `certify` need of them): one volume's as
//! it went out, or every volume's cumulatively, with an overlay's rows in
//! place of the rows it replaced (`cumulative`). Only the overlays' own rows
//! are held; a matter of 100,000 documents exports in the memory of a few
//! rows. An export's log is spilled to a temporary file, since its profile
//! may read it several times (a cumulative log in LOG_ID order).

use super::cumulative::{Relogged, Replacements, log_number, log_order};
use super::row::{IndexRow, PrivLogRow};
use super::spill::{Spill, SpillWriter};
use crate::error::Error;
use crate::matter::store::{RowKind, Store, VolumeInfo};
use serde::de::DeserializeOwned;
use std::collections::HashSet;
use std::path::Path;

/// The stored rows of the volumes a matter had when the export began: a
/// volume recorded while it runs is left out whole, so an overlay is never
/// read as an ordinary volume.
pub struct StoredRows<'a> {
    store: &'a dyn Store,
    known: HashSet<&'a str>,
    /// Overlay volumes, in volume order.
    overlays: Vec<&'a str>,
}

/// A row that says which volume it went out in.
trait InVolume: DeserializeOwned {
    fn volume(&self) -> &str;
}

impl InVolume for IndexRow {
    fn volume(&self) -> &str {
        &self.volume
    }
}

impl InVolume for PrivLogRow {
    fn volume(&self) -> &str {
        &self.volume
    }
}

/// A privilege log's rows, spilled: read again from the first as often as
/// its profile asks.
pub struct LogRows {
    spill: Spill<PrivLogRow>,
    /// Where each row's line begins, in LOG_ID order, when a cumulative
    /// log's rows were not stored in that order (adrec stores them so; a
    /// matter edited by hand may not be).
    order: Option<Vec<u64>>,
}

impl LogRows {
    /// The rows, read back in their order.
    pub fn rows(&self) -> Box<dyn Iterator<Item = Result<PrivLogRow, Error>> + '_> {
        match &self.order {
            None => Box::new(self.spill.rows()),
            Some(order) => Box::new(order.iter().map(|&at| self.spill.row_at(at))),
        }
    }
}

impl<'a> StoredRows<'a> {
    pub fn new(store: &'a dyn Store, volumes: &'a [VolumeInfo]) -> StoredRows<'a> {
        StoredRows {
            store,
            known: volumes.iter().map(|v| v.name.as_str()).collect(),
            overlays: volumes
                .iter()
                .filter(|v| v.overlay_of.is_some())
                .map(|v| v.name.as_str())
                .collect(),
        }
    }

    /// The index rows of `volume` as it went out, or (`None`) the cumulative
    /// index, in volume order: each with its REPLACED_BY (empty when none).
    pub fn index(
        &self,
        volume: Option<&str>,
        mut each: impl FnMut(IndexRow, String) -> Result<(), Error>,
    ) -> Result<(), Error> {
        if volume.is_some() {
            return self.each(volume, RowKind::Index, |row| each(row, String::new()));
        }
        let mut replacements = Replacements::default();
        for overlay in &self.overlays {
            self.each(Some(overlay), RowKind::Index, |row| {
                replacements.overlay_row(row);
                Ok(())
            })?;
        }
        self.ordinary_index(|row| {
            let (row, by) = replacements.place(row);
            each(row, by)
        })
    }

    /// The index rows of every volume that is not an overlay, in volume
    /// order, as they went out.
    pub fn ordinary_index(
        &self,
        mut each: impl FnMut(IndexRow) -> Result<(), Error>,
    ) -> Result<(), Error> {
        self.each(None, RowKind::Index, |row: IndexRow| {
            if self.is_overlay(&row) {
                return Ok(());
            }
            each(row)
        })
    }

    /// The log rows of `volume` as it went out, one at a time.
    pub fn each_privlog_row(
        &self,
        volume: &str,
        each: impl FnMut(PrivLogRow) -> Result<(), Error>,
    ) -> Result<(), Error> {
        self.each(Some(volume), RowKind::Privlog, each)
    }

    /// The log rows of `volume` as it went out, or (`None`) the cumulative
    /// log in LOG_ID order, spilled into a temporary file in `dir`.
    pub fn privlog(&self, volume: Option<&str>, dir: &Path) -> Result<LogRows, Error> {
        // A volume's own log is as it went out, overlays included, in its order.
        let cumulative = volume.is_none();
        let mut relogged = Relogged::default();
        if cumulative {
            for overlay in &self.overlays {
                self.each(Some(overlay), RowKind::Privlog, |row| {
                    relogged.overlay_row(&row);
                    Ok(())
                })?;
            }
        }
        let mut spill = SpillWriter::new_in(dir)?;
        let mut numbered = Vec::new();
        self.each_frozen(volume, RowKind::Privlog, |row: PrivLogRow, line| {
            if cumulative && !relogged.keeps(&row, self.is_overlay(&row)) {
                return Ok(());
            }
            // adrec stores a row on one line; one edited by hand may not be.
            let at = if line.contains('\n') {
                spill.push_frozen(&super::spill::freeze(&row)?)?
            } else {
                spill.push_frozen(&line)?
            };
            if cumulative {
                numbered.push((log_number(&row.log_id), at));
            }
            Ok(())
        })?;
        Ok(LogRows {
            spill: spill.finish()?,
            order: log_order(numbered),
        })
    }

    fn is_overlay<T: InVolume>(&self, row: &T) -> bool {
        self.overlays.contains(&row.volume())
    }

    /// Each stored row of `kind`, read back: of `volume`, or of every volume
    /// known when the export began.
    fn each<T: InVolume>(
        &self,
        volume: Option<&str>,
        kind: RowKind,
        mut each: impl FnMut(T) -> Result<(), Error>,
    ) -> Result<(), Error> {
        self.each_frozen(volume, kind, |row, _| each(row))
    }

    /// As [`StoredRows::each`], with each row's stored line.
    fn each_frozen<T: InVolume>(
        &self,
        volume: Option<&str>,
        kind: RowKind,
        mut each: impl FnMut(T, String) -> Result<(), Error>,
    ) -> Result<(), Error> {
        self.store.each_volume_row(volume, kind, &mut |line| {
            let row: T = serde_json::from_str(&line).map_err(|e| {
                Error::internal(format!("a stored row is unreadable: {e}"))
                    .hint("please report this as a bug with the command you ran")
            })?;
            if volume.is_some() || self.known.contains(row.volume()) {
                each(row, line)?;
            }
            Ok(())
        })
    }
}

/// What every store must let an export read, run by each backend's
/// conformance suite (`matter::conformance::run_all`).
#[cfg(test)]
pub mod conformance {
    use super::*;
    use crate::matter::clawbacks::OverlayRecord;
    use crate::matter::conformance::{ingest, volume};

    fn index_row(control_id: &str, volume: &str) -> IndexRow {
        IndexRow {
            control_id: control_id.into(),
            volume: volume.into(),
            ..Default::default()
        }
    }

    fn log_row(log_id: &str, control_id: &str, volume: &str) -> PrivLogRow {
        PrivLogRow {
            log_id: log_id.into(),
            control_id: control_id.into(),
            volume: volume.into(),
            ..Default::default()
        }
    }

    /// VOL001 (DOC-000001 and DOC-000002, both logged, their LOG_IDs out of
    /// order as only a matter edited by hand has them), VOL002
    /// (DOC-000003), then the overlay OVL001 logging DOC-000002 again.
    fn three_volumes(store: &mut dyn Store) {
        ingest(
            store,
            &[(1, "a.pdf", "aa"), (2, "b.pdf", "bb"), (3, "c.pdf", "cc")],
        );
        let mut first = volume("VOL001", 1, 3, &[1, 2]);
        first.index_rows = vec![
            index_row("DOC-000001", "VOL001"),
            index_row("DOC-000002", "VOL001"),
        ]
        .into();
        first.privlog_rows = vec![
            log_row("PRIV-000003", "DOC-000001", "VOL001"),
            log_row("PRIV-000001", "DOC-000002", "VOL001"),
        ]
        .into();
        store.record_volume(&first).unwrap();
        let mut second = volume("VOL002", 4, 4, &[3]);
        second.index_rows = vec![index_row("DOC-000003", "VOL002")].into();
        store.record_volume(&second).unwrap();
        store
            .record_overlay(&OverlayRecord {
                name: "OVL001".into(),
                title: "Replacement".into(),
                date: "2024-05-03".into(),
                overlay_of: vec!["VOL001".into()],
                replaced: Vec::new(),
                index_rows: vec![index_row("DOC-000002", "OVL001")].into(),
                privlog_rows: vec![log_row("PRIV-000002", "DOC-000002", "OVL001")].into(),
            })
            .unwrap();
    }

    fn index_of(rows: &StoredRows<'_>, volume: Option<&str>) -> Vec<String> {
        let mut got = Vec::new();
        rows.index(volume, |row, by| {
            got.push(format!("{} {} {by}", row.control_id, row.volume));
            Ok(())
        })
        .unwrap();
        got
    }

    fn log_of(rows: &StoredRows<'_>, volume: Option<&str>) -> Vec<String> {
        let dir = tempfile::tempdir().unwrap();
        let log = rows.privlog(volume, dir.path()).unwrap();
        // Read twice, the same rows: a profile may read the log again.
        let first: Vec<String> = log
            .rows()
            .map(|r| r.map(|r| format!("{} {}", r.log_id, r.volume)).unwrap())
            .collect();
        assert_eq!(log.rows().count(), first.len());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "no name");
        first
    }

    pub fn exports_read_the_stored_rows_in_place(store: &mut dyn Store) {
        three_volumes(store);
        let volumes = store.volumes().unwrap();
        let rows = StoredRows::new(store, &volumes);
        // Cumulative: the overlay's row in place of the recalled one.
        assert_eq!(
            index_of(&rows, None),
            [
                "DOC-000001 VOL001 ",
                "DOC-000002 OVL001 OVL001",
                "DOC-000003 VOL002 "
            ]
        );
        // Cumulative: the overlay's entry alone for its document, and the
        // log in LOG_ID order, whatever order the rows were stored in.
        assert_eq!(
            log_of(&rows, None),
            ["PRIV-000002 OVL001", "PRIV-000003 VOL001"]
        );
        let mut ordinary = Vec::new();
        rows.ordinary_index(|row| {
            ordinary.push(format!("{} {}", row.control_id, row.volume));
            Ok(())
        })
        .unwrap();
        assert_eq!(
            ordinary,
            [
                "DOC-000001 VOL001",
                "DOC-000002 VOL001",
                "DOC-000003 VOL002"
            ]
        );
        let mut logged = Vec::new();
        rows.each_privlog_row("VOL001", |row| {
            logged.push(row.log_id);
            Ok(())
        })
        .unwrap();
        assert_eq!(logged, ["PRIV-000003", "PRIV-000001"]);
        // One volume: as it went out, in its own order.
        assert_eq!(
            index_of(&rows, Some("VOL001")),
            ["DOC-000001 VOL001 ", "DOC-000002 VOL001 "]
        );
        assert_eq!(
            log_of(&rows, Some("VOL001")),
            ["PRIV-000003 VOL001", "PRIV-000001 VOL001"]
        );

        // As if OVL001 were recorded once the export had read the volumes:
        // left out whole, never read as an ordinary volume.
        let before: Vec<VolumeInfo> = volumes
            .iter()
            .filter(|v| v.name != "OVL001")
            .cloned()
            .collect();
        let rows = StoredRows::new(store, &before);
        assert_eq!(
            index_of(&rows, None),
            [
                "DOC-000001 VOL001 ",
                "DOC-000002 VOL001 ",
                "DOC-000003 VOL002 "
            ]
        );
        assert_eq!(
            log_of(&rows, None),
            ["PRIV-000001 VOL001", "PRIV-000003 VOL001"]
        );

        // An error from the writer stops the read at once, in its words.
        let mut seen = 0;
        let err = rows
            .index(None, |_, _| {
                seen += 1;
                Err(Error::input("the disk is full"))
            })
            .unwrap_err();
        assert_eq!(seen, 1);
        assert!(err.to_string().contains("the disk is full"), "{err}");
        // The store answers the next read whole.
        assert_eq!(index_of(&rows, Some("VOL002")), ["DOC-000003 VOL002 "]);
    }
}
