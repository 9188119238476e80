//! What each written document adds to the volume (its rows, made by the
//! worker that wrote it), and how those add up in Bates order: on one
//! thread, a chunk behind the writers, so the writers never wait for it.

use super::bates::BatesFormat;
use super::checksums::Checksums;
use super::data::{CrossRefLines, CrossRefs, IndexFiles, IndexLines};
use super::document::{DocFailure, Job};
use super::plan::{self, Blocker};
use super::rows::{self, Written};
use super::volume::Request;
use crate::error::Error;
use crate::export::PrivLogRow;
use crate::export::dat::DatLines;
use crate::export::lfp::LfpPage;
use crate::export::opt::OptDoc;
use crate::export::row::IndexRow;
use crate::export::spill::{SpillWriter, freeze};
use crate::export::xlsx::{IndexCells, IndexWorkbook};
use crate::matter::store::VolumeDocument;
use crate::model::{DocId, Document};

/// Everything the volume's documents add up to, appended in Bates order.
pub(super) struct VolumeRows {
    /// The production index, a frozen row a line, spilled beside the staging folder.
    pub index: SpillWriter<IndexRow>,
    /// What the store keeps of each document (duplicates included).
    pub documents: SpillWriter<VolumeDocument>,
    /// The privilege log, a frozen row a line, spilled like the index.
    pub privlog: SpillWriter<PrivLogRow>,
    /// The OPT (and LFP) lines, straight to their files.
    pub xrefs: CrossRefs,
    /// The DAT and the index CSV.
    pub index_files: IndexFiles,
    /// The index XLSX.
    pub workbook: IndexWorkbook,
    pub checksums: Checksums,
    pub pages_without_text: usize,
    pub warnings: Vec<String>,
    /// Documents that cannot go out as planned: once there is one, rows are
    /// no longer appended (the volume will not be recorded).
    pub problems: Vec<Blocker>,
}

/// Written documents waiting to be appended, after the copies of their
/// batch the volume does not carry (what the store keeps of those).
pub(super) struct Chunk {
    pub duplicates: Vec<VolumeDocument>,
    pub made: Vec<(DocId, Result<Made, DocFailure>)>,
}

impl VolumeRows {
    pub(super) fn append(&mut self, chunk: Chunk) -> Result<(), Error> {
        for duplicate in &chunk.duplicates {
            self.documents.push(duplicate)?;
        }
        for (id, result) in chunk.made {
            let mut made = match result {
                Ok(made) => made,
                // Not the document's fault (disk full, I/O): exit 4, nothing recorded.
                Err(DocFailure::Output(e)) => return Err(e),
                // Every blocker is listed: the rest are still written and checked.
                Err(DocFailure::Blocked(reason)) => {
                    self.problems.push(Blocker {
                        docids: vec![id],
                        reason,
                    });
                    continue;
                }
            };
            if !self.problems.is_empty() {
                continue;
            }
            self.index.push_frozen(&made.index)?;
            self.index_files.push(made.lines)?;
            self.workbook.push(made.cells).map_err(Error::internal)?;
            if let Some(line) = &made.privlog {
                self.privlog.push_frozen(line)?;
            }
            if let Some(lines) = &made.xrefs {
                self.xrefs.push(lines)?;
            }
            self.documents.push(&made.document)?;
            self.pages_without_text += made.pages_without_text;
            self.warnings.append(&mut made.warnings);
            self.checksums.extend(made.files)?;
        }
        Ok(())
    }
}

/// What a written document adds to the volume, made by the worker that
/// wrote it: its index and privilege-log rows (frozen), OPT/LFP lines, what
/// the store keeps, and its files for SHA256SUMS.
pub(super) struct Made {
    index: String,
    lines: IndexLines,
    cells: IndexCells,
    privlog: Option<String>,
    xrefs: Option<CrossRefLines>,
    document: VolumeDocument,
    files: Vec<(String, String)>,
    warnings: Vec<String>,
    pages_without_text: usize,
}

pub(super) fn made(
    job: &Job<'_>,
    mut w: Written,
    bates: &BatesFormat,
    config: &crate::matter::Config,
    req: &Request<'_>,
    dat: &DatLines,
) -> Result<Made, Error> {
    let row = rows::index_row(job.doc, job.planned, req.name, bates, &w);
    let index = freeze(&row)?;
    let lines = IndexLines::of(&row, dat)?;
    let cells = IndexCells::of(&row);
    let xrefs = match job.planned.beg() {
        Some(_) => Some(CrossRefLines::of(
            &opt_doc(job, bates, req, &mut w),
            &lfp_pages(&w),
        )?),
        None => None,
    };
    Ok(Made {
        index,
        lines,
        cells,
        privlog: rows::privlog_row(job.doc, job.planned, req.name, bates, config)
            .as_ref()
            .map(freeze)
            .transpose()?,
        xrefs,
        document: volume_document(job, &w, config),
        files: w.files,
        warnings: w.warnings,
        pages_without_text: w.pages_without_text,
    })
}

/// A numbered document's OPT entry (its IMAGES link moves into it).
fn opt_doc(job: &Job<'_>, bates: &BatesFormat, req: &Request<'_>, w: &mut Written) -> OptDoc {
    OptDoc {
        page_keys: job.planned.numbers(bates),
        volume: req.name.to_string(),
        image_path: std::mem::take(&mut w.imagelink),
        page_images: w.pages.iter().map(|p| p.link(req.name)).collect(),
    }
}

/// The LFP records of a document's single-page images (none for PDFs).
fn lfp_pages(w: &Written) -> Vec<LfpPage> {
    w.pages
        .iter()
        .enumerate()
        .map(|(i, p)| LfpPage {
            key: p.key.clone(),
            doc_start: i == 0,
            folder: p.folder.clone(),
            file: p.file.clone(),
            image_type: p.kind.lfp_type(),
        })
        .collect()
}

/// What the store keeps of a written document.
fn volume_document(job: &Job<'_>, w: &Written, config: &crate::matter::Config) -> VolumeDocument {
    VolumeDocument {
        id: job.doc.id,
        treatment: job.planned.treatment.label().to_string(),
        beg: job.planned.beg(),
        end: job.planned.end(),
        log_id: job.planned.log_id(),
        represented_by: None,
        produced_sha256: (!w.produced_sha256.is_empty()).then(|| w.produced_sha256.clone()),
        decision: plan::decision(job.doc, config),
    }
}

/// What the store keeps of a duplicate the volume does not carry.
pub(super) fn duplicate_document(
    d: &plan::Duplicate,
    doc: &Document,
    config: &crate::matter::Config,
) -> VolumeDocument {
    VolumeDocument {
        id: d.docid,
        treatment: "Duplicate".into(),
        beg: None,
        end: None,
        log_id: None,
        represented_by: Some(d.represented_by),
        produced_sha256: None,
        decision: plan::decision(doc, config),
    }
}
