//! HASH_MISMATCH: hash columns against the files they describe (PRODUCED_*
//! with the produced file; SOURCE_* and unqualified hashes only with the
//! row's native), and every checksum list against the files it names.

use super::Audit;
use crate::audit::finding::{Code, Finding, Location};
use crate::audit::hash_target;
use crate::audit::read::sums::Algo;

/// The file's digest as lower-case hex: the scan keeps bytes, and the
/// comparison and the message are with text.
fn actual(a: &Audit, file: usize, algo: Algo) -> Option<String> {
    let scan = &a.scans[file];
    match algo {
        Algo::Sha256 => scan.sha256_hex(),
        Algo::Md5 => scan.md5_hex(),
    }
}

pub fn check(a: &Audit) -> Vec<Finding> {
    let mut out = Vec::new();
    for (ri, row) in a.rows.iter().enumerate() {
        // A replaced row's cells describe the recalled files.
        if row.malformed || a.replaced(ri) {
            continue;
        }
        let vol = a.volume_name(row.volume);
        for cell in &row.hashes {
            let Some(algo) = Algo::of(&cell.value.text()) else {
                let sha1 = cell.value.len() == 40 && cell.value.is_hex();
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
            if *found != *cell.value.text() {
                let file = a.files[f].display();
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
                    .bates(
                        [row.beg_raw.to_string()]
                            .into_iter()
                            .filter(|b| !b.is_empty()),
                    )
                    .files([file.to_string()])
                    .at(row.cell_location(cell)),
                );
            }
        }
    }
    for vol in &a.volumes {
        for (list, entries) in &vol.sums {
            for e in entries {
                let at = Location {
                    file: list.display.as_str().into(),
                    line: Some(e.line),
                    cell: None,
                };
                match e.file() {
                    // A listed file that is not there is a MISSING_FILE (checks/files.rs).
                    None => {}
                    // A recalled document's file may have been swapped for its replacement.
                    Some(f) if a.file_replaced(f) => {}
                    Some(f) => {
                        let Some(found) = actual(a, f, e.algo) else {
                            continue;
                        };
                        let listed = e.hex();
                        if found != listed {
                            let file = &a.files[f];
                            let bates = a.ties.file_rows[f]
                                .iter()
                                .map(|&r| a.rows[r].beg_raw.to_string())
                                .filter(|b| !b.is_empty());
                            out.push(
                                Finding::new(
                                    Code::HashMismatch,
                                    &vol.dir.name,
                                    format!(
                                        "`{}` has {} {found}, but {} line {} says {}.",
                                        file.display(),
                                        e.algo.label(),
                                        list.display,
                                        e.line,
                                        listed
                                    ),
                                )
                                .bates(bates)
                                .files([file.display().to_string()])
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::testing::{Production, pdf, with_code};
    use crate::model::sha256_hex;

    fn with_produced_hash(hash: &str) -> Vec<Finding> {
        let p = Production::standard();
        p.index_csv(&[
            "BEGBATES,ENDBATES,PGCOUNT,IMAGELINK,PRODUCED_SHA256",
            &format!("DHS-000001,DHS-000003,3,IMAGES/0001/DHS-000001.pdf,{hash}"),
            "DHS-000004,DHS-000004,1,IMAGES/0001/DHS-000004.pdf,",
        ]);
        check(&p.gather().0)
    }

    #[test]
    fn the_produced_files_own_hash_gives_nothing() {
        assert!(with_produced_hash(&sha256_hex(&pdf(3))).is_empty());
    }

    #[test]
    fn another_hash_is_a_mismatch_naming_both_digests() {
        let wrong = sha256_hex(b"something else");
        let f = with_produced_hash(&wrong);
        let found = with_code(&f, Code::HashMismatch);
        assert_eq!(found.len(), 1, "{f:?}");
        assert!(found[0].message.contains(&wrong), "{}", found[0].message);
        assert!(
            found[0].message.contains(&sha256_hex(&pdf(3))),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn a_cell_that_is_no_digest_is_a_read_error() {
        let f = with_produced_hash("not-a-hash");
        assert_eq!(with_code(&f, Code::ReadError).len(), 1, "{f:?}");
    }

    #[test]
    fn a_checksum_list_line_that_disagrees_is_a_mismatch() {
        let p = Production::standard();
        let good = sha256_hex(&pdf(3));
        let wrong = sha256_hex(b"other");
        p.file(
            "SHA256SUMS",
            format!("{good}  IMAGES/0001/DHS-000001.pdf\n{wrong}  IMAGES/0001/DHS-000004.pdf\n"),
        );
        let f = check(&p.gather().0);
        let found = with_code(&f, Code::HashMismatch);
        assert_eq!(found.len(), 1, "{f:?}");
        assert!(
            found[0].message.contains("DHS-000004.pdf"),
            "{}",
            found[0].message
        );
    }
}
