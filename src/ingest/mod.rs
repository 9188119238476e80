//! Ingest: walk the PATHs, read and hash every new or changed file once (in
//! parallel), read its metadata, and record the results in one transaction.
//! DOCIDs follow the SPEC's order, never thread timing.

pub mod family;
pub mod hash;
mod mbox;
pub mod walk;

use crate::error::Error;
use crate::extract;
use crate::matter::Matter;
use crate::matter::store::{Failure, IngestBatch, KnownFile, NewDocument};
use crate::model::{DocId, Source};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::Instant;
use walk::{Candidate, Skipped, Walk};

pub struct Options {
    pub paths: Vec<PathBuf>,
    pub custodian: Option<String>,
    pub follow_links: bool,
    pub update: bool,
    pub actor: String,
}

/// What one ingest did; printed as the summary (`--json` prints this).
#[derive(Debug, Default, Serialize)]
pub struct Summary {
    pub new: usize,
    pub unchanged: usize,
    pub changed: usize,
    pub updated: usize,
    pub duplicate: usize,
    pub unparseable: usize,
    pub repaired: usize,
    pub failed: usize,
    pub skipped: usize,
    /// Attachments added as child documents.
    pub attachments: usize,
    pub bytes_hashed: u64,
    pub elapsed_seconds: f64,
    /// New and updated documents, in DOCID order.
    pub documents: Vec<IngestedDoc>,
    pub changed_files: Vec<ChangedFile>,
    pub unparseable_files: Vec<Problem>,
    pub repaired_files: Vec<Problem>,
    pub failures: Vec<Problem>,
    pub skipped_paths: Vec<Skipped>,
    /// Facts about families the reviewer should know.
    pub notes: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct IngestedDoc {
    pub docid: DocId,
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duplicate_of: Option<DocId>,
}

#[derive(Debug, Serialize)]
pub struct ChangedFile {
    pub docid: DocId,
    pub path: String,
    pub reason: String,
}

#[derive(Debug, Serialize)]
pub struct Problem {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub docid: Option<DocId>,
    pub path: String,
    pub reason: String,
}

impl Summary {
    /// Exit 1 when anything could not be ingested or changed since ingest.
    pub fn has_problems(&self) -> bool {
        self.changed + self.unparseable + self.failed > 0
    }
}

/// Files over this size are read one at a time (see `LARGE_READS`).
const LARGE_FILE: u64 = 128 * 1024 * 1024;
/// PDFs up to this size have their text extracted at ingest. The extractor
/// holds the parsed document beside the bytes, so a larger PDF is left to the
/// first command that needs its text: ingest's memory stays near the file's
/// size.
const TEXT_AT_INGEST: u64 = 32 * 1024 * 1024;
/// Held while a large file is read and parsed.
static LARGE_READS: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// A file to read, with what is known about it before reading.
struct Work {
    candidate: Candidate,
    source_path: String,
    /// The path as the file system has it (bytes; `source_path` is its
    /// lossy display when the name is not UTF-8).
    read_path: PathBuf,
    size: u64,
    mtime_ns: i64,
    known: Option<KnownFile>,
}

enum ReadResult {
    Read(Box<(hash::Hashed, crate::model::Extracted, family::FamilyRead)>),
    /// A mailbox: each message is a top-level document of its own.
    Mbox(Vec<(hash::Hashed, crate::model::Extracted, family::FamilyRead)>),
    Failed(String),
}

/// Checks every PATH exists before anything changes (exit 2 otherwise).
pub fn check_paths(paths: &[PathBuf]) -> Result<Vec<PathBuf>, Error> {
    paths
        .iter()
        .map(|p| {
            std::fs::symlink_metadata(p).map_err(|e| {
                Error::input(format!("cannot ingest `{}`: {e}", p.display()))
                    .hint("check the path; nothing was ingested")
            })?;
            p.canonicalize().map_err(|e| {
                Error::input(format!("cannot ingest `{}`: {e}", p.display()))
                    .hint("check the path; nothing was ingested")
            })
        })
        .collect()
}

pub fn run(
    matter: &mut Matter,
    opts: &Options,
    progress: &indicatif::ProgressBar,
) -> Result<Summary, Error> {
    let started = Instant::now();
    let roots = check_paths(&opts.paths)?;
    let own = matter.own_folders();
    let mut walked = Walk::default();
    for root in &roots {
        walk::walk(root, opts.follow_links, &own, &mut walked);
    }

    let known = matter.store.known_files()?;
    let mut summary = Summary::default();
    let mut batch = IngestBatch {
        actor: opts.actor.clone(),
        ..Default::default()
    };
    let mut seen_paths = HashSet::new();
    let mut work = Vec::new();
    for f in walked.failures {
        let source_path = f.path.display().to_string();
        summary.failures.push(Problem {
            docid: None,
            path: source_path.clone(),
            reason: f.reason.clone(),
        });
        batch.failures.push(Failure {
            source_path,
            ingest_root: f.root.display().to_string(),
            rel_path: f.rel_path,
            reason: f.reason,
        });
    }
    summary.skipped_paths = walked.skipped;
    // Resolve and stat every file in parallel; the order stays the walk's.
    let stats: Vec<std::io::Result<(PathBuf, std::fs::Metadata)>> = walked
        .files
        .par_iter()
        .map(|c| {
            let resolved = if opts.follow_links {
                c.path.canonicalize()
            } else {
                Ok(c.path.clone())
            };
            resolved.and_then(|s| std::fs::metadata(&s).map(|m| (s, m)))
        })
        .collect();
    for (candidate, stat) in walked.files.into_iter().zip(stats) {
        let (source, meta) = match stat {
            Ok(pair) => pair,
            Err(e) => {
                fail(
                    &mut summary,
                    &mut batch,
                    &candidate,
                    &candidate.path,
                    reason_for(e.kind()),
                );
                continue;
            }
        };
        let source_path = source.display().to_string();
        if source != candidate.path {
            // A failure recorded under the link's own path is resolved too.
            batch.recovered.push(candidate.path.display().to_string());
        }
        if !seen_paths.insert(source_path.clone()) {
            summary.skipped_paths.push(Skipped {
                path: candidate.path.display().to_string(),
                reason: format!("the same file as `{source_path}`, already listed in this ingest"),
            });
            continue;
        }
        let mtime_ns = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos() as i64);
        let known = known.get(&source_path).cloned();
        if let Some(k) = &known
            && k.size == meta.len()
            && k.mtime_ns == mtime_ns
        {
            summary.unchanged += 1;
            batch.recovered.push(source_path);
            continue;
        }
        work.push(Work {
            candidate,
            source_path,
            read_path: source.clone(),
            size: meta.len(),
            mtime_ns,
            known,
        });
    }
    summary.skipped = summary.skipped_paths.len();

    let total: u64 = work.iter().map(|w| w.size).sum();
    progress.set_length(total);
    let texts = matter.text_cache();
    let results: Vec<ReadResult> = work
        .par_iter()
        .map(|w| {
            let file_name = w
                .candidate
                .rel_path
                .rsplit('/')
                .next()
                .unwrap_or(&w.candidate.rel_path);
            // Files a parser holds whole are read one large file at a time,
            // so two 1 GB PDFs never sit in memory together.
            let _one_large = (w.size > LARGE_FILE).then(|| {
                LARGE_READS
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
            });
            let result = match hash::read_and_hash(&w.read_path, w.size, file_name) {
                Ok((_, bytes)) if mbox::is_mbox(&bytes, file_name) => {
                    ReadResult::Mbox(mbox::read_mbox(&bytes, file_name))
                }
                Ok((hashed, bytes)) => {
                    // The bytes are dropped here: only what was learned from them is kept.
                    let mut extracted = extract::extract(&bytes, &w.candidate.rel_path);
                    // A PDF's text is extracted once, here, while its bytes
                    // are read: produce, its dry run and status then read it
                    // from the cache instead of interpreting every page again.
                    if extracted.kind == crate::model::FileKind::Pdf
                        && extracted.problem.is_none()
                        && w.size <= TEXT_AT_INGEST
                        && !texts.has(&hashed.sha256)
                    {
                        let _ = texts.text(Some(&hashed.sha256), &bytes);
                    }
                    if w.read_path.to_str().is_none() {
                        extracted.metadata.notes.push(
                            "the file name is not valid UTF-8; it is shown with replacement characters (\u{FFFD}) and read under its real name".into(),
                        );
                    }
                    // An e-mail's attachments are read while its bytes are here.
                    let family = if extracted.kind == crate::model::FileKind::Email
                        && extracted.problem.is_none()
                    {
                        family::read(&bytes, file_name)
                    } else {
                        family::FamilyRead::default()
                    };
                    extracted.metadata.notes.extend(family.notes.iter().cloned());
                    ReadResult::Read(Box::new((hashed, extracted, family)))
                }
                Err(e) => ReadResult::Failed(reason_for(e.kind())),
            };
            progress.inc(w.size);
            result
        })
        .collect();

    let produced = matter.store.produced_docs()?;
    let with_children: HashSet<DocId> = known
        .values()
        .filter(|k| k.id.is_child())
        .map(|k| k.id.top())
        .collect();
    let mut next_seq = matter.store.max_doc_seq()? + 1;
    let mut first_by_sha = matter.store.first_by_sha256()?;
    // A mailbox's messages are documents `PATH#N`, each known (or not) on
    // its own.
    let mut items = Vec::with_capacity(work.len());
    for (w, result) in work.into_iter().zip(results) {
        match result {
            ReadResult::Mbox(messages) => {
                if messages.is_empty() {
                    summary.notes.push(format!(
                        "{}: a mailbox with no messages; nothing was added",
                        w.candidate.rel_path
                    ));
                }
                for (n, read) in messages.into_iter().enumerate() {
                    let identity = format!("{}#{}", w.source_path, n + 1);
                    let message = Work {
                        candidate: Candidate {
                            rel_path: format!("{}#{}", w.candidate.rel_path, n + 1),
                            ..w.candidate.clone()
                        },
                        known: known.get(&identity).cloned(),
                        source_path: identity,
                        read_path: w.read_path.clone(),
                        size: read.0.size,
                        mtime_ns: w.mtime_ns,
                    };
                    items.push((message, ReadResult::Read(Box::new(read))));
                }
            }
            other => items.push((w, other)),
        }
    }
    for (w, result) in items {
        let (hashed, extracted, family) = match result {
            ReadResult::Mbox(_) => continue,
            ReadResult::Read(read) => *read,
            ReadResult::Failed(reason) => {
                fail(&mut summary, &mut batch, &w.candidate, &w.read_path, reason);
                continue;
            }
        };
        summary.bytes_hashed += hashed.size;
        batch.recovered.push(w.source_path.clone());
        if let Some(k) = &w.known {
            if k.sha256 == hashed.sha256 {
                // Touched, not changed: remember the new mtime so the next ingest skips it.
                summary.unchanged += 1;
                batch.touched.push((k.id, w.mtime_ns));
                // An e-mail ingested before families existed gains its attachments now.
                if !family.children.is_empty() && !with_children.contains(&k.id) {
                    if produced.contains(&k.id) {
                        summary.notes.push(format!(
                            "{} ({}) was produced before attachments became documents: its {} attachment(s) were not added, so the produced family stays as it went out",
                            k.id,
                            w.candidate.rel_path,
                            family.children.len()
                        ));
                    } else {
                        let parent = Source {
                            source_path: w.source_path.clone(),
                            ingest_root: w.candidate.root.display().to_string(),
                            rel_path: w.candidate.rel_path.clone(),
                            custodian: opts.custodian.clone().unwrap_or_default(),
                            mtime_ns: w.mtime_ns,
                            ..family::children_template()
                        };
                        family::add_children(k.id, &parent, family, &mut summary, &mut batch.new);
                    }
                }
                continue;
            }
            if !opts.update || produced.contains(&k.id) {
                let reason = if opts.update {
                    "content changed since ingest, but the document is in a produced volume: --update is refused; \
                     to produce the new version, ingest it from a new path"
                } else {
                    "content changed since ingest; left as it was (use --update to replace it)"
                };
                summary.changed += 1;
                summary.changed_files.push(ChangedFile {
                    docid: k.id,
                    path: w.source_path.clone(),
                    reason: reason.into(),
                });
                continue;
            }
        }
        let id = w.known.as_ref().map_or_else(
            || {
                let id = DocId(next_seq);
                next_seq += 1;
                id
            },
            |k| k.id,
        );
        let duplicate_of = match first_by_sha.get(&hashed.sha256) {
            Some(first) if *first != id => Some(*first),
            _ => {
                first_by_sha.insert(hashed.sha256.clone(), id);
                None
            }
        };
        if let Some(problem) = &extracted.problem {
            summary.unparseable += 1;
            summary.unparseable_files.push(Problem {
                docid: Some(id),
                path: w.source_path.clone(),
                reason: problem.clone(),
            });
        }
        if let Some(repair) = &extracted.repaired {
            summary.repaired += 1;
            summary.repaired_files.push(Problem {
                docid: Some(id),
                path: w.source_path.clone(),
                reason: repair.clone(),
            });
        }
        let source = Source {
            source_path: w.source_path.clone(),
            ingest_root: w.candidate.root.display().to_string(),
            rel_path: w.candidate.rel_path.clone(),
            custodian: opts.custodian.clone().unwrap_or_default(),
            size: hashed.size,
            mtime_ns: w.mtime_ns,
            sha256: hashed.sha256,
            md5: hashed.md5,
            kind: extracted.kind,
            type_name: extracted.type_name,
            page_count: extracted.pages,
            problem: extracted.problem,
            repaired: extracted.repaired,
            metadata: extracted.metadata,
            hidden: extracted.hidden,
            duplicate_of,
        };
        let parent = source.clone();
        let record = NewDocument { id, source };
        summary.documents.push(IngestedDoc {
            docid: id,
            path: w.candidate.rel_path.clone(),
            duplicate_of,
        });
        if w.known.is_some() {
            summary.updated += 1;
            batch.updated.push(record);
        } else {
            if duplicate_of.is_some() {
                summary.duplicate += 1;
            } else {
                summary.new += 1;
            }
            batch.new.push(record);
        }
        if w.known.is_some() && with_children.contains(&id) {
            summary.notes.push(format!(
                "{id} ({}) changed and was re-read; its attachments keep the DOCIDs and facts of the version first ingested",
                w.candidate.rel_path
            ));
        } else {
            family::add_children(id, &parent, family, &mut summary, &mut batch.new);
        }
    }
    summary.failed = summary.failures.len();
    matter.store.apply_ingest(&batch)?;
    summary.elapsed_seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}

fn fail(
    summary: &mut Summary,
    batch: &mut IngestBatch,
    candidate: &Candidate,
    path: &Path,
    reason: String,
) {
    let source_path = path.display().to_string();
    summary.failures.push(Problem {
        docid: None,
        path: source_path.clone(),
        reason: reason.clone(),
    });
    batch.failures.push(Failure {
        source_path,
        ingest_root: candidate.root.display().to_string(),
        rel_path: candidate.rel_path.clone(),
        reason,
    });
}

fn reason_for(kind: std::io::ErrorKind) -> String {
    match kind {
        std::io::ErrorKind::PermissionDenied => {
            "permission denied: the file could not be read".into()
        }
        std::io::ErrorKind::NotFound => {
            "vanished before it could be read (or a broken link)".into()
        }
        std::io::ErrorKind::InvalidInput => crate::files::NOT_REGULAR.into(),
        other => format!("could not be read: {other}"),
    }
}
