//! Writing a PDF for a volume: a full rewrite that keeps only what the pages
//! need (no earlier revisions, Info, XMP, JavaScript, actions, outlines or
//! embedded files), decrypted, with a flat page tree; then the Bates number at
//! the bottom right and the legend at the bottom left of every page, inside
//! the visible box and upright as the reader sees the page, on top of the
//! content. Bytes in, bytes out.

use super::font;
use super::read::{load, page_ids};
use lopdf::{Dictionary, Document, Object, ObjectId, Stream, StringFormat};
use sha2::{Digest, Sha256};

/// What goes on the pages of one output file.
#[derive(Debug, Clone)]
pub struct Labels<'a> {
    /// One Bates number per page, in page order.
    pub bates: &'a [String],
    pub legend: Option<&'a str>,
    /// `false` for `--no-stamp`: rewrite only.
    pub stamp: bool,
}

const FONT_KEY: &[u8] = b"AdrecStamp";

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
pub fn rewrite(source: &[u8], labels: &Labels<'_>, id_seed: &str) -> Result<Vec<u8>, String> {
    let mut doc = load(source)?;
    let pages = page_ids(&doc)?;
    if pages.len() != labels.bates.len() {
        return Err(format!(
            "the PDF has {} pages but {} Bates numbers were planned",
            pages.len(),
            labels.bates.len()
        ));
    }
    super::guarded("PDF", || {
        flatten(&mut doc, &pages)?;
        stamp_pages(&mut doc, &pages, labels)?;
        finish(doc, id_seed)
    })
}

/// A one-page slip sheet (Letter) with `heading` and `lines`, stamped like any page.
pub fn slip_sheet(
    heading: &str,
    lines: &[String],
    labels: &Labels<'_>,
    id_seed: &str,
) -> Result<Vec<u8>, String> {
    for text in std::iter::once(heading).chain(lines.iter().map(String::as_str)) {
        if let Some(c) = font::unsupported(text) {
            return Err(unsupported_message(c, text));
        }
    }
    let mut doc = Document::with_version("1.7");
    let font = doc.add_object(font_dictionary());
    let mut content =
        format!("BT /{} 20 Tf 72 700 Td ", String::from_utf8_lossy(FONT_KEY)).into_bytes();
    content.extend(font::literal(heading));
    content.extend_from_slice(b" Tj ET\n");
    let mut y = 660.0;
    for line in lines {
        // Long file names wrap at the right margin rather than run off the page.
        for chunk in wrap(line, 468.0, 12.0) {
            content.extend(
                format!("BT /{} 12 Tf 72 {y} Td ", String::from_utf8_lossy(FONT_KEY)).into_bytes(),
            );
            content.extend(font::literal(&chunk));
            content.extend_from_slice(b" Tj ET\n");
            y -= 18.0;
        }
    }
    let contents = doc.add_object(Stream::new(Dictionary::new(), content));
    let mut fonts = Dictionary::new();
    fonts.set(FONT_KEY, Object::Reference(font));
    let mut resources = Dictionary::new();
    resources.set("Font", Object::Dictionary(fonts));
    let pages_id = doc.new_object_id();
    let mut page = Dictionary::new();
    page.set("Type", Object::Name(b"Page".to_vec()));
    page.set("Parent", Object::Reference(pages_id));
    page.set(
        "MediaBox",
        Object::Array(vec![0.into(), 0.into(), 612.into(), 792.into()]),
    );
    page.set("Resources", Object::Dictionary(resources));
    page.set("Contents", Object::Reference(contents));
    let page_id = doc.add_object(page);
    let mut pages = Dictionary::new();
    pages.set("Type", Object::Name(b"Pages".to_vec()));
    pages.set("Kids", Object::Array(vec![Object::Reference(page_id)]));
    pages.set("Count", 1);
    doc.objects.insert(pages_id, Object::Dictionary(pages));
    let mut catalog = Dictionary::new();
    catalog.set("Type", Object::Name(b"Catalog".to_vec()));
    catalog.set("Pages", Object::Reference(pages_id));
    let catalog = doc.add_object(catalog);
    doc.trailer.set("Root", Object::Reference(catalog));
    super::guarded("PDF", || {
        stamp_pages(&mut doc, &[page_id], labels)?;
        finish(doc, id_seed)
    })
}

fn unsupported_message(c: char, text: &str) -> String {
    format!(
        "the character {c:?} (U+{:04X}) in {text:?} cannot be shown by the stamp font (Latin-1 and Windows-1252 only)",
        c as u32
    )
}

fn wrap(text: &str, max_width: f32, size: f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for c in text.chars() {
        line.push(c);
        if font::width(&line, size) > max_width && line.chars().count() > 1 {
            line.pop();
            lines.push(std::mem::replace(&mut line, c.to_string()));
        }
    }
    lines.push(line);
    lines
}

fn font_dictionary() -> Dictionary {
    let mut f = Dictionary::new();
    f.set("Type", Object::Name(b"Font".to_vec()));
    f.set("Subtype", Object::Name(b"Type1".to_vec()));
    f.set("BaseFont", Object::Name(b"Helvetica".to_vec()));
    f.set("Encoding", Object::Name(b"WinAnsiEncoding".to_vec()));
    f
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
fn flatten(doc: &mut Document, pages: &[ObjectId]) -> Result<(), String> {
    let root = doc
        .trailer
        .get(b"Root")
        .and_then(Object::as_reference)
        .map_err(|_| "the PDF has no catalog".to_string())?;
    let tree = doc.new_object_id();
    for &page in pages {
        let attrs: Vec<(&[u8], Option<Object>)> =
            [b"Resources".as_slice(), b"MediaBox", b"CropBox", b"Rotate"]
                .into_iter()
                .map(|k| (k, inherited(doc, page, k)))
                .collect();
        let dict = doc
            .get_dictionary_mut(page)
            .map_err(|_| "a page of the PDF cannot be read".to_string())?;
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
        strip_annotation_actions(doc, page);
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
        .map_err(|_| "the PDF's catalog cannot be read".to_string())?;
    let drop: Vec<Vec<u8>> = catalog
        .iter()
        .map(|(k, _)| k.clone())
        .filter(|k| !CATALOG_KEEP.contains(&k.as_slice()))
        .collect();
    for k in drop {
        catalog.remove(&k);
    }
    catalog.set("Pages", Object::Reference(tree));
    let mut trailer = Dictionary::new();
    trailer.set("Root", Object::Reference(root));
    doc.trailer = trailer;
    Ok(())
}

/// Links stay; their JavaScript and launch actions, and every annotation's
/// additional actions, do not.
fn strip_annotation_actions(doc: &mut Document, page: ObjectId) {
    let annots: Vec<ObjectId> = doc
        .get_dictionary(page)
        .ok()
        .and_then(|p| p.get_deref(b"Annots", doc).ok())
        .and_then(|a| a.as_array().ok())
        .map(|a| a.iter().filter_map(|o| o.as_reference().ok()).collect())
        .unwrap_or_default();
    for id in annots {
        if let Ok(annot) = doc.get_dictionary_mut(id) {
            annot.remove(b"AA");
            let scripted = annot
                .get(b"A")
                .and_then(Object::as_dict)
                .and_then(|a| a.get(b"S"))
                .and_then(Object::as_name)
                .is_ok_and(|s| s == b"JavaScript" || s == b"Launch");
            if scripted {
                annot.remove(b"A");
            }
        }
    }
}

fn number(o: &Object) -> Option<f32> {
    match o {
        Object::Integer(i) => Some(*i as f32),
        Object::Real(r) => Some(*r),
        _ => None,
    }
}

fn rect(o: Option<&Object>) -> Option<[f32; 4]> {
    let a = o?.as_array().ok()?;
    if a.len() != 4 {
        return None;
    }
    let v: Vec<f32> = a.iter().filter_map(number).collect();
    (v.len() == 4).then(|| {
        [
            v[0].min(v[2]),
            v[1].min(v[3]),
            v[0].max(v[2]),
            v[1].max(v[3]),
        ]
    })
}

/// The box a reader sees: CropBox within MediaBox.
fn visible_box(page: &Dictionary) -> [f32; 4] {
    let media = rect(page.get(b"MediaBox").ok()).unwrap_or([0.0, 0.0, 612.0, 792.0]);
    match rect(page.get(b"CropBox").ok()) {
        Some(c) => {
            let b = [
                c[0].max(media[0]),
                c[1].max(media[1]),
                c[2].min(media[2]),
                c[3].min(media[3]),
            ];
            if b[2] > b[0] && b[3] > b[1] { b } else { media }
        }
        None => media,
    }
}

/// The matrix from "reader's view" coordinates (origin bottom left of what
/// the reader sees, upright) to page space, and the view's width and height.
pub fn view_matrix(b: [f32; 4], rotate: i64) -> ([f32; 6], f32, f32) {
    let [x0, y0, x1, y1] = b;
    let (w, h) = (x1 - x0, y1 - y0);
    match rotate.rem_euclid(360) {
        90 => ([0.0, 1.0, -1.0, 0.0, x1, y0], h, w),
        180 => ([-1.0, 0.0, 0.0, -1.0, x1, y1], w, h),
        270 => ([0.0, -1.0, 1.0, 0.0, x0, y1], h, w),
        _ => ([1.0, 0.0, 0.0, 1.0, x0, y0], w, h),
    }
}

fn stamp_pages(doc: &mut Document, pages: &[ObjectId], labels: &Labels<'_>) -> Result<(), String> {
    if !labels.stamp {
        return Ok(());
    }
    if let Some(legend) = labels.legend
        && let Some(c) = font::unsupported(legend)
    {
        return Err(unsupported_message(c, legend));
    }
    let font = doc.add_object(font_dictionary());
    let save = doc.add_object(Stream::new(Dictionary::new(), b"q\n".to_vec()));
    for (page_id, bates) in pages.iter().zip(labels.bates) {
        let (bbox, rotate, resources, contents) = {
            let page = doc
                .get_dictionary(*page_id)
                .map_err(|_| "a page of the PDF cannot be read".to_string())?;
            let rotate = page
                .get(b"Rotate")
                .ok()
                .and_then(|r| r.as_i64().ok())
                .unwrap_or(0);
            let resources = match page.get(b"Resources") {
                Ok(Object::Reference(id)) => doc.get_dictionary(*id).cloned().unwrap_or_default(),
                Ok(Object::Dictionary(d)) => d.clone(),
                _ => Dictionary::new(),
            };
            let contents: Vec<Object> = match page.get(b"Contents") {
                Ok(Object::Array(items)) => items.clone(),
                Ok(r @ Object::Reference(_)) => match doc.dereference(r) {
                    Ok((_, Object::Array(items))) => items.clone(),
                    _ => vec![r.clone()],
                },
                _ => Vec::new(),
            };
            (visible_box(page), rotate, resources, contents)
        };
        let mut resources = resources;
        let mut fonts = match resources.get(b"Font") {
            Ok(Object::Reference(id)) => doc.get_dictionary(*id).cloned().unwrap_or_default(),
            Ok(Object::Dictionary(d)) => d.clone(),
            _ => Dictionary::new(),
        };
        fonts.set(FONT_KEY, Object::Reference(font));
        resources.set("Font", Object::Dictionary(fonts));
        let stamp = doc.add_object(Stream::new(
            Dictionary::new(),
            stamp_content(bbox, rotate, bates, labels.legend),
        ));
        let mut all = Vec::with_capacity(contents.len() + 2);
        all.push(Object::Reference(save));
        all.extend(contents);
        all.push(Object::Reference(stamp));
        let page = doc
            .get_dictionary_mut(*page_id)
            .map_err(|_| "a page of the PDF cannot be read".to_string())?;
        page.set("Resources", Object::Dictionary(resources));
        page.set("Contents", Object::Array(all));
    }
    Ok(())
}

/// The stamp's content stream: restore the page's state, then draw the
/// legend (left) and the Bates number (right) in the reader's view.
fn stamp_content(bbox: [f32; 4], rotate: i64, bates: &str, legend: Option<&str>) -> Vec<u8> {
    let (m, w, h) = view_matrix(bbox, rotate);
    let margin = (w * 0.06).min(36.0);
    let baseline = (h * 0.025).clamp(2.0, 18.0);
    let mut size: f32 = 10.0;
    let needed =
        |s: f32| font::width(bates, s) + legend.map_or(0.0, |l| font::width(l, s)) + 3.0 * margin;
    if needed(size) > w {
        size = (size * w / needed(size)).max(3.0);
    }
    let key = String::from_utf8_lossy(FONT_KEY);
    let mut out = format!(
        "Q\nq\n{} {} {} {} {} {} cm\nBT\n/{key} {size:.2} Tf\n0 g\n",
        fmt(m[0]),
        fmt(m[1]),
        fmt(m[2]),
        fmt(m[3]),
        fmt(m[4]),
        fmt(m[5])
    )
    .into_bytes();
    if let Some(legend) = legend.filter(|l| !l.is_empty()) {
        out.extend(format!("1 0 0 1 {} {} Tm\n", fmt(margin), fmt(baseline)).into_bytes());
        out.extend(font::literal(legend));
        out.extend_from_slice(b" Tj\n");
    }
    let x = w - margin - font::width(bates, size);
    out.extend(format!("1 0 0 1 {} {} Tm\n", fmt(x), fmt(baseline)).into_bytes());
    out.extend(font::literal(bates));
    out.extend_from_slice(b" Tj\nET\nQ\n");
    out
}

fn fmt(v: f32) -> String {
    let s = format!("{v:.3}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.to_string() }
}

fn finish(mut doc: Document, id_seed: &str) -> Result<Vec<u8>, String> {
    doc.prune_objects();
    doc.renumber_objects();
    let id = Sha256::digest(id_seed.as_bytes());
    let id = Object::String(id[..16].to_vec(), StringFormat::Hexadecimal);
    doc.trailer.set("ID", Object::Array(vec![id.clone(), id]));
    doc.trailer.remove(b"Info");
    let mut out = Vec::new();
    doc.save_to(&mut out)
        .map_err(|e| format!("could not write the PDF: {e}"))?;
    Ok(out)
}

/// Reads a written PDF back: its page count and, when stamped, the Bates
/// number drawn on each page.
pub fn verify(bytes: &[u8], bates: &[String], stamped: bool) -> Result<(), String> {
    let doc = load(bytes).map_err(|e| format!("the written PDF does not read back: {e}"))?;
    let pages = page_ids(&doc)?;
    if pages.len() != bates.len() {
        return Err(format!(
            "the written PDF has {} pages, {} expected",
            pages.len(),
            bates.len()
        ));
    }
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
        let mut needle = font::literal(number);
        needle.extend_from_slice(b" Tj");
        if !content
            .windows(needle.len())
            .any(|w| w == needle.as_slice())
        {
            return Err(format!(
                "page {} does not carry Bates number {number}",
                i + 1
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(m: [f32; 6], u: f32, v: f32) -> (f32, f32) {
        (m[0] * u + m[2] * v + m[4], m[1] * u + m[3] * v + m[5])
    }

    #[test]
    fn long_names_wrap_within_the_margin_and_lose_nothing() {
        let name = "File name: Memorandum – Implementation of the Migrant Protection Protocols, draft for the Acting Secretary (v7 final).docx";
        let lines = wrap(name, 200.0, 12.0);
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| font::width(l, 12.0) <= 200.0));
        assert_eq!(lines.concat(), name);
        assert_eq!(wrap("short", 468.0, 12.0), vec!["short".to_string()]);
    }

    #[test]
    fn view_corners_map_inside_the_box_for_every_rotation() {
        let b = [100.0, 50.0, 712.0, 842.0];
        for r in [0, 90, 180, 270, -90, 450] {
            let (m, w, h) = view_matrix(b, r);
            for (u, v) in [(0.0, 0.0), (w, 0.0), (0.0, h), (w, h)] {
                let (x, y) = apply(m, u, v);
                assert!(
                    (b[0] - 0.01..=b[2] + 0.01).contains(&x)
                        && (b[1] - 0.01..=b[3] + 0.01).contains(&y),
                    "r={r} ({u},{v}) -> ({x},{y})"
                );
            }
        }
        // Rotated 90° clockwise for display: the view's bottom-left is the page's bottom-right.
        let (m, _, _) = view_matrix([0.0, 0.0, 612.0, 792.0], 90);
        assert_eq!(apply(m, 0.0, 0.0), (612.0, 0.0));
    }
}

#[cfg(test)]
mod fixture_tests {
    use super::*;
    use std::path::Path;

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
            let labels = Labels {
                bates: &bates,
                legend: Some("CONFIDENTIAL – SUBJECT TO PROTECTIVE ORDER"),
                stamp: true,
            };
            let out = rewrite(&bytes, &labels, "seed")
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            verify(&out, &bates, true).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
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
            std::fs::write(out_dir.join(path.file_name().unwrap()), &out).unwrap();
            done += 1;
        }
        assert!(done >= 18, "{done}");
    }

    #[test]
    fn slip_sheets_refuse_characters_the_font_cannot_show() {
        let bates = vec!["ABC-000001".to_string()];
        let labels = Labels {
            bates: &bates,
            legend: None,
            stamp: true,
        };
        let ok = slip_sheet(
            "Withheld – Privileged",
            &["Peña, José".into()],
            &labels,
            "x",
        )
        .unwrap();
        verify(&ok, &bates, true).unwrap();
        let err = slip_sheet(
            "Produced in native format",
            &["报告.docx".into()],
            &labels,
            "x",
        )
        .unwrap_err();
        assert!(err.contains("U+62A5"), "{err}");
    }
}
