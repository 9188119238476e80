//! Rasterising a PDF's pages with hayro (pure Rust) at 300 dpi, on white.
//! hayro is lenient: it draws what it can and reports the rest through a
//! warning callback. A page whose image or font cannot be decoded would come
//! out with a hole in it, so those warnings, a panic inside the renderer and
//! a page too large for its pixel buffer are errors naming the page.

use super::RenderError;
use hayro::hayro_interpret::util::TransformExt;
use hayro::hayro_interpret::{InterpreterSettings, InterpreterWarning};
use hayro::hayro_syntax::Pdf;
use hayro::kurbo::Affine;
use hayro::vello_cpu::color::palette::css::WHITE;
use hayro::vello_cpu::{Pixmap, RasterizerSettings, RenderContext, Resources, TargetInit};
use hayro::{RenderCache, RenderSettings};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// The resolution pages are drawn at.
pub const DPI: u32 = 300;

/// One rendered page: opaque RGBA (alpha always 255), row by row, top to
/// bottom, in the canvas it was drawn in (no copy).
#[derive(Debug, Clone, Copy)]
pub struct Raster<'a> {
    pub width: u32,
    pub height: u32,
    /// Pixels per inch: [`DPI`], less only for a page too large for memory.
    pub dpi: u32,
    pub rgba: &'a [u8],
}

/// The renderer's buffers, kept from page to page: a page's 33 MB of
/// pixels allocated afresh each time costs more in page faults and clearing
/// than drawing a page of text.
#[derive(Default)]
pub struct Canvas {
    ctx: Option<RenderContext>,
    pixmap: Option<Pixmap>,
}

impl Canvas {
    /// The pixels its buffers hold.
    pub fn pixels(&self) -> usize {
        self.pixmap
            .as_ref()
            .map_or(0, |p| usize::from(p.width()) * usize::from(p.height()))
    }
}

/// Chroma (max − min of R, G, B) above which a pixel counts as coloured;
/// grey anti-aliasing around black text stays well under it.
const CHROMA: u8 = 48;
/// Coloured pixels (per 10,000) that make a page a colour page: a few stray
/// fringe pixels do not, a logo, a highlight or a photograph does.
const COLOUR_SHARE: u64 = 5;
/// Luminance below which a pixel is black in the bilevel image (half way,
/// as a printer's threshold).
const BLACK_BELOW: u32 = 128;

impl Raster<'_> {
    /// Packs the page as black (luminance below half way) and white pixels
    /// into `words`, laid out as [`super::g4::Packed`] says, and returns how
    /// many of its pixels are coloured. One pass over the pixels serves both
    /// the choice of format and the bilevel image.
    pub fn pack(&self, words: &mut Vec<u64>) -> u64 {
        let stride = super::g4::stride(self.width);
        let row_bytes = self.width as usize * 4;
        words.clear();
        words.resize(stride * self.height as usize, 0);
        let mut coloured = 0;
        if row_bytes == 0 {
            return 0;
        }
        for (row, out) in self
            .rgba
            .chunks_exact(row_bytes)
            .zip(words.chunks_exact_mut(stride))
        {
            for (pixels, word) in row.chunks(64 * 4).zip(out.iter_mut()) {
                let (bits, c) = pack_word(pixels);
                *word = bits;
                coloured += c;
            }
        }
        coloured
    }

    /// True when `coloured` pixels (of [`Raster::pack`]) make the page a
    /// colour page that a black-and-white image would lose.
    pub fn is_colour(&self, coloured: u64) -> bool {
        let total = u64::from(self.width) * u64::from(self.height);
        coloured > total * COLOUR_SHARE / 10_000
    }
}

/// Up to 64 RGBA pixels as one packed word (the first pixel in the top bit,
/// 1 for black) and how many of them are coloured.
fn pack_word(pixels: &[u8]) -> (u64, u64) {
    // White paper is most of a page: 64 white pixels are one test of 256
    // bytes (which the compiler does in wide registers).
    let white = pixels.chunks_exact(8).fold(u64::MAX, |all, c| {
        let mut b = [0u8; 8];
        b.copy_from_slice(c);
        all & u64::from_ne_bytes(b)
    });
    if white == u64::MAX && pixels.len().is_multiple_of(8) {
        return (0, 0);
    }
    // One byte per pixel, 1 for black, and the coloured count, in loops
    // without branches or shifts by the pixel's place, on whole 32-bit
    // pixels, so that they run in SIMD registers (measured 1.5 times as fast
    // as byte by byte on a page of grey paper).
    let mut px = [0u32; 64];
    for (v, p) in px.iter_mut().zip(pixels.chunks_exact(4)) {
        *v = u32::from_le_bytes([p[0], p[1], p[2], p[3]]);
    }
    let mut black = [0u8; 64];
    let mut coloured = 0u32;
    for (flag, &v) in black.iter_mut().zip(&px[..pixels.len() / 4]) {
        let (r, g, b) = (v & 0xFF, (v >> 8) & 0xFF, (v >> 16) & 0xFF);
        // ITU-R BT.601 luma in integers (weights out of 256, so at most
        // 65,280): black below half way, deterministic everywhere.
        let luma = 77 * r + 150 * g + 29 * b;
        *flag = u8::from(luma < BLACK_BELOW * 256);
        let chroma = r.max(g).max(b) - r.min(g).min(b);
        coloured += u32::from(chroma > u32::from(CHROMA));
    }
    (to_bits(&black), u64::from(coloured))
}

/// 64 bytes of 0 or 1 as a word, the first byte in the top bit. Eight
/// bytes at a time: the multiplier moves byte `i`'s bit to bit `63 - i`
/// (no two partial products meet, so nothing carries into the top byte).
fn to_bits(flags: &[u8; 64]) -> u64 {
    let mut out = [0u8; 8];
    for (o, c) in out.iter_mut().zip(flags.chunks_exact(8)) {
        let mut b = [0u8; 8];
        b.copy_from_slice(c);
        *o = (u64::from_le_bytes(b).wrapping_mul(0x8040_2010_0804_0201) >> 56) as u8;
    }
    u64::from_be_bytes(out)
}

/// Pixels a page may take at most (an ARCH D 24 × 36 inch drawing is 78
/// million at 300 dpi): pages render two at a time, and each pixel costs up
/// to 7 bytes while it is drawn and encoded.
const MAX_PIXELS: f64 = 100_000_000.0;

/// The resolution a `w` × `h` point page is drawn at: 300 dpi, or for a page
/// larger than [`MAX_PIXELS`] or than hayro's 65,535-pixel sides the highest
/// whole dpi that fits (written in the image's resolution tags, so the page
/// keeps its size in inches). `None` for a page with no area.
fn resolution(w: f32, h: f32) -> Option<u32> {
    let (w, h) = (f64::from(w), f64::from(h));
    if !(w.is_finite() && h.is_finite() && w > 0.0 && h > 0.0) {
        return None;
    }
    let mut dpi = f64::from(DPI);
    let pixels = (w * dpi / 72.0) * (h * dpi / 72.0);
    if pixels > MAX_PIXELS {
        dpi = (dpi * (MAX_PIXELS / pixels).sqrt()).floor();
    }
    let side = f64::from(u16::MAX) * 72.0 / w.max(h);
    dpi = dpi.min(side.floor());
    (dpi >= 1.0).then_some(dpi as u32)
}

/// A parsed PDF ready to render page by page.
pub struct Document {
    pdf: Pdf,
}

impl Document {
    pub fn load(bytes: &[u8]) -> Result<Document, RenderError> {
        let parsed = crate::pdf::guarded("PDF renderer", || {
            Pdf::new(bytes.to_vec())
                .map_err(|e| format!("the renderer cannot open the PDF ({e:?})"))
        });
        parsed
            .map(|pdf| Document { pdf })
            .map_err(|reason| RenderError { page: None, reason })
    }

    pub fn pages(&self) -> usize {
        self.pdf.pages().len()
    }

    /// The renderer's caches (fonts, glyph bitmaps, colour spaces) for this
    /// document's pages. Cached entries are keyed by the objects' contents,
    /// and a glyph is drawn from its cached bitmap whether it was just made
    /// or made for an earlier page, so a page's pixels do not depend on what
    /// was drawn before it.
    pub fn cache(&self) -> RenderCache<'_> {
        RenderCache::new()
    }

    /// Page `index` (from 0) at 300 dpi, composited on white, drawn in
    /// `canvas` (whose buffers the next page reuses) with `cache` (from
    /// [`Document::cache`]; pages share it).
    pub fn render<'c, 'd>(
        &'d self,
        index: usize,
        canvas: &'c mut Canvas,
        cache: &RenderCache<'d>,
    ) -> Result<Raster<'c>, RenderError> {
        let at = |reason: String| RenderError {
            page: Some(index + 1),
            reason,
        };
        let pages = self.pdf.pages();
        let page = pages
            .get(index)
            .ok_or_else(|| at("the page is not in the PDF".into()))?;
        let (w, h) = page.render_dimensions();
        let dpi = resolution(w, h).ok_or_else(|| {
            at(format!(
                "the page is {w:.0} × {h:.0} points, which has no area to draw"
            ))
        })?;
        // Whole pixels covering the page, as Poppler and Ghostscript count
        // them (Letter is 2550 × 3300; a part pixel counts), each axis scaled
        // to fit; float noise (2550.0000001) is not a part pixel.
        let to_px = |pt: f32| {
            (f64::from(pt) * f64::from(dpi) / 72.0 - 1e-6)
                .ceil()
                .max(1.0)
        };
        let (pw, ph) = (to_px(w), to_px(h));
        let warnings: Arc<Mutex<Vec<InterpreterWarning>>> = Arc::default();
        let sink = warnings.clone();
        let no_cjk_font = Arc::new(AtomicBool::new(false));
        let settings = InterpreterSettings {
            warning_sink: Arc::new(move |w| {
                if let Ok(mut list) = sink.lock() {
                    list.push(w);
                }
            }),
            ..super::fonts::settings(no_cjk_font.clone())
        };
        let (pw, ph) = (pw as u16, ph as u16);
        let transform =
            Affine::scale_non_uniform(f64::from(pw) / f64::from(w), f64::from(ph) / f64::from(h))
                * page.initial_transform(true).to_kurbo();
        let drawn = crate::pdf::guarded("PDF renderer", || {
            let ctx = match &mut canvas.ctx {
                Some(ctx) => {
                    ctx.reset_and_resize(pw, ph);
                    ctx
                }
                slot => slot.insert(RenderContext::new(pw, ph)),
            };
            hayro::render_into(
                page,
                cache,
                &settings,
                &RenderSettings::default(),
                ctx,
                transform,
            );
            ctx.flush();
            let pixmap = canvas.pixmap.get_or_insert_with(|| Pixmap::new(pw, ph));
            if (pixmap.width(), pixmap.height()) != (pw, ph) {
                pixmap.resize(pw, ph);
            }
            // The scene covers the whole pixmap: every pixel is written.
            ctx.render_with(
                &mut *pixmap,
                &mut Resources::default(),
                RasterizerSettings {
                    target_init: TargetInit::Clear(WHITE),
                    ..Default::default()
                },
            );
            Ok::<_, String>(())
        });
        if let Err(e) = drawn {
            // A panic may have left the buffers half-way: start afresh.
            *canvas = Canvas::default();
            return Err(at(e));
        }
        if no_cjk_font.load(Ordering::Relaxed) {
            return Err(at(
                "its Chinese, Japanese or Korean text uses a font the PDF does not embed, and no CJK font is installed to draw it (install Noto CJK, e.g. `apt install fonts-noto-cjk`, or name its folder in ADREC_FONT_DIRS)".into(),
            ));
        }
        let found = warnings.lock().map(|l| l.clone()).unwrap_or_default();
        if let Some(reason) = found.iter().find_map(|w| match w {
            InterpreterWarning::ImageDecodeFailure => {
                Some("an image on the page cannot be decoded")
            }
            InterpreterWarning::UnsupportedFont => Some("a font on the page cannot be loaded"),
            // An annotation without a usable appearance is not drawn by
            // other readers either; the page content itself is whole.
            _ => None,
        }) {
            return Err(at(format!("{reason}, so its image would be incomplete")));
        }
        let pixmap = canvas
            .pixmap
            .as_ref()
            .ok_or_else(|| at("the renderer drew nothing".into()))?;
        let (width, height) = (u32::from(pixmap.width()), u32::from(pixmap.height()));
        // Composited on opaque white: premultiplied is plain RGBA.
        let rgba = pixmap.data_as_u8_slice();
        Ok(Raster {
            width,
            height,
            dpi,
            rgba,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Packing agrees with the plain per-pixel rules: luma below 128 is
    /// black, chroma above 48 is coloured; bits past the width stay 0.
    #[test]
    fn packs_pixels_as_the_per_pixel_rules_say() {
        let mut s = 7u64;
        let mut next = move || {
            s = s
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (s >> 33) as u32
        };
        for (width, height) in [(1, 1), (7, 3), (64, 2), (65, 3), (130, 4), (2550, 2)] {
            let mut rgba = Vec::new();
            for _ in 0..width * height {
                let v = next();
                let px = match v % 5 {
                    0 => [255, 255, 255],
                    1 => [0, 0, 0],
                    2 => {
                        let g = (v >> 8) as u8;
                        [g, g, g]
                    }
                    _ => [(v >> 8) as u8, (v >> 16) as u8, (v >> 24) as u8],
                };
                rgba.extend_from_slice(&[px[0], px[1], px[2], 255]);
            }
            // Whole white words take the fast path.
            let first = (64 * 4).min(rgba.len());
            rgba[..first].fill(255);
            let raster = Raster {
                width,
                height,
                dpi: 300,
                rgba: &rgba,
            };
            let mut words = Vec::new();
            let coloured = raster.pack(&mut words);
            let stride = super::super::g4::stride(width);
            let mut expected = vec![0u64; stride * height as usize];
            let mut expected_coloured = 0;
            for (i, p) in rgba.chunks_exact(4).enumerate() {
                let (x, y) = (i % width as usize, i / width as usize);
                let (r, g, b) = (u32::from(p[0]), u32::from(p[1]), u32::from(p[2]));
                if 77 * r + 150 * g + 29 * b < 128 * 256 {
                    expected[y * stride + x / 64] |= 1 << (63 - x % 64);
                }
                if r.max(g).max(b) - r.min(g).min(b) > 48 {
                    expected_coloured += 1;
                }
            }
            assert_eq!(words, expected, "{width} × {height}");
            assert_eq!(coloured, expected_coloured, "{width} × {height}");
        }
    }

    #[test]
    fn letter_is_300_dpi_and_huge_pages_fit_in_memory() {
        assert_eq!(resolution(612.0, 792.0), Some(300));
        assert_eq!(resolution(4.0, 4.0), Some(300));
        // 200 × 200 inches: 60,000 pixels a side at 300 dpi is far too many.
        let dpi = resolution(14400.0, 14400.0).unwrap();
        assert!(
            dpi < 300 && (200.0 * f64::from(dpi)).powi(2) <= MAX_PIXELS,
            "{dpi}"
        );
        // A long thin strip is bounded by the 65,535-pixel side.
        let dpi = resolution(200_000.0, 10.0).unwrap();
        assert!(200_000.0 * f64::from(dpi) / 72.0 <= 65_535.0, "{dpi}");
        assert_eq!(resolution(0.0, 792.0), None);
        assert_eq!(resolution(f32::NAN, 792.0), None);
    }
}
