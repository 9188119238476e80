//! Reading one load file: the index's rows (a DAT's a window at a time),
//! the privilege log's entries, the image cross-reference's lines or the
//! checksum list's entries, and the file's digest from the same read.

use super::columns::Columns;
use super::discover::VolumeDir;
use super::load::{LoadFile, display_of};
use super::read::{self, Table, opt::Opt, sums::Entry};
use super::readers::{self, Reader, read_table, read_xref, reader};
use super::rows::{self, IndexRow, LogEntry};
use super::scan::Scan;
use super::tie::Resolver;
use std::path::Path;

/// Which load file a job reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Role {
    Index,
    Privlog,
    Opt,
    Sums,
}

/// A load file, parsed.
pub(super) enum Content {
    /// The index: its table (without its records, which became the rows),
    /// how many records it had, its columns, rows and what was noticed.
    Index(Table, usize, Columns, Vec<IndexRow>, rows::RowNotes),
    Privlog(Table, usize, Columns, Vec<LogEntry>),
    Opt(Opt),
    Sums(Vec<Entry>, Vec<read::Problem>),
}

pub(super) struct Job {
    pub vi: usize,
    pub role: Role,
    pub lf: LoadFile,
    pub result: Result<Content, String>,
    /// The file's digests, from the bytes read (so no file is read twice).
    pub scan: Option<Scan>,
}

fn load_file(path: &Path, vol: &VolumeDir) -> LoadFile {
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

/// Runs a job, saying how long it took when `ADREC_AUDIT_TIMING` is set.
pub(super) fn timed(run: impl FnOnce() -> Job) -> Job {
    let started = std::time::Instant::now();
    let job = run();
    if std::env::var_os("ADREC_AUDIT_TIMING").is_some() {
        eprintln!(
            "[audit timing]   {:?} {}: {:.3} s",
            job.role,
            job.lf.display,
            started.elapsed().as_secs_f64()
        );
    }
    job
}

/// Reads and parses one load file. `files`: where a checksum list's lines
/// are looked for as it is read (a volume's own list; one over several
/// volumes is shared out by its paths first).
pub(super) fn run_job(
    vi: usize,
    role: Role,
    path: &Path,
    vol: &VolumeDir,
    files: Option<&Resolver>,
) -> Job {
    let lf = load_file(path, vol);
    let unread = |lf: LoadFile, e: String| Job {
        vi,
        role,
        result: Err(e),
        lf,
        scan: None,
    };
    if role == Role::Index {
        return match read_index(path, &lf.abs, vi, &lf.display) {
            Ok((result, scan)) => Job {
                vi,
                role,
                lf,
                result,
                scan,
            },
            Err(e) => unread(lf, e),
        };
    }
    if role == Role::Sums {
        let read = read_sums(&lf, vol, files);
        return match read {
            Ok((entries, problems, digested)) => Job {
                vi,
                role,
                lf,
                result: Ok(Content::Sums(entries, problems)),
                scan: digested_scan(digested),
            },
            Err(e) => unread(lf, e),
        };
    }
    let bytes = match std::fs::read(&lf.abs) {
        Ok(b) => b,
        Err(e) => return unread(lf, format!("cannot be read: {e}")),
    };
    let result = match role {
        // An index is read by `read_index` above, not here; from bytes
        // already read it would be read whole.
        Role::Index => index_from_bytes(path, &bytes, vi, &lf.display),
        Role::Privlog => read_table(path, &bytes).map(|mut table| {
            let cols = Columns::new(&table.headers);
            let records = table.records.len();
            let entries = rows::log_entries(&mut table, &cols, vi, &lf.display);
            Content::Privlog(table, records, cols, entries)
        }),
        Role::Opt => Ok(Content::Opt(read_xref(&bytes))),
        // A checksum list is read by `read_sums` above, not here.
        Role::Sums => {
            let (entries, problems) = read::sums::read(&bytes);
            Ok(Content::Sums(entries, problems))
        }
    };
    // Hashed here, so the bytes go now rather than after every file is read.
    let scan = hash_load_file(&bytes);
    Job {
        vi,
        role,
        lf,
        result,
        scan,
    }
}

/// Reads an index into rows, and hashes it. A DAT or CSV is read a window
/// of lines at a time and hands each record to the rows as it is parsed
/// (neither its bytes nor its cells are held whole); a spreadsheet's bytes
/// are read whole and its records handed on as they are read; EDRM XML is
/// read whole, then turned into rows.
fn read_index(
    path: &Path,
    abs: &Path,
    vi: usize,
    display: &str,
) -> Result<(Result<Content, String>, Option<Scan>), String> {
    use std::io::{Read, Seek};
    let cannot = |e: std::io::Error| format!("cannot be read: {e}");
    let mut file = std::fs::File::open(abs).map_err(cannot)?;
    let mut bytes = Vec::new();
    (&mut file)
        .take(readers::HEAD as u64)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    let start_rows = |spreadsheet: bool| {
        move |headers: &[String], line_feeds: usize| {
            let shape = Table {
                headers: headers.to_vec(),
                spreadsheet,
                ..Default::default()
            };
            let mut rows = rows::IndexRows::new(&shape, Columns::new(headers), vi, display);
            // A record a line, less the header: room made once, rather than a
            // list doubled as it grows (a third of it unused at 100,000 rows,
            // and the old and new lists held together while it doubles).
            rows.reserve(line_feeds.saturating_sub(1));
            rows
        }
    };
    let delimited = match reader(path, &bytes) {
        Reader::Dat => read::dat::read_from,
        Reader::Csv => read::csv::read_from,
        Reader::Xlsx => {
            file.read_to_end(&mut bytes).map_err(cannot)?;
            let read = read::xlsx::read_from(
                &bytes,
                read::xlsx::STREAMED_CELLS,
                start_rows(true),
                rows::IndexRows::push,
            );
            let content = read.map(|(table, rows)| index_content(table, rows));
            return Ok((content, hash_load_file(&bytes)));
        }
        Reader::Edrm => {
            file.read_to_end(&mut bytes).map_err(cannot)?;
            return Ok((
                index_from_bytes(path, &bytes, vi, display),
                hash_load_file(&bytes),
            ));
        }
    };
    file.rewind().map_err(cannot)?;
    Ok(
        match delimited(
            file,
            read::windows::PIECE,
            start_rows(false),
            rows::IndexRows::push,
        ) {
            Ok((table, rows, digested)) => {
                let scan = super::scan::load_file_digested(digested.sha256, digested.size);
                (Ok(index_content(table, rows)), Some(scan))
            }
            // The file is hashed with the others.
            Err(e) => (Err(e), None),
        },
    )
}

/// Reads a checksum list a window at a time, looking each line's file up
/// in `files` as it goes (from the list's folder, where `sha256sum -c`
/// runs, else as any link).
fn read_sums(
    lf: &LoadFile,
    vol: &VolumeDir,
    files: Option<&Resolver>,
) -> Result<(Vec<Entry>, Vec<read::Problem>, read::windows::Digested), String> {
    let file = std::fs::File::open(&lf.abs).map_err(|e| format!("cannot be read: {e}"))?;
    read::sums::read_from(file, read::windows::PIECE, |path| {
        files.and_then(|f| f.listed(path, &lf.dir, &vol.root))
    })
}

/// A load file's scan from the digest of the bytes read a window at a time
/// (none for an empty file, which is hashed with the others).
fn digested_scan(digested: read::windows::Digested) -> Option<Scan> {
    (digested.size > 0).then(|| super::scan::load_file_digested(digested.sha256, digested.size))
}

/// An index whose records were handed to its rows as they were read.
fn index_content(table: Table, rows: rows::IndexRows) -> Content {
    let (cols, rows, noticed) = rows.finish();
    Content::Index(table, rows.len(), cols, rows, noticed)
}

/// An index read whole, then turned into rows.
fn index_from_bytes(
    path: &Path,
    bytes: &[u8],
    vi: usize,
    display: &str,
) -> Result<Content, String> {
    read_table(path, bytes).map(|mut table| {
        let cols = Columns::new(&table.headers);
        let records = table.records.len();
        let (rows, noticed) = rows::index_rows(&mut table, &cols, vi, display);
        Content::Index(table, records, cols, rows, noticed)
    })
}

/// A load file's scan from the bytes read to parse it (none for an empty file).
fn hash_load_file(bytes: &[u8]) -> Option<Scan> {
    (!bytes.is_empty()).then(|| super::scan::load_file(bytes))
}
