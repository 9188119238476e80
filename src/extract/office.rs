//! Office Open XML packages (.docx, .xlsx, .pptx): core properties and the
//! hidden content that would go out with a native.

use crate::model::{Extracted, FileKind, Hidden, HiddenKind, Metadata};
use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};
use std::io::{Cursor, Read};
use zip::ZipArchive;

/// No single XML part adrec reads may inflate past this (zip-bomb guard).
const MAX_PART: u64 = 256 * 1024 * 1024;

type Package<'a> = ZipArchive<Cursor<&'a [u8]>>;

/// Which Office package a zip is, if any.
pub fn package_kind(bytes: &[u8]) -> Option<FileKind> {
    let zip = ZipArchive::new(Cursor::new(bytes)).ok()?;
    let has = |name: &str| zip.index_for_name(name).is_some();
    if has("word/document.xml") {
        Some(FileKind::Docx)
    } else if has("xl/workbook.xml") {
        Some(FileKind::Xlsx)
    } else if has("ppt/presentation.xml") {
        Some(FileKind::Pptx)
    } else {
        None
    }
}

pub fn extract(bytes: &[u8], kind: FileKind) -> Extracted {
    let mut out = Extracted {
        kind,
        type_name: kind.as_str().into(),
        pages: None,
        metadata: Metadata::default(),
        hidden: Vec::new(),
        problem: None,
        repaired: None,
    };
    let result = crate::pdf::guarded("Office", || {
        let mut zip = ZipArchive::new(Cursor::new(bytes))
            .map_err(|e| format!("not a readable Office package: {e}"))?;
        let metadata = core_properties(&mut zip)?;
        let hidden = match kind {
            FileKind::Docx => docx_hidden(&mut zip)?,
            FileKind::Xlsx => xlsx_hidden(&mut zip)?,
            FileKind::Pptx => pptx_hidden(&mut zip)?,
            _ => Vec::new(),
        };
        Ok((metadata, hidden))
    });
    match result {
        Ok((metadata, hidden)) => {
            out.metadata = metadata;
            out.hidden = hidden;
        }
        Err(reason) => out.problem = Some(reason),
    }
    out
}

fn part(zip: &mut Package<'_>, name: &str) -> Result<Option<String>, String> {
    part_within(zip, name, MAX_PART)
}

/// The part `name`, if the package has it. One that inflates past `limit`
/// is an error, not its first `limit` bytes: hidden content after the cut
/// would go unseen, and the document out without a review of it.
fn part_within(zip: &mut Package<'_>, name: &str, limit: u64) -> Result<Option<String>, String> {
    let Ok(file) = zip.by_name(name) else {
        return Ok(None);
    };
    let mut bytes = Vec::new();
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| format!("could not read `{name}` in the package: {e}"))?;
    if bytes.len() as u64 > limit {
        return Err(format!(
            "`{name}` in the package inflates past {} MiB, too large to check for hidden content",
            limit / (1024 * 1024)
        ));
    }
    String::from_utf8(bytes)
        .map(Some)
        .map_err(|e| format!("could not read `{name}` in the package: {e}"))
}

fn names(zip: &Package<'_>) -> Vec<String> {
    (0..zip.len())
        .filter_map(|i| {
            zip.name_for_index(i)
                .and_then(|n| n.ok())
                .map(|n| n.to_string())
        })
        .collect()
}

/// Visits every start (or empty) element with its local name.
fn each_element(xml: &str, mut visit: impl FnMut(&str, &BytesStart<'_>)) {
    let mut reader = Reader::from_str(xml);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => visit(e.local_name().as_ref(), &e),
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
}

fn attr_is(e: &BytesStart<'_>, name: &str, values: &[&str]) -> bool {
    e.attributes().flatten().any(|a| {
        a.key.local_name().as_ref() == name
            && a.normalized_value(XmlVersion::Implicit1_0)
                .is_ok_and(|v| values.iter().any(|x| v.eq_ignore_ascii_case(x)))
    })
}

/// Text of the elements named `wanted`, concatenated per element
/// (entity and character references resolved), skipping text inside `skip`.
fn texts(xml: &str, wanted: &str, skip: &str) -> Vec<String> {
    let mut reader = Reader::from_str(xml);
    let mut out = Vec::new();
    let (mut inside, mut skipping) = (0usize, 0usize);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => {
                let name = e.local_name();
                if name.as_ref() == wanted {
                    inside += 1;
                    out.push(String::new());
                } else if name.as_ref() == skip {
                    skipping += 1;
                }
            }
            Ok(Event::End(e)) => {
                let name = e.local_name();
                if name.as_ref() == wanted {
                    inside = inside.saturating_sub(1);
                } else if name.as_ref() == skip {
                    skipping = skipping.saturating_sub(1);
                }
            }
            Ok(Event::Text(t)) if inside > 0 && skipping == 0 => {
                if let Some(last) = out.last_mut() {
                    last.push_str(&t.xml10_content());
                }
            }
            Ok(Event::CData(t)) if inside > 0 && skipping == 0 => {
                if let Some(last) = out.last_mut() {
                    last.push_str(&t.into_inner());
                }
            }
            Ok(Event::GeneralRef(r)) if inside > 0 && skipping == 0 => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c.to_string()),
                    _ => quick_xml::escape::resolve_predefined_entity(&r).map(str::to_string),
                };
                if let (Some(last), Some(s)) = (out.last_mut(), resolved) {
                    last.push_str(&s);
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    out
}

fn core_properties(zip: &mut Package<'_>) -> Result<Metadata, String> {
    let mut m = Metadata::default();
    let Some(xml) = part(zip, "docProps/core.xml")? else {
        return Ok(m);
    };
    let first = |name: &str| {
        texts(&xml, name, "")
            .into_iter()
            .map(|s| s.trim().to_string())
            .find(|s| !s.is_empty())
    };
    m.title = first("title");
    m.author = first("creator");
    if let Some(created) = first("created") {
        // W3CDTF: the date part as written, in its own offset.
        m.created = created
            .get(..10)
            .filter(|d| d.parse::<jiff::civil::Date>().is_ok())
            .map(str::to_string);
        m.date_raw = Some(created);
    }
    Ok(m)
}

fn count_elements(xml: &str, wanted: &[&str]) -> usize {
    let mut n = 0;
    each_element(xml, |name, _| {
        if wanted.contains(&name) {
            n += 1;
        }
    });
    n
}

fn embedded(names: &[String], folder: &str, out: &mut Vec<Hidden>) {
    let n = names
        .iter()
        .filter(|n| n.starts_with(folder) && !n.ends_with('/'))
        .count();
    if n > 0 {
        out.push(Hidden {
            kind: HiddenKind::EmbeddedObjects,
            detail: format!("{n} embedded object(s) under {folder}"),
        });
    }
}

fn docx_hidden(zip: &mut Package<'_>) -> Result<Vec<Hidden>, String> {
    let names = names(zip);
    let mut hidden = Vec::new();
    let story: Vec<&String> = names
        .iter()
        .filter(|n| {
            n.as_str() == "word/document.xml"
                || (n.starts_with("word/")
                    && (n.contains("/header") || n.contains("/footer") || n.ends_with("notes.xml")))
        })
        .collect();
    let mut revisions = 0;
    for name in story {
        if let Some(xml) = part(zip, name)? {
            revisions += count_elements(&xml, &["ins", "del", "moveFrom", "moveTo"]);
        }
    }
    if revisions > 0 {
        hidden.push(Hidden {
            kind: HiddenKind::TrackedChanges,
            detail: format!("{revisions} tracked insertion(s)/deletion(s)"),
        });
    }
    let comments = match part(zip, "word/comments.xml")? {
        Some(xml) => count_elements(&xml, &["comment"]),
        None => 0,
    };
    if comments > 0 {
        hidden.push(Hidden {
            kind: HiddenKind::Comments,
            detail: format!("{comments} comment(s)"),
        });
    }
    embedded(&names, "word/embeddings/", &mut hidden);
    Ok(hidden)
}

fn xlsx_hidden(zip: &mut Package<'_>) -> Result<Vec<Hidden>, String> {
    let names = names(zip);
    let mut hidden = Vec::new();
    if let Some(xml) = part(zip, "xl/workbook.xml")? {
        let mut sheets = Vec::new();
        each_element(&xml, |name, e| {
            if name == "sheet" && attr_is(e, "state", &["hidden", "veryHidden"]) {
                let sheet = e
                    .attributes()
                    .flatten()
                    .find(|a| a.key.as_ref() == "name")
                    .and_then(|a| {
                        a.normalized_value(XmlVersion::Implicit1_0)
                            .ok()
                            .map(|v| v.into_owned())
                    })
                    .unwrap_or_default();
                sheets.push(sheet);
            }
        });
        if !sheets.is_empty() {
            hidden.push(Hidden {
                kind: HiddenKind::HiddenSheets,
                detail: format!("hidden sheet(s): {}", sheets.join(", ")),
            });
        }
    }
    let (mut rows, mut cols) = (0usize, 0usize);
    for name in names
        .iter()
        .filter(|n| n.starts_with("xl/worksheets/") && n.ends_with(".xml"))
    {
        if let Some(xml) = part(zip, name)? {
            each_element(&xml, |el, e| {
                if (el == "row" || el == "col") && attr_is(e, "hidden", &["1", "true"]) {
                    if el == "row" { rows += 1 } else { cols += 1 }
                }
            });
        }
    }
    if rows + cols > 0 {
        hidden.push(Hidden {
            kind: HiddenKind::HiddenRowsColumns,
            detail: format!("{rows} hidden row(s), {cols} hidden column range(s)"),
        });
    }
    let comment_parts = names
        .iter()
        .filter(|n| {
            (n.starts_with("xl/comments") || n.starts_with("xl/threadedComments/"))
                && n.ends_with(".xml")
        })
        .count();
    if comment_parts > 0 {
        hidden.push(Hidden {
            kind: HiddenKind::Comments,
            detail: format!("cell comments in {comment_parts} part(s)"),
        });
    }
    embedded(&names, "xl/embeddings/", &mut hidden);
    Ok(hidden)
}

fn pptx_hidden(zip: &mut Package<'_>) -> Result<Vec<Hidden>, String> {
    let names = names(zip);
    let mut hidden = Vec::new();
    let mut noted = 0;
    for name in names
        .iter()
        .filter(|n| n.starts_with("ppt/notesSlides/") && n.ends_with(".xml"))
    {
        if let Some(xml) = part(zip, name)? {
            // Slide-number fields are not notes.
            if texts(&xml, "t", "fld").iter().any(|t| !t.trim().is_empty()) {
                noted += 1;
            }
        }
    }
    if noted > 0 {
        hidden.push(Hidden {
            kind: HiddenKind::SpeakerNotes,
            detail: format!("speaker notes on {noted} slide(s)"),
        });
    }
    let comment_parts = names
        .iter()
        .filter(|n| n.starts_with("ppt/comments/") && n.ends_with(".xml"))
        .count();
    if comment_parts > 0 {
        hidden.push(Hidden {
            kind: HiddenKind::Comments,
            detail: format!("comments in {comment_parts} part(s)"),
        });
    }
    embedded(&names, "ppt/embeddings/", &mut hidden);
    Ok(hidden)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn package(parts: &[(&str, &str)]) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, text) in parts {
            zip.start_file(*name, zip::write::SimpleFileOptions::default())
                .unwrap();
            zip.write_all(text.as_bytes()).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    #[test]
    fn a_part_past_the_limit_is_an_error_not_its_first_bytes() {
        let xml = "<w:document>               <w:ins/></w:document>";
        let bytes = package(&[("word/document.xml", xml)]);
        let mut zip = ZipArchive::new(Cursor::new(&bytes[..])).unwrap();
        let whole = part_within(&mut zip, "word/document.xml", xml.len() as u64).unwrap();
        assert_eq!(whole.as_deref(), Some(xml));
        let cut = part_within(&mut zip, "word/document.xml", 20).unwrap_err();
        assert!(
            cut.contains("too large to check for hidden content"),
            "{cut}"
        );
        assert_eq!(part_within(&mut zip, "word/other.xml", 20), Ok(None));
    }
}
