//! Slip sheets from one template per volume. Every slip of a volume has the
//! same shape: one Letter page whose text (heading and lines) is a Form
//! XObject, then the stamp as its own content stream, and the volume's font
//! subsets. The font objects are written once per volume and copied into
//! each slip; per slip only the text, the numbers, the page and the
//! cross-reference table are made. A volume of 100,000 natives makes
//! 100,000 slips, so this is most of what it costs to write them.
//!
//! The result is laid out as any page adrec stamps (`stamp::rewrite`): the
//! page draws its content through `/AdrecPage Do`, then the stamp, so
//! `stamp::verify` reads it back the same way.

use super::PdfError;
use super::embed::{Fonts, Line};
use super::place;
use super::stamp::{Labels, PAGE_FORM};
use pdf_writer::{Chunk, Finish, Name, Pdf, Rect, Ref};
use sha2::{Digest, Sha256};
use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

/// US Letter, in points.
const LETTER: [f32; 4] = [0.0, 0.0, 612.0, 792.0];
const CATALOG: Ref = Ref::new(1);
const PAGES: Ref = Ref::new(2);
const PAGE: Ref = Ref::new(3);
const FONTS: Ref = Ref::new(4);
/// The slip's text: a Form XObject when stamped, else the page's content.
const TEXT: Ref = Ref::new(5);
const DRAW: Ref = Ref::new(6);
const STAMP: Ref = Ref::new(7);
/// Slip text up to this many bytes is not compressed.
const SHORT_TEXT: usize = 1024;
/// Each face used takes five objects, after the page's own.
const OBJECTS_PER_FACE: i32 = 5;

/// The slip sheets of one volume.
pub struct SlipTemplate<'f> {
    fonts: &'f Fonts,
    /// A face's objects, written once for each first object number it takes.
    faces: Mutex<HashMap<(usize, i32), Arc<Chunk>>>,
}

impl<'f> SlipTemplate<'f> {
    pub fn new(fonts: &'f Fonts) -> SlipTemplate<'f> {
        SlipTemplate {
            fonts,
            faces: Mutex::new(HashMap::new()),
        }
    }

    /// The volume's fonts.
    pub fn fonts(&self) -> &'f Fonts {
        self.fonts
    }

    /// A one-page slip sheet (Letter) with `heading` and `lines`, stamped
    /// like any page unless `labels.stamp` is off. Every text must have been
    /// prepared in the volume's fonts. `id_seed` makes the file `/ID`.
    pub fn render(
        &self,
        heading: &str,
        lines: &[String],
        labels: &Labels<'_>,
        id_seed: &str,
    ) -> Result<Vec<u8>, PdfError> {
        if !std::ptr::eq(labels.fonts, self.fonts) {
            // Another volume's fonts: their objects are not this template's.
            return SlipTemplate::new(labels.fonts).render(heading, lines, labels, id_seed);
        }
        let fonts = self.fonts;
        let mut text = Vec::with_capacity(SHORT_TEXT);
        let mut used = BTreeSet::new();
        let mut draw = |line: &Line, size: f32, y: f32| {
            text.extend(format!("BT 72 {y} Td\n").into_bytes());
            text.extend(Fonts::show(line, size));
            text.extend_from_slice(b"ET\n");
            used.extend(line.runs.iter().map(|(f, _)| *f));
        };
        draw(&*fonts.line(heading)?, 20.0, 700.0);
        let mut y = 660.0;
        for line in lines {
            // Long file names wrap at the right margin rather than run off the page.
            for chunk in fonts.wrap(&*fonts.line(line)?, 468.0, 12.0) {
                draw(&chunk, 12.0, y);
                y -= 18.0;
            }
        }
        let stamp = if labels.stamp {
            let number = labels.bates.first().ok_or_else(|| {
                PdfError::Output("a stamped slip sheet needs its Bates number".into())
            })?;
            let number = fonts.line(number)?;
            let legend = match labels.legend.filter(|l| !l.is_empty()) {
                Some(l) => Some(fonts.line(l)?),
                None => None,
            };
            used.extend(number.runs.iter().map(|(f, _)| *f));
            if let Some(l) = &legend {
                used.extend(l.runs.iter().map(|(f, _)| *f));
            }
            Some(place::place(
                LETTER,
                0,
                &number,
                legend.as_deref(),
                labels.strip,
            ))
        } else {
            None
        };

        let mut pdf = Pdf::with_capacity(16 * 1024);
        pdf.catalog(CATALOG).pages(PAGES);
        pdf.pages(PAGES).kids([PAGE]).count(1);
        let first_face = if stamp.is_some() { 8 } else { 6 };
        let mut face_fonts = Vec::with_capacity(used.len());
        for (rank, face) in used.iter().enumerate() {
            let first = first_face + OBJECTS_PER_FACE * rank as i32;
            let objects = self.face_objects(*face, first)?;
            pdf.extend(&objects);
            face_fonts.push((*face, Ref::new(first + OBJECTS_PER_FACE - 1)));
        }
        let mut dict = pdf.indirect(FONTS).dict();
        for (face, font) in &face_fonts {
            dict.pair(Name(Fonts::key(*face).as_bytes()), *font);
        }
        dict.finish();

        let media = match stamp.as_ref().and_then(|s| s.new_box) {
            Some(b) => [
                LETTER[0].min(b[0]),
                LETTER[1].min(b[1]),
                LETTER[2].max(b[2]),
                LETTER[3].max(b[3]),
            ],
            None => LETTER,
        };
        let mut page = pdf.page(PAGE);
        page.parent(PAGES).media_box(rect(media));
        if let Some(b) = stamp.as_ref().and_then(|s| s.new_box) {
            page.crop_box(rect(b));
        }
        let mut resources = page.insert(Name(b"Resources")).dict();
        if stamp.is_some() {
            resources
                .insert(Name(b"XObject"))
                .dict()
                .pair(Name(PAGE_FORM), TEXT);
        }
        resources.pair(Name(b"Font"), FONTS);
        resources.finish();
        match &stamp {
            Some(_) => {
                page.insert(Name(b"Contents")).array().items([DRAW, STAMP]);
            }
            None => {
                page.pair(Name(b"Contents"), TEXT);
            }
        }
        page.finish();

        match stamp {
            Some(placed) => {
                // A few lines are stored as they are: with the bundled font
                // alone a slip sheet fits two 4 KiB blocks either way, and
                // deflating 100,000 of them cost more than the bytes saved.
                // Longer text (many wrapped lines) is compressed.
                let (text, flated) = if text.len() > SHORT_TEXT {
                    super::embed::deflated(text)
                } else {
                    (text, false)
                };
                let mut form = pdf.form_xobject(TEXT, &text);
                if flated {
                    form.filter(pdf_writer::Filter::FlateDecode);
                }
                form.bbox(rect(LETTER));
                form.insert(Name(b"Resources"))
                    .dict()
                    .pair(Name(b"Font"), FONTS);
                form.finish();
                let draw = format!("/{} Do\n", String::from_utf8_lossy(PAGE_FORM));
                pdf.stream(DRAW, draw.as_bytes());
                pdf.stream(STAMP, &placed.content);
            }
            None => {
                pdf.stream(TEXT, &text);
            }
        }
        let id = Sha256::digest(id_seed.as_bytes())[..16].to_vec();
        pdf.set_file_id((id.clone(), id));
        Ok(pdf.finish())
    }

    /// The objects of `face` numbered from `first`, written on first use.
    fn face_objects(&self, face: usize, first: i32) -> Result<Arc<Chunk>, PdfError> {
        let embedded =
            self.fonts.faces.get(face).ok_or_else(|| {
                PdfError::Output(format!("font face {face} is not in the volume"))
            })?;
        // A poisoned lock only means another slip failed; the map is whole.
        let mut faces = self.faces.lock().unwrap_or_else(|p| p.into_inner());
        Ok(faces
            .entry((face, first))
            .or_insert_with(|| {
                let mut chunk = Chunk::new();
                embedded.write_objects(&mut chunk, first);
                Arc::new(chunk)
            })
            .clone())
    }
}

fn rect(b: [f32; 4]) -> Rect {
    Rect::new(b[0], b[1], b[2], b[3])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdf::font::FontSet;

    fn labels<'a>(bates: &'a [String], fonts: &'a Fonts, stamp: bool) -> Labels<'a> {
        Labels {
            bates,
            legend: Some("CONFIDENTIAL"),
            stamp,
            strip: false,
            fonts,
        }
    }

    #[test]
    fn one_template_many_slips_each_whole_and_read_back() {
        let fonts = FontSet::with_dirs(Some(vec![]))
            .prepare(["Withheld", "Privilege: Παπα", "CONFIDENTIAL", "A-1", "A-2"])
            .unwrap();
        let template = SlipTemplate::new(&fonts);
        let one = vec!["A-1".to_string()];
        let two = vec!["A-2".to_string()];
        let lines = vec!["Privilege: Παπα".to_string()];
        let a = template
            .render("Withheld", &lines, &labels(&one, &fonts, true), "a")
            .unwrap();
        let b = template
            .render("Withheld", &lines, &labels(&two, &fonts, true), "b")
            .unwrap();
        crate::pdf::stamp::verify(&a, &one, true, &fonts, &[]).unwrap();
        crate::pdf::stamp::verify(&b, &two, true, &fonts, &[]).unwrap();
        assert!(crate::pdf::stamp::verify(&a, &two, true, &fonts, &[]).is_err());
        // The font is embedded once per file, from the template's one copy.
        for pdf in [&a, &b] {
            let doc = lopdf::Document::load_mem(pdf).unwrap();
            let streams = doc
                .objects
                .values()
                .filter(|o| o.as_stream().is_ok_and(|s| s.dict.get(b"Length1").is_ok()))
                .count();
            assert_eq!(streams, 1);
            assert_eq!(pdf.windows(5).filter(|w| w == b"%%EOF").count(), 1);
        }
        // Unstamped (an overlay's slip before padding): the text is the page.
        let plain = template
            .render("Withheld", &lines, &labels(&one, &fonts, false), "c")
            .unwrap();
        let doc = lopdf::Document::load_mem(&plain).unwrap();
        let page = *doc.get_pages().values().next().unwrap();
        let contents = doc.get_page_contents(page);
        assert_eq!(contents.len(), 1);
        assert!(!plain.windows(PAGE_FORM.len()).any(|w| w == PAGE_FORM));
        // Same inputs, same bytes.
        assert!(
            a == template
                .render("Withheld", &lines, &labels(&one, &fonts, true), "a")
                .unwrap()
        );
    }

    /// A volume of small natives is mostly slip sheets: the font file, its
    /// ToUnicode map and the slip's text are compressed, and the text still
    /// reads back.
    #[test]
    fn a_slip_sheets_large_streams_are_compressed_and_a_few_lines_are_not() {
        let heading = "Produced in native format";
        let line = "File name: record-0000001.csv";
        let fonts = FontSet::with_dirs(Some(vec![]))
            .prepare([heading, line, "CONFIDENTIAL", "A-1", "A-11"])
            .unwrap();
        let template = SlipTemplate::new(&fonts);
        let one = vec!["A-1".to_string()];
        let pdf = template
            .render(
                heading,
                &[line.to_string()],
                &labels(&one, &fonts, true),
                "a",
            )
            .unwrap();
        let doc = lopdf::Document::load_mem(&pdf).unwrap();
        let flated = |s: &lopdf::Stream| {
            s.dict
                .get(b"Filter")
                .and_then(|f| f.as_name())
                .is_ok_and(|n| n == b"FlateDecode")
        };
        let font = doc.get_object((FONTS.get() as u32, 0)).unwrap();
        let face = font.as_dict().unwrap().iter().next().unwrap().1;
        let type0 = doc.get_dictionary(face.as_reference().unwrap()).unwrap();
        let cmap = type0.get(b"ToUnicode").unwrap().as_reference().unwrap();
        let cmap = doc.get_object(cmap).unwrap().as_stream().unwrap();
        assert!(flated(cmap));
        assert!(
            cmap.decompressed_content()
                .unwrap()
                .starts_with(b"%!PS-Adobe-3.0 Resource-CMap")
        );
        let text = doc
            .get_object((TEXT.get() as u32, 0))
            .unwrap()
            .as_stream()
            .unwrap();
        // A few lines are stored as they are; many are compressed.
        assert!(!flated(text));
        assert!(text.content.windows(4).any(|w| w == b"> Tj"));
        let many = vec![line.to_string(); 40];
        let long = template
            .render(heading, &many, &labels(&one, &fonts, true), "a")
            .unwrap();
        let long = lopdf::Document::load_mem(&long).unwrap();
        let text = long
            .get_object((TEXT.get() as u32, 0))
            .unwrap()
            .as_stream()
            .unwrap();
        assert!(flated(text));
        let shown = text.decompressed_content().unwrap();
        assert_eq!(shown.windows(4).filter(|w| *w == b"> Tj").count(), 41);
        let fonts_files = doc
            .objects
            .values()
            .filter_map(|o| o.as_stream().ok())
            .filter(|s| s.dict.get(b"Length1").is_ok());
        assert!(fonts_files.into_iter().all(flated));
        crate::pdf::stamp::verify(&pdf, &one, true, &fonts, &[]).unwrap();
        // Read back by the quick reader, which finds a wrong number too.
        let pages = crate::pdf::quick::last_contents(&pdf).expect("the quick reader takes a slip");
        assert_eq!(pages.len(), 1);
        // Another number the fonts can show.
        let other = vec!["A-11".to_string()];
        let wrong = crate::pdf::stamp::verify(&pdf, &other, true, &fonts, &[]);
        assert!(wrong.is_err_and(|e| e.to_string().contains("does not carry Bates number A-11")));
        let two = vec!["A-1".to_string(), "A-11".to_string()];
        assert!(crate::pdf::stamp::verify(&pdf, &two, true, &fonts, &[]).is_err());
    }
}
