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

/// The document's original bytes, checked. An attachment's identity is its
/// top-level e-mail's path followed by `>N` per level, so the e-mail file is
/// found without a lookup; the attachment is taken from it position by
/// position and must hash to what ingest recorded.
pub fn read(doc: &Document) -> Result<Vec<u8>, String> {
    let positions = doc.id.path();
    if positions.is_empty() {
        return read_checked(
            &crate::files::resolve_stored(&doc.source.source_path),
            &doc.source.sha256,
            "source file",
        );
    }
    let mut container = doc.source.source_path.as_str();
    for _ in &positions {
        container = container.rsplit_once('>').map_or("", |(head, _)| head);
    }
    let path = crate::files::resolve_stored(container);
    let mut bytes = crate::files::read_regular(&path).map_err(|e| {
        format!(
            "the e-mail `{}` holding this attachment cannot be read: {e}",
            path.display()
        )
    })?;
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
            "the attachment taken from `{}` changed since it was recorded (SHA-256 differs): the e-mail file changed; re-ingest it with --update and review it again",
            path.display()
        ));
    }
    Ok(bytes)
}
