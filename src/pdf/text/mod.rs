//! Text extraction from PDFs, written on the PDF reader adrec already has:
//! a content-stream interpreter (`interp`) over fonts (`font`, `cmap`,
//! standard encodings in `tables`), reading order by position (`layout`),
//! and the covered-text check (`cover`) from the same pass. Never panics:
//! a damaged stream gives the text read so far and a problem note.

mod cmap;
mod cover;
mod font;
mod image;
mod interp;
mod layout;
mod page;
mod tables;

pub use interp::{Glyph, Matrix};

use super::PdfError;
use lopdf::{Document, Object};

/// The extractor's revision: raise it whenever what [`extract`] returns for
/// the same bytes changes, so texts kept by the matter's text cache
/// (`matter::text_cache`) from the old extractor are not read.
pub const REVISION: u32 = 1;

/// One page's text and what the covered-text check found on it.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PageText {
    /// Lines joined with `\n`, no trailing newline; empty for a page with
    /// no text layer.
    pub text: String,
    /// Characters hidden under something painted over them.
    pub covered: usize,
    /// What could not be read on the page (the text stops there).
    pub problems: Vec<String>,
}

/// A document's text, page by page.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DocText {
    pub pages: Vec<PageText>,
}

/// Every glyph of a page with its box, for callers that need positions.
#[derive(Debug, Clone)]
pub struct PageGlyphs {
    pub glyphs: Vec<Glyph>,
    pub covered: Vec<bool>,
}

impl DocText {
    /// Adds pages of `text` until there are `pages` (padding pages).
    pub fn pad_to(&mut self, pages: usize, text: &str) {
        while self.pages.len() < pages {
            self.pages.push(PageText {
                text: text.to_string(),
                ..Default::default()
            });
        }
    }

    /// A text made of already-known pages (natives, slip sheets).
    pub fn from_pages(pages: impl IntoIterator<Item = String>) -> DocText {
        DocText {
            pages: pages
                .into_iter()
                .map(|text| PageText {
                    text,
                    ..Default::default()
                })
                .collect(),
        }
    }

    /// The text file's bytes: UTF-8 with BOM, CRLF line ends, a form feed
    /// between pages (so text pagination follows the images).
    pub fn file_bytes(&self) -> Vec<u8> {
        let mut out = String::from("\u{FEFF}");
        for (i, page) in self.pages.iter().enumerate() {
            if i > 0 {
                out.push('\u{0C}');
            }
            for line in page.text.split('\n') {
                if page.text.is_empty() {
                    break;
                }
                out.push_str(line.trim_end_matches('\r'));
                out.push_str("\r\n");
            }
        }
        out.into_bytes()
    }

    /// Pages (from 1) with covered characters, and how many.
    pub fn covered_pages(&self) -> Vec<(usize, usize)> {
        self.pages
            .iter()
            .enumerate()
            .filter(|(_, p)| p.covered > 0)
            .map(|(i, p)| (i + 1, p.covered))
            .collect()
    }

    /// Pages with no text at all (scans without a text layer).
    pub fn empty_pages(&self) -> usize {
        self.pages
            .iter()
            .filter(|p| p.text.trim().is_empty())
            .count()
    }
}

/// A page attribute, inherited from the page tree when the page lacks it.
fn inherited<'d>(doc: &'d Document, page: lopdf::ObjectId, key: &[u8]) -> Option<&'d Object> {
    let mut id = page;
    for _ in 0..32 {
        let d = doc.get_dictionary(id).ok()?;
        if let Ok(o) = d.get(key) {
            return doc.dereference(o).ok().map(|(_, o)| o);
        }
        id = d.get(b"Parent").and_then(Object::as_reference).ok()?;
    }
    None
}

fn rotation(doc: &Document, page: lopdf::ObjectId) -> i64 {
    inherited(doc, page, b"Rotate")
        .and_then(|o| o.as_i64().ok())
        .unwrap_or(0)
}

/// The visible box (CropBox, else MediaBox) as x0, y0, x1, y1.
fn visible_box(doc: &Document, page: lopdf::ObjectId) -> Option<[f32; 4]> {
    let b = inherited(doc, page, b"CropBox").or_else(|| inherited(doc, page, b"MediaBox"))?;
    let v: Vec<f32> = b
        .as_array()
        .ok()?
        .iter()
        .filter_map(|o| doc.dereference(o).ok().and_then(|(_, o)| o.as_float().ok()))
        .collect();
    (v.len() == 4).then(|| {
        [
            v[0].min(v[2]),
            v[1].min(v[3]),
            v[0].max(v[2]),
            v[1].max(v[3]),
        ]
    })
}

/// The glyphs of page `n` (from 1) of a loaded document, with the
/// covered-text verdict of each.
pub fn page_glyphs(doc: &Document, page: lopdf::ObjectId) -> (PageGlyphs, Vec<String>) {
    glyphs_with(&mut interp::Interpreter::new(doc), page)
}

fn glyphs_with(
    it: &mut interp::Interpreter<'_>,
    page: lopdf::ObjectId,
) -> (PageGlyphs, Vec<String>) {
    let rec = it.page(page);
    let covered = cover::covered(&rec);
    (
        PageGlyphs {
            glyphs: rec.glyphs,
            covered,
        },
        rec.problems,
    )
}

/// Extracts the text of every page of a loaded document.
pub fn extract_doc(doc: &Document) -> Result<DocText, PdfError> {
    let pages = super::read::page_ids(doc)?;
    let mut out = DocText::default();
    let mut it = interp::Interpreter::new(doc);
    for (i, id) in pages.into_iter().enumerate() {
        let page = super::guarded("PDF text", || {
            let rotate = rotation(doc, id);
            let (g, problems) = glyphs_with(&mut it, id);
            // Text outside the visible box is not on the page a reader sees.
            let shown: Vec<&Glyph> = match visible_box(doc, id) {
                Some([x0, y0, x1, y1]) => g
                    .glyphs
                    .iter()
                    .filter(|gl| {
                        let (x, y) = gl.start;
                        x >= x0 - 1.0 && x <= x1 + 1.0 && y >= y0 - 1.0 && y <= y1 + 1.0
                    })
                    .collect(),
                None => g.glyphs.iter().collect(),
            };
            Ok::<_, PdfError>(PageText {
                text: layout::page_text(&shown, rotate),
                covered: cover::covered_chars(&g.glyphs, &g.covered),
                problems,
            })
        })
        .unwrap_or_else(|e| PageText {
            problems: vec![format!("page {}: {e}", i + 1)],
            ..Default::default()
        });
        out.pages.push(page);
    }
    Ok(out)
}

/// Pages (from 1) with covered characters, and how many: the covered-text
/// verdicts of [`extract`] without laying out the text (the audit's check).
pub fn covered_pages(bytes: &[u8]) -> Result<Vec<(usize, usize)>, PdfError> {
    let doc = super::read::load(bytes)?;
    let pages = super::read::page_ids(&doc)?;
    let mut it = interp::Interpreter::new(&doc);
    let mut out = Vec::new();
    for (i, id) in pages.into_iter().enumerate() {
        let covered = super::guarded("PDF text", || {
            let (g, _) = glyphs_with(&mut it, id);
            Ok::<_, PdfError>(cover::covered_chars(&g.glyphs, &g.covered))
        })
        .unwrap_or(0);
        if covered > 0 {
            out.push((i + 1, covered));
        }
    }
    Ok(out)
}

/// Extracts the text of every page of a PDF's bytes.
pub fn extract(bytes: &[u8]) -> Result<DocText, PdfError> {
    let doc = super::read::load(bytes)?;
    extract_doc(&doc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::dictionary;

    fn fixture(name: &str) -> Vec<u8> {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/text")
            .join(name);
        std::fs::read(path).expect("fixture")
    }

    #[test]
    fn file_bytes_are_bom_crlf_and_form_feeds() {
        let t = DocText::from_pages(["a\nb".to_string(), String::new(), "c".to_string()]);
        assert_eq!(
            t.file_bytes(),
            "\u{FEFF}a\r\nb\r\n\u{0C}\u{0C}c\r\n".as_bytes()
        );
        assert_eq!(t.empty_pages(), 1);
    }

    #[test]
    fn broken_content_keeps_the_text_before_the_fault() {
        let mut doc = lopdf::Document::with_version("1.4");
        let pages_id = doc.new_object_id();
        let font = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
        });
        let content = doc.add_object(lopdf::Stream::new(
            dictionary! {},
            b"BT /F1 12 Tf 72 700 Td (Kept words) Tj ET BT /F1 12 Tf 72 680 Td (lost Tj ET <<\x01 /A (unterminated"
                .to_vec(),
        ));
        let page = doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => content,
            "MediaBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
            "Resources" => dictionary! { "Font" => dictionary! { "F1" => font } },
        });
        doc.objects.insert(
            pages_id,
            lopdf::Object::Dictionary(dictionary! {
                "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1,
            }),
        );
        let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
        doc.trailer.set("Root", catalog);
        let t = extract_doc(&doc).expect("extracts");
        assert_eq!(t.pages[0].text, "Kept words");
        assert_eq!(t.pages[0].problems.len(), 1, "{:?}", t.pages[0].problems);
    }

    #[test]
    fn covered_verdicts_of_the_fixtures() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/text");
        let mut seen = 0;
        for entry in std::fs::read_dir(dir).expect("fixtures") {
            let name = entry
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .into_owned();
            if !name.starts_with("cover_") || !name.ends_with(".pdf") {
                continue;
            }
            seen += 1;
            let t = extract(&fixture(&name)).expect("readable");
            let covered = t.covered_pages();
            if name.starts_with("cover_bad_") {
                assert!(!covered.is_empty(), "{name} must be flagged");
            } else {
                assert!(
                    covered.is_empty(),
                    "{name} must not be flagged: {covered:?}"
                );
            }
        }
        assert!(seen >= 15, "only {seen} covered-text fixtures");
    }
}
