//! E-mails as pages: an e-mail that goes out as Produced is rendered (header
//! block, attachments with their Bates numbers, body) and then stamped like
//! any PDF. The attachment lines are decided here from the children's
//! reviews, so a withheld or redacted attachment's name never reaches the
//! page, and the page count known at planning is the count written: Bates
//! numbers have a fixed width, so a placeholder lays out like the real one.

use super::bates::BatesFormat;
use crate::extract::message;
use crate::model::{DocId, Document, FileKind, Status};
use serde::Serialize;

/// One line of the rendered header's Attachments field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AttachmentLine {
    pub docid: DocId,
    /// What the page shows for it: its file name, or a label that gives
    /// nothing privileged away.
    pub label: String,
    /// Its first Bates number once numbered (set after planning).
    pub beg: Option<u64>,
}

/// Whether `doc` goes out as rendered pages when produced: an e-mail that
/// was read, not tagged to go out as a native, and not replaced by a
/// redacted file.
pub fn renders(doc: &Document) -> bool {
    doc.source.kind == FileKind::Email
        && doc.source.problem.is_none()
        && !doc.review.as_native
        && !matches!(doc.review.status, Status::Redact | Status::Withhold)
}

/// The attachment lines of `email` from its immediate children (in DOCID
/// order), as the reviewers left them.
pub fn attachment_lines(children: &[&Document]) -> Vec<AttachmentLine> {
    children
        .iter()
        .enumerate()
        .map(|(i, child)| {
            let r = &child.review;
            let label = match r.status {
                Status::Produce | Status::NotResponsive => r
                    .filename
                    .clone()
                    .unwrap_or_else(|| child.file_name().to_string()),
                Status::Redact => r
                    .filename
                    .clone()
                    .unwrap_or_else(|| format!("Attachment {} (redacted)", i + 1)),
                Status::Withhold => format!("Attachment {} (withheld as privileged)", i + 1),
                Status::Unreviewed => format!("Attachment {} (not reviewed)", i + 1),
            };
            AttachmentLine {
                docid: child.id,
                label,
                beg: None,
            }
        })
        .collect()
}

/// The e-mail's pages as a PDF (not yet stamped), with its attachments'
/// numbers.
pub fn render(
    doc: &Document,
    lines: &[AttachmentLine],
    bates: &BatesFormat,
) -> Result<crate::pdf::email_pages::Rendered, String> {
    with_page(doc, lines, bates, true, |page| {
        crate::pdf::email_pages::render(page, &format!("email|{}", doc.source.sha256))
    })
}

/// How many pages [`render`] gives (the numbers do not change the layout).
pub fn pages(doc: &Document, lines: &[AttachmentLine], bates: &BatesFormat) -> Result<u64, String> {
    with_page(doc, lines, bates, false, crate::pdf::email_pages::pages)
}

/// Reads the e-mail (checked against its hash) and hands its page to `f`.
fn with_page<T>(
    doc: &Document,
    lines: &[AttachmentLine],
    bates: &BatesFormat,
    numbered: bool,
    f: impl FnOnce(&crate::pdf::email_pages::EmailPage<'_>) -> Result<T, crate::error::Error>,
) -> Result<T, String> {
    let bytes = crate::originals::read(doc)?;
    let message = message::read(&bytes, doc.file_name())?;
    let attachments: Vec<(String, Option<String>)> = lines
        .iter()
        .map(|l| {
            let number = l.beg.filter(|_| numbered).map(|n| bates.format(n));
            (l.label.clone(), number)
        })
        .collect();
    let sample = bates.format(0);
    let page = crate::pdf::email_pages::EmailPage {
        from: &message.from,
        to: &message.to,
        cc: &message.cc,
        bcc: &message.bcc,
        subject: message.subject.as_deref(),
        sent: message.date_raw.as_deref(),
        attachments: &attachments,
        number_sample: &sample,
        body: &message.body,
    };
    f(&page).map_err(|e| format!("the e-mail could not be rendered as pages: {e}"))
}
