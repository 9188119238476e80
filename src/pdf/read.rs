//! Reading a PDF: exact page count (the page tree's leaves), Info metadata of
//! the latest revision, hidden content, and whether it needed repair.

use super::PdfError;
use crate::model::{Hidden, HiddenKind};
use lopdf::{Dictionary, Document, LoadOptions, Object, ObjectId, xref::XrefRecovery};
use std::collections::{BTreeSet, HashSet};

/// What adrec learns from a readable PDF.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PdfFacts {
    /// Leaves of the page tree.
    pub pages: u64,
    /// The root `/Count`, when it disagrees with the leaves.
    pub stated_count: Option<i64>,
    pub title: Option<String>,
    pub author: Option<String>,
    /// CreationDate's calendar date, in its own offset.
    pub created: Option<String>,
    pub created_raw: Option<String>,
    pub hidden: Vec<Hidden>,
    /// Encrypted with an owner password only (opened with the empty user password).
    pub owner_encrypted: bool,
    /// How the file was repaired in memory, if it was damaged.
    pub repaired: Option<String>,
}

/// Loads a PDF the way adrec reads every PDF: lenient, with repair.
pub fn load(bytes: &[u8]) -> Result<Document, PdfError> {
    super::guarded("PDF", || {
        if !bytes.windows(5).take(1024).any(|w| w == b"%PDF-") {
            return Err(PdfError::NotPdf(not_a_pdf(bytes)));
        }
        let doc = Document::load_mem_with_options(bytes, LoadOptions::default())
            .map_err(|e| PdfError::Corrupt(format!("not a readable PDF: {e}")))?;
        if doc.trailer.has(b"Encrypt") {
            return Err(PdfError::Encrypted);
        }
        Ok(doc)
    })
}

/// PDFs at least this large are read by the quick reader when it can.
const QUICK_ABOVE: usize = 16 << 20;

/// Page count, metadata and hidden content of `bytes`, or why it can't be read.
pub fn inspect(bytes: &[u8]) -> Result<PdfFacts, PdfError> {
    // A large PDF goes to the quick reader first: it copies no stream, where
    // lopdf copies them all (a 1 GB PDF would be held twice). It steps aside
    // for anything it does not take; smaller files keep the full reader.
    if bytes.len() >= QUICK_ABOVE
        && let Ok(Some(facts)) =
            super::guarded("PDF", || Ok::<_, PdfError>(super::quick::inspect(bytes)))
    {
        return Ok(facts);
    }
    inspect_full(bytes)
}

/// [`inspect`] with lopdf alone (the reference the quick reader is held to).
pub fn inspect_full(bytes: &[u8]) -> Result<PdfFacts, PdfError> {
    let doc = load(bytes)?;
    super::guarded("PDF", || {
        let facts = facts(&doc)?;
        if facts.repaired.is_some() {
            check_repair(bytes, &doc)?;
        }
        Ok(facts)
    })
}

/// A repair is accepted only when nothing a page needs went missing: a file
/// cut short would otherwise go out with blank pages nobody reviewed.
fn check_repair(bytes: &[u8], doc: &Document) -> Result<(), PdfError> {
    let tail = &bytes[bytes.len().saturating_sub(2048)..];
    if !tail.windows(5).any(|w| w == b"%%EOF") {
        return Err(PdfError::Corrupt(
            "the PDF is truncated (no end-of-file marker): pages or their content are missing"
                .into(),
        ));
    }
    for (i, page) in page_ids(doc)?.into_iter().enumerate() {
        let Ok(dict) = doc.get_dictionary(page) else {
            return Err(PdfError::Page {
                page: Some(i + 1),
                message: format!("damaged beyond repair: page {} is missing", i + 1),
            });
        };
        let refs: Vec<ObjectId> = match dict.get(b"Contents") {
            Ok(Object::Reference(id)) => vec![*id],
            Ok(Object::Array(items)) => {
                items.iter().filter_map(|o| o.as_reference().ok()).collect()
            }
            _ => Vec::new(),
        };
        if refs.iter().any(|id| !doc.objects.contains_key(id)) {
            return Err(PdfError::Page {
                page: Some(i + 1),
                message: format!(
                    "damaged beyond repair: the content of page {} is missing",
                    i + 1
                ),
            });
        }
    }
    Ok(())
}

fn facts(doc: &Document) -> Result<PdfFacts, PdfError> {
    let pages = page_ids(doc)?;
    if pages.is_empty() {
        return Err(PdfError::Corrupt("the PDF's page tree has no pages".into()));
    }
    let mut out = PdfFacts {
        pages: pages.len() as u64,
        owner_encrypted: doc.was_encrypted(),
        ..Default::default()
    };
    let stated = pages_root(doc)
        .ok()
        .and_then(|root| root.get(b"Count").ok())
        .and_then(|c| c.as_i64().ok());
    if stated != Some(out.pages as i64) {
        out.stated_count = stated;
    }
    out.repaired = match doc.xref_recovery {
        Some(XrefRecovery::OffsetCorrected) => {
            Some("a cross-reference offset was wrong and was corrected".into())
        }
        Some(XrefRecovery::Reconstructed) => {
            Some("the cross-reference table was rebuilt by scanning the objects".into())
        }
        Some(_) => Some("the cross-reference data was damaged and was repaired".into()),
        None => None,
    };
    if let Ok(info) = doc
        .trailer
        .get_deref(b"Info", doc)
        .and_then(Object::as_dict)
    {
        out.title = text(info, b"Title", doc);
        out.author = text(info, b"Author", doc);
        out.created_raw = text(info, b"CreationDate", doc);
        out.created = out.created_raw.as_deref().and_then(pdf_date);
    }
    out.hidden = hidden_content(doc, &pages);
    Ok(out)
}

fn not_a_pdf(bytes: &[u8]) -> String {
    if bytes.is_empty() {
        return "the file is empty (0 bytes)".into();
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(512)]).to_ascii_lowercase();
    if head.contains("<html") || head.contains("<!doctype html") {
        "named .pdf but the content is an HTML page, not a PDF".into()
    } else {
        "no PDF header (%PDF-) found: the content is not a PDF".into()
    }
}

fn pages_root(doc: &Document) -> lopdf::Result<&Dictionary> {
    doc.catalog()?.get_deref(b"Pages", doc)?.as_dict()
}

/// The set of lower-cased words in a PDF's extractable text (`None` when
/// the file cannot be read): enough to see that a redaction removed nothing.
pub fn words(bytes: &[u8]) -> Option<std::collections::BTreeSet<String>> {
    let pdf = load(bytes).ok()?;
    let pages: Vec<u32> = (1..=page_ids(&pdf).ok()?.len() as u32).collect();
    let text = super::guarded("PDF", || {
        pdf.extract_text(&pages)
            .map_err(|e| PdfError::Corrupt(e.to_string()))
    })
    .ok()?;
    Some(text.split_whitespace().map(|w| w.to_lowercase()).collect())
}

/// The page tree's leaves in reading order, whatever the root `/Count` says.
/// A kid that cannot be loaded still counts as a page, as viewers show it blank.
pub fn page_ids(doc: &Document) -> Result<Vec<ObjectId>, PdfError> {
    let catalog = doc
        .catalog()
        .map_err(|e| PdfError::Corrupt(format!("the PDF has no readable catalog: {e}")))?;
    let root = catalog
        .get(b"Pages")
        .and_then(Object::as_reference)
        .map_err(|_| PdfError::Corrupt("the PDF's catalog names no page tree".into()))?;
    let mut leaves = Vec::new();
    let mut seen = HashSet::new();
    // Depth-first, kids in order; the stack holds iterators' remaining kids reversed.
    let mut stack = vec![root];
    while let Some(id) = stack.pop() {
        if !seen.insert(id) {
            continue; // a cycle or a node listed twice: count it once
        }
        let Ok(node) = doc.get_dictionary(id) else {
            leaves.push(id);
            continue;
        };
        let is_page = node
            .get(b"Type")
            .and_then(Object::as_name)
            .is_ok_and(|t| t == b"Page");
        match node.get_deref(b"Kids", doc).and_then(Object::as_array) {
            Ok(kids) if !is_page => {
                for kid in kids.iter().rev() {
                    if let Ok(kid) = kid.as_reference() {
                        stack.push(kid);
                    }
                }
            }
            _ => {
                let is_pages = node
                    .get(b"Type")
                    .and_then(Object::as_name)
                    .is_ok_and(|t| t == b"Pages");
                if !is_pages {
                    leaves.push(id);
                }
            }
        }
        if seen.len() > 10_000_000 {
            return Err(PdfError::Corrupt(
                "the PDF's page tree is too large to walk".into(),
            ));
        }
    }
    Ok(leaves)
}

/// Checks that every page the page tree lists exists in the file, as the
/// stamper needs it to ("a page of the PDF cannot be read" in produce). The
/// dry run runs this so it blocks what produce would block.
pub fn pages_resolve(bytes: &[u8]) -> Result<(), PdfError> {
    let doc = load(bytes)?;
    let pages = page_ids(&doc)?;
    let missing: Vec<usize> = pages
        .iter()
        .enumerate()
        .filter(|(_, id)| doc.get_dictionary(**id).is_err())
        .map(|(i, _)| i + 1)
        .collect();
    match missing.first() {
        None => Ok(()),
        Some(first) => Err(PdfError::Page {
            page: Some(*first),
            message: format!(
                "a page of the PDF cannot be read: {} of its {} page entries point at objects missing from the file (the first is page {first}); repair the PDF (print it to a new PDF), then ingest it again with --update",
                missing.len(),
                pages.len()
            ),
        }),
    }
}

/// Page numbers (from 1) of every `/Redact` annotation, one entry per
/// annotation: redactions marked for removal but never applied, so the
/// content under them is still in the file.
pub fn redact_annotations(doc: &Document, pages: &[ObjectId]) -> Vec<usize> {
    annotations(doc, pages)
        .into_iter()
        .filter(|(_, subtype)| subtype == "Redact")
        .map(|(page, _)| page)
        .collect()
}

/// Whether an annotation of `subtype` can be drawn over a page's text:
/// any but links, notes' icons and their pop-ups, and `/Redact` (see
/// [`redact_annotations`]). In a redacted file such a box hides nothing:
/// the text stays under it and any reader can move it away.
pub fn covers_text(subtype: &str) -> bool {
    !matches!(subtype, "Link" | "Text" | "Popup" | "Redact")
}

/// (page from 1, subtype, `?` when it has none) of every annotation.
pub fn annotations(doc: &Document, pages: &[ObjectId]) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (i, page) in pages.iter().enumerate() {
        let Ok(page) = doc.get_dictionary(*page) else {
            continue;
        };
        let Ok(annots) = page.get_deref(b"Annots", doc).and_then(Object::as_array) else {
            continue;
        };
        for annot in annots {
            let Ok(dict) = doc.dereference(annot).and_then(|(_, o)| o.as_dict()) else {
                continue;
            };
            let subtype = dict.get(b"Subtype").and_then(Object::as_name).map_or_else(
                |_| "?".to_string(),
                |n| String::from_utf8_lossy(n).into_owned(),
            );
            out.push((i + 1, subtype));
        }
    }
    out
}

fn text(dict: &Dictionary, key: &[u8], doc: &Document) -> Option<String> {
    info_text(dict.get_deref(key, doc).ok()?)
}

/// An Info entry as text (PDFDocEncoding or UTF-16), trimmed; `None` when empty.
pub(crate) fn info_text(value: &Object) -> Option<String> {
    let text = lopdf::decode_text_string(value).ok()?;
    let text = text
        .trim_matches(|c: char| c.is_whitespace() || c == '\0')
        .to_string();
    (!text.is_empty()).then_some(text)
}

/// `D:YYYYMMDDHHmmSS+HH'mm'` → `YYYY-MM-DD`, the date as written (no conversion).
pub fn pdf_date(raw: &str) -> Option<String> {
    let digits: String = raw
        .trim()
        .trim_start_matches("D:")
        .chars()
        .take_while(char::is_ascii_digit)
        .take(8)
        .collect();
    if digits.len() < 4 {
        return None;
    }
    let year: i16 = digits[..4].parse().ok()?;
    let month: i8 = if digits.len() >= 6 {
        digits[4..6].parse().ok()?
    } else {
        1
    };
    let day: i8 = if digits.len() >= 8 {
        digits[6..8].parse().ok()?
    } else {
        1
    };
    let date = jiff::civil::Date::new(year, month, day).ok()?;
    Some(date.to_string())
}

fn hidden_content(doc: &Document, pages: &[ObjectId]) -> Vec<Hidden> {
    let mut found = HiddenCounts::default();
    for (i, page) in pages.iter().enumerate() {
        let Ok(page) = doc.get_dictionary(*page) else {
            continue;
        };
        let Ok(annots) = page.get_deref(b"Annots", doc).and_then(Object::as_array) else {
            continue;
        };
        for annot in annots {
            let Ok(dict) = doc.dereference(annot).and_then(|(_, o)| o.as_dict()) else {
                continue;
            };
            let subtype = dict.get(b"Subtype").and_then(Object::as_name).ok();
            found.annotation(i + 1, subtype);
        }
    }
    let catalog = doc.catalog().ok();
    found.fields = catalog
        .and_then(|c| c.get_deref(b"AcroForm", doc).ok())
        .and_then(|f| f.as_dict().ok())
        .and_then(|f| f.get_deref(b"Fields", doc).ok())
        .and_then(|f| f.as_array().ok())
        .map_or(0, Vec::len);
    found.embedded = catalog
        .and_then(|c| c.get_deref(b"Names", doc).ok())
        .and_then(|n| n.as_dict().ok())
        .and_then(|n| n.get_deref(b"EmbeddedFiles", doc).ok())
        .is_some();
    found.layers = catalog
        .and_then(|c| c.get_deref(b"OCProperties", doc).ok())
        .and_then(|o| o.as_dict().ok())
        .map(|oc| {
            oc.get_deref(b"OCGs", doc)
                .and_then(Object::as_array)
                .map_or(0, Vec::len)
        });
    found.hidden()
}

/// What hides in a PDF, counted by either reader (lopdf here, the quick
/// reader for files it takes) and described the same way.
#[derive(Debug, Default)]
pub(crate) struct HiddenCounts {
    /// (page from 1, subtype) of each markup annotation.
    pub markup: Vec<(usize, String)>,
    pub widgets: usize,
    pub attachments: usize,
    /// Entries of the AcroForm's /Fields.
    pub fields: usize,
    /// The catalog's /Names holds /EmbeddedFiles.
    pub embedded: bool,
    /// Optional-content groups, when the catalog has /OCProperties.
    pub layers: Option<usize>,
}

impl HiddenCounts {
    /// Counts one annotation of page `page` by its /Subtype (`None`: untyped).
    pub fn annotation(&mut self, page: usize, subtype: Option<&[u8]>) {
        match subtype {
            Some(b"Link") | Some(b"Popup") => {}
            Some(b"Widget") => self.widgets += 1,
            Some(b"FileAttachment") => self.attachments += 1,
            Some(other) => self
                .markup
                .push((page, String::from_utf8_lossy(other).into_owned())),
            None => self.markup.push((page, "untyped".into())),
        }
    }

    pub fn hidden(self) -> Vec<Hidden> {
        let mut hidden = Vec::new();
        if !self.markup.is_empty() {
            let kinds: BTreeSet<&str> = self.markup.iter().map(|(_, k)| k.as_str()).collect();
            let on: BTreeSet<usize> = self.markup.iter().map(|(p, _)| *p).collect();
            hidden.push(Hidden {
                kind: HiddenKind::Annotations,
                detail: format!(
                    "{} annotation(s) ({}) on page(s) {}",
                    self.markup.len(),
                    kinds.into_iter().collect::<Vec<_>>().join(", "),
                    on.iter()
                        .map(usize::to_string)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            });
        }
        if self.fields > 0 || self.widgets > 0 {
            hidden.push(Hidden {
                kind: HiddenKind::FormFields,
                detail: format!("{} form field(s)", self.fields.max(self.widgets)),
            });
        }
        if self.embedded || self.attachments > 0 {
            let detail = match (self.embedded, self.attachments) {
                (true, 0) => "an /EmbeddedFiles name tree".to_string(),
                (false, n) => format!("{n} file-attachment annotation(s)"),
                (true, n) => {
                    format!("an /EmbeddedFiles name tree and {n} file-attachment annotation(s)")
                }
            };
            hidden.push(Hidden {
                kind: HiddenKind::EmbeddedFiles,
                detail,
            });
        }
        if let Some(groups) = self.layers {
            hidden.push(Hidden {
                kind: HiddenKind::Layers,
                detail: format!("{groups} optional-content layer(s)"),
            });
        }
        hidden
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pdf_dates_keep_their_own_offset() {
        assert_eq!(
            pdf_date("D:20221231230000+09'00'").as_deref(),
            Some("2022-12-31")
        );
        assert_eq!(
            pdf_date("D:20230115093000-05'00'").as_deref(),
            Some("2023-01-15")
        );
        assert_eq!(pdf_date("D:2023").as_deref(), Some("2023-01-01"));
        assert_eq!(pdf_date("D:20231345").as_deref(), None);
        assert_eq!(pdf_date("yesterday"), None);
    }

    #[test]
    fn garbage_is_refused_not_panicked_on() {
        assert!(inspect(b"").unwrap_err().to_string().contains("empty"));
        let html = inspect(b"<html><body>hi</body></html>").unwrap_err();
        assert!(
            matches!(&html, PdfError::NotPdf(m) if m.contains("HTML")),
            "{html:?}"
        );
        assert!(inspect(b"%PDF-1.4\n%garbage\n1 0 obj <<").is_err());
    }

    fn fixture(name: &str) -> Vec<u8> {
        std::fs::read(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/pdf")
                .join(name),
        )
        .unwrap()
    }

    #[test]
    fn each_failure_says_what_kind_it_is() {
        assert_eq!(
            inspect(&fixture("user-encrypted.pdf")).unwrap_err(),
            PdfError::Encrypted
        );
        assert!(matches!(
            inspect(&fixture("really-html.pdf")),
            Err(PdfError::NotPdf(_))
        ));
        let truncated = inspect(&fixture("truncated.pdf")).unwrap_err();
        assert!(
            matches!(truncated, PdfError::Corrupt(_) | PdfError::Page { .. }),
            "{truncated:?}"
        );
        assert!(inspect(&fixture("classic-3p.pdf")).is_ok());
    }
}
