//! COVERED_TEXT: a produced image PDF whose text is still in the file under
//! an opaque box or image drawn over it (the failed redaction), one finding
//! per file naming each page by its Bates number and the count of covered
//! characters, never the words.
//!
//! The scan interprets each image PDF's pages while it holds the bytes
//! (`Scan::covered`); the check names the pages of the PDFs that are one
//! document's images.

use super::Audit;
use crate::audit::bates::{Bates, format};
use crate::audit::finding::{Code, Finding};

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
            matches!(a.scans.get(f).and_then(|s| s.pdf.as_deref()), Some(Ok(_)))
                && a.ties.file_rows[f].len() == 1
                && a.ties.images[a.ties.file_rows[f][0]] == [f]
                && !a.file_replaced(f)
        })
        .collect();
    let mut out = Vec::new();
    for f in files {
        let pages = match a.scans[f].pdf.as_deref() {
            Some(Ok(info)) => &info.covered[..],
            _ => &[],
        };
        if pages.is_empty() {
            continue;
        }
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
                    file.display(),
                    list.join(", ")
                ),
            )
            .bates(named.into_iter().map(|(b, _)| b).collect::<Vec<_>>())
            .files([file.display().to_string()]),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::testing::{Production, pdf_of, with_code};

    const TEXT: &str = "BT /F1 12 Tf 72 720 Td (Confidential advice to the Secretary) Tj ET";

    fn with_second_page(content: &str) -> Vec<Finding> {
        let p = Production::standard();
        let pages = [
            TEXT.to_string(),
            format!("{TEXT}\n{content}"),
            TEXT.to_string(),
        ];
        p.file("IMAGES/0001/DHS-000001.pdf", pdf_of(&pages));
        check(&p.gather().0)
    }

    #[test]
    fn a_box_beside_the_text_gives_nothing() {
        assert!(with_second_page("0 g 72 500 300 30 re f").is_empty());
    }

    #[test]
    fn a_black_box_over_text_names_the_page_never_the_words() {
        let f = with_second_page("0 g 70 712 400 24 re f");
        let found = with_code(&f, Code::CoveredText);
        assert_eq!(found.len(), 1, "{f:?}");
        assert_eq!(found[0].bates, ["DHS-000002"]);
        assert!(
            !found[0].message.contains("Secretary"),
            "{}",
            found[0].message
        );
    }
}
