//! Fonts a PDF names but does not embed, for the rasteriser. hayro draws the
//! 14 standard fonts from its own copies and substitutes one of them for any
//! other non-embedded font, which is what readers do for Latin text. A
//! Chinese, Japanese or Korean CID font has no such substitute: without an
//! installed CJK font hayro draws nothing for it, silently. So those are
//! taken from the installed fonts (the same `ADREC_FONT_DIRS` or system
//! folders the stamps use), and when none is installed the page is not
//! drawn: `missing` is set and the caller blocks the page.

use hayro::hayro_interpret::font::{FallbackFontQuery, FontData, FontQuery};
use hayro::hayro_interpret::hayro_cmap::CidFamily;
use hayro::hayro_interpret::{FontResolverFn, InterpreterSettings};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

/// The CJK scripts, by the CID collection a font declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Script {
    Simplified,
    Traditional,
    Japanese,
    Korean,
}

impl Script {
    fn of(family: &CidFamily) -> Option<Script> {
        match family {
            CidFamily::AdobeGB1 => Some(Script::Simplified),
            CidFamily::AdobeCNS1 => Some(Script::Traditional),
            CidFamily::AdobeJapan1 => Some(Script::Japanese),
            CidFamily::AdobeKorea1 => Some(Script::Korean),
            _ => None,
        }
    }

    /// Installed families that draw the script, best first.
    fn families(self) -> &'static [&'static str] {
        match self {
            Script::Simplified => &[
                "Noto Sans CJK SC",
                "Noto Serif CJK SC",
                "Source Han Sans SC",
            ],
            Script::Traditional => &[
                "Noto Sans CJK TC",
                "Noto Serif CJK TC",
                "Source Han Sans TC",
            ],
            Script::Japanese => &[
                "Noto Sans CJK JP",
                "Noto Serif CJK JP",
                "Source Han Sans JP",
            ],
            Script::Korean => &[
                "Noto Sans CJK KR",
                "Noto Serif CJK KR",
                "Source Han Sans KR",
            ],
        }
    }
}

type Found = Option<(FontData, u32)>;

fn database() -> &'static fontdb::Database {
    static DB: OnceLock<fontdb::Database> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = fontdb::Database::new();
        match std::env::var_os(crate::pdf::font::DIRS_ENV) {
            Some(dirs) => std::env::split_paths(&dirs)
                .filter(|p| !p.as_os_str().is_empty())
                .for_each(|d| db.load_fonts_dir(d)),
            None => db.load_system_fonts(),
        }
        db
    })
}

/// The installed face for `script`, read once per process.
fn installed(script: Script) -> Found {
    static CACHE: OnceLock<Mutex<HashMap<Script, Found>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Mutex::default);
    if let Ok(map) = cache.lock()
        && let Some(found) = map.get(&script)
    {
        return found.clone();
    }
    let db = database();
    // By family name in order of preference; the path breaks ties so the
    // choice (and so the image) is the same on every run.
    let mut faces: Vec<_> = db
        .faces()
        .filter_map(|f| {
            let family = f.families.first().map(|(n, _)| n.as_str())?;
            let rank = script.families().iter().position(|p| *p == family)?;
            let path = match &f.source {
                fontdb::Source::File(p) | fontdb::Source::SharedFile(p, _) => p.clone(),
                fontdb::Source::Binary(_) => std::path::PathBuf::new(),
            };
            Some((
                rank,
                f.weight != fontdb::Weight::NORMAL,
                path,
                f.index,
                f.id,
            ))
        })
        .collect();
    faces.sort_by(|a, b| (a.0, a.1, &a.2, a.3).cmp(&(b.0, b.1, &b.2, b.3)));
    let found: Found = faces.first().and_then(|&(.., id)| {
        db.with_face_data(id, |data, index| {
            let data: FontData = Arc::new(data.to_vec());
            (data, index)
        })
    });
    if let Ok(mut map) = cache.lock() {
        map.insert(script, found.clone());
    }
    found
}

fn fallback(query: &FallbackFontQuery, missing: &AtomicBool) -> Found {
    let script = query
        .character_collection
        .as_ref()
        .and_then(|c| Script::of(&c.family));
    match script {
        Some(script) => {
            let found = installed(script);
            if found.is_none() {
                missing.store(true, Ordering::Relaxed);
            }
            found
        }
        None => Some(query.pick_standard_font().get_font_data()),
    }
}

/// Interpreter settings whose font resolver uses installed CJK fonts and
/// sets `missing` when a page needs one that is not installed.
pub fn settings(missing: Arc<AtomicBool>) -> InterpreterSettings {
    let resolver: FontResolverFn = Arc::new(move |query| match query {
        FontQuery::Standard(s) => Some(s.get_font_data()),
        FontQuery::Fallback(f) => fallback(f, &missing),
    });
    InterpreterSettings {
        font_resolver: resolver,
        ..Default::default()
    }
}
