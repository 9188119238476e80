//! Redacted PDFs: checked when tagged (readable, page-counted, hashed) and
//! copied into the matter's own store, `.adrec/redacted/<sha256>.pdf`, so a
//! production never depends on a path that may move.

use crate::error::Error;
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The store's folder under `.adrec/`.
pub const STORE_DIR: &str = "redacted";

/// A redacted PDF a reviewer named, as checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redacted {
    pub source: PathBuf,
    pub sha256: String,
    pub pages: u64,
}

/// Where a stored redacted file lives.
pub fn stored_path(internal_dir: &Path, sha256: &str) -> PathBuf {
    internal_dir.join(STORE_DIR).join(format!("{sha256}.pdf"))
}

/// Checks redacted files by path, each file once however many rows name it.
pub struct Checker {
    base: PathBuf,
    seen: HashMap<PathBuf, Result<Redacted, String>>,
}

impl Checker {
    /// Relative paths are taken from `base` (the sheet's folder, or the
    /// current folder for `tag DOCID...`).
    pub fn new(base: PathBuf) -> Checker {
        Checker {
            base,
            seen: HashMap::new(),
        }
    }

    pub fn check(&mut self, text: &str) -> Result<Redacted, String> {
        let path = self.base.join(text);
        self.seen
            .entry(path.clone())
            .or_insert_with(|| check(&path))
            .clone()
    }

    /// Every file that checked out, to be stored before the changes commit.
    pub fn files(&self) -> Vec<Redacted> {
        let mut files: Vec<Redacted> = self
            .seen
            .values()
            .filter_map(|r| r.as_ref().ok().cloned())
            .collect();
        files.sort_by(|a, b| a.sha256.cmp(&b.sha256));
        files.dedup_by(|a, b| a.sha256 == b.sha256);
        files
    }
}

fn check(path: &Path) -> Result<Redacted, String> {
    let shown = path.display();
    let bytes = std::fs::read(path).map_err(|e| {
        format!("cannot read the redacted file `{shown}`: {e}; check the path (a relative path is taken from the sheet's folder)")
    })?;
    let facts = crate::pdf::inspect(&bytes).map_err(|e| {
        format!("the redacted file `{shown}` is not a readable PDF ({e}); save the redaction as a PDF and name that file")
    })?;
    let (sha256, _) = crate::ingest::hash::digest(&bytes);
    Ok(Redacted {
        source: path.canonicalize().unwrap_or_else(|_| path.to_path_buf()),
        sha256,
        pages: facts.pages,
    })
}

/// Copies each file into the store atomically (temporary file in the same
/// folder, synced, then renamed), re-checking its hash: what was validated is
/// what is stored. A file already stored is left as it is.
pub fn store(internal_dir: &Path, files: &[Redacted]) -> Result<(), Error> {
    if files.is_empty() {
        return Ok(());
    }
    let dir = internal_dir.join(STORE_DIR);
    std::fs::create_dir_all(&dir).map_err(|e| Error::io("create", &dir, e))?;
    for file in files {
        let target = stored_path(internal_dir, &file.sha256);
        if target.is_file() {
            continue;
        }
        let bytes = std::fs::read(&file.source).map_err(|e| Error::io("read", &file.source, e))?;
        if crate::ingest::hash::digest(&bytes).0 != file.sha256 {
            return Err(Error::input(format!(
                "the redacted file `{}` changed while adrec was reading it; nothing was applied",
                file.source.display()
            ))
            .hint("run the command again once the file is no longer being written"));
        }
        let mut tmp = tempfile::NamedTempFile::new_in(&dir)
            .map_err(|e| Error::io("create a file in", &dir, e))?;
        tmp.write_all(&bytes)
            .and_then(|_| tmp.as_file().sync_all())
            .map_err(|e| Error::io("write", tmp.path(), e))?;
        tmp.persist(&target)
            .map_err(|e| Error::io("write", &target, e.error))?;
    }
    // Make the new names durable before the database points at them.
    if let Ok(d) = std::fs::File::open(&dir) {
        let _ = d.sync_all();
    }
    Ok(())
}
