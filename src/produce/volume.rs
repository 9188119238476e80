//! Writing a planned volume. Everything is built in the matter's staging
//! folder (`matter::staging`), checked, recorded in the store in one
//! transaction, and only then renamed into place. A process killed before the
//! commit leaves no number consumed; one killed after it is completed by the
//! next command that opens the matter.

use super::bates::BatesFormat;
use super::checksums::{Checksums, write_checksums};
use super::data::{CrossRefs, IndexFiles, write_data, xlsx_props};
use super::document::{DocFailure, Job, SlotCounter, Slots, write_document};
use super::made::{Chunk, VolumeRows, duplicate_document, made};
use super::overlay::Overlay;
use super::plan::{Blocker, Form, Plan, Planned};
use super::prepare::TextChecks;
use super::slips::VolumeTexts;
use crate::error::Error;
use crate::export::dat::DatLines;
use crate::export::spill::{Rows, SpillWriter};
use crate::export::xlsx::IndexWorkbook;
use crate::matter::Matter;
use crate::matter::config::Images;
use crate::matter::staging::{Finished, Staging};
use crate::matter::store::{BatesSettings, VolumeDocument, VolumeRecord};
use crate::model::{DocId, Document};
use crate::pdf::slip::SlipTemplate;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::Arc;

pub struct Request<'a> {
    pub name: &'a str,
    pub title: &'a str,
    pub date: jiff::civil::Date,
    pub stamp: bool,
    pub settings: BatesSettings,
    /// Set for `produce --overlay`: the clawbacks this volume carries out.
    pub overlay: Option<&'a Overlay>,
    /// When the command began (for `ADREC_PRODUCE_TIMING`).
    pub started: std::time::Instant,
}

/// With `ADREC_PRODUCE_TIMING=1`, prints when each phase of a produce ends.
pub fn phase_timer(started: std::time::Instant) -> impl Fn(&str) {
    crate::output::phase_timer("ADREC_PRODUCE_TIMING", "produce", started)
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

/// Documents written in parallel at a time: each batch's rows are made and
/// its documents let go before the next, so memory does not grow with the
/// volume's files.
const BATCH: usize = 1024;

/// Where the documents of a volume come from.
pub enum Documents {
    /// Read again from the matter, whole families a batch at a time (a
    /// produce): each must be as it was planned.
    Matter,
    /// Given in full (an overlay's few documents).
    Given(Vec<Document>),
}

impl Documents {
    /// Calls `each` with the documents a batch at a time, in DOCID order
    /// (given documents: in one batch).
    fn each(
        &self,
        matter: &Matter,
        mut each: impl FnMut(Vec<Document>) -> Result<(), Error>,
    ) -> Result<(), Error> {
        match self {
            Documents::Matter => super::batches::each(matter, each).map(drop),
            Documents::Given(docs) => each(docs.clone()),
        }
    }
}

/// Finds a document's place in the plan: by halving when the plan is in
/// DOCID order (a produce, however large), else by a map.
struct Places<'a> {
    plan: &'a Plan,
    map: Option<HashMap<DocId, usize>>,
}

impl<'a> Places<'a> {
    fn of(plan: &'a Plan) -> Places<'a> {
        let sorted = plan.documents.is_sorted_by_key(|p| p.docid);
        Places {
            plan,
            map: (!sorted).then(|| {
                plan.documents
                    .iter()
                    .enumerate()
                    .map(|(i, p)| (p.docid, i))
                    .collect()
            }),
        }
    }

    fn get(&self, id: DocId) -> Option<usize> {
        match &self.map {
            Some(map) => map.get(&id).copied(),
            None => self
                .plan
                .documents
                .binary_search_by(|p| p.docid.cmp(&id))
                .ok(),
        }
    }

    /// The plan's documents among `docs`, in plan order, with their places.
    fn pick(&self, docs: Vec<Document>) -> Vec<(usize, Document)> {
        let mut picked: Vec<(usize, Document)> = docs
            .into_iter()
            .filter_map(|d| Some((self.get(d.id)?, d)))
            .collect();
        if !picked.is_sorted_by_key(|(i, _)| *i) {
            picked.sort_by_key(|(i, _)| *i);
        }
        picked
    }
}

/// Starts reading the sources of the documents `chunk` copies, a chunk
/// ahead of the writers (see [`crate::originals::prefetch`]).
fn prefetch(plan: &Plan, chunk: &[(usize, Document)]) {
    crate::originals::prefetch(chunk.iter().filter_map(|(i, doc)| {
        matches!(
            plan.documents.get(*i).map(|p| &p.form),
            Some(Form::Native { .. } | Form::Image { redacted: false })
        )
        .then_some(doc)
    }));
}

/// The plan's documents arrive in plan order: `next` is the place of the
/// one expected first. A document missing from the database is an error.
fn in_order(plan: &Plan, picked: &[(usize, Document)], next: usize) -> Result<(), Error> {
    let expected = next..next + picked.len();
    match expected.zip(picked).find(|(want, (got, _))| want != got) {
        None if next + picked.len() <= plan.documents.len() => Ok(()),
        Some((want, _)) => Err(vanished(plan, want)),
        None => Err(vanished(plan, next)),
    }
}

/// The store's error. Before the commit, nothing was recorded and the
/// staged folder goes with `staged`. At the commit, its answer may have
/// been lost after the volume was recorded: if the store still answers and
/// has no such volume, the folder is removed and the error stands as it is;
/// otherwise the folder is left for the store to decide, and the hint (which
/// would say nothing changed) says what is known and how it settles.
fn failed_commit(
    e: Error,
    staged: Staging,
    store: &dyn crate::matter::Store,
    volume: &str,
) -> Error {
    if !staged.left_to_recovery() {
        return e;
    }
    if let Ok(recorded) = store.volumes()
        && !recorded.iter().any(|v| v.name == volume)
    {
        staged.discard();
        return e;
    }
    e.hint(format!(
        "the database did not confirm whether {volume} was recorded; its files are kept in `{}`. The next adrec command on this matter puts the volume in place if it was recorded; if it was not, the next command that changes the matter removes that folder, and no number was issued. `adrec status` shows which",
        staged.path().display()
    ))
}

fn vanished(plan: &Plan, place: usize) -> Error {
    let id = plan
        .documents
        .get(place)
        .map_or_else(|| "a planned document".to_string(), |p| p.docid.to_string());
    Error::internal(format!("{id} vanished from the database"))
}

/// Writes the volume: staged, verified, recorded, renamed into place.
/// `docs`: where the planned documents are read from (a batch at a time;
/// each is dropped once its files and rows are written).
pub fn write(
    matter: &mut Matter,
    plan: &Plan,
    docs: Documents,
    req: &Request<'_>,
) -> Result<WriteOutcome, Error> {
    let bates = BatesFormat {
        prefix: req.settings.prefix.clone(),
        width: req.settings.width,
    };
    let places = Places::of(plan);
    let phase = phase_timer(req.started);
    // Fonts first: text no font can show stops the volume before anything
    // is written. A pass over the documents, then a second to write them.
    // A produce's legends, file names and DAT values are checked here too
    // (`prepare` leaves them to this pass): every failure is named, before
    // the first text the fonts refuse.
    let fonts = {
        let mut texts = VolumeTexts::new();
        let mut checks = matches!(docs, Documents::Matter).then(TextChecks::default);
        let mut refused = None;
        let mut next = 0;
        docs.each(matter, |batch| {
            let picked = places.pick(batch);
            in_order(plan, &picked, next)?;
            next += picked.len();
            if let Some(checks) = &mut checks {
                let mut in_plan: Vec<(&Document, &Planned)> = picked
                    .iter()
                    .map(|(i, doc)| (doc, &plan.documents[*i]))
                    .collect();
                in_plan.sort_by_key(|(doc, _)| doc.id);
                checks.add(matter, &in_plan, req.name, &bates);
            }
            if refused.is_some() || checks.as_ref().is_some_and(|c| !c.passed()) {
                return Ok(());
            }
            let jobs: Vec<Job<'_>> = picked
                .iter()
                .map(|(i, doc)| Job {
                    doc,
                    planned: &plan.documents[*i],
                    slots: Slots::default(),
                })
                .collect();
            refused = texts.add(&jobs, &bates, &matter.config, req).err();
            Ok(())
        })?;
        if next != plan.documents.len() {
            return Err(vanished(plan, next));
        }
        if let Some(checks) = checks {
            checks.finish(matter)?;
        }
        if let Some(e) = refused {
            return Err(e);
        }
        texts.fonts(&bates, req)?
    };
    phase("fonts");
    let slips = SlipTemplate::new(&fonts);
    // Until the volume is committed, any early return removes what was staged.
    let staged = matter.stage_volume(req.name)?;
    let staging = staged.path().to_path_buf();
    let files = super::sources::MatterFiles::of(matter);
    let staged_files = super::staged_files::StagedFiles::new(&staging);
    let config = &matter.config;
    let progress = crate::output::count_progress("writing", plan.documents.len() as u64);

    // Each written document turns into its rows in Bates order: the index
    // row is spilled to a temporary file beside the staging folder, the
    // OPT/LFP lines go straight to their files, and only the small facts
    // the store and the summary need are kept.
    let single_pages = config.production.images == Images::Tiff;
    let spill_dir = staging.parent().unwrap_or(&staging).to_path_buf();
    let dat_lines = DatLines::new(config.load_file.profile(), config.load_file.encoding());
    let mut rows = VolumeRows {
        index: SpillWriter::new_in(&spill_dir)?,
        documents: SpillWriter::new_in(&spill_dir)?,
        privlog: SpillWriter::new_in(&spill_dir)?,
        xrefs: CrossRefs::create(&staging, req.name, single_pages)?,
        index_files: IndexFiles::create(&staging, req.name, &dat_lines)?,
        workbook: IndexWorkbook::new(&xlsx_props(req, "Index")).map_err(Error::internal)?,
        checksums: Checksums::new_in(&spill_dir),
        pages_without_text: 0,
        warnings: Vec::new(),
        problems: Vec::new(),
    };
    let mut slots = SlotCounter::default();
    let mut next = 0;
    let reread = matches!(docs, Documents::Matter);
    let writers = super::writers::Writers::new(single_pages);
    // Each writer also makes its document's rows, so appending them in
    // order is quick; a chunk's are appended while the next is written.
    let write_one = |job: &Job<'_>| {
        let made = if reread && super::planner::version(job.doc, config) != job.planned.version {
            Err(DocFailure::Blocked(
                "changed after the volume was planned (another reviewer's tag, or a re-ingest); run produce again".into(),
            ))
        } else {
            write_document(&slips, &files, &staged_files, job, &bates, config, req).and_then(|w| {
                made(job, w, &bates, config, req, &dat_lines).map_err(DocFailure::Output)
            })
        };
        progress.inc(1);
        made
    };
    let mut waiting: Option<Chunk> = None;
    docs.each(matter, |batch| {
        // The copies the volume does not carry: what the store keeps of them.
        let mut duplicates: Vec<VolumeDocument> = batch
            .iter()
            .filter_map(|doc| {
                let i = plan
                    .duplicates
                    .binary_search_by(|d| d.docid.cmp(&doc.id))
                    .ok()?;
                Some(duplicate_document(&plan.duplicates[i], doc, config))
            })
            .collect();
        let picked = places.pick(batch);
        in_order(plan, &picked, next)?;
        next += picked.len();
        let chunks: Vec<&[(usize, Document)]> = picked.chunks(BATCH).collect();
        if let Some(first) = chunks.first() {
            prefetch(plan, first);
        }
        for (k, chunk) in chunks.iter().enumerate() {
            let ahead = chunks.get(k + 1).copied().unwrap_or_default();
            let jobs: Vec<Job<'_>> = chunk
                .iter()
                .map(|(i, doc)| {
                    let planned = &plan.documents[*i];
                    Job {
                        doc,
                        planned,
                        slots: slots.next(planned, config),
                    }
                })
                .collect();
            let earlier = waiting.take();
            let (results, appended) = writers.run(|| {
                rayon::join(
                    || jobs.par_iter().map(&write_one).collect::<Vec<_>>(),
                    || {
                        prefetch(plan, ahead);
                        earlier.map_or(Ok(()), |c| rows.append(c))
                    },
                )
            });
            appended?;
            waiting = Some(Chunk {
                duplicates: std::mem::take(&mut duplicates),
                made: jobs.iter().map(|j| j.doc.id).zip(results).collect(),
            });
        }
        // A batch of copies only (nothing to write): their rows keep their place.
        if !duplicates.is_empty() {
            let copies = Chunk {
                duplicates,
                made: Vec::new(),
            };
            if let Some(c) = waiting.replace(copies) {
                rows.append(c)?;
            }
        }
        Ok(())
    })?;
    if let Some(c) = waiting.take() {
        rows.append(c)?;
    }
    progress.finish_and_clear();
    phase("documents written");
    if next != plan.documents.len() {
        return Err(vanished(plan, next));
    }
    let VolumeRows {
        index,
        documents,
        privlog,
        xrefs,
        index_files,
        workbook,
        mut checksums,
        pages_without_text,
        warnings,
        problems,
    } = rows;
    if !problems.is_empty() {
        return Ok(WriteOutcome::Blocked(problems));
    }
    // The documents are most of the volume's bytes: the disk starts on them
    // while the load files are made. Not for a small volume, whose flush is
    // short: there a second journal commit would cost more than it hides.
    let ahead = (plan.documents.len() >= BATCH).then(|| staged.flush_ahead());
    let text_files = slots.text_files();
    let index = index.finish()?;
    let documents = documents.finish()?;
    let privlog = privlog.finish()?;
    checksums.extend(xrefs.finish()?)?;
    let (index_hashes, substitutions) = index_files.finish()?;
    checksums.extend(index_hashes)?;
    let data = write_data(
        &staging,
        plan,
        req,
        matter,
        (workbook, &privlog),
        &substitutions,
    )?;
    checksums.extend(data.files.iter().cloned())?;
    if let Some(overlay) = req.overlay {
        checksums.extend(super::overlay::write_notice(
            &staging, overlay, req, &bates, config,
        )?)?;
    }
    phase("load files");
    write_checksums(&staging, checksums)?;
    phase("SHA256SUMS");
    // Durable before the commit: one flush of the whole staged volume (begun
    // ahead, above), checked here, before anything is recorded.
    let recorded = if let Some(overlay) = req.overlay {
        staged.make_durable()?;
        drop(ahead);
        phase("flushed to disk");
        matter.store.record_overlay_with(
            &super::overlay::record(overlay, req, plan, index, privlog),
            &mut || {
                staged.leave_to_recovery();
                Ok(())
            },
        )
    } else {
        let record = VolumeRecord {
            name: req.name.to_string(),
            title: req.title.to_string(),
            date: req.date.to_string(),
            first_bates: plan.documents.iter().filter_map(|p| p.beg()).min(),
            last_bates: plan.documents.iter().filter_map(|p| p.end()).max(),
            settings: req.settings.clone(),
            documents: Rows::Spilled(Arc::new(documents)),
            index_rows: Rows::Spilled(Arc::new(index)),
            privlog_rows: Rows::Spilled(Arc::new(privlog)),
        };
        // The flush runs beside the store's inserts; the commit waits for it,
        // so nothing is recorded before every staged file is on disk.
        std::thread::scope(|s| {
            let mut flush = Some(s.spawn(|| {
                let flushed = staged.make_durable();
                drop(ahead);
                flushed
            }));
            matter.store.record_volume_with(&record, &mut || {
                let flushed = match flush.take() {
                    Some(handle) => handle.join().unwrap_or_else(|_| {
                        Err(Error::internal("the flush to disk stopped unexpectedly"))
                    }),
                    None => Ok(()),
                };
                phase("flushed to disk");
                flushed?;
                staged.leave_to_recovery();
                Ok(())
            })
        })
    };
    if let Err(e) = recorded {
        return Err(failed_commit(e, staged, &*matter.store, req.name));
    }
    phase("recorded");
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
        text_files,
        pages_without_text,
        warnings,
        completed_by_another: finished == Finished::CompletedByAnother,
    }))
}
