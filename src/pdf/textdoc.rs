//! A document of text adrec writes for people (the certification
//! appendix): Letter pages, headings, wrapped paragraphs and table rows with
//! cells at fixed positions, a page number at the foot of every page, with
//! the same fonts as every other PDF adrec writes (embedded once, subset,
//! with a ToUnicode map so `pdftotext` returns the exact characters). The
//! same paragraphs give the same bytes.

use super::PdfError;
use super::embed::{Fonts, Line};
use lopdf::{Dictionary, Document, Object, Stream};

/// One block of the document.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Title(String),
    Heading(String),
    /// A paragraph, wrapped at the margins.
    Text(String),
    /// One table row: (offset from the left margin in points, cell text).
    Row(Vec<(f32, String)>),
    /// A label and its value, the value wrapped in a column of its own (an
    /// e-mail's `From:` and the like).
    Field(String, String),
    /// A label, a number in a column as wide as `sample`, and a text wrapped
    /// after it: an e-mail's attachment and its Bates number. The layout is
    /// the same whatever `number` holds.
    Numbered {
        label: String,
        number: String,
        sample: String,
        text: String,
    },
    /// Vertical space.
    Gap,
}

/// `blocks` as a PDF with the fonts every adrec PDF uses; a character no
/// available font can show is an input error naming the text (`what` says
/// which document: "certification", "clawback notice").
pub fn write_for_people(
    blocks: &[Block],
    what: &str,
    id_seed: &str,
) -> Result<Vec<u8>, crate::error::Error> {
    use crate::error::Error;
    let texts = texts(blocks);
    let mut set = super::font::FontSet::new();
    for text in &texts {
        if let Some(c) = set.missing(text) {
            return Err(Error::input(format!(
                "the {what} text {text:?} contains {c:?} (U+{:04X}), which no available font can show",
                c as u32
            ))
            .hint("install a font covering it, or write a format without fonts (.md or .csv); nothing was written"));
        }
    }
    let fonts = super::guarded("font", || set.prepare(texts.iter().map(String::as_str)))
        .map_err(|e| Error::input(format!("text no available font can show: {e}")))?;
    write(blocks, &fonts, id_seed)
        .map_err(|e| Error::internal(format!("could not write the {what} PDF: {e}")))
}

const PAGE_W: f32 = 612.0;
const PAGE_H: f32 = 792.0;
const MARGIN: f32 = 72.0;
const WIDTH: f32 = PAGE_W - 2.0 * MARGIN;
const BODY: f32 = 10.0;

/// Every text the blocks draw, for [`crate::pdf::font::FontSet::prepare`]:
/// the blocks' texts, and each printable ASCII character (page numbers and
/// other ASCII text are put together from them).
pub fn texts(blocks: &[Block]) -> Vec<String> {
    let mut out: Vec<String> = (' '..='~').map(|c| c.to_string()).collect();
    for block in blocks {
        match block {
            Block::Title(t) | Block::Heading(t) | Block::Text(t) => {
                out.push(t.clone());
                out.extend(t.split(' ').filter(|w| !w.is_empty()).map(str::to_string));
            }
            Block::Field(label, value) => {
                out.push(label.clone());
                out.push(value.clone());
                out.extend(
                    value
                        .split(' ')
                        .filter(|w| !w.is_empty())
                        .map(str::to_string),
                );
            }
            Block::Numbered {
                label,
                number,
                sample,
                text,
            } => {
                out.extend([label.clone(), number.clone(), sample.clone(), text.clone()]);
                out.extend(
                    text.split(' ')
                        .filter(|w| !w.is_empty())
                        .map(str::to_string),
                );
            }
            Block::Row(cells) => out.extend(cells.iter().map(|(_, t)| t.clone())),
            Block::Gap => {}
        }
    }
    out
}

/// (x, y, size, line) for each piece of text on a page.
type Placed = Vec<(f32, f32, f32, Line)>;

/// The blocks laid out on Letter pages and written as a PDF. `id_seed`
/// gives the file's `/ID`.
pub fn write(blocks: &[Block], fonts: &Fonts, id_seed: &str) -> Result<Vec<u8>, PdfError> {
    let mut pages = layout(blocks, fonts)?;
    let count = pages.len();
    for (n, page) in pages.iter_mut().enumerate() {
        let footer = fonts
            .line(&format!("Page {} of {count}", n + 1))?
            .into_owned();
        let x = (PAGE_W - footer.width(9.0)) / 2.0;
        page.push((x, MARGIN - 24.0, 9.0, footer));
    }
    build(&pages, fonts, id_seed)
}

/// The lowest a line of text is placed: the band below it is the stamp's.
pub const TEXT_BOTTOM: f32 = MARGIN + 24.0;

/// The blocks as Letter pages with no page-number footer (the Bates stamp
/// numbers them): the PDF and its page count.
pub fn write_unnumbered(
    blocks: &[Block],
    fonts: &Fonts,
    id_seed: &str,
) -> Result<(Vec<u8>, u64), PdfError> {
    let pages = layout(blocks, fonts)?;
    let count = pages.len() as u64;
    Ok((build(&pages, fonts, id_seed)?, count))
}

/// How many pages [`write_unnumbered`] gives, without writing them.
pub fn page_count(blocks: &[Block], fonts: &Fonts) -> Result<u64, PdfError> {
    Ok(layout(blocks, fonts)?.len() as u64)
}

/// The width of a [`Block::Field`]'s label column.
const LABEL_WIDTH: f32 = 72.0;

fn layout(blocks: &[Block], fonts: &Fonts) -> Result<Vec<Placed>, PdfError> {
    let mut pages: Vec<Placed> = vec![Vec::new()];
    let mut y = PAGE_H - MARGIN;
    let bottom = TEXT_BOTTOM;
    let start = |pages: &mut Vec<Placed>, y: &mut f32, x: f32, size: f32, line: Line| {
        let leading = size * 1.45;
        if *y - leading < bottom {
            pages.push(Vec::new());
            *y = PAGE_H - MARGIN;
        }
        *y -= leading;
        if let Some(page) = pages.last_mut() {
            page.push((MARGIN + x, *y, size, line));
        }
    };
    // A body-size piece on a new line, or beside the last one placed.
    let place = |pages: &mut Vec<Placed>, y: &mut f32, x: f32, new_line: bool, line: Line| {
        if new_line {
            start(pages, y, x, BODY, line);
        } else if let Some(page) = pages.last_mut() {
            page.push((MARGIN + x, *y, BODY, line));
        }
    };
    for block in blocks {
        match block {
            Block::Title(t) | Block::Heading(t) | Block::Text(t) => {
                let size = match block {
                    Block::Title(_) => 15.0,
                    Block::Heading(_) => 12.0,
                    _ => BODY,
                };
                if matches!(block, Block::Heading(_)) {
                    y -= 6.0;
                }
                for chunk in words(fonts, t, size, WIDTH)? {
                    start(&mut pages, &mut y, 0.0, size, chunk);
                }
            }
            Block::Field(label, value) => {
                let cells = [(0.0, fonts.line(label)?.into_owned())];
                let wrapped = words(fonts, value, BODY, WIDTH - LABEL_WIDTH)?;
                for (x, line, new_line) in beside(cells, LABEL_WIDTH, wrapped) {
                    place(&mut pages, &mut y, x, new_line, line);
                }
            }
            Block::Numbered {
                label,
                number,
                sample,
                text,
            } => {
                let cells = [
                    (0.0, fonts.line(label)?.into_owned()),
                    (LABEL_WIDTH, fonts.line(number)?.into_owned()),
                ];
                let column = LABEL_WIDTH + fonts.line(sample)?.width(BODY) + 8.0;
                let wrapped = words(fonts, text, BODY, WIDTH - column)?;
                for (x, line, new_line) in beside(cells, column, wrapped) {
                    place(&mut pages, &mut y, x, new_line, line);
                }
            }
            Block::Row(cells) => {
                for (i, (x, cell)) in cells.iter().enumerate() {
                    let line = fonts.line(cell)?.into_owned();
                    place(&mut pages, &mut y, *x, i == 0, line);
                }
            }
            Block::Gap => y -= BODY,
        }
    }
    Ok(pages)
}

/// Text wrapped in a column at `column`, with `cells` beside its first
/// line: (offset, line, whether it starts a new line) in placing order.
fn beside<const N: usize>(
    cells: [(f32, Line); N],
    column: f32,
    wrapped: Vec<Line>,
) -> Vec<(f32, Line, bool)> {
    let mut out = Vec::with_capacity(N + wrapped.len());
    for (i, line) in wrapped.into_iter().enumerate() {
        out.push((column, line, true));
        if i == 0 {
            out.extend(cells.iter().map(|(x, cell)| (*x, cell.clone(), false)));
        }
    }
    out
}

/// `text` broken into lines at spaces, no wider than the margins; a word
/// wider than a line on its own is broken between glyphs.
fn words(fonts: &Fonts, text: &str, size: f32, width: f32) -> Result<Vec<Line>, PdfError> {
    let space = fonts.line(" ")?.into_owned();
    let max = (width * 1000.0 / size) as u32;
    let mut out = Vec::new();
    let mut current = Line::default();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let word = fonts.line(word)?.into_owned();
        let gap = if current.units == 0 { 0 } else { space.units };
        if current.units > 0 && current.units + gap + word.units > max {
            out.push(std::mem::take(&mut current));
        }
        if current.units == 0 && word.units > max {
            let mut pieces = fonts.wrap(&word, width, size);
            current = pieces.pop().unwrap_or_default();
            out.extend(pieces);
            continue;
        }
        if current.units > 0 {
            append(&mut current, &space);
        }
        append(&mut current, &word);
    }
    out.push(current);
    Ok(out)
}

fn append(line: &mut Line, more: &Line) {
    line.units += more.units;
    for (face, cids) in &more.runs {
        match line.runs.last_mut() {
            Some((f, run)) if f == face => run.extend(cids),
            _ => line.runs.push((*face, cids.clone())),
        }
    }
}

fn build(pages: &[Placed], fonts: &Fonts, id_seed: &str) -> Result<Vec<u8>, PdfError> {
    let mut doc = Document::with_version("1.7");
    let all: Vec<&Line> = pages.iter().flatten().map(|(_, _, _, l)| l).collect();
    // Every face once per file, shared by all pages.
    let font_dict = fonts.add_to(&mut doc, &all);
    let pages_id = doc.new_object_id();
    let mut kids = Vec::new();
    for page in pages {
        let mut content = Vec::new();
        for (x, y, size, line) in page {
            content.extend(format!("BT {x:.2} {y:.2} Td\n").into_bytes());
            content.extend(Fonts::show(line, *size));
            content.extend_from_slice(b"ET\n");
        }
        let contents = doc.add_object(Stream::new(Dictionary::new(), content));
        let mut resources = Dictionary::new();
        resources.set("Font", Object::Dictionary(font_dict.clone()));
        let mut dict = Dictionary::new();
        dict.set("Type", Object::Name(b"Page".to_vec()));
        dict.set("Parent", Object::Reference(pages_id));
        dict.set(
            "MediaBox",
            Object::Array(vec![0.into(), 0.into(), 612.into(), 792.into()]),
        );
        dict.set("Resources", Object::Dictionary(resources));
        dict.set("Contents", Object::Reference(contents));
        kids.push(Object::Reference(doc.add_object(dict)));
    }
    let mut tree = Dictionary::new();
    tree.set("Type", Object::Name(b"Pages".to_vec()));
    tree.set("Count", kids.len() as i64);
    tree.set("Kids", Object::Array(kids));
    doc.objects.insert(pages_id, Object::Dictionary(tree));
    let mut catalog = Dictionary::new();
    catalog.set("Type", Object::Name(b"Catalog".to_vec()));
    catalog.set("Pages", Object::Reference(pages_id));
    let catalog = doc.add_object(catalog);
    doc.trailer.set("Root", Object::Reference(catalog));
    super::guarded("PDF", || super::stamp::finish(doc, id_seed))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdf::font::FontSet;

    fn fonts(blocks: &[Block]) -> Fonts {
        let texts = texts(blocks);
        FontSet::with_dirs(Some(vec![]))
            .prepare(texts.iter().map(String::as_str))
            .unwrap()
    }

    #[test]
    fn words_are_never_split_and_lines_fit_the_margins() {
        let text = "The administrative record for the termination of the program was compiled under my supervision, DHS-MPP-000001 \u{2013} DHS-MPP-000070.";
        let blocks = [Block::Text(text.into())];
        let f = fonts(&blocks);
        let lines = words(&f, text, BODY, WIDTH).unwrap();
        assert!(lines.len() > 1);
        let max = (WIDTH * 1000.0 / BODY) as u32;
        assert!(lines.iter().all(|l| l.units <= max));
        // Rejoined with spaces, the lines are the words in order.
        let space = f.line(" ").unwrap().units;
        let total: u32 =
            lines.iter().map(|l| l.units).sum::<u32>() + space * (lines.len() as u32 - 1);
        assert_eq!(total, f.line(text).unwrap().units);
    }

    #[test]
    fn long_documents_break_pages_and_the_same_blocks_give_the_same_bytes() {
        let blocks: Vec<Block> = (0..120)
            .map(|i| Block::Text(format!("Paragraph {i}: figures and ranges")))
            .collect();
        let f = fonts(&blocks);
        let a = write(&blocks, &f, "seed").unwrap();
        let b = write(&blocks, &f, "seed").unwrap();
        assert_eq!(a, b);
        let doc = lopdf::Document::load_mem(&a).unwrap();
        assert!(doc.get_pages().len() >= 2);
    }
}
