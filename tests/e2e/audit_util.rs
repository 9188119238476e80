//! Helpers for the audit tests: small real PDFs, load files written byte by
//! byte (DAT in any encoding, CSV, OPT, SHA256SUMS), a builder for a volume in
//! the layout the SPEC's `produce` section describes, and a runner.

use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

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
    book.save_to_buffer().unwrap()
}

pub fn write(path: &Path, bytes: &[u8]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

/// Privilege-log fields of a document.
#[derive(Clone, Debug)]
pub struct Log {
    pub log_id: String,
    pub doc_date: String,
    pub doc_type: String,
    pub author: String,
    pub recipients: String,
    pub description: String,
    pub privilege: String,
}

impl Log {
    pub fn new(log_id: &str) -> Log {
        Log {
            log_id: log_id.into(),
            doc_date: "2023-03-14".into(),
            doc_type: "Memorandum".into(),
            author: "Ana Ruiz".into(),
            recipients: "To: Luis Ortega".into(),
            description: "Draft recommendation on implementation guidance".into(),
            privilege: "Deliberative process privilege".into(),
        }
    }
}

/// One document of a volume in the `produce` layout.
#[derive(Clone, Debug)]
pub struct Doc {
    pub control: String,
    /// Bates numbers; empty for a log-only withheld document.
    pub beg: String,
    pub end: String,
    /// The IMAGES PDF (stamped pages or slip sheet); None for log-only.
    pub image: Option<Vec<u8>>,
    pub native: Option<(String, Vec<u8>)>,
    /// `Produced`, `Redacted` or `Withheld`.
    pub treatment: String,
    pub category: String,
    pub log: Option<Log>,
    pub source_sha256: String,
    pub source_md5: String,
}

/// A volume in the layout the SPEC's `produce` section describes.
#[derive(Clone, Debug)]
pub struct ProduceVolume {
    pub name: String,
    pub docs: Vec<Doc>,
    /// Privilege-log rows added after the documents' own (LOG_COLUMNS order).
    pub extra_log: Vec<Vec<String>>,
}

pub const PREFIX: &str = "DHS-MPP-";

pub fn bates(n: u64) -> String {
    format!("{PREFIX}{n:06}")
}

pub const INDEX_COLUMNS: [&str; 19] = [
    "BEGBATES",
    "ENDBATES",
    "PGCOUNT",
    "CONTROL_ID",
    "VOLUME",
    "CATEGORY",
    "TREATMENT",
    "CONFIDENTIALITY",
    "DOC_DATE",
    "DOC_TYPE",
    "TITLE",
    "AUTHOR",
    "RECIPIENTS",
    "CUSTODIAN",
    "FILENAME",
    "PRODUCED_SHA256",
    "SOURCE_SHA256",
    "SOURCE_MD5",
    "DUPLICATES",
];

pub const LOG_COLUMNS: [&str; 13] = [
    "LOG_ID",
    "BEGBATES",
    "ENDBATES",
    "CONTROL_ID",
    "TREATMENT",
    "DOC_DATE",
    "DOC_TYPE",
    "AUTHOR",
    "RECIPIENTS",
    "DESCRIPTION",
    "PRIVILEGE",
    "CATEGORY",
    "VOLUME",
];

impl ProduceVolume {
    /// A volume starting at `start`: a 3-page produced PDF (category 1), a
    /// native spreadsheet with its slip sheet (category 2), a 2-page redacted
    /// PDF (categories 1 and 3, logged) and a withheld document with a slip
    /// sheet (category 3, logged). With `log_only`, the withheld document has
    /// no Bates numbers and no files.
    pub fn standard(
        name: &str,
        start: u64,
        first_docid: u64,
        first_log: u64,
        log_only: bool,
    ) -> ProduceVolume {
        let id = |k: u64| format!("DOC-{:06}", first_docid + k);
        let native = format!("native spreadsheet bytes of {}", id(1)).into_bytes();
        let original = |k: u64| format!("original PDF of {}", id(k)).into_bytes();
        let mut docs = vec![
            Doc {
                control: id(0),
                beg: bates(start),
                end: bates(start + 2),
                image: Some(pdf(3, &bates(start), false)),
                native: None,
                treatment: "Produced".into(),
                category: "1".into(),
                log: None,
                source_sha256: sha256(&original(0)),
                source_md5: md5(&original(0)),
            },
            Doc {
                control: id(1),
                beg: bates(start + 3),
                end: bates(start + 3),
                image: Some(pdf(1, "Document produced in native format", false)),
                source_sha256: sha256(&native),
                source_md5: md5(&native),
                native: Some(("xlsx".into(), native)),
                treatment: "Produced".into(),
                category: "2".into(),
                log: None,
            },
            Doc {
                control: id(2),
                beg: bates(start + 4),
                end: bates(start + 5),
                image: Some(pdf(2, &bates(start + 4), false)),
                native: None,
                treatment: "Redacted".into(),
                category: "1; 3".into(),
                log: Some(Log::new(&format!("PRIV-{first_log:06}"))),
                source_sha256: sha256(&original(2)),
                source_md5: md5(&original(2)),
            },
        ];
        let withheld = Doc {
            control: id(3),
            beg: if log_only {
                String::new()
            } else {
                bates(start + 6)
            },
            end: if log_only {
                String::new()
            } else {
                bates(start + 6)
            },
            image: (!log_only).then(|| pdf(1, "Withheld - Privileged", false)),
            native: None,
            treatment: "Withheld".into(),
            category: "3".into(),
            log: Some(Log::new(&format!("PRIV-{:06}", first_log + 1))),
            source_sha256: sha256(&original(3)),
            source_md5: md5(&original(3)),
        };
        docs.push(withheld);
        ProduceVolume {
            name: name.into(),
            docs,
            extra_log: Vec::new(),
        }
    }

    fn image_rel(&self, d: &Doc) -> String {
        format!("IMAGES/0001/{}.pdf", d.beg)
    }

    fn native_rel(&self, d: &Doc) -> Option<String> {
        d.native
            .as_ref()
            .map(|(ext, _)| format!("NATIVES/0001/{}.{ext}", d.beg))
    }

    /// PGCOUNT: the Bates numbers the row consumes (1 for an inserted page).
    fn pages(d: &Doc) -> String {
        if d.beg.is_empty() {
            String::new()
        } else {
            span(&d.beg, &d.end).len().to_string()
        }
    }

    fn index_row(&self, d: &Doc) -> Vec<String> {
        let withheld = d.treatment == "Withheld";
        let log = d.log.clone();
        let produced = match (&d.native, &d.image) {
            _ if withheld => String::new(),
            (Some((_, bytes)), _) => sha256(bytes),
            (None, Some(img)) => sha256(img),
            _ => String::new(),
        };
        vec![
            d.beg.clone(),
            d.end.clone(),
            Self::pages(d),
            d.control.clone(),
            self.name.clone(),
            d.category.clone(),
            d.treatment.clone(),
            String::new(),
            log.as_ref()
                .map_or("2023-03-01".into(), |l| l.doc_date.clone()),
            log.as_ref().map_or(String::new(), |l| l.doc_type.clone()),
            if withheld {
                String::new()
            } else {
                format!("Title of {}", d.control)
            },
            log.as_ref()
                .map_or("Records Desk".into(), |l| l.author.clone()),
            log.as_ref().map_or(String::new(), |l| l.recipients.clone()),
            "Ruiz, Ana".into(),
            if withheld {
                String::new()
            } else {
                format!("{}.pdf", d.control)
            },
            produced,
            d.source_sha256.clone(),
            d.source_md5.clone(),
            String::new(),
        ]
    }

    /// Writes the volume under `parent` and returns its folder.
    pub fn write(&self, parent: &Path) -> PathBuf {
        let root = parent.join(&self.name);
        let mut written: Vec<(String, Vec<u8>)> = Vec::new();
        let mut dat_rows = Vec::new();
        let mut csv_rows = Vec::new();
        let mut opt = String::new();
        let mut log_rows = Vec::new();
        for d in &self.docs {
            let mut row = self.index_row(d);
            csv_rows.push(row.clone());
            let native_link = self.native_rel(d).map_or(String::new(), |r| {
                format!("{}\\{}", self.name, r.replace('/', "\\"))
            });
            let image_link = if d.image.is_some() {
                format!("{}\\{}", self.name, self.image_rel(d).replace('/', "\\"))
            } else {
                String::new()
            };
            row[8] = mmddyyyy(&row[8]);
            row.push(native_link);
            row.push(image_link.clone());
            dat_rows.push(row);
            if let Some(img) = &d.image {
                written.push((self.image_rel(d), img.clone()));
                let keys = span(&d.beg, &d.end);
                let n = keys.len();
                for (k, key) in keys.iter().enumerate() {
                    let (y, count) = if k == 0 {
                        ("Y", n.to_string())
                    } else {
                        ("", String::new())
                    };
                    opt.push_str(&format!(
                        "{key},{},{image_link},{y},,,{count}\r\n",
                        self.name
                    ));
                }
            }
            if let (Some(rel), Some((_, bytes))) = (self.native_rel(d), &d.native) {
                written.push((rel, bytes.clone()));
            }
            if let Some(l) = &d.log {
                log_rows.push(vec![
                    l.log_id.clone(),
                    d.beg.clone(),
                    d.end.clone(),
                    d.control.clone(),
                    if d.treatment == "Withheld" {
                        "Withheld in Full".into()
                    } else {
                        d.treatment.clone()
                    },
                    l.doc_date.clone(),
                    l.doc_type.clone(),
                    l.author.clone(),
                    l.recipients.clone(),
                    l.description.clone(),
                    l.privilege.clone(),
                    d.category.clone(),
                    self.name.clone(),
                ]);
            }
        }
        log_rows.extend(self.extra_log.iter().cloned());
        let mut dat_headers: Vec<&str> = INDEX_COLUMNS.to_vec();
        dat_headers.extend(["NATIVELINK", "IMAGELINK"]);
        let n = &self.name;
        written.push((
            format!("DATA/{n}.dat"),
            dat(&dat_headers, &dat_rows, Enc::Utf8Bom, 'þ'),
        ));
        written.push((format!("DATA/{n}.opt"), opt.into_bytes()));
        written.push((
            format!("DATA/{n}_index.csv"),
            csv(&INDEX_COLUMNS, &csv_rows),
        ));
        written.push((
            format!("DATA/{n}_index.xlsx"),
            xlsx(&INDEX_COLUMNS, &csv_rows),
        ));
        written.push((
            format!("DATA/{n}_privilege_log.csv"),
            csv(&LOG_COLUMNS, &log_rows),
        ));
        written.push((
            format!("DATA/{n}_privilege_log.xlsx"),
            xlsx(&LOG_COLUMNS, &log_rows),
        ));
        written.push((
            format!("DATA/{n}_manifest.json"),
            format!("{{\"volume\": \"{n}\", \"dat_encoding\": \"UTF-8 with BOM\"}}\n").into_bytes(),
        ));
        for (rel, bytes) in &written {
            write(&root.join(rel), bytes);
        }
        resum(&root);
        root
    }
}

/// (prefix, width, number) of a Bates number, or None when it has a suffix.
pub fn split(b: &str) -> Option<(String, usize, u64)> {
    let digits = b.len() - b.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    let at = b.len() - digits;
    if b[..at].ends_with('.')
        && b[..at]
            .trim_end_matches('.')
            .ends_with(|c: char| c.is_ascii_digit())
    {
        return None;
    }
    Some((b[..at].to_string(), digits, b[at..].parse().ok()?))
}

/// Every page key from `beg` to `end`; an inserted page (suffix) is one key.
pub fn span(beg: &str, end: &str) -> Vec<String> {
    match (split(beg), split(end)) {
        (Some((p, w, a)), Some((_, _, b))) => (a..=b).map(|n| format!("{p}{n:0w$}")).collect(),
        _ => vec![beg.to_string()],
    }
}

/// Rewrites `root/SHA256SUMS` for every file under `root` (but itself), as
/// `sha256sum` run in `root` would.
pub fn resum(root: &Path) {
    let mut files: Vec<PathBuf> = walk(root);
    files.sort();
    let mut sums = String::new();
    for f in files {
        let rel = f
            .strip_prefix(root)
            .unwrap()
            .to_str()
            .unwrap()
            .replace('\\', "/");
        if rel == "SHA256SUMS" {
            continue;
        }
        sums.push_str(&format!("{}  {rel}\n", sha256(&std::fs::read(&f).unwrap())));
    }
    std::fs::write(root.join("SHA256SUMS"), sums).unwrap();
}

/// Every file under `dir`, recursively.
pub fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p))
        } else {
            out.push(p)
        }
    }
    out
}

/// Replaces `from` with `to` in a text file (asserting it was there).
#[track_caller]
pub fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "`{from}` is not in {}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

/// `2023-03-14` → `03/14/2023`, as the DAT writes dates.
fn mmddyyyy(iso: &str) -> String {
    let p: Vec<&str> = iso.split('-').collect();
    if p.len() == 3 {
        format!("{}/{}/{}", p[1], p[2], p[0])
    } else {
        String::new()
    }
}

/// Runs `adrec audit ARGS --json`: exit code, the JSON report (Null when none), stderr.
pub fn audit_json(args: &[&str]) -> (i32, serde_json::Value, String) {
    let out = assert_cmd::Command::new(env!("CARGO_BIN_EXE_adrec"))
        .arg("audit")
        .args(args)
        .arg("--json")
        .output()
        .unwrap();
    let json = serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null);
    (
        out.status.code().unwrap_or(-1),
        json,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Runs `adrec audit ARGS` for its human output: exit code, stdout, stderr.
pub fn audit_text(args: &[&str]) -> (i32, String, String) {
    let out = assert_cmd::Command::new(env!("CARGO_BIN_EXE_adrec"))
        .arg("audit")
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The findings of a report.
pub fn findings(json: &serde_json::Value) -> Vec<serde_json::Value> {
    json["findings"].as_array().cloned().unwrap_or_default()
}

/// The findings with `code`.
pub fn with_code(json: &serde_json::Value, code: &str) -> Vec<serde_json::Value> {
    findings(json)
        .into_iter()
        .filter(|f| f["code"] == code)
        .collect()
}

/// Every finding's code, for assertion messages.
pub fn codes(json: &serde_json::Value) -> Vec<String> {
    findings(json)
        .iter()
        .map(|f| f["code"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// A finding's `bates` as strings.
pub fn bates_of(f: &serde_json::Value) -> Vec<String> {
    f["bates"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// A finding's `files` as strings.
pub fn files_of(f: &serde_json::Value) -> Vec<String> {
    f["files"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// Asserts the report holds exactly one finding, with `code`, and returns it.
#[track_caller]
pub fn only(json: &serde_json::Value, code: &str) -> serde_json::Value {
    let all = findings(json);
    assert_eq!(
        all.len(),
        1,
        "expected exactly one {code} finding, got: {}",
        serde_json::to_string_pretty(&all).unwrap()
    );
    assert_eq!(
        all[0]["code"],
        code,
        "{}",
        serde_json::to_string_pretty(&all).unwrap()
    );
    all[0].clone()
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
