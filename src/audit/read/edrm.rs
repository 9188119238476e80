//! EDRM XML 1.2 indexes: `Root/Batch/Documents/Document`, each with its
//! `DocID`, `Tags/Tag` (`TagName`, `TagValue`: `#BegBates`, `#EndBates`,
//! `#PageCount`…), `Files/File` (`FileType` Native, Image or Text, with an
//! `ExternalFile` `FilePath` and `FileName`, or `InlineContent`) and
//! `Locations/Location/Custodian`. Each document becomes a record of the
//! same [`Table`] the other index readers give: the tags are its columns
//! (without their `#`), plus DOCID, CUSTODIAN and NATIVELINK / IMAGELINK /
//! TEXTLINK from the first external file of each type.

use super::{Problem, Record, Table, text};
use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};
use std::collections::BTreeMap;

fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref().eq_ignore_ascii_case(name))
        .and_then(|a| {
            a.normalized_value(XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.trim().to_string())
        })
}

/// One document read: its line and its cells by column name.
struct Doc {
    line: usize,
    cells: BTreeMap<String, String>,
}

pub fn read(bytes: &[u8]) -> Result<Table, String> {
    let decoded = text::decode(bytes);
    let xml = decoded.text.trim_start_matches('\u{feff}');
    let line_at = |pos: u64| {
        1 + xml.as_bytes()[..(pos as usize).min(xml.len())]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
    };
    let mut reader = Reader::from_str(xml);
    let mut docs: Vec<Doc> = Vec::new();
    let mut columns: Vec<String> = Vec::new();
    let mut problems = decoded.problems;
    let mut file_type: Option<String> = None;
    let mut custodian = false;
    let mut seen_root = false;
    let add = |columns: &mut Vec<String>, doc: &mut Doc, name: &str, value: String| {
        if !columns.iter().any(|c| c == name) {
            columns.push(name.to_string());
        }
        doc.cells.entry(name.to_string()).or_insert(value);
    };
    loop {
        let pos = reader.buffer_position();
        let event = match reader.read_event() {
            Ok(e) => e,
            Err(e) => {
                problems.push(Problem::line(
                    line_at(reader.error_position()),
                    format!("the XML cannot be read past this point ({e}); the documents before it were read"),
                ));
                break;
            }
        };
        match event {
            Event::Start(e) | Event::Empty(e) => {
                let name = e.local_name().as_ref().to_ascii_lowercase();
                match name.as_str() {
                    "root" => seen_root = true,
                    "document" => {
                        let mut doc = Doc {
                            line: line_at(pos),
                            cells: BTreeMap::new(),
                        };
                        if let Some(id) = attr(&e, "DocID") {
                            add(&mut columns, &mut doc, "DOCID", id);
                        }
                        docs.push(doc);
                    }
                    _ => {}
                }
                let Some(doc) = docs.last_mut() else { continue };
                match name.as_str() {
                    "tag" => {
                        let tag = attr(&e, "TagName").unwrap_or_default();
                        let tag = tag.trim_start_matches('#');
                        if !tag.is_empty() {
                            add(
                                &mut columns,
                                doc,
                                tag,
                                attr(&e, "TagValue").unwrap_or_default(),
                            );
                        }
                    }
                    "file" => file_type = attr(&e, "FileType").map(|t| t.to_ascii_lowercase()),
                    "externalfile" => {
                        let column = match file_type.as_deref() {
                            Some("native") => "NATIVELINK",
                            Some("image") => "IMAGELINK",
                            Some("text") => "TEXTLINK",
                            _ => continue,
                        };
                        let folder = attr(&e, "FilePath").unwrap_or_default();
                        let file = attr(&e, "FileName").unwrap_or_default();
                        if !file.is_empty() {
                            let path = if folder.is_empty() {
                                file
                            } else {
                                format!("{}\\{file}", folder.trim_end_matches(['\\', '/']))
                            };
                            add(&mut columns, doc, column, path);
                        }
                        if let Some(hash) = attr(&e, "Hash").filter(|h| !h.is_empty()) {
                            add(&mut columns, doc, "SOURCE_HASH", hash);
                        }
                    }
                    "custodian" => custodian = true,
                    _ => {}
                }
            }
            Event::Text(t) if custodian => {
                if let Some(doc) = docs.last_mut() {
                    add(
                        &mut columns,
                        doc,
                        "CUSTODIAN",
                        t.xml10_content().trim().to_string(),
                    );
                }
            }
            Event::End(e) => {
                let name = e.local_name();
                if name.as_ref().eq_ignore_ascii_case("custodian") {
                    custodian = false;
                } else if name.as_ref().eq_ignore_ascii_case("file") {
                    file_type = None;
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !seen_root && docs.is_empty() {
        return Err("it is XML but not EDRM XML: no <Root> with <Document> elements".into());
    }
    let records = docs
        .iter()
        .map(|d| Record {
            line: d.line,
            cells: columns
                .iter()
                .map(|c| d.cells.get(c).cloned().unwrap_or_default())
                .collect(),
            malformed: false,
        })
        .collect();
    Ok(Table {
        format: "EDRM XML".into(),
        encoding: Some(decoded.encoding.into()),
        headers: columns,
        header_line: 1,
        records,
        problems,
        ..Default::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r##"<?xml version="1.0" encoding="UTF-8"?>
<Root MajorVersion="1" MinorVersion="2">
  <Batch>
    <Documents>
      <Document DocID="DOC-1" DocType="Message">
        <Tags>
          <Tag TagName="#BegBates" TagDataType="Text" TagValue="ABC0001"/>
          <Tag TagName="#EndBates" TagDataType="Text" TagValue="ABC0002"/>
          <Tag TagName="Subject" TagDataType="Text" TagValue="Q3 &amp; budget"/>
        </Tags>
        <Files>
          <File FileType="Native"><ExternalFile FilePath="NATIVES\001" FileName="ABC0001.msg" Hash="abc"/></File>
          <File FileType="Text"><InlineContent>hello</InlineContent></File>
        </Files>
        <Locations><Location><Custodian>Ruiz, Ana</Custodian></Location></Locations>
      </Document>
      <Document DocID="DOC-2">
        <Tags><Tag TagName="#BegBates" TagValue="ABC0003"/></Tags>
      </Document>
    </Documents>
  </Batch>
</Root>
"##;

    #[test]
    fn documents_become_records() {
        let t = read(SAMPLE.as_bytes()).unwrap();
        assert_eq!(t.format, "EDRM XML");
        let col = |name: &str| t.headers.iter().position(|h| h == name).unwrap();
        assert_eq!(t.records.len(), 2);
        assert_eq!(t.records[0].line, 5);
        assert_eq!(t.records[0].cells[col("BegBates")], "ABC0001");
        assert_eq!(t.records[0].cells[col("Subject")], "Q3 & budget");
        assert_eq!(
            t.records[0].cells[col("NATIVELINK")],
            "NATIVES\\001\\ABC0001.msg"
        );
        assert_eq!(t.records[0].cells[col("CUSTODIAN")], "Ruiz, Ana");
        assert_eq!(t.records[1].cells[col("BegBates")], "ABC0003");
        assert_eq!(t.records[1].cells[col("NATIVELINK")], "");
        assert!(t.problems.is_empty());
    }

    #[test]
    fn broken_xml_keeps_what_was_read() {
        let cut = &SAMPLE[..SAMPLE.find("<Document DocID=\"DOC-2\">").unwrap()];
        let t = read(format!("{cut}<Document DocID=\"X\"><Tags></Files>").as_bytes()).unwrap();
        assert_eq!(t.records.len(), 2);
        assert_eq!(t.problems.len(), 1);
        assert!(read(b"<svg></svg>").is_err());
    }
}
