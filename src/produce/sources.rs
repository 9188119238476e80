//! The bytes each document goes out from, re-read and checked against what
//! was reviewed: its original, its stored redacted file (refused while it
//! still holds unapplied or failed redactions), or its e-mail rendered as
//! pages. Shared by produce, the dry run and the overlay.

use super::bates::BatesFormat;
use super::plan::{Form, Planned};
use crate::matter::{Matter, RedactedStore, TextCache};
use crate::model::Document;

/// A rendered e-mail's pages, which must be as many as were planned.
pub(super) fn rendered(
    doc: &Document,
    p: &Planned,
    bates: &BatesFormat,
) -> Result<crate::pdf::email_pages::Rendered, String> {
    let Form::Rendered { attachments, .. } = &p.form else {
        return Err(format!("{} is not a rendered e-mail", doc.id));
    };
    let rendered = super::email::render(doc, attachments, bates)?;
    if rendered.pages != p.pages {
        return Err(format!(
            "the e-mail renders to {} page(s) but {} were planned: produce again",
            rendered.pages, p.pages
        ));
    }
    Ok(rendered)
}

/// What a volume reads from the matter folder besides the sources: the
/// stored redacted files and the cache of extracted text.
pub struct MatterFiles {
    pub redacted: RedactedStore,
    pub texts: TextCache,
}

impl MatterFiles {
    pub fn of(matter: &Matter) -> MatterFiles {
        MatterFiles {
            redacted: matter.redacted_store(),
            texts: matter.text_cache(),
        }
    }
}

/// Re-reads a representative's bytes and checks them; returns them when they
/// would go out. Shared by produce and the dry run.
pub fn checked_bytes(
    files: &MatterFiles,
    doc: &Document,
    p: &Planned,
    bates: &BatesFormat,
) -> Result<Option<Vec<u8>>, String> {
    match &p.form {
        Form::Rendered { .. } => rendered(doc, p, bates).map(|r| Some(r.pdf)),
        Form::Image { redacted: true } => {
            // A missing redacted file is the plan's blocker; nothing to read here.
            let Some(sha) = doc.review.redacted_sha256.as_deref() else {
                return Ok(None);
            };
            let bytes =
                crate::originals::read_checked(&files.redacted.path(sha), sha, "redacted file")?;
            let doc_pdf = crate::pdf::read::load(&bytes)
                .map_err(|e| format!("the redacted file cannot be read: {e}"))?;
            let pages = crate::pdf::read::page_ids(&doc_pdf)?;
            // One pass over the annotations for both checks.
            let annotations = crate::pdf::read::annotations(&doc_pdf, &pages);
            let pending = annotations.iter().filter(|(_, s)| s == "Redact").count();
            if pending > 0 {
                return Err(format!(
                    "the redacted file still holds {pending} /Redact annotation(s) that were never applied: apply them and tag the new file"
                ));
            }
            if let Some((page, subtype)) = annotations
                .iter()
                .find(|(_, s)| crate::pdf::read::covers_text(s))
            {
                return Err(format!(
                    "the redacted file holds a /{subtype} annotation on page {page}: a box drawn as an annotation hides nothing (the text stays under it, and any reader can move the box); apply the redactions or flatten the file, then tag the new file"
                ));
            }
            if let Some(blocker) = super::text::covered_blocker(&files.texts, sha, &bytes) {
                return Err(blocker);
            }
            Ok(Some(bytes))
        }
        Form::Image { redacted: false } | Form::Native { .. } => {
            crate::originals::read(doc).map(Some)
        }
        Form::WithheldSlip | Form::LogOnly => Ok(None),
    }
}
