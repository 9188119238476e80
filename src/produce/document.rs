//! Writing one document of a volume: its IMAGES PDF (stamped, or a slip
//! sheet), its native and its text file, each checked before it counts.
//! Documents are written in parallel; nothing here depends on another
//! document, so the output does not depend on thread timing.

use super::bates::BatesFormat;
use super::plan::{Form, Planned};
use super::rows::Written;
use super::slips::{slip_numbers, slip_text};
use super::volume::{Request, folder};
use crate::error::Error;
use crate::matter::config::Images;
use crate::model::{Document, Treatment, sha256_hex};
use crate::pdf::PdfError;
use crate::pdf::slip::SlipTemplate;
use crate::pdf::stamp::{self, Labels};
use std::io::Write;
use std::path::Path;

/// Where a planned document's files go: its index among the volume's image
/// files (its PDF, or its first page's image when images are single pages),
/// natives and text files.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Slots {
    pub(super) image: Option<usize>,
    pub(super) native: Option<usize>,
    pub(super) text: Option<usize>,
}

/// Hands out slots to planned documents taken in Bates order.
#[derive(Debug, Default)]
pub(super) struct SlotCounter {
    images: usize,
    natives: usize,
    texts: usize,
}

impl SlotCounter {
    /// The slots of `p`, the next planned document.
    pub(super) fn next(&mut self, p: &Planned, config: &crate::matter::Config) -> Slots {
        let take = |counter: &mut usize, n: usize| {
            let first = *counter;
            *counter += n;
            first
        };
        Slots {
            image: (p.form != Form::LogOnly).then(|| {
                let n = match (config.production.images, p.beg()) {
                    (Images::Tiff, Some(_)) => p.pages as usize,
                    _ => 1,
                };
                take(&mut self.images, n)
            }),
            native: (email_native(p, config) || matches!(p.form, Form::Native { .. }))
                .then(|| take(&mut self.natives, 1)),
            text: (p.form != Form::LogOnly).then(|| take(&mut self.texts, 1)),
        }
    }

    /// Text files handed out so far.
    pub(super) fn text_files(&self) -> usize {
        self.texts
    }
}

/// A rendered e-mail that goes out with its original beside its pages.
fn email_native(p: &Planned, config: &crate::matter::Config) -> bool {
    config.production.email_natives
        && matches!(p.form, Form::Rendered { original: true, .. })
        && p.treatment == Treatment::Produced
}

/// One file-writing job: a document and where its files go.
pub(super) struct Job<'a> {
    pub(super) doc: &'a Document,
    pub(super) planned: &'a Planned,
    pub(super) slots: Slots,
}

impl Job<'_> {
    fn beg(&self, bates: &BatesFormat) -> String {
        self.planned
            .beg()
            .map(|n| bates.format(n))
            .unwrap_or_default()
    }

    /// (volume-relative path, load-file link) of the native, if it has one.
    fn native_paths(
        &self,
        bates: &BatesFormat,
        config: &crate::matter::Config,
        req: &Request<'_>,
    ) -> Option<(String, String)> {
        let f = folder(self.slots.native?);
        let ext = match &self.planned.form {
            _ if email_native(self.planned, config) => {
                match super::planner::native_extension(&self.doc.source.rel_path).as_str() {
                    "" => ".eml".to_string(),
                    e => format!(".{e}"),
                }
            }
            Form::Native { extension } if !extension.is_empty() => format!(".{extension}"),
            _ => String::new(),
        };
        let beg = self.beg(bates);
        Some((
            format!("NATIVES/{f}/{beg}{ext}"),
            format!("{}\\NATIVES\\{f}\\{beg}{ext}", req.name),
        ))
    }

    /// (volume-relative path, load-file link) of the text file, if it has one.
    fn text_paths(&self, bates: &BatesFormat, req: &Request<'_>) -> Option<(String, String)> {
        let f = folder(self.slots.text?);
        let beg = self.beg(bates);
        Some((
            format!("TEXT/{f}/{beg}.txt"),
            format!("{}\\TEXT\\{f}\\{beg}.txt", req.name),
        ))
    }
}

/// Why one document could not be written.
pub(super) enum DocFailure {
    /// Its source or redacted file is not what was reviewed: a blocker.
    Blocked(String),
    /// Writing adrec's own output failed (disk full, I/O): exit 4.
    Output(Error),
}

impl From<String> for DocFailure {
    fn from(reason: String) -> Self {
        DocFailure::Blocked(reason)
    }
}

/// A source PDF that cannot be read or stamped blocks its document; a PDF
/// adrec wrote that does not read back is adrec's own failure (exit 4).
impl From<PdfError> for DocFailure {
    fn from(e: PdfError) -> Self {
        if e.is_output() {
            DocFailure::Output(
                Error::internal(format!("adrec could not write a PDF it can read back: {e}")).hint(
                    "nothing was recorded; please report this as a bug with the document named",
                ),
            )
        } else {
            DocFailure::Blocked(e.to_string())
        }
    }
}

pub(super) fn write_document(
    slips: &SlipTemplate<'_>,
    files: &super::sources::MatterFiles,
    staged: &super::staged_files::StagedFiles,
    job: &Job<'_>,
    bates: &BatesFormat,
    config: &crate::matter::Config,
    req: &Request<'_>,
) -> Result<Written, DocFailure> {
    let p = job.planned;
    let doc = job.doc;
    let fonts = slips.fonts();
    let legend = p
        .confidentiality
        .as_deref()
        .and_then(|l| config.level(l))
        .map(|l| l.legend.clone());
    let numbers = p.numbers(bates);
    let labels = Labels {
        bates: &numbers,
        legend: legend.as_deref(),
        stamp: req.stamp,
        strip: config.stamp.placement == crate::matter::config::Placement::Strip,
        fonts,
    };
    let seed = format!(
        "{}|{}|{}|{}",
        doc.source.sha256,
        numbers.first().map_or("", String::as_str),
        legend.as_deref().unwrap_or(""),
        req.stamp
    );
    let mut w = Written::default();
    w.warnings.extend(p.original_kept_back(config));
    let bytes = if matches!(p.form, Form::Rendered { .. }) {
        let r = super::sources::rendered(doc, p, bates)?;
        if r.replaced > 0 {
            w.warnings.push(format!(
                "{}: {} character(s) of the e-mail no available font can show were drawn as a replacement mark; install a font covering them and produce again to show them",
                doc.id, r.replaced
            ));
        }
        Some(r.pdf)
    } else {
        super::sources::checked_bytes(files, doc, p, bates)?
    };
    let slip_labels = Labels {
        stamp: true,
        ..labels.clone()
    };
    let mut forms = Vec::new();
    // A padded replacement's text has the padding pages too.
    let mut padded_source = None;
    let slip = slip_text(job, slip_numbers(&numbers, req), bates, config, req);
    let image_bytes = match (&p.form, bytes.as_deref()) {
        (Form::Image { .. } | Form::Rendered { .. }, Some(src)) => {
            // A replacement fills every number the recalled document took.
            if req.overlay.is_some() {
                padded_source = Some(crate::pdf::padding::pad(src, numbers.len(), fonts)?);
            }
            let out = stamp::rewrite(padded_source.as_deref().unwrap_or(src), &labels, &seed)?;
            forms = out.forms;
            Some(out.pdf)
        }
        (Form::WithheldSlip, _) if req.overlay.is_some() => match &slip {
            Some((heading, lines)) => {
                let first = Labels {
                    bates: &numbers[..1.min(numbers.len())],
                    stamp: false,
                    ..labels.clone()
                };
                let sheet = slips.render(heading, lines, &first, &seed)?;
                let padded = crate::pdf::padding::pad(&sheet, numbers.len(), fonts)?;
                let out = stamp::rewrite(&padded, &slip_labels, &seed)?;
                forms = out.forms;
                Some(out.pdf)
            }
            None => None,
        },
        _ => match &slip {
            Some((heading, lines)) => Some(slips.render(heading, lines, &slip_labels, &seed)?),
            None => None,
        },
    };
    // The text of bytes read and checked against a recorded SHA-256 may come
    // from the text cache; padded or rendered pages are new bytes.
    let checked_sha = match &p.form {
        _ if padded_source.is_some() => None,
        Form::Image { redacted: true } => doc.review.redacted_sha256.as_deref(),
        Form::Image { redacted: false } => Some(doc.source.sha256.as_str()),
        _ => None,
    };
    let mut text = super::text::document_text(
        doc,
        &p.form,
        padded_source.as_deref().or(bytes.as_deref()),
        slip.as_ref().map(|(h, l)| (*h, l.as_slice())),
        (&files.texts, checked_sha),
    );
    // An overlay's withheld slip is followed by its padding pages.
    if req.overlay.is_some()
        && p.form == Form::WithheldSlip
        && let Some(t) = text.as_mut()
    {
        t.pad_to(numbers.len(), crate::pdf::padding::BLANK);
    }
    if let (Some(index), Some(pdf)) = (job.slots.image, &image_bytes) {
        // Slip sheets are always stamped; images unless --no-stamp.
        let stamped = req.stamp || !p.form.is_paginated();
        stamp::verify(pdf, &numbers, stamped, fonts, &forms).map_err(|e| match e {
            PdfError::Output(m) => PdfError::Output(format!("the IMAGES PDF of {}: {m}", doc.id)),
            other => other,
        })?;
        if config.production.images == Images::Tiff {
            let to = super::images::Target {
                staged,
                volume: req.name,
                first: index,
                colour: config.production.colour,
            };
            super::images::write_pages(pdf, &numbers, &to, &mut w)?;
        } else {
            let (f, beg) = (folder(index), numbers.first().map_or("", String::as_str));
            let rel = format!("IMAGES/{f}/{beg}.pdf");
            let sha = sha256_hex(pdf);
            staged.write(&rel, pdf).map_err(DocFailure::Output)?;
            w.imagelink = format!("{}\\IMAGES\\{f}\\{beg}.pdf", req.name);
            if p.form.is_paginated() {
                w.produced_sha256 = sha.clone();
            }
            w.files.push((rel, sha));
        }
    }
    if let (Some((rel, link)), Some(native)) = (job.native_paths(bates, config, req), &bytes) {
        // A rendered e-mail's native (`email_natives`) is the original,
        // re-read and checked.
        let original;
        let native = if matches!(p.form, Form::Rendered { .. }) {
            original = crate::originals::read(doc).map_err(DocFailure::Blocked)?;
            &original
        } else {
            native
        };
        staged.write(&rel, native).map_err(DocFailure::Output)?;
        w.nativelink = link;
        // The bytes were just checked against the ingest hash: no need to
        // hash again. With a native beside its pages (`email_natives`),
        // PRODUCED_SHA256 is the native's, as loaders and audits expect.
        w.produced_sha256 = doc.source.sha256.clone();
        w.files.push((rel, doc.source.sha256.clone()));
    }
    if let (Some((rel, link)), Some(text)) = (job.text_paths(bates, req), &text) {
        let bytes = text.file_bytes();
        staged.write(&rel, &bytes).map_err(DocFailure::Output)?;
        w.textlink = link;
        w.files.push((rel, sha256_hex(&bytes)));
        if p.form.is_paginated() {
            w.pages_without_text = text.empty_pages();
        }
        if p.form == (Form::Image { redacted: false })
            && let Some(pages) = super::text::covered_summary(text)
        {
            w.warnings.push(format!(
                "{}: text hidden under boxes or images drawn over it ({pages}) went out in the file; check it is not an unapplied redaction",
                doc.id
            ));
        }
    }
    if p.treatment == Treatment::Withheld {
        w.produced_sha256.clear();
    }
    Ok(w)
}

/// Writes a file in the staging folder; `Staging::make_durable` syncs it later.
pub(super) fn write_file(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let io = |e: std::io::Error| Error::io("write", path, e);
    // Folders are made when their first file is: 300,000 files need 300
    // folders, not 300,000 calls to make them.
    let mut f = match std::fs::File::create(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(io)?;
            }
            std::fs::File::create(path).map_err(io)?
        }
        other => other.map_err(io)?,
    };
    f.write_all(bytes).map_err(io)?;
    Ok(())
}
