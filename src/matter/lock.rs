//! The matter's write lock: one process at a time may change a matter.
//! Read-only commands never take it.

use crate::error::Error;
use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;

/// Held for as long as it lives; the OS releases it if the process dies.
#[derive(Debug)]
pub struct WriteLock {
    _file: File,
}

impl WriteLock {
    /// Takes the lock in `.adrec/lock` without waiting; exit 3 if held.
    pub fn acquire(adrec_dir: &Path, command: &str) -> Result<WriteLock, Error> {
        let path = adrec_dir.join("lock");
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| Error::io("open the lock file", &path, e))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let mut holder = String::new();
                let _ = file.read_to_string(&mut holder);
                let holder = holder.trim();
                return Err(Error::Locked {
                    holder: if holder.is_empty() {
                        "holder unknown".into()
                    } else {
                        holder.to_string()
                    },
                    lock_file: path.display().to_string(),
                });
            }
            Err(TryLockError::Error(e)) => return Err(Error::io("lock", &path, e)),
        }
        // Name the holder for whoever finds the matter locked.
        let note = format!("pid {} running `adrec {command}`", std::process::id());
        let _ = file.set_len(0);
        let _ = file.seek(SeekFrom::Start(0));
        let _ = file.write_all(note.as_bytes());
        let _ = file.flush();
        Ok(WriteLock { _file: file })
    }
}
