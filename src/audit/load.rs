//! Reading each volume's load files (index, privilege log, image
//! cross-references, checksum lists) into rows, entries and lines. Whatever cannot be read becomes a
//! READ_ERROR finding with its line or cell; an index that cannot be read at
//! all is the caller's input error.

use super::columns::{Columns, Field};
use super::discover::{self, FileEntry, VolumeDir};
use super::finding::{Code, Finding, LoadFileInfo, Location, VolumeReport};
use super::read::{self, Table, opt::Opt, sums::Entry};
use super::rows::{IndexRow, LogEntry};
use super::tie::Resolver;
use std::path::{Path, PathBuf};

pub use super::readers::{images_never_need_md5, read_table};
use super::reading::{Content, Job, Role, run_job, timed};

/// A load file in use.
#[derive(Debug, Clone)]
pub struct LoadFile {
    pub abs: PathBuf,
    pub display: String,
    /// Its folder, the third base links resolve against.
    pub dir: PathBuf,
}

#[derive(Debug)]
pub struct Volume {
    pub dir: VolumeDir,
    pub index: Option<LoadFile>,
    pub privlog: Option<LoadFile>,
    /// Image cross-references (OPT, LFP, DII) in the same model.
    pub xrefs: Vec<(LoadFile, Opt)>,
    pub sums: Vec<(LoadFile, Vec<Entry>)>,
    pub report: VolumeReport,
    /// The index has control numbers and no Bates columns: rows are named
    /// by control number and the Bates checks do not run.
    pub control_only: bool,
}

/// Everything read from the load files of all volumes.
#[derive(Debug, Default)]
pub struct Loaded {
    pub volumes: Vec<Volume>,
    pub rows: Vec<IndexRow>,
    pub logs: Vec<LogEntry>,
    pub findings: Vec<Finding>,
    /// Load files hashed from the bytes read to parse them, by inventory
    /// index: no file is read twice, and no load file's bytes are kept.
    pub hashed: Vec<(usize, super::scan::Scan)>,
    /// Why each volume's index could not be used, if it could not.
    pub index_errors: Vec<(String, String)>,
}

/// Load files given on the command line.
#[derive(Debug, Default, Clone)]
pub struct Given {
    pub index: Option<PathBuf>,
    pub privlog: Option<PathBuf>,
    pub opt: Option<PathBuf>,
}

pub(super) fn display_of(path: &Path, base: &Path) -> String {
    match path.strip_prefix(base) {
        Ok(rel) => rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/"),
        Err(_) => path.display().to_string(),
    }
}

fn problems_to_findings(
    table_problems: &[read::Problem],
    volume: &str,
    file: &str,
    what: &str,
) -> Vec<Finding> {
    table_problems
        .iter()
        .map(|p| {
            Finding::new(
                Code::ReadError,
                volume,
                format!(
                    "The {what} {}: {}.",
                    place(p),
                    p.message.trim_end_matches('.')
                ),
            )
            .files([file])
            .at(Location {
                file: file.into(),
                line: p.line,
                cell: p.cell.clone(),
            })
        })
        .collect()
}

fn place(p: &read::Problem) -> String {
    match (&p.cell, p.line) {
        (Some(c), _) => format!("at cell {c}"),
        (None, Some(l)) => format!("at line {l}"),
        (None, None) => "as a whole".into(),
    }
}

/// `records`: how many records the table had (rows take them out of it).
fn info(display: &str, t: &Table, records: usize, cols: &Columns) -> LoadFileInfo {
    LoadFileInfo {
        path: display.to_string(),
        format: t.format.clone(),
        encoding: t.encoding.clone(),
        qualifier: t.qualifier.clone(),
        separator: t.separator.clone(),
        sheet: t.sheet.clone(),
        records,
        columns: cols.describe(),
    }
}

/// Reads the load files of every volume, all at once.
pub fn load(
    vols: Vec<VolumeDir>,
    files: &[FileEntry],
    resolver: &Resolver,
    given: &Given,
    found: Vec<discover::Found>,
    walk_notes: Vec<Vec<String>>,
) -> Loaded {
    let path_of = |i: Option<usize>| i.map(|i| (files[i].abs(), Some(i)));
    let mut out = Loaded::default();
    // (volume, role, path, the file it is when found in a volume).
    let mut todo: Vec<(usize, Role, PathBuf, Option<usize>)> = Vec::new();
    // A file given once with several volumes is read once, for the first;
    // its rows, entries and lines are shared out afterwards.
    let once = |vi: usize, p: &Option<PathBuf>| p.is_some() && vi > 0;
    for (vi, (vol, found)) in vols.iter().zip(&found).enumerate() {
        match given.index.clone().map(|p| (p, None)).or_else(|| path_of(found.index)) {
            Some(_) if once(vi, &given.index) => {}
            Some((p, i)) => todo.push((vi, Role::Index, p, i)),
            None => out.index_errors.push((
                vol.name.clone(),
                format!(
                    "no index was found in `{}` (looked for a .dat, then a CSV or spreadsheet, in DATA/ and at the top)",
                    vol.root.display()
                ),
            )),
        }
        if let Some((p, i)) = given
            .privlog
            .clone()
            .map(|p| (p, None))
            .or_else(|| path_of(found.privlog))
            && !once(vi, &given.privlog)
        {
            todo.push((vi, Role::Privlog, p, i));
        }
        match &given.opt {
            Some(_) if once(vi, &given.opt) => {}
            Some(p) => todo.push((vi, Role::Opt, p.clone(), None)),
            None => {
                for &i in &found.xrefs {
                    todo.push((vi, Role::Opt, files[i].abs(), Some(i)));
                }
            }
        }
        for &i in &found.sums {
            todo.push((vi, Role::Sums, files[i].abs(), Some(i)));
        }
        for list in &vol.outer_sums {
            todo.push((vi, Role::Sums, list.clone(), None));
        }
    }
    // On threads of their own, not rayon's pool: files may be being hashed
    // on the pool meanwhile, and these must not queue behind them.
    let jobs: Vec<Job> = std::thread::scope(|scope| {
        let chunk = todo.len().div_ceil(4).max(1);
        let handles: Vec<_> = todo
            .chunks(chunk)
            .map(|part| {
                scope.spawn(|| {
                    part.iter()
                        .map(|(vi, role, path, found)| {
                            // A volume's own checksum list finds its files as
                            // it is read; one over several volumes keeps its
                            // paths until its lines are shared out.
                            let own = (*role == Role::Sums && found.is_some()).then_some(resolver);
                            timed(|| run_job(*vi, *role, path, &vols[*vi], own))
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });

    let mut volumes: Vec<Volume> = vols
        .into_iter()
        .zip(found)
        .zip(walk_notes)
        .map(|((dir, found), mut notes)| {
            notes.extend(found.notes);
            let report = VolumeReport {
                name: dir.name.clone(),
                path: dir.root.display().to_string(),
                notes,
                ..Default::default()
            };
            Volume {
                dir,
                index: None,
                privlog: None,
                xrefs: Vec::new(),
                sums: Vec::new(),
                report,
                control_only: false,
            }
        })
        .collect();
    // The file each load file read is: known when it was found in a
    // volume; for one given or outside the volumes, the last listed with
    // its path (should two be), each file's name compared first.
    let known = todo.iter().map(|(.., i)| *i);
    let file_of = |path: &Path| files.iter().rposition(|f| f.named(path));
    // Each volume's folder name (lower case) and its outer lists (canonical).
    let names: Vec<(String, Vec<PathBuf>)> = volumes
        .iter()
        .map(|v| {
            (
                v.dir.name.to_lowercase(),
                v.dir
                    .outer_sums
                    .iter()
                    .map(|p| std::fs::canonicalize(p).unwrap_or_else(|_| p.clone()))
                    .collect(),
            )
        })
        .collect();
    let mut used: Vec<usize> = Vec::new();
    for (job, known) in jobs.into_iter().zip(known) {
        let Job {
            vi,
            role,
            lf,
            result,
            scan,
        } = job;
        if let Some(i) = known.or_else(|| file_of(&lf.abs)) {
            used.push(i);
            if let Some(scan) = scan {
                out.hashed.push((i, scan));
            }
        }
        let volume = &mut volumes[vi];
        let name = volume.dir.name.clone();
        match (role, result) {
            (Role::Index, Err(e)) => out
                .index_errors
                .push((name, format!("the index `{}` {e}", lf.display))),
            (Role::Index, Ok(Content::Index(table, records, cols, rows, noticed))) => {
                let unknown = noticed.unknown;
                if !(cols.has(Field::BegBates)
                    || cols.has(Field::BatesRange)
                    || cols.has(Field::ControlId))
                {
                    out.index_errors.push((
                        name,
                        format!(
                            "the index `{}` has no column adrec recognises as BEGBATES (or a Bates range, or a control number); its header {} is: {}",
                            lf.display,
                            table.place(table.header_line),
                            table.headers.iter().map(|h| format!("`{}`", h.trim())).collect::<Vec<_>>().join(", ")
                        ),
                    ));
                    continue;
                }
                out.findings.extend(problems_to_findings(
                    &table.problems,
                    &name,
                    &lf.display,
                    "index",
                ));
                let notes = &mut volume.report.notes;
                if !cols.ignored.is_empty() {
                    notes.push(format!(
                        "index columns not used (another column already holds the same field): {}",
                        cols.ignored.join(", ")
                    ));
                }
                notes.extend(table.notes.iter().map(|n| format!("index: {n}")));
                if !unknown.is_empty() {
                    let list = unknown
                        .iter()
                        .take(10)
                        .map(|v| crate::output::clip(v).into_owned())
                        .collect::<Vec<_>>()
                        .join("; ");
                    notes.push(format!(
                        "treatment values not understood (counted as Produced): {list}"
                    ));
                }
                for (header, n) in &noticed.inline_text {
                    notes.push(format!(
                        "{n} `{header}` cell(s) hold the text itself, not a path: they were not read as links"
                    ));
                }
                if !(cols.has(Field::BegBates) || cols.has(Field::BatesRange)) {
                    volume.control_only = true;
                    let header = cols.get(Field::ControlId).map_or("", |c| cols.header(c));
                    notes.push(format!(
                        "the index has no Bates columns: its {} rows were audited by control number ({}), and the Bates checks (gaps, overlaps, number formats, OPT pages against Bates ranges) were skipped",
                        rows.len(),
                        header.trim()
                    ));
                }
                volume.report.index = Some(info(&lf.display, &table, records, &cols));
                if out.rows.is_empty() {
                    out.rows = rows;
                } else {
                    out.rows.extend(rows);
                }
                volume.index = Some(lf);
            }
            (Role::Privlog, Err(e)) => out.findings.push(
                Finding::new(
                    Code::ReadError,
                    &name,
                    format!(
                        "The privilege log `{}` {e}; redactions could not be matched to it.",
                        lf.display
                    ),
                )
                .files([lf.display.clone()]),
            ),
            (Role::Privlog, Ok(Content::Privlog(table, records, cols, entries))) => {
                out.findings.extend(problems_to_findings(
                    &table.problems,
                    &name,
                    &lf.display,
                    "privilege log",
                ));
                volume.report.log_entries = entries.len();
                volume.report.privilege_log = Some(info(&lf.display, &table, records, &cols));
                out.logs.extend(entries);
                volume.privlog = Some(lf);
            }
            (Role::Opt, Ok(Content::Opt(opt))) => {
                out.findings.extend(problems_to_findings(
                    &opt.problems,
                    &name,
                    &lf.display,
                    opt.dialect,
                ));
                for note in &opt.notes {
                    volume.report.notes.push(format!("{}: {note}", lf.display));
                }
                let info = LoadFileInfo {
                    path: lf.display.clone(),
                    format: opt.dialect.into(),
                    encoding: Some(opt.encoding.clone()),
                    separator: (opt.dialect == "Opticon OPT").then(|| ",".into()),
                    records: opt.lines.len(),
                    ..Default::default()
                };
                if volume.report.opt.is_none() {
                    volume.report.opt = Some(info);
                } else {
                    volume.report.cross_references.push(info);
                }
                volume.xrefs.push((lf, opt));
            }
            (Role::Sums, Ok(Content::Sums(mut entries, problems))) => {
                let outer = names[vi].1.contains(&lf.abs);
                // The first volume under the list owns its unreadable lines
                // and the lines naming no audited volume.
                let owner = names.iter().position(|n| n.1.contains(&lf.abs)) == Some(vi);
                if outer {
                    // A list over several volumes: this volume's lines only.
                    entries.retain(|e| {
                        let top = e
                            .unresolved()
                            .unwrap_or_default()
                            .trim_start_matches("./")
                            .split(['/', '\\'])
                            .next()
                            .unwrap_or_default()
                            .to_lowercase();
                        top == names[vi].0 || (owner && !names.iter().any(|(n, _)| *n == top))
                    });
                }
                let problems = if outer && !owner {
                    Vec::new()
                } else {
                    problems
                };
                out.findings.extend(problems_to_findings(
                    &problems,
                    &name,
                    &lf.display,
                    "checksum list",
                ));
                let md5_only =
                    !entries.is_empty() && entries.iter().all(|e| e.algo == read::sums::Algo::Md5);
                let format = if md5_only { "MD5SUMS" } else { "SHA256SUMS" };
                volume.report.checksums.push(LoadFileInfo {
                    path: lf.display.clone(),
                    format: format.into(),
                    records: entries.len(),
                    ..Default::default()
                });
                volume.sums.push((lf, entries));
            }
            (role, Err(e)) => {
                let what = if role == Role::Opt {
                    "OPT"
                } else {
                    "checksum list"
                };
                out.findings.push(
                    Finding::new(
                        Code::ReadError,
                        &name,
                        format!("The {what} `{}` {e}.", lf.display),
                    )
                    .files([lf.display.clone()]),
                );
            }
            (_, Ok(_)) => {}
        }
    }
    for i in used {
        files[i].mark_load_file();
    }
    share_given(&mut volumes, given);
    out.volumes = volumes;
    out
}

/// Gives every volume the load files given once for all of them (read for
/// the first); the rows, entries and lines are shared out by
/// [`super::shared`].
fn share_given(volumes: &mut [Volume], given: &Given) {
    let Some((first, rest)) = volumes.split_first_mut() else {
        return;
    };
    for v in rest {
        if given.index.is_some() && first.index.is_some() {
            v.index = first.index.clone();
            v.report.index = first.report.index.clone();
            v.control_only = first.control_only;
        }
        if given.privlog.is_some() && first.privlog.is_some() {
            v.privlog = first.privlog.clone();
            v.report.privilege_log = first.report.privilege_log.clone();
        }
        if given.opt.is_some() {
            v.xrefs = first.xrefs.clone();
            v.report.opt = first.report.opt.clone();
        }
    }
}
