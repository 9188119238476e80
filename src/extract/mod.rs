//! From one file's bytes to what adrec knows about it: the kind (by content,
//! extension as fallback), page count, metadata and hidden content.
//! Readers never fail the caller: a file that can't be understood is an
//! `Extracted` with a `problem`.

pub mod email;
pub mod html_text;
pub mod mbox;
pub mod message;
pub mod msg;
pub mod office;
mod rfc2047;
mod rtf;
pub mod text;

use crate::model::{Extracted, FileKind, Metadata};

/// Reads `bytes` (the whole file) named `file_name`.
pub fn extract(bytes: &[u8], file_name: &str) -> Extracted {
    let mut found = extract_unbounded(bytes, file_name);
    bound_values(&mut found.metadata);
    found
}

/// The most bytes one metadata value keeps; a longer one is cut (at a
/// character boundary) and a note says so.
pub const MAX_VALUE: usize = 32 * 1024;

fn bound_values(m: &mut crate::model::Metadata) {
    let mut cut = Vec::new();
    let mut bound = |name: &str, value: &mut String| {
        if value.len() > MAX_VALUE {
            let full = value.len();
            let mut end = MAX_VALUE;
            while !value.is_char_boundary(end) {
                end -= 1;
            }
            value.truncate(end);
            cut.push(format!(
                "the {name} is {full} bytes long; only its first {} KiB were kept",
                MAX_VALUE / 1024
            ));
        }
    };
    for (name, value) in [
        ("title", &mut m.title),
        ("author", &mut m.author),
        ("date header", &mut m.date_raw),
        ("sender", &mut m.from),
        ("subject", &mut m.subject),
    ] {
        if let Some(v) = value.as_mut() {
            bound(name, v);
        }
    }
    for (name, list) in [
        ("recipient", &mut m.to),
        ("copy recipient", &mut m.cc),
        ("blind copy recipient", &mut m.bcc),
        ("attachment name", &mut m.attachments),
    ] {
        for v in list.iter_mut() {
            bound(name, v);
        }
    }
    m.notes.extend(cut);
}

fn extract_unbounded(bytes: &[u8], file_name: &str) -> Extracted {
    let ext = extension(file_name);
    let head = &bytes[..bytes.len().min(1024)];
    if head.windows(5).any(|w| w == b"%PDF-") {
        return pdf(bytes);
    }
    if bytes.starts_with(b"PK\x03\x04")
        && let Some(kind) = office::package_kind(bytes)
    {
        return office::extract(bytes, kind);
    }
    // A compound file is read once: an Outlook message, or (when named .msg
    // but not one) a problem; other compound files (.doc, .xls) fall through.
    if bytes.starts_with(&message::CFB) {
        match msg::read(bytes) {
            Ok(read) => return email::from_message(read, "msg"),
            Err(reason) if ext == "msg" => {
                return Extracted {
                    kind: FileKind::Other,
                    type_name: "msg".into(),
                    pages: None,
                    metadata: Metadata::default(),
                    hidden: Vec::new(),
                    problem: Some(reason),
                    repaired: None,
                };
            }
            Err(_) => {}
        }
    }
    if ext == "eml" || email::looks_like_email(head) {
        return email::extract(bytes);
    }
    let type_name = content_type_name(bytes).unwrap_or_else(|| {
        if ext.is_empty() {
            "unknown".into()
        } else {
            ext.clone()
        }
    });
    let problem = match ext.as_str() {
        "pdf" => Some(
            crate::pdf::read::load(bytes)
                .err()
                .map_or_else(|| "not a readable PDF".into(), |e| e.to_string()),
        ),
        "docx" | "xlsx" | "pptx" => Some(format!(
            "named .{ext} but the content is not an Office Open XML package (it looks like {type_name})"
        )),
        _ => None,
    };
    Extracted {
        kind: FileKind::Other,
        type_name,
        pages: None,
        metadata: Metadata::default(),
        hidden: Vec::new(),
        problem,
        repaired: None,
    }
}

fn pdf(bytes: &[u8]) -> Extracted {
    let mut out = Extracted {
        kind: FileKind::Pdf,
        type_name: "pdf".into(),
        pages: None,
        metadata: Metadata::default(),
        hidden: Vec::new(),
        problem: None,
        repaired: None,
    };
    match crate::pdf::inspect(bytes) {
        Ok(facts) => {
            out.pages = Some(facts.pages);
            out.metadata.title = facts.title;
            out.metadata.author = facts.author;
            out.metadata.created = facts.created;
            out.metadata.date_raw = facts.created_raw;
            if let Some(stated) = facts.stated_count {
                out.metadata.notes.push(format!(
                    "the file's page tree says /Count {stated} but holds {} pages; adrec counts the pages",
                    facts.pages
                ));
            }
            if facts.owner_encrypted {
                out.metadata.notes.push(
                    "encrypted with an owner password only: read (and produced) decrypted".into(),
                );
            }
            if let Some(repair) = &facts.repaired {
                out.metadata
                    .notes
                    .push(format!("damaged: {repair} (repaired in memory)"));
            }
            out.repaired = facts.repaired;
            out.hidden = facts.hidden;
        }
        Err(reason) => out.problem = Some(reason.to_string()),
    }
    out
}

/// Lower-case extension of a file name, without the dot.
pub fn extension(file_name: &str) -> String {
    std::path::Path::new(file_name)
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default()
}

fn content_type_name(bytes: &[u8]) -> Option<String> {
    if let Some(kind) = infer::get(bytes) {
        return Some(kind.extension().to_string());
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(512)]).to_ascii_lowercase();
    if head.contains("<html") || head.contains("<!doctype html") {
        return Some("html".into());
    }
    if !bytes.is_empty() && std::str::from_utf8(&bytes[..bytes.len().min(4096)]).is_ok() {
        return Some("text".into());
    }
    None
}

#[cfg(test)]
mod robustness;
