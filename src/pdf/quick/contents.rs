//! Each page's last content stream, for reading back what adrec wrote: a
//! volume of 100,000 natives reads back 100,000 slip sheets, and loading
//! each with the full reader was a third of the produce's own work. The
//! same rules as the rest of the quick reader: a file it does not take
//! whole (every object where its entry says, one classic table) is left to
//! the full reader.

use super::{Doc, Lexer, Obj, page_tree};

/// The raw bytes of every page's last content stream, in page order, or
/// `None` when the file needs the full reader: anything the quick reader steps
/// aside for, an object that does not read, a content stream with a filter
/// (it would need decoding), or one whose length does not end at `endstream`.
pub fn last_contents(bytes: &[u8]) -> Option<Vec<&[u8]>> {
    let doc = Doc::open(bytes)?;
    if !doc.objects_sound() {
        return None;
    }
    let tree = page_tree(&doc)?;
    tree.leaves
        .iter()
        .map(|page| {
            // A reference to the stream, to an array of them, or an array.
            let last = match page.get(b"Contents")? {
                Obj::Array(items) => items.last()?.clone(),
                Obj::Ref(n) => match doc.object(n)? {
                    Obj::Array(items) => items.last()?.clone(),
                    _ => Obj::Ref(n),
                },
                _ => return None,
            };
            let Obj::Ref(num) = last else { return None };
            unfiltered_stream(&doc, num)
        })
        .collect()
}

/// The bytes of stream object `num`, if it has no filter.
fn unfiltered_stream<'a>(doc: &Doc<'a>, num: u32) -> Option<&'a [u8]> {
    let (dict, end) = doc.object_and_end(num)?;
    let mut lx = Lexer { b: doc.b, i: end };
    if dict.has(b"Filter") || lx.word() != b"stream" {
        return None;
    }
    let Obj::Int(len) = doc.deref(&dict.get(b"Length")?)? else {
        return None;
    };
    // `stream` is followed by CR LF or LF, then the data.
    match (doc.b.get(lx.i), doc.b.get(lx.i + 1)) {
        (Some(b'\r'), Some(b'\n')) => lx.i += 2,
        (Some(b'\n'), _) => lx.i += 1,
        _ => return None,
    }
    let start = lx.i;
    let end = start.checked_add(usize::try_from(len).ok()?)?;
    let data = doc.b.get(start..end)?;
    let mut after = Lexer { b: doc.b, i: end };
    (after.word() == b"endstream").then_some(data)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pdf(objects: &[&str]) -> Vec<u8> {
        super::super::classic_pdf(objects, "")
    }

    #[test]
    fn reads_each_pages_last_stream_and_agrees_with_lopdf() {
        let bytes = pdf(&[
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>",
            "<< /Type /Page /Parent 2 0 R /Contents [5 0 R 6 0 R] >>",
            "<< /Type /Page /Parent 2 0 R /Contents 7 0 R >>",
            "<< /Length 3 >>\nstream\nq Q\nendstream",
            "<< /Length 8 0 R >>\nstream\nBT (1) Tj ET\nendstream",
            "<< /Length 12 >>\nstream\nBT (2) Tj ET\nendstream",
            "12",
        ]);
        let found = last_contents(&bytes).expect("the quick reader takes it");
        assert_eq!(found, vec![b"BT (1) Tj ET".as_slice(), b"BT (2) Tj ET"]);
        let doc = lopdf::Document::load_mem(&bytes).unwrap();
        for (page, quick) in doc.get_pages().values().zip(&found) {
            let last = *doc.get_page_contents(*page).last().unwrap();
            let stream = doc.get_object(last).unwrap().as_stream().unwrap();
            assert_eq!(stream.content.as_slice(), *quick);
        }
    }

    #[test]
    fn steps_aside_for_filters_wrong_lengths_and_damage() {
        let with = |stream: &str| {
            pdf(&[
                "<< /Type /Catalog /Pages 2 0 R >>",
                "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                "<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>",
                stream,
            ])
        };
        assert!(last_contents(&with("<< /Length 3 >>\nstream\nq Q\nendstream")).is_some());
        for bad in [
            "<< /Length 3 /Filter /FlateDecode >>\nstream\nq Q\nendstream",
            "<< /Length 2 >>\nstream\nq Q\nendstream",
            "<< /Length 99 >>\nstream\nq Q\nendstream",
            "<< /Length 3 >>\nq Q",
            "<< >>\nstream\nq Q\nendstream",
        ] {
            assert!(last_contents(&with(bad)).is_none(), "{bad}");
        }
        let mut cut = with("<< /Length 3 >>\nstream\nq Q\nendstream");
        cut.truncate(cut.len() - 10);
        assert!(last_contents(&cut).is_none());
        assert!(last_contents(b"not a pdf").is_none());
    }
}
