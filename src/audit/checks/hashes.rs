//! HASH_MISMATCH: hash columns against the files they describe (PRODUCED_*
//! with the produced file; SOURCE_* and unqualified hashes only with the
//! row's native), and every checksum list against the files it names.

use super::Audit;
use crate::audit::finding::{Code, Finding, Location};
use crate::audit::read::sums::Algo;
use crate::audit::{hash_target, sums_target};

fn actual(a: &Audit, file: usize, algo: Algo) -> Option<&str> {
    let scan = &a.scans[file];
    match algo {
        Algo::Sha256 => scan.sha256.as_deref(),
        Algo::Md5 => scan.md5.as_deref(),
    }
}

pub fn check(a: &Audit) -> Vec<Finding> {
    let mut out = Vec::new();
    for (ri, row) in a.rows.iter().enumerate() {
        if row.malformed {
            continue;
        }
        let vol = a.volume_name(row.volume);
        for cell in &row.hashes {
            let Some(algo) = Algo::of(&cell.value) else {
                let sha1 =
                    cell.value.len() == 40 && cell.value.bytes().all(|b| b.is_ascii_hexdigit());
                if !sha1 {
                    out.push(
                        Finding::new(
                            Code::ReadError,
                            vol,
                            format!(
                                "{} of {} holds `{}`, which is not a SHA-256 or MD5 digest.",
                                cell.header,
                                row.label(),
                                cell.value
                            ),
                        )
                        .at(row.cell_location(cell)),
                    );
                }
                continue;
            };
            let Some(f) = hash_target(&a.ties, ri, cell.field) else {
                continue;
            };
            let Some(found) = actual(a, f, algo) else {
                continue;
            };
            if found != cell.value {
                let file = &a.files[f].display;
                out.push(
                    Finding::new(
                        Code::HashMismatch,
                        vol,
                        format!(
                            "`{file}` has {} {found}, but {} for {} says {}.",
                            algo.label(),
                            cell.header,
                            row.label(),
                            cell.value
                        ),
                    )
                    .bates([row.beg_raw.clone()].into_iter().filter(|b| !b.is_empty()))
                    .files([file.clone()])
                    .at(row.cell_location(cell)),
                );
            }
        }
    }
    for vol in &a.volumes {
        for (list, entries) in &vol.sums {
            for e in entries {
                let at = Location {
                    file: list.display.clone(),
                    line: Some(e.line),
                    cell: None,
                };
                match sums_target(&a.resolver, vol, &list.dir, &e.path) {
                    // A listed file that is not there is a MISSING_FILE (checks/files.rs).
                    None => {}
                    Some(f) => {
                        let Some(found) = actual(a, f, e.algo) else {
                            continue;
                        };
                        if found != e.hex {
                            let file = &a.files[f];
                            let bates = a.ties.file_rows[f]
                                .iter()
                                .map(|&r| a.rows[r].beg_raw.clone())
                                .filter(|b| !b.is_empty());
                            out.push(
                                Finding::new(
                                    Code::HashMismatch,
                                    &vol.dir.name,
                                    format!(
                                        "`{}` has {} {found}, but {} line {} says {}.",
                                        file.display,
                                        e.algo.label(),
                                        list.display,
                                        e.line,
                                        e.hex
                                    ),
                                )
                                .bates(bates)
                                .files([file.display.clone()])
                                .at(at),
                            );
                        }
                    }
                }
            }
        }
    }
    out
}
