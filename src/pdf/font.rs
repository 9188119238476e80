//! The fonts adrec writes text with: DejaVu Sans (bundled, Bitstream Vera
//! licence, `fonts/`) first, then fonts installed on the machine for the
//! characters it lacks (CJK, Devanagari, Thai…). A [`FontSet`] answers "can
//! this text be shown?" before anything is written; [`FontSet::prepare`]
//! lays out every text of a volume once and subsets each face once, giving
//! the [`Fonts`](super::embed::Fonts) value passed to the stamper.
//!
//! Installed fonts are searched in the folders named by `ADREC_FONT_DIRS`
//! (separated by `:`; an empty folder means "no installed fonts"), or else in
//! the usual system folders.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};

/// The installed fonts of each set of search folders (`None`: the system's),
/// listed once per process: a volume's checks and its writing share them.
static INSTALLED: Mutex<BTreeMap<Option<Vec<PathBuf>>, Arc<fontdb::Database>>> =
    Mutex::new(BTreeMap::new());
/// Font files read so far, kept for the whole run (a collection serves
/// several faces, and a CJK collection is tens of megabytes).
static LOADED: Mutex<BTreeMap<PathBuf, &'static [u8]>> = Mutex::new(BTreeMap::new());

/// The bundled font, embedded in the binary.
pub const BUNDLED: &[u8] = include_bytes!("../../fonts/DejaVuSans.ttf");
/// The environment variable that replaces the installed-font search folders.
pub const DIRS_ENV: &str = "ADREC_FONT_DIRS";

/// One font face adrec can draw with.
pub struct Face {
    /// PostScript name (or family) for the PDF `/BaseFont`.
    pub name: String,
    /// Where it came from, for `--dry-run`.
    pub origin: String,
    pub data: &'static [u8],
    pub index: u32,
    pub shaper: rustybuzz::Face<'static>,
}

impl Face {
    fn new(name: String, origin: String, data: &'static [u8], index: u32) -> Option<Face> {
        let shaper = rustybuzz::Face::from_slice(data, index)?;
        Some(Face {
            name,
            origin,
            data,
            index,
            shaper,
        })
    }

    pub fn covers(&self, c: char) -> bool {
        self.shaper.glyph_index(c).is_some()
    }
}

/// The bundled face and the installed faces taken so far, in order of use.
pub struct FontSet {
    pub faces: Vec<Face>,
    dirs: Option<Vec<PathBuf>>,
}

impl Default for FontSet {
    fn default() -> Self {
        FontSet::new()
    }
}

impl FontSet {
    /// The bundled font; installed fonts from `ADREC_FONT_DIRS` or the system.
    pub fn new() -> FontSet {
        let dirs = std::env::var_os(DIRS_ENV).map(|v| {
            std::env::split_paths(&v)
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        });
        FontSet::with_dirs(dirs)
    }

    /// `dirs`: the installed-font folders, or `None` for the system's.
    pub fn with_dirs(dirs: Option<Vec<PathBuf>>) -> FontSet {
        let bundled = Face::new("DejaVuSans".into(), "bundled".into(), BUNDLED, 0);
        FontSet {
            faces: bundled.into_iter().collect(),
            dirs,
        }
    }

    /// The face that draws `c`: the first taken that covers it, else an
    /// installed face that does (taken from now on), else `None`.
    pub fn face_for(&mut self, c: char) -> Option<usize> {
        if !needs_glyph(c) {
            return Some(0);
        }
        if let Some(i) = self.faces.iter().position(|f| f.covers(c)) {
            return Some(i);
        }
        let face = self.find_installed(c)?;
        self.faces.push(face);
        Some(self.faces.len() - 1)
    }

    /// The first character of `text` no available font can show.
    pub fn missing(&mut self, text: &str) -> Option<char> {
        text.chars().find(|c| self.face_for(*c).is_none())
    }

    /// The installed fonts of this set's folders, listed once per process.
    fn database(&self) -> Arc<fontdb::Database> {
        let mut listed = INSTALLED.lock().unwrap_or_else(PoisonError::into_inner);
        listed
            .entry(self.dirs.clone())
            .or_insert_with(|| {
                let mut db = fontdb::Database::new();
                match &self.dirs {
                    Some(dirs) => dirs.iter().for_each(|d| db.load_fonts_dir(d)),
                    None => db.load_system_fonts(),
                }
                Arc::new(db)
            })
            .clone()
    }

    fn find_installed(&mut self, c: char) -> Option<Face> {
        let db = self.database();
        // Prefer upright, regular-weight sans faces; the path breaks ties so
        // the choice is the same on every run.
        let mut candidates: Vec<_> = db
            .faces()
            .map(|f| {
                let family = f
                    .families
                    .first()
                    .map(|(n, _)| n.clone())
                    .unwrap_or_default();
                let path = match &f.source {
                    fontdb::Source::File(p) | fontdb::Source::SharedFile(p, _) => Some(p.clone()),
                    fontdb::Source::Binary(_) => None,
                };
                let rank = (
                    f.style != fontdb::Style::Normal,
                    (i32::from(f.weight.0) - 400).abs(),
                    !family.contains("Sans"),
                    family.contains("Mono"),
                    !(family.contains(" SC") || family.contains("CJK SC")),
                );
                (
                    rank,
                    path,
                    f.index,
                    f.id,
                    family,
                    f.post_script_name.clone(),
                )
            })
            .collect();
        candidates.sort_by(|a, b| (&a.0, &a.1, a.2).cmp(&(&b.0, &b.1, b.2)));
        let (_, path, index, _, family, ps) = candidates.into_iter().find(|cand| {
            db.with_face_data(cand.3, |data, index| {
                ttf_parser::Face::parse(data, index)
                    .is_ok_and(|f| f.glyph_index(c).is_some() && has_outlines(&f))
            })
            .unwrap_or(false)
        })?;
        let path = path?;
        let mut loaded = LOADED.lock().unwrap_or_else(PoisonError::into_inner);
        let data = match loaded.get(&path) {
            Some(d) => *d,
            None => {
                let bytes = std::fs::read(&path).ok()?;
                // Read once per process and kept for the whole run.
                let d: &'static [u8] = Box::leak(bytes.into_boxed_slice());
                loaded.insert(path.clone(), d);
                d
            }
        };
        drop(loaded);
        let name = if ps.is_empty() {
            family.replace(' ', "")
        } else {
            ps
        };
        Face::new(name, path.display().to_string(), data, index)
    }
}

fn has_outlines(f: &ttf_parser::Face<'_>) -> bool {
    let t = f.tables();
    t.glyf.is_some() || t.cff.is_some()
}

/// Control characters are not drawn and need no font.
pub fn needs_glyph(c: char) -> bool {
    !c.is_control()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_font_covers_vietnamese_greek_cyrillic() {
        let mut set = FontSet::with_dirs(Some(vec![]));
        for text in ["Nguyễn Thị Ánh", "Παπαδόπουλος", "Иванов – Щука", "Peña"]
        {
            assert_eq!(set.missing(text), None, "{text}");
        }
        assert_eq!(set.missing("报告"), Some('报'));
        assert_eq!(set.faces.len(), 1);
    }
}
