//! Bilevel pages as single-page CCITT Group IV TIFFs: T.6 coding by our own
//! run-based coder, the container by the `tiff` crate. One strip holds the
//! whole page (Compression 4, PhotometricInterpretation WhiteIsZero, the
//! usual layout of litigation TIFFs), with its resolution (300 dpi) in
//! inches.
//!
//! The page comes packed, 64 pixels to a word (see [`Packed`]). Each row's
//! changing elements (the pixels whose colour differs from the one before)
//! are found a word at a time: a white word after white costs one
//! comparison, and a word with edges costs one count of leading zeros per
//! edge. The two-dimensional coding then works on those positions alone, so
//! the time a page takes grows with its edges, not its pixels. The coding
//! decisions (pass, vertical, horizontal) are the ones the `fax` crate's
//! encoder makes, and its bytes are the same (tested below).

mod codes;

use std::io::Cursor;
use tiff::encoder::{Rational, TiffEncoder};
use tiff::tags::Tag;

/// A bilevel page packed 64 pixels to a `u64`, most significant bit first:
/// pixel `x` of row `y` is bit `63 - x % 64` of `words[y * stride + x / 64]`,
/// 1 for black. Bits past the width are 0.
#[derive(Debug, Clone, Copy)]
pub struct Packed<'a> {
    pub width: u32,
    pub height: u32,
    /// Words per row: `width.div_ceil(64)`.
    pub stride: usize,
    pub words: &'a [u64],
}

impl Packed<'_> {
    fn row(&self, y: usize) -> &[u64] {
        &self.words[y * self.stride..(y + 1) * self.stride]
    }
}

/// Words a row of `width` pixels takes.
pub fn stride(width: u32) -> usize {
    (width as usize).div_ceil(64)
}

/// Packs rows of `true` = black pixels (tests and small callers; pages are
/// packed straight from their pixels by `Raster::pack`).
pub fn pack(pixels: &[bool], width: u32) -> Vec<u64> {
    let s = stride(width);
    let w = width as usize;
    let mut words = vec![0u64; s * pixels.len().checked_div(w).unwrap_or(0)];
    for (y, row) in pixels.chunks_exact(w.max(1)).enumerate() {
        for (x, &black) in row.iter().enumerate() {
            words[y * s + x / 64] |= u64::from(black) << (63 - x % 64);
        }
    }
    words
}

/// The changing elements of a packed row: every `x < width` where pixel `x`
/// differs from pixel `x - 1` (the pixel before the row counts as white), in
/// order, into `out`.
fn changes(row: &[u64], width: u32, out: &mut Vec<u32>) {
    out.clear();
    // The colour of the pixel before the current word, as bit 63.
    let mut before = 0u64;
    for (i, &word) in row.iter().enumerate() {
        // Bit k set: pixel k of the word differs from the one before it.
        let mut edges = word ^ ((word >> 1) | before);
        before = word << 63;
        while edges != 0 {
            let lz = edges.leading_zeros();
            let x = i as u32 * 64 + lz;
            if x >= width {
                // Only the padding after a row ending in black is left.
                return;
            }
            out.push(x);
            edges ^= 1u64 << (63 - lz);
        }
    }
}

use codes::{BLACK, EOL, HORIZONTAL, PASS, VERTICAL, WHITE};

/// Bits most significant first into bytes; the last byte is padded with 0.
struct Bits {
    out: Vec<u8>,
    /// Pending bits, left-aligned.
    acc: u64,
    len: u32,
}

impl Bits {
    fn put(&mut self, (code, len): (u16, u8)) {
        let len = u32::from(len);
        // `self.len` < 32 and codes are at most 13 bits: it fits.
        self.acc |= u64::from(code) << (64 - self.len - len);
        self.len += len;
        if self.len >= 32 {
            self.out
                .extend_from_slice(&((self.acc >> 32) as u32).to_be_bytes());
            self.acc <<= 32;
            self.len -= 32;
        }
    }

    fn run(&mut self, black: bool, mut n: u32) {
        let table = if black { &BLACK } else { &WHITE };
        while n >= 2560 {
            self.put(table[103]);
            n -= 2560;
        }
        if n >= 64 {
            self.put(table[63 + n as usize / 64]);
            n &= 63;
        }
        self.put(table[n as usize]);
    }

    fn finish(mut self) -> Vec<u8> {
        let bytes = self.len.div_ceil(8) as usize;
        self.out.extend_from_slice(&self.acc.to_be_bytes()[..bytes]);
        self.out
    }
}

/// The reference line's changing elements, walked left to right (b1, b2).
/// The same walk as the `fax` crate's encoder, so the same modes are chosen.
struct Reference<'a> {
    edges: &'a [u32],
    pos: usize,
}

impl Reference<'_> {
    fn seek_back(&mut self, a0: u32) {
        self.pos = self.pos.min(self.edges.len().saturating_sub(1));
        while self.pos > 0 && a0 < self.edges[self.pos - 1] {
            self.pos -= 1;
        }
    }

    /// b1: the first changing element after `a0` that turns to `black` (or,
    /// at the start of the row, the first of that colour at all).
    fn b1(&mut self, a0: u32, black: bool, start_of_row: bool) -> Option<u32> {
        if start_of_row {
            self.pos = if black { 1 } else { 2 };
            return self.edges.get(self.pos - 1).copied();
        }
        while self.pos < self.edges.len() {
            if self.edges[self.pos] <= a0 {
                self.pos += 1;
                continue;
            }
            // Even positions turn to black, odd ones back to white.
            if self.pos.is_multiple_of(2) != black {
                self.pos += 1;
            }
            break;
        }
        let found = self.edges.get(self.pos).copied();
        if found.is_some() {
            self.pos += 1;
        }
        found
    }
}

/// Codes one row from its changing elements and the row above's.
fn code_row(bits: &mut Bits, reference: &[u32], current: &[u32], width: u32) {
    let mut refs = Reference {
        edges: reference,
        pos: 0,
    };
    let mut next = current.iter().copied();
    let mut black = false;
    let mut a0 = 0u32;
    let mut start_of_row = true;
    while a0 < width {
        let a1 = next.next().unwrap_or(width);
        loop {
            refs.seek_back(a0);
            let b1 = refs.b1(a0, !black, start_of_row).unwrap_or(width);
            let b2 = refs.edges.get(refs.pos).copied();
            start_of_row = false;
            if let Some(b2) = b2.filter(|&b2| b2 < a1) {
                bits.put(PASS);
                refs.pos += 1;
                a0 = b2;
                continue;
            }
            if a1.abs_diff(b1) <= 3 {
                bits.put(VERTICAL[(a1 as i64 - b1 as i64 + 3) as usize]);
                a0 = a1;
                black = !black;
            } else {
                let a2 = next.next().unwrap_or(width);
                bits.put(HORIZONTAL);
                bits.run(black, a1.saturating_sub(a0));
                bits.run(!black, a2.saturating_sub(a1));
                a0 = a2;
            }
            break;
        }
    }
}

/// T.6 coded data for a packed page, ending with EOFB.
fn t6(page: &Packed<'_>) -> Vec<u8> {
    let mut bits = Bits {
        // Text pages code to about 1/50 of their packed size.
        out: Vec::with_capacity(page.words.len() * 8 / 32),
        acc: 0,
        len: 0,
    };
    let (mut reference, mut current) = (Vec::new(), Vec::new());
    for y in 0..page.height as usize {
        changes(page.row(y), page.width, &mut current);
        code_row(&mut bits, &reference, &current, page.width);
        std::mem::swap(&mut reference, &mut current);
    }
    bits.put(EOL);
    bits.put(EOL);
    bits.finish()
}

/// A complete single-page TIFF for a bilevel page given as `true` = black
/// pixels, row by row.
pub fn g4_tiff(pixels: &[bool], width: u32, height: u32, dpi: u32) -> Result<Vec<u8>, String> {
    let w = width as usize;
    if w == 0 || pixels.len() != w * height as usize {
        return Err(format!(
            "a {width} × {height} page cannot hold {} pixels",
            pixels.len()
        ));
    }
    let words = pack(pixels, width);
    g4_tiff_packed(
        &Packed {
            width,
            height,
            stride: stride(width),
            words: &words,
        },
        dpi,
    )
}

/// A complete single-page TIFF for a packed bilevel page.
pub fn g4_tiff_packed(page: &Packed<'_>, dpi: u32) -> Result<Vec<u8>, String> {
    let (width, height) = (page.width, page.height);
    if width == 0 || height == 0 {
        return Err(format!("a {width} × {height} page has no pixels"));
    }
    if page.stride != stride(width) || page.words.len() != page.stride * height as usize {
        return Err(format!(
            "a {width} × {height} page cannot be {} words",
            page.words.len()
        ));
    }
    let data = t6(page);
    let tiff_error = |e: tiff::TiffError| format!("the TIFF could not be written: {e}");
    let mut out = Cursor::new(Vec::with_capacity(data.len() + 256));
    let mut tiff = TiffEncoder::new(&mut out).map_err(tiff_error)?;
    let mut dir = tiff.image_directory().map_err(tiff_error)?;
    // The strip first, then the directory that points at it.
    let offset = dir.write_data(data.as_slice()).map_err(tiff_error)?;
    let offset = u32::try_from(offset).map_err(|_| "the TIFF would exceed 4 GiB".to_string())?;
    let count = u32::try_from(data.len()).map_err(|_| "the TIFF would exceed 4 GiB".to_string())?;
    let resolution = Rational { n: dpi, d: 1 };
    let longs: [(Tag, u32); 7] = [
        (Tag::NewSubfileType, 0),
        (Tag::ImageWidth, width),
        (Tag::ImageLength, height),
        (Tag::StripOffsets, offset),
        (Tag::RowsPerStrip, height),
        (Tag::StripByteCounts, count),
        (Tag::Unknown(T6_OPTIONS), 0),
    ];
    for (tag, value) in longs {
        dir.write_tag(tag, value).map_err(tiff_error)?;
    }
    let shorts: [(Tag, u16); 6] = [
        (Tag::BitsPerSample, 1),
        (Tag::Compression, 4),
        (Tag::PhotometricInterpretation, 0),
        (Tag::FillOrder, 1),
        (Tag::SamplesPerPixel, 1),
        (Tag::ResolutionUnit, 2),
    ];
    for (tag, value) in shorts {
        dir.write_tag(tag, value).map_err(tiff_error)?;
    }
    dir.write_tag(Tag::XResolution, resolution.clone())
        .map_err(tiff_error)?;
    dir.write_tag(Tag::YResolution, resolution)
        .map_err(tiff_error)?;
    dir.finish().map_err(tiff_error)?;
    Ok(out.into_inner())
}

/// T6Options (TIFF 6.0, tag 293): 0 = no uncompressed mode.
const T6_OPTIONS: u16 = 293;

#[cfg(test)]
mod tests {
    use super::*;

    /// The coder this one replaced: the `fax` crate's, fed pixel by pixel.
    /// Its bytes are the reference the run-based coder must reproduce.
    fn fax_t6(pixels: &[bool], width: u32, height: u32) -> Vec<u8> {
        use fax::encoder::Encoder;
        use fax::{Color, VecWriter};
        let mut encoder = Encoder::new(VecWriter::new());
        let w = width as usize;
        for y in 0..height as usize {
            let pels = pixels[y * w..(y + 1) * w]
                .iter()
                .map(|&black| if black { Color::Black } else { Color::White });
            let Ok(()) = encoder.encode_line(pels, width);
        }
        let Ok(writer) = encoder.finish();
        writer.finish()
    }

    fn run_t6(pixels: &[bool], width: u32, height: u32) -> Vec<u8> {
        let words = pack(pixels, width);
        t6(&Packed {
            width,
            height,
            stride: stride(width),
            words: &words,
        })
    }

    /// Pixels from a small LCG, each black with probability `black` / 256.
    fn noise(width: u32, height: u32, seed: u64, black: u64) -> Vec<bool> {
        let mut s = seed;
        (0..width * height)
            .map(|_| {
                s = s
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                (s >> 56) < black
            })
            .collect()
    }

    #[test]
    fn changing_elements_are_found_a_word_at_a_time() {
        for (w, seed) in [
            (1, 1),
            (8, 2),
            (63, 3),
            (64, 4),
            (65, 5),
            (200, 6),
            (2550, 7),
        ] {
            for px in [
                pattern(w, 1, seed),
                noise(w, 1, seed, 128),
                vec![true; w as usize],
                vec![false; w as usize],
                (0..w).map(|x| x % 2 == 0).collect(),
                (0..w).map(|x| x % 2 == 1).collect(),
            ] {
                let expected: Vec<u32> = (0..w)
                    .filter(|&x| px[x as usize] != (x > 0 && px[x as usize - 1]))
                    .collect();
                let mut found = Vec::new();
                changes(&pack(&px, w), w, &mut found);
                assert_eq!(found, expected, "width {w}");
            }
        }
    }

    #[test]
    fn codes_the_same_bytes_as_the_fax_crate() {
        let widths = [
            1, 2, 7, 8, 9, 63, 64, 65, 127, 128, 129, 200, 1000, 2550, 2561, 6000,
        ];
        for (i, &w) in widths.iter().enumerate() {
            let h = 7;
            let seed = i as u64 + 1;
            let rows = |f: &dyn Fn(u32, u32) -> bool| -> Vec<bool> {
                (0..h)
                    .flat_map(|y| (0..w).map(move |x| (y, x)))
                    .map(|(y, x)| f(y, x))
                    .collect()
            };
            let cases: Vec<(&str, Vec<bool>)> = vec![
                ("runs", pattern(w, h, seed)),
                ("noise", noise(w, h, seed, 128)),
                ("sparse", noise(w, h, seed, 6)),
                ("dense", noise(w, h, seed, 250)),
                ("white", vec![false; (w * h) as usize]),
                ("black", vec![true; (w * h) as usize]),
                ("alternating", rows(&|y, x| (x + y) % 2 == 0)),
                ("columns", rows(&|_, x| x % 2 == 1)),
                ("stripes", rows(&|y, _| y % 2 == 0)),
                ("edges", rows(&|y, x| x == 0 || x + 1 == w || x == y)),
                ("steps", rows(&|y, x| (x / (y + 1)) % 3 == 0)),
            ];
            for (what, px) in cases {
                assert_eq!(run_t6(&px, w, h), fax_t6(&px, w, h), "{what}, {w} × {h}");
            }
        }
        // A whole page of runs of every length, as a page would be.
        let px = pattern(2550, 300, 42);
        assert_eq!(run_t6(&px, 2550, 300), fax_t6(&px, 2550, 300));
    }

    #[test]
    fn refuses_packed_words_of_the_wrong_size() {
        let words = vec![0u64; 3];
        let page = |stride, words| Packed {
            width: 70,
            height: 2,
            stride,
            words,
        };
        assert!(g4_tiff_packed(&page(2, &words), 300).is_err());
        assert!(g4_tiff_packed(&page(1, &words[..2]), 300).is_err());
        assert!(g4_tiff_packed(&page(2, &[0u64; 4]), 300).is_ok());
    }

    /// The bitmap of a TIFF written by [`g4_tiff`], decoded by `fax` (for tests
    /// only; production never reads its own images back).
    fn decode_g4_tiff(tiff: &[u8]) -> Option<(u32, u32, Vec<bool>)> {
        use tiff::decoder::Decoder;
        let mut dec = Decoder::new(Cursor::new(tiff)).ok()?;
        let (width, height) = dec.dimensions().ok()?;
        let offset = dec.get_tag_u32(Tag::StripOffsets).ok()? as usize;
        let count = dec.get_tag_u32(Tag::StripByteCounts).ok()? as usize;
        let data = tiff.get(offset..offset + count)?;
        let mut pixels = Vec::with_capacity(width as usize * height as usize);
        fax::decoder::decode_g4(data.iter().copied(), width, Some(height), |transitions| {
            let mut black = false;
            let mut x = 0u32;
            for &t in transitions.iter().chain(std::iter::once(&width)) {
                let t = t.min(width);
                pixels.extend(std::iter::repeat_n(black, (t - x.min(t)) as usize));
                x = x.max(t);
                black = !black;
            }
        })?;
        (pixels.len() == width as usize * height as usize).then_some((width, height, pixels))
    }

    fn pattern(width: u32, height: u32, seed: u64) -> Vec<bool> {
        // A small LCG: runs of every length, lines starting black or white.
        let mut s = seed;
        let mut out = Vec::new();
        let mut black = false;
        while out.len() < (width * height) as usize {
            s = s
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let run = match (s >> 60) % 4 {
                0 => 1,
                1 => (s >> 40) % 8,
                2 => (s >> 30) % 200,
                _ => (s >> 20) % 3000,
            };
            out.extend(std::iter::repeat_n(black, run as usize));
            black = !black;
        }
        out.truncate((width * height) as usize);
        out
    }

    #[test]
    fn round_trips_through_the_fax_decoder() {
        for (w, h, seed) in [
            (1, 1, 1),
            (7, 3, 2),
            (64, 64, 3),
            (2550, 12, 4),
            (2561, 9, 5),
        ] {
            let px = pattern(w, h, seed);
            let tiff = g4_tiff(&px, w, h, 300).unwrap();
            let (dw, dh, back) = decode_g4_tiff(&tiff).unwrap();
            assert_eq!((dw, dh), (w, h));
            assert_eq!(back, px, "{w}x{h} seed {seed}");
        }
        let all_black = vec![true; 100 * 5];
        let (_, _, back) = decode_g4_tiff(&g4_tiff(&all_black, 100, 5, 300).unwrap()).unwrap();
        assert_eq!(back, all_black);
    }

    #[test]
    fn refuses_a_bitmap_of_the_wrong_size() {
        assert!(g4_tiff(&[true; 5], 2, 2, 300).is_err());
        assert!(g4_tiff(&[], 0, 0, 300).is_err());
    }

    #[test]
    fn tags_say_group_4_white_is_zero_300_dpi() {
        use tiff::decoder::Decoder;
        let tiff = g4_tiff(&pattern(40, 10, 9), 40, 10, 300).unwrap();
        let mut dec = Decoder::new(Cursor::new(tiff.as_slice())).unwrap();
        assert_eq!(dec.get_tag_u32(Tag::Compression).unwrap(), 4);
        assert_eq!(dec.get_tag_u32(Tag::PhotometricInterpretation).unwrap(), 0);
        assert_eq!(dec.get_tag_u32(Tag::ResolutionUnit).unwrap(), 2);
        assert_eq!(dec.get_tag_u32(Tag::RowsPerStrip).unwrap(), 10);
        assert!(!dec.more_images());
    }

    /// libtiff (through Pillow) decodes exactly what was encoded: runs of
    /// every length, lines starting black, all-black and all-white lines.
    /// Skipped, saying so, where python3 with Pillow is not installed;
    /// `.ci/run` installs it (apt's python3-pil serves the system's Python,
    /// which a PATH may put after another, as pyenv does).
    #[test]
    fn libtiff_decodes_exactly_what_was_encoded() {
        let Some(python) = ["python3", "/usr/bin/python3"].into_iter().find(|py| {
            std::process::Command::new(py)
                .args(["-c", "import PIL"])
                .stderr(std::process::Stdio::null())
                .status()
                .is_ok_and(|s| s.success())
        }) else {
            eprintln!("note: python3 with Pillow is not installed; skipped here");
            return;
        };
        let dir = tempfile::tempdir().unwrap();
        let mut args = vec![
            "-c".to_string(),
            "import sys\nfrom PIL import Image\nfor t, r in zip(sys.argv[1::2], sys.argv[2::2]):\n    im = Image.open(t)\n    assert im.info['compression'] == 'group4', t\n    bits = ''.join('1' if p == 0 else '0' for p in im.convert('L').getdata())\n    print('same' if bits == open(r).read() else 'differs', t)\n".to_string(),
        ];
        let cases = [
            (1, 1, 1),
            (9, 4, 2),
            (300, 40, 3),
            (2550, 6, 4),
            (2561, 5, 5),
            (70, 3, 0),
        ];
        for (w, h, seed) in cases {
            let px = if seed == 0 {
                // All black, then all white, then alternating pixels.
                (0..w * h)
                    .map(|i| i < w || (i >= 2 * w && i % 2 == 0))
                    .collect()
            } else {
                pattern(w, h, seed)
            };
            let tif = dir.path().join(format!("{seed}.tif"));
            let raw = dir.path().join(format!("{seed}.txt"));
            std::fs::write(&tif, g4_tiff(&px, w, h, 300).unwrap()).unwrap();
            let bits: String = px.iter().map(|&b| if b { '1' } else { '0' }).collect();
            std::fs::write(&raw, bits).unwrap();
            args.push(tif.display().to_string());
            args.push(raw.display().to_string());
        }
        let out = std::process::Command::new(python)
            .args(&args)
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{stdout} {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(stdout.matches("same").count(), cases.len(), "{stdout}");
    }
}
