//! Where a volume is built before it exists: `productions/.NAME.partial`
//! (hidden, never mistaken for a volume). The volume is staged, made durable,
//! recorded in the store in one transaction, and only then renamed to
//! `productions/NAME`. A process killed before the commit leaves no number
//! consumed (its staging folder is removed by the next writer); one killed
//! after it is completed by the next command that opens the matter.

use super::{Matter, PRODUCTIONS_DIR};
use crate::error::Error;
#[cfg(not(target_os = "linux"))]
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

/// A staged volume's folder; removed when dropped before `finish` or
/// [`Staging::leave_to_recovery`].
pub struct Staging {
    path: PathBuf,
    target: PathBuf,
    armed: AtomicBool,
    /// The staging folder, opened before any file is written: Linux reports
    /// a writeback error to `syncfs` only on descriptors opened before it
    /// happened, so the final flush must use one this old.
    #[cfg(target_os = "linux")]
    folder: std::fs::File,
}

/// A background flush started by [`Staging::flush_ahead`]; waited for when
/// dropped, so it never outlives the produce.
pub struct FlushAhead(Option<std::thread::JoinHandle<()>>);

impl Drop for FlushAhead {
    fn drop(&mut self) {
        if let Some(handle) = self.0.take() {
            let _ = handle.join();
        }
    }
}

/// How the last step of a volume went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Finished {
    /// This process renamed the staging folder into place.
    Renamed,
    /// Another adrec process (a reader opening the matter between the commit
    /// and the rename) completed the rename first; the volume is whole.
    CompletedByAnother,
}

impl Staging {
    /// The staging folder, where the volume's files are written.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The volume's final folder.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Makes every file and folder of the staged volume durable before the
    /// store records it. On Linux one `syncfs` of the staging folder's
    /// filesystem does it: it returns only once all dirty data and metadata
    /// of that filesystem (every staged file, every created folder entry) is
    /// on disk, and reports a writeback error if any happened; the volume is
    /// recorded only after it succeeds, so a power loss before then leaves an
    /// unrecorded staging folder (removed by recovery) and after it a whole
    /// volume. 100,000 fsyncs become one flush. Elsewhere: each file and
    /// folder is fsynced.
    pub fn make_durable(&self) -> Result<(), Error> {
        #[cfg(target_os = "linux")]
        {
            rustix::fs::syncfs(&self.folder)
                .map_err(|e| Error::io("flush to disk", &self.path, e.into()))
        }
        #[cfg(not(target_os = "linux"))]
        self.sync_each()
    }

    /// Starts writing the staged files back to disk in the background, so
    /// the flush before the commit finds most of the work done. Only a head
    /// start: it flushes through a descriptor of its own, so a writeback
    /// error is still reported to `make_durable` (whose descriptor predates
    /// every staged file) and nothing is recorded unless that succeeds.
    pub fn flush_ahead(&self) -> FlushAhead {
        #[cfg(target_os = "linux")]
        {
            // No descriptor or no thread: no head start, nothing else lost.
            let folder = std::fs::File::open(&self.path).ok();
            FlushAhead(folder.and_then(|f| {
                std::thread::Builder::new()
                    .name("flush-ahead".into())
                    .spawn(move || {
                        let _ = rustix::fs::syncfs(&f);
                    })
                    .ok()
            }))
        }
        #[cfg(not(target_os = "linux"))]
        FlushAhead(None)
    }

    #[cfg(not(target_os = "linux"))]
    fn sync_each(&self) -> Result<(), Error> {
        let entries: Vec<PathBuf> = walkdir::WalkDir::new(&self.path)
            .into_iter()
            .filter_map(Result::ok)
            .map(|e| e.into_path())
            .collect();
        entries
            .par_iter()
            .try_for_each(|p| crate::files::sync_dir(p))?;
        // The staging folder's own name, in `productions/`: without it a
        // power loss after the commit could leave a recorded volume unfound.
        match self.path.parent() {
            Some(productions) => crate::files::sync_dir(productions),
            None => Ok(()),
        }
    }

    /// Call just before the store commits the volume. From then on the
    /// store decides whether the volume exists: a commit whose answer is
    /// lost (the connection dropped as the server committed, a disk error
    /// after the log was written) may have recorded it, so its files must
    /// not be removed when the commit reports an error. The next command
    /// that opens the matter completes the volume if the store has it, and
    /// the next that changes the matter removes the folder if not
    /// (`Matter::recover`).
    pub fn leave_to_recovery(&self) {
        self.armed.store(false, Ordering::SeqCst);
    }

    /// Whether [`Staging::leave_to_recovery`] was called: an error after it
    /// leaves the volume's outcome to the store.
    pub fn left_to_recovery(&self) -> bool {
        !self.armed.load(Ordering::SeqCst)
    }

    /// Removes the staged folder after all: the store, asked after a commit
    /// that reported an error, has no such volume.
    pub fn discard(self) {
        self.armed.store(true, Ordering::SeqCst);
    }

    /// Call once the store has recorded the volume: from then on the staged
    /// folder is the volume, and it is renamed into place.
    pub fn finish(self) -> Result<Finished, Error> {
        self.armed.store(false, Ordering::SeqCst);
        let finished = match std::fs::rename(&self.path, &self.target) {
            Ok(()) => Finished::Renamed,
            // A reader's `recover` may have renamed it between our commit and here.
            Err(_) if !self.path.exists() && self.target.is_dir() => Finished::CompletedByAnother,
            Err(e) => {
                return Err(Error::io("move the finished volume to", &self.target, e).hint(format!(
                    "the volume is recorded and whole in `{}`; move whatever is at `{}` out of the way and run any adrec command on this matter to put the volume in place",
                    self.path.display(),
                    self.target.display()
                )));
            }
        };
        if let Some(parent) = self.target.parent() {
            let _ = crate::files::sync_dir(parent);
        }
        Ok(finished)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if *self.armed.get_mut() {
            let _ = std::fs::remove_dir_all(&self.path);
        }
    }
}

fn staging_name(volume: &str) -> String {
    format!(".{volume}.partial")
}

impl Matter {
    /// The folder of a produced volume.
    pub fn volume_dir(&self, volume: &str) -> PathBuf {
        self.root.join(PRODUCTIONS_DIR).join(volume)
    }

    /// Starts staging a volume in a fresh, empty folder (with `DATA/`).
    pub fn stage_volume(&self, volume: &str) -> Result<Staging, Error> {
        let path = self.root.join(PRODUCTIONS_DIR).join(staging_name(volume));
        if path.exists() {
            std::fs::remove_dir_all(&path).map_err(|e| Error::io("remove", &path, e))?;
        }
        std::fs::create_dir_all(path.join("DATA")).map_err(|e| Error::io("create", &path, e))?;
        #[cfg(target_os = "linux")]
        let folder = std::fs::File::open(&path).map_err(|e| Error::io("open", &path, e))?;
        Ok(Staging {
            target: self.volume_dir(volume),
            path,
            armed: AtomicBool::new(true),
            #[cfg(target_os = "linux")]
            folder,
        })
    }

    /// Completes a volume committed by a process that died before renaming
    /// it, and (with the write lock) removes staging folders nothing committed.
    pub(super) fn recover(&self, with_lock: bool) -> Result<(), Error> {
        let productions = self.root.join(PRODUCTIONS_DIR);
        let Ok(entries) = std::fs::read_dir(&productions) else {
            return Ok(());
        };
        let staged: Vec<(String, PathBuf)> = entries
            .flatten()
            .filter_map(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                let volume = name.strip_prefix('.')?.strip_suffix(".partial")?;
                Some((volume.to_string(), e.path()))
            })
            .collect();
        if staged.is_empty() {
            return Ok(());
        }
        let committed: Vec<String> = self.store.volumes()?.into_iter().map(|v| v.name).collect();
        for (volume, path) in staged {
            let target = productions.join(&volume);
            if committed.contains(&volume) {
                if !target.exists()
                    && let Err(e) = std::fs::rename(&path, &target)
                    // Another process may complete it at the same moment.
                    && (!target.is_dir() || path.exists())
                {
                    return Err(Error::io("complete the volume", &target, e));
                }
            } else if with_lock {
                std::fs::remove_dir_all(&path)
                    .map_err(|e| Error::io("remove the unfinished", &path, e))?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn staged(root: &Path) -> Staging {
        let path = root.join(".VOL001.partial");
        std::fs::create_dir_all(path.join("DATA")).unwrap();
        std::fs::write(path.join("DATA/VOL001.dat"), b"x").unwrap();
        Staging {
            #[cfg(target_os = "linux")]
            folder: std::fs::File::open(&path).unwrap(),
            path,
            target: root.join("VOL001"),
            armed: AtomicBool::new(true),
        }
    }

    #[test]
    fn finishing_renames_the_staged_folder_into_place() {
        let dir = tempfile::tempdir().unwrap();
        let s = staged(dir.path());
        s.make_durable().unwrap();
        assert_eq!(s.finish().unwrap(), Finished::Renamed);
        assert!(dir.path().join("VOL001/DATA/VOL001.dat").is_file());
        assert!(!dir.path().join(".VOL001.partial").exists());
    }

    #[test]
    fn a_flush_ahead_is_waited_for_and_leaves_the_real_flush_to_do() {
        let dir = tempfile::tempdir().unwrap();
        let s = staged(dir.path());
        let ahead = s.flush_ahead();
        std::fs::write(s.path().join("DATA/VOL001.opt"), b"y").unwrap();
        drop(ahead);
        s.make_durable().unwrap();
        assert_eq!(s.finish().unwrap(), Finished::Renamed);
        assert_eq!(
            std::fs::read(dir.path().join("VOL001/DATA/VOL001.opt")).unwrap(),
            b"y"
        );
    }

    #[test]
    fn a_rename_another_process_completed_first_is_recognised() {
        let dir = tempfile::tempdir().unwrap();
        let s = staged(dir.path());
        // A reader opening the matter between the commit and the rename
        // completes the volume first.
        std::fs::rename(s.path(), s.target()).unwrap();
        assert_eq!(s.finish().unwrap(), Finished::CompletedByAnother);
        assert!(dir.path().join("VOL001/DATA/VOL001.dat").is_file());
    }

    #[test]
    fn an_unfinished_staging_folder_is_removed_when_dropped() {
        let dir = tempfile::tempdir().unwrap();
        drop(staged(dir.path()));
        assert!(!dir.path().join(".VOL001.partial").exists());
        assert!(!dir.path().join("VOL001").exists());
    }

    #[test]
    fn a_folder_left_to_recovery_outlives_an_error_at_the_commit() {
        let dir = tempfile::tempdir().unwrap();
        let s = staged(dir.path());
        assert!(!s.left_to_recovery());
        s.leave_to_recovery();
        assert!(s.left_to_recovery());
        // The commit reported an error: the store, not this drop, decides.
        drop(s);
        assert!(dir.path().join(".VOL001.partial/DATA/VOL001.dat").is_file());
        // The store answered that nothing was recorded: removed after all.
        let s = staged(dir.path());
        s.leave_to_recovery();
        s.discard();
        assert!(!dir.path().join(".VOL001.partial").exists());
    }

    #[test]
    fn a_move_into_place_that_fails_says_where_the_recorded_volume_is() {
        let dir = tempfile::tempdir().unwrap();
        let s = staged(dir.path());
        // Something else took the volume's name after it was checked.
        std::fs::create_dir_all(dir.path().join("VOL001/other")).unwrap();
        let e = s.finish().unwrap_err();
        // Exit 4: a failure outside the input.
        let Error::Internal {
            hint: Some(hint), ..
        } = &e
        else {
            panic!("no hint: {e:?}");
        };
        assert!(hint.contains(".VOL001.partial"), "{hint}");
        assert!(hint.contains("run any adrec command"), "{hint}");
        // The recorded volume's files are kept where the hint says.
        assert!(dir.path().join(".VOL001.partial/DATA/VOL001.dat").is_file());
    }
}
