//! Finding the volumes in the folders given, every file in them, and their
//! load files (index, privilege log, OPT/LFP/DII, checksum lists).

use crate::error::Error;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// What a file is to the audit, by the top folder it sits in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Image,
    Native,
    Text,
    Data,
    /// At the top of the volume or in a folder with another name.
    Other,
}

#[derive(Debug, Clone)]
pub struct VolumeDir {
    pub name: String,
    /// Canonical path of the volume folder.
    pub root: PathBuf,
    /// Display paths are relative to this (the volume's parent).
    pub base: PathBuf,
    /// Checksum lists at the top of the folder of volumes holding this one
    /// (`PROD/SHA256SUMS` over `PROD/VOL001/…`): their lines naming this
    /// volume's files count for it.
    pub outer_sums: Vec<PathBuf>,
}

#[derive(Debug)]
pub struct FileEntry {
    /// The volume's parent folder, shared by every file of the volume: a
    /// file's path is `base` joined with [`display`](Self::display), so
    /// only that tail is stored a file (a large volume lists hundreds of
    /// thousands, and their whole paths were most of what a file cost).
    base: Arc<Path>,
    /// The path from `base`, `/`-separated: `VOL001/IMAGES/0001/A.pdf`.
    display: Box<str>,
    /// Where [`rel`](Self::rel) starts in `display`: it is its tail.
    rel_at: u32,
    /// For the rare file whose path is not `base` joined with `display`
    /// (a name that is not UTF-8, read lossily into `display`), or whose
    /// `rel` is not its tail: its path, and `rel`.
    stored: Option<Box<(PathBuf, String)>>,
    pub volume: usize,
    pub kind: Kind,
    pub size: u64,
    /// DATA/ files, checksum lists and the load files in use: never
    /// UNINDEXED_FILE. Marked while images are being read from the same
    /// list on another thread, hence atomic.
    load_file: AtomicBool,
}

impl FileEntry {
    /// A file of a volume at `abs`: `rel` is its path from the volume
    /// folder, `display` from the volume's parent `base` (both `/`-separated).
    fn new(abs: PathBuf, base: &Arc<Path>, rel: String, display: String) -> FileEntry {
        let joined = base.join(&display);
        let rel_at = (display.ends_with(&rel)
            && display.is_char_boundary(display.len() - rel.len()))
        .then(|| display.len() - rel.len())
        .and_then(|at| u32::try_from(at).ok());
        let (rel_at, stored) = match rel_at {
            Some(at) if joined.as_os_str() == abs.as_os_str() => (at, None),
            _ => (0, Some(Box::new((abs, rel)))),
        };
        FileEntry {
            base: base.clone(),
            display: display.into(),
            rel_at,
            stored,
            volume: 0,
            kind: Kind::Other,
            size: 0,
            load_file: AtomicBool::new(false),
        }
    }

    /// A DATA/ file, a checksum list or a load file in use: never UNINDEXED_FILE.
    pub fn load_file(&self) -> bool {
        self.load_file.load(Ordering::Relaxed)
    }

    /// Marks the file as a load file in use.
    pub fn mark_load_file(&self) {
        self.load_file.store(true, Ordering::Relaxed);
    }

    /// Whether the file's path is `path`, its name compared first (a list
    /// of files is searched this way for a path given).
    pub fn named(&self, path: &Path) -> bool {
        path.file_name()
            .is_some_and(|name| self.display.ends_with(&*name.to_string_lossy()))
            && self.is(path)
    }

    /// The file's path.
    pub fn abs(&self) -> PathBuf {
        match &self.stored {
            Some(s) => s.0.clone(),
            None => self.base.join(&*self.display),
        }
    }

    /// Whether the file's path is `path` (compared as [`Path`]s are, by
    /// their components), without making the path.
    fn is(&self, path: &Path) -> bool {
        match &self.stored {
            Some(s) => s.0 == path,
            None => path
                .strip_prefix(&*self.base)
                .is_ok_and(|rest| rest == Path::new(&*self.display)),
        }
    }

    /// Relative to the volume folder, `/`-separated.
    pub fn rel(&self) -> &str {
        match &self.stored {
            Some(s) => &s.1,
            None => &self.display[self.rel_at as usize..],
        }
    }

    /// Relative to the volume's parent, `/`-separated: `VOL001/IMAGES/0001/A.pdf`.
    pub fn display(&self) -> &str {
        &self.display
    }
}

/// The kind of files a top folder holds, by its common names.
pub fn kind_of_dir(name: &str) -> Option<Kind> {
    let n: String = name
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect();
    Some(match n.as_str() {
        "DATA" | "LOADFILES" | "LOADFILE" | "LOAD" | "METADATA" | "DAT" => Kind::Data,
        "IMAGES" | "IMAGE" | "IMG" | "IMGS" | "PDF" | "PDFS" | "TIFF" | "TIFFS" | "TIF" => {
            Kind::Image
        }
        "NATIVES" | "NATIVE" | "NATIVEFILES" | "DOCLINK" | "DOCLINKS" | "NATIVELINK"
        | "NATIVELINKS" => Kind::Native,
        "TEXT" | "TEXTS" | "FULLTEXT" | "OCR" | "TXT" | "EXTRACTEDTEXT" | "TEXTFILES" => Kind::Text,
        _ => return None,
    })
}

fn ext_of(name: &str) -> String {
    Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase()
}

/// Extensions of load files and notes kept at the top of a volume: such a
/// file there is never UNINDEXED_FILE (it may still be tied to a row by name).
pub fn is_top_load_file(rel: &str) -> bool {
    !rel.contains('/')
        && matches!(
            ext_of(rel).as_str(),
            "dat"
                | "opt"
                | "lfp"
                | "dii"
                | "csv"
                | "tsv"
                | "txt"
                | "xlsx"
                | "xls"
                | "ods"
                | "json"
                | "xml"
                | "md"
                | "log"
                | "sha256"
                | "md5"
        )
}

fn is_sums_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.starts_with("sha256sums")
        || lower.starts_with("md5sums")
        || matches!(ext_of(name).as_str(), "sha256" | "md5")
}

/// Whether `dir` holds volume folders and nothing of a volume's own but
/// checksum lists: a folder of volumes, even with a SHA256SUMS at its top.
fn holds_volumes(dir: &Path, given: &[PathBuf]) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    let mut volumes = 0;
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let is_dir = e.file_type().is_ok_and(|t| t.is_dir());
        if is_dir && kind_of_dir(&name).is_some() {
            return false;
        }
        // A load file of its own (not a checksum list, not a file given
        // for all the volumes) makes the folder a volume.
        let is_given = || std::fs::canonicalize(e.path()).is_ok_and(|p| given.contains(&p));
        if !is_dir && marks_volume(&name) && !is_sums_name(&name) && !is_given() {
            return false;
        }
        if is_dir && is_volume(&e.path()) {
            volumes += 1;
        }
    }
    volumes > 0
}

/// The checksum lists at the top of a folder of volumes.
fn top_sums(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter(|e| is_sums_name(&e.file_name().to_string_lossy()))
        .map(|e| e.path())
        .collect();
    out.sort();
    out
}

/// A checksum list of the volume: at its top, in DATA/, or one folder down
/// when that folder is not IMAGES/, NATIVES/ or TEXT/ (`PROD/VOL001/SHA256SUMS`
/// when `PROD` is audited as the volume).
fn is_volume_sums(rel: &str, kind: Kind) -> bool {
    let name = rel.rsplit('/').next().unwrap_or_default();
    match rel.matches('/').count() {
        0 => is_sums_name(rel),
        1 => {
            let lower = name.to_ascii_lowercase();
            (kind == Kind::Data && is_sums_name(name))
                || (kind == Kind::Other
                    && (lower.starts_with("sha256sums") || lower.starts_with("md5sums")))
        }
        _ => false,
    }
}

fn is_volume(dir: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    entries.flatten().any(|e| {
        let name = e.file_name().to_string_lossy().into_owned();
        let is_dir = e.file_type().is_ok_and(|t| t.is_dir());
        if is_dir {
            kind_of_dir(&name).is_some()
        } else {
            marks_volume(&name)
        }
    })
}

/// A file whose presence at a folder's top makes it a volume: a load file
/// or a checksum list.
fn marks_volume(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    matches!(ext_of(name).as_str(), "dat" | "opt" | "lfp" | "dii")
        || is_sums_name(name)
        || (matches!(ext_of(name).as_str(), "csv" | "xlsx" | "xls" | "ods")
            && (lower.contains("index") || lower.contains("load")))
}

fn volume_dir(path: &Path) -> Result<VolumeDir, Error> {
    let root = std::fs::canonicalize(path).map_err(|e| Error::io("open", path, e))?;
    let name = root.file_name().map_or_else(
        || root.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let base = root
        .parent()
        .map_or_else(|| root.clone(), Path::to_path_buf);
    Ok(VolumeDir {
        name,
        root,
        base,
        outer_sums: Vec::new(),
    })
}

/// The volumes in `dirs`: each DIR is a volume (it has IMAGES/, NATIVES/,
/// TEXT/ or DATA/, or load files at its top), or a folder of volumes.
/// A load file at the top of DIR makes it a volume, unless it is one of the
/// files `given` (a cumulative index beside the volumes it covers).
pub fn volumes(dirs: &[PathBuf], given: &[PathBuf]) -> Result<Vec<VolumeDir>, Error> {
    let given: Vec<PathBuf> = given
        .iter()
        .filter_map(|p| std::fs::canonicalize(p).ok())
        .collect();
    let mut out: Vec<VolumeDir> = Vec::new();
    for dir in dirs {
        if !dir.is_dir() {
            let what = if dir.exists() {
                "is not a folder"
            } else {
                "does not exist"
            };
            return Err(Error::input(format!("`{}` {what}", dir.display()))
                .hint("give the production's volume folder (the one holding IMAGES/, NATIVES/ and DATA/), or a folder of volumes"));
        }
        if is_volume(dir) && !holds_volumes(dir, &given) {
            out.push(volume_dir(dir)?);
            continue;
        }
        let outer = top_sums(dir);
        let mut subs: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(|e| Error::io("read", dir, e))?
            .flatten()
            .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
            .map(|e| e.path())
            .filter(|p| is_volume(p))
            .collect();
        subs.sort();
        if subs.is_empty() {
            out.push(volume_dir(dir)?);
        }
        for sub in subs {
            let mut v = volume_dir(&sub)?;
            v.outer_sums = outer.clone();
            out.push(v);
        }
    }
    let mut out = once_each(out);
    // Two volumes with the same folder name are told apart by their path.
    let names: Vec<String> = out.iter().map(|v| v.name.clone()).collect();
    for v in &mut out {
        if names.iter().filter(|n| **n == v.name).count() > 1 {
            v.name = v.root.display().to_string();
        }
    }
    Ok(out)
}

/// Each volume once, where it was first given: a folder given itself and
/// within a folder of volumes (`PROD PROD/VOL001`, in either order) is one
/// volume, and keeps the folder's checksum lists from whichever mention
/// had them.
fn once_each(found: Vec<VolumeDir>) -> Vec<VolumeDir> {
    let mut out: Vec<VolumeDir> = Vec::with_capacity(found.len());
    for v in found {
        match out.iter_mut().find(|seen| seen.root == v.root) {
            Some(seen) => {
                for sums in v.outer_sums {
                    if !seen.outer_sums.contains(&sums) {
                        seen.outer_sums.push(sums);
                    }
                }
            }
            None => out.push(v),
        }
    }
    out
}

fn rel_string(path: &Path, base: &Path) -> String {
    let rel = path.strip_prefix(base).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// What a folder listing found.
#[derive(Default)]
struct Listing {
    /// (path, size) of regular files.
    files: Vec<(PathBuf, u64)>,
    hidden: usize,
    links: usize,
    errors: Vec<(PathBuf, String)>,
}

impl Listing {
    fn merge(mut self, other: Listing) -> Listing {
        self.files.extend(other.files);
        self.hidden += other.hidden;
        self.links += other.links;
        self.errors.extend(other.errors);
        self
    }
}

fn is_hidden(name: &str) -> bool {
    name.starts_with('.')
        || name.eq_ignore_ascii_case("thumbs.db")
        || name.eq_ignore_ascii_case("desktop.ini")
}

/// Lists `dir` recursively, subfolders in parallel; links are not followed.
/// `skip` holds other audited volumes nested inside, walked as themselves.
fn list(dir: &Path, skip: &[&Path]) -> Listing {
    use rayon::prelude::*;
    let mut out = Listing::default();
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            out.errors.push((dir.to_path_buf(), e.to_string()));
            return out;
        }
    };
    let mut subdirs = Vec::new();
    for entry in entries {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                out.errors.push((dir.to_path_buf(), e.to_string()));
                continue;
            }
        };
        if is_hidden(&entry.file_name().to_string_lossy()) {
            out.hidden += 1;
            continue;
        }
        let path = entry.path();
        match entry.file_type() {
            Ok(t) if t.is_symlink() => out.links += 1,
            Ok(t) if t.is_dir() => {
                if !skip.contains(&path.as_path()) {
                    subdirs.push(path);
                }
            }
            Ok(t) if t.is_file() => {
                let size = entry.metadata().map_or(0, |m| m.len());
                out.files.push((path, size));
            }
            Ok(_) => {}
            Err(e) => out.errors.push((path, e.to_string())),
        }
    }
    subdirs
        .into_par_iter()
        .map(|d| list(&d, skip))
        .reduce(Listing::default, Listing::merge)
        .merge(out)
}

/// A folder that could not be listed: (volume, path, reason).
pub type WalkError = (usize, String, String);

/// Every file of every volume, in path order. Hidden files and symbolic
/// links are skipped and counted in `notes` (one list per volume); folders
/// that cannot be read are returned as `(volume, path, reason)`.
pub fn inventory(vols: &[VolumeDir]) -> (Vec<FileEntry>, Vec<Vec<String>>, Vec<WalkError>) {
    let mut files = Vec::new();
    let mut notes = vec![Vec::new(); vols.len()];
    let mut errors = Vec::new();
    let roots: Vec<&Path> = vols.iter().map(|v| v.root.as_path()).collect();
    for (vi, vol) in vols.iter().enumerate() {
        let skip: Vec<&Path> = roots
            .iter()
            .copied()
            .filter(|r| *r != vol.root.as_path())
            .collect();
        let mut listing = list(&vol.root, &skip);
        listing.files.sort_unstable_by(|a, b| {
            a.0.as_os_str()
                .as_encoded_bytes()
                .cmp(b.0.as_os_str().as_encoded_bytes())
        });
        let base: Arc<Path> = Arc::from(vol.base.as_path());
        for (path, size) in listing.files {
            let rel = rel_string(&path, &vol.root);
            let kind = match rel.split_once('/') {
                Some((top, _)) => kind_of_dir(top).unwrap_or(Kind::Other),
                None => Kind::Other,
            };
            let load_file = kind == Kind::Data || is_volume_sums(&rel, kind);
            let display = rel_string(&path, &vol.base);
            files.push(FileEntry {
                volume: vi,
                kind,
                size,
                load_file: AtomicBool::new(load_file),
                ..FileEntry::new(path, &base, rel, display)
            });
        }
        listing.errors.sort();
        for (path, e) in listing.errors {
            errors.push((vi, rel_string(&path, &vol.base), e));
        }
        if listing.hidden > 0 {
            notes[vi].push(format!(
                "{} hidden or system file(s) (names starting with `.`, Thumbs.db, desktop.ini) were not audited",
                listing.hidden
            ));
        }
        if listing.links > 0 {
            notes[vi].push(format!(
                "{} symbolic link(s) were not followed",
                listing.links
            ));
        }
    }
    // Kept for the whole audit: grown by doubling, the list had room for
    // up to twice the files.
    files.shrink_to_fit();
    (files, notes, errors)
}

/// The load files found in a volume.
#[derive(Debug, Default, Clone)]
pub struct Found {
    pub index: Option<usize>,
    pub privlog: Option<usize>,
    /// Image cross-references: the first OPT, LFP and DII found.
    pub xrefs: Vec<usize>,
    pub sums: Vec<usize>,
    pub notes: Vec<String>,
}

const TABLE_EXTS: [&str; 8] = ["csv", "xlsx", "xls", "ods", "xlsm", "tsv", "txt", "xml"];

fn ext_rank(name: &str) -> usize {
    TABLE_EXTS
        .iter()
        .position(|e| *e == ext_of(name))
        .unwrap_or(99)
}

fn is_log_name(lower: &str) -> bool {
    let stem = lower.rsplit_once('.').map_or(lower, |(s, _)| s);
    lower.contains("priv")
        || stem.ends_with("_log")
        || stem.ends_with(" log")
        || stem.ends_with("-log")
        || stem == "log"
}

/// Looks for the index (a DAT first, then a CSV/spreadsheet named like an
/// index), the privilege log, the OPT and checksum lists in DATA/ and at the
/// top of volume `vi`.
pub fn load_files(vi: usize, vol: &VolumeDir, files: &[FileEntry]) -> Found {
    let candidates: Vec<usize> = (0..files.len())
        .filter(|&i| {
            files[i].volume == vi && (files[i].kind == Kind::Data || !files[i].rel().contains('/'))
        })
        .collect();
    let name = |i: usize| {
        files[i]
            .rel()
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .to_string()
    };
    let lower = |i: usize| name(i).to_ascii_lowercase();
    let stem_is_volume = |i: usize| {
        lower(i)
            .rsplit_once('.')
            .is_some_and(|(s, _)| s == vol.name.to_ascii_lowercase())
    };
    let in_data = |i: usize| files[i].kind == Kind::Data;
    let mut found = Found::default();

    let mut dats: Vec<usize> = candidates
        .iter()
        .copied()
        .filter(|&i| ext_of(&name(i)) == "dat" && !is_log_name(&lower(i)))
        .collect();
    dats.sort_by_key(|&i| (!stem_is_volume(i), !in_data(i), files[i].rel().to_string()));
    found.index = dats.first().copied();
    if dats.len() > 1 {
        found.notes.push(format!(
            "{} DAT files were found; `{}` was used as the index (give --index to choose another)",
            dats.len(),
            files[dats[0]].display()
        ));
    }
    let mut logs: Vec<usize> = candidates
        .iter()
        .copied()
        .filter(|&i| {
            is_log_name(&lower(i)) && (ext_rank(&name(i)) < 99 || ext_of(&name(i)) == "dat")
        })
        .filter(|&i| ext_of(&name(i)) != "txt" || lower(i).contains("priv"))
        .collect();
    logs.sort_by_key(|&i| (!in_data(i), ext_rank(&name(i)), files[i].rel().to_string()));
    found.privlog = logs.first().copied();
    if found.index.is_none() {
        let mut tables: Vec<usize> = candidates
            .iter()
            .copied()
            .filter(|&i| ext_rank(&name(i)) < 99 && !is_log_name(&lower(i)))
            .filter(|&i| {
                let l = lower(i);
                !(l.contains("manifest")
                    || l.contains("categor")
                    || l.contains("sums")
                    || is_sums_name(&l))
            })
            .filter(|&i| {
                !matches!(ext_of(&name(i)).as_str(), "txt" | "tsv")
                    || lower(i).contains("index")
                    || lower(i).contains("load")
            })
            .collect();
        let named = |i: usize| lower(i).contains("index") || lower(i).contains("load");
        tables.sort_by_key(|&i| {
            (
                !named(i),
                !in_data(i),
                ext_rank(&name(i)),
                files[i].rel().to_string(),
            )
        });
        found.index = tables.first().copied();
    }
    for ext in ["opt", "lfp", "dii"] {
        let mut xrefs: Vec<usize> = candidates
            .iter()
            .copied()
            .filter(|&i| ext_of(&name(i)) == ext)
            .collect();
        xrefs.sort_by_key(|&i| (!stem_is_volume(i), !in_data(i), files[i].rel().to_string()));
        if xrefs.len() > 1 {
            found.notes.push(format!(
                "{} .{ext} files were found; `{}` was used (give --opt to choose another)",
                xrefs.len(),
                files[xrefs[0]].display()
            ));
        }
        found.xrefs.extend(xrefs.first());
    }
    found.sums = (0..files.len())
        .filter(|&i| files[i].volume == vi && is_volume_sums(files[i].rel(), files[i].kind))
        .collect();
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_names() {
        assert_eq!(kind_of_dir("IMAGES"), Some(Kind::Image));
        assert_eq!(kind_of_dir("Natives"), Some(Kind::Native));
        assert_eq!(kind_of_dir("LOAD_FILES"), Some(Kind::Data));
        assert_eq!(kind_of_dir("FULLTEXT"), Some(Kind::Text));
        assert_eq!(kind_of_dir("misc"), None);
        assert!(is_log_name("vol001_privilege_log.csv"));
        assert!(is_log_name("withheld log.xlsx"));
        assert!(!is_log_name("vol001_index.csv"));
        assert!(is_sums_name("SHA256SUMS"));
    }

    #[test]
    fn a_file_stores_its_tail_and_gives_back_its_whole_path() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("VOL001");
        std::fs::create_dir_all(root.join("IMAGES/0001")).unwrap();
        std::fs::create_dir_all(root.join("NATIVES")).unwrap();
        std::fs::write(root.join("IMAGES/0001/A.pdf"), b"%PDF-").unwrap();
        let mut names = vec![std::ffi::OsString::from("B.txt")];
        #[cfg(target_os = "linux")]
        {
            // A name that is not UTF-8 (Linux file systems take any bytes;
            // APFS refuses them): its path is kept whole.
            use std::os::unix::ffi::OsStringExt;
            names.push(std::ffi::OsString::from_vec(b"caf\xe9.txt".to_vec()));
        }
        for name in &names {
            std::fs::write(root.join("NATIVES").join(name), b"x").unwrap();
        }
        let vols = volumes(&[dir.path().to_path_buf()], &[]).unwrap();
        let (files, _, errors) = inventory(&vols);
        assert!(errors.is_empty());
        assert_eq!(files.len(), 1 + names.len());
        let base = &vols[0].base;
        for f in &files {
            let abs = f.abs();
            assert!(std::fs::metadata(&abs).is_ok(), "{}", abs.display());
            assert!(f.is(&abs) && !f.is(&base.join("VOL001/other")));
            assert_eq!(f.display(), format!("VOL001/{}", f.rel()));
        }
        let pdf = files
            .iter()
            .find(|f| f.rel() == "IMAGES/0001/A.pdf")
            .unwrap();
        assert_eq!(pdf.abs(), base.join("VOL001/IMAGES/0001/A.pdf"));
        assert!(pdf.stored.is_none());
        #[cfg(target_os = "linux")]
        {
            let odd = files
                .iter()
                .find(|f| f.rel().starts_with("NATIVES/caf"))
                .unwrap();
            assert!(odd.stored.is_some());
            assert_eq!(odd.rel(), "NATIVES/caf\u{fffd}.txt");
            assert_eq!(odd.abs(), base.join("VOL001/NATIVES").join(&names[1]));
        }
    }
}
