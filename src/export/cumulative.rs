//! Cumulative exports over every volume: an overlay volume's rows take the
//! place of the rows of the documents it replaced (a clawback), so the index
//! and the log show the replacement, never the recalled version, and the
//! index says in REPLACED_BY which overlay did it.

use super::row::{INDEX_COLUMNS, IndexRow, PrivLogRow};
use std::collections::HashMap;

/// The column the cumulative index adds after the index columns.
pub const REPLACED_BY: &str = "REPLACED_BY";

/// The cumulative index's header: the index columns, then REPLACED_BY.
pub const CUMULATIVE_INDEX_COLUMNS: [&str; INDEX_COLUMNS.len() + 1] = {
    let mut header = [REPLACED_BY; INDEX_COLUMNS.len() + 1];
    let mut i = 0;
    while i < INDEX_COLUMNS.len() {
        header[i] = INDEX_COLUMNS[i];
        i += 1;
    }
    header
};

/// What the overlays put in place of recalled documents in the index,
/// learnt from the overlays' own rows (they are few: an overlay holds the
/// documents of its clawbacks), so every other row can go by as it is read.
#[derive(Debug, Default)]
pub struct Replacements {
    latest: HashMap<String, IndexRow>,
}

impl Replacements {
    /// An overlay's row, in volume order: the latest overlay of a document wins.
    pub fn overlay_row(&mut self, row: IndexRow) {
        self.latest.insert(row.control_id.clone(), row);
    }

    /// A stored row of a volume that is not an overlay, as the cumulative
    /// index shows it: the latest overlay's row in its place, with that
    /// overlay's name in REPLACED_BY (empty when nothing replaced it).
    pub fn place(&self, row: IndexRow) -> (IndexRow, String) {
        match self.latest.get(&row.control_id) {
            Some(replacement) => (replacement.clone(), replacement.volume.clone()),
            None => (row, String::new()),
        }
    }
}

/// Which log rows the cumulative log keeps: a document an overlay logged
/// again keeps only the latest overlay's entry. Learnt from the overlays'
/// own rows, so every other row is kept or dropped as it is read.
#[derive(Debug, Default)]
pub struct Relogged {
    /// Per document, its overlay entries: (how many in all, how many read).
    entries: HashMap<String, (usize, usize)>,
}

impl Relogged {
    /// An overlay's log row, counted before the rows are read in order.
    pub fn overlay_row(&mut self, row: &PrivLogRow) {
        self.entries.entry(row.control_id.clone()).or_default().0 += 1;
    }

    /// Whether the cumulative log keeps `row`, read in volume order: a row of
    /// a document no overlay logged, or the last overlay entry of one.
    pub fn keeps(&mut self, row: &PrivLogRow, of_overlay: bool) -> bool {
        match self.entries.get_mut(&row.control_id) {
            None => true,
            Some(_) if !of_overlay => false,
            Some((all, read)) => {
                *read += 1;
                read == all
            }
        }
    }
}

/// A LOG_ID's number, which orders the cumulative log (after its prefix;
/// one without a number sorts last).
pub fn log_number(log_id: &str) -> u64 {
    log_id
        .trim_start_matches(|c: char| !c.is_ascii_digit())
        .parse()
        .unwrap_or(u64::MAX)
}

/// The order to read kept rows in, given each one's (LOG_ID number, place)
/// in volume order: by number, rows with the same number as read. `None`
/// when they already are in that order, as adrec issues LOG_IDs.
pub fn log_order(mut rows: Vec<(u64, u64)>) -> Option<Vec<u64>> {
    if rows.is_sorted_by_key(|(number, _)| *number) {
        return None;
    }
    rows.sort_by_key(|(number, _)| *number);
    Some(rows.into_iter().map(|(_, place)| place).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(control: &str, volume: &str, treatment: &str) -> IndexRow {
        IndexRow {
            control_id: control.into(),
            volume: volume.into(),
            treatment: treatment.into(),
            ..IndexRow::default()
        }
    }

    fn log(id: &str, control: &str, volume: &str) -> PrivLogRow {
        PrivLogRow {
            log_id: id.into(),
            control_id: control.into(),
            volume: volume.into(),
            ..PrivLogRow::default()
        }
    }

    /// The cumulative index of rows in volume order, as an export reads them.
    fn index(rows: Vec<IndexRow>, overlays: &[&str]) -> Vec<(IndexRow, String)> {
        let mut replacements = Replacements::default();
        for r in rows
            .iter()
            .filter(|r| overlays.contains(&r.volume.as_str()))
        {
            replacements.overlay_row(r.clone());
        }
        rows.into_iter()
            .filter(|r| !overlays.contains(&r.volume.as_str()))
            .map(|r| replacements.place(r))
            .collect()
    }

    /// The cumulative log of rows in volume order, as an export reads them.
    fn privlog(rows: Vec<PrivLogRow>, overlays: &[&str]) -> Vec<PrivLogRow> {
        let of_overlay = |r: &PrivLogRow| overlays.contains(&r.volume.as_str());
        let mut relogged = Relogged::default();
        for r in rows.iter().filter(|r| of_overlay(r)) {
            relogged.overlay_row(r);
        }
        let kept: Vec<PrivLogRow> = rows
            .into_iter()
            .filter(|r| relogged.keeps(r, of_overlay(r)))
            .collect();
        let numbered = kept
            .iter()
            .enumerate()
            .map(|(i, r)| (log_number(&r.log_id), i as u64))
            .collect();
        match log_order(numbered) {
            None => kept,
            Some(order) => order.iter().map(|&i| kept[i as usize].clone()).collect(),
        }
    }

    #[test]
    fn an_overlay_row_takes_the_place_of_the_recalled_row() {
        let rows = vec![
            row("DOC-000001", "VOL001", "Produced"),
            row("DOC-000002", "VOL001", "Redacted"),
            row("DOC-000003", "VOL002", "Produced"),
            row("DOC-000002", "OVL001", "Withheld"),
            row("DOC-000002", "OVL002", "Redacted"),
        ];
        let got = index(rows, &["OVL001", "OVL002"]);
        let got: Vec<(&str, &str, &str)> = got
            .iter()
            .map(|(r, by)| (r.control_id.as_str(), r.treatment.as_str(), by.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("DOC-000001", "Produced", ""),
                ("DOC-000002", "Redacted", "OVL002"),
                ("DOC-000003", "Produced", "")
            ]
        );
    }

    #[test]
    fn the_log_keeps_only_the_latest_entry_of_a_replaced_document() {
        let rows = vec![
            log("PRIV-000001", "DOC-000002", "VOL001"),
            log("PRIV-000002", "DOC-000004", "VOL001"),
            log("PRIV-000003", "DOC-000002", "OVL001"),
        ];
        let got: Vec<String> = privlog(rows, &["OVL001"])
            .into_iter()
            .map(|r| r.log_id)
            .collect();
        assert_eq!(got, ["PRIV-000002", "PRIV-000003"]);
    }

    #[test]
    fn a_second_overlay_entry_replaces_the_first() {
        let rows = vec![
            log("PRIV-000001", "DOC-000002", "VOL001"),
            log("PRIV-000002", "DOC-000002", "OVL001"),
            log("PRIV-000003", "DOC-000005", "OVL001"),
            log("PRIV-000004", "DOC-000002", "OVL002"),
        ];
        let got: Vec<String> = privlog(rows, &["OVL001", "OVL002"])
            .into_iter()
            .map(|r| r.log_id)
            .collect();
        assert_eq!(got, ["PRIV-000003", "PRIV-000004"]);
    }

    #[test]
    fn log_ids_out_of_volume_order_are_sorted_by_number_stably() {
        let rows = vec![
            log("PRIV-000007", "DOC-000001", "VOL001"),
            log("LOG-A", "DOC-000002", "VOL001"),
            log("PRIV-000003", "DOC-000003", "VOL002"),
            log("P-000007", "DOC-000004", "VOL002"),
            log("LOG-B", "DOC-000005", "VOL002"),
        ];
        let got: Vec<String> = privlog(rows, &[]).into_iter().map(|r| r.log_id).collect();
        assert_eq!(
            got,
            ["PRIV-000003", "PRIV-000007", "P-000007", "LOG-A", "LOG-B"]
        );
        assert_eq!(log_order(vec![(1, 10), (1, 11), (2, 12)]), None);
    }

    #[test]
    fn the_cumulative_header_is_the_index_header_then_replaced_by() {
        assert_eq!(
            CUMULATIVE_INDEX_COLUMNS[..INDEX_COLUMNS.len()],
            INDEX_COLUMNS
        );
        assert_eq!(CUMULATIVE_INDEX_COLUMNS.last(), Some(&REPLACED_BY));
    }
}
