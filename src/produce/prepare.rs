//! Preparing the next volume from the matter as it is now: the Bates
//! settings (frozen by the first production), the plan, the sources re-read
//! and checked, the warnings of the dry run, and the text the stamp font
//! must be able to show. Shared by `produce`, `produce --dry-run` and
//! `status`.

use super::batches;
use super::bates::BatesFormat;
use super::plan::{self, Blocker, Form, Plan, Planned, SourceState};
use super::planner::Planner;
use super::volume::Documents;
use crate::error::Error;
use crate::matter::Matter;
use crate::matter::store::BatesSettings;
use crate::model::{DocId, Document};
use crate::pdf::font::FontSet;
use rayon::prelude::*;
use std::collections::HashMap;

/// The Bates settings to use: frozen by the first produce, else adrec.toml.
/// A different value in adrec.toml after the first volume is an input error
/// naming the key.
pub fn bates_settings(matter: &Matter) -> Result<BatesSettings, Error> {
    let b = &matter.config.bates;
    let configured = BatesSettings {
        prefix: b.prefix.clone(),
        width: b.width,
        start: b.start,
    };
    let Some(frozen) = matter.store.bates_settings()? else {
        return Ok(configured);
    };
    for (key, was, now) in [
        ("bates.prefix", frozen.prefix.clone(), configured.prefix),
        (
            "bates.width",
            frozen.width.to_string(),
            configured.width.to_string(),
        ),
        (
            "bates.start",
            frozen.start.to_string(),
            configured.start.to_string(),
        ),
    ] {
        if was != now {
            return Err(Error::input(format!(
                "adrec.toml: {key} is {now} but the first volume was produced with {was}"
            ))
            .hint(format!(
                "set {key} back to {was}: Bates numbering cannot change after the first production"
            )));
        }
    }
    Ok(frozen)
}

/// The plan of the next volume, the dry run's warnings, and where its
/// documents are read from.
pub struct Prepared {
    pub plan: Plan,
    pub warnings: Vec<String>,
    pub settings: BatesSettings,
    pub documents: Documents,
    /// The fonts the volume's text needs, bundled first (`--dry-run` lists them).
    pub fonts: Vec<String>,
}

/// Plans the next volume as of now, in one pass over the matter. With
/// `check_sources`, every source (and redacted file) that would go out is
/// re-read and checked in a second, so the plan lists those problems as
/// blockers too.
pub fn plan_next(matter: &Matter, name: &str, check_sources: bool) -> Result<Prepared, Error> {
    let settings = bates_settings(matter)?;
    let bates = BatesFormat {
        prefix: settings.prefix.clone(),
        width: settings.width,
    };
    let earlier = matter.store.earlier()?;
    let first_number = matter
        .store
        .highest_bates()?
        .map_or(settings.start, |n| n + 1);
    let first_log_id = matter.store.next_log_id()?;
    let plan_with = |sources: &HashMap<DocId, SourceState>| -> Result<Plan, Error> {
        let mut planner = Planner::new(&matter.config, &earlier);
        // One entry a top-level document (attachments add to it); room
        // unused is never touched, so it takes no memory.
        planner.reserve(matter.store.max_doc_seq()?.min(1 << 22) as usize);
        let family_blockers = batches::each(matter, |docs| {
            let rendered = rendered_pages(&docs, &bates, &earlier);
            planner.add(&docs, sources, &rendered);
            Ok(())
        })?;
        let mut plan = planner.finish(name, &bates, first_number, first_log_id);
        plan.blockers.extend(family_blockers);
        Ok(plan)
    };
    let mut result = plan_with(&HashMap::new())?;
    let mut warnings: Vec<String> = result
        .documents
        .iter()
        .filter_map(|p| p.original_kept_back(&matter.config))
        .collect();
    if check_sources {
        let files = super::sources::MatterFiles::of(matter);
        let mut problems = HashMap::new();
        batches::each(matter, |docs| {
            let checks: Vec<(DocId, SourceState, Option<String>)> = docs
                .par_iter()
                .filter_map(|d| Some((result.planned(d.id)?, d)))
                .map(|(p, d)| check_source(&files, d, p, &bates))
                .collect();
            for (id, state, warning) in checks {
                if let SourceState::Problem(_) = state {
                    problems.insert(id, state);
                }
                warnings.extend(warning);
            }
            Ok(())
        })?;
        // Only a problem changes the plan (it blocks the document).
        if !problems.is_empty() {
            result = plan_with(&problems)?;
        }
    }
    Ok(Prepared {
        plan: result,
        warnings,
        settings,
        documents: Documents::Matter,
        fonts: Vec::new(),
    })
}

/// Re-reads the bytes of one planned document that would go out: a
/// problem blocks it; a redaction that left the words, or text under a
/// cover, is a warning.
fn check_source(
    files: &super::sources::MatterFiles,
    d: &Document,
    p: &Planned,
    bates: &BatesFormat,
) -> (DocId, SourceState, Option<String>) {
    match super::sources::checked_bytes(files, d, p, bates) {
        // Produce stamps every page of a PDF it images: a page that
        // does not resolve blocks it there, so it blocks here too.
        Ok(Some(bytes))
            if p.form.is_paginated()
                && bytes.windows(5).take(1024).any(|w| w == b"%PDF-")
                && let Err(reason) = crate::pdf::read::pages_resolve(&bytes) =>
        {
            (p.docid, SourceState::Problem(reason.to_string()), None)
        }
        Ok(bytes) => {
            let warning = match (&p.form, bytes) {
                (Form::Image { redacted: true }, Some(redacted)) => redaction_warning(d, &redacted),
                (Form::Image { redacted: false }, Some(pdf)) => {
                    super::text::covered_warning(&files.texts, d, &pdf)
                }
                _ => None,
            };
            (p.docid, SourceState::Ok, warning)
        }
        Err(reason) => (p.docid, SourceState::Problem(reason), None),
    }
}

/// Prepares a volume for `produce`: a dry run checks every source now; a
/// real run checks each source as it writes it (one read per file), and
/// only when something else already blocks checks them now too, so every
/// blocker is listed. Text the stamp font cannot show, and values the DAT's
/// encoding cannot hold, are refused before anything is written (exit 2),
/// naming the document.
pub fn prepare(matter: &Matter, name: &str, dry_run: bool) -> Result<Prepared, Error> {
    let mut prepared = plan_next(matter, name, dry_run)?;
    if !dry_run && !prepared.plan.blockers.is_empty() {
        prepared = plan_next(matter, name, true)?;
    }
    // A volume that will be written has its text checked in the write's
    // own first pass over the documents (`volume::write`, with the fonts),
    // before anything is written: one pass over the matter fewer.
    if !dry_run && prepared.plan.blockers.is_empty() {
        return Ok(prepared);
    }
    let bates = BatesFormat {
        prefix: prepared.settings.prefix.clone(),
        width: prepared.settings.width,
    };
    let plan = &prepared.plan;
    let mut checks = TextChecks::default();
    batches::each(matter, |docs| {
        let in_plan: Vec<(&Document, &Planned)> = docs
            .iter()
            .filter_map(|d| Some((d, plan.planned(d.id)?)))
            .collect();
        checks.add(matter, &in_plan, name, &bates);
        Ok(())
    })?;
    prepared.fonts = checks.finish(matter)?;
    Ok(prepared)
}

/// What a volume's text must pass before anything is written: every legend
/// and slip-sheet file name shown by some font, every DAT value held by the
/// DAT's encoding. Gathered a batch of documents at a time.
#[derive(Default)]
pub struct TextChecks {
    fonts: FontSet,
    unshowable: Vec<Blocker>,
    unencodable: Vec<crate::export::Unencodable>,
}

impl TextChecks {
    pub fn add(
        &mut self,
        matter: &Matter,
        in_plan: &[(&Document, &Planned)],
        volume: &str,
        bates: &BatesFormat,
    ) {
        self.unshowable
            .extend(text_blockers(matter, in_plan, &mut self.fonts));
        self.unencodable.extend(super::loadfile::unencodable(
            in_plan,
            volume,
            bates,
            &matter.config,
        ));
    }

    /// Whether every text so far passes.
    pub fn passed(&self) -> bool {
        self.unshowable.is_empty() && self.unencodable.is_empty()
    }

    /// The error naming every text that failed; else the fonts used.
    pub fn finish(self, matter: &Matter) -> Result<Vec<String>, Error> {
        if !self.unshowable.is_empty() {
            let lines: Vec<String> = self.unshowable.iter().map(Blocker::to_string).collect();
            return Err(Error::input(format!(
                "text no available font can show:\n  {}",
                lines.join("\n  ")
            ))
            .hint(format!("install a font covering these characters (e.g. Noto), point {} at a folder holding one, change the legend in adrec.toml, or give the document a --filename that can be shown; nothing was written", crate::pdf::font::DIRS_ENV)));
        }
        // A value the DAT's encoding cannot hold: refused before anything is written.
        if !self.unencodable.is_empty() {
            return Err(super::loadfile::unencodable_error(
                &self.unencodable,
                matter.config.load_file.encoding(),
            ));
        }
        Ok(self
            .fonts
            .faces
            .iter()
            .map(|f| format!("{} ({})", f.name, f.origin))
            .collect())
    }
}

/// The page count of every e-mail that would go out rendered (read and laid
/// out now, in parallel), or why it cannot be rendered.
fn rendered_pages(
    documents: &[Document],
    bates: &BatesFormat,
    earlier: &crate::model::EarlierDocs,
) -> HashMap<DocId, Result<u64, String>> {
    let children = plan::children_of(documents);
    documents
        .par_iter()
        .filter(|d| {
            d.review.status == crate::model::Status::Produce
                && super::email::renders(d)
                && !earlier.contains_key(&d.id)
        })
        .map(|d| {
            let kids = children.get(&d.id).map_or(&[][..], Vec::as_slice);
            let lines = super::email::attachment_lines(kids);
            let pages = super::email::pages(d, &lines, bates);
            (d.id, pages)
        })
        .collect()
}

/// Warns when a redacted PDF's text still holds every word of the original's.
fn redaction_warning(doc: &Document, redacted: &[u8]) -> Option<String> {
    let original = crate::originals::read(doc).ok()?;
    let (before, after) = (
        crate::pdf::read::words(&original)?,
        crate::pdf::read::words(redacted)?,
    );
    (!before.is_empty() && before.is_subset(&after)).then(|| {
        format!("{}: the redacted file's text still contains every word of the original's; check the redactions were applied", doc.id)
    })
}

/// The legends and slip-sheet file names no available font can show, one
/// blocker per document and text (the character named as U+XXXX), for
/// planned documents given with their plan entries. Fonts found on the way
/// stay in `fonts`.
pub fn text_blockers(
    matter: &Matter,
    in_plan: &[(&Document, &Planned)],
    fonts: &mut FontSet,
) -> Vec<Blocker> {
    let mut bad = Vec::new();
    for (doc, p) in in_plan {
        if let Some(level) = p
            .confidentiality
            .as_deref()
            .and_then(|l| matter.config.level(l))
            && let Some(c) = fonts.missing(&level.legend)
        {
            bad.push(Blocker {
                docids: vec![p.docid],
                reason: format!(
                    "the legend of level {:?} contains {c:?} (U+{:04X})",
                    level.name, c as u32
                ),
            });
        }
        if let Form::Native { .. } = p.form {
            let name = doc
                .review
                .filename
                .clone()
                .unwrap_or_else(|| doc.file_name().to_string());
            if let Some(c) = fonts.missing(&name) {
                bad.push(Blocker {
                    docids: vec![p.docid],
                    reason: format!(
                        "the file name {name:?} on its slip sheet contains {c:?} (U+{:04X})",
                        c as u32
                    ),
                });
            }
        }
    }
    bad
}
