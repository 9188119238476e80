//! DUPLICATE_PRODUCED: documents produced more than once, seen as rows whose
//! natives are byte-identical or whose source-hash cells are equal (within
//! a volume and across the volumes audited). An attachment produced within
//! its family is not counted: families go out whole, so an attachment may
//! share its bytes with a standalone document or another family's member.

use super::Audit;
use crate::audit::columns::Field;
use crate::audit::finding::{Code, Finding};
use crate::audit::rows::HashValue;
use std::collections::BTreeSet;

/// The rows sharing each key, in key order, for keys shared by two rows or
/// more. Pairs are sorted rather than gathered in a map of sets: a volume
/// has a native and source hashes for every row, and a set per key cost
/// more than every other check's data together.
fn groups<K: Ord + Copy>(mut pairs: Vec<(K, usize)>) -> Vec<(K, BTreeSet<usize>)> {
    pairs.sort_unstable();
    pairs.dedup();
    pairs
        .chunk_by(|a, b| a.0 == b.0)
        .filter(|g| g.len() > 1)
        .map(|g| (g[0].0, g.iter().map(|p| p.1).collect()))
        .collect()
}

pub fn check(a: &Audit) -> Vec<Finding> {
    let eligible = |ri: usize| {
        let r = &a.rows[ri];
        // A row an overlay replaces is no longer produced.
        let attachment =
            !r.parent().is_empty() || (!r.beg_attach().is_empty() && r.beg_attach() != &*r.beg_raw);
        !r.malformed && !r.name_key().is_empty() && !r.log_only() && !a.replaced(ri) && !attachment
    };
    // Groups keyed by what they share, in a stable order.
    // Keyed by the digest's bytes, which sort as its lower-case hex does.
    let mut natives: Vec<(&[u8; 32], usize)> = Vec::new();
    let mut sources: Vec<((&str, &HashValue), usize)> = Vec::new();
    for ri in (0..a.rows.len()).filter(|&r| eligible(r)) {
        for &f in &a.ties.natives[ri] {
            if let Some(sha) = &a.scans[f].sha256 {
                natives.push((sha, ri));
            }
        }
        for cell in a.rows[ri]
            .hashes
            .iter()
            .filter(|c| matches!(c.field, Field::SourceHash | Field::Hash))
        {
            if cell.value.len() >= 32 && cell.value.is_hex() {
                sources.push(((&*cell.header, &cell.value), ri));
            }
        }
    }
    let mut seen: BTreeSet<Vec<usize>> = BTreeSet::new();
    let mut out = Vec::new();
    let mut emit = |rows: &BTreeSet<usize>, why: String, out: &mut Vec<Finding>| {
        let rows: Vec<usize> = rows.iter().copied().collect();
        if rows.len() < 2 || !seen.insert(rows.clone()) {
            return;
        }
        let mut vols: Vec<&str> = rows
            .iter()
            .map(|&r| a.volume_name(a.rows[r].volume))
            .collect();
        vols.dedup();
        let labels: Vec<String> = rows.iter().map(|&r| a.rows[r].range_text()).collect();
        let files: Vec<String> = rows
            .iter()
            .flat_map(|&r| {
                a.ties.natives[r]
                    .iter()
                    .map(|&f| a.files[f].display().to_string())
            })
            .collect();
        out.push(
            Finding::new(
                Code::DuplicateProduced,
                vols.join(", "),
                format!(
                    "{} were produced separately but {why}.",
                    labels.join(" and ")
                ),
            )
            .bates(
                rows.iter()
                    .map(|&r| a.rows[r].beg_raw.to_string())
                    .filter(|b| !b.is_empty()),
            )
            .files(files),
        );
    };
    // Only groups of two or more matter; they are reported in a stable order.
    let natives = groups(natives);
    let sources = groups(sources);
    for (sha, rows) in &natives {
        emit(
            rows,
            format!(
                "their natives are byte-identical (SHA-256 {})",
                crate::model::hex(*sha)
            ),
            &mut out,
        );
    }
    for ((header, value), rows) in &sources {
        emit(
            rows,
            format!("share the same {} {value}", header.to_ascii_uppercase()),
            &mut out,
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::testing::{Production, with_code};

    fn with_sources(first: &str, second: &str) -> Vec<Finding> {
        let p = Production::standard();
        p.index_csv(&[
            "BEGBATES,ENDBATES,PGCOUNT,IMAGELINK,SOURCE_SHA256",
            &format!("DHS-000001,DHS-000003,3,IMAGES/0001/DHS-000001.pdf,{first}"),
            &format!("DHS-000004,DHS-000004,1,IMAGES/0001/DHS-000004.pdf,{second}"),
        ]);
        check(&p.gather().0)
    }

    #[test]
    fn different_sources_give_nothing() {
        assert!(with_sources(&"a".repeat(64), &"b".repeat(64)).is_empty());
    }

    #[test]
    fn one_source_produced_twice_is_one_finding_naming_both() {
        let f = with_sources(&"c".repeat(64), &"c".repeat(64));
        let found = with_code(&f, Code::DuplicateProduced);
        assert_eq!(found.len(), 1, "{f:?}");
        assert_eq!(found[0].bates, ["DHS-000001", "DHS-000004"]);
        assert!(
            found[0].message.contains("SOURCE_SHA256"),
            "{}",
            found[0].message
        );
    }
}
