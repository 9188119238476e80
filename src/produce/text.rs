//! The extracted text of each document as it goes out (TEXT/), and the
//! covered-text verdicts: from what is produced, never from a withheld or
//! redacted original. A PDF's text is its produced pages' (the redacted
//! file's for a redacted document, before the stamp); a native's is its own
//! text; a slip sheet's is its own heading and lines.

use super::plan::Form;
use crate::matter::TextCache;
use crate::model::Document;
use crate::pdf::text::DocText;

/// The text file of one document, or `None` when it gets none (log-only).
/// A PDF's text comes from `texts` when `sha256` (the SHA-256 of `bytes`,
/// checked against what was reviewed) names it there.
pub fn document_text(
    doc: &Document,
    form: &Form,
    bytes: Option<&[u8]>,
    slip: Option<(&str, &[String])>,
    (texts, sha256): (&TextCache, Option<&str>),
) -> Option<DocText> {
    if cfg!(feature = "bench-no-text") {
        return None;
    }
    match (form, bytes) {
        (Form::Image { .. } | Form::Rendered { .. }, Some(pdf)) => Some(
            // The stamper has read these bytes already: a failure here
            // leaves the pages empty rather than the document unproduced.
            texts.text(sha256, pdf).unwrap_or_else(|e| DocText {
                pages: vec![crate::pdf::text::PageText {
                    problems: vec![e.to_string()],
                    ..Default::default()
                }],
            }),
        ),
        (Form::Native { .. }, Some(native)) => {
            let text = crate::extract::text::native_text(native, doc.source.kind, doc.file_name())
                .unwrap_or_default();
            Some(DocText::from_pages([text.trim_end().to_string()]))
        }
        (Form::WithheldSlip, _) => slip.map(|(heading, lines)| {
            let mut text = vec![heading.to_string()];
            text.extend(lines.iter().cloned());
            DocText::from_pages([text.join("\n")])
        }),
        _ => None,
    }
}

/// Pages named one by one in a message; the rest are counted.
const SHOWN_PAGES: usize = 20;

/// `page N: K characters` for each page with covered text.
pub fn covered_summary(text: &DocText) -> Option<String> {
    let pages = text.covered_pages();
    if pages.is_empty() {
        return None;
    }
    let mut list: Vec<String> = pages
        .iter()
        .take(SHOWN_PAGES)
        .map(|(page, n)| {
            format!(
                "page {page}: {n} character{}",
                if *n == 1 { "" } else { "s" }
            )
        })
        .collect();
    if pages.len() > SHOWN_PAGES {
        list.push(format!("and {} more pages", pages.len() - SHOWN_PAGES));
    }
    Some(list.join(", "))
}

/// The blocker of a redacted PDF (with this SHA-256) whose text is still
/// there under boxes.
pub fn covered_blocker(texts: &TextCache, sha256: &str, redacted: &[u8]) -> Option<String> {
    if cfg!(feature = "bench-no-text") {
        return None;
    }
    let text = texts.text(Some(sha256), redacted).ok()?;
    covered_summary(&text).map(|pages| {
        format!(
            "the redacted file still holds text hidden under boxes or images drawn over it (a failed redaction; {pages}): apply the redactions so the text is removed, not covered, and tag the new file"
        )
    })
}

/// The warning of a produced PDF (the document's original) with covered text.
pub fn covered_warning(texts: &TextCache, doc: &Document, pdf: &[u8]) -> Option<String> {
    if cfg!(feature = "bench-no-text") {
        return None;
    }
    let text = texts.text(Some(&doc.source.sha256), pdf).ok()?;
    covered_summary(&text).map(|pages| {
        format!(
            "{}: text hidden under boxes or images drawn over it ({pages}) would go out in the file; check it is not an unapplied redaction",
            doc.id
        )
    })
}

/// What `adrec show DOCID --text` prints: the text the document would get
/// in a volume now, and its covered-text verdict.
pub struct Preview {
    pub text: Option<DocText>,
    /// Why there is no text of the document itself (withheld).
    pub note: Option<String>,
}

/// The text `doc` would go out with, read from the files as they are now.
pub fn preview(
    matter: &crate::matter::Matter,
    doc: &Document,
) -> Result<Preview, crate::error::Error> {
    use crate::error::Error;
    use crate::model::{FileKind, Status};
    let r = &doc.review;
    if r.status == Status::Withhold {
        return Ok(Preview {
            text: None,
            note: Some(format!(
                "{} is withheld: in a volume its text is its slip sheet's; no text of the original goes out",
                doc.id
            )),
        });
    }
    let cannot_read = |reason: String| {
        Error::input(format!("{}: {reason}", doc.id))
            .hint("restore the file, or re-ingest it with --update")
    };
    let (form, bytes, sha256) = if r.status == Status::Redact {
        let sha = r.redacted_sha256.as_deref().ok_or_else(|| {
            Error::input(format!("{} is tagged redact but has no redacted file", doc.id))
                .hint("tag it with --redacted FILE (the PDF with the redactions applied); its text is what goes out")
        })?;
        let path = matter.redacted_store().path(sha);
        let bytes = crate::files::read_regular(&path)
            .map_err(|e| cannot_read(format!("`{}` cannot be read: {e}", path.display())))?;
        (Form::Image { redacted: true }, bytes, sha)
    } else {
        let form =
            if r.as_native || doc.source.kind != FileKind::Pdf || doc.source.problem.is_some() {
                Form::Native {
                    extension: crate::extract::extension(&doc.source.rel_path).into(),
                }
            } else {
                Form::Image { redacted: false }
            };
        let bytes = crate::originals::read(doc).map_err(cannot_read)?;
        (form, bytes, doc.source.sha256.as_str())
    };
    let texts = matter.text_cache();
    Ok(Preview {
        text: document_text(doc, &form, Some(&bytes), None, (&texts, Some(sha256))),
        note: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdf::text::PageText;

    #[test]
    fn covered_pages_are_named_up_to_twenty_then_counted() {
        let text = DocText {
            pages: (0..25)
                .map(|i| PageText {
                    covered: usize::from(i % 2 == 0) + 1,
                    ..Default::default()
                })
                .collect(),
        };
        let s = covered_summary(&text).expect("covered");
        assert!(
            s.starts_with("page 1: 2 characters, page 2: 1 character, "),
            "{s}"
        );
        assert!(s.contains("page 20: 1 character, and 5 more pages"), "{s}");
        assert!(!s.contains("page 21"), "{s}");
        assert_eq!(covered_summary(&DocText::from_pages([String::new()])), None);
    }
}
