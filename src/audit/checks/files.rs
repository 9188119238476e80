//! MISSING_FILE (an index row whose file is not in the folder) and
//! UNINDEXED_FILE (a file no index row names). Load files never count: files
//! under DATA/, checksum lists, the load files in use, and load-file-like
//! files (.dat, .opt, .csv, .txt, …) at the top of the volume.
//!
//! One missing file is one finding: the link that names it, the image
//! cross-reference lines of its pages and the checksum-list line that lists
//! it are named in the same MISSING_FILE.

use super::Audit;
use crate::audit::FastMap;
use crate::audit::bates;
use crate::audit::columns::Field;
use crate::audit::discover::{self, Kind};
use crate::audit::finding::{Code, Finding, Location};
use std::collections::BTreeMap;

use crate::audit::tie::same_file_key;

/// Everything in a volume naming one missing file.
#[derive(Default)]
struct Missing {
    /// The row the file belongs to, and the link naming it (header, value).
    row: Option<usize>,
    link: Option<(String, String)>,
    /// The path as an image cross-reference writes it, and the lines of
    /// each cross-reference naming it (by its position in the volume's list).
    xref_path: Option<String>,
    xref_lines: BTreeMap<usize, Vec<usize>>,
    /// (list, line, path) of checksum-list lines listing it.
    sums: Vec<(String, usize, String)>,
}

/// `line 4`, `lines 1–3`, `lines 1–3, 7`.
fn lines_text(lines: &[usize]) -> String {
    let numbers: Vec<u64> = lines.iter().map(|&l| l as u64).collect();
    let runs: Vec<String> = bates::runs(&numbers)
        .into_iter()
        .map(|(a, b)| {
            if a == b {
                a.to_string()
            } else {
                format!("{a}–{b}")
            }
        })
        .collect();
    format!(
        "{} {}",
        if lines.len() == 1 { "line" } else { "lines" },
        runs.join(", ")
    )
}

/// The missing files of volume `vi`, keyed by [`same_file_key`].
fn missing_in(a: &Audit, vi: usize) -> BTreeMap<String, Missing> {
    let mut out: BTreeMap<String, Missing> = BTreeMap::new();
    // Per row, the key of its broken image link: its pages join it.
    let mut image_link: FastMap<usize, String> = FastMap::default();
    // The files of rows an overlay replaces: a recalled document's files
    // may be gone (returned or destroyed), and nothing more is said of them.
    let mut recalled: std::collections::HashSet<String> = std::collections::HashSet::new();
    for (ri, row) in a.rows.iter().enumerate() {
        if row.volume != vi || row.malformed || row.log_only() {
            continue;
        }
        if a.replaced(ri) {
            recalled.extend(a.ties.broken[ri].iter().map(|(_, v)| same_file_key(v)));
            continue;
        }
        for (header, value) in &a.ties.broken[ri] {
            let key = same_file_key(value);
            let is_image = row
                .links
                .iter()
                .any(|(f, h, v)| *f == Field::ImageLink && **h == **header && v == value);
            if is_image {
                image_link.entry(ri).or_insert_with(|| key.clone());
            }
            let m = out.entry(key).or_default();
            if m.link.is_none() {
                m.row = Some(ri);
                m.link = Some((header.clone(), value.clone()));
            }
        }
    }
    let vol = &a.volumes[vi];
    for (xi, (_, opt)) in vol.xrefs.iter().enumerate() {
        for (li, line) in opt.lines.iter().enumerate() {
            if a.opt_files[vi][xi].get(li).copied().flatten().is_some() || line.path().is_empty() {
                continue;
            }
            // A wrong path beside the page's present image is the
            // cross-reference's own mistake (OPT_MISMATCH).
            if !a.xref_missing[vi][xi][li] {
                continue;
            }
            let Some(&(ri, _)) = a.opt_keys[vi].get(line.key()) else {
                continue;
            };
            if a.replaced(ri) {
                recalled.insert(same_file_key(line.path()));
                continue;
            }
            let key = image_link
                .get(&ri)
                .cloned()
                .unwrap_or_else(|| same_file_key(line.path()));
            let m = out.entry(key).or_default();
            m.row.get_or_insert(ri);
            m.xref_path.get_or_insert_with(|| line.path().to_string());
            m.xref_lines.entry(xi).or_default().push(line.line);
        }
    }
    for (list, entries) in &vol.sums {
        for e in entries {
            if let Some(path) = e.unresolved()
                && !recalled.contains(&same_file_key(path))
            {
                let m = out.entry(same_file_key(path)).or_default();
                m.sums
                    .push((list.display.clone(), e.line, path.to_string()));
            }
        }
    }
    out
}

/// The MISSING_FILE findings of links, image cross-references and checksum
/// lists, one per missing file.
fn missing_findings(
    a: &Audit,
    vi: usize,
    missing: &BTreeMap<String, Missing>,
    out: &mut Vec<Finding>,
) {
    let vol = a.volume_name(vi);
    let xref_name = |xi: usize| a.volumes[vi].xrefs[xi].0.display.clone();
    for m in missing.values() {
        let mut also: Vec<String> = Vec::new();
        // Every cross-reference naming the file, but the one a message
        // without a link starts from.
        let skip = usize::from(m.link.is_none());
        for (&xi, lines) in m.xref_lines.iter().skip(skip) {
            also.push(format!("{} {}", xref_name(xi), lines_text(lines)));
        }
        let sums_lines = |skip_first: bool| {
            m.sums
                .iter()
                .skip(usize::from(skip_first))
                .map(|(list, line, _)| format!("{list} line {line}"))
                .collect::<Vec<_>>()
        };
        let row = m.row.map(|r| &a.rows[r]);
        let bates: Vec<String> = row
            .map(|r| r.bates_ends().into_iter().take(1).collect())
            .unwrap_or_default();
        let (message, file, at) = match (&m.link, &m.xref_path, row) {
            (Some((header, value)), _, Some(row)) => {
                // The file a link names: the checksum list and the image
                // cross-reference say nothing more.
                also.extend(sums_lines(false));
                let outside = crate::audit::tie::points_outside(value, &a.volumes[vi].dir.root);
                let why = if outside {
                    "which lies outside the folders audited: it was not opened"
                } else {
                    "which is not in the folder"
                };
                (
                    format!("{header} of {} names `{value}`, {why}", row.label()),
                    value.clone(),
                    row.location.clone(),
                )
            }
            (None, Some(path), Some(row)) => {
                also.extend(sums_lines(false));
                let Some((&xi, lines)) = m.xref_lines.iter().next() else {
                    continue;
                };
                (
                    format!(
                        "`{path}`, the image of {} in {} {}, is not in the folder",
                        row.range_text(),
                        xref_name(xi),
                        lines_text(lines)
                    ),
                    path.clone(),
                    Location {
                        file: xref_name(xi).into(),
                        line: lines.first().copied(),
                        cell: None,
                    },
                )
            }
            _ => {
                let Some((list, line, path)) = m.sums.first() else {
                    continue;
                };
                also.extend(sums_lines(true));
                (
                    format!("`{path}` is listed in {list} (line {line}) but is not in the folder"),
                    path.clone(),
                    Location {
                        file: list.as_str().into(),
                        line: Some(*line),
                        cell: None,
                    },
                )
            }
        };
        let message = match also.split_last() {
            None => format!("{message}."),
            Some((last, [])) => format!("{message} (also named by {last})."),
            Some((last, rest)) => {
                format!("{message} (also named by {} and {last}).", rest.join(", "))
            }
        };
        out.push(
            Finding::new(Code::MissingFile, vol, message)
                .bates(bates)
                .files([file])
                .at(at),
        );
    }
}

pub fn check(a: &Audit) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut named: Vec<bool> = vec![false; a.rows.len()];
    for vi in 0..a.volumes.len() {
        let missing = missing_in(a, vi);
        missing_findings(a, vi, &missing, &mut out);
        for r in missing.values().filter_map(|m| m.row) {
            named[r] = true;
        }
    }
    for (ri, row) in a.rows.iter().enumerate() {
        if row.malformed || row.log_only() || named[ri] || a.replaced(ri) {
            continue;
        }
        if a.ties.broken[ri].is_empty() && a.ties.all(ri).next().is_none() {
            let why = if row.name_key().is_empty() {
                "no link column names a file for it".to_string()
            } else {
                format!(
                    "no link names one and no file under IMAGES/, NATIVES/ or TEXT/ is named `{}.*`",
                    row.name_key()
                )
            };
            out.push(
                Finding::new(
                    Code::MissingFile,
                    a.volume_name(row.volume),
                    format!(
                        "No file was found for {} ({}): {why}.",
                        row.range_text(),
                        row.location.describe()
                    ),
                )
                .bates(row.bates_ends().into_iter().take(1))
                .at(row.location.clone()),
            );
        }
    }
    for (fi, file) in a.files.iter().enumerate() {
        let exempt =
            file.load_file() || file.kind == Kind::Data || discover::is_top_load_file(file.rel());
        if exempt || !a.ties.file_rows[fi].is_empty() {
            continue;
        }
        out.push(
            Finding::new(
                Code::UnindexedFile,
                a.volume_name(file.volume),
                format!(
                    "`{}` is in the folder but no index row names it.",
                    file.display()
                ),
            )
            .files([file.display().to_string()]),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::audit::testing::{Production, pdf, with_code};

    #[test]
    fn a_link_to_nothing_is_missing_and_a_stray_file_unindexed() {
        let p = Production::standard();
        std::fs::remove_file(p.volume().join("IMAGES/0001/DHS-000004.pdf")).unwrap();
        p.file("IMAGES/0001/stray.pdf", pdf(1));
        let f = check(&p.gather().0);
        let missing = with_code(&f, Code::MissingFile);
        assert_eq!(missing.len(), 1, "{f:?}");
        assert!(
            missing[0].message.contains("DHS-000004.pdf"),
            "{}",
            missing[0].message
        );
        let stray = with_code(&f, Code::UnindexedFile);
        assert_eq!(stray.len(), 1, "{f:?}");
        assert_eq!(stray[0].files, ["VOL001/IMAGES/0001/stray.pdf"]);
    }

    #[test]
    fn line_lists() {
        assert_eq!(lines_text(&[4]), "line 4");
        assert_eq!(lines_text(&[1, 2, 3, 7]), "lines 1–3, 7");
    }
}
