//! Writing a planned volume. Everything is built in the matter's staging
//! folder (`matter::staging`), checked, recorded in the store in one
//! transaction, and only then renamed into place. A process killed before the
//! commit leaves no number consumed; one killed after it is completed by the
//! next command that opens the matter.

use super::bates::BatesFormat;
use super::data::{CrossRefs, write_checksums, write_data};
use super::overlay::Overlay;
use super::plan::{self, Blocker, Form, Plan, Planned};
use super::rows::{self, Written};
use super::slips::{slip_numbers, slip_text, volume_fonts};
use crate::error::Error;
use crate::matter::Matter;
use crate::matter::config::Images;
use crate::matter::staging::Finished;
use crate::matter::store::{BatesSettings, VolumeDocument, VolumeRecord};
use crate::model::{Document, Treatment, sha256_hex};
use crate::pdf::PdfError;
use crate::pdf::embed::Fonts;
use crate::pdf::stamp::{self, Labels};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

pub struct Request<'a> {
    pub name: &'a str,
    pub title: &'a str,
    pub date: jiff::civil::Date,
    pub stamp: bool,
    pub settings: BatesSettings,
    /// Set for `produce --overlay`: the clawbacks this volume carries out.
    pub overlay: Option<&'a Overlay>,
}

/// What a finished volume reports.
#[derive(Debug, Serialize)]
pub struct Report {
    pub volume: String,
    pub folder: String,
    pub first_bates: Option<String>,
    pub last_bates: Option<String>,
    pub documents: usize,
    pub pages: u64,
    pub dat_substitutions: Vec<String>,
    pub xlsx_truncations: Vec<String>,
    /// Text files written to TEXT/.
    pub text_files: usize,
    /// Pages with no text layer (their text is empty; OCR is not done).
    pub pages_without_text: usize,
    /// Produced PDFs with covered text (warnings, never blockers).
    pub warnings: Vec<String>,
    /// Another adrec process completed the final rename (the volume is whole).
    #[serde(skip)]
    pub completed_by_another: bool,
}

/// How writing a volume ended, short of an error outside the input.
#[derive(Debug)]
pub enum WriteOutcome {
    /// The volume is committed and in place.
    Produced(Report),
    /// Re-reading the sources found problems: nothing was recorded and the
    /// staging folder is gone.
    Blocked(Vec<Blocker>),
}

/// The IMAGES/NATIVES/TEXT subfolder of the `n`-th file (from 0): 1,000 a folder.
pub(super) fn folder(n: usize) -> String {
    format!("{:04}", n / 1000 + 1)
}

/// One file-writing job: a document and where its files go.
pub(super) struct Job<'a> {
    pub(super) doc: &'a Document,
    pub(super) planned: &'a Planned,
    /// Index of the document's first image file in the volume: its PDF, or
    /// its first page's image when images are single pages.
    image: Option<usize>,
    native: Option<(String, String)>,
    text: Option<(String, String)>,
}

/// Writes the volume: staged, verified, recorded, renamed into place.
/// `docs`: the documents the plan was made from (read once, not again here).
pub fn write(
    matter: &mut Matter,
    plan: &Plan,
    docs: &[Document],
    req: &Request<'_>,
) -> Result<WriteOutcome, Error> {
    let by_id: HashMap<_, _> = docs.iter().map(|d| (d.id, d)).collect();
    let bates = BatesFormat {
        prefix: req.settings.prefix.clone(),
        width: req.settings.width,
    };

    let (mut images, mut natives, mut texts) = (0usize, 0usize, 0usize);
    let mut jobs = Vec::with_capacity(plan.documents.len());
    for p in &plan.documents {
        let doc = by_id
            .get(&p.docid)
            .copied()
            .ok_or_else(|| Error::internal(format!("{} vanished from the database", p.docid)))?;
        let beg = p.beg.map(|n| bates.format(n)).unwrap_or_default();
        let image = (p.form != Form::LogOnly).then(|| {
            let first = images;
            images += match (matter.config.production.images, p.beg) {
                (Images::Tiff, Some(_)) => p.pages as usize,
                _ => 1,
            };
            first
        });
        let email_native = matter.config.production.email_natives
            && matches!(p.form, Form::Rendered { .. })
            && p.treatment == Treatment::Produced;
        let native = match &p.form {
            _ if email_native => {
                let f = folder(natives);
                natives += 1;
                let ext = match crate::extract::extension(&doc.source.rel_path).as_str() {
                    "" => ".eml".to_string(),
                    e if e.chars().all(|c| c.is_ascii_alphanumeric()) => format!(".{e}"),
                    _ => ".eml".to_string(),
                };
                Some((
                    format!("NATIVES/{f}/{beg}{ext}"),
                    format!("{}\\NATIVES\\{f}\\{beg}{ext}", req.name),
                ))
            }
            Form::Native { extension } => {
                let f = folder(natives);
                natives += 1;
                let ext = if extension.is_empty() {
                    String::new()
                } else {
                    format!(".{extension}")
                };
                Some((
                    format!("NATIVES/{f}/{beg}{ext}"),
                    format!("{}\\NATIVES\\{f}\\{beg}{ext}", req.name),
                ))
            }
            _ => None,
        };
        let text = (p.form != Form::LogOnly).then(|| {
            let f = folder(texts);
            texts += 1;
            (
                format!("TEXT/{f}/{beg}.txt"),
                format!("{}\\TEXT\\{f}\\{beg}.txt", req.name),
            )
        });
        jobs.push(Job {
            doc,
            planned: p,
            image,
            native,
            text,
        });
    }
    // Fonts first: text no font can show stops the volume before anything is written.
    let fonts = volume_fonts(&jobs, &bates, &matter.config, req)?;
    // Until the volume is committed, any early return removes what was staged.
    let staged = matter.stage_volume(req.name)?;
    let staging = staged.path().to_path_buf();
    let files = super::sources::MatterFiles::of(matter);
    let config = &matter.config;
    let progress = crate::output::count_progress("writing", jobs.len() as u64);
    let mut results: Vec<Result<Written, DocFailure>> = jobs
        .par_iter()
        .map(|job| {
            let written = write_document(&fonts, &files, &staging, job, &bates, config, req);
            progress.inc(1);
            written
        })
        .collect();
    progress.finish_and_clear();
    // Not the document's fault (disk full, I/O): exit 4, nothing recorded.
    if let Some(first) = results
        .iter()
        .position(|r| matches!(r, Err(DocFailure::Output(_))))
        && let Err(DocFailure::Output(e)) = results.swap_remove(first)
    {
        return Err(e);
    }
    let mut problems = Vec::new();
    for (job, result) in jobs.iter().zip(&results) {
        if let Err(DocFailure::Blocked(reason)) = result {
            problems.push(Blocker {
                docids: vec![job.doc.id],
                reason: reason.clone(),
            });
        }
    }
    if !problems.is_empty() {
        return Ok(WriteOutcome::Blocked(problems));
    }
    // Every result is written: taken in place, not copied beside the results.
    let mut written: Vec<Written> = results.into_iter().filter_map(Result::ok).collect();

    let mut index = Vec::with_capacity(written.len());
    let mut privlog = Vec::new();
    let mut opt_docs = Vec::with_capacity(written.len());
    for (job, w) in jobs.iter().zip(&written) {
        index.push(rows::index_row(job.doc, job.planned, req.name, &bates, w));
        if let Some(row) = rows::privlog_row(job.doc, job.planned, req.name, &bates, config) {
            privlog.push(row);
        }
        if job.planned.beg.is_some() {
            opt_docs.push(crate::export::opt::OptDoc {
                page_keys: job.planned.numbers(&bates),
                volume: req.name.to_string(),
                image_path: w.imagelink.clone(),
                page_images: w.pages.iter().map(|p| p.link(req.name)).collect(),
            });
        }
    }
    let single_pages = config.production.images == Images::Tiff;
    let xrefs = CrossRefs {
        opt: opt_docs,
        lfp: single_pages.then(|| {
            written
                .iter()
                .flat_map(|w| {
                    w.pages
                        .iter()
                        .enumerate()
                        .map(|(i, p)| crate::export::lfp::LfpPage {
                            key: p.key.clone(),
                            doc_start: i == 0,
                            folder: p.folder.clone(),
                            file: p.file.clone(),
                            image_type: p.kind.lfp_type(),
                        })
                })
                .collect()
        }),
    };
    let data = write_data(&staging, plan, req, matter, (&index, &privlog), &xrefs)?;
    // The rows are made: the file lists move to SHA256SUMS rather than being copied.
    let mut checksums: Vec<(String, String)> = written
        .iter_mut()
        .flat_map(|w| std::mem::take(&mut w.files))
        .collect();
    checksums.extend(data.files.iter().cloned());
    if let Some(overlay) = req.overlay {
        checksums.extend(super::overlay::write_notice(
            &staging, overlay, req, &bates, config,
        )?);
    }
    write_checksums(&staging, checksums)?;
    // Durable before the commit: files are synced together at the end, so the
    // disk writes back while the CPU work goes on.
    staged.make_durable()?;

    if let Some(overlay) = req.overlay {
        matter
            .store
            .record_overlay(&super::overlay::record(overlay, req, plan, index, privlog))?;
    } else {
        matter.store.record_volume(&VolumeRecord {
            name: req.name.to_string(),
            title: req.title.to_string(),
            date: req.date.to_string(),
            first_bates: plan.documents.iter().filter_map(|p| p.beg).min(),
            last_bates: plan.documents.iter().filter_map(|p| p.end).max(),
            settings: req.settings.clone(),
            documents: volume_documents(plan, &jobs, &written, &by_id, config),
            index_rows: index,
            privlog_rows: privlog,
        })?;
    }
    // Committed: from here the staged folder is the volume.
    let target = staged.target().to_path_buf();
    let finished = staged.finish()?;
    Ok(WriteOutcome::Produced(Report {
        volume: req.name.to_string(),
        folder: target.display().to_string(),
        first_bates: plan.first_bates.clone(),
        last_bates: plan.last_bates.clone(),
        documents: plan.documents.len(),
        pages: plan.pages.total,
        dat_substitutions: data.substitutions,
        xlsx_truncations: data.truncations,
        text_files: texts,
        pages_without_text: written.iter().map(|w| w.pages_without_text).sum(),
        warnings: written.iter().flat_map(|w| w.warnings.clone()).collect(),
        completed_by_another: finished == Finished::CompletedByAnother,
    }))
}

fn volume_documents(
    plan: &Plan,
    jobs: &[Job<'_>],
    written: &[Written],
    by_id: &HashMap<crate::model::DocId, &Document>,
    config: &crate::matter::Config,
) -> Vec<VolumeDocument> {
    let mut out: Vec<VolumeDocument> = jobs
        .iter()
        .zip(written)
        .map(|(job, w)| VolumeDocument {
            id: job.doc.id,
            treatment: job.planned.treatment.label().to_string(),
            beg: job.planned.beg,
            end: job.planned.end,
            log_id: job.planned.log_id,
            represented_by: None,
            produced_sha256: (!w.produced_sha256.is_empty()).then(|| w.produced_sha256.clone()),
            decision: plan::decision(job.doc, config),
        })
        .collect();
    for d in &plan.duplicates {
        if let Some(doc) = by_id.get(&d.docid) {
            out.push(VolumeDocument {
                id: d.docid,
                treatment: "Duplicate".into(),
                beg: None,
                end: None,
                log_id: None,
                represented_by: Some(d.represented_by),
                produced_sha256: None,
                decision: plan::decision(doc, config),
            });
        }
    }
    out
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

fn write_document(
    fonts: &Fonts,
    files: &super::sources::MatterFiles,
    staging: &Path,
    job: &Job<'_>,
    bates: &BatesFormat,
    config: &crate::matter::Config,
    req: &Request<'_>,
) -> Result<Written, DocFailure> {
    let p = job.planned;
    let doc = job.doc;
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
    let slip = slip_text(job, &slip_numbers(job, bates, req), bates, config, req);
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
                let sheet = stamp::slip_sheet(heading, lines, &first, &seed)?;
                let padded = crate::pdf::padding::pad(&sheet, numbers.len(), fonts)?;
                let out = stamp::rewrite(&padded, &slip_labels, &seed)?;
                forms = out.forms;
                Some(out.pdf)
            }
            None => None,
        },
        _ => match &slip {
            Some((heading, lines)) => Some(stamp::slip_sheet(heading, lines, &slip_labels, &seed)?),
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
    if let (Some(index), Some(pdf)) = (job.image, &image_bytes) {
        // Slip sheets are always stamped; images unless --no-stamp.
        let stamped = req.stamp || !p.form.is_paginated();
        stamp::verify(pdf, &numbers, stamped, fonts, &forms).map_err(|e| match e {
            PdfError::Output(m) => PdfError::Output(format!("the IMAGES PDF of {}: {m}", doc.id)),
            other => other,
        })?;
        if config.production.images == Images::Tiff {
            let to = super::images::Target {
                staging,
                volume: req.name,
                first: index,
                colour: config.production.colour,
            };
            super::images::write_pages(pdf, &numbers, &to, &mut w)?;
        } else {
            let (f, beg) = (folder(index), numbers.first().map_or("", String::as_str));
            let rel = format!("IMAGES/{f}/{beg}.pdf");
            let sha = sha256_hex(pdf);
            write_file(&staging.join(&rel), pdf).map_err(DocFailure::Output)?;
            w.imagelink = format!("{}\\IMAGES\\{f}\\{beg}.pdf", req.name);
            if p.form.is_paginated() {
                w.produced_sha256 = sha.clone();
            }
            w.files.push((rel, sha));
        }
    }
    if let (Some((rel, link)), Some(native)) = (&job.native, &bytes) {
        // A rendered e-mail's native (`email_natives`) is the original,
        // re-read and checked.
        let original;
        let native = if matches!(p.form, Form::Rendered { .. }) {
            original = crate::originals::read(doc).map_err(DocFailure::Blocked)?;
            &original
        } else {
            native
        };
        write_file(&staging.join(rel), native).map_err(DocFailure::Output)?;
        w.nativelink = link.clone();
        // The bytes were just checked against the ingest hash: no need to
        // hash again. With a native beside its pages (`email_natives`),
        // PRODUCED_SHA256 is the native's, as loaders and audits expect.
        w.produced_sha256 = doc.source.sha256.clone();
        w.files.push((rel.clone(), doc.source.sha256.clone()));
    }
    if let (Some((rel, link)), Some(text)) = (&job.text, &text) {
        let bytes = text.file_bytes();
        write_file(&staging.join(rel), &bytes).map_err(DocFailure::Output)?;
        w.textlink = link.clone();
        w.files.push((rel.clone(), sha256_hex(&bytes)));
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
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(io)?;
    }
    let mut f = std::fs::File::create(path).map_err(io)?;
    f.write_all(bytes).map_err(io)?;
    Ok(())
}
