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

/// Asks the kernel to start reading `doc`'s source, when it is a file of
/// its own: a volume's writers then find it in memory instead of each
/// waiting on the disk for one small file at a time (sources read at ingest
/// are long gone from the page cache by the time a volume goes out). Best
/// effort: a file that cannot be opened here is reported by [`read`].
pub fn prefetch(doc: &Document) {
    if let Some(path) = own_file(doc) {
        will_need(&path);
    }
}

/// Advises the kernel that `path` will be read. Without blocking, and
/// regular files only: opening a FIFO put in a source's place must not hang
/// here (the read itself refuses it).
#[cfg(target_os = "linux")]
fn will_need(path: &Path) {
    use std::os::unix::fs::OpenOptionsExt;
    if let Ok(file) = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
        && file.metadata().is_ok_and(|m| m.is_file())
    {
        let _ = rustix::fs::fadvise(&file, 0, None, rustix::fs::Advice::WillNeed);
    }
}

/// Elsewhere there is no such advice: the writers read as they go.
#[cfg(not(target_os = "linux"))]
fn will_need(_: &Path) {}

/// Where `doc` is read from when it is a file of its own (not an attachment
/// or a mailbox's message): what [`read`] checks and [`prefetch`] advises.
fn own_file(doc: &Document) -> Option<std::path::PathBuf> {
    let source = doc.source.source_path.as_str();
    (doc.id.path().is_empty() && mailbox_message(source).is_none())
        .then(|| crate::files::resolve_stored(source))
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
