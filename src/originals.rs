//! The bytes of a document as it was collected: its file, or for an e-mail's
//! attachment the part re-extracted from the e-mail file. Either way the
//! bytes are checked against the hash recorded at ingest, so what goes out
//! is exactly what was reviewed.

use crate::extract::message;
use crate::model::{Document, sha256_hex};
use std::path::Path;

/// Reads `path` and checks its SHA-256 (`what` names it in errors).
pub fn read_checked(path: &Path, sha256: &str, what: &str) -> Result<Vec<u8>, String> {
    let bytes = crate::files::read_regular(path)
        .map_err(|e| format!("the {what} `{}` cannot be read: {e}", path.display()))?;
    if sha256_hex(&bytes) != sha256 {
        return Err(format!(
            "the {what} `{}` changed since it was recorded (SHA-256 differs): review it again (re-ingest with --update, or re-tag)",
            path.display()
        ));
    }
    Ok(bytes)
}

/// Asks the kernel to start reading the sources of `docs` that are files of
/// their own: a volume's writers then find them in memory instead of each
/// waiting on the disk for one small file at a time (sources read at ingest
/// are long gone from the page cache by the time a volume goes out). Best
/// effort: a file that cannot be opened here is reported by [`read`].
///
/// A few of them, spread over `docs`, are looked at first: when each is
/// already in memory (a volume made just after the files were collected or
/// copied), the others most likely are too, and advising them would only
/// cost an extra open, size query and advice a file (0.3-0.7 s of kernel
/// CPU for 100,000 natives).
pub fn prefetch<'a>(docs: impl IntoIterator<Item = &'a Document>) {
    // Elsewhere there is no such advice: the writers read as they go.
    if !cfg!(target_os = "linux") {
        return;
    }
    let own: Vec<&Document> = docs.into_iter().filter(|d| is_own_file(d)).collect();
    let looked: Vec<bool> = sampled(own.len())
        .filter_map(|i| open_regular(&own_file(own[i])?))
        .map(|file| in_memory(&file))
        .collect();
    if !looked.is_empty() && looked.iter().all(|&in_memory| in_memory) {
        return;
    }
    for path in own.into_iter().filter_map(own_file) {
        if let Some(file) = open_regular(&path) {
            will_need(&file);
        }
    }
}

/// Files looked at to tell whether a batch of sources is in memory.
const SAMPLED: usize = 4;

/// The places of up to [`SAMPLED`] of `n` files, spread from first to last.
fn sampled(n: usize) -> impl Iterator<Item = usize> {
    let k = SAMPLED.min(n);
    (0..k).map(move |j| if k == 1 { 0 } else { j * (n - 1) / (k - 1) })
}

/// `path` opened for reading if it is a regular file ([`crate::files::open_regular`]:
/// a FIFO put in a source's place does not hang here). Anything else is left
/// to the read, which reports it.
fn open_regular(path: &Path) -> Option<std::fs::File> {
    crate::files::open_regular(path).ok()
}

/// Whether the start of `file` is in memory: a read that must not wait for
/// the disk (`RWF_NOWAIT`) either returns it or fails. Where the file
/// system cannot tell, it counts as not in memory. A large file's start
/// stands for the rest: it is read from start to end, which the kernel
/// reads ahead of anyway.
#[cfg(target_os = "linux")]
fn in_memory(file: &std::fs::File) -> bool {
    let mut byte = [0u8; 1];
    rustix::io::preadv2(
        file,
        &mut [std::io::IoSliceMut::new(&mut byte)],
        0,
        rustix::io::ReadWriteFlags::NOWAIT,
    )
    .is_ok()
}

#[cfg(not(target_os = "linux"))]
fn in_memory(_: &std::fs::File) -> bool {
    false
}

/// Advises the kernel that `file` will be read.
#[cfg(target_os = "linux")]
fn will_need(file: &std::fs::File) {
    let _ = rustix::fs::fadvise(file, 0, None, rustix::fs::Advice::WillNeed);
}

#[cfg(not(target_os = "linux"))]
fn will_need(_: &std::fs::File) {}

/// Where `doc` is read from when it is a file of its own (not an attachment
/// or a mailbox's message): what [`read`] checks and [`prefetch`] advises.
fn own_file(doc: &Document) -> Option<std::path::PathBuf> {
    is_own_file(doc).then(|| crate::files::resolve_stored(&doc.source.source_path))
}

fn is_own_file(doc: &Document) -> bool {
    doc.id.path().is_empty() && mailbox_message(&doc.source.source_path).is_none()
}

/// The document's original bytes, checked. An attachment's identity is its
/// top-level e-mail's path followed by `>N` per level, so the e-mail file is
/// found without a lookup; the attachment is taken from it position by
/// position and must hash to what ingest recorded.
pub fn read(doc: &Document) -> Result<Vec<u8>, String> {
    if let Some(path) = own_file(doc) {
        return read_checked(&path, &doc.source.sha256, "source file");
    }
    let positions = doc.id.path();
    let mut container = doc.source.source_path.as_str();
    for _ in &positions {
        container = container.rsplit_once('>').map_or("", |(head, _)| head);
    }
    let (path, mut bytes) = read_container(container)?;
    let mut name = container
        .rsplit('/')
        .next()
        .unwrap_or(container)
        .to_string();
    for &n in &positions {
        let read = message::read(&bytes, &name).map_err(|e| {
            format!(
                "the e-mail `{}` holding this attachment: {e}",
                path.display()
            )
        })?;
        let attachment = read
            .attachments
            .into_iter()
            .nth(n as usize - 1)
            .ok_or_else(|| {
                format!(
                    "the e-mail `{}` no longer holds this attachment (it changed since ingest): re-ingest it",
                    path.display()
                )
            })?;
        name = attachment.name.unwrap_or_default();
        bytes = attachment.bytes;
    }
    if sha256_hex(&bytes) != doc.source.sha256 {
        return Err(format!(
            "the e-mail or attachment taken from `{}` changed since it was recorded (SHA-256 differs): re-ingest it with --update and review it again",
            path.display()
        ));
    }
    Ok(bytes)
}

/// `PATH#N` names the `N`th message of the mailbox at PATH, when PATH is a
/// file and `PATH#N` is not.
fn mailbox_message(identity: &str) -> Option<(&str, usize)> {
    let (path, n) = identity.rsplit_once('#')?;
    let n: usize = n.parse().ok().filter(|&n| n > 0)?;
    let whole = crate::files::resolve_stored(identity);
    (!whole.is_file() && crate::files::resolve_stored(path).is_file()).then_some((path, n))
}

/// The bytes of an e-mail file, or of one message of a mailbox (unescaped),
/// with the path to name in errors.
fn read_container(identity: &str) -> Result<(std::path::PathBuf, Vec<u8>), String> {
    let (file, message) = match mailbox_message(identity) {
        Some((path, n)) => (path, Some(n)),
        None => (identity, None),
    };
    let path = crate::files::resolve_stored(file);
    let bytes = crate::files::read_regular(&path)
        .map_err(|e| format!("the e-mail file `{}` cannot be read: {e}", path.display()))?;
    let Some(n) = message else {
        return Ok((path, bytes));
    };
    let ranges = crate::extract::mbox::messages(&bytes);
    let range = ranges.get(n - 1).cloned().ok_or_else(|| {
        format!(
            "the mailbox `{}` no longer holds message {n} (it changed since ingest): re-ingest it",
            path.display()
        )
    })?;
    Ok((path, crate::extract::mbox::unescape(&bytes[range])))
}

#[cfg(test)]
mod tests {
    use super::{in_memory, open_regular, sampled};

    #[test]
    fn the_files_looked_at_are_spread_from_first_to_last() {
        let places = |n| sampled(n).collect::<Vec<_>>();
        assert_eq!(places(0), Vec::<usize>::new());
        assert_eq!(places(1), vec![0]);
        assert_eq!(places(2), vec![0, 1]);
        assert_eq!(places(4), vec![0, 1, 2, 3]);
        assert_eq!(places(1024), vec![0, 341, 682, 1023]);
    }

    /// Whether the file system under `file` answers reads that must not
    /// wait at all (Linux; a tmpfs, where `TMPDIR` often is, refuses the
    /// flag): where it does not, a file counts as not in memory.
    fn answers_reads_without_waiting(file: &std::fs::File) -> bool {
        #[cfg(target_os = "linux")]
        {
            let answer = rustix::io::preadv2(
                file,
                &mut [std::io::IoSliceMut::new(&mut [0u8; 1])],
                0,
                rustix::io::ReadWriteFlags::NOWAIT,
            );
            answer != Err(rustix::io::Errno::OPNOTSUPP)
        }
        #[cfg(not(target_os = "linux"))]
        {
            let _ = file;
            false
        }
    }

    #[test]
    fn only_regular_files_are_opened_and_a_file_just_read_is_in_memory() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("memo.txt");
        std::fs::write(&path, b"Memorandum").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"Memorandum");
        let file = open_regular(&path).expect("a regular file opens");
        assert_eq!(in_memory(&file), answers_reads_without_waiting(&file));
        assert!(open_regular(dir.path()).is_none(), "a folder is not read");
        assert!(open_regular(&dir.path().join("missing")).is_none());
        #[cfg(unix)]
        {
            // A FIFO in a source's place must neither hang nor count.
            let fifo = dir.path().join("fifo");
            rustix::fs::mkfifoat(
                rustix::fs::CWD,
                &fifo,
                rustix::fs::Mode::from_raw_mode(0o600),
            )
            .unwrap();
            assert!(open_regular(&fifo).is_none());
        }
    }
}
