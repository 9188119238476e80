//! Single-page images of stamped PDFs (SPEC "Single-page TIFF images"):
//! every page rasterised at 300 dpi from the bytes of the IMAGES PDF adrec
//! built, so the stamp and legend sit exactly where the PDF carries them,
//! then written as a bilevel CCITT Group IV TIFF, or as a JPEG when the page
//! has colour that bilevel would lose. Bytes in, bytes out: the caller
//! decides where files go.

mod fonts;
mod g4;
mod jpeg;
mod render;

pub use g4::{Packed, g4_tiff, g4_tiff_packed};
pub use render::{Canvas, DPI, Raster};

/// How a page went out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Bilevel CCITT T.6 TIFF.
    Tiff,
    /// Colour JPEG.
    Jpeg,
}

impl Kind {
    /// The file extension (SPEC: `IMAGES/0001/DHS-MPP-000101.tif`).
    pub fn extension(self) -> &'static str {
        match self {
            Kind::Tiff => "tif",
            Kind::Jpeg => "jpg",
        }
    }

    /// IPRO's image type in an LFP `IM` record: 2 TIFF, 4 JPEG.
    pub fn lfp_type(self) -> u8 {
        match self {
            Kind::Tiff => 2,
            Kind::Jpeg => 4,
        }
    }
}

/// One page's image file.
#[derive(Debug, Clone)]
pub struct PageImage {
    pub kind: Kind,
    pub bytes: Vec<u8>,
}

/// Why a page could not be drawn; `page` counts from 1.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderError {
    pub page: Option<usize>,
    pub reason: String,
}

impl std::fmt::Display for RenderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RenderError { page: Some(p), .. } => write!(f, "page {p}: {}", self.reason),
            RenderError { page: None, .. } => f.write_str(&self.reason),
        }
    }
}

/// Whether a page with colour goes out as JPEG (`colour = "auto"`) or
/// bilevel like every other page (`colour = "never"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColourPolicy {
    Auto,
    Never,
}

/// Every page of `pdf` as its image file, in page order. Pages render in
/// parallel, in one contiguous run of pages per thread, each run with its
/// own parse of the PDF and its own buffers, so nothing is shared.
/// Each page's bytes depend only on that page, so the result is the same
/// whatever the number of threads or their timing.
pub fn page_images(pdf: &[u8], colour: ColourPolicy) -> Result<Vec<PageImage>, RenderError> {
    use rayon::prelude::*;
    // The stamp must survive a broken original: see `pdf::contain`.
    let prepared = crate::pdf::contain::for_renderer(pdf).map_err(|e| RenderError {
        page: None,
        reason: e.to_string(),
    })?;
    let first = render::Document::load(&prepared)?;
    let pages = first.pages();
    let runs = rayon::current_num_threads().clamp(1, pages.max(1));
    let per_run = pages.div_ceil(runs);
    let mut first = Some(first);
    let docs: Vec<Option<render::Document>> = (0..runs).map(|_| first.take()).collect();
    let images: Vec<Vec<PageImage>> = docs
        .into_par_iter()
        .enumerate()
        .map(|(run, doc)| {
            let doc = match doc {
                Some(d) => d,
                None => render::Document::load(&prepared)?,
            };
            let mut bufs = Buffers::take();
            let mut cache = doc.cache();
            let images = (run * per_run..((run + 1) * per_run).min(pages))
                .map(|i| {
                    if i % CACHE_PAGES == 0 {
                        // The caches grow with the fonts and objects used:
                        // a long document starts afresh now and then.
                        cache = doc.cache();
                    }
                    let raster = doc.render(i, &mut bufs.canvas, &cache)?;
                    encode(&raster, colour, &mut bufs.words).map_err(|reason| RenderError {
                        page: Some(i + 1),
                        reason,
                    })
                })
                .collect();
            bufs.give_back();
            images
        })
        .collect::<Result<_, _>>()?;
    Ok(images.into_iter().flatten().collect())
}

/// Pages drawn with one set of renderer caches before they are dropped.
const CACHE_PAGES: usize = 64;

/// Pages at most as large as this keep their buffers for the thread's next
/// document (Letter is 8.4 million pixels, Tabloid 16.8 million); larger
/// ones free them when the document is done.
const KEPT_PIXELS: usize = 17_000_000;

/// A page's buffers: the canvas (33 MB for Letter) and the bilevel words.
/// Each thread keeps its own from document to document, since allocating
/// and faulting in a fresh canvas for every document costs more than
/// drawing a page of text. Nothing is carried over that shows in a page:
/// the canvas is cleared and every word written for each page.
#[derive(Default)]
struct Buffers {
    canvas: Canvas,
    words: Vec<u64>,
}

thread_local! {
    static BUFFERS: std::cell::RefCell<Option<Buffers>> = const { std::cell::RefCell::new(None) };
}

impl Buffers {
    fn take() -> Buffers {
        BUFFERS
            .with(|b| b.try_borrow_mut().ok().and_then(|mut b| b.take()))
            .unwrap_or_default()
    }

    fn give_back(self) {
        if self.canvas.pixels() <= KEPT_PIXELS {
            BUFFERS.with(|b| {
                if let Ok(mut b) = b.try_borrow_mut() {
                    *b = Some(self);
                }
            });
        }
    }
}

/// Chooses the format for one rendered page and encodes it; `words` is the
/// bilevel page's buffer, kept from page to page.
pub fn encode(
    raster: &Raster<'_>,
    colour: ColourPolicy,
    words: &mut Vec<u64>,
) -> Result<PageImage, String> {
    let coloured = raster.pack(words);
    if colour == ColourPolicy::Auto && raster.is_colour(coloured) {
        return Ok(PageImage {
            kind: Kind::Jpeg,
            bytes: jpeg::encode(raster)?,
        });
    }
    let page = Packed {
        width: raster.width,
        height: raster.height,
        stride: g4::stride(raster.width),
        words,
    };
    Ok(PageImage {
        kind: Kind::Tiff,
        bytes: g4_tiff_packed(&page, raster.dpi)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use pdf_writer::{Content, Name, Pdf, Rect, Ref, Str};

    /// Small pages of Helvetica text, the same words a little moved and
    /// resized from page to page (so glyphs are both reused and new).
    fn text_pages(count: i32) -> Vec<u8> {
        let mut pdf = Pdf::new();
        let (catalog, tree, font) = (Ref::new(1), Ref::new(2), Ref::new(3));
        pdf.catalog(catalog).pages(tree);
        let kids: Vec<Ref> = (0..count).map(|i| Ref::new(10 + 2 * i)).collect();
        pdf.pages(tree).kids(kids.iter().copied()).count(count);
        pdf.type1_font(font).base_font(Name(b"Helvetica"));
        for (i, &kid) in kids.iter().enumerate() {
            let contents = Ref::new(kid.get() + 1);
            let mut page = pdf.page(kid);
            page.media_box(Rect::new(0.0, 0.0, 150.0, 60.0))
                .parent(tree)
                .contents(contents);
            page.resources().fonts().pair(Name(b"F1"), font);
            drop(page);
            let mut c = Content::new();
            c.begin_text();
            c.set_font(Name(b"F1"), 12.0 + (i % 2) as f32);
            c.next_line(5.0 + i as f32 * 0.37, 20.0 + i as f32);
            c.show(Str(b"Bates 000123 Aa"));
            c.end_text();
            pdf.stream(contents, &c.finish());
        }
        pdf.finish()
    }

    /// A page's image is the same whether it is drawn first, alone, or after
    /// other pages with the same renderer caches and buffers.
    #[test]
    fn a_page_draws_the_same_whatever_was_drawn_before_it() {
        let pdf = text_pages(4);
        let together = page_images(&pdf, ColourPolicy::Auto).unwrap();
        assert_eq!(together.len(), 4);
        let prepared = crate::pdf::contain::for_renderer(&pdf).unwrap();
        let alone = |i: usize| {
            let doc = render::Document::load(&prepared).unwrap();
            let cache = doc.cache();
            let mut canvas = Canvas::default();
            let raster = doc.render(i, &mut canvas, &cache).unwrap();
            encode(&raster, ColourPolicy::Auto, &mut Vec::new()).unwrap()
        };
        let doc = render::Document::load(&prepared).unwrap();
        let cache = doc.cache();
        let (mut canvas, mut words) = (Canvas::default(), Vec::new());
        for i in (0..4).rev() {
            let raster = doc.render(i, &mut canvas, &cache).unwrap();
            let backwards = encode(&raster, ColourPolicy::Auto, &mut words).unwrap();
            let first = alone(i);
            assert_eq!(first.kind, Kind::Tiff);
            assert_eq!(backwards.bytes, first.bytes, "page {i} after later pages");
            assert_eq!(together[i].bytes, first.bytes, "page {i} in order");
        }
    }
}
