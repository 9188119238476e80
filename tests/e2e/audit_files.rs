//! Files for the audit tests, written byte by byte: small real PDFs, DATs
//! in any encoding and qualifier, CSV, XLSX and ODS indexes.

use sha2::{Digest, Sha256};
use std::path::Path;

pub fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

pub fn md5(bytes: &[u8]) -> String {
    use md5::Md5;
    Md5::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A real PDF of `pages` Letter pages, each showing `label` and its page
/// number; with `redact`, page 1 carries an unapplied `/Redact` annotation.
pub fn pdf(pages: usize, label: &str, redact: bool) -> Vec<u8> {
    let mut objects: Vec<String> = Vec::new();
    let page_ids: Vec<usize> = (0..pages).map(|i| 4 + 2 * i).collect();
    let annot_id = 4 + 2 * pages;
    objects.push("<< /Type /Catalog /Pages 2 0 R >>".into());
    objects.push(format!(
        "<< /Type /Pages /Kids [{}] /Count {pages} >>",
        page_ids
            .iter()
            .map(|id| format!("{id} 0 R"))
            .collect::<Vec<_>>()
            .join(" ")
    ));
    objects.push("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".into());
    for (i, id) in page_ids.iter().enumerate() {
        let annots = if redact && i == 0 {
            format!(" /Annots [{annot_id} 0 R]")
        } else {
            String::new()
        };
        objects.push(format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents {} 0 R{annots} >>",
            id + 1
        ));
        let text = format!("BT /F1 14 Tf 72 700 Td ({label} page {}) Tj ET", i + 1);
        objects.push(format!(
            "<< /Length {} >>\nstream\n{text}\nendstream",
            text.len()
        ));
    }
    if redact {
        objects.push(
            "<< /Type /Annot /Subtype /Redact /Rect [70 690 300 720] /OverlayText (REDACTED) >>"
                .into(),
        );
    }
    let mut out = b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// DAT encodings the tests write.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Enc {
    Utf8Bom,
    Utf8,
    Cp1252,
    Utf16LeBom,
}

/// Windows-1252 bytes of `text` (panics on characters it lacks: test data only).
pub fn cp1252(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            '\u{0}'..='\u{7f}' | '\u{a0}'..='\u{ff}' => c as u8,
            '€' => 0x80,
            '’' => 0x92,
            '“' => 0x93,
            '”' => 0x94,
            '–' => 0x96,
            '—' => 0x97,
            '™' => 0x99,
            other => panic!("{other} is not in this cp1252 table"),
        })
        .collect()
}

pub fn encode(text: &str, enc: Enc) -> Vec<u8> {
    match enc {
        Enc::Utf8Bom => [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(),
        Enc::Utf8 => text.as_bytes().to_vec(),
        Enc::Cp1252 => cp1252(text),
        Enc::Utf16LeBom => {
            let mut out = vec![0xFF, 0xFE];
            for u in text.encode_utf16() {
                out.extend_from_slice(&u.to_le_bytes());
            }
            out
        }
    }
}

/// A Concordance DAT: every field qualified by `quote`, separated by 0x14, CRLF after every line.
pub fn dat(headers: &[&str], rows: &[Vec<String>], enc: Enc, quote: char) -> Vec<u8> {
    let line = |cells: Vec<String>| {
        cells
            .iter()
            .map(|c| format!("{quote}{c}{quote}"))
            .collect::<Vec<_>>()
            .join("\u{14}")
    };
    let mut text = line(headers.iter().map(|h| h.to_string()).collect());
    text.push_str("\r\n");
    for r in rows {
        text.push_str(&line(r.clone()));
        text.push_str("\r\n");
    }
    encode(&text, enc)
}

/// A CSV with BOM and CRLF, RFC 4180 quoting.
pub fn csv(headers: &[&str], rows: &[Vec<String>]) -> Vec<u8> {
    let field = |v: &str| {
        if v.contains([',', '"', '\n', '\r']) {
            format!("\"{}\"", v.replace('"', "\"\""))
        } else {
            v.to_string()
        }
    };
    let mut text = String::from("\u{feff}");
    text.push_str(
        &headers
            .iter()
            .map(|h| field(h))
            .collect::<Vec<_>>()
            .join(","),
    );
    text.push_str("\r\n");
    for r in rows {
        text.push_str(&r.iter().map(|c| field(c)).collect::<Vec<_>>().join(","));
        text.push_str("\r\n");
    }
    text.into_bytes()
}

/// An XLSX with one sheet: a header row then string cells.
pub fn xlsx(headers: &[&str], rows: &[Vec<String>]) -> Vec<u8> {
    xlsx_with(headers, rows, &[])
}

/// The same with more cells anywhere: `(row, column, text)`, 0-based.
pub fn xlsx_with(headers: &[&str], rows: &[Vec<String>], more: &[(u32, u16, &str)]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    for (c, h) in headers.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write_string(r as u32 + 1, c as u16, v).unwrap();
        }
    }
    for (r, c, v) in more {
        ws.write_string(*r, *c, *v).unwrap();
    }
    book.save_to_buffer().unwrap()
}

pub fn write(path: &Path, bytes: &[u8]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

/// A minimal OpenDocument spreadsheet: one sheet, a header row then string cells.
pub fn ods(headers: &[&str], rows: &[Vec<String>]) -> Vec<u8> {
    use std::io::Write;
    let esc = |v: &str| {
        v.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let row = |cells: Vec<String>| {
        let cells: String = cells
            .iter()
            .map(|c| format!("<table:table-cell office:value-type=\"string\"><text:p>{}</text:p></table:table-cell>", esc(c)))
            .collect();
        format!("<table:table-row>{cells}</table:table-row>")
    };
    let mut body = row(headers.iter().map(|h| h.to_string()).collect());
    for r in rows {
        body.push_str(&row(r.clone()));
    }
    let content = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
<office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" \
xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" office:version=\"1.2\">\
<office:body><office:spreadsheet><table:table table:name=\"Index\">{body}</table:table></office:spreadsheet></office:body></office:document-content>"
    );
    let manifest = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
<manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" manifest:version=\"1.2\">\
<manifest:file-entry manifest:full-path=\"/\" manifest:media-type=\"application/vnd.oasis.opendocument.spreadsheet\"/>\
<manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/></manifest:manifest>";
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, data) in [
        ("mimetype", "application/vnd.oasis.opendocument.spreadsheet"),
        ("META-INF/manifest.xml", manifest),
        ("content.xml", &content),
    ] {
        zip.start_file(name, stored).unwrap();
        zip.write_all(data.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// A one-page Group IV TIFF made with Pillow (tests/fixtures/tiff/make_tiffs.py).
pub fn tiff_page() -> Vec<u8> {
    std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/tiff/page.tif"
    ))
    .unwrap()
}

/// A three-frame Group IV TIFF made with Pillow.
pub fn tiff_three_pages() -> Vec<u8> {
    std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/tiff/three_pages.tif"
    ))
    .unwrap()
}
