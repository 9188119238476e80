//! Reading each volume's load files (index, privilege log, OPT, checksum
//! lists) into rows, entries and lines. Whatever cannot be read becomes a
//! READ_ERROR finding with its line or cell; an index that cannot be read at
//! all is the caller's input error.

use super::columns::{Columns, Field};
use super::discover::{self, FileEntry, VolumeDir};
use super::finding::{Code, Finding, LoadFileInfo, Location, VolumeReport};
use super::read::{self, Table, opt::Opt, sums::Entry};
use super::rows::{self, IndexRow, LogEntry};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

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
    pub opt: Option<(LoadFile, Opt)>,
    pub sums: Vec<(LoadFile, Vec<Entry>)>,
    pub report: VolumeReport,
}

/// Everything read from the load files of all volumes.
#[derive(Debug, Default)]
pub struct Loaded {
    pub volumes: Vec<Volume>,
    pub rows: Vec<IndexRow>,
    pub logs: Vec<LogEntry>,
    pub findings: Vec<Finding>,
    /// Bytes already read, by inventory index, so no file is read twice.
    pub cache: HashMap<usize, Vec<u8>>,
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

fn display_of(path: &Path, base: &Path) -> String {
    match path.strip_prefix(base) {
        Ok(rel) => rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/"),
        Err(_) => path.display().to_string(),
    }
}

fn ext(path: &Path) -> String {
    path.extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase()
}

/// Reads a table by extension, or by content for other names.
pub fn read_table(path: &Path, bytes: &[u8]) -> Result<Table, String> {
    match ext(path).as_str() {
        "dat" => read::dat::read(bytes),
        "csv" | "txt" | "tsv" => read::csv::read(bytes),
        "xlsx" | "xlsm" | "xls" | "ods" => read::xlsx::read(bytes),
        _ if bytes.starts_with(b"PK") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) => {
            read::xlsx::read(bytes)
        }
        _ if bytes.iter().take(4096).any(|&b| b == 0x14 || b == 0xFE) => read::dat::read(bytes),
        _ => read::csv::read(bytes),
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
                file: file.to_string(),
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

fn info(display: &str, t: &Table, cols: &Columns) -> LoadFileInfo {
    LoadFileInfo {
        path: display.to_string(),
        format: t.format.clone(),
        encoding: t.encoding.clone(),
        qualifier: t.qualifier.clone(),
        separator: t.separator.clone(),
        sheet: t.sheet.clone(),
        records: t.records.len(),
        columns: cols.describe(),
    }
}

struct Reader<'a> {
    files: &'a [FileEntry],
    by_path: HashMap<&'a Path, usize>,
}

impl Reader<'_> {
    /// Reads a load file, keeping its bytes for the scan when it is in a volume.
    fn bytes(&self, path: &Path, cache: &mut HashMap<usize, Vec<u8>>) -> Result<Vec<u8>, String> {
        let canonical =
            std::fs::canonicalize(path).map_err(|e| format!("cannot be opened: {e}"))?;
        let bytes = std::fs::read(&canonical).map_err(|e| format!("cannot be read: {e}"))?;
        if let Some(&i) = self.by_path.get(canonical.as_path()) {
            cache.insert(i, bytes.clone());
        }
        Ok(bytes)
    }

    fn load_file(&self, path: &Path, vol: &VolumeDir) -> LoadFile {
        let abs = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        let dir = abs
            .parent()
            .map_or_else(|| vol.root.clone(), Path::to_path_buf);
        LoadFile {
            display: display_of(&abs, &vol.base),
            abs,
            dir,
        }
    }

    fn found_path(&self, i: Option<usize>) -> Option<PathBuf> {
        i.map(|i| self.files[i].abs.clone())
    }
}

/// Reads the load files of every volume.
pub fn load(
    vols: Vec<VolumeDir>,
    files: &mut [FileEntry],
    given: &Given,
    walk_notes: Vec<Vec<String>>,
) -> Loaded {
    let found: Vec<discover::Found> = vols
        .iter()
        .enumerate()
        .map(|(vi, v)| discover::load_files(vi, v, files))
        .collect();
    let mut out = Loaded::default();
    let mut used: Vec<PathBuf> = Vec::new();
    {
        let reader = Reader {
            files,
            by_path: files
                .iter()
                .enumerate()
                .map(|(i, f)| (f.abs.as_path(), i))
                .collect(),
        };
        for (vi, (vol, (found, notes))) in vols
            .into_iter()
            .zip(found.into_iter().zip(walk_notes))
            .enumerate()
        {
            let mut report = VolumeReport {
                name: vol.name.clone(),
                path: vol.root.display().to_string(),
                notes,
                ..Default::default()
            };
            report.notes.extend(found.notes.clone());
            let name = vol.name.clone();
            let mut volume = Volume {
                dir: vol,
                index: None,
                privlog: None,
                opt: None,
                sums: Vec::new(),
                report,
            };

            // The index.
            let index_path = given
                .index
                .clone()
                .or_else(|| reader.found_path(found.index));
            match index_path {
                None => out.index_errors.push((
                    name.clone(),
                    format!("no index was found in `{}` (looked for a .dat, then a CSV or spreadsheet, in DATA/ and at the top)", volume.dir.root.display()),
                )),
                Some(path) => {
                    let lf = reader.load_file(&path, &volume.dir);
                    used.push(lf.abs.clone());
                    match reader.bytes(&path, &mut out.cache).and_then(|b| read_table(&path, &b)) {
                        Err(e) => out.index_errors.push((name.clone(), format!("the index `{}` {e}", lf.display))),
                        Ok(table) => {
                            let cols = Columns::new(&table.headers);
                            if !(cols.has(Field::BegBates) || cols.has(Field::BatesRange) || cols.has(Field::ControlId)) {
                                out.index_errors.push((
                                    name.clone(),
                                    format!(
                                        "the index `{}` has no column adrec recognises as BEGBATES (or a Bates range, or a control number); its header {} is: {}",
                                        lf.display,
                                        table.place(table.header_line),
                                        table.headers.iter().map(|h| format!("`{}`", h.trim())).collect::<Vec<_>>().join(", ")
                                    ),
                                ));
                            } else {
                                out.findings.extend(problems_to_findings(&table.problems, &name, &lf.display, "index"));
                                if !cols.ignored.is_empty() {
                                    volume.report.notes.push(format!("index columns not used (another column already holds the same field): {}", cols.ignored.join(", ")));
                                }
                                volume.report.notes.extend(table.notes.iter().map(|n| format!("index: {n}")));
                                let (rows, unknown) = rows::index_rows(&table, &cols, vi, &lf.display);
                                if !unknown.is_empty() {
                                    volume.report.notes.push(format!(
                                        "treatment values not understood (counted as Produced): {}",
                                        unknown.iter().take(10).cloned().collect::<Vec<_>>().join("; ")
                                    ));
                                }
                                volume.report.index = Some(info(&lf.display, &table, &cols));
                                out.rows.extend(rows);
                                volume.index = Some(lf);
                            }
                        }
                    }
                }
            }

            // The privilege log.
            if let Some(path) = given
                .privlog
                .clone()
                .or_else(|| reader.found_path(found.privlog))
            {
                let lf = reader.load_file(&path, &volume.dir);
                used.push(lf.abs.clone());
                match reader.bytes(&path, &mut out.cache).and_then(|b| read_table(&path, &b)) {
                    Err(e) => out.findings.push(
                        Finding::new(Code::ReadError, &name, format!("The privilege log `{}` {e}; redactions could not be matched to it.", lf.display))
                            .files([lf.display.clone()]),
                    ),
                    Ok(table) => {
                        let cols = Columns::new(&table.headers);
                        out.findings.extend(problems_to_findings(&table.problems, &name, &lf.display, "privilege log"));
                        let entries = rows::log_entries(&table, &cols, vi, &lf.display);
                        volume.report.log_entries = entries.len();
                        volume.report.privilege_log = Some(info(&lf.display, &table, &cols));
                        out.logs.extend(entries);
                        volume.privlog = Some(lf);
                    }
                }
            } else {
                volume.report.notes.push("no privilege log was found (a file named like `*priv*` or `*_log` in DATA/ or at the top); give --privlog".into());
            }

            // The OPT.
            if let Some(path) = given.opt.clone().or_else(|| reader.found_path(found.opt)) {
                let lf = reader.load_file(&path, &volume.dir);
                used.push(lf.abs.clone());
                match reader.bytes(&path, &mut out.cache) {
                    Err(e) => out.findings.push(
                        Finding::new(
                            Code::ReadError,
                            &name,
                            format!("The OPT `{}` {e}.", lf.display),
                        )
                        .files([lf.display.clone()]),
                    ),
                    Ok(bytes) => {
                        let opt = read::opt::read(&bytes);
                        out.findings.extend(problems_to_findings(
                            &opt.problems,
                            &name,
                            &lf.display,
                            "OPT",
                        ));
                        volume.report.opt = Some(LoadFileInfo {
                            path: lf.display.clone(),
                            format: "Opticon OPT".into(),
                            encoding: Some(opt.encoding.clone()),
                            separator: Some(",".into()),
                            records: opt.lines.len(),
                            ..Default::default()
                        });
                        volume.opt = Some((lf, opt));
                    }
                }
            }

            // Checksum lists.
            for i in &found.sums {
                let path = files[*i].abs.clone();
                let lf = reader.load_file(&path, &volume.dir);
                match reader.bytes(&path, &mut out.cache) {
                    Err(e) => out.findings.push(
                        Finding::new(
                            Code::ReadError,
                            &name,
                            format!("The checksum list `{}` {e}.", lf.display),
                        )
                        .files([lf.display.clone()]),
                    ),
                    Ok(bytes) => {
                        let (entries, problems) = read::sums::read(&bytes);
                        out.findings.extend(problems_to_findings(
                            &problems,
                            &name,
                            &lf.display,
                            "checksum list",
                        ));
                        let format = if entries.iter().all(|e| e.algo == read::sums::Algo::Md5)
                            && !entries.is_empty()
                        {
                            "MD5SUMS"
                        } else {
                            "SHA256SUMS"
                        };
                        volume.report.checksums.push(LoadFileInfo {
                            path: lf.display.clone(),
                            format: format.into(),
                            records: entries.len(),
                            ..Default::default()
                        });
                        volume.sums.push((lf, entries));
                    }
                }
            }
            out.volumes.push(volume);
        }
    }
    for f in files.iter_mut() {
        if used.contains(&f.abs) {
            f.load_file = true;
        }
    }
    out
}
