//! A stamped PDF prepared for the rasteriser (TIFF volumes). Every stamped
//! page draws its original content as one Form XObject, then the stamp
//! (`stamp.rs`). Conforming readers confine a form's `q`/`Q` to the form,
//! so an original with unbalanced `Q Q Q` or a dangling degenerate `cm`
//! cannot hide the stamp. hayro 0.9 lets a form's excess `Q` pop the page's
//! own saved states, and the stamp after it can then be drawn with the
//! original's broken matrix: invisible. Bracketing the `Do` with saved
//! states that the original may use up, then closing every state it left
//! open, gives hayro what conforming readers already do. Only the copy
//! handed to the renderer changes; the PDF bytes in the volume do not.

use super::PdfError;
use lopdf::Object;

/// Saved states around the original content: more excess `Q` than any real
/// file has (each is only a copy of the graphics state).
const GUARD: usize = 64;
/// `Q`s after it: closes whatever the original left open; extra ones at the
/// page's outermost level do nothing.
const CLOSE: usize = 4096;

/// `bytes` with the shared `/AdrecPage Do` stream of the stamped pages
/// bracketed; the bytes unchanged when no page draws one.
pub fn for_renderer(bytes: &[u8]) -> Result<Vec<u8>, PdfError> {
    let mut doc = super::read::load(bytes)?;
    let draw = format!("/{} Do\n", String::from_utf8_lossy(super::stamp::PAGE_FORM));
    let mut found = false;
    for page in doc.get_pages().into_values() {
        let first = doc
            .get_dictionary(page)
            .ok()
            .and_then(|p| p.get(b"Contents").ok())
            .and_then(|c| c.as_array().ok())
            .and_then(|a| a.first())
            .and_then(|o| o.as_reference().ok());
        let Some(id) = first else { continue };
        if let Ok(Object::Stream(s)) = doc.get_object_mut(id)
            && s.decompressed_content()
                .unwrap_or_else(|_| s.content.clone())
                == draw.as_bytes()
        {
            let mut guarded = "q ".repeat(GUARD).into_bytes();
            guarded.extend_from_slice(draw.as_bytes());
            guarded.extend_from_slice("Q ".repeat(GUARD + CLOSE).as_bytes());
            s.dict.remove(b"Filter");
            s.dict.remove(b"DecodeParms");
            s.set_content(guarded);
            found = true;
        }
    }
    if !found {
        return Ok(bytes.to_vec());
    }
    let mut out = Vec::new();
    doc.save_to(&mut out)
        .map_err(|e| PdfError::Output(format!("could not prepare the PDF for rendering: {e}")))?;
    Ok(out)
}
