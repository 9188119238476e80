//! BATES_FORMAT, BATES_GAP and BATES_OVERLAP: within each volume, then
//! across volumes in order of their first number. Inserted pages (numbers
//! with a suffix) are never a gap, an overlap or a format finding.

use super::{Audit, ends, numbers};
use crate::audit::bates::format;
use crate::audit::finding::{Code, Finding};
use crate::audit::overlay::uncovered;
use std::collections::BTreeMap;

/// (first, last, row) per canonical prefix.
type Runs = BTreeMap<String, Vec<(u64, u64, usize)>>;

fn format_findings(a: &Audit, out: &mut Vec<Finding>) {
    for row in &a.rows {
        // A malformed row is already a READ_ERROR; its numbers are not judged.
        if row.log_only() || row.malformed || a.volumes[row.volume].control_only {
            continue;
        }
        let vol = a.volume_name(row.volume);
        if row.beg_raw.is_empty() {
            out.push(
                Finding::new(
                    Code::BatesFormat,
                    vol,
                    format!(
                        "The row at {} has no BEGBATES although it is {} (only a withheld document may go without a number).",
                        row.location.describe(),
                        row.treatment.label().to_lowercase()
                    ),
                )
                .at(row.location.clone()),
            );
            continue;
        }
        let p = &a.patterns[row.volume];
        let mut problems = Vec::new();
        let mut ends_to_check = vec![("BEGBATES", &row.beg_raw, &row.beg)];
        if row.end_raw != row.beg_raw {
            ends_to_check.push(("ENDBATES", &row.end_raw, &row.end));
        }
        for (label, raw, parsed) in ends_to_check {
            match parsed {
                _ if raw.is_empty() => problems.push(format!("{label} is empty")),
                None => problems.push(format!(
                    "{label} `{raw}` is not a Bates number (it does not end in digits)"
                )),
                Some(b) => {
                    if let Some(why) = p.problem(b) {
                        problems.push(format!("{label} `{raw}` {why}"));
                    }
                }
            }
        }
        if let (Some(b), Some(e)) = (&row.beg, &row.end)
            && !b.is_inserted()
        {
            match (p.canonical(b), p.canonical(e)) {
                (Some(x), Some(y)) if x != y => problems.push(format!(
                    "BEGBATES and ENDBATES have different prefixes (`{x}`, `{y}`)"
                )),
                (Some(_), Some(_)) if b.number > e.number => problems.push(format!(
                    "BEGBATES `{}` comes after ENDBATES `{}`",
                    row.beg_raw, row.end_raw
                )),
                _ => {}
            }
        }
        if !problems.is_empty() {
            let bates = if row.end_raw.is_empty() || row.end_raw == row.beg_raw {
                vec![row.beg_raw.to_string()]
            } else {
                vec![row.beg_raw.to_string(), row.end_raw.to_string()]
            };
            out.push(
                Finding::new(
                    Code::BatesFormat,
                    vol,
                    format!(
                        "{} ({}): {}.",
                        row.range_text(),
                        row.location.describe(),
                        problems.join("; ")
                    ),
                )
                .bates(bates)
                .at(row.location.clone()),
            );
        }
    }
}

fn runs_of(a: &Audit, volume: usize) -> Runs {
    let mut runs = Runs::new();
    for (ri, row) in a
        .rows
        .iter()
        .enumerate()
        .filter(|(_, r)| r.volume == volume)
    {
        if let Some((prefix, x, y)) = row.range(&a.patterns[volume]) {
            runs.entry(prefix).or_default().push((x, y, ri));
        }
    }
    for list in runs.values_mut() {
        list.sort_unstable();
    }
    runs
}

fn width(a: &Audit, volume: usize, prefix: &str) -> usize {
    a.patterns[volume].width_of(prefix).unwrap_or(1)
}

/// Sweeps sorted ranges; `cross` reports only pairs from different volumes.
/// `covered`: for an overlay volume, the sorted ranges of the volumes it
/// overlays under the prefix; only the parts of a gap they do not hold are
/// a gap (an overlay re-issues a few documents, not a run of numbers).
fn sweep(
    a: &Audit,
    prefix: &str,
    list: &[(u64, u64, usize)],
    cross: bool,
    covered: &[(u64, u64)],
    out: &mut Vec<Finding>,
) {
    let mut prev: Option<(u64, usize)> = None;
    for &(x, y, r) in list {
        if let Some((pe, pr)) = prev {
            let (rp, rc) = (&a.rows[pr], &a.rows[r]);
            let different = rp.volume != rc.volume;
            let w = width(a, rc.volume, prefix);
            if x <= pe && different == cross {
                let last = pe.min(y);
                let vol = if cross {
                    format!("{}, {}", a.volume_name(rp.volume), a.volume_name(rc.volume))
                } else {
                    a.volume_name(rc.volume).to_string()
                };
                let claim = |row: &crate::audit::rows::IndexRow| {
                    if cross {
                        format!("{} in {}", row.range_text(), a.volume_name(row.volume))
                    } else {
                        format!("{} ({})", row.range_text(), row.location.describe())
                    }
                };
                out.push(
                    Finding::new(
                        Code::BatesOverlap,
                        vol,
                        format!(
                            "{} ({}) {} claimed by two documents: {} and {}.",
                            ends(format(prefix, w, x), format(prefix, w, last)).join(" to "),
                            numbers(last - x + 1),
                            if last == x { "is" } else { "are" },
                            claim(rp),
                            claim(rc)
                        ),
                    )
                    .bates(ends(format(prefix, w, x), format(prefix, w, last)))
                    .at(rc.location.clone()),
                );
            } else if x > pe + 1 && !cross {
                for (lo, hi) in uncovered(pe + 1, x - 1, covered) {
                    let (first, last) = (format(prefix, w, lo), format(prefix, w, hi));
                    out.push(
                        Finding::new(
                            Code::BatesGap,
                            a.volume_name(rc.volume),
                            format!(
                                "No document claims {} ({}), between {} and {}.",
                                ends(first.clone(), last.clone()).join(" to "),
                                numbers(hi - lo + 1),
                                rp.range_text(),
                                rc.range_text()
                            ),
                        )
                        .bates(ends(first, last)),
                    );
                }
            }
        }
        if prev.is_none_or(|(pe, _)| y > pe) {
            prev = Some((y, r));
        }
    }
}

pub fn check(a: &Audit) -> Vec<Finding> {
    let mut out = Vec::new();
    format_findings(a, &mut out);
    let per_volume: Vec<Runs> = (0..a.volumes.len()).map(|v| runs_of(a, v)).collect();
    for (v, runs) in per_volume.iter().enumerate() {
        for (prefix, list) in runs {
            let mut covered: Vec<(u64, u64)> = a.overlays.targets[v]
                .iter()
                .filter_map(|&t| per_volume[t].get(prefix))
                .flat_map(|l| l.iter().map(|&(x, y, _)| (x, y)))
                .collect();
            covered.sort_unstable();
            sweep(a, prefix, list, false, &covered, &mut out);
        }
    }
    // Across volumes, ordered by each volume's first number under the prefix.
    let mut prefixes: BTreeMap<&String, Vec<(u64, u64, usize)>> = BTreeMap::new();
    for (v, runs) in per_volume.iter().enumerate() {
        for (prefix, list) in runs {
            let first = list.iter().map(|r| r.0).min().unwrap_or(0);
            let last = list.iter().map(|r| r.1).max().unwrap_or(0);
            prefixes.entry(prefix).or_default().push((first, last, v));
        }
    }
    for (prefix, mut vols) in prefixes {
        if vols.len() < 2 {
            continue;
        }
        vols.sort_unstable();
        for pair in vols.windows(2) {
            let ((_, last_a, va), (first_b, _, vb)) = (pair[0], pair[1]);
            if first_b > last_a + 1 {
                let w = width(a, vb, prefix);
                let (first, last) = (
                    format(prefix, w, last_a + 1),
                    format(prefix, w, first_b - 1),
                );
                out.push(
                    Finding::new(
                        Code::BatesGap,
                        format!("{}, {}", a.volume_name(va), a.volume_name(vb)),
                        format!(
                            "No document claims {} ({}), between the end of {} ({}) and the start of {} ({}).",
                            ends(first.clone(), last.clone()).join(" to "),
                            numbers(first_b - 1 - last_a),
                            a.volume_name(va),
                            format(prefix, width(a, va, prefix), last_a),
                            a.volume_name(vb),
                            format(prefix, w, first_b)
                        ),
                    )
                    .bates(ends(first, last)),
                );
            }
        }
        // A row an overlay replaces claims its numbers no more.
        let mut all: Vec<(u64, u64, usize)> = vols
            .iter()
            .flat_map(|(_, _, v)| per_volume[*v][prefix].iter().copied())
            .filter(|&(_, _, r)| !a.replaced(r))
            .collect();
        all.sort_unstable();
        sweep(a, prefix, &all, true, &[], &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::testing::{HEADER, Production, STANDARD_ROWS, pdf, with_code};

    fn with_second(row: &str) -> Vec<Finding> {
        let p = Production::standard();
        p.file("IMAGES/0001/DHS-000006.pdf", pdf(1))
            .index_csv(&[HEADER, STANDARD_ROWS[0], row]);
        check(&p.gather().0)
    }

    #[test]
    fn contiguous_documents_give_nothing() {
        assert!(check(&Production::standard().gather().0).is_empty());
    }

    #[test]
    fn a_gap_names_the_numbers_missing() {
        let f =
            with_second("DHS-000006,DHS-000006,1,DOC-000002,Produced,2,IMAGES/0001/DHS-000006.pdf");
        let gaps = with_code(&f, Code::BatesGap);
        assert_eq!(gaps.len(), 1, "{f:?}");
        assert_eq!(gaps[0].bates, ["DHS-000004", "DHS-000005"]);
        assert!(gaps[0].message.contains("2 numbers"), "{}", gaps[0].message);
    }

    #[test]
    fn an_overlap_is_found_and_is_not_also_a_gap() {
        let f =
            with_second("DHS-000003,DHS-000004,2,DOC-000002,Produced,2,IMAGES/0001/DHS-000006.pdf");
        assert_eq!(with_code(&f, Code::BatesOverlap).len(), 1, "{f:?}");
        assert!(with_code(&f, Code::BatesGap).is_empty(), "{f:?}");
    }

    #[test]
    fn a_number_of_another_width_is_a_format_finding() {
        let f = with_second(
            "DHS-0000004,DHS-0000004,1,DOC-000002,Produced,2,IMAGES/0001/DHS-000006.pdf",
        );
        let format = with_code(&f, Code::BatesFormat);
        assert_eq!(format.len(), 1, "{f:?}");
        assert!(
            format[0].message.contains("DHS-0000004"),
            "{}",
            format[0].message
        );
    }
}
