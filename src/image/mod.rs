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

pub use g4::{g4_tiff, g4_tiff_rows};
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
            let mut canvas = Canvas::default();
            (run * per_run..((run + 1) * per_run).min(pages))
                .map(|i| {
                    let raster = doc.render(i, &mut canvas)?;
                    encode(&raster, colour).map_err(|reason| RenderError {
                        page: Some(i + 1),
                        reason,
                    })
                })
                .collect()
        })
        .collect::<Result<_, _>>()?;
    Ok(images.into_iter().flatten().collect())
}

/// Chooses the format for one rendered page and encodes it.
pub fn encode(raster: &Raster<'_>, colour: ColourPolicy) -> Result<PageImage, String> {
    if colour == ColourPolicy::Auto && raster.has_colour() {
        return Ok(PageImage {
            kind: Kind::Jpeg,
            bytes: jpeg::encode(raster)?,
        });
    }
    Ok(PageImage {
        kind: Kind::Tiff,
        bytes: g4_tiff_rows(raster.width, raster.height, raster.dpi, |y| {
            raster.bilevel_row(y)
        })?,
    })
}
