//! Fonts as the text extractor needs them: how a string splits into codes,
//! each code's Unicode text and its advance width. Simple fonts (Type1,
//! TrueType, Type3) use ToUnicode, else their encoding (Standard, WinAnsi,
//! MacRoman, `/Differences`) and the Adobe Glyph List; Type0 fonts use
//! ToUnicode over Identity-H/V or an embedded CMap, else the embedded
//! TrueType's own character map.

use super::cmap::{CMap, CodeRange};
use super::tables;
use lopdf::{Dictionary, Document, Object};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

/// One code of a shown string.
#[derive(Debug, Clone)]
pub struct Code {
    pub text: Rc<str>,
    /// Advance in text space units per unit of font size (1000 glyph units = 1).
    pub width: f32,
    /// A one-byte code 32: word spacing (Tw) applies.
    pub word_space: bool,
}

#[derive(Debug, Clone)]
enum Kind {
    Simple {
        /// Text of each byte (ToUnicode, else the encoding), shared by every glyph.
        texts: Vec<Rc<str>>,
        widths: Box<[f32; 256]>,
    },
    Composite(Box<Composite>),
}

#[derive(Debug, Clone)]
struct Composite {
    space: Vec<CodeRange>,
    encoding: Option<CMap>,
    /// The encoding CMap's name is a Unicode one (UCS2/UTF16): codes are Unicode.
    unicode_codes: bool,
    widths: HashMap<u32, f32>,
    default_width: f32,
    /// CID → Unicode from the embedded TrueType's cmap (CIDToGIDMap Identity).
    from_font: HashMap<u32, char>,
    /// Codes already decoded.
    seen: RefCell<HashMap<u32, Rc<str>>>,
}

/// A font ready to decode strings.
#[derive(Debug, Clone)]
pub struct Font {
    kind: Kind,
    to_unicode: Option<CMap>,
    /// Type3 glyph space → text space (FontMatrix a, d).
    pub type3_scale: Option<(f32, f32)>,
    /// Vertical writing (Identity-V): advance goes down.
    pub vertical: bool,
}

/// Unicode of an Adobe glyph name: the Glyph List, `uniXXXX`, `uXXXX[XX]`,
/// a one-character name, or the part before a `.` suffix.
pub fn glyph_char(name: &str) -> Option<char> {
    if let Ok(i) = tables::GLYPHS.binary_search_by(|(n, _)| (*n).cmp(name)) {
        return char::from_u32(tables::GLYPHS[i].1);
    }
    if let Some(hex) = name.strip_prefix("uni")
        && hex.len() >= 4
    {
        return u32::from_str_radix(&hex[..4], 16)
            .ok()
            .and_then(char::from_u32);
    }
    if let Some(hex) = name.strip_prefix('u')
        && (4..=6).contains(&hex.len())
        && hex.chars().all(|c| c.is_ascii_hexdigit())
    {
        return u32::from_str_radix(hex, 16).ok().and_then(char::from_u32);
    }
    if let Some((base, _)) = name.split_once('.')
        && !base.is_empty()
    {
        return glyph_char(base);
    }
    let mut chars = name.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) if c.is_ascii_graphic() => Some(c),
        _ => None,
    }
}

fn num(doc: &Document, o: &Object) -> Option<f32> {
    match doc.dereference(o).ok()?.1 {
        Object::Integer(i) => Some(*i as f32),
        Object::Real(r) => Some(*r),
        _ => None,
    }
}

fn get<'a>(doc: &'a Document, d: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    let o = d.get(key).ok()?;
    doc.dereference(o).ok().map(|(_, o)| o)
}

fn stream_bytes(doc: &Document, o: &Object) -> Option<Vec<u8>> {
    let (_, o) = doc.dereference(o).ok()?;
    let s = o.as_stream().ok()?;
    Some(
        s.decompressed_content()
            .unwrap_or_else(|_| s.content.clone()),
    )
}

/// The standard font a base font name stands for (subset prefix and common
/// aliases removed), when one does.
fn standard_widths(base: &str) -> Option<&'static [u16; 256]> {
    let base = match base.split_once('+') {
        Some((tag, rest)) if tag.len() == 6 => rest,
        _ => base,
    };
    let lower = base.to_ascii_lowercase().replace([' ', '-', ','], "");
    let bold = lower.contains("bold");
    let italic = lower.contains("italic") || lower.contains("oblique");
    let family = if lower.contains("courier") {
        "Courier"
    } else if lower.contains("times") {
        "Times"
    } else if lower.contains("helvetica") || lower.contains("arial") {
        "Helvetica"
    } else {
        return None;
    };
    let name = match (family, bold, italic) {
        ("Times", false, false) => "Times-Roman".to_string(),
        ("Times", true, false) => "Times-Bold".into(),
        ("Times", false, true) => "Times-Italic".into(),
        ("Times", true, true) => "Times-BoldItalic".into(),
        (f, false, false) => f.to_string(),
        (f, true, false) => format!("{f}-Bold"),
        (f, false, true) => format!("{f}-Oblique"),
        (f, true, true) => format!("{f}-BoldOblique"),
    };
    tables::STANDARD_WIDTHS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, w)| w)
}

fn win_ansi_code(c: char) -> Option<usize> {
    tables::WIN_ANSI
        .iter()
        .position(|&u| u != 0 && u32::from(u) == c as u32)
}

fn base_encoding(name: &[u8]) -> Option<[Option<char>; 256]> {
    let mut out = [None; 256];
    match name {
        b"WinAnsiEncoding" => {
            for (i, &u) in tables::WIN_ANSI.iter().enumerate() {
                out[i] = (u != 0).then(|| char::from_u32(u32::from(u))).flatten();
            }
        }
        b"MacRomanEncoding" => {
            for (i, n) in tables::MAC_ROMAN.iter().enumerate() {
                out[i] = glyph_char(n);
            }
        }
        b"StandardEncoding" => {
            for (i, n) in tables::STANDARD.iter().enumerate() {
                out[i] = glyph_char(n);
            }
        }
        _ => return None,
    }
    Some(out)
}

impl Font {
    /// Reads a font dictionary. Never fails: what cannot be read falls back
    /// to Latin-1 codes of 500-unit widths.
    pub fn load(doc: &Document, dict: &Dictionary) -> Font {
        let to_unicode = dict
            .get(b"ToUnicode")
            .ok()
            .and_then(|o| stream_bytes(doc, o))
            .map(|b| CMap::parse(&b))
            .filter(|m| !m.is_empty());
        let subtype = get(doc, dict, b"Subtype")
            .and_then(|o| o.as_name().ok())
            .unwrap_or(b"");
        if subtype == b"Type0" {
            return Self::composite(doc, dict, to_unicode);
        }
        let base = get(doc, dict, b"BaseFont")
            .and_then(|o| o.as_name().ok())
            .map(|n| String::from_utf8_lossy(n).into_owned())
            .unwrap_or_default();
        let is_type3 = subtype == b"Type3";
        let symbolic = {
            let lower = base.to_ascii_lowercase();
            lower.contains("symbol") || lower.contains("dingbats")
        };
        // Encoding: base, then Differences.
        let default_base: &[u8] = if subtype == b"TrueType" {
            b"WinAnsiEncoding"
        } else {
            b"StandardEncoding"
        };
        let mut chars = base_encoding(default_base).unwrap_or([None; 256]);
        if is_type3 || symbolic {
            // No standard base: codes are Latin-1 unless Differences say otherwise.
            for (i, c) in chars.iter_mut().enumerate() {
                *c = u8::try_from(i).ok().filter(|b| *b >= 32).map(char::from);
            }
        }
        // An embedded Type1 font's own encoding (TeX fonts rely on it).
        let builtin = if subtype == b"Type1" || subtype == b"MMType1" {
            type1_encoding(doc, dict)
        } else {
            None
        };
        let explicit_base = match get(doc, dict, b"Encoding") {
            Some(Object::Name(_)) => true,
            Some(Object::Dictionary(enc)) => enc.has(b"BaseEncoding"),
            _ => false,
        };
        if let Some(b) = builtin
            && !explicit_base
        {
            for (c, n) in chars.iter_mut().zip(b.iter()) {
                if n.is_some() {
                    *c = *n;
                }
            }
        }
        match get(doc, dict, b"Encoding") {
            Some(Object::Name(n)) => {
                if let Some(b) = base_encoding(n) {
                    chars = b;
                }
            }
            Some(Object::Dictionary(enc)) => {
                if let Some(b) = get(doc, enc, b"BaseEncoding")
                    .and_then(|o| o.as_name().ok())
                    .and_then(base_encoding)
                {
                    chars = b;
                }
                if let Some(Object::Array(diffs)) = get(doc, enc, b"Differences") {
                    let mut code = 0usize;
                    for item in diffs {
                        match item {
                            Object::Integer(i) => code = usize::try_from(*i).unwrap_or(256),
                            Object::Name(n) => {
                                if code < 256 {
                                    chars[code] = glyph_char(&String::from_utf8_lossy(n));
                                }
                                code += 1;
                            }
                            _ => {}
                        }
                    }
                }
            }
            _ => {}
        }
        let type3_scale = is_type3.then(|| match get(doc, dict, b"FontMatrix") {
            Some(Object::Array(m)) if m.len() == 6 => (
                num(doc, &m[0]).unwrap_or(0.001),
                num(doc, &m[3]).unwrap_or(0.001),
            ),
            _ => (0.001, 0.001),
        });
        // Widths: /Widths, else the standard font's metrics, else MissingWidth.
        let unit = type3_scale.map_or(0.001, |(a, _)| a);
        let missing = get(doc, dict, b"FontDescriptor")
            .and_then(|o| o.as_dict().ok())
            .and_then(|fd| get(doc, fd, b"MissingWidth"))
            .and_then(|o| num(doc, o));
        let std = standard_widths(&base);
        let mut widths = [missing.unwrap_or(if std.is_some() { 0.0 } else { 500.0 }) * unit; 256];
        if let Some(std) = std {
            for (i, w) in widths.iter_mut().enumerate() {
                let code = chars[i].and_then(win_ansi_code).unwrap_or(i);
                if std[code] > 0 {
                    *w = f32::from(std[code]) * 0.001;
                }
            }
        }
        if let Some(Object::Array(ws)) = get(doc, dict, b"Widths") {
            let first = get(doc, dict, b"FirstChar")
                .and_then(|o| o.as_i64().ok())
                .unwrap_or(0);
            for (k, w) in ws.iter().enumerate() {
                let code = first + k as i64;
                if let (Ok(code), Some(w)) = (usize::try_from(code), num(doc, w))
                    && code < 256
                {
                    widths[code] = w * unit;
                }
            }
        }
        Font {
            kind: Kind::Simple {
                texts: (0..256u32)
                    .map(|code| {
                        to_unicode
                            .as_ref()
                            .and_then(|m| m.unicode(code))
                            .or_else(|| chars[code as usize].map(String::from))
                            .unwrap_or_default()
                            .into()
                    })
                    .collect(),
                widths: Box::new(widths),
            },
            to_unicode,
            type3_scale,
            vertical: false,
        }
    }

    fn composite(doc: &Document, dict: &Dictionary, to_unicode: Option<CMap>) -> Font {
        let (mut space, mut encoding, mut unicode_codes, mut vertical) =
            (Vec::new(), None, false, false);
        match get(doc, dict, b"Encoding") {
            Some(Object::Name(n)) => {
                let name = String::from_utf8_lossy(n);
                vertical = name.ends_with("-V");
                unicode_codes = name.contains("UCS2") || name.contains("UTF16");
            }
            Some(Object::Stream(s)) => {
                let bytes = s
                    .decompressed_content()
                    .unwrap_or_else(|_| s.content.clone());
                let m = CMap::parse(&bytes);
                space = m.space.clone();
                vertical = matches!(s.dict.get(b"WMode").and_then(|o| o.as_i64()), Ok(1));
                encoding = Some(m);
            }
            _ => {}
        }
        if space.is_empty() {
            space = to_unicode
                .as_ref()
                .map(|m| m.space.clone())
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| {
                    vec![CodeRange {
                        len: 2,
                        lo: 0,
                        hi: 0xFFFF,
                    }]
                });
        }
        let descendant = match get(doc, dict, b"DescendantFonts") {
            Some(Object::Array(a)) => a
                .first()
                .and_then(|o| doc.dereference(o).ok())
                .and_then(|(_, o)| o.as_dict().ok()),
            _ => None,
        };
        let mut widths = HashMap::new();
        let mut default_width = 1.0;
        let mut from_font = HashMap::new();
        if let Some(cid_font) = descendant {
            if let Some(dw) = get(doc, cid_font, b"DW").and_then(|o| num(doc, o)) {
                default_width = dw * 0.001;
            }
            if let Some(Object::Array(w)) = get(doc, cid_font, b"W") {
                read_w(doc, w, &mut widths);
            }
            if to_unicode.is_none() {
                from_font = truetype_unicode(doc, cid_font);
            }
        }
        Font {
            kind: Kind::Composite(Box::new(Composite {
                space,
                encoding,
                unicode_codes,
                widths,
                default_width,
                from_font,
                seen: RefCell::new(HashMap::new()),
            })),
            to_unicode,
            type3_scale: None,
            vertical,
        }
    }

    /// Splits a shown string into codes with their text and width.
    pub fn decode(&self, bytes: &[u8]) -> Vec<Code> {
        match &self.kind {
            Kind::Simple { texts, widths } => bytes
                .iter()
                .map(|&b| Code {
                    text: texts[usize::from(b)].clone(),
                    width: widths[usize::from(b)],
                    word_space: b == 32,
                })
                .collect(),
            Kind::Composite(c) => CMap::split(&c.space, bytes, 2)
                .into_iter()
                .map(|(code, len)| {
                    let cid = c
                        .encoding
                        .as_ref()
                        .and_then(|e| e.cid(code))
                        .unwrap_or(code);
                    let known = c.seen.borrow().get(&code).cloned();
                    let text = known.unwrap_or_else(|| {
                        let t: Rc<str> = self
                            .to_unicode
                            .as_ref()
                            .and_then(|m| m.unicode(code))
                            .or_else(|| c.from_font.get(&cid).map(|ch| ch.to_string()))
                            .or_else(|| {
                                c.unicode_codes
                                    .then(|| char::from_u32(code).map(String::from))
                                    .flatten()
                            })
                            .unwrap_or_default()
                            .into();
                        c.seen.borrow_mut().insert(code, t.clone());
                        t
                    });
                    Code {
                        text,
                        width: c.widths.get(&cid).copied().unwrap_or(c.default_width),
                        word_space: len == 1 && code == 32,
                    }
                })
                .collect(),
        }
    }
}

/// The encoding written in an embedded Type1 font program's clear-text
/// part (`dup 58 /period put`), when it has one of its own.
fn type1_encoding(doc: &Document, dict: &Dictionary) -> Option<[Option<char>; 256]> {
    let fd = get(doc, dict, b"FontDescriptor")?.as_dict().ok()?;
    let (_, file) = doc.dereference(fd.get(b"FontFile").ok()?).ok()?;
    let stream = file.as_stream().ok()?;
    let data = stream
        .decompressed_content()
        .unwrap_or_else(|_| stream.content.clone());
    let clear_len = stream
        .dict
        .get(b"Length1")
        .ok()
        .and_then(|o| doc.dereference(o).ok())
        .and_then(|(_, o)| o.as_i64().ok())
        .and_then(|n| usize::try_from(n).ok())
        .unwrap_or(data.len())
        .min(data.len());
    let clear = String::from_utf8_lossy(&data[..clear_len]);
    let start = clear.find("/Encoding")?;
    let rest = &clear[start..];
    if rest.starts_with("/Encoding StandardEncoding") {
        return None;
    }
    let end = rest
        .find("readonly def")
        .or_else(|| rest.find(" def"))
        .unwrap_or(rest.len());
    let mut out = [None; 256];
    let toks: Vec<&str> = rest[..end].split_whitespace().collect();
    for w in toks.windows(4) {
        if w[0] == "dup"
            && w[3] == "put"
            && let (Ok(code), Some(name)) = (w[1].parse::<usize>(), w[2].strip_prefix('/'))
            && code < 256
        {
            out[code] = glyph_char(name);
        }
    }
    Some(out)
}

/// The `/W` array of a CIDFont: `c [w1 w2 …]` and `cfirst clast w`.
fn read_w(doc: &Document, w: &[Object], out: &mut HashMap<u32, f32>) {
    let mut i = 0;
    while i < w.len() {
        let Some(first) = num(doc, &w[i]) else {
            break;
        };
        let first = first.max(0.0) as u32;
        match w
            .get(i + 1)
            .and_then(|o| doc.dereference(o).ok())
            .map(|x| x.1)
        {
            Some(Object::Array(list)) => {
                for (k, v) in list.iter().enumerate() {
                    if let Some(v) = num(doc, v) {
                        out.insert(first + k as u32, v * 0.001);
                    }
                }
                i += 2;
            }
            Some(o) => {
                let (Some(last), Some(v)) = (num(doc, o), w.get(i + 2).and_then(|x| num(doc, x)))
                else {
                    break;
                };
                let last = (last.max(0.0) as u32).min(first.saturating_add(65_536));
                for c in first..=last {
                    out.insert(c, v * 0.001);
                }
                i += 3;
            }
            None => break,
        }
    }
}

/// CID → Unicode through an embedded TrueType's cmap when CIDs are glyph
/// ids (CIDToGIDMap Identity or absent): for Type0 fonts without ToUnicode.
fn truetype_unicode(doc: &Document, cid_font: &Dictionary) -> HashMap<u32, char> {
    let mut out = HashMap::new();
    if let Some(o) = get(doc, cid_font, b"CIDToGIDMap")
        && !matches!(o, Object::Name(n) if n == b"Identity")
    {
        return out;
    }
    let Some(data) = get(doc, cid_font, b"FontDescriptor")
        .and_then(|o| o.as_dict().ok())
        .and_then(|fd| fd.get(b"FontFile2").ok())
        .and_then(|o| stream_bytes(doc, o))
    else {
        return out;
    };
    let Ok(face) = ttf_parser::Face::parse(&data, 0) else {
        return out;
    };
    if let Some(cmap) = face.tables().cmap {
        for sub in cmap.subtables {
            if !sub.is_unicode() {
                continue;
            }
            sub.codepoints(|cp| {
                if let (Some(g), Some(c)) = (sub.glyph_index(cp), char::from_u32(cp)) {
                    out.entry(u32::from(g.0)).or_insert(c);
                }
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glyph_names() {
        assert_eq!(glyph_char("A"), Some('A'));
        assert_eq!(glyph_char("eacute"), Some('é'));
        assert_eq!(glyph_char("fi"), Some('\u{FB01}'));
        assert_eq!(glyph_char("uni20AC"), Some('€'));
        assert_eq!(glyph_char("u1F600"), Some('😀'));
        assert_eq!(glyph_char("a.sc"), Some('a'));
        assert_eq!(glyph_char("g123"), None);
        assert_eq!(glyph_char(""), None);
    }

    #[test]
    fn standard_font_names() {
        assert!(standard_widths("Helvetica").is_some());
        assert!(standard_widths("ABCDEF+Arial,Bold").is_some());
        assert_eq!(
            standard_widths("Times-Roman").map(|w| w[usize::from(b'A')]),
            Some(722)
        );
        assert!(standard_widths("NotoSans").is_none());
    }
}
