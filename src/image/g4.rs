//! Bilevel pages as single-page CCITT Group IV TIFFs: T.6 coding by the
//! `fax` crate, the container by the `tiff` crate. One strip holds the whole
//! page (Compression 4, PhotometricInterpretation WhiteIsZero, the usual
//! layout of litigation TIFFs), with its resolution (300 dpi) in inches.

use fax::encoder::Encoder;
use fax::{Color, VecWriter};
use std::io::Cursor;
use tiff::encoder::{Rational, TiffEncoder};
use tiff::tags::Tag;

/// T.6 coded data for a `width` × `height` bitmap given row by row
/// (`true` = black).
fn t6<I: Iterator<Item = bool>>(
    width: u32,
    height: u32,
    mut row: impl FnMut(usize) -> I,
) -> Vec<u8> {
    let mut encoder = Encoder::new(VecWriter::new());
    for y in 0..height as usize {
        let pels = row(y).map(|black| if black { Color::Black } else { Color::White });
        // VecWriter cannot fail (its error type is Infallible).
        let Ok(()) = encoder.encode_line(pels, width);
    }
    let Ok(writer) = encoder.finish();
    writer.finish()
}

/// A complete single-page TIFF for a bilevel page (`true` = black).
pub fn g4_tiff(pixels: &[bool], width: u32, height: u32, dpi: u32) -> Result<Vec<u8>, String> {
    let w = width as usize;
    if w == 0 || pixels.len() != w * height as usize {
        return Err(format!(
            "a {width} × {height} page cannot hold {} pixels",
            pixels.len()
        ));
    }
    g4_tiff_rows(width, height, dpi, |y| {
        pixels[y * w..(y + 1) * w].iter().copied()
    })
}

/// A complete single-page TIFF for a bilevel page given row by row (`true`
/// = black), so no page-sized bitmap is made on the way.
pub fn g4_tiff_rows<I: Iterator<Item = bool>>(
    width: u32,
    height: u32,
    dpi: u32,
    row: impl FnMut(usize) -> I,
) -> Result<Vec<u8>, String> {
    if width == 0 || height == 0 {
        return Err(format!("a {width} × {height} page has no pixels"));
    }
    let data = t6(width, height, row);
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
    /// `.ci/run` installs it.
    #[test]
    fn libtiff_decodes_exactly_what_was_encoded() {
        let have = std::process::Command::new("python3")
            .args(["-c", "import PIL"])
            .status()
            .is_ok_and(|s| s.success());
        if !have {
            eprintln!("note: python3 with Pillow is not installed; skipped here");
            return;
        }
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
        let out = std::process::Command::new("python3")
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
