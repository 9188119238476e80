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
        let lower = f.rel().to_ascii_lowercase();
        let Some(name) = lower.strip_prefix("data/") else {
            continue;
        };
        if name.contains('/') || !name.ends_with("_manifest.json") {
            continue;
        }
        let Ok(bytes) = std::fs::read(f.abs()) else {
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
    // Rows of the volumes overlaid by volume and BEGBATES (ignoring case):
    // none at all when nothing is overlaid (most audits), where a map of
    // every row cost 150 bytes a row for nothing.
    let overlaid: Vec<bool> = (0..nvol)
        .map(|v| out.targets.iter().any(|list| list.contains(&v)))
        .collect();
    let mut by_beg: FastMap<(usize, String), Vec<usize>> = FastMap::default();
    for (ri, row) in loaded.rows.iter().enumerate() {
        if overlaid[row.volume] && !row.malformed && !row.beg_raw.is_empty() {
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
    use crate::audit::checks;
    use crate::audit::finding::{Code, Finding};
    use crate::audit::testing::{HEADER, Production, pdf, with_code};

    const LOG_HEADER: &str = "LOG_ID,BEGBATES,ENDBATES,TREATMENT,DOC_DATE,DOC_TYPE,AUTHOR,RECIPIENTS,DESCRIPTION,PRIVILEGE";

    /// The standard VOL001 (with a SHA256SUMS) and an OVL001 re-issuing its
    /// first document, DHS-000001–DHS-000003, withheld on a slip sheet;
    /// `manifest` says whether OVL001's manifest names it an overlay.
    fn with_overlay(manifest: bool) -> Production {
        let p = Production::standard();
        p.file(
            "SHA256SUMS",
            format!(
                "{}  IMAGES/0001/DHS-000001.pdf\n{}  IMAGES/0001/DHS-000004.pdf\n",
                crate::model::sha256_hex(&pdf(3)),
                crate::model::sha256_hex(&pdf(1))
            ),
        );
        p.file_in("OVL001", "IMAGES/0001/DHS-000001.pdf", pdf(3))
            .file_in(
                "OVL001",
                "DATA/index.csv",
                format!(
                    "{HEADER}\r\nDHS-000001,DHS-000003,3,DOC-000001,Withheld,1,IMAGES/0001/DHS-000001.pdf\r\n"
                ),
            )
            .file_in(
                "OVL001",
                "DATA/privlog.csv",
                format!(
                    "{LOG_HEADER}\r\nPRIV-0001,DHS-000001,DHS-000003,Withheld,2023-03-14,Memorandum,Ana Ruiz,Luis Ortega,Legal advice on the draft,Attorney-client\r\n"
                ),
            );
        let of = if manifest {
            r#""overlay_of": ["VOL001"], "#
        } else {
            ""
        };
        p.file_in(
            "OVL001",
            "DATA/OVL001_manifest.json",
            format!(r#"{{"volume": "OVL001", {of}"documents": 1}}"#),
        );
        p
    }

    fn audit(
        p: &Production,
        tweak: impl FnOnce(&mut Options),
    ) -> (crate::audit::Audit, Vec<Finding>) {
        let (audit, mut findings) = p
            .gather_volumes(&["VOL001", "OVL001"], tweak)
            .unwrap_or_else(|e| panic!("gathered: {e:?}"));
        findings.extend(checks::run_all(&audit));
        (audit, findings)
    }

    fn notes(a: &crate::audit::Audit, volume: usize) -> String {
        a.volumes[volume].report.notes.join("\n")
    }

    #[test]
    fn an_overlay_named_by_its_manifest_replaces_the_earlier_row() {
        let p = with_overlay(true);
        let (a, f) = audit(&p, |_| {});
        assert!(f.is_empty(), "{f:?}");
        assert!(a.replaced(0), "{:?}", a.overlays);
        assert!(!a.replaced(1) && !a.replaced(2));
        let n = notes(&a, 1);
        assert!(
            n.contains("OVL001 replaces DHS-000001 – DHS-000003 (DOC-000001) of VOL001"),
            "{n}"
        );
    }

    #[test]
    fn the_recalled_file_may_be_gone_or_swapped() {
        let p = with_overlay(true);
        // The receiving side destroyed the recalled file: its link, OPT
        // lines and checksum line name nothing, and that is no finding.
        std::fs::remove_file(p.volume().join("IMAGES/0001/DHS-000001.pdf")).unwrap();
        p.file(
            "DATA/VOL001.opt",
            "DHS-000001,VOL001,IMAGES\\0001\\DHS-000001.pdf,Y,,,3\r\nDHS-000002,VOL001,IMAGES\\0001\\DHS-000001.pdf,,,,\r\nDHS-000003,VOL001,IMAGES\\0001\\DHS-000001.pdf,,,,\r\nDHS-000004,VOL001,IMAGES\\0001\\DHS-000004.pdf,Y,,,1\r\n",
        );
        let (_, f) = audit(&p, |_| {});
        assert!(f.is_empty(), "{f:?}");
        // Swapped for other bytes: no HASH_MISMATCH against the list.
        p.file("IMAGES/0001/DHS-000001.pdf", pdf(2));
        let (_, f) = audit(&p, |_| {});
        assert!(f.is_empty(), "{f:?}");
    }

    #[test]
    fn a_volume_not_marked_still_overlaps() {
        let p = with_overlay(false);
        let (a, f) = audit(&p, |_| {});
        assert_eq!(with_code(&f, Code::BatesOverlap).len(), 1, "{f:?}");
        assert!(!a.replaced(0));
        // Marked on the command line, it replaces.
        let (a, f) = audit(&p, |o| o.overlays = vec!["ovl001".into()]);
        assert!(f.is_empty(), "{f:?}");
        assert!(a.replaced(0));
        assert!(notes(&a, 1).contains("of VOL001"), "{}", notes(&a, 1));
    }

    #[test]
    fn an_overlay_flag_naming_no_volume_is_an_input_error() {
        let p = with_overlay(false);
        let Err(e) = p.gather_volumes(&["VOL001", "OVL001"], |o| {
            o.overlays = vec!["VOL009".into()]
        }) else {
            panic!("--overlay VOL009 was accepted");
        };
        let text = format!("{e:?}");
        assert!(text.contains("VOL009") && text.contains("OVL001"), "{text}");
    }

    #[test]
    fn an_overlay_row_on_other_numbers_still_overlaps() {
        let p = with_overlay(true);
        // It starts on no earlier row's first number: it replaces nothing.
        p.file_in(
            "OVL001",
            "DATA/index.csv",
            format!(
                "{HEADER}\r\nDHS-000003,DHS-000005,3,DOC-000001,Withheld,1,IMAGES/0001/DHS-000001.pdf\r\n"
            ),
        );
        let (a, f) = audit(&p, |_| {});
        assert!(
            !(0..a.rows.len()).any(|r| a.replaced(r)),
            "{:?}",
            a.overlays
        );
        assert_eq!(with_code(&f, Code::BatesOverlap).len(), 2, "{f:?}");
    }

    #[test]
    fn a_gap_in_an_overlay_counts_only_beyond_the_volumes_it_overlays() {
        let p = with_overlay(true);
        p.file_in("OVL001", "IMAGES/0001/DHS-000009.pdf", pdf(1));
        p.file_in(
            "OVL001",
            "DATA/index.csv",
            format!(
                "{HEADER}\r\nDHS-000001,DHS-000003,3,DOC-000001,Withheld,1,IMAGES/0001/DHS-000001.pdf\r\nDHS-000009,DHS-000009,1,DOC-000009,Produced,2,IMAGES/0001/DHS-000009.pdf\r\n"
            ),
        );
        let (_, f) = audit(&p, |_| {});
        let gaps = with_code(&f, Code::BatesGap);
        assert_eq!(gaps.len(), 1, "{f:?}");
        assert_eq!(gaps[0].bates, ["DHS-000005", "DHS-000008"]);
        assert_eq!(f.len(), 1, "{f:?}");
    }

    #[test]
    fn a_longer_replacement_on_suffixed_pages_replaces_cleanly() {
        let p = with_overlay(true);
        // VOL001's one-page DHS-000004 comes back redacted on two pages,
        // the second an inserted page DHS-000004.001.
        p.file_in("OVL001", "IMAGES/0001/DHS-000004.pdf", pdf(2))
            .file_in(
                "OVL001",
                "DATA/index.csv",
                format!(
                    "{HEADER}\r\nDHS-000001,DHS-000003,3,DOC-000001,Withheld,1,IMAGES/0001/DHS-000001.pdf\r\nDHS-000004,DHS-000004.001,2,DOC-000002,Redacted,2,IMAGES/0001/DHS-000004.pdf\r\n"
                ),
            )
            .file_in(
                "OVL001",
                "DATA/privlog.csv",
                format!(
                    "{LOG_HEADER}\r\nPRIV-0001,DHS-000001,DHS-000003,Withheld,2023-03-14,Memorandum,Ana Ruiz,Luis Ortega,Legal advice on the draft,Attorney-client\r\nPRIV-0002,DHS-000004,DHS-000004.001,Redacted,2023-03-15,Memorandum,Ana Ruiz,Luis Ortega,Predecisional recommendations,Deliberative process\r\n"
                ),
            )
            .file_in(
                "OVL001",
                "DATA/OVL001.opt",
                "DHS-000001,OVL001,IMAGES\\0001\\DHS-000001.pdf,Y,,,3\r\nDHS-000002,OVL001,IMAGES\\0001\\DHS-000001.pdf,,,,\r\nDHS-000003,OVL001,IMAGES\\0001\\DHS-000001.pdf,,,,\r\nDHS-000004,OVL001,IMAGES\\0001\\DHS-000004.pdf,Y,,,2\r\nDHS-000004.001,OVL001,IMAGES\\0001\\DHS-000004.pdf,,,,\r\n",
            );
        let (a, f) = audit(&p, |_| {});
        assert!(f.is_empty(), "{f:?}");
        assert!(a.replaced(0) && a.replaced(1), "{:?}", a.overlays);
        let n = notes(&a, 1);
        assert!(
            n.contains("replaces DHS-000004 (DOC-000002) of VOL001 with DHS-000004 – DHS-000004.001 (redacted)"),
            "{n}"
        );
    }

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
