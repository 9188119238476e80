//! Choosing the reader for a load file: by its content when that is plain,
//! else by its name. Tables (index, privilege log) and image
//! cross-references (OPT, LFP, DII) alike.

use super::columns::{Columns, Field};
use super::read::{self, Table, opt::Opt};
use std::path::Path;

fn ext(path: &Path) -> String {
    path.extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase()
}

/// Which reader a table needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Reader {
    Edrm,
    Xlsx,
    Dat,
    Csv,
}

/// Reads a table by its content when that is plain (a spreadsheet, EDRM
/// XML, a DAT header with þ or 0x14, whatever the name), else by extension.
pub fn read_table(path: &Path, bytes: &[u8]) -> Result<Table, String> {
    match reader(path, bytes) {
        Reader::Edrm => read::edrm::read(bytes),
        Reader::Xlsx => read::xlsx::read(bytes),
        Reader::Dat => read::dat::read(bytes),
        Reader::Csv => read::csv::read(bytes),
    }
}

/// How much of a file [`reader`] looks at.
pub(super) const HEAD: usize = 64 * 1024;

/// The reader [`read_table`] uses for these bytes (the file's first
/// [`HEAD`] bytes are enough).
pub(super) fn reader(path: &Path, bytes: &[u8]) -> Reader {
    use read::sniff::Looks;
    let head = &bytes[..bytes.len().min(HEAD)];
    match read::sniff::sniff(head) {
        Looks::EdrmXml => return Reader::Edrm,
        Looks::Xlsx | Looks::Ods | Looks::Ole => return Reader::Xlsx,
        _ => {}
    }
    let decoded = read::text::decode(&head[..head.len().min(4096)]);
    let first_line = read::text::lines(decoded.text.trim_start_matches('\u{feff}'))
        .find(|l| !l.trim().is_empty())
        .map(|l| l.trim_start().starts_with('þ') || l.contains('\u{14}'))
        .unwrap_or(false);
    if first_line {
        return Reader::Dat;
    }
    match ext(path).as_str() {
        "dat" => Reader::Dat,
        "csv" | "txt" | "tsv" => Reader::Csv,
        "xlsx" | "xlsm" | "xls" | "ods" => Reader::Xlsx,
        _ if bytes.starts_with(b"PK") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) => {
            Reader::Xlsx
        }
        _ if bytes.iter().take(4096).any(|&b| b == 0x14 || b == 0xFE) => Reader::Dat,
        _ => Reader::Csv,
    }
}

/// Whether no cell of this index can ask for an image's MD5, judged from its
/// header alone: the only hash columns compared with images are the
/// produced-file ones, so it holds when each of those names SHA. Images can
/// then be hashed while the load files are still being read.
pub fn images_never_need_md5(index: &Path) -> bool {
    use std::io::Read;
    if !matches!(ext(index).as_str(), "dat" | "csv" | "txt" | "tsv") {
        return false;
    }
    let mut head = Vec::with_capacity(64 * 1024);
    let Ok(file) = std::fs::File::open(index) else {
        return false;
    };
    if file.take(64 * 1024).read_to_end(&mut head).is_err() {
        return false;
    }
    let Ok(table) = read_table(index, &head) else {
        return false;
    };
    let cols = Columns::new(&table.headers);
    cols.all(Field::ProducedHash)
        .iter()
        .all(|&c| super::columns::normalise(cols.header(c)).contains("SHA"))
}

/// Reads an image cross-reference in the dialect its content shows.
pub(super) fn read_xref(bytes: &[u8]) -> Opt {
    match read::sniff::sniff(&bytes[..bytes.len().min(64 * 1024)]) {
        read::sniff::Looks::Lfp => read::lfp::read(bytes),
        read::sniff::Looks::Dii => read::dii::read(bytes),
        _ => read::opt::read(bytes),
    }
}
