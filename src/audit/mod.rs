//! `adrec audit`: checks a production made by any tool — its files, index,
//! privilege log, image cross-references (OPT, LFP, DII) and checksum lists —
//! without a matter.
//!
//! The flow: check the kind of each file given (`given`), find the volumes
//! and every file in them (`discover`), read the load files into one row
//! model and one image cross-reference model (`load`, `readers`, `read/*`,
//! `rows`, `index_rows`, `columns`), share out files given once for
//! several volumes (`shared`), tie rows to files (`tie`), read every file
//! once in parallel (`scan`), then
//! run each check (`checks/*`) and gather the findings into a
//! [`finding::Report`].
//!
//! Images are read while the load files are parsed when no produced-hash
//! column can ask for their MD5; checks that need no file bytes run while
//! the remaining files are read. `ADREC_AUDIT_TIMING=1` prints when each
//! phase ends, on stderr.

pub mod bates;
pub mod checks;
pub mod columns;
pub mod discover;
pub mod finding;
pub mod given;
pub mod index_rows;
pub mod lists;
pub mod load;
pub mod overlay;
pub mod prepare;
pub mod privileges;
pub mod ranges;
pub mod read;
pub mod readers;
mod reading;
pub mod rows;
pub mod scan;
pub mod shared;
pub mod summary;
#[cfg(test)]
pub mod testing;
pub mod tie;

use crate::error::Error;
use bates::Patterns;
use discover::{FileEntry, Kind};
use finding::{Finding, Report, Summary};
use load::Volume;
use read::categories::Category;
use rows::{IndexRow, LogEntry};
use scan::{Need, Scan};
use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Instant;
use tie::{RangeIndex, Ties};

/// A fast, non-cryptographic hasher for the audit's maps of paths and Bates
/// keys (tens of thousands of lookups; the keys come from local files).
#[derive(Default, Clone, Copy)]
pub struct FastHasher(u64);

impl std::hash::Hasher for FastHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(word))
                .wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }
}

/// A `HashMap` with [`FastHasher`].
pub type FastMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<FastHasher>>;

/// What `adrec audit` was asked to do.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub dirs: Vec<PathBuf>,
    pub index: Option<PathBuf>,
    pub privlog: Option<PathBuf>,
    pub opt: Option<PathBuf>,
    pub categories: Option<PathBuf>,
    /// `--privileges F`: the matter's privileges (CSV/XLSX `code`, `name`, or an adrec.toml).
    pub privileges: Option<PathBuf>,
    /// `--bates-pattern PREFIX:WIDTH`, parsed.
    pub patterns: Vec<(String, usize)>,
    /// `--overlay VOL`: volumes (by folder name) whose rows replace the rows
    /// of every other volume audited with the same BEGBATES.
    pub overlays: Vec<String>,
    /// The process exits right after the audit: leave its working data to
    /// the operating system instead of freeing it piece by piece.
    pub exit_after: bool,
}

/// Everything the checks look at.
pub struct Audit {
    pub volumes: Vec<Volume>,
    pub rows: Vec<IndexRow>,
    pub logs: Vec<LogEntry>,
    pub files: Vec<FileEntry>,
    pub scans: Vec<Scan>,
    pub ties: Ties,
    pub patterns: Vec<Patterns>,
    pub ranges: RangeIndex,
    pub categories: Option<Vec<Category>>,
    /// The privileges a log entry may assert.
    pub privileges: privileges::Known,
    /// Per volume: each expected OPT image key → (row, page from 0).
    pub opt_keys: Vec<FastMap<String, (usize, u64)>>,
    /// Per volume and image cross-reference: the file each line's path
    /// names, line by line.
    pub opt_files: Vec<Vec<Vec<Option<usize>>>>,
    /// Per volume, cross-reference and line: the line's path names a file
    /// that should be there (MISSING_FILE), not a cross-reference mistake.
    pub xref_missing: Vec<Vec<Vec<bool>>>,
    /// Rows replaced by an overlay volume's rows, and what each volume overlays.
    pub overlays: overlay::Overlays,
}

impl Audit {
    /// Whether an overlay volume's row replaces this row: the row, its files
    /// and its image lines are the recalled version, no longer judged.
    pub fn replaced(&self, row: usize) -> bool {
        self.overlays.replaced(row)
    }

    /// Whether a file belongs only to replaced rows (a recalled document's file).
    pub fn file_replaced(&self, file: usize) -> bool {
        let rows = &self.ties.file_rows[file];
        !rows.is_empty() && rows.iter().all(|&r| self.replaced(r))
    }

    pub fn volume_name(&self, v: usize) -> &str {
        &self.volumes[v].dir.name
    }

    /// Pages of a PDF or frames of a TIFF, when the file was read as one.
    pub fn frames(&self, file: usize) -> Option<u64> {
        let scan = self.scans.get(file)?;
        match (scan.pdf.as_deref(), scan.tiff_frames()) {
            (Some(Ok(info)), _) => Some(info.pages),
            (_, Some(Ok(n))) => Some(*n),
            _ => None,
        }
    }

    /// Rows with a file missing (a broken link, or a cross-reference line
    /// naming a file that is not there): their page counts say nothing more.
    pub fn rows_missing_files(&self) -> Vec<bool> {
        let mut out = vec![false; self.rows.len()];
        for (ri, broken) in self.ties.broken.iter().enumerate() {
            out[ri] = !broken.is_empty();
        }
        for (vi, vol) in self.volumes.iter().enumerate() {
            for (xi, (_, opt)) in vol.xrefs.iter().enumerate() {
                for (li, line) in opt.lines.iter().enumerate() {
                    if self.xref_missing[vi][xi][li]
                        && let Some(&(ri, _)) = self.opt_keys[vi].get(line.key())
                    {
                        out[ri] = true;
                    }
                }
            }
        }
        out
    }

    /// The file a row's PRODUCED_* hash describes: its native, else its only image.
    pub fn produced_file(&self, row: usize) -> Option<usize> {
        produced_file(&self.ties, row)
    }
}

fn produced_file(ties: &Ties, row: usize) -> Option<usize> {
    match (&ties.natives[row], &ties.images[row]) {
        ([n], _) => Some(*n),
        // A native that should be there but is not: its hash cannot be checked.
        ([], [i]) if !ties.native_linked[row] => Some(*i),
        _ => None,
    }
}

/// The file a hash cell is compared with: PRODUCED_* with the produced file;
/// SOURCE_* and unqualified hashes only with the row's native.
pub fn hash_target(ties: &Ties, row: usize, field: columns::Field) -> Option<usize> {
    match field {
        columns::Field::ProducedHash => produced_file(ties, row),
        _ => match &ties.natives[row] {
            [n] => Some(*n),
            _ => None,
        },
    }
}

/// The privileges the matter adds to the built-in list: `[[privilege]]` of
/// an adrec.toml given with `--categories`, and `--privileges F`.
fn known_privileges(opts: &Options) -> Result<privileges::Known, Error> {
    let mut known = privileges::Known::default();
    if let Some(path) = opts.categories.as_ref().filter(|p| {
        p.extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("toml"))
    }) && let Ok(text) = std::fs::read_to_string(path)
    {
        known
            .extra
            .extend(privileges::from_toml(&text).unwrap_or_default());
    }
    if let Some(path) = &opts.privileges {
        let bytes = std::fs::read(path).map_err(|e| {
            Error::input(format!("the privileges file `{}` cannot be read: {e}", path.display()))
                .hint("give a CSV or XLSX with `code` and `name` columns, or an adrec.toml with [[privilege]] tables")
        })?;
        known.extra.extend(privileges::read(path, &bytes).map_err(|e| {
            Error::input(format!("the privileges file `{}` cannot be used: {e}", path.display()))
                .hint("give a CSV or XLSX with `code` and `name` columns, or an adrec.toml with [[privilege]] tables")
        })?);
    }
    Ok(known)
}

/// What [`gather`] assembled: everything the checks look at, the findings
/// met while reading the load files, and what `during_scan` returned.
pub struct Gathered<T> {
    pub audit: Audit,
    pub findings: Vec<Finding>,
    pub during_scan: T,
}

/// Runs the audit. An input error (exit 2) when nothing can be audited.
pub fn run(opts: &Options, progress: &indicatif::ProgressBar) -> Result<Report, Error> {
    let started = Instant::now();
    // The checks that need no file bytes run while the files are read.
    let gathered = gather(opts, progress, started, |audit| {
        checks::run(audit, &checks::WITHOUT_SCANS)
    })?;
    let Gathered {
        audit,
        mut findings,
        during_scan,
    } = gathered;
    findings.extend(during_scan);
    let phase = crate::output::phase_timer("ADREC_AUDIT_TIMING", "audit", started);
    let files_hashed = audit.scans.iter().filter(|s| s.sha256.is_some()).count();
    let bytes_hashed: u64 = audit
        .scans
        .iter()
        .filter(|s| s.sha256.is_some())
        .map(|s| s.size)
        .sum();
    findings.extend(checks::run(&audit, &checks::WITH_SCANS));
    phase("ran the checks");
    finding::sort(&mut findings);
    findings.dedup();
    let volumes = summary::volume_reports(&audit);
    let categories = checks::categories::counts(&audit);
    phase("built the report");
    let mut by_code = std::collections::BTreeMap::new();
    for f in &findings {
        *by_code.entry(f.code.as_str().to_string()).or_insert(0) += 1;
    }
    let summary = Summary {
        volumes: volumes.len(),
        // A document an overlay re-issues is counted once.
        documents: volumes
            .iter()
            .map(|v| v.documents + v.log_only)
            .sum::<usize>()
            .saturating_sub((0..audit.rows.len()).filter(|&r| audit.replaced(r)).count()),
        findings: findings.len(),
        by_code,
        files_hashed,
        bytes_hashed,
        elapsed_seconds: (started.elapsed().as_secs_f64() * 1000.0).round() / 1000.0,
    };
    if opts.exit_after {
        std::mem::forget(audit);
    }
    Ok(Report {
        schema_version: finding::SCHEMA_VERSION,
        adrec_version: env!("CARGO_PKG_VERSION").to_string(),
        clean: findings.is_empty(),
        summary,
        volumes,
        categories,
        findings,
    })
}

/// Reads everything an audit needs: finds the volumes and their files, reads
/// the load files, ties rows to files and reads every file once, running
/// `during_scan` on the [`Audit`] while the files are read.
pub fn gather<T: Send>(
    opts: &Options,
    progress: &indicatif::ProgressBar,
    started: Instant,
    during_scan: impl FnOnce(&Audit) -> T + Send,
) -> Result<Gathered<T>, Error> {
    let phase = crate::output::phase_timer("ADREC_AUDIT_TIMING", "audit", started);
    let categories = match &opts.categories {
        None => None,
        Some(path) => {
            let bytes = std::fs::read(path).map_err(|e| {
                Error::input(format!(
                    "the categories file `{}` cannot be read: {e}",
                    path.display()
                ))
                .hint("give a CSV or XLSX with `id` and `name` columns, or an adrec.toml")
            })?;
            Some(read::categories::read(path, &bytes).map_err(|e| {
                Error::input(format!("the categories file `{}` cannot be used: {e}", path.display()))
                    .hint("give a CSV or XLSX with `id` and `name` columns, or an adrec.toml with [[category]] tables")
            })?)
        }
    };
    let given_paths: Vec<PathBuf> = [&opts.index, &opts.privlog, &opts.opt]
        .into_iter()
        .flatten()
        .cloned()
        .collect();
    let known = known_privileges(opts)?;
    let vols = discover::volumes(&opts.dirs, &given_paths)?;
    let (files, walk_notes, walk_errors) = discover::inventory(&vols);
    phase("listed the files");
    let given_files = load::Given {
        index: opts.index.clone(),
        privlog: opts.privlog.clone(),
        opt: opts.opt.clone(),
    };
    for path in [
        &opts.index,
        &opts.privlog,
        &opts.opt,
        &opts.categories,
        &opts.privileges,
    ]
    .into_iter()
    .flatten()
    {
        if !path.is_file() {
            return Err(Error::input(format!(
                "`{}` does not exist or is not a file",
                path.display()
            ))
            .hint("check the path given"));
        }
    }
    given::check_kinds(opts)?;
    // Mark the load files given, then find each volume's own.
    for path in [
        &opts.index,
        &opts.privlog,
        &opts.opt,
        &opts.categories,
        &opts.privileges,
    ]
    .into_iter()
    .flatten()
    {
        if let Ok(c) = std::fs::canonicalize(path) {
            files
                .iter()
                .filter(|f| f.named(&c))
                .for_each(FileEntry::mark_load_file);
        }
    }
    let found: Vec<discover::Found> = vols
        .iter()
        .enumerate()
        .map(|(vi, v)| discover::load_files(vi, v, &files))
        .collect();
    // Images whose MD5 nothing can ask for are read while the load files are.
    let early: Vec<usize> = {
        let ok: Vec<bool> = found
            .iter()
            .map(|f| {
                let index = opts
                    .index
                    .clone()
                    .or_else(|| f.index.map(|i| files[i].abs()));
                let md5_list = f.sums.iter().any(|&i| {
                    let name = files[i].rel().to_ascii_lowercase();
                    name.contains("md5")
                });
                !md5_list && index.is_some_and(|p| load::images_never_need_md5(&p))
            })
            .collect();
        files
            .iter()
            .enumerate()
            .filter(|(_, f)| f.kind == Kind::Image && !f.load_file() && ok[f.volume])
            .map(|(i, _)| i)
            .collect()
    };
    progress.set_length(files.iter().map(|f| f.size).sum());
    let (prepared, early_scans) = std::thread::scope(|scope| {
        let (phase, files) = (&phase, &files);
        let early_scan = scope.spawn(move || {
            // Every early file is an image.
            let need = Need {
                md5: false,
                pdf: true,
                covered: true,
            };
            // The file list is shared with the load files' reading, which
            // only marks load files in it (atomically).
            let scans = scan::scan_list(files, &early, need, progress);
            phase("read and hashed the images (early)");
            scans
        });
        let inventory = prepare::Inventory {
            vols,
            found,
            walk_notes,
            walk_errors,
        };
        let prepared = prepare::prepare(opts, inventory, files, &given_files, phase);
        (prepared, early_scan.join())
    });
    let prepare::Prepared {
        mut loaded,
        patterns,
        ranges,
        ties,
        opt_keys,
        opt_files,
        xref_missing,
        needs,
        overlays,
    } = prepared?;
    let early_scans = early_scans.map_err(|_| {
        Error::internal("reading the files stopped unexpectedly")
            .hint("this is a bug in adrec; please report it")
    })?;
    let findings = std::mem::take(&mut loaded.findings);
    // A slot for every file from here, not while the load files are read
    // and tied (the early images' scans, a third of the files in a volume
    // of natives, are their own list until then). An image read early wins
    // over the same file hashed as a load file; load files were hashed when
    // parsed, and count as read already.
    let mut slots: Vec<Option<Scan>> = vec![None; files.len()];
    for (i, scan) in early_scans {
        slots[i] = Some(scan);
    }
    for (i, scan) in std::mem::take(&mut loaded.hashed) {
        progress.inc(scan.size);
        slots[i].get_or_insert(scan);
    }
    let mut audit = Audit {
        volumes: loaded.volumes,
        rows: loaded.rows,
        logs: loaded.logs,
        files,
        scans: Vec::new(),
        ties,
        patterns,
        ranges,
        categories,
        privileges: known,
        opt_keys,
        opt_files,
        xref_missing,
        overlays,
    };
    let (during_scan, scans) = std::thread::scope(|scope| {
        let during = scope.spawn(|| during_scan(&audit));
        let scans = scan::scan_all(&audit.files, &needs, progress, slots);
        (during.join(), scans)
    });
    let during_scan = during_scan.map_err(|_| {
        Error::internal("a check stopped unexpectedly")
            .hint("this is a bug in adrec; please report it")
    })?;
    audit.scans = scans;
    phase("read and hashed every file");
    Ok(Gathered {
        audit,
        findings,
        during_scan,
    })
}
