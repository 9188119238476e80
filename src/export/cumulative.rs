//! Cumulative exports over every volume: an overlay volume's rows take the
//! place of the rows of the documents it replaced (a clawback), so the index
//! and the log show the replacement, never the recalled version, and the
//! index says in REPLACED_BY which overlay did it.

use super::row::{INDEX_COLUMNS, IndexRow, PrivLogRow};
use std::collections::HashMap;

/// The column the cumulative index adds after the index columns.
pub const REPLACED_BY: &str = "REPLACED_BY";

/// Index rows in volume order (as stored) → the cumulative index: each row
/// an overlay replaced is the overlay's row, with the overlay's name.
pub fn index(rows: Vec<IndexRow>, overlays: &[String]) -> Vec<(IndexRow, String)> {
    let is_overlay = |r: &IndexRow| overlays.contains(&r.volume);
    // The latest overlay of each document wins (rows come in volume order).
    let mut latest: HashMap<String, IndexRow> = HashMap::new();
    for r in rows.iter().filter(|r| is_overlay(r)) {
        latest.insert(r.control_id.clone(), r.clone());
    }
    rows.into_iter()
        .filter(|r| !is_overlay(r))
        .map(|r| match latest.get(&r.control_id) {
            Some(replacement) => (replacement.clone(), replacement.volume.clone()),
            None => (r, String::new()),
        })
        .collect()
}

/// Log rows in volume order → the cumulative log in LOG_ID order, without
/// the rows of documents a later overlay logged again.
pub fn privlog(rows: Vec<PrivLogRow>, overlays: &[String]) -> Vec<PrivLogRow> {
    let mut latest: HashMap<&str, usize> = HashMap::new();
    for (i, r) in rows.iter().enumerate() {
        if overlays.contains(&r.volume) {
            latest.insert(r.control_id.as_str(), i);
        }
    }
    let mut keep: Vec<PrivLogRow> = rows
        .iter()
        .enumerate()
        .filter(|(i, r)| latest.get(r.control_id.as_str()).is_none_or(|l| l == i))
        .map(|(_, r)| r.clone())
        .collect();
    keep.sort_by_key(|r| log_number(&r.log_id));
    keep
}

fn log_number(log_id: &str) -> u64 {
    log_id
        .trim_start_matches(|c: char| !c.is_ascii_digit())
        .parse()
        .unwrap_or(u64::MAX)
}

/// The cumulative index's header: the index columns, then REPLACED_BY.
pub fn index_header() -> Vec<&'static str> {
    INDEX_COLUMNS.iter().copied().chain([REPLACED_BY]).collect()
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

    #[test]
    fn an_overlay_row_takes_the_place_of_the_recalled_row() {
        let rows = vec![
            row("DOC-000001", "VOL001", "Produced"),
            row("DOC-000002", "VOL001", "Redacted"),
            row("DOC-000003", "VOL002", "Produced"),
            row("DOC-000002", "OVL001", "Withheld"),
            row("DOC-000002", "OVL002", "Redacted"),
        ];
        let got = index(rows, &["OVL001".into(), "OVL002".into()]);
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
        let got: Vec<String> = privlog(rows, &["OVL001".into()])
            .into_iter()
            .map(|r| r.log_id)
            .collect();
        assert_eq!(got, ["PRIV-000002", "PRIV-000003"]);
    }
}
