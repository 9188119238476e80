//! Writing a PDF for a volume: a full rewrite that keeps only what the pages
//! need (no earlier revisions, Info, XMP, JavaScript, actions, outlines or
//! embedded files), decrypted, with a flat page tree; then the Bates number at
//! the bottom right and the legend at the bottom left of every page, inside
//! the visible box and upright as the reader sees the page. Each page's
//! original content is drawn as one Form XObject and the stamp is a separate
//! content stream after it, so nothing in the original can hide the stamp.
//! Bytes in, bytes out; the fonts are a value given by the caller.

use super::PdfError;
use super::embed::{Fonts, Line};
use super::place::{self, media_box, visible_box};
use super::read::{load, page_ids};
use lopdf::{Dictionary, Document, Object, ObjectId, Stream, StringFormat};
use sha2::{Digest, Sha256};

/// What goes on the pages of one output file.
#[derive(Clone)]
pub struct Labels<'a> {
    /// One Bates number per page, in page order.
    pub bates: &'a [String],
    pub legend: Option<&'a str>,
    /// `false` for `--no-stamp`: rewrite only.
    pub stamp: bool,
    /// Every page gets a strip below its visible box (`placement = "strip"`).
    pub strip: bool,
    /// The volume's fonts: every text above was prepared with them.
    pub fonts: &'a Fonts,
}

/// A written PDF and, per page, the SHA-256 of the original content its
/// Form XObject carries (empty when nothing was wrapped).
pub struct Output {
    pub pdf: Vec<u8>,
    pub forms: Vec<[u8; 32]>,
}

/// The resource name of the Form XObject holding a page's original content.
pub(crate) const PAGE_FORM: &[u8] = b"AdrecPage";

/// Catalog entries that survive the rewrite: the pages, and the optional
/// content and forms a reviewer confirmed (`--hidden-reviewed`; otherwise
/// production is blocked before this runs).
const CATALOG_KEEP: [&[u8]; 4] = [b"Type", b"Pages", b"OCProperties", b"AcroForm"];
/// Page entries that survive: what rendering needs.
const PAGE_KEEP: [&[u8]; 11] = [
    b"Type",
    b"Parent",
    b"Resources",
    b"MediaBox",
    b"CropBox",
    b"Rotate",
    b"Contents",
    b"Annots",
    b"Group",
    b"UserUnit",
    b"BleedBox",
];

/// Rewrites and stamps `source` (a readable PDF). `id_seed` makes the file
/// `/ID` derive from content.
pub fn rewrite(source: &[u8], labels: &Labels<'_>, id_seed: &str) -> Result<Output, PdfError> {
    let mut doc = load(source)?;
    let pages = page_ids(&doc)?;
    if pages.len() != labels.bates.len() {
        return Err(PdfError::Corrupt(format!(
            "the PDF has {} pages but {} Bates numbers were planned",
            pages.len(),
            labels.bates.len()
        )));
    }
    super::guarded("PDF", || {
        flatten(&mut doc, &pages)?;
        let forms = stamp_pages(&mut doc, &pages, labels, None)?;
        Ok(Output {
            pdf: finish(doc, id_seed)?,
            forms,
        })
    })
}

/// A one-page slip sheet (Letter) with `heading` and `lines`, stamped like
/// any page. Every text must have been prepared in `labels.fonts`. A volume
/// keeps one [`SlipTemplate`](super::slip::SlipTemplate) for all its slips.
pub fn slip_sheet(
    heading: &str,
    lines: &[String],
    labels: &Labels<'_>,
    id_seed: &str,
) -> Result<Vec<u8>, PdfError> {
    super::slip::SlipTemplate::new(labels.fonts).render(heading, lines, labels, id_seed)
}

/// An attribute of a page, inherited from its ancestors if not on the page.
fn inherited(doc: &Document, page: ObjectId, key: &[u8]) -> Option<Object> {
    let mut node = doc.get_dictionary(page).ok()?;
    for _ in 0..64 {
        if let Ok(value) = node.get(key) {
            return Some(match value {
                Object::Reference(id) => doc.get_object(*id).ok()?.clone(),
                other => other.clone(),
            });
        }
        let parent = node.get(b"Parent").and_then(Object::as_reference).ok()?;
        node = doc.get_dictionary(parent).ok()?;
    }
    None
}

/// Rebuilds the catalog, trailer and page tree so only what pages need is
/// reachable; inherited attributes move onto each page.
fn flatten(doc: &mut Document, pages: &[ObjectId]) -> Result<(), PdfError> {
    let root = doc
        .trailer
        .get(b"Root")
        .and_then(Object::as_reference)
        .map_err(|_| PdfError::Corrupt("the PDF has no catalog".into()))?;
    let tree = doc.new_object_id();
    for (n, &page) in pages.iter().enumerate() {
        let attrs: Vec<(&[u8], Option<Object>)> =
            [b"Resources".as_slice(), b"MediaBox", b"CropBox", b"Rotate"]
                .into_iter()
                .map(|k| (k, inherited(doc, page, k)))
                .collect();
        let dict = doc
            .get_dictionary_mut(page)
            .map_err(|_| PdfError::page(n + 1))?;
        for (key, value) in attrs {
            if let Some(value) = value {
                dict.set(key, value);
            }
        }
        let drop: Vec<Vec<u8>> = dict
            .iter()
            .map(|(k, _)| k.clone())
            .filter(|k| !PAGE_KEEP.contains(&k.as_slice()))
            .collect();
        for k in drop {
            dict.remove(&k);
        }
        dict.set("Type", Object::Name(b"Page".to_vec()));
        dict.set("Parent", Object::Reference(tree));
        if dict.get(b"MediaBox").is_err() {
            dict.set(
                "MediaBox",
                Object::Array(vec![0.into(), 0.into(), 612.into(), 792.into()]),
            );
        }
        super::scrub::annotation_actions(doc, page);
    }
    let mut node = Dictionary::new();
    node.set("Type", Object::Name(b"Pages".to_vec()));
    node.set(
        "Kids",
        Object::Array(pages.iter().map(|p| Object::Reference(*p)).collect()),
    );
    node.set("Count", pages.len() as i64);
    doc.objects.insert(tree, Object::Dictionary(node));
    let catalog = doc
        .get_dictionary_mut(root)
        .map_err(|_| PdfError::Corrupt("the PDF's catalog cannot be read".into()))?;
    let drop: Vec<Vec<u8>> = catalog
        .iter()
        .map(|(k, _)| k.clone())
        .filter(|k| !CATALOG_KEEP.contains(&k.as_slice()))
        .collect();
    for k in drop {
        catalog.remove(&k);
    }
    catalog.set("Pages", Object::Reference(tree));
    super::scrub::form_scripts(doc, root);
    super::scrub::xobject_metadata(doc);
    let mut trailer = Dictionary::new();
    trailer.set("Root", Object::Reference(root));
    doc.trailer = trailer;
    Ok(())
}

/// The page's original content as one byte string: a single stream's bytes
/// as stored (with its filters), or several streams decoded and joined.
/// A stream that cannot be decoded draws nothing in any reader and is left out.
fn original_content(doc: &Document, page: &Dictionary) -> Stream {
    let refs: Vec<ObjectId> = match page.get(b"Contents") {
        Ok(Object::Array(items)) => items.iter().filter_map(|o| o.as_reference().ok()).collect(),
        Ok(Object::Reference(id)) => match doc.get_object(*id) {
            Ok(Object::Array(items)) => {
                items.iter().filter_map(|o| o.as_reference().ok()).collect()
            }
            _ => vec![*id],
        },
        _ => Vec::new(),
    };
    let streams: Vec<&Stream> = refs
        .iter()
        .filter_map(|id| doc.get_object(*id).and_then(Object::as_stream).ok())
        .collect();
    if let [one] = streams.as_slice() {
        let mut dict = Dictionary::new();
        for key in [b"Filter".as_slice(), b"DecodeParms"] {
            if let Ok(v) = one.dict.get(key) {
                dict.set(key, v.clone());
            }
        }
        return Stream::new(dict, one.content.clone()).with_compression(false);
    }
    let mut joined = Vec::new();
    for s in streams {
        let bytes = if s.dict.get(b"Filter").is_ok() {
            match s.decompressed_content() {
                Ok(b) => b,
                Err(_) => continue,
            }
        } else {
            s.content.clone()
        };
        joined.extend(bytes);
        joined.push(b'\n');
    }
    Stream::new(Dictionary::new(), joined)
}

/// The stamp's lines: each page's Bates number, then the legend if any.
fn stamp_lines<'f>(labels: &Labels<'f>) -> Result<Vec<std::borrow::Cow<'f, Line>>, PdfError> {
    if !labels.stamp {
        return Ok(Vec::new());
    }
    let fonts = labels.fonts;
    let mut lines = labels
        .bates
        .iter()
        .map(|b| fonts.line(b))
        .collect::<Result<Vec<_>, PdfError>>()?;
    if let Some(legend) = labels.legend.filter(|l| !l.is_empty()) {
        lines.push(fonts.line(legend)?);
    }
    Ok(lines)
}

/// Stamps `pages`. `font_dict`: a font dictionary already in `doc` that
/// covers the stamp's text (a slip sheet's), so the font is embedded once.
fn stamp_pages(
    doc: &mut Document,
    pages: &[ObjectId],
    labels: &Labels<'_>,
    font_dict: Option<ObjectId>,
) -> Result<Vec<[u8; 32]>, PdfError> {
    if !labels.stamp {
        return Ok(Vec::new());
    }
    let lines = stamp_lines(labels)?;
    let (numbers, legend) = lines.split_at(labels.bates.len());
    let legend = legend.first().map(|l| l.as_ref());
    let font_dict = match font_dict {
        Some(id) => id,
        None => {
            let used: Vec<&Line> = lines.iter().map(|l| l.as_ref()).collect();
            let dict = labels.fonts.add_to(doc, &used);
            doc.add_object(dict)
        }
    };
    let draw = doc.add_object(Stream::new(
        Dictionary::new(),
        format!("/{} Do\n", String::from_utf8_lossy(PAGE_FORM)).into_bytes(),
    ));
    let mut forms = Vec::with_capacity(pages.len());
    for (n, (page_id, bates)) in pages.iter().zip(numbers).enumerate() {
        let page = doc
            .get_dictionary(*page_id)
            .map_err(|_| PdfError::page(n + 1))?;
        let rotate = page
            .get(b"Rotate")
            .ok()
            .and_then(|r| r.as_i64().ok())
            .unwrap_or(0);
        let (media, visible) = (media_box(page), visible_box(page));
        let resources = page
            .get(b"Resources")
            .cloned()
            .unwrap_or_else(|_| Object::Dictionary(Dictionary::new()));
        let mut form = original_content(doc, page);
        forms.push(Sha256::digest(&form.content).into());
        form.dict.set("Type", Object::Name(b"XObject".to_vec()));
        form.dict.set("Subtype", Object::Name(b"Form".to_vec()));
        form.dict.set("BBox", rect_object(media));
        form.dict.set("Resources", resources);
        let form = doc.add_object(form);
        let placed = place::place(visible, rotate, bates, legend, labels.strip);
        let stamp = doc.add_object(Stream::new(Dictionary::new(), placed.content));
        let mut xobjects = Dictionary::new();
        xobjects.set(PAGE_FORM, Object::Reference(form));
        let mut resources = Dictionary::new();
        resources.set("XObject", Object::Dictionary(xobjects));
        resources.set("Font", Object::Reference(font_dict));
        let page = doc
            .get_dictionary_mut(*page_id)
            .map_err(|_| PdfError::page(n + 1))?;
        if let Some(b) = placed.new_box {
            let m = [
                media[0].min(b[0]),
                media[1].min(b[1]),
                media[2].max(b[2]),
                media[3].max(b[3]),
            ];
            page.set("MediaBox", rect_object(m));
            page.set("CropBox", rect_object(b));
            page.remove(b"BleedBox");
        }
        page.set("Resources", Object::Dictionary(resources));
        page.set(
            "Contents",
            Object::Array(vec![Object::Reference(draw), Object::Reference(stamp)]),
        );
    }
    Ok(forms)
}

fn rect_object(b: [f32; 4]) -> Object {
    Object::Array(b.iter().map(|v| Object::Real(*v)).collect())
}

/// Reads a written PDF back: its page count and, when stamped, the Bates
/// number drawn on each page and (given `forms`) the original content each
/// page's Form XObject carries.
pub fn verify(
    bytes: &[u8],
    bates: &[String],
    stamped: bool,
    fonts: &Fonts,
    forms: &[[u8; 32]],
) -> Result<(), PdfError> {
    check_written(bytes, bates, stamped, fonts, forms).map_err(PdfError::Output)
}

fn check_written(
    bytes: &[u8],
    bates: &[String],
    stamped: bool,
    fonts: &Fonts,
    forms: &[[u8; 32]],
) -> Result<(), String> {
    // A slip sheet (no pages' forms to compare) is read by the quick reader
    // when it takes the file; anything else by the full one.
    if forms.is_empty()
        && let Ok(Some(pages)) = super::guarded("PDF", || {
            Ok::<_, String>(super::quick::last_contents(bytes))
        })
    {
        same_page_count(pages.len(), bates)?;
        if stamped {
            for (i, (content, number)) in pages.iter().zip(bates).enumerate() {
                carries(content, number, fonts, i)?;
            }
        }
        return Ok(());
    }
    let doc = load(bytes).map_err(|e| format!("the written PDF does not read back: {e}"))?;
    let pages = page_ids(&doc)?;
    same_page_count(pages.len(), bates)?;
    if !stamped {
        return Ok(());
    }
    for (i, (page, number)) in pages.iter().zip(bates).enumerate() {
        let last = doc
            .get_page_contents(*page)
            .last()
            .copied()
            .ok_or_else(|| format!("page {} has no content", i + 1))?;
        let stream = doc
            .get_object(last)
            .and_then(Object::as_stream)
            .map_err(|_| format!("page {} has no stamp", i + 1))?;
        let content = stream
            .decompressed_content()
            .unwrap_or_else(|_| stream.content.clone());
        carries(&content, number, fonts, i)?;
        if let Some(expected) = forms.get(i) {
            let carried = doc
                .get_dictionary(*page)
                .ok()
                .and_then(|p| p.get_deref(b"Resources", &doc).ok())
                .and_then(|r| r.as_dict().ok())
                .and_then(|r| r.get_deref(b"XObject", &doc).ok())
                .and_then(|x| x.as_dict().ok())
                .and_then(|x| x.get_deref(PAGE_FORM, &doc).ok())
                .and_then(|f| f.as_stream().ok())
                .is_some_and(|f| Sha256::digest(&f.content).as_slice() == expected);
            if !carried {
                return Err(format!(
                    "page {} no longer draws its original content",
                    i + 1
                ));
            }
        }
    }
    Ok(())
}

/// The written PDF has a page for each planned number.
fn same_page_count(pages: usize, bates: &[String]) -> Result<(), String> {
    if pages == bates.len() {
        Ok(())
    } else {
        Err(format!(
            "the written PDF has {pages} pages, {} expected",
            bates.len()
        ))
    }
}

/// Page `i` (from 0), whose last content stream is `content`, shows `number`.
fn carries(content: &[u8], number: &str, fonts: &Fonts, i: usize) -> Result<(), String> {
    let shown = Fonts::show(&*fonts.line(number)?, 1.0);
    let found = shown
        .split(|b| *b == b'\n')
        .filter_map(|op| op.iter().position(|b| *b == b'<').map(|at| &op[at..]))
        .all(|hex| content.windows(hex.len()).any(|w| w == hex));
    if found {
        Ok(())
    } else {
        Err(format!(
            "page {} does not carry Bates number {number}",
            i + 1
        ))
    }
}

pub(super) fn finish(mut doc: Document, id_seed: &str) -> Result<Vec<u8>, PdfError> {
    super::fonts_once::merge_repeated_fonts(&mut doc);
    doc.prune_objects();
    doc.renumber_objects();
    let id = Sha256::digest(id_seed.as_bytes());
    let id = Object::String(id[..16].to_vec(), StringFormat::Hexadecimal);
    doc.trailer.set("ID", Object::Array(vec![id.clone(), id]));
    doc.trailer.remove(b"Info");
    let mut out = Vec::new();
    doc.save_to(&mut out)
        .map_err(|e| PdfError::Output(format!("could not write the PDF: {e}")))?;
    Ok(out)
}

#[cfg(test)]
mod fixture_tests {
    use super::*;
    use crate::pdf::font::FontSet;
    use std::path::Path;

    const LEGEND: &str = "CONFIDENTIAL – SUBJECT TO PROTECTIVE ORDER";

    /// Every readable fixture rewrites, stamps and reads back with its numbers.
    #[test]
    fn every_readable_fixture_is_rewritten_and_reads_back() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pdf");
        let out_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/stamp-check");
        std::fs::create_dir_all(&out_dir).unwrap();
        let mut done = 0;
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let bytes = std::fs::read(&path).unwrap();
            let Ok(facts) = crate::pdf::inspect(&bytes) else {
                continue;
            };
            let bates: Vec<String> = (1..=facts.pages).map(|n| format!("ABC-{n:06}")).collect();
            let fonts = FontSet::with_dirs(Some(vec![]))
                .prepare(bates.iter().map(String::as_str).chain([LEGEND]))
                .unwrap();
            let labels = Labels {
                bates: &bates,
                legend: Some(LEGEND),
                stamp: true,
                strip: false,
                fonts: &fonts,
            };
            let out = rewrite(&bytes, &labels, "seed")
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            verify(&out.pdf, &bates, true, &fonts, &out.forms)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let out = out.pdf;
            std::fs::write(out_dir.join(path.file_name().unwrap()), &out).unwrap();
            assert!(
                !out.windows(6).any(|w| w == b"/Info "),
                "{}: Info kept",
                path.display()
            );
            assert_eq!(
                out.windows(5).filter(|w| w == b"%%EOF").count(),
                1,
                "{}: one revision",
                path.display()
            );
            done += 1;
        }
        assert!(done >= 18, "{done}");
    }

    #[test]
    fn slip_sheets_show_any_prepared_text_and_wrap_long_names() {
        let bates = vec!["ABC-000001".to_string()];
        let name = "File name: Nguyễn – Παπαδόπουλος – Щука – a very long name that must wrap at the right margin of the slip sheet.docx";
        let fonts = FontSet::with_dirs(Some(vec![]))
            .prepare(["ABC-000001", "Withheld – Privileged", name])
            .unwrap();
        let wrapped = fonts.wrap(&fonts.line(name).unwrap(), 200.0, 12.0);
        assert!(wrapped.len() > 1);
        assert!(wrapped.iter().all(|l| l.width(12.0) <= 200.0));
        let labels = Labels {
            bates: &bates,
            legend: None,
            stamp: true,
            strip: false,
            fonts: &fonts,
        };
        let ok = slip_sheet("Withheld – Privileged", &[name.into()], &labels, "x").unwrap();
        verify(&ok, &bates, true, &fonts, &[]).unwrap();
        // Deterministic: fonts prepared afresh give the same bytes.
        let again = FontSet::with_dirs(Some(vec![]))
            .prepare([name, "Withheld – Privileged", "ABC-000001"])
            .unwrap();
        let labels_again = Labels {
            fonts: &again,
            ..labels.clone()
        };
        let twice =
            slip_sheet("Withheld – Privileged", &[name.into()], &labels_again, "x").unwrap();
        assert!(ok == twice, "same text, same bytes");
        let err =
            slip_sheet("Produced in native format", &[name.into()], &labels, "x").unwrap_err();
        assert!(
            matches!(&err, PdfError::Font(m) if m.contains("not prepared")),
            "{err:?}"
        );
    }
}
