//! What ingest learns of a PDF (pages, Info metadata, hidden content), read
//! the quick way: no stream body is copied, so a 1 GB PDF costs its own
//! bytes and little more, where lopdf copies every stream while loading.
//! Whatever this reader does not take (or cannot resolve) goes to the full
//! reader; on the files it takes, its answer is the full reader's (the tests
//! and the fuzz target compare them).

use super::{Doc, Obj, annotation_subtypes, page_tree};
use crate::pdf::read::{HiddenCounts, PdfFacts, info_text, pdf_date};

/// `key` of `dict`, resolved: `Some(None)` when absent, `None` when present
/// but unreadable here (the full reader decides).
fn entry<'a>(doc: &Doc<'a>, dict: &Obj<'a>, key: &[u8]) -> Option<Option<Obj<'a>>> {
    match dict.get(key) {
        None if dict.has(key) => None,
        None => Some(None),
        Some(value) => doc.deref(&value).map(Some),
    }
}

/// `key` of `dict` when it holds a dictionary.
fn dict_entry<'a>(doc: &Doc<'a>, dict: &Obj<'a>, key: &[u8]) -> Option<Option<Obj<'a>>> {
    Some(entry(doc, dict, key)?.filter(|o| matches!(o, Obj::Dict(..))))
}

/// A string entry of the Info dictionary, decoded as the full reader does.
fn info_entry(doc: &Doc<'_>, info: &Obj<'_>, key: &[u8]) -> Option<Option<String>> {
    Some(match entry(doc, info, key)? {
        Some(Obj::Str(raw)) => {
            // lopdf's own string parser and text decoding, on the string alone.
            let content = lopdf::content::Content::decode(&[raw, b" Tj"].concat()).ok()?;
            let value = content.operations.first()?.operands.first()?;
            info_text(value)
        }
        _ => None,
    })
}

/// The facts of `bytes`, or `None` when the file needs the full reader.
pub fn inspect(bytes: &[u8]) -> Option<PdfFacts> {
    let doc = Doc::open(bytes)?;
    // The full reader rebuilds the table of a trailer without /Size.
    if !matches!(doc.trailer.get(b"Size"), Some(Obj::Int(_))) || !doc.objects_sound() {
        return None;
    }
    let tree = page_tree(&doc)?;
    if tree.leaves.is_empty() {
        return None;
    }
    let pages = tree.leaves.len() as u64;
    let mut out = PdfFacts {
        pages,
        // Read as written: an indirect or non-integer /Count is none, as
        // in the full reader.
        stated_count: match tree.root.get(b"Count") {
            Some(Obj::Int(n)) if n != pages as i64 => Some(n),
            _ => None,
        },
        ..Default::default()
    };
    if let Some(info) = dict_entry(&doc, &doc.trailer, b"Info")? {
        out.title = info_entry(&doc, &info, b"Title")?;
        out.author = info_entry(&doc, &info, b"Author")?;
        out.created_raw = info_entry(&doc, &info, b"CreationDate")?;
        out.created = out.created_raw.as_deref().and_then(pdf_date);
    }
    let mut found = HiddenCounts::default();
    for (i, page) in tree.leaves.iter().enumerate() {
        for subtype in annotation_subtypes(&doc, page)? {
            found.annotation(i + 1, subtype.as_deref());
        }
    }
    let catalog = &tree.catalog;
    if let Some(form) = dict_entry(&doc, catalog, b"AcroForm")?
        && let Some(Obj::Array(fields)) = entry(&doc, &form, b"Fields")?
    {
        found.fields = fields.len();
    }
    if let Some(names) = dict_entry(&doc, catalog, b"Names")? {
        found.embedded = entry(&doc, &names, b"EmbeddedFiles")?.is_some();
    }
    if let Some(oc) = dict_entry(&doc, catalog, b"OCProperties")? {
        found.layers = Some(match entry(&doc, &oc, b"OCGs")? {
            Some(Obj::Array(groups)) => groups.len(),
            _ => 0,
        });
    }
    out.hidden = found.hidden();
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pdfs_under(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                pdfs_under(&path, out);
            } else if path.extension().is_some_and(|e| e == "pdf") {
                out.push(path);
            }
        }
    }

    /// On every PDF in the repository's fixtures and sample record, the
    /// quick reader either steps aside or gives the full reader's facts.
    #[test]
    fn agrees_with_the_full_reader_on_every_fixture() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        pdfs_under(&root.join("tests/fixtures"), &mut files);
        pdfs_under(&root.join("sample-record"), &mut files);
        let (mut quick, mut with_metadata, mut with_hidden) = (0, 0, 0);
        for path in &files {
            let bytes = std::fs::read(path).unwrap();
            let Some(fast) = inspect(&bytes) else {
                continue;
            };
            quick += 1;
            let full = crate::pdf::read::inspect_full(&bytes)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            assert_eq!(fast, full, "{}", path.display());
            with_metadata += usize::from(fast.title.is_some() || fast.created.is_some());
            with_hidden += usize::from(!fast.hidden.is_empty());
        }
        assert!(
            quick >= 10,
            "the quick reader took only {quick} of {}",
            files.len()
        );
        assert!(
            with_metadata >= 3,
            "only {with_metadata} with Info metadata"
        );
        assert!(with_hidden >= 1, "none with hidden content");
    }

    /// Found by the fuzz target: one byte inserted early leaves every later
    /// offset on the space before its object; the full reader corrects the
    /// offsets and says the file was repaired, so this reader steps aside.
    #[test]
    fn offsets_off_by_one_go_to_the_full_reader() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/pdf/utf16-info.pdf");
        let mut bytes = std::fs::read(path).unwrap();
        assert!(inspect(&bytes).is_some());
        bytes.insert(40, 0xAE);
        assert!(
            crate::pdf::read::inspect_full(&bytes)
                .unwrap()
                .repaired
                .is_some()
        );
        assert_eq!(inspect(&bytes), None);
        // The same for `startxref` pointing at the line end before `xref`.
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/pdf/utf16-info.pdf");
        let mut bytes = std::fs::read(path).unwrap();
        let at = bytes.windows(5).rposition(|w| w == b"xref\n").unwrap();
        bytes.insert(at, b'\n');
        assert!(
            crate::pdf::read::inspect_full(&bytes)
                .unwrap()
                .repaired
                .is_some()
        );
        assert_eq!(inspect(&bytes), None);
    }

    #[test]
    fn info_strings_are_decoded_like_the_full_reader() {
        let doc = |info: &str| {
            super::super::classic_pdf(
                &[
                    "<< /Type /Catalog /Pages 2 0 R >>",
                    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
                    info,
                ],
                "/Info 4 0 R ",
            )
        };
        for info in [
            r"<< /Title (Caf\351 \(draft\)\\ memo) /Author <FEFF00C900E9> /CreationDate (D:20230115093000-05'00') >>",
            "<< /Title (  ) /Author /NotAString >>",
        ] {
            let bytes = doc(info);
            let fast = inspect(&bytes).expect("a classic PDF");
            assert_eq!(
                fast,
                crate::pdf::read::inspect_full(&bytes).unwrap(),
                "{info}"
            );
        }
        let fast = inspect(&doc(r"<< /Title (Caf\351 \(draft\)) >>")).unwrap();
        assert_eq!(fast.title.as_deref(), Some("Café (draft)"));
    }
}
