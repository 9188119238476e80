//! COVERED_TEXT: a produced image PDF whose text is still in the file under
//! an opaque box or image drawn over it (the failed redaction), one finding
//! per file naming each page by its Bates number and the count of covered
//! characters, never the words.
//!
//! The check needs every page's content interpreted, which the scan's fast
//! path never does: it reads the image PDFs a second time, in parallel,
//! after the scan.

use super::Audit;
use crate::audit::bates::{Bates, format};
use crate::audit::finding::{Code, Finding};
use rayon::prelude::*;

/// The Bates number of page `page` (from 1) of a document starting at `beg`.
fn page_bates(beg: Option<&Bates>, raw: &str, page: usize) -> String {
    match beg {
        Some(b) if b.suffix.is_empty() => format(&b.prefix, b.width, b.number + page as u64 - 1),
        _ if raw.is_empty() => format!("page {page}"),
        _ => format!("{raw} page {page}"),
    }
}

pub fn check(a: &Audit) -> Vec<Finding> {
    // Image PDFs of one document each: a page maps to one Bates number.
    let files: Vec<usize> = (0..a.files.len())
        .filter(|&f| {
            matches!(a.scans.get(f).map(|s| &s.pdf), Some(Some(Ok(_))))
                && a.ties.file_rows[f].len() == 1
                && a.ties.images[a.ties.file_rows[f][0]] == [f]
        })
        .collect();
    let results: Vec<(usize, Vec<(usize, usize)>)> = files
        .par_iter()
        .filter_map(|&f| {
            let bytes = crate::files::read_regular(&a.files[f].abs).ok()?;
            let text = crate::pdf::text::extract(&bytes).ok()?;
            let pages = text.covered_pages();
            (!pages.is_empty()).then_some((f, pages))
        })
        .collect();
    let mut out = Vec::new();
    for (f, pages) in results {
        let file = &a.files[f];
        let row = &a.rows[a.ties.file_rows[f][0]];
        let named: Vec<(String, usize)> = pages
            .iter()
            .map(|(p, n)| (page_bates(row.beg.as_ref(), &row.beg_raw, *p), *n))
            .collect();
        let mut list: Vec<String> = named
            .iter()
            .take(20)
            .map(|(b, n)| format!("{b} ({n} character{})", if *n == 1 { "" } else { "s" }))
            .collect();
        if named.len() > 20 {
            list.push(format!("and {} more pages", named.len() - 20));
        }
        out.push(
            Finding::new(
                Code::CoveredText,
                a.volume_name(file.volume),
                format!(
                    "`{}` still holds text under boxes or images drawn over it, which anyone can copy out: {}.",
                    file.display,
                    list.join(", ")
                ),
            )
            .bates(named.into_iter().map(|(b, _)| b).collect::<Vec<_>>())
            .files([file.display.clone()]),
        );
    }
    out
}
