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
    /// True when the page has colour that a black-and-white image would lose.
    pub fn has_colour(&self) -> bool {
        let total = u64::from(self.width) * u64::from(self.height);
        let enough = total * COLOUR_SHARE / 10_000;
        let mut coloured = 0u64;
        for p in self.rgba.chunks_exact(4) {
            // Grey pixels (most of a page: white paper, black text) first,
            // as one comparison of the 24 colour bits.
            let v = u32::from_le_bytes([p[0], p[1], p[2], 0]);
            if v == (v & 0xFF) * 0x01_01_01 {
                continue;
            }
            let (hi, lo) = (p[0].max(p[1]).max(p[2]), p[0].min(p[1]).min(p[2]));
            if hi - lo > CHROMA {
                coloured += 1;
                if coloured > enough {
                    return true;
                }
            }
        }
        false
    }

    /// Row `y` as black (`true`) or white pixels, left to right.
    pub fn bilevel_row(&self, y: usize) -> impl Iterator<Item = bool> + '_ {
        let w = self.width as usize * 4;
        self.rgba[y * w..(y + 1) * w].chunks_exact(4).map(|p| {
            // White paper is most of a page: no arithmetic for it.
            if p[0] & p[1] & p[2] == 0xFF {
                return false;
            }
            // ITU-R BT.601 luma in integers (weights out of 256): black
            // below half way, deterministic everywhere.
            77 * u32::from(p[0]) + 150 * u32::from(p[1]) + 29 * u32::from(p[2]) < BLACK_BELOW * 256
        })
    }
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

    /// Page `index` (from 0) at 300 dpi, composited on white, drawn in
    /// `canvas` (whose buffers the next page reuses).
    pub fn render<'c>(
        &self,
        index: usize,
        canvas: &'c mut Canvas,
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
            let cache = RenderCache::new();
            let ctx = match &mut canvas.ctx {
                Some(ctx) => {
                    ctx.reset_and_resize(pw, ph);
                    ctx
                }
                slot => slot.insert(RenderContext::new(pw, ph)),
            };
            hayro::render_into(
                page,
                &cache,
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
