//! Tying index rows to files: by the link columns when present (a link
//! resolves against the volume folder, then its parent, then the load file's
//! folder; `\` and `/` both work), else by file-name stem = BEGBATES under
//! IMAGES/, NATIVES/ and TEXT/ (any subfolder). Page images named by a page's
//! own number belong to the document whose range holds it.

use super::FastMap;
use super::bates::{self, Bates, Patterns};
use super::columns::Field;
use super::discover::{FileEntry, Kind};
use super::lists::Lists;
pub use super::ranges::RangeIndex;
use super::read::opt::OptLine;
use super::rows::IndexRow;
use std::path::{Path, PathBuf};

/// Which of a row's files a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    Image,
    Native,
    Text,
}

/// The slot of a file found by name or generic path, by folder then extension.
pub fn slot_of(file: &FileEntry) -> Slot {
    match file.kind {
        Kind::Image => Slot::Image,
        Kind::Native => Slot::Native,
        Kind::Text => Slot::Text,
        Kind::Data | Kind::Other => {
            let ext = Path::new(&file.rel())
                .extension()
                .and_then(|e| e.to_str())
                .unwrap_or_default()
                .to_ascii_lowercase();
            match ext.as_str() {
                "pdf" | "tif" | "tiff" | "jpg" | "jpeg" | "png" => Slot::Image,
                "txt" => Slot::Text,
                _ => Slot::Native,
            }
        }
    }
}

/// Finds files by path, exactly or ignoring case (links written on Windows).
///
/// The paths are the file list's own, borrowed, and the lookups hold only
/// hashes: a map keyed by the bytes themselves held two more copies of
/// every path (hundreds of thousands in a large volume).
pub struct Resolver<'a> {
    /// Every file, in inventory order.
    files: &'a [FileEntry],
    exact: ByHash,
    folded: ByHash,
}

/// Files by the hash of their path (as is, or in lower case): (hash, file)
/// pairs sorted, so files sharing a hash sit together in inventory order.
/// Eight bytes a file, where a hash map and its chains took forty: the hash
/// is cut to 32 bits (a few paths of a million share one, and every
/// candidate's path is compared anyway).
struct ByHash {
    sorted: Vec<(u32, u32)>,
}

impl ByHash {
    /// From every file's path hash, in inventory order. Files past the
    /// 4,294,967,295th are not indexed (a list that long does not fit in
    /// memory anyway).
    fn new(hashes: impl Iterator<Item = u64>) -> ByHash {
        let mut sorted: Vec<(u32, u32)> = hashes
            .enumerate()
            .map_while(|(i, h)| Some((short(h), u32::try_from(i).ok()?)))
            .collect();
        sorted.sort_unstable();
        ByHash { sorted }
    }

    /// The files with `hash`, last first.
    fn with(&self, hash: u64) -> impl Iterator<Item = usize> + '_ {
        let hash = short(hash);
        let start = self.sorted.partition_point(|&(h, _)| h < hash);
        let end = self.sorted.partition_point(|&(h, _)| h <= hash);
        self.sorted[start..end]
            .iter()
            .rev()
            .map(|&(_, i)| i as usize)
    }
}

/// A path hash cut to 32 bits: its high half folded into its low.
fn short(hash: u64) -> u32 {
    (hash ^ (hash >> 32)) as u32
}

/// The hash of a path's bytes, optionally in ASCII lower case, with the
/// audit's [`super::FastHasher`] (no lower-case copy is made to hash it).
fn path_hash(bytes: &[u8], fold: bool) -> u64 {
    use std::hash::Hasher;
    let mut h = super::FastHasher::default();
    for chunk in bytes.chunks(8) {
        let mut word = [0u8; 8];
        word[..chunk.len()].copy_from_slice(chunk);
        if fold {
            word.make_ascii_lowercase();
        }
        h.write(&word);
    }
    h.write(&bytes.len().to_le_bytes());
    h.finish()
}

fn bytes_of(path: &Path) -> &[u8] {
    path.as_os_str().as_encoded_bytes()
}

/// A link's parts: `\` and `/` both separate, a drive letter or `file://` is dropped.
fn link_parts(link: &str) -> Vec<&str> {
    let mut s = link.trim();
    if let Some(rest) = s.strip_prefix("file://") {
        s = rest;
    }
    let b = s.as_bytes();
    if b.len() >= 2 && b[1] == b':' && b[0].is_ascii_alphabetic() {
        s = &s[2..];
    }
    s.split(['/', '\\'])
        .filter(|p| !p.is_empty() && *p != ".")
        .collect()
}

/// `base` joined with `parts` (`..` going up), as the bytes of a clean path.
fn join(base: &Path, parts: &[&str]) -> Vec<u8> {
    let mut out = bytes_of(base).to_vec();
    while out.len() > 1 && out.ends_with(b"/") {
        out.pop();
    }
    for p in parts {
        if *p == ".." {
            if let Some(cut) = out.iter().rposition(|&c| c == b'/') {
                out.truncate(cut.max(1));
            }
        } else {
            if !out.ends_with(b"/") {
                out.push(b'/');
            }
            out.extend_from_slice(p.as_bytes());
        }
    }
    out
}

/// How a path that names nothing is compared with others naming the same
/// file: its last two parts, lower case, `\` and `/` alike.
pub fn same_file_key(path: &str) -> String {
    let parts: Vec<String> = path
        .split(['/', '\\'])
        .filter(|p| !p.is_empty() && *p != ".")
        .map(str::to_lowercase)
        .collect();
    parts[parts.len().saturating_sub(2)..].join("/")
}

/// Whether `link` points outside the folders audited: an absolute path
/// that does not pass through the volume folder, or `..` climbing above the
/// volume's parent. Such a link is never opened.
pub fn points_outside(link: &str, volume_root: &Path) -> bool {
    let s = link.trim();
    let b = s.as_bytes();
    let absolute = s.starts_with(['/', '\\'])
        || s.starts_with("file:")
        || (b.len() >= 2 && b[1] == b':' && b[0].is_ascii_alphabetic());
    let parts = link_parts(link);
    if absolute {
        let name = volume_root
            .file_name()
            .map(|n| n.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        return !parts.iter().any(|p| p.to_lowercase() == name);
    }
    let mut depth: i64 = 0;
    for p in parts {
        depth += if p == ".." { -1 } else { 1 };
        if depth < -1 {
            return true;
        }
    }
    false
}

impl<'a> Resolver<'a> {
    pub fn new(files: &'a [FileEntry]) -> Resolver<'a> {
        // Each path is made once for both hashes (a file stores only its tail).
        let (exact, folded): (Vec<u64>, Vec<u64>) = files
            .iter()
            .map(|f| {
                let path = f.abs();
                (
                    path_hash(bytes_of(&path), false),
                    path_hash(bytes_of(&path), true),
                )
            })
            .unzip();
        Resolver {
            files,
            exact: ByHash::new(exact.into_iter()),
            folded: ByHash::new(folded.into_iter()),
        }
    }

    /// File i's path.
    fn path(&self, i: usize) -> PathBuf {
        self.files[i].abs()
    }

    /// The file with exactly this path (the last listed, should two be).
    fn exact(&self, key: &[u8]) -> Option<usize> {
        self.exact
            .with(path_hash(key, false))
            .find(|&i| bytes_of(&self.path(i)) == key)
    }

    /// The first file listed whose path is this one ignoring ASCII case.
    fn folded(&self, key: &[u8]) -> Option<usize> {
        self.folded
            .with(path_hash(key, true))
            .filter(|&i| bytes_of(&self.path(i)).eq_ignore_ascii_case(key))
            .last()
    }

    pub fn find(&self, path: &Path) -> Option<usize> {
        self.find_bytes(bytes_of(path))
    }

    fn find_bytes(&self, key: &[u8]) -> Option<usize> {
        self.exact(key).or_else(|| self.folded(key))
    }

    /// The file a checksum list's line names: from the list's folder (where
    /// `sha256sum -c` runs), else as any link.
    pub fn listed(&self, path: &str, list_dir: &Path, volume_root: &Path) -> Option<usize> {
        self.resolve(path, list_dir, None)
            .or_else(|| self.resolve(path, volume_root, None))
    }

    /// Resolves `link` against the volume folder, its parent, then `extra`
    /// (the load file's folder); a path that names the volume folder on the
    /// way (`D:\PROD\VOL001\IMAGES\…`) resolves from there.
    pub fn resolve(&self, link: &str, volume_root: &Path, extra: Option<&Path>) -> Option<usize> {
        let parts = link_parts(link);
        if parts.is_empty() {
            return None;
        }
        let bases = || {
            [Some(volume_root), volume_root.parent(), extra]
                .into_iter()
                .flatten()
                .map(|b| join(b, &parts))
        };
        // Exact matches anywhere first, then matches ignoring case.
        if let Some(i) = bases().find_map(|p| self.exact(&p)) {
            return Some(i);
        }
        if let Some(i) = bases().find_map(|p| self.folded(&p)) {
            return Some(i);
        }
        let name = volume_root.file_name()?.to_string_lossy().to_lowercase();
        let at = parts.iter().position(|p| p.to_lowercase() == name)?;
        self.find_bytes(&join(volume_root, &parts[at + 1..]))
    }
}

/// The files tied to each row, and the rows naming each file.
#[derive(Debug, Default)]
pub struct Ties {
    pub images: Lists,
    pub natives: Lists,
    pub texts: Lists,
    /// Links that resolve to no file: (header, value).
    pub broken: Vec<Vec<(String, String)>>,
    /// Rows naming each file.
    pub file_rows: Lists,
    /// Rows with a NATIVELINK-like cell, whether or not it resolved: their
    /// produced file is the native, never the slip-sheet image.
    pub native_linked: Vec<bool>,
    /// Per volume: FILEPATH-like cells that resolved to nothing (they may be original paths).
    pub unresolved_paths: Vec<usize>,
}

impl Ties {
    pub fn new(rows: usize, files: usize) -> Ties {
        Ties {
            images: Lists::new(rows),
            natives: Lists::new(rows),
            texts: Lists::new(rows),
            broken: vec![Vec::new(); rows],
            file_rows: Lists::new(files),
            native_linked: vec![false; rows],
            unresolved_paths: Vec::new(),
        }
    }

    pub fn tie(&mut self, row: usize, file: usize, slot: Slot) {
        let lists = match slot {
            Slot::Image => &mut self.images,
            Slot::Native => &mut self.natives,
            Slot::Text => &mut self.texts,
        };
        lists.add(row, file);
        self.file_rows.add(file, row);
    }

    /// Once every row is tied: the lists give back their spare room.
    pub fn finish(&mut self) {
        for lists in [
            &mut self.images,
            &mut self.natives,
            &mut self.texts,
            &mut self.file_rows,
        ] {
            lists.shrink();
        }
        self.broken.iter_mut().for_each(Vec::shrink_to_fit);
    }

    /// Every file tied to `row`.
    pub fn all(&self, row: usize) -> impl Iterator<Item = usize> + '_ {
        self.images[row]
            .iter()
            .chain(&self.natives[row])
            .chain(&self.texts[row])
            .copied()
    }
}

/// The row a file named `stem` belongs to, and whether the name is the
/// row's BEGBATES itself (`true`) or a page or inserted page inside its
/// range (`false`: page images and inserted pages).
fn row_for_stem(
    stem: &str,
    volume: usize,
    slot: Slot,
    begs: &FastMap<(usize, String), usize>,
    ranges: &RangeIndex,
    patterns: &Patterns,
) -> Option<(usize, bool)> {
    if let Some(&r) = begs
        .get(&(volume, stem.to_string()))
        .or_else(|| begs.get(&(volume, stem.to_lowercase())))
    {
        return Some((r, true));
    }
    let b = Bates::parse(stem)?;
    if slot != Slot::Image && !b.is_inserted() {
        return None;
    }
    ranges
        .row_holding(volume, patterns.canonical(&b)?, b.number)
        .map(|r| (r, false))
}

fn link_slot(field: Field) -> Option<Slot> {
    match field {
        Field::NativeLink => Some(Slot::Native),
        Field::ImageLink => Some(Slot::Image),
        Field::TextLink => Some(Slot::Text),
        _ => None,
    }
}

/// Ties every row to its files. `index_dirs[v]` is the folder of volume v's index.
pub fn tie_rows(
    rows: &[IndexRow],
    files: &[FileEntry],
    roots: &[PathBuf],
    index_dirs: &[Option<PathBuf>],
    patterns: &[Patterns],
    resolver: &Resolver,
    ranges: &RangeIndex,
) -> Ties {
    let mut ties = Ties::new(rows.len(), files.len());
    let mut linked: Vec<[bool; 3]> = vec![[false; 3]; rows.len()];
    let mut unresolved = vec![0usize; roots.len()];
    for (ri, row) in rows.iter().enumerate() {
        if row.malformed {
            continue;
        }
        let extra = index_dirs[row.volume].as_deref();
        ties.native_linked[ri] = row.links.iter().any(|(f, _, _)| *f == Field::NativeLink);
        for (field, header, value) in &row.links {
            let found = resolver.resolve(value, &roots[row.volume], extra);
            match (link_slot(*field), found) {
                (Some(slot), Some(f)) => {
                    ties.tie(ri, f, slot);
                    linked[ri][slot_ix(slot)] = true;
                }
                (Some(slot), None) => {
                    ties.broken[ri].push((header.to_string(), value.clone()));
                    linked[ri][slot_ix(slot)] = true;
                }
                (None, Some(f)) => {
                    let slot = slot_of(&files[f]);
                    ties.tie(ri, f, slot);
                    linked[ri][slot_ix(slot)] = true;
                }
                (None, None) => unresolved[row.volume] += 1,
            }
        }
    }
    ties.unresolved_paths = unresolved;
    // By name, for files no link named, into rows without a link of that kind.
    // A volume whose links name every file (adrec's, most tools') needs no
    // map of every row's name: two keys a row, the largest thing built here.
    if !files
        .iter()
        .enumerate()
        .any(|(fi, f)| unnamed(&ties, fi, f))
    {
        return ties;
    }
    let mut begs: FastMap<(usize, String), usize> = FastMap::default();
    for (ri, row) in rows.iter().enumerate() {
        // Without Bates numbers, files are named by control number.
        let key = row.name_key();
        let log_only_without_number = row.beg_raw.is_empty() && row.log_only();
        if !key.is_empty() && !log_only_without_number {
            begs.entry((row.volume, key.to_string())).or_insert(ri);
            begs.entry((row.volume, key.to_lowercase())).or_insert(ri);
        }
    }
    for (fi, file) in files.iter().enumerate() {
        if !unnamed(&ties, fi, file) {
            continue;
        }
        let name = file.rel().rsplit('/').next().unwrap_or_default();
        let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
        let slot = slot_of(file);
        // A file named by BEGBATES joins a row only when no link of its kind
        // names the row's file; a page named by its own number (the rest of
        // a document whose link names its first page) joins in any case.
        if let Some((ri, exact)) = row_for_stem(
            stem,
            file.volume,
            slot,
            &begs,
            ranges,
            &patterns[file.volume],
        ) && (!exact || !linked[ri][slot_ix(slot)])
        {
            ties.tie(ri, fi, slot);
        }
    }
    ties
}

/// A file no link named that a row may take by its name (not a load file
/// or other DATA file).
fn unnamed(ties: &Ties, fi: usize, file: &FileEntry) -> bool {
    !file.load_file() && file.kind != Kind::Data && ties.file_rows[fi].is_empty()
}

/// The position of a slot in a row's "named by a link" flags.
fn slot_ix(s: Slot) -> usize {
    match s {
        Slot::Image => 0,
        Slot::Native => 1,
        Slot::Text => 2,
    }
}

/// Each expected OPT image key of a volume → (row, page index from 0).
pub fn opt_keys(
    rows: &[IndexRow],
    volume: usize,
    patterns: &Patterns,
) -> FastMap<String, (usize, u64)> {
    let mut keys = FastMap::default();
    for (ri, row) in rows.iter().enumerate() {
        // A malformed row's Bates numbers are trusted, so its pages are expected too.
        if row.volume != volume || row.name_key().is_empty() {
            continue;
        }
        match (&row.beg, row.expected_pages(patterns)) {
            (Some(beg), Some(pages)) if pages <= 1_000_000 => {
                for k in 0..pages {
                    keys.entry(bates::format(&beg.prefix, beg.width, beg.number + k))
                        .or_insert((ri, k));
                }
            }
            _ => {
                keys.entry(row.name_key().to_string()).or_insert((ri, 0));
            }
        }
    }
    keys
}

/// Which cross-reference lines name a missing file rather than a wrong
/// path: the path is also in a checksum list, or the page's document has
/// fewer image files than the distinct paths its lines name.
pub fn missing_xref_files(
    loaded: &super::load::Loaded,
    ties: &Ties,
    opt_keys: &[FastMap<String, (usize, u64)>],
    opt_files: &[Vec<Vec<Option<usize>>>],
) -> Vec<Vec<Vec<bool>>> {
    loaded
        .volumes
        .iter()
        .enumerate()
        .map(|(vi, vol)| {
            let listed: std::collections::HashSet<String> = vol
                .sums
                .iter()
                .flat_map(|(_, entries)| {
                    entries
                        .iter()
                        .filter_map(|e| e.unresolved())
                        .map(same_file_key)
                })
                .collect();
            vol.xrefs
                .iter()
                .enumerate()
                .map(|(xi, (_, opt))| {
                    let row_of = |key: &str| opt_keys[vi].get(key).map(|&(r, _)| r);
                    let absent = |li: usize, line: &OptLine| {
                        opt_files[vi][xi][li].is_none() && !line.path().is_empty()
                    };
                    // The distinct paths of the rows with a line whose file is
                    // absent, only: a volume with every file there builds none
                    // (a set a row: 19 MB of a clean 100,000-document audit).
                    let mut paths: FastMap<usize, std::collections::HashSet<String>> = opt
                        .lines
                        .iter()
                        .enumerate()
                        .filter(|&(li, line)| absent(li, line))
                        .filter_map(|(_, line)| Some((row_of(line.key())?, Default::default())))
                        .collect();
                    if !paths.is_empty() {
                        for line in &opt.lines {
                            if let Some(set) = row_of(line.key()).and_then(|r| paths.get_mut(&r)) {
                                set.insert(same_file_key(line.path()));
                            }
                        }
                    }
                    opt.lines
                        .iter()
                        .enumerate()
                        .map(|(li, line)| {
                            absent(li, line)
                                && row_of(line.key()).is_some_and(|r| {
                                    !loaded.rows[r].malformed
                                        && (listed.contains(&same_file_key(line.path()))
                                            || ties.images[r].len()
                                                < paths.get(&r).map_or(0, |p| p.len()))
                                })
                        })
                        .collect()
                })
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_parts_accept_both_separators_and_drives() {
        assert_eq!(
            link_parts(r"VOL001\IMAGES\0001\A.pdf"),
            vec!["VOL001", "IMAGES", "0001", "A.pdf"]
        );
        assert_eq!(
            link_parts(r"D:\PROD\VOL001\A.pdf"),
            vec!["PROD", "VOL001", "A.pdf"]
        );
        assert_eq!(link_parts("./NATIVES/x.xlsx"), vec!["NATIVES", "x.xlsx"]);
        assert_eq!(
            join(Path::new("/a/DATA"), &["..", "IMAGES"]),
            b"/a/IMAGES".to_vec()
        );
        assert_eq!(join(Path::new("/"), &["x"]), b"/x".to_vec());
        assert_eq!(
            same_file_key(r"VOL001\IMAGES\0001\A.pdf"),
            same_file_key("IMAGES/0001/a.PDF")
        );
        assert_eq!(same_file_key("A.pdf"), "a.pdf");
        let root = Path::new("/p/VOL001");
        assert!(points_outside(r"..\..\secret\a.xlsx", root));
        assert!(points_outside("/etc/passwd", root));
        assert!(points_outside(r"C:\Users\a.pdf", root));
        assert!(!points_outside(r"D:\PROD\VOL001\IMAGES\a.pdf", root));
        assert!(!points_outside(r"..\VOL001\IMAGES\a.pdf", root));
        assert!(!points_outside(r"VOL001\NATIVES\a.xlsx", root));
    }
}
