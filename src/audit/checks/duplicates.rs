//! DUPLICATE_PRODUCED: documents produced more than once, seen as rows whose
//! natives are byte-identical or whose source-hash cells are equal (within
//! a volume and across the volumes audited). An attachment produced within
//! its family is not counted: families go out whole, so an attachment may
//! share its bytes with a standalone document or another family's member.

use super::Audit;
use crate::audit::columns::Field;
use crate::audit::finding::{Code, Finding};
use crate::audit::rows::HashCell;
use std::collections::BTreeSet;

/// The rows sharing each key, in key order, for keys shared by two rows or
/// more. Pairs are sorted rather than gathered in a map of sets: a volume
/// has a native and source hashes for every row, and a set per key cost
/// more than every other check's data together. A pair holds a reference
/// to what it is keyed by (16 bytes), and `key` reads the key from it.
fn groups<T: Copy, K: Ord>(
    mut pairs: Vec<(T, usize)>,
    key: impl Fn(T) -> K,
) -> Vec<(T, BTreeSet<usize>)> {
    pairs.sort_unstable_by(|a, b| key(a.0).cmp(&key(b.0)).then(a.1.cmp(&b.1)));
    pairs.dedup_by(|a, b| a.1 == b.1 && key(a.0) == key(b.0));
    pairs
        .chunk_by(|a, b| key(a.0) == key(b.0))
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
    let source_cells = |ri: usize| {
        a.rows[ri].hashes.iter().filter(|c| {
            matches!(c.field, Field::SourceHash | Field::Hash)
                && c.value.len() >= 32
                && c.value.is_hex()
        })
    };
    let rows: Vec<usize> = (0..a.rows.len()).filter(|&r| eligible(r)).collect();
    // Room made once, counted: a list grown by doubling is held twice over
    // while it grows, and every row of a volume has its hashes.
    let mut natives: Vec<(&[u8; 32], usize)> =
        Vec::with_capacity(rows.iter().map(|&r| a.ties.natives[r].len()).sum());
    let mut sources: Vec<(&HashCell, usize)> =
        Vec::with_capacity(rows.iter().map(|&r| source_cells(r).count()).sum());
    for &ri in &rows {
        for &f in &a.ties.natives[ri] {
            if let Some(sha) = &a.scans[f].sha256 {
                natives.push((sha, ri));
            }
        }
        sources.extend(source_cells(ri).map(|cell| (cell, ri)));
    }
    drop(rows);
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
    let natives = groups(natives, |sha| sha);
    let sources = groups(sources, |cell| (&*cell.header, &cell.value));
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
    for (cell, rows) in &sources {
        emit(
            rows,
            format!(
                "share the same {} {}",
                cell.header.to_ascii_uppercase(),
                cell.value
            ),
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
