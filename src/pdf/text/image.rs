//! Image samples for the covered-text check: only whether the pixels under
//! a glyph are one colour matters. Flate, LZW and unfiltered 8-bit (and
//! 1-bit) Gray, RGB, CMYK and Indexed images are decoded; stencil masks take
//! the fill colour. Anything else (JPEG, JPEG 2000, CCITT) is `None`, which
//! the check treats as a varied picture.

use super::interp::{Pixels, Rgb};
use lopdf::{Document, Object, Stream};

const MAX_PIXELS: usize = 40_000_000;

fn name<'a>(doc: &'a Document, o: &'a Object) -> Option<&'a [u8]> {
    doc.dereference(o).ok()?.1.as_name().ok()
}

/// An inline image's stream with its abbreviated keys and names written
/// out (`/W` → `/Width`, `/CS /G` → `/ColorSpace /DeviceGray`, `/F /Fl` →
/// `/Filter /FlateDecode`), as [`decode`] reads an image XObject's.
pub fn inline(image: &Stream) -> Stream {
    const KEYS: [(&[u8], &[u8]); 9] = [
        (b"BPC", b"BitsPerComponent"),
        (b"CS", b"ColorSpace"),
        (b"D", b"Decode"),
        (b"DP", b"DecodeParms"),
        (b"F", b"Filter"),
        (b"H", b"Height"),
        (b"IM", b"ImageMask"),
        (b"I", b"Interpolate"),
        (b"W", b"Width"),
    ];
    const NAMES: [(&[u8], &[u8]); 11] = [
        (b"G", b"DeviceGray"),
        (b"RGB", b"DeviceRGB"),
        (b"CMYK", b"DeviceCMYK"),
        (b"I", b"Indexed"),
        (b"AHx", b"ASCIIHexDecode"),
        (b"A85", b"ASCII85Decode"),
        (b"LZW", b"LZWDecode"),
        (b"Fl", b"FlateDecode"),
        (b"RL", b"RunLengthDecode"),
        (b"CCF", b"CCITTFaxDecode"),
        (b"DCT", b"DCTDecode"),
    ];
    fn full(o: &Object) -> Object {
        match o {
            Object::Name(n) => Object::Name(
                NAMES
                    .iter()
                    .find(|(short, _)| *short == n.as_slice())
                    .map_or_else(|| n.clone(), |(_, long)| long.to_vec()),
            ),
            Object::Array(items) => Object::Array(items.iter().map(full).collect()),
            other => other.clone(),
        }
    }
    let mut dict = lopdf::Dictionary::new();
    for (key, value) in image.dict.iter() {
        let key = KEYS
            .iter()
            .find(|(short, _)| *short == key.as_slice())
            .map_or_else(|| key.clone(), |(_, long)| long.to_vec());
        let value = match key.as_slice() {
            b"ColorSpace" | b"Filter" => full(value),
            _ => value.clone(),
        };
        dict.set(key, value);
    }
    Stream::new(dict, image.content.clone())
}

pub fn decode(doc: &Document, stream: &Stream, fill: Rgb) -> Option<Pixels> {
    let d = &stream.dict;
    let int = |k: &[u8]| {
        d.get(k)
            .ok()
            .and_then(|o| doc.dereference(o).ok())
            .and_then(|(_, o)| o.as_i64().ok())
    };
    let width = usize::try_from(int(b"Width")?).ok()?;
    let height = usize::try_from(int(b"Height")?).ok()?;
    if width == 0 || height == 0 || width.checked_mul(height)? > MAX_PIXELS {
        return None;
    }
    // A soft mask makes parts translucent: not a plain opaque picture.
    if d.has(b"SMask") || d.has(b"Mask") {
        return None;
    }
    let filters: Vec<&[u8]> = match d.get(b"Filter").ok().and_then(|o| doc.dereference(o).ok()) {
        Some((_, Object::Name(n))) => vec![n.as_slice()],
        Some((_, Object::Array(a))) => a.iter().filter_map(|o| name(doc, o)).collect(),
        _ => Vec::new(),
    };
    if filters
        .iter()
        .any(|f| !matches!(*f, b"FlateDecode" | b"Fl" | b"LZWDecode" | b"LZW"))
    {
        return None;
    }
    let data = if filters.is_empty() {
        stream.content.clone()
    } else {
        stream.decompressed_content().ok()?
    };
    let stencil = matches!(d.get(b"ImageMask"), Ok(Object::Boolean(true)));
    let bpc = if stencil {
        1
    } else {
        int(b"BitsPerComponent").unwrap_or(8)
    };
    if stencil {
        // Set bits (0 unless /Decode [1 0]) are painted in the fill colour;
        // the others are left as they were, so they count as varied.
        let color = fill?;
        let rgb = to_bytes(color);
        let row = width.div_ceil(8);
        if data.len() < row * height {
            return None;
        }
        let inverted = matches!(d.get(b"Decode"), Ok(Object::Array(a)) if a.first().and_then(|o| o.as_i64().ok()) == Some(1));
        let mut out = Vec::with_capacity(width * height);
        for y in 0..height {
            for x in 0..width {
                let bit = (data[y * row + x / 8] >> (7 - x % 8)) & 1;
                let painted = (bit == 0) != inverted;
                // Unpainted samples get a colour no fill has, so they never look uniform with it.
                out.push(if painted { rgb } else { [1, 2, 3] });
            }
        }
        return Some(Pixels {
            width,
            height,
            rgb: out,
        });
    }
    let space = d
        .get(b"ColorSpace")
        .ok()
        .and_then(|o| doc.dereference(o).ok())
        .map(|x| x.1);
    let (comps, palette): (usize, Option<(usize, Vec<u8>)>) = match space {
        Some(Object::Name(n)) => match n.as_slice() {
            b"DeviceGray" | b"CalGray" | b"G" => (1, None),
            b"DeviceRGB" | b"CalRGB" | b"RGB" => (3, None),
            b"DeviceCMYK" | b"CMYK" => (4, None),
            _ => return None,
        },
        Some(Object::Array(a)) => match a.first().and_then(|o| name(doc, o)) {
            Some(b"ICCBased") => {
                let n = a
                    .get(1)
                    .and_then(|o| doc.dereference(o).ok())
                    .and_then(|(_, o)| o.as_stream().ok())
                    .and_then(|s| s.dict.get(b"N").ok().and_then(|o| o.as_i64().ok()))
                    .unwrap_or(3);
                (usize::try_from(n).ok()?, None)
            }
            Some(b"Indexed" | b"I") => {
                let base = match a.get(1).and_then(|o| doc.dereference(o).ok()).map(|x| x.1) {
                    Some(Object::Name(b)) if b == b"DeviceGray" => 1,
                    Some(Object::Name(b)) if b == b"DeviceCMYK" => 4,
                    _ => 3,
                };
                let table = match a.get(3).and_then(|o| doc.dereference(o).ok()).map(|x| x.1) {
                    Some(Object::String(s, _)) => s.clone(),
                    Some(Object::Stream(s)) => s
                        .decompressed_content()
                        .unwrap_or_else(|_| s.content.clone()),
                    _ => return None,
                };
                (1, Some((base, table)))
            }
            _ => return None,
        },
        _ => return None,
    };
    if !matches!(bpc, 1 | 2 | 4 | 8) || comps == 0 || comps > 4 {
        return None;
    }
    let bpc = usize::try_from(bpc).ok()?;
    let row_bits = width * comps * bpc;
    let row = row_bits.div_ceil(8);
    if data.len() < row * height {
        return None;
    }
    let max = ((1u32 << bpc) - 1) as f32;
    let mut out = Vec::with_capacity(width * height);
    for y in 0..height {
        let line = &data[y * row..(y + 1) * row];
        for x in 0..width {
            let mut v = [0f32; 4];
            let mut raw = [0u32; 4];
            for (c, slot) in v.iter_mut().enumerate().take(comps) {
                let bit = (x * comps + c) * bpc;
                let byte = line[bit / 8];
                let sample = if bpc == 8 {
                    u32::from(byte)
                } else {
                    u32::from((byte >> (8 - bpc - bit % 8)) & ((1u8 << bpc) - 1))
                };
                raw[c] = sample;
                *slot = sample as f32 / max;
            }
            let rgb = if let Some((base, table)) = &palette {
                let i = raw[0] as usize * base;
                let t = |k: usize| f32::from(*table.get(i + k).unwrap_or(&0)) / 255.0;
                match base {
                    1 => [t(0); 3],
                    4 => super::interp::cmyk(t(0), t(1), t(2), t(3)),
                    _ => [t(0), t(1), t(2)],
                }
            } else {
                match comps {
                    1 => [v[0]; 3],
                    3 => [v[0], v[1], v[2]],
                    4 => super::interp::cmyk(v[0], v[1], v[2], v[3]),
                    _ => [v[0]; 3],
                }
            };
            out.push(to_bytes(rgb));
        }
    }
    Some(Pixels {
        width,
        height,
        rgb: out,
    })
}

fn to_bytes(c: [f32; 3]) -> [u8; 3] {
    c.map(|v| (v.clamp(0.0, 1.0) * 255.0).round() as u8)
}
