//! OPT_MISMATCH: the Opticon OPT against the index and the folder — lines
//! with fewer than 5 or more than 7 fields (5 and 6 are read with the
//! missing fields empty, and one note says so), a first page without `Y` or with a page count that
//! differs from the Bates range, `Y` on a later page, image keys outside
//! every range, pages with no line, paths that do not exist.

use super::Audit;
use crate::audit::FastMap;
use crate::audit::bates::{self, Bates};
use crate::audit::finding::{Code, Finding, Location};
use std::collections::BTreeMap;

/// Records that page `page` of row `ri` has a line.
fn mark(seen: &mut FastMap<usize, Vec<bool>>, ri: usize, page: u64, expected: u64) {
    let pages = seen
        .entry(ri)
        .or_insert_with(|| vec![false; expected.min(1_000_000) as usize]);
    if let Some(slot) = pages.get_mut(page as usize) {
        *slot = true;
    }
}

/// Which pages of each row of volume `vi` image cross-reference `xi` lists:
/// a line's key names its page; a line that could not be read or has the
/// wrong number of fields still counts (it is its own finding); a DII line
/// naming a multi-page file holds the pages after it too (a DII lists image
/// files, not pages; OPT and LFP have a line per page even inside one file).
pub fn seen_pages(a: &Audit, vi: usize, xi: usize) -> FastMap<usize, Vec<bool>> {
    let mut seen: FastMap<usize, Vec<bool>> = FastMap::default();
    let Some((_, opt)) = a.volumes[vi].xrefs.get(xi) else {
        return seen;
    };
    let keys = &a.opt_keys[vi];
    let patterns = &a.patterns[vi];
    let dii = opt.dialect == "Summation DII";
    let lines = opt
        .lines
        .iter()
        .enumerate()
        .map(|(li, l)| (Some(li), l.key()));
    let unread = opt.unread_keys.iter().map(|k| (None, k.as_str()));
    for (li, key) in lines.chain(unread) {
        let Some(&(ri, page)) = keys.get(key) else {
            continue;
        };
        let expected = a.rows[ri].expected_pages(patterns).unwrap_or(1);
        let file = li.and_then(|li| a.opt_files[vi][xi].get(li).copied().flatten());
        let frames = file
            .filter(|_| dii)
            .and_then(|f| a.frames(f))
            .unwrap_or(1)
            .min(1_000_000);
        for k in 0..frames {
            mark(&mut seen, ri, page + k, expected);
        }
    }
    seen
}

/// Pages of the indexed documents of volume `vi` that cross-reference `xi`
/// does not list, by row (page numbers from 0).
pub fn absent_pages(a: &Audit, vi: usize, xi: usize) -> BTreeMap<usize, Vec<u64>> {
    let vol = &a.volumes[vi];
    let mut missing = BTreeMap::new();
    if vol.control_only {
        return missing;
    }
    let seen = seen_pages(a, vi, xi);
    for (ri, row) in a.rows.iter().enumerate() {
        if row.volume != vi || row.malformed || row.beg_raw.is_empty() || a.replaced(ri) {
            continue;
        }
        let expected = row
            .expected_pages(&a.patterns[vi])
            .unwrap_or(1)
            .min(1_000_000);
        let pages = seen.get(&ri);
        let absent: Vec<u64> = (0..expected)
            .filter(|&k| !pages.is_some_and(|p| p.get(k as usize).copied().unwrap_or(false)))
            .collect();
        if !absent.is_empty() {
            missing.insert(ri, absent);
        }
    }
    missing
}

pub fn check(a: &Audit) -> Vec<Finding> {
    let mut out = Vec::new();
    for (vi, vol) in a.volumes.iter().enumerate() {
        for (xi, (lf, opt)) in vol.xrefs.iter().enumerate() {
            check_one(a, vi, (lf, opt), xi, &mut out);
        }
        unlisted_findings(a, vi, &mut out);
    }
    out
}

/// Pages with no line, one finding per document and set of pages, naming
/// every cross-reference of the volume that lacks them.
fn unlisted_findings(a: &Audit, vi: usize, out: &mut Vec<Finding>) {
    let vol = &a.volumes[vi];
    let name = vol.dir.name.as_str();
    let patterns = &a.patterns[vi];
    let mut groups: BTreeMap<(usize, Vec<u64>), Vec<String>> = BTreeMap::new();
    for (xi, (lf, _)) in vol.xrefs.iter().enumerate() {
        for (ri, absent) in absent_pages(a, vi, xi) {
            groups
                .entry((ri, absent))
                .or_default()
                .push(lf.display.clone());
        }
    }
    for ((ri, absent), xrefs) in groups {
        let row = &a.rows[ri];
        let (names, bates): (Vec<String>, Vec<String>) =
            match (&row.beg, row.expected_pages(patterns)) {
                (Some(b), Some(_)) => {
                    let runs =
                        bates::runs(&absent.iter().map(|k| b.number + k).collect::<Vec<_>>());
                    let names = runs
                        .iter()
                        .map(|&(x, y)| {
                            let (x, y) = (
                                bates::format(&b.prefix, b.width, x),
                                bates::format(&b.prefix, b.width, y),
                            );
                            if x == y { x } else { format!("{x} to {y}") }
                        })
                        .collect();
                    let first = bates::format(&b.prefix, b.width, runs[0].0);
                    let last = bates::format(&b.prefix, b.width, runs[runs.len() - 1].1);
                    (names, super::ends(first, last))
                }
                _ => (vec![row.beg_raw.to_string()], vec![row.beg_raw.to_string()]),
            };
        // Short of the same pages in the images too: the pages were not
        // produced, one finding (checks/pages.rs says nothing more).
        let images = super::pages::image_pages(a, ri)
            .filter(|&n| Some(n + absent.len() as u64) == row.expected_pages(patterns))
            .map_or(String::new(), |n| {
                format!(
                    ", and no image: the document's images hold {n} page{}",
                    if n == 1 { "" } else { "s" }
                )
            });
        out.push(
            Finding::new(
                Code::OptMismatch,
                name,
                format!(
                    "{} of {} {} no line in {}{images}.",
                    names.join(", "),
                    row.range_text(),
                    if absent.len() == 1 { "has" } else { "have" },
                    xrefs.join(" or ")
                ),
            )
            .bates(bates)
            .at(row.location.clone()),
        );
    }
}

/// Whether an image key of volume `vi` is a page (or inserted page) of a
/// row an overlay replaces.
fn replaced_line(a: &Audit, vi: usize, key: &str) -> bool {
    let row = a.opt_keys[vi].get(key).map(|&(r, _)| r).or_else(|| {
        let b = Bates::parse(key)?;
        a.ranges
            .row_holding(vi, a.patterns[vi].canonical(&b)?, b.number)
    });
    row.is_some_and(|r| a.replaced(r))
}

/// Image cross-reference `xi` of volume `vi`.
fn check_one(
    a: &Audit,
    vi: usize,
    (lf, opt): (&crate::audit::load::LoadFile, &crate::audit::read::opt::Opt),
    xi: usize,
    out: &mut Vec<Finding>,
) {
    let files = &a.opt_files[vi][xi];
    let brk = opt.break_mark();
    let xref_missing = &a.xref_missing[vi][xi];
    let vol = &a.volumes[vi];
    {
        let name = vol.dir.name.as_str();
        let patterns = &a.patterns[vi];
        let keys = &a.opt_keys[vi];
        let at = |line: usize| Location {
            file: lf.display.as_str().into(),
            line: Some(line),
            cell: None,
        };
        let mut push = |line: usize, bates: Vec<String>, files: Vec<String>, message: String| {
            out.push(
                Finding::new(Code::OptMismatch, name, message)
                    .bates(bates)
                    .files(files)
                    .at(at(line)),
            );
        };
        // The first line of each key.
        let mut first_line: FastMap<&str, usize> = FastMap::default();
        for (li, line) in opt.lines.iter().enumerate() {
            // The lines of a document an overlay replaces are the recalled version's.
            if replaced_line(a, vi, line.key()) {
                continue;
            }
            let n = line.line;
            let fields = line.field_count();
            if !(5..=7).contains(&fields) {
                // Its page counts as listed (see `seen_pages`): one finding
                // for the line, not another for a page with no line.
                push(
                    n,
                    vec![],
                    vec![],
                    format!(
                        "{} line {n} has {fields} comma-separated fields instead of 7: `{}`.",
                        lf.display,
                        line.raw()
                    ),
                );
                continue;
            }
            let key = line.key();
            if let Some(earlier) = first_line.insert(key, n) {
                push(
                    n,
                    vec![key.to_string()],
                    vec![],
                    format!(
                        "Image key {key} appears on lines {earlier} and {n} of {}.",
                        lf.display
                    ),
                );
                first_line.insert(key, earlier);
                continue;
            }
            let path = line.path();
            let file = files.get(li).copied().flatten();
            // A page whose file is missing is part of that file's
            // MISSING_FILE (checks/files.rs).
            let merged = xref_missing.get(li).copied().unwrap_or(false);
            if file.is_none() && !merged {
                push(
                    n,
                    vec![key.to_string()],
                    vec![path.to_string()],
                    format!(
                        "{} line {n} gives the path `{path}` for {key}, which does not exist.",
                        lf.display
                    ),
                );
            }
            match keys.get(key) {
                None => {
                    let inserted = Bates::parse(key).filter(Bates::is_inserted).and_then(|b| {
                        patterns
                            .canonical(&b)
                            .and_then(|p| a.ranges.row_holding(vi, p, b.number))
                    });
                    // Without Bates numbers only first pages have known keys.
                    if inserted.is_none() && !vol.control_only {
                        push(
                            n,
                            vec![key.to_string()],
                            vec![],
                            format!(
                                "Image key {key} ({} line {n}) is outside every Bates range in the index.",
                                lf.display
                            ),
                        );
                    }
                }
                Some(&(ri, page)) => {
                    let row = &a.rows[ri];
                    let expected = row.expected_pages(patterns).unwrap_or(1);
                    if page == 0 && !line.doc_break() {
                        push(
                            n,
                            vec![key.to_string()],
                            vec![],
                            format!(
                                "{key}, the first page of {}, has no {brk} document break ({} line {n}).",
                                row.range_text(),
                                lf.display
                            ),
                        );
                    } else if page == 0 {
                        // A short line has no page count: one note says so.
                        match line.pages().map(str::parse::<u64>) {
                            None => {}
                            Some(Ok(p))
                                if p == expected || row.expected_pages(patterns).is_none() => {}
                            Some(Ok(p)) => push(
                                n,
                                vec![key.to_string()],
                                vec![],
                                format!(
                                    "{} line {n} gives {key} a page count of {p}, but {} covers {expected}.",
                                    lf.display,
                                    row.range_text()
                                ),
                            ),
                            Some(Err(_)) => push(
                                n,
                                vec![key.to_string()],
                                vec![],
                                format!(
                                    "{} line {n} gives no page count for {key}, the first page of {}.",
                                    lf.display,
                                    row.range_text()
                                ),
                            ),
                        }
                    } else if line.doc_break() {
                        push(
                            n,
                            vec![key.to_string()],
                            vec![],
                            format!(
                                "{key} has a {brk} document break ({} line {n}) but is page {} of {}.",
                                lf.display,
                                page + 1,
                                row.range_text()
                            ),
                        );
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::testing::{Production, with_code};

    const LINES: [&str; 4] = [
        "DHS-000001,VOL001,IMAGES\\0001\\DHS-000001.pdf,Y,,,3",
        "DHS-000002,VOL001,IMAGES\\0001\\DHS-000001.pdf,,,,",
        "DHS-000003,VOL001,IMAGES\\0001\\DHS-000001.pdf,,,,",
        "DHS-000004,VOL001,IMAGES\\0001\\DHS-000004.pdf,Y,,,1",
    ];

    fn with_opt(lines: &[&str]) -> Vec<Finding> {
        let p = Production::standard();
        p.file("DATA/VOL001.opt", lines.join("\r\n") + "\r\n");
        check(&p.gather().0)
    }

    #[test]
    fn a_line_per_page_gives_nothing() {
        assert!(with_opt(&LINES).is_empty());
    }

    #[test]
    fn a_page_left_out_of_the_opt_is_a_mismatch() {
        let f = with_opt(&[LINES[0], LINES[1], LINES[3]]);
        let found = with_code(&f, Code::OptMismatch);
        assert_eq!(found.len(), 1, "{f:?}");
        assert!(
            found[0].message.contains("DHS-000003"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn a_line_naming_no_document_is_a_mismatch() {
        let extra = "DHS-000099,VOL001,IMAGES\\0001\\DHS-000004.pdf,Y,,,1";
        let f = with_opt(&[LINES[0], LINES[1], LINES[2], LINES[3], extra]);
        let found = with_code(&f, Code::OptMismatch);
        assert_eq!(found.len(), 1, "{f:?}");
        assert!(
            found[0].message.contains("DHS-000099"),
            "{}",
            found[0].message
        );
    }
}
