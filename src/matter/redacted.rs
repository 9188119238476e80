//! The matter's store of redacted PDFs, `.adrec/redacted/<sha256>.pdf`:
//! a production never depends on a path that may move.

use crate::error::Error;
use std::path::{Path, PathBuf};

/// The store's folder under `.adrec/`.
const STORE_DIR: &str = "redacted";

/// A redacted PDF to keep: where it is now, and the SHA-256 it was checked with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToStore {
    pub source: PathBuf,
    pub sha256: String,
}

/// The folder of stored redacted files.
#[derive(Debug, Clone)]
pub struct RedactedStore {
    dir: PathBuf,
}

impl RedactedStore {
    pub fn new(internal_dir: &Path) -> RedactedStore {
        RedactedStore {
            dir: internal_dir.join(STORE_DIR),
        }
    }

    /// Where the redacted file with this SHA-256 is kept.
    pub fn path(&self, sha256: &str) -> PathBuf {
        self.dir.join(format!("{sha256}.pdf"))
    }

    /// Copies each file into the store atomically, re-checking its hash: what
    /// was validated is what is stored. A file already stored is left alone.
    pub fn store(&self, files: &[ToStore]) -> Result<(), Error> {
        if files.is_empty() {
            return Ok(());
        }
        std::fs::create_dir_all(&self.dir).map_err(|e| Error::io("create", &self.dir, e))?;
        for file in files {
            let target = self.path(&file.sha256);
            if target.is_file() {
                continue;
            }
            let bytes = crate::files::read_regular(&file.source)
                .map_err(|e| Error::io("read", &file.source, e))?;
            if crate::model::sha256_hex(&bytes) != file.sha256 {
                return Err(Error::input(format!(
                    "the redacted file `{}` changed while adrec was reading it; nothing was applied",
                    file.source.display()
                ))
                .hint("run the command again once the file is no longer being written"));
            }
            crate::files::write_atomic(&target, &bytes)?;
        }
        Ok(())
    }
}
