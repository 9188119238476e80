//! Reading every file once, in parallel: SHA-256 always, MD5 only where
//! something expects it, and for PDFs the exact page count and the
//! `/Redact` annotations from the same bytes.

use super::discover::FileEntry;
use crate::ingest::hash::read_full;
use crate::model::hex;
use md5::Md5;
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::Path;
use std::sync::{Mutex, PoisonError};

/// Advances the progress bar, unless it is hidden (each update takes a lock).
fn tick(progress: &indicatif::ProgressBar, bytes: u64) {
    if !progress.is_hidden() {
        progress.inc(bytes);
    }
}

/// Non-PDF files larger than this are hashed in chunks instead of held
/// whole: a volume's load files (a DAT of 100,000 rows is 45 MB) need not
/// sit in memory beside its rows to be hashed.
const STREAM_ABOVE: u64 = 4 * 1024 * 1024;
const CHUNK: usize = 1024 * 1024;

/// What to compute for a file.
#[derive(Debug, Clone, Copy, Default)]
pub struct Need {
    pub md5: bool,
    /// Parse it when it is a PDF (images, natives, other produced files).
    pub pdf: bool,
    /// Also interpret its pages for text under boxes (image PDFs): done
    /// here, while the bytes are in memory, not by reading the file again.
    pub covered: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PdfInfo {
    pub pages: u64,
    /// Page number (from 1) of each `/Redact` annotation.
    pub redact_pages: Vec<usize>,
    /// For image PDFs: the pages (from 1) with covered text and how many
    /// characters; empty when none.
    pub covered: Box<[(usize, usize)]>,
}

/// One per file of the volume, all held until the checks run: digests are
/// kept as bytes (hex text only when a check compares or prints one) and
/// the rarely set fields are boxed, so a record stays small (72 bytes, and
/// as much in its slot while files are read).
#[derive(Debug, Clone, Default)]
pub struct Scan {
    pub sha256: Option<[u8; 32]>,
    /// Boxed: only files something expects an MD5 of have one.
    pub md5: Option<Box<[u8; 16]>>,
    pub size: u64,
    /// Set for PDFs (by content, or by a `.pdf` name): the facts or why it
    /// cannot be read. Boxed: most files of a volume are not PDFs.
    pub pdf: Option<Box<Result<PdfInfo, String>>>,
    /// A TIFF's frames, or why the file could not be read: one box for the two.
    rare: Option<Box<Rare>>,
}

/// What few files have, and never both.
#[derive(Debug, Clone)]
enum Rare {
    /// A TIFF (by content): its frames, or why they cannot be counted.
    Tiff(Result<u64, String>),
    /// Why the file could not be read at all.
    Failed(String),
}

impl Scan {
    /// The SHA-256 as lower-case hex, as checksum lists and load files write it.
    pub fn sha256_hex(&self) -> Option<String> {
        self.sha256.as_ref().map(|d| hex(d))
    }

    /// The MD5 as lower-case hex.
    pub fn md5_hex(&self) -> Option<String> {
        self.md5.as_deref().map(|d| hex(d))
    }

    /// Set for TIFFs (by content): their frames, or why they cannot be counted.
    pub fn tiff_frames(&self) -> Option<&Result<u64, String>> {
        match self.rare.as_deref() {
            Some(Rare::Tiff(frames)) => Some(frames),
            _ => None,
        }
    }

    /// Why the file could not be read at all.
    pub fn error(&self) -> Option<&str> {
        match self.rare.as_deref() {
            Some(Rare::Failed(e)) => Some(e),
            _ => None,
        }
    }

    /// A file that could not be read: its size from the walk and why.
    fn failed(size: u64, error: &std::io::Error) -> Scan {
        Scan {
            size,
            rare: Some(Box::new(Rare::Failed(error.to_string()))),
            ..Default::default()
        }
    }
}

fn looks_pdf(bytes: &[u8]) -> bool {
    bytes[..bytes.len().min(1024)]
        .windows(5)
        .any(|w| w == b"%PDF-")
}

fn pdf_info(bytes: &[u8]) -> Result<PdfInfo, String> {
    // Most produced PDFs are simple: read them without building the whole document.
    if let Some(f) = crate::pdf::guarded("PDF", || Ok::<_, String>(crate::pdf::quick::facts(bytes)))
        .ok()
        .flatten()
    {
        return Ok(PdfInfo {
            pages: f.pages,
            redact_pages: f.redact_pages,
            covered: Box::default(),
        });
    }
    let doc = crate::pdf::read::load(bytes)?;
    crate::pdf::guarded("PDF", || {
        let pages = crate::pdf::read::page_ids(&doc)?;
        if pages.is_empty() {
            return Err("the PDF's page tree has no pages".into());
        }
        Ok(PdfInfo {
            pages: pages.len() as u64,
            redact_pages: crate::pdf::read::redact_annotations(&doc, &pages),
            covered: Box::default(),
        })
    })
}

fn digests(bytes: &[u8], md5: bool) -> ([u8; 32], Option<Box<[u8; 16]>>) {
    let sha = || -> [u8; 32] { Sha256::digest(bytes).into() };
    let md5_of = || -> Box<[u8; 16]> { Box::new(Md5::digest(bytes).into()) };
    match (md5, bytes.len() < 1 << 20) {
        (false, _) => (sha(), None),
        (true, true) => (sha(), Some(md5_of())),
        (true, false) => {
            let (s, m) = rayon::join(sha, md5_of);
            (s, Some(m))
        }
    }
}

/// Hash and (for PDFs) parse one buffer; big PDFs hash and parse at once.
pub fn from_bytes(bytes: &[u8], need: Need, named_pdf: bool) -> Scan {
    let is_pdf = need.pdf && (looks_pdf(bytes) || named_pdf);
    let parse = || is_pdf.then(|| pdf_info(bytes));
    let ((sha, md5), pdf) = if is_pdf && bytes.len() > 1 << 20 {
        rayon::join(|| digests(bytes, need.md5), parse)
    } else {
        (digests(bytes, need.md5), parse())
    };
    let tiff = (need.pdf && !is_pdf && crate::audit::read::tiff::looks_tiff(bytes))
        .then(|| Box::new(Rare::Tiff(crate::audit::read::tiff::frames(bytes))));
    let pdf = pdf.map(|info| {
        Box::new(info.map(|mut info| {
            if need.covered {
                info.covered = crate::pdf::text::covered_pages(bytes)
                    .unwrap_or_default()
                    .into_boxed_slice();
            }
            info
        }))
    });
    Scan {
        sha256: Some(sha),
        md5,
        size: bytes.len() as u64,
        pdf,
        rare: tiff,
    }
}

thread_local! {
    /// Each worker reuses one read buffer: no page faults or unmaps per file.
    static BUFFER: std::cell::Cell<Vec<u8>> = const { std::cell::Cell::new(Vec::new()) };
}

/// Buffers larger than this (a large PDF's) are not kept between files.
const KEEP_BUFFER: usize = 8 * 1024 * 1024;

fn scan_path(
    path: &Path,
    size: u64,
    need: Need,
    progress: &indicatif::ProgressBar,
) -> std::io::Result<Scan> {
    // Taken out of the cell, not borrowed: rayon may run another file on this
    // thread while this one waits in a join, and that one gets its own buffer.
    let mut buf = BUFFER.with(std::cell::Cell::take);
    let result = scan_into(path, size, need, progress, &mut buf);
    if buf.capacity() <= KEEP_BUFFER {
        BUFFER.with(|cell| {
            let other = cell.take();
            cell.set(if other.capacity() > buf.capacity() {
                other
            } else {
                buf
            });
        });
    }
    result
}

fn scan_into(
    path: &Path,
    size: u64,
    need: Need,
    progress: &indicatif::ProgressBar,
    buf: &mut Vec<u8>,
) -> std::io::Result<Scan> {
    let named_pdf = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("pdf"));
    let mut file = std::fs::File::open(path)?;
    buf.clear();
    if size <= STREAM_ABOVE {
        // The walk gave the size: read into a buffer one byte larger (a file
        // that grew since is read to its end), without `read_to_end`'s own
        // fstat and seek per file (two system calls of seven, on 50,000 files).
        buf.resize(size as usize + 1, 0);
        let n = read_full(&mut file, buf)?;
        buf.truncate(n);
        if n > size as usize {
            file.read_to_end(buf)?;
        }
        tick(progress, buf.len() as u64);
        return Ok(from_bytes(buf, need, named_pdf));
    }
    buf.resize(CHUNK, 0);
    let n = read_full(&mut file, buf)?;
    buf.truncate(n);
    if need.pdf && (looks_pdf(buf) || named_pdf || crate::audit::read::tiff::looks_tiff(buf)) {
        file.read_to_end(buf)?;
        tick(progress, buf.len() as u64);
        return Ok(from_bytes(buf, need, named_pdf));
    }
    let (mut sha, mut md5) = (Sha256::new(), need.md5.then(Md5::new));
    let mut total = 0u64;
    let mut n = buf.len();
    loop {
        let chunk = &buf[..n];
        match md5.as_mut() {
            Some(m) => {
                rayon::join(|| sha.update(chunk), || m.update(chunk));
            }
            None => sha.update(chunk),
        }
        total += n as u64;
        tick(progress, n as u64);
        if n < CHUNK {
            break;
        }
        buf.resize(CHUNK, 0);
        n = read_full(&mut file, buf)?;
        if n == 0 {
            break;
        }
    }
    Ok(Scan {
        sha256: Some(sha.finalize().into()),
        md5: md5.map(|m| Box::new(m.finalize().into())),
        size: total,
        pdf: None,
        rare: None,
    })
}

/// Reads the files numbered in `list`, biggest first so the cores finish
/// together, in parallel (each file its own task, so big files spread over
/// the cores), handing each scan to `put` as it is made.
fn read_each(
    files: &[FileEntry],
    list: &[usize],
    need: impl Fn(usize) -> Need + Sync,
    progress: &indicatif::ProgressBar,
    put: impl Fn(usize, Scan) + Sync,
) {
    let mut order = list.to_vec();
    order.sort_by_key(|&i| std::cmp::Reverse(files[i].size));
    order.par_iter().with_max_len(1).for_each(|&i| {
        let f = &files[i];
        let scan = scan_path(&f.abs(), f.size, need(i), progress)
            .unwrap_or_else(|e| Scan::failed(f.size, &e));
        put(i, scan);
    });
}

/// Scans the files numbered in `list` with `need`: (file, scan) pairs.
pub fn scan_list(
    files: &[FileEntry],
    list: &[usize],
    need: Need,
    progress: &indicatif::ProgressBar,
) -> Vec<(usize, Scan)> {
    let out = Mutex::new(Vec::with_capacity(list.len()));
    read_each(
        files,
        list,
        |_| need,
        progress,
        |i, scan| {
            lock(&out).push((i, scan));
        },
    );
    unlocked(out)
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

fn unlocked<T>(m: Mutex<T>) -> T {
    m.into_inner().unwrap_or_else(PoisonError::into_inner)
}

/// The scan of a load file, from the bytes read to parse it: its digests
/// only (a load file is never parsed as a PDF), so the bytes can be dropped
/// at once instead of being kept until every file is read.
pub fn load_file(bytes: &[u8]) -> Scan {
    let need = Need {
        md5: false,
        pdf: false,
        covered: false,
    };
    from_bytes(bytes, need, false)
}

/// The scan of a load file read a window at a time: its digest and size.
pub fn load_file_digested(sha256: [u8; 32], size: u64) -> Scan {
    Scan {
        sha256: Some(sha256),
        md5: None,
        size,
        pdf: None,
        rare: None,
    }
}

/// Scans every file whose slot (one a file) is empty. The slots filled hold
/// the files scanned earlier: images read early and load files hashed when
/// parsed (a scan that lacks an MD5 now needed is redone from the file).
/// Each scan goes straight to its slot: collecting them first held a second
/// list as long as the files, beside this one.
pub fn scan_all(
    files: &[FileEntry],
    needs: &[Need],
    progress: &indicatif::ProgressBar,
    mut slots: Vec<Option<Scan>>,
) -> Vec<Scan> {
    for (slot, need) in slots.iter_mut().zip(needs) {
        if slot
            .as_ref()
            .is_some_and(|s| need.md5 && s.md5.is_none() && s.error().is_none())
        {
            *slot = None;
        }
    }
    let empty: Vec<usize> = (0..files.len()).filter(|&i| slots[i].is_none()).collect();
    let slots = Mutex::new(slots);
    read_each(
        files,
        &empty,
        |i| needs[i],
        progress,
        |i, scan| {
            lock(&slots)[i] = Some(scan);
        },
    );
    let slots = unlocked(slots);
    slots.into_iter().map(Option::unwrap_or_default).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scan_and_its_slot_stay_small() {
        // One a file, all held while the files are read: 88 bytes before
        // the rare fields shared a box.
        assert!(std::mem::size_of::<Option<Scan>>() <= 72);
    }

    #[test]
    fn non_pdf_bytes_are_only_hashed() {
        let s = from_bytes(
            b"abc",
            Need {
                md5: true,
                pdf: true,
                covered: true,
            },
            false,
        );
        assert_eq!(
            s.sha256_hex().as_deref(),
            Some("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        );
        assert_eq!(
            s.md5_hex().as_deref(),
            Some("900150983cd24fb0d6963f7d28e17f72")
        );
        assert!(s.pdf.is_none());
        let s = from_bytes(
            b"<html>",
            Need {
                md5: false,
                pdf: true,
                covered: false,
            },
            true,
        );
        assert!(s.pdf.unwrap().is_err());
        assert!(s.md5.is_none());
    }
}
