//! A native's own text, as it goes into TEXT/: DOCX paragraphs, PPTX slides
//! in order, XLSX/ODS cells sheet by sheet (tab between cells), an e-mail's
//! headers and plain-text body, CSV/TXT as they are (UTF-8, else
//! Windows-1252). Lines are joined with `\n`; a file whose text cannot be
//! read gives what was read and the reason.

use crate::model::FileKind;
use quick_xml::Reader;
use quick_xml::events::Event;
use std::io::{Cursor, Read};

const MAX_PART: u64 = 256 * 1024 * 1024;

/// The text of a native file, or why it has none.
pub fn native_text(bytes: &[u8], kind: FileKind, file_name: &str) -> Result<String, String> {
    crate::pdf::guarded("text", || match kind {
        FileKind::Docx => office_parts(bytes, |n| n == "word/document.xml", "p"),
        FileKind::Pptx => office_parts(
            bytes,
            |n| n.starts_with("ppt/slides/slide") && n.ends_with(".xml"),
            "p",
        ),
        FileKind::Xlsx => Ok(spreadsheet(bytes)),
        FileKind::Email => Ok(email(bytes)),
        FileKind::Pdf => Err("a PDF's text comes from its pages".into()),
        FileKind::Other => {
            let ext = super::extension(file_name);
            if matches!(ext.as_str(), "ods" | "xls" | "xlsb") {
                Ok(spreadsheet(bytes))
            } else if matches!(
                ext.as_str(),
                "txt" | "csv" | "tsv" | "text" | "md" | "log" | "json" | "xml" | "htm" | "html"
            ) || std::str::from_utf8(bytes).is_ok()
            {
                Ok(plain(bytes))
            } else {
                Err("adrec does not read text from this kind of file".into())
            }
        }
    })
}

/// UTF-8 (BOM dropped), else Windows-1252; line ends normalised to `\n`.
pub fn plain(bytes: &[u8]) -> String {
    let text = match std::str::from_utf8(bytes) {
        Ok(s) => s.trim_start_matches('\u{FEFF}').to_string(),
        Err(_) => encoding_rs::WINDOWS_1252.decode(bytes).0.into_owned(),
    };
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// Number in a part name (`slide12.xml` → 12) so slides come in order.
fn part_number(name: &str) -> u64 {
    name.chars()
        .filter(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap_or(0)
}

/// The text of the parts `wanted` selects, in part-number order; a line per
/// `para` element, `<w:t>`/`<a:t>` runs concatenated, tabs and breaks kept.
fn office_parts(bytes: &[u8], wanted: impl Fn(&str) -> bool, para: &str) -> Result<String, String> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| format!("not a readable Office package: {e}"))?;
    let mut names: Vec<String> = (0..zip.len())
        .filter_map(|i| {
            zip.name_for_index(i)
                .and_then(|n| n.ok())
                .map(|n| n.to_string())
        })
        .filter(|n| wanted(n))
        .collect();
    names.sort_by_key(|n| (part_number(n), n.clone()));
    let mut parts = Vec::new();
    for name in names {
        let mut xml = Vec::new();
        zip.by_name(&name)
            .map_err(|e| format!("{name}: {e}"))?
            .take(MAX_PART)
            .read_to_end(&mut xml)
            .map_err(|e| format!("{name}: {e}"))?;
        parts.push(xml_text(&xml, para));
    }
    Ok(parts.join("\n"))
}

fn xml_text(xml: &[u8], para: &str) -> String {
    let xml = String::from_utf8_lossy(xml);
    let mut reader = Reader::from_str(&xml);
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let mut in_text = false;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) if e.local_name().as_ref() == "t" => in_text = true,
            Ok(Event::End(e)) if e.local_name().as_ref() == "t" => in_text = false,
            Ok(Event::Empty(e)) => match e.local_name().as_ref() {
                "tab" => line.push('\t'),
                "br" | "cr" => line.push(' '),
                _ => {}
            },
            Ok(Event::End(e)) if e.local_name().as_ref() == para => {
                lines.push(std::mem::take(&mut line));
            }
            Ok(Event::Text(t)) if in_text => line.push_str(&t.xml10_content()),
            Ok(Event::CData(t)) if in_text => line.push_str(&t.into_inner()),
            Ok(Event::GeneralRef(r)) if in_text => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c.to_string()),
                    _ => quick_xml::escape::resolve_predefined_entity(&r).map(str::to_string),
                };
                line.push_str(&resolved.unwrap_or_default());
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines.join("\n")
}

/// Every sheet's cells, a sheet's name line before its rows.
fn spreadsheet(bytes: &[u8]) -> String {
    use calamine::Reader as _;
    let Ok(mut book) = calamine::open_workbook_auto_from_rs(Cursor::new(bytes)) else {
        return String::new();
    };
    let mut out = Vec::new();
    for name in book.sheet_names() {
        let Ok(range) = book.worksheet_range(&name) else {
            continue;
        };
        out.push(name.clone());
        for row in range.rows() {
            let cells: Vec<String> = row.iter().map(|c| c.to_string()).collect();
            let line = cells.join("\t");
            out.push(line.trim_end_matches('\t').to_string());
        }
    }
    out.join("\n")
}

/// An e-mail as a reader sees it: the main headers, then the plain body.
fn email(bytes: &[u8]) -> String {
    let Ok(mail) = mailparse::parse_mail(bytes) else {
        return plain(bytes);
    };
    let mut lines = Vec::new();
    for key in ["From", "Sent", "Date", "To", "Cc", "Subject"] {
        if let Some(h) = mail
            .headers
            .iter()
            .find(|h| h.get_key().eq_ignore_ascii_case(key))
        {
            lines.push(format!("{key}: {}", h.get_value()));
        }
    }
    lines.push(String::new());
    lines.push(body(&mail).unwrap_or_default());
    plain(lines.join("\n").as_bytes())
}

fn body(part: &mailparse::ParsedMail<'_>) -> Option<String> {
    if part.subparts.is_empty() {
        let ctype = part.ctype.mimetype.to_ascii_lowercase();
        let attachment =
            part.get_content_disposition().disposition == mailparse::DispositionType::Attachment;
        return (ctype == "text/plain" && !attachment)
            .then(|| part.get_body().ok())
            .flatten();
    }
    part.subparts.iter().find_map(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_any_line_end_and_legacy_encoding() {
        assert_eq!(plain(b"\xEF\xBB\xBFa\r\nb\rc"), "a\nb\nc");
        assert_eq!(plain(b"caf\xE9"), "café");
    }

    #[test]
    fn xml_paragraphs_runs_and_references() {
        let xml = br#"<w:document><w:body><w:p><w:r><w:t>Q3 Plan </w:t></w:r><w:r><w:t>&amp; Budget</w:t></w:r></w:p><w:p><w:r><w:t>Line</w:t><w:tab/><w:t>two</w:t></w:r></w:p></w:body></w:document>"#;
        assert_eq!(xml_text(xml, "p"), "Q3 Plan & Budget\nLine\ttwo");
    }
}
