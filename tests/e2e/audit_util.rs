//! Helpers for the audit tests: a builder for a volume in the layout the
//! SPEC's `produce` section describes (with OPT and SHA256SUMS), a runner,
//! and assertions on the JSON report. File writers are in `audit_files`.

use std::path::{Path, PathBuf};

pub use crate::audit_files::*;

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
