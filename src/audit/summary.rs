//! Per-volume facts for the report: documents, Bates ranges and patterns,
//! files, and notes on what could not be checked.

use super::Audit;
use super::bates::{format, runs_of_ranges};
use super::finding::VolumeReport;
use std::collections::BTreeMap;

pub fn volume_reports(a: &Audit) -> Vec<VolumeReport> {
    a.volumes
        .iter()
        .enumerate()
        .map(|(vi, vol)| {
            let mut report = vol.report.clone();
            let rows = a.rows.iter().filter(|r| r.volume == vi);
            report.documents = rows.clone().filter(|r| !r.beg_raw.is_empty() || (vol.control_only && !r.log_only())).count();
            report.log_only = rows.clone().filter(|r| r.log_only()).count();
            // Ranges, not their numbers: a row may claim millions.
            let mut ranges: BTreeMap<String, Vec<(u64, u64)>> = BTreeMap::new();
            for row in rows.clone() {
                if let Some((prefix, x, y)) = row.range(&a.patterns[vi]) {
                    ranges.entry(prefix).or_default().push((x, y));
                }
            }
            for (prefix, list) in ranges {
                let w = a.patterns[vi].width_of(&prefix).unwrap_or(1);
                for (x, y) in runs_of_ranges(list) {
                    report.bates_numbers = report.bates_numbers.saturating_add((y - x).saturating_add(1));
                    report.bates_ranges.push(if x == y { format(&prefix, w, x) } else { format!("{} – {}", format(&prefix, w, x), format(&prefix, w, y)) });
                }
            }
            report.patterns = a.patterns[vi].list();
            let files = a.files.iter().filter(|f| f.volume == vi);
            report.files = files.clone().count();
            report.bytes = files.map(|f| f.size).sum();
            let sha1 = rows.flat_map(|r| &r.hashes).filter(|c| c.value.len() == 40 && c.value.is_hex()).count();
            if sha1 > 0 {
                report.notes.push(format!("{sha1} SHA-1 hash cell(s) were not checked (adrec computes SHA-256 and MD5)"));
            }
            if vol.xrefs.is_empty() {
                report.notes.push("no image cross-reference (OPT, LFP or DII) was found; the OPT checks did not run".into());
            }
            if vol.sums.is_empty() {
                report.notes.push("no SHA256SUMS or MD5SUMS list was found; files were checked only against the index's hash columns".into());
            }
            report
        })
        .collect()
}
