//! Writing a volume's document files through a handle on each folder. A
//! document's files are named from the staging folder
//! (`IMAGES/0001/AR-000001.pdf`); opened by their whole path, each makes the
//! kernel walk every folder of that path again, ten names or more for one
//! file, 300,000 files for a volume of 100,000 natives. Opened relative to a
//! handle on its folder, a file costs one name: on a tmpfs, 1.5-3 µs less
//! kernel CPU a file. The files and their bytes are the same either way.

use crate::error::Error;
use std::path::{Path, PathBuf};

/// The staging folder of a volume being written, and handles on the
/// folders its writers are filling.
pub(super) struct StagedFiles {
    root: PathBuf,
    #[cfg(unix)]
    folders: std::sync::RwLock<Vec<(String, std::sync::Arc<std::os::fd::OwnedFd>)>>,
}

/// Folder handles kept open. Documents are written in Bates order, so the
/// writers fill a few folders at a time (one each of IMAGES, NATIVES and
/// TEXT, and the next as one fills): the oldest handle is let go first, and
/// a volume of any size holds at most this many descriptors.
#[cfg(unix)]
const KEPT: usize = 16;

impl StagedFiles {
    pub(super) fn new(root: &Path) -> StagedFiles {
        StagedFiles {
            root: root.to_path_buf(),
            #[cfg(unix)]
            folders: std::sync::RwLock::new(Vec::new()),
        }
    }

    /// Writes `bytes` to `rel` (a path under the staging folder, with `/`),
    /// making its folder when it is the first file there.
    /// `Staging::make_durable` syncs it later.
    pub(super) fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), Error> {
        #[cfg(unix)]
        if let Some((folder, name)) = rel.rsplit_once('/') {
            use rustix::fs::{Mode, OFlags};
            use std::io::Write;
            let io = |e: std::io::Error| Error::io("write", &self.root.join(rel), e);
            let dir = self.folder(folder).map_err(io)?;
            let flags = OFlags::WRONLY | OFlags::CREATE | OFlags::TRUNC | OFlags::CLOEXEC;
            // The mode `File::create` gives (before the umask).
            let fd = rustix::fs::openat(&*dir, name, flags, Mode::from_raw_mode(0o666))
                .map_err(|e| io(e.into()))?;
            return std::fs::File::from(fd).write_all(bytes).map_err(io);
        }
        super::document::write_file(&self.root.join(rel), bytes)
    }

    /// A handle on `folder` (under the staging folder), made if it is new.
    #[cfg(unix)]
    fn folder(&self, folder: &str) -> std::io::Result<std::sync::Arc<std::os::fd::OwnedFd>> {
        use rustix::fs::{Mode, OFlags};
        use std::sync::{Arc, PoisonError};
        let find = |kept: &[(String, Arc<std::os::fd::OwnedFd>)]| {
            kept.iter()
                .rev()
                .find(|(name, _)| name == folder)
                .map(|(_, fd)| Arc::clone(fd))
        };
        if let Some(fd) = find(&self.folders.read().unwrap_or_else(PoisonError::into_inner)) {
            return Ok(fd);
        }
        let path = self.root.join(folder);
        std::fs::create_dir_all(&path)?;
        let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
        let opened = Arc::new(rustix::fs::open(&path, flags, Mode::empty())?);
        let mut kept = self.folders.write().unwrap_or_else(PoisonError::into_inner);
        // Another writer may have opened it meanwhile: one handle a folder.
        if let Some(fd) = find(&kept) {
            return Ok(fd);
        }
        if kept.len() == KEPT {
            kept.remove(0);
        }
        kept.push((folder.to_string(), Arc::clone(&opened)));
        Ok(opened)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_files_into_new_and_existing_folders_and_keeps_few_handles() {
        let dir = tempfile::tempdir().unwrap();
        let files = StagedFiles::new(dir.path());
        for i in 0..40 {
            let rel = format!("TEXT/{:04}/AR-{i:06}.txt", i / 2 + 1);
            files.write(&rel, format!("page {i}").as_bytes()).unwrap();
        }
        files.write("SHA256SUMS", b"top level").unwrap();
        // A file written again is replaced, not appended to.
        files.write("TEXT/0001/AR-000000.txt", b"again").unwrap();
        assert_eq!(
            std::fs::read(dir.path().join("TEXT/0001/AR-000000.txt")).unwrap(),
            b"again"
        );
        assert_eq!(
            std::fs::read(dir.path().join("TEXT/0020/AR-000039.txt")).unwrap(),
            b"page 39"
        );
        assert_eq!(
            std::fs::read(dir.path().join("SHA256SUMS")).unwrap(),
            b"top level"
        );
        assert_eq!(
            std::fs::read_dir(dir.path().join("TEXT")).unwrap().count(),
            20
        );
        #[cfg(unix)]
        assert_eq!(files.folders.read().unwrap().len(), KEPT);
    }

    #[test]
    fn a_folder_that_cannot_be_made_is_named_in_the_error() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("IMAGES"), b"a file where the folder goes").unwrap();
        let files = StagedFiles::new(dir.path());
        let err = files
            .write("IMAGES/0001/AR-000001.pdf", b"%PDF")
            .unwrap_err();
        assert!(err.to_string().contains("AR-000001.pdf"), "{err}");
    }
}
