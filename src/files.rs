//! Writing files so that a crash never leaves half of one: the one place
//! that turns bytes into a file atomically and durably.

use crate::error::Error;
use std::io::Write;
use std::path::Path;

/// Writes `bytes` to `path` atomically: a temporary file in the same folder,
/// written and fsynced, renamed over `path`, then the folder fsynced so the
/// new name survives a power loss. A reader sees the old file or the new
/// one, never a part.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let mut file = AtomicFile::create(path)?;
    file.write_all(bytes)
        .map_err(|e| Error::io("write", path, e))?;
    file.commit()
}

/// A file written as it is made, that appears at its path whole or not at
/// all, as [`write_atomic`] writes one: until [`AtomicFile::commit`] it is
/// a temporary file `.adrec-…` in the same folder, deleted if the command
/// fails (a process killed meanwhile leaves it, never the file itself).
pub struct AtomicFile {
    path: std::path::PathBuf,
    out: std::io::BufWriter<tempfile::NamedTempFile>,
}

impl AtomicFile {
    pub fn create(path: &Path) -> Result<AtomicFile, Error> {
        let dir = folder_of(path);
        let tmp = tempfile::Builder::new()
            .prefix(".adrec-")
            .tempfile_in(dir)
            .map_err(|e| Error::io("create a temporary file in", dir, e))?;
        Ok(AtomicFile {
            path: path.to_path_buf(),
            out: std::io::BufWriter::with_capacity(1 << 16, tmp),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Makes the file durable, then gives it its name.
    pub fn commit(self) -> Result<(), Error> {
        let path = self.path;
        let tmp = self
            .out
            .into_inner()
            .map_err(|e| Error::io("write", &path, e.into_error()))?;
        tmp.as_file()
            .sync_all()
            .map_err(|e| Error::io("write", &path, e))?;
        tmp.persist(&path)
            .map_err(|e| Error::io("write", &path, e.error))?;
        sync_dir(folder_of(&path))
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.out.write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

/// The folder a path's file is in (`.` for a bare name).
pub fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    }
}

/// fsyncs a folder (or file), so names created or renamed in it are durable.
pub fn sync_dir(path: &Path) -> Result<(), Error> {
    std::fs::File::open(path)
        .and_then(|f| f.sync_all())
        .map_err(|e| Error::io("sync", path, e))
}

/// The message of the error [`open_regular`] returns for a FIFO, socket or
/// device.
pub const NOT_REGULAR: &str =
    "not a regular file (a FIFO, socket or device); adrec reads only regular files";

/// Opens `path` for reading its content only if it is a regular file. The
/// open is non-blocking (a FIFO with no writer would otherwise block
/// forever) and the type is checked on the open handle, so a file swapped
/// for a FIFO after it was listed is caught too. The error for anything
/// else has kind `InvalidInput` and the message [`NOT_REGULAR`].
pub fn open_regular(path: &Path) -> std::io::Result<std::fs::File> {
    open_sized(path).map(|(file, _)| file)
}

/// [`open_regular`], with the file's length when it was opened.
fn open_sized(path: &Path) -> std::io::Result<(std::fs::File, u64)> {
    use std::os::unix::fs::OpenOptionsExt;
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)?;
    let meta = file.metadata()?;
    if !meta.file_type().is_file() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            NOT_REGULAR,
        ));
    }
    Ok((file, meta.len()))
}

/// The file a stored path names. A name that was not valid UTF-8 is stored
/// as shown, with U+FFFD in place of its bad bytes; such a path is found
/// again by matching each damaged component against its folder's entries
/// shown the same way. (The caller still checks the file's hash.)
pub fn resolve_stored(stored: &str) -> std::path::PathBuf {
    let path = Path::new(stored);
    if !stored.contains('\u{FFFD}') || path.exists() {
        return path.to_path_buf();
    }
    let mut found = std::path::PathBuf::new();
    for part in path.components() {
        let shown = part.as_os_str().to_string_lossy();
        if !shown.contains('\u{FFFD}') {
            found.push(part);
            continue;
        }
        let matched = std::fs::read_dir(if found.as_os_str().is_empty() {
            Path::new(".")
        } else {
            &found
        })
        .ok()
        .and_then(|entries| {
            entries
                .flatten()
                .map(|e| e.file_name())
                .find(|name| name.to_string_lossy() == shown)
        });
        match matched {
            Some(name) => found.push(name),
            None => return path.to_path_buf(),
        }
    }
    found
}

/// `std::fs::read` for regular files only (see [`open_regular`]).
pub fn read_regular(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let (file, len) = open_sized(path)?;
    // Room for the whole file and the read that finds its end. Read through
    // `take`: `File::read_to_end` would ask the file's size again (two more
    // system calls a file, 200,000 in a 100,000-native volume); a file that
    // grew since is still read to its end.
    let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0).saturating_add(1));
    file.take(u64::MAX).read_to_end(&mut bytes)?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_lossy_name_finds_its_file() {
        use std::os::unix::ffi::OsStrExt;
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join(std::ffi::OsStr::from_bytes(b"caf\xe9.txt"));
        std::fs::write(&real, b"x").unwrap();
        let stored = real.to_string_lossy().into_owned();
        assert_eq!(resolve_stored(&stored), real);
        assert_eq!(read_regular(&resolve_stored(&stored)).unwrap(), b"x");
    }

    #[test]
    fn a_fifo_is_refused_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe");
        let ok = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            eprintln!("mkfifo unavailable; skipped");
            return;
        }
        let e = read_regular(&fifo).unwrap_err();
        assert_eq!(e.kind(), std::io::ErrorKind::InvalidInput);
        let file = dir.path().join("f");
        std::fs::write(&file, b"x").unwrap();
        assert_eq!(read_regular(&file).unwrap(), b"x");
    }

    #[test]
    fn replaces_the_whole_file_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.html");
        write_atomic(&path, b"first version, longer").unwrap();
        write_atomic(&path, b"second").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"second");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_missing_folder_is_an_error_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("no/such/folder/x.csv");
        let err = write_atomic(&path, b"x").unwrap_err().to_string();
        assert!(err.contains("no/such/folder"), "{err}");
    }
}
