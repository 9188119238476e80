//! PAGE_MISMATCH (a document's images hold another number of pages than its
//! Bates range, or PGCOUNT disagrees with it), UNAPPLIED_REDACTION (a PDF
//! still holding `/Redact` annotations) and READ_ERROR for produced files
//! that cannot be read.

use super::Audit;
use crate::audit::finding::{Code, Finding};

/// Pages of a row's images: the PDFs' pages and the TIFFs' frames summed,
/// or one per file when several other images (JPG, PNG) make up the document.
pub fn image_pages(a: &Audit, ri: usize) -> Option<u64> {
    let images = &a.ties.images[ri];
    if images.is_empty() {
        return None;
    }
    let mut total = 0;
    let mut non_pdf = 0;
    for &f in images {
        match (a.scans[f].pdf.as_deref(), a.scans[f].tiff_frames()) {
            (Some(Ok(info)), _) => total += info.pages,
            (_, Some(Ok(frames))) => total += frames,
            (Some(Err(_)), _) | (_, Some(Err(_))) => return None,
            (None, None) => non_pdf += 1,
        }
    }
    match (non_pdf, images.len()) {
        (0, _) => Some(total),
        (n, len) if n == len && len > 1 => Some(len as u64),
        _ => None,
    }
}

fn plural(n: u64, one: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {one}s")
    }
}

/// Per row with pages missing from every image cross-reference of its
/// volume: how many (the fewest any cross-reference misses).
fn unlisted_everywhere(a: &Audit) -> crate::audit::FastMap<usize, u64> {
    let mut out = crate::audit::FastMap::default();
    for (vi, vol) in a.volumes.iter().enumerate() {
        let per_xref: Vec<_> = (0..vol.xrefs.len())
            .map(|xi| super::opt::absent_pages(a, vi, xi))
            .collect();
        let Some(first) = per_xref.first() else {
            continue;
        };
        for (&ri, absent) in first {
            let fewest = per_xref
                .iter()
                .map(|m| m.get(&ri).map_or(0, |p| p.len() as u64))
                .min()
                .unwrap_or(0);
            if fewest > 0 {
                out.insert(ri, fewest.min(absent.len() as u64));
            }
        }
    }
    out
}

pub fn check(a: &Audit) -> Vec<Finding> {
    let mut out = Vec::new();
    let missing = a.rows_missing_files();
    // Only needed (and only worked out) when some document's images fall short.
    let short = a.rows.iter().enumerate().any(|(ri, row)| {
        matches!((image_pages(a, ri), row.expected_pages(&a.patterns[row.volume])), (Some(n), Some(e)) if n < e)
    });
    let unlisted = if short {
        unlisted_everywhere(a)
    } else {
        crate::audit::FastMap::default()
    };
    for (ri, row) in a.rows.iter().enumerate() {
        // A row with a file missing is that file's MISSING_FILE, not also
        // a page count that falls short.
        if row.malformed || row.log_only() || missing[ri] || a.replaced(ri) {
            continue;
        }
        let expected = row.expected_pages(&a.patterns[row.volume]);
        let actual = image_pages(a, ri);
        let pgcount: Option<u64> = row.pgcount.parse().ok();
        let files: Vec<String> = a.ties.images[ri]
            .iter()
            .map(|&f| a.files[f].display().to_string())
            .collect();
        let shown = if files.len() == 1 {
            format!("`{}`", files[0])
        } else {
            format!("its {} image files", files.len())
        };
        // Pages absent from the images and from every cross-reference alike
        // are one OPT_MISMATCH finding (checks/opt.rs).
        let same_pages_unlisted = matches!((actual, expected), (Some(n), Some(e)) if n < e && unlisted.get(&ri) == Some(&(e - n)));
        let message = match (actual, expected, pgcount) {
            (Some(n), Some(e), _) if n != e && !same_pages_unlisted => Some(format!(
                "{} covers {} but {shown} {} {}.",
                row.range_text(),
                plural(e, "number"),
                if files.len() == 1 { "has" } else { "hold" },
                plural(n, "page")
            )),
            (_, Some(e), Some(p)) if p != e => Some(format!(
                "{} covers {} but its PGCOUNT says {p} ({}).",
                row.range_text(),
                plural(e, "number"),
                row.location.describe()
            )),
            (Some(n), None, Some(p)) if n != p => Some(format!(
                "{shown} of {} {} {} but its PGCOUNT says {p}.",
                row.label(),
                if files.len() == 1 { "has" } else { "hold" },
                plural(n, "page")
            )),
            _ => None,
        };
        if let Some(message) = message {
            let bates = row.bates_ends();
            out.push(
                Finding::new(Code::PageMismatch, a.volume_name(row.volume), message)
                    .bates(bates)
                    .files(files)
                    .at(row.location.clone()),
            );
        }
    }
    for (fi, scan) in a.scans.iter().enumerate() {
        // A recalled document's files are no longer the production's.
        if a.file_replaced(fi) {
            continue;
        }
        let file = &a.files[fi];
        let vol = a.volume_name(file.volume);
        let bates: Vec<String> = a.ties.file_rows[fi]
            .iter()
            .map(|&r| a.rows[r].beg_raw.to_string())
            .filter(|b| !b.is_empty())
            .collect();
        if let Some(e) = scan.error() {
            out.push(
                Finding::new(
                    Code::ReadError,
                    vol,
                    format!("`{}` could not be read: {e}.", file.display()),
                )
                .bates(bates)
                .files([file.display().to_string()]),
            );
            continue;
        }
        // A native is the original's bytes: its pages are not checked against
        // Bates numbers, so a native PDF that does not parse is no finding.
        let native_only = a.ties.file_rows[fi]
            .iter()
            .all(|&r| a.ties.natives[r].contains(&fi) && !a.ties.images[r].contains(&fi));
        if let Some(Err(e)) = scan.tiff_frames()
            && (!native_only || a.ties.file_rows[fi].is_empty())
        {
            out.push(
                Finding::new(
                    Code::ReadError,
                    vol,
                    format!(
                        "`{}` is not a readable TIFF ({e}), so its pages could not be counted.",
                        file.display()
                    ),
                )
                .bates(bates.clone())
                .files([file.display().to_string()]),
            );
        }
        match scan.pdf.as_deref() {
            Some(Err(_)) if native_only && !a.ties.file_rows[fi].is_empty() => {}
            Some(Err(e)) => out.push(
                Finding::new(
                    Code::ReadError,
                    vol,
                    format!("`{}` is not a readable PDF ({}), so its pages and redactions could not be checked.", file.display(), e.trim_end_matches('.')),
                )
                .bates(bates)
                .files([file.display().to_string()]),
            ),
            Some(Ok(info)) if !info.redact_pages.is_empty() => {
                let mut pages = info.redact_pages.clone();
                pages.dedup();
                let n = info.redact_pages.len() as u64;
                out.push(
                    Finding::new(
                        Code::UnappliedRedaction,
                        vol,
                        format!(
                            "`{}` still holds {} (/Redact) on page{} {} that {} never applied: the content under {} is still in the file.",
                            file.display(),
                            plural(n, "redaction annotation"),
                            if pages.len() == 1 { "" } else { "s" },
                            pages.iter().map(usize::to_string).collect::<Vec<_>>().join(", "),
                            if n == 1 { "was" } else { "were" },
                            if n == 1 { "it" } else { "them" }
                        ),
                    )
                    .bates(bates)
                    .files([file.display().to_string()]),
                );
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::testing::{Production, pdf, with_code};

    #[test]
    fn page_counts_that_agree_give_nothing() {
        assert!(check(&Production::standard().gather().0).is_empty());
    }

    #[test]
    fn a_pdf_shorter_than_its_range_is_a_page_mismatch() {
        let p = Production::standard();
        p.file("IMAGES/0001/DHS-000001.pdf", pdf(2));
        let f = check(&p.gather().0);
        let found = with_code(&f, Code::PageMismatch);
        assert_eq!(found.len(), 1, "{f:?}");
        assert!(
            found[0].message.contains('2') && found[0].message.contains('3'),
            "{}",
            found[0].message
        );
        assert_eq!(
            found[0].bates.first().map(String::as_str),
            Some("DHS-000001")
        );
    }

    #[test]
    fn an_unreadable_pdf_is_a_read_error_not_a_page_count() {
        let p = Production::standard();
        p.file("IMAGES/0001/DHS-000004.pdf", b"this is not a PDF at all");
        let f = check(&p.gather().0);
        assert_eq!(with_code(&f, Code::ReadError).len(), 1, "{f:?}");
        assert!(with_code(&f, Code::PageMismatch).is_empty(), "{f:?}");
    }
}
