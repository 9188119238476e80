//! Overlay volumes: a volume that re-issues recalled or corrected documents
//! on their original Bates numbers (`adrec produce VOLUME --overlay`, or
//! another tool's replacement volume). Its rows replace the rows of the
//! volumes it overlays that have the same BEGBATES: the replaced rows, their
//! files and their image cross-reference lines are no longer judged (no
//! BATES_OVERLAP with their replacement, no HASH_MISMATCH against the
//! recalled files, no DUPLICATE_PRODUCED or LOG_PRODUCED for the recalled
//! version), and the report's notes list each replacement.
//!
//! A volume is an overlay when a `*_manifest.json` in its DATA folder names
//! the volumes it overlays (`"overlay_of": ["VOL001"]`), or when it is given
//! with `--overlay VOL`: it then overlays every other volume audited.

use super::FastMap;
use super::Options;
use super::discover::FileEntry;
use super::load::Loaded;
use crate::error::Error;

/// Which rows are replaced, and by what.
#[derive(Debug, Default, Clone)]
pub struct Overlays {
    /// Per row: the overlay row that replaces it.
    pub replaced_by: Vec<Option<usize>>,
    /// Per volume: the volumes it overlays (empty for an ordinary volume).
    pub targets: Vec<Vec<usize>>,
}

impl Overlays {
    /// No overlay: `rows` rows, `volumes` volumes, nothing replaced.
    pub fn none(rows: usize, volumes: usize) -> Overlays {
        Overlays {
            replaced_by: vec![None; rows],
            targets: vec![Vec::new(); volumes],
        }
    }

    pub fn replaced(&self, row: usize) -> bool {
        self.replaced_by.get(row).is_some_and(Option::is_some)
    }
}

/// The volumes a volume's manifest says it overlays: `overlay_of` of any
/// `*_manifest.json` in its DATA folder.
fn manifest_overlay_of(vi: usize, files: &[FileEntry]) -> Vec<String> {
    let mut names = Vec::new();
    for f in files.iter().filter(|f| f.volume == vi) {
        let lower = f.rel.to_ascii_lowercase();
        let Some(name) = lower.strip_prefix("data/") else {
            continue;
        };
        if name.contains('/') || !name.ends_with("_manifest.json") {
            continue;
        }
        let Ok(bytes) = std::fs::read(&f.abs) else {
            continue;
        };
        let Ok(value) = serde_json::from_slice::<serde_json::Value>(&bytes) else {
            continue;
        };
        if let Some(list) = value.get("overlay_of").and_then(|v| v.as_array()) {
            names.extend(
                list.iter()
                    .filter_map(|v| v.as_str())
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty()),
            );
        }
    }
    names
}

/// The volume named `name` (as its folder is named, ignoring case).
fn volume_named(loaded: &Loaded, name: &str) -> Option<usize> {
    loaded
        .volumes
        .iter()
        .position(|v| v.dir.name.eq_ignore_ascii_case(name.trim()))
}

/// Finds the overlay volumes and the rows their rows replace, and notes
/// each replacement in the overlay volume's notes. An input error when
/// `--overlay` names a volume that is not audited.
pub fn find(opts: &Options, loaded: &mut Loaded, files: &[FileEntry]) -> Result<Overlays, Error> {
    let nvol = loaded.volumes.len();
    let mut out = Overlays::none(loaded.rows.len(), nvol);
    for name in &opts.overlays {
        let Some(o) = volume_named(loaded, name) else {
            let names: Vec<&str> = loaded.volumes.iter().map(|v| v.dir.name.as_str()).collect();
            return Err(Error::input(format!(
                "--overlay {name}: no volume of that name is audited (the volumes audited are {})",
                names.join(", ")
            ))
            .hint(
                "give the overlay volume's folder name, and its folder among the folders audited",
            ));
        };
        out.targets[o] = (0..nvol).filter(|&v| v != o).collect();
    }
    for o in 0..nvol {
        for name in manifest_overlay_of(o, files) {
            match volume_named(loaded, &name) {
                Some(t) if t != o => {
                    if !out.targets[o].contains(&t) {
                        out.targets[o].push(t);
                    }
                }
                Some(_) => {}
                None => {
                    let ov = loaded.volumes[o].dir.name.clone();
                    loaded.volumes[o].report.notes.push(format!(
                        "{ov} is an overlay of {name} (its manifest says so), which was not audited: its rows were audited as they stand"
                    ));
                }
            }
        }
    }
    // Two volumes that each claim to overlay the other replace nothing of
    // each other: their overlaps are reported.
    let targets = out.targets.clone();
    for (o, list) in out.targets.iter_mut().enumerate() {
        list.retain(|&t| !targets[t].contains(&o));
        list.sort_unstable();
    }
    // Rows by volume and BEGBATES (ignoring case).
    let mut by_beg: FastMap<(usize, String), Vec<usize>> = FastMap::default();
    for (ri, row) in loaded.rows.iter().enumerate() {
        if !row.malformed && !row.beg_raw.is_empty() {
            by_beg
                .entry((row.volume, row.beg_raw.to_uppercase()))
                .or_default()
                .push(ri);
        }
    }
    let mut notes: Vec<(usize, String)> = Vec::new();
    for (oi, row) in loaded.rows.iter().enumerate() {
        let o = row.volume;
        if out.targets[o].is_empty() || row.malformed || row.beg_raw.is_empty() {
            continue;
        }
        if loaded.volumes[o].control_only {
            continue;
        }
        let key = row.beg_raw.to_uppercase();
        for &t in &out.targets[o] {
            for &ri in by_beg.get(&(t, key.clone())).map_or(&[][..], Vec::as_slice) {
                out.replaced_by[ri] = Some(oi);
                let old = &loaded.rows[ri];
                let id = if old.control_id.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", old.control_id)
                };
                notes.push((
                    o,
                    format!(
                        "{} replaces {}{id} of {} with {} ({}): the earlier rows, files and image lines of those numbers were not audited",
                        loaded.volumes[o].dir.name,
                        old.range_text(),
                        loaded.volumes[t].dir.name,
                        row.range_text(),
                        row.treatment.label().to_lowercase()
                    ),
                ));
            }
        }
    }
    for (o, note) in notes {
        loaded.volumes[o].report.notes.push(note);
    }
    Ok(out)
}

/// The parts of `lo..=hi` that no range of `covered` (sorted, possibly
/// overlapping) holds.
pub fn uncovered(lo: u64, hi: u64, covered: &[(u64, u64)]) -> Vec<(u64, u64)> {
    let mut out = Vec::new();
    let mut next = lo;
    for &(x, y) in covered {
        if next > hi {
            break;
        }
        if y < next {
            continue;
        }
        if x > hi {
            break;
        }
        if x > next {
            out.push((next, x - 1));
        }
        next = next.max(y.saturating_add(1));
        if y == u64::MAX {
            return out;
        }
    }
    if next <= hi {
        out.push((next, hi));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uncovered_parts() {
        assert_eq!(uncovered(5, 9, &[]), vec![(5, 9)]);
        assert_eq!(uncovered(5, 9, &[(1, 10)]), vec![]);
        assert_eq!(uncovered(5, 9, &[(1, 5), (7, 7)]), vec![(6, 6), (8, 9)]);
        assert_eq!(uncovered(5, 9, &[(1, 3), (6, 20)]), vec![(5, 5)]);
        assert_eq!(
            uncovered(5, 9, &[(1, 6), (2, 4), (8, 8)]),
            vec![(7, 7), (9, 9)]
        );
    }
}
