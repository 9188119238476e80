//! A volume's [`Fonts`]: every text laid out once (shaped, right to left
//! where the script says so) and each face subset once, then written into
//! each file as Type0 / CIDFontType2 (or CIDFontType0 for CFF faces) with
//! Identity-H codes, widths and a ToUnicode map, so readers extract the exact
//! characters. Subset tags come from a hash of the subset: the same volume
//! gives the same bytes.

use super::font::{FontSet, needs_glyph};
pub use super::line::Line;
use lopdf::{Dictionary, Document, Object, ObjectId, Stream, StringFormat};
use pdf_writer::types::{SystemInfo, UnicodeCmap};
use pdf_writer::{Name, Str};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use unicode_bidi::BidiInfo;

/// One face as embedded: its subset and what the PDF needs to describe it.
pub struct Embedded {
    pub base_font: String,
    pub origin: String,
    /// The font file stream, compressed once per volume.
    file: Stream,
    cff: bool,
    /// Width (1/1000 em) of each CID.
    pub(super) widths: Vec<u16>,
    /// The ToUnicode CMap stream, compressed once per volume.
    to_unicode: Stream,
    bbox: [i64; 4],
    ascent: i64,
    descent: i64,
    cap_height: i64,
}

/// The fonts of one volume: passed to the stamper, never global.
pub struct Fonts {
    pub faces: Vec<Embedded>,
    pub(super) lines: HashMap<String, Line>,
    /// Each ASCII character's line, by code: a slip sheet's numbers and
    /// file name are laid out a character at a time without a hash lookup.
    pub(super) ascii: Vec<Option<Line>>,
}

/// A glyph from shaping, before subsetting.
struct Shaped {
    face: usize,
    gid: u16,
    text: String,
}

impl FontSet {
    /// Shapes every text and subsets each face that draws any of them.
    /// Fails with the first character no font can show.
    pub fn prepare<'a>(
        &mut self,
        texts: impl IntoIterator<Item = &'a str>,
    ) -> Result<Fonts, String> {
        let mut shaped: Vec<(String, Vec<Shaped>)> = Vec::new();
        let mut seen = BTreeSet::new();
        for text in texts {
            if seen.insert(text.to_string()) {
                let glyphs = self.shape(text).map_err(|c| {
                    format!(
                        "the character {c:?} (U+{:04X}) in {text:?} is in no available font",
                        c as u32
                    )
                })?;
                shaped.push((text.to_string(), glyphs));
            }
        }
        let mut used: BTreeMap<usize, BTreeMap<u16, String>> = BTreeMap::new();
        for (_, glyphs) in &shaped {
            for g in glyphs {
                let text = used.entry(g.face).or_default().entry(g.gid).or_default();
                if text.is_empty() {
                    text.clone_from(&g.text);
                }
            }
        }
        let mut faces = Vec::new();
        let mut remap: BTreeMap<usize, (usize, subsetter::GlyphRemapper)> = BTreeMap::new();
        for (face_index, glyphs) in &used {
            let face = &self.faces[*face_index];
            let mut gids: Vec<u16> = std::iter::once(0).chain(glyphs.keys().copied()).collect();
            gids.dedup();
            let remapper = subsetter::GlyphRemapper::new_from_glyphs_sorted(&gids);
            let subset = subsetter::subset(face.data, face.index, &remapper)
                .map_err(|e| format!("the font {} could not be subset: {e}", face.name))?;
            let subset = super::slim::slim(subset);
            let ttf = &*face.shaper;
            let upem = f32::from(ttf.units_per_em().max(1));
            let scale = |v: f32| (v * 1000.0 / upem).round() as i64;
            let mut widths = vec![0u16; usize::from(remapper.num_gids())];
            let mut cmap = UnicodeCmap::new(Name(b"Adrec-UCS"), system_info());
            for gid in &gids {
                let cid = remapper.get(*gid).unwrap_or(0);
                let adv = ttf
                    .glyph_hor_advance(ttf_parser::GlyphId(*gid))
                    .unwrap_or(0);
                if let Some(w) = widths.get_mut(usize::from(cid)) {
                    *w = scale(f32::from(adv)).clamp(0, i64::from(u16::MAX)) as u16;
                }
                if let Some(text) = glyphs.get(gid).filter(|t| !t.is_empty()) {
                    cmap.pair_with_multiple(cid, text.chars());
                }
            }
            let b = ttf.global_bounding_box();
            let tag = tag(&subset);
            let cff = ttf.tables().glyf.is_none();
            faces.push(Embedded {
                base_font: format!("{tag}+{}", pdf_name(&face.name)),
                origin: face.origin.clone(),
                cff,
                file: font_file(subset, cff),
                widths,
                to_unicode: compressed(Stream::new(
                    Dictionary::new(),
                    without_eof(cmap.finish().into_vec()),
                )),
                bbox: [b.x_min, b.y_min, b.x_max, b.y_max].map(|v| scale(f32::from(v))),
                ascent: scale(f32::from(ttf.ascender())),
                descent: scale(f32::from(ttf.descender())),
                cap_height: scale(f32::from(ttf.capital_height().unwrap_or(ttf.ascender()))),
            });
            remap.insert(*face_index, (faces.len() - 1, remapper));
        }
        let mut lines = HashMap::new();
        for (text, glyphs) in shaped {
            let mut line = Line::default();
            for g in glyphs {
                let Some((embedded, remapper)) = remap.get(&g.face) else {
                    continue;
                };
                let cid = remapper.get(g.gid).unwrap_or(0);
                line.units += u32::from(
                    faces[*embedded]
                        .widths
                        .get(usize::from(cid))
                        .copied()
                        .unwrap_or(0),
                );
                match line.runs.last_mut() {
                    Some((f, cids)) if f == embedded => cids.push(cid),
                    _ => line.runs.push((*embedded, vec![cid])),
                }
            }
            lines.insert(text, line);
        }
        let ascii = (0..128u8)
            .map(|c| {
                lines
                    .get(char::from(c).encode_utf8(&mut [0; 4]) as &str)
                    .cloned()
            })
            .collect();
        Ok(Fonts {
            faces,
            lines,
            ascii,
        })
    }

    /// Glyphs of `text` in visual order: bidi runs, split by face, shaped.
    fn shape(&mut self, text: &str) -> Result<Vec<Shaped>, char> {
        let text: String = text.chars().filter(|c| needs_glyph(*c)).collect();
        let mut out = Vec::new();
        if text.is_empty() {
            return Ok(out);
        }
        let bidi = BidiInfo::new(&text, None);
        for para in &bidi.paragraphs {
            let (levels, runs) = bidi.visual_runs(para, para.range.clone());
            for run in runs {
                let rtl = levels.get(run.start).is_some_and(|l| l.is_rtl());
                let mut pieces: Vec<(usize, usize, usize)> = Vec::new();
                for (i, c) in text[run.clone()].char_indices() {
                    let face = self.face_for(c).ok_or(c)?;
                    let at = run.start + i;
                    match pieces.last_mut() {
                        Some((f, _, end)) if *f == face || c == ' ' => *end = at + c.len_utf8(),
                        _ => pieces.push((face, at, at + c.len_utf8())),
                    }
                }
                if rtl {
                    pieces.reverse();
                }
                for (face, start, end) in pieces {
                    out.extend(self.shape_piece(face, &text[start..end], rtl));
                }
            }
        }
        Ok(out)
    }

    fn shape_piece(&self, face: usize, piece: &str, rtl: bool) -> Vec<Shaped> {
        let mut buffer = rustybuzz::UnicodeBuffer::new();
        buffer.push_str(piece);
        buffer.set_direction(if rtl {
            rustybuzz::Direction::RightToLeft
        } else {
            rustybuzz::Direction::LeftToRight
        });
        buffer.guess_segment_properties();
        let shaped = rustybuzz::shape(&self.faces[face].shaper, &[], buffer);
        let infos = shaped.glyph_infos();
        let mut starts: Vec<usize> = infos.iter().map(|g| g.cluster as usize).collect();
        starts.sort_unstable();
        starts.dedup();
        let mut given = BTreeSet::new();
        infos
            .iter()
            .map(|g| {
                let start = g.cluster as usize;
                let end = starts
                    .iter()
                    .find(|s| **s > start)
                    .copied()
                    .unwrap_or(piece.len());
                let text = if given.insert(start) {
                    piece.get(start..end).unwrap_or("").to_string()
                } else {
                    String::new()
                };
                Shaped {
                    face,
                    gid: u16::try_from(g.glyph_id).unwrap_or(0),
                    text,
                }
            })
            .collect()
    }
}

impl Fonts {
    /// Where each embedded face comes from, for `--dry-run`.
    pub fn describe(&self) -> Vec<String> {
        self.faces
            .iter()
            .map(|f| {
                format!(
                    "{} ({})",
                    f.base_font.split('+').nth(1).unwrap_or(&f.base_font),
                    f.origin
                )
            })
            .collect()
    }

    /// The resource name of an embedded face.
    pub fn key(face: usize) -> String {
        format!("AdrecF{face}")
    }

    /// The faces `lines` use, added to `doc` once: resource name → font.
    pub fn add_to(&self, doc: &mut Document, lines: &[&Line]) -> Dictionary {
        let used: BTreeSet<usize> = lines
            .iter()
            .flat_map(|l| l.runs.iter().map(|(f, _)| *f))
            .collect();
        let mut dict = Dictionary::new();
        for f in used {
            if let Some(face) = self.faces.get(f) {
                dict.set(Self::key(f), Object::Reference(face.add_to(doc)));
            }
        }
        dict
    }
}

impl Embedded {
    /// The face's five objects, numbered from `first` (a slip sheet's
    /// template writes them once per volume): the Type0 font's reference.
    pub(crate) fn write_objects(
        &self,
        chunk: &mut pdf_writer::Chunk,
        first: i32,
    ) -> pdf_writer::Ref {
        use pdf_writer::types::{CidFontType, FontFlags};
        use pdf_writer::{Filter, Finish, Rect, Ref};
        let [file, descriptor, cid, to_unicode, font] =
            [0, 1, 2, 3, 4].map(|i| Ref::new(first + i));
        let mut stream = chunk.stream(file, &self.file.content);
        if flated(&self.file) {
            stream.filter(Filter::FlateDecode);
        }
        if self.cff {
            stream.pair(Name(b"Subtype"), Name(b"OpenType"));
        } else {
            stream.pair(
                Name(b"Length1"),
                self.file
                    .dict
                    .get(b"Length1")
                    .and_then(Object::as_i64)
                    .unwrap_or(0) as i32,
            );
        }
        stream.finish();
        let name = Name(self.base_font.as_bytes());
        let mut d = chunk.font_descriptor(descriptor);
        d.name(name)
            .flags(FontFlags::SYMBOLIC)
            .bbox(Rect::new(
                self.bbox[0] as f32,
                self.bbox[1] as f32,
                self.bbox[2] as f32,
                self.bbox[3] as f32,
            ))
            .italic_angle(0.0)
            .ascent(self.ascent as f32)
            .descent(self.descent as f32)
            .cap_height(self.cap_height as f32)
            .stem_v(80.0);
        if self.cff {
            d.font_file3(file);
        } else {
            d.font_file2(file);
        }
        d.finish();
        let mut c = chunk.cid_font(cid);
        c.subtype(if self.cff {
            CidFontType::Type0
        } else {
            CidFontType::Type2
        })
        .base_font(name)
        .system_info(SystemInfo {
            registry: Str(b"Adobe"),
            ordering: Str(b"Identity"),
            supplement: 0,
        })
        .font_descriptor(descriptor)
        .default_width(0.0);
        c.widths()
            .consecutive(0, self.widths.iter().map(|w| f32::from(*w)));
        if !self.cff {
            c.cid_to_gid_map_predefined(Name(b"Identity"));
        }
        c.finish();
        let mut cmap = chunk.stream(to_unicode, &self.to_unicode.content);
        if flated(&self.to_unicode) {
            cmap.filter(Filter::FlateDecode);
        }
        cmap.finish();
        chunk
            .type0_font(font)
            .base_font(name)
            .encoding_predefined(Name(b"Identity-H"))
            .descendant_font(cid)
            .to_unicode(to_unicode);
        font
    }

    fn add_to(&self, doc: &mut Document) -> ObjectId {
        let file_key = if self.cff { "FontFile3" } else { "FontFile2" };
        let file = doc.add_object(self.file.clone());
        let mut descriptor = Dictionary::new();
        descriptor.set("Type", Object::Name(b"FontDescriptor".to_vec()));
        descriptor.set(
            "FontName",
            Object::Name(self.base_font.clone().into_bytes()),
        );
        descriptor.set("Flags", 4);
        descriptor.set(
            "FontBBox",
            Object::Array(self.bbox.iter().map(|v| Object::Integer(*v)).collect()),
        );
        descriptor.set("ItalicAngle", 0);
        descriptor.set("Ascent", self.ascent);
        descriptor.set("Descent", self.descent);
        descriptor.set("CapHeight", self.cap_height);
        descriptor.set("StemV", 80);
        descriptor.set(file_key, Object::Reference(file));
        let descriptor = doc.add_object(descriptor);
        let mut info = Dictionary::new();
        info.set(
            "Registry",
            Object::String(b"Adobe".to_vec(), StringFormat::Literal),
        );
        info.set(
            "Ordering",
            Object::String(b"Identity".to_vec(), StringFormat::Literal),
        );
        info.set("Supplement", 0);
        let mut cid = Dictionary::new();
        cid.set("Type", Object::Name(b"Font".to_vec()));
        cid.set(
            "Subtype",
            Object::Name(if self.cff {
                b"CIDFontType0".to_vec()
            } else {
                b"CIDFontType2".to_vec()
            }),
        );
        cid.set(
            "BaseFont",
            Object::Name(self.base_font.clone().into_bytes()),
        );
        cid.set("CIDSystemInfo", Object::Dictionary(info));
        cid.set("FontDescriptor", Object::Reference(descriptor));
        cid.set("DW", 0);
        let widths: Vec<Object> = self
            .widths
            .iter()
            .map(|w| Object::Integer(i64::from(*w)))
            .collect();
        cid.set("W", Object::Array(vec![0.into(), Object::Array(widths)]));
        if !self.cff {
            cid.set("CIDToGIDMap", Object::Name(b"Identity".to_vec()));
        }
        let cid = doc.add_object(cid);
        let to_unicode = doc.add_object(self.to_unicode.clone());
        let mut font = Dictionary::new();
        font.set("Type", Object::Name(b"Font".to_vec()));
        font.set("Subtype", Object::Name(b"Type0".to_vec()));
        font.set(
            "BaseFont",
            Object::Name(self.base_font.clone().into_bytes()),
        );
        font.set("Encoding", Object::Name(b"Identity-H".to_vec()));
        font.set(
            "DescendantFonts",
            Object::Array(vec![Object::Reference(cid)]),
        );
        font.set("ToUnicode", Object::Reference(to_unicode));
        doc.add_object(font)
    }
}

fn font_file(subset: Vec<u8>, cff: bool) -> Stream {
    let mut dict = Dictionary::new();
    if cff {
        dict.set("Subtype", Object::Name(b"OpenType".to_vec()));
    } else {
        dict.set("Length1", subset.len() as i64);
    }
    compressed(Stream::new(dict, subset))
}

/// `stream` Flate-compressed (uncompressed is still a valid file if
/// compression fails).
fn compressed(mut stream: Stream) -> Stream {
    let _ = stream.compress();
    stream
}

/// `content` Flate-compressed, and whether it is (else it is as given).
pub(crate) fn deflated(content: Vec<u8>) -> (Vec<u8>, bool) {
    let stream = compressed(Stream::new(Dictionary::new(), content));
    let flated = flated(&stream);
    (stream.content, flated)
}

fn flated(stream: &Stream) -> bool {
    stream.dict.get(b"Filter").is_ok()
}

/// The CMap's closing `%%EOF` comment removed: tools that count revisions
/// by `%%EOF` must see only the file's own.
fn without_eof(mut cmap: Vec<u8>) -> Vec<u8> {
    while let Some(at) = cmap.windows(5).position(|w| w == b"%%EOF") {
        cmap.drain(at..at + 5);
    }
    cmap
}

fn system_info() -> SystemInfo<'static> {
    SystemInfo {
        registry: Str(b"Adobe"),
        ordering: Str(b"UCS"),
        supplement: 0,
    }
}

/// Six capital letters from the subset's hash (PDF subset tags).
fn tag(subset: &[u8]) -> String {
    Sha256::digest(subset)
        .iter()
        .take(6)
        .map(|b| char::from(b'A' + b % 26))
        .collect()
}

/// A font name safe as a PDF name without escapes.
fn pdf_name(name: &str) -> String {
    let n: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    if n.is_empty() { "Font".into() } else { n }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_subset_per_face_and_lines_for_every_text() {
        let mut set = FontSet::with_dirs(Some(vec![]));
        let fonts = set
            .prepare(["ABC-000001", "Nguyễn – Παπα – Щука", "ABC-000001"])
            .unwrap();
        assert_eq!(fonts.faces.len(), 1);
        let line = fonts.line("ABC-000001").unwrap();
        assert_eq!(line.runs.len(), 1);
        assert_eq!(line.runs[0].1.len(), 10);
        assert!(line.width(10.0) > 50.0 && line.width(10.0) < 80.0);
        assert!(fonts.faces[0].file.content.len() < 60_000);
        assert!(
            set.prepare(["报告"])
                .err()
                .unwrap_or_default()
                .contains("U+62A5")
        );
        // Deterministic: the same texts give the same subset and tag.
        let again = FontSet::with_dirs(Some(vec![]))
            .prepare(["Nguyễn – Παπα – Щука", "ABC-000001"])
            .unwrap();
        assert_eq!(again.faces[0].base_font, fonts.faces[0].base_font);
    }
}
