//! Pages that carry the rest of a replaced document's Bates numbers: a
//! clawback's replacement keeps every number the recalled document took, so a
//! shorter replacement is followed by "Intentionally left blank" pages
//! (stamped like any page afterwards).

use super::PdfError;
use super::embed::Fonts;
use lopdf::{Dictionary, Object, Stream};

/// The text of a padding page.
pub const BLANK: &str = "Intentionally left blank";

/// `source` with pages appended until it has `total`; unchanged when it
/// already has as many. The text was prepared in `fonts`.
pub fn pad(source: &[u8], total: usize, fonts: &Fonts) -> Result<Vec<u8>, PdfError> {
    let mut doc = super::read::load(source)?;
    let have = super::read::page_ids(&doc)?.len();
    if have >= total {
        return Ok(source.to_vec());
    }
    let root = doc
        .catalog()
        .and_then(|c| c.get(b"Pages"))
        .and_then(Object::as_reference)
        .map_err(|_| PdfError::Corrupt("the PDF's catalog names no page tree".into()))?;
    let line = fonts.line(BLANK)?.into_owned();
    let font_dict = fonts.add_to(&mut doc, &[&line]);
    let mut content = b"BT 72 400 Td\n".to_vec();
    content.extend(Fonts::show(&line, 20.0));
    content.extend_from_slice(b"ET\n");
    let contents = doc.add_object(Stream::new(Dictionary::new(), content));
    let mut resources = Dictionary::new();
    resources.set("Font", Object::Dictionary(font_dict));
    let resources = doc.add_object(resources);
    let mut added = Vec::new();
    for _ in have..total {
        let mut page = Dictionary::new();
        page.set("Type", Object::Name(b"Page".to_vec()));
        page.set("Parent", Object::Reference(root));
        page.set(
            "MediaBox",
            Object::Array(vec![0.into(), 0.into(), 612.into(), 792.into()]),
        );
        page.set("Resources", Object::Reference(resources));
        page.set("Contents", Object::Reference(contents));
        added.push(Object::Reference(doc.add_object(page)));
    }
    let tree = doc
        .get_dictionary_mut(root)
        .map_err(|_| PdfError::Corrupt("the PDF's page tree cannot be read".into()))?;
    let mut kids = tree
        .get(b"Kids")
        .and_then(Object::as_array)
        .cloned()
        .unwrap_or_default();
    kids.extend(added);
    tree.set("Kids", Object::Array(kids));
    tree.set("Count", total as i64);
    let mut out = Vec::new();
    doc.save_to(&mut out)
        .map_err(|e| PdfError::Output(format!("could not write the padded PDF: {e}")))?;
    Ok(out)
}
