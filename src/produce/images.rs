//! A document's pages as single-page images (`[production] images =
//! "tiff"`): its stamped IMAGES PDF rasterised page by page (`crate::image`),
//! each page written as `IMAGES/NNNN/<its Bates number>.tif` (or `.jpg`),
//! 1,000 files a folder counted over the whole volume.

use super::document::DocFailure;
use super::rows::Written;
use super::volume::folder;
use crate::image::{ColourPolicy, Kind};
use crate::matter::config::Colour;
use crate::model::sha256_hex;

/// One page image in the volume.
#[derive(Debug, Clone)]
pub struct PageFile {
    /// The page's Bates number.
    pub key: String,
    /// `IMAGES\0001`: the folder inside the volume.
    pub folder: String,
    /// `DHS-MPP-000101.tif`.
    pub file: String,
    pub kind: Kind,
}

impl PageFile {
    /// The OPT path: the volume folder first, backslashes.
    pub fn link(&self, volume: &str) -> String {
        format!("{volume}\\{}\\{}", self.folder, self.file)
    }
}

/// Where to put a document's page images and how to name them.
pub(super) struct Target<'a> {
    pub(super) staged: &'a super::staged_files::StagedFiles,
    pub(super) volume: &'a str,
    /// Index of the document's first page image in the volume.
    pub(super) first: usize,
    pub(super) colour: Colour,
}

/// Rasterises `pdf` and writes one image per page, recording the files in
/// `w`. A page the renderer cannot draw blocks the document (naming the page
/// and its number); no image of it is written.
pub(super) fn write_pages(
    pdf: &[u8],
    numbers: &[String],
    to: &Target<'_>,
    w: &mut Written,
) -> Result<(), DocFailure> {
    let colour = match to.colour {
        Colour::Auto => ColourPolicy::Auto,
        Colour::Never => ColourPolicy::Never,
    };
    let what_to_do = "repair or re-save the file and re-ingest it with --update (or tag a readable --redacted-file), or produce the volume with [production] images = \"pdf\"";
    let images = crate::image::page_images(pdf, colour).map_err(|e| {
        let page = match e.page.and_then(|p| numbers.get(p - 1).map(|n| (p, n))) {
            Some((p, n)) => format!("page {p} ({n})"),
            None => "its PDF".to_string(),
        };
        DocFailure::Blocked(format!(
            "{page} cannot be drawn as a page image: {}; {what_to_do}",
            e.reason
        ))
    })?;
    if images.len() != numbers.len() {
        return Err(DocFailure::Blocked(format!(
            "the renderer finds {} page(s) where the stamped PDF has {}; {what_to_do}",
            images.len(),
            numbers.len()
        )));
    }
    for (i, (image, key)) in images.iter().zip(numbers).enumerate() {
        let page = PageFile {
            key: key.clone(),
            folder: format!("IMAGES\\{}", folder(to.first + i)),
            file: format!("{key}.{}", image.kind.extension()),
            kind: image.kind,
        };
        let rel = format!("IMAGES/{}/{}", folder(to.first + i), page.file);
        to.staged
            .write(&rel, &image.bytes)
            .map_err(DocFailure::Output)?;
        let sha = sha256_hex(&image.bytes);
        if i == 0 {
            // IMAGELINK and PRODUCED_SHA256 name the first page's image.
            w.imagelink = page.link(to.volume);
            w.produced_sha256 = sha.clone();
        }
        w.files.push((rel, sha));
        w.pages.push(page);
    }
    Ok(())
}
