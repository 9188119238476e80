//! Redacted PDFs a reviewer names: checked when tagged (readable,
//! page-counted, hashed); `matter::RedactedStore` then keeps a copy, so a
//! production never depends on a path that may move.

use crate::matter::redacted::ToStore;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// A redacted PDF a reviewer named, as checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redacted {
    pub source: PathBuf,
    pub sha256: String,
    pub pages: u64,
}

impl Redacted {
    /// What the matter's store keeps of it.
    pub fn to_store(&self) -> ToStore {
        ToStore {
            source: self.source.clone(),
            sha256: self.sha256.clone(),
        }
    }
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
    let bytes = crate::files::read_regular(path).map_err(|e| {
        format!("cannot read the redacted file `{shown}`: {e}; check the path (a relative path is taken from the sheet's folder)")
    })?;
    let facts = crate::pdf::inspect(&bytes).map_err(|e| {
        format!("the redacted file `{shown}` is not a readable PDF ({e}); save the redaction as a PDF and name that file")
    })?;
    let sha256 = crate::model::sha256_hex(&bytes);
    Ok(Redacted {
        source: path.canonicalize().unwrap_or_else(|_| path.to_path_buf()),
        sha256,
        pages: facts.pages,
    })
}
