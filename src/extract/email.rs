//! `.eml` messages: Date, From, To, Cc, Bcc, Subject (RFC 2047 decoded) and
//! the names of attachments.

use super::message::{Attachment, Message};
use crate::model::{Extracted, FileKind, Metadata};
use mailparse::{MailAddr, MailHeaderMap, ParsedMail};

/// Whether the first bytes look like RFC 5322 headers.
pub fn looks_like_email(head: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(head) else {
        return false;
    };
    let first = text.lines().next().unwrap_or("");
    let starts_as_header = first.split_once(':').is_some_and(|(name, _)| {
        !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    });
    let lower = text.to_ascii_lowercase();
    starts_as_header
        && (lower.contains("\nfrom:") || lower.starts_with("from:"))
        && (lower.contains("subject:") || lower.contains("date:"))
}

pub fn extract(bytes: &[u8]) -> Extracted {
    let mut out = Extracted {
        kind: FileKind::Email,
        type_name: "email".into(),
        pages: None,
        metadata: Metadata::default(),
        hidden: Vec::new(),
        problem: None,
        repaired: None,
    };
    let parsed = crate::pdf::guarded("e-mail", || {
        mailparse::parse_mail(bytes).map_err(|e| format!("not a readable e-mail: {e}"))
    });
    match parsed {
        Ok(mail) => out.metadata = metadata(&mail),
        Err(reason) => out.problem = Some(reason),
    }
    out
}

/// The header fields and attachment names of a parsed message.
fn metadata(mail: &ParsedMail<'_>) -> Metadata {
    let headers = mail.get_headers();
    let mut metadata = Metadata::default();
    let m = &mut metadata;
    m.subject = headers
        .get_first_header("Subject")
        .map(|h| super::rfc2047::decode(h.get_value_raw()).trim().to_string())
        .filter(|s| !s.is_empty());
    m.title = m.subject.clone();
    if let Some(raw) = headers.get_first_value("Date") {
        m.date = email_date(&raw);
        m.date_raw = Some(raw.trim().to_string());
        if m.date.is_none() {
            m.notes.push(format!(
                "the Date header {:?} could not be read as a date",
                raw.trim()
            ));
        }
    }
    m.from = headers
        .get_first_header("From")
        .map(addresses)
        .and_then(|list| (!list.is_empty()).then(|| list.join("; ")));
    m.author = m.from.clone();
    m.to = headers
        .get_all_headers("To")
        .into_iter()
        .flat_map(addresses)
        .collect();
    m.cc = headers
        .get_all_headers("Cc")
        .into_iter()
        .flat_map(addresses)
        .collect();
    m.bcc = headers
        .get_all_headers("Bcc")
        .into_iter()
        .flat_map(addresses)
        .collect();
    collect_attachments(mail, &mut m.attachments);
    metadata
}

/// What a message read by another reader (Outlook `.msg`) gives: the same
/// metadata an `.eml` gives, with its reading problems as notes.
pub fn from_message(message: Message, type_name: &str) -> Extracted {
    let mut m = Metadata {
        subject: message.subject.clone(),
        title: message.subject,
        from: (!message.from.is_empty()).then(|| message.from.join("; ")),
        to: message.to,
        cc: message.cc,
        bcc: message.bcc,
        notes: message.problems,
        ..Metadata::default()
    };
    m.author = m.from.clone();
    if let Some(raw) = message.date_raw {
        m.date = email_date(&raw);
        m.date_raw = Some(raw);
    }
    m.attachments = message
        .attachments
        .iter()
        .enumerate()
        .map(|(i, a)| {
            a.name
                .clone()
                .unwrap_or_else(|| format!("(unnamed attachment {})", i + 1))
        })
        .collect();
    Extracted {
        kind: FileKind::Email,
        type_name: type_name.into(),
        pages: None,
        metadata: m,
        hidden: Vec::new(),
        problem: None,
        repaired: None,
    }
}

/// The calendar date of an RFC 2822 `Date:` in its own offset.
pub fn email_date(raw: &str) -> Option<String> {
    let cleaned = raw.split('(').next().unwrap_or(raw).trim();
    jiff::fmt::rfc2822::parse(cleaned)
        .or_else(|_| jiff::fmt::rfc2822::parse(raw.trim()))
        .ok()
        .map(|z| z.date().to_string())
}

/// Address headers longer than this are cut (at the last comma before it)
/// before mailparse reads them: its decoder is quadratic in their length.
const ADDRESS_HEADER_CAP: usize = 32 * 1024;

fn addresses(header: &mailparse::MailHeader<'_>) -> Vec<String> {
    let raw = header.get_value_raw();
    if raw.len() > ADDRESS_HEADER_CAP {
        let cut = &raw[..ADDRESS_HEADER_CAP];
        let cut = cut
            .iter()
            .rposition(|&b| b == b',')
            .map_or(cut, |i| &cut[..i]);
        let line = [header.get_key_ref().as_bytes(), b": ", cut, b"\r\n"].concat();
        return match mailparse::parse_header(&line) {
            Ok((short, _)) => addresses_of(&short),
            Err(_) => Vec::new(),
        };
    }
    addresses_of(header)
}

fn addresses_of(header: &mailparse::MailHeader<'_>) -> Vec<String> {
    let format = |name: &Option<String>, addr: &str| match name.as_deref().map(str::trim) {
        Some(name) if !name.is_empty() && !addr.is_empty() => format!("{name} <{addr}>"),
        Some(name) if !name.is_empty() => name.to_string(),
        _ => addr.to_string(),
    };
    match mailparse::addrparse_header(header) {
        Ok(list) => list
            .iter()
            .flat_map(|a| match a {
                MailAddr::Single(s) => vec![format(&s.display_name, &s.addr)],
                MailAddr::Group(g) => g
                    .addrs
                    .iter()
                    .map(|s| format(&s.display_name, &s.addr))
                    .collect(),
            })
            .collect(),
        // An unparseable address list is still worth showing as written.
        Err(_) => vec![header.get_value().trim().to_string()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect(),
    }
}

fn collect_attachments(mail: &ParsedMail<'_>, names: &mut Vec<String>) {
    let mut body = Body::default();
    let mut found = Vec::new();
    walk(mail, &mut body, &mut found, &mut Vec::new());
    names.extend(found.iter().enumerate().map(|(i, part)| {
        declared_name(part).unwrap_or_else(|| format!("(unnamed attachment {})", i + 1))
    }));
}

/// The message's body parts found so far (the first of each kind).
#[derive(Default)]
struct Body<'a> {
    plain: Option<&'a ParsedMail<'a>>,
    html: Option<&'a ParsedMail<'a>>,
}

/// Sorts the leaves of `part` into body and attachments, in the order the
/// message holds them. A text/plain or text/html leaf that is not marked as
/// an attachment and has no file name is the body (the first of each kind);
/// every other leaf, inline images included, is an attachment. An attached
/// message (`message/rfc822`) is one leaf: its own parts are its business.
fn walk<'a>(
    part: &'a ParsedMail<'a>,
    body: &mut Body<'a>,
    found: &mut Vec<&'a ParsedMail<'a>>,
    problems: &mut Vec<String>,
) {
    let mime = part.ctype.mimetype.to_ascii_lowercase();
    if mime.starts_with("multipart/") {
        if part.subparts.is_empty() && !part.raw_bytes.is_empty() {
            problems.push(format!(
                "a {mime} part has no parts (its boundary {:?} is missing); its text is read as the body",
                part.ctype.params.get("boundary").map_or("", String::as_str)
            ));
            if body.plain.is_none() {
                body.plain = Some(part);
            }
        }
        for sub in &part.subparts {
            walk(sub, body, found, problems);
        }
        return;
    }
    let attached = part.get_content_disposition().disposition
        == mailparse::DispositionType::Attachment
        || declared_name(part).is_some();
    let slot = match mime.as_str() {
        "text/plain" if !attached => Some(&mut body.plain),
        "text/html" if !attached => Some(&mut body.html),
        _ => None,
    };
    match slot {
        Some(slot) if slot.is_none() => *slot = Some(part),
        _ => found.push(part),
    }
}

/// The file name a part declares (Content-Disposition `filename`, RFC 2231
/// continuations and charsets decoded by mailparse, else Content-Type
/// `name`), with RFC 2047 encoded words decoded.
fn declared_name(part: &ParsedMail<'_>) -> Option<String> {
    let disposition = part.get_content_disposition();
    let raw = disposition
        .params
        .get("filename")
        .or_else(|| part.ctype.params.get("name"))?;
    let name = super::rfc2047::decode(raw.as_bytes()).trim().to_string();
    (!name.is_empty()).then_some(name)
}

/// A part's decoded bytes. Base64 is decoded a few KiB at a time straight
/// into the result (mailparse first copies the whole part without its line
/// breaks), so a large attachment is in memory once encoded (in the file's
/// bytes) and once decoded.
fn decoded(part: &ParsedMail<'_>) -> Result<Vec<u8>, String> {
    let mailparse::body::Body::Base64(body) = part.get_body_encoded() else {
        return part.get_body_raw().map_err(|e| e.to_string());
    };
    let raw = body.get_raw();
    let engine = &data_encoding::BASE64_MIME_PERMISSIVE;
    let mut out = Vec::with_capacity(raw.len() / 4 * 3);
    // A multiple of 4 characters decodes on its own.
    let mut pending = Vec::with_capacity(16 * 1024);
    let flush = |pending: &mut Vec<u8>, out: &mut Vec<u8>| -> Result<(), String> {
        let decoded = engine.decode(pending).map_err(|e| e.to_string())?;
        out.extend_from_slice(&decoded);
        pending.clear();
        Ok(())
    };
    for &b in raw {
        if !b.is_ascii_whitespace() {
            pending.push(b);
            if pending.len() == 16 * 1024 {
                flush(&mut pending, &mut out)?;
            }
        }
    }
    if !pending.is_empty() {
        flush(&mut pending, &mut out)?;
    }
    Ok(out)
}

/// The whole message as adrec renders it and numbers its attachments.
pub fn message(bytes: &[u8]) -> Result<Message, String> {
    let mail = crate::pdf::guarded("e-mail", || {
        mailparse::parse_mail(bytes).map_err(|e| format!("not a readable e-mail: {e}"))
    })?;
    let meta = metadata(&mail);
    let mut out = Message {
        from: meta.from.into_iter().collect(),
        to: meta.to,
        cc: meta.cc,
        bcc: meta.bcc,
        subject: meta.subject,
        date_raw: meta.date_raw,
        ..Message::default()
    };
    let mut body = Body::default();
    let mut found = Vec::new();
    walk(&mail, &mut body, &mut found, &mut out.problems);
    let text = |part: &ParsedMail<'_>, problems: &mut Vec<String>| match part.get_body() {
        Ok(text) => text,
        Err(e) => {
            problems.push(format!(
                "the body could not be decoded ({e}); shown as bytes read as UTF-8"
            ));
            String::from_utf8_lossy(part.get_body_raw().as_deref().unwrap_or(part.raw_bytes))
                .into_owned()
        }
    };
    if let Some(plain) = body.plain {
        out.body = text(plain, &mut out.problems);
    } else if let Some(html) = body.html {
        out.body = super::html_text::html_to_text(&text(html, &mut out.problems));
    }
    for (i, part) in found.into_iter().enumerate() {
        let mime = part.ctype.mimetype.to_ascii_lowercase();
        let bytes = match decoded(part) {
            Ok(bytes) => bytes,
            Err(e) => {
                out.problems.push(format!(
                    "attachment {} could not be decoded ({e}); its encoded text is kept as it is",
                    i + 1
                ));
                part.raw_bytes.to_vec()
            }
        };
        out.attachments.push(Attachment {
            name: declared_name(part),
            is_message: mime == "message/rfc822",
            content_type: Some(mime),
            bytes,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_stay_in_their_own_offset() {
        assert_eq!(
            email_date("Wed, 31 Jan 2024 22:30:00 -0500").as_deref(),
            Some("2024-01-31")
        );
        assert_eq!(
            email_date("Tue, 14 Mar 2023 16:45:00 -0700 (MST)").as_deref(),
            Some("2023-03-14")
        );
        assert_eq!(email_date("not a date"), None);
    }

    #[test]
    fn decodes_encoded_words() {
        let raw = b"From: =?UTF-8?B?UGXDsWEsIEpvc8Op?= <jp@example.gov>\r\nTo: a@example.gov, \"B, C\" <b@example.gov>\r\nSubject: =?UTF-8?B?UmV1bmnDs24=?= =?ISO-8859-1?Q?_con_la_Secretar=EDa?=\r\nDate: Wed, 31 Jan 2024 22:30:00 -0500\r\n\r\nbody\r\n";
        let e = extract(raw);
        assert_eq!(e.problem, None);
        assert_eq!(
            e.metadata.subject.as_deref(),
            Some("Reunión con la Secretaría")
        );
        assert_eq!(
            e.metadata.from.as_deref(),
            Some("Peña, José <jp@example.gov>")
        );
        assert_eq!(
            e.metadata.to,
            vec![
                "a@example.gov".to_string(),
                "B, C <b@example.gov>".to_string()
            ]
        );
        assert_eq!(e.metadata.date.as_deref(), Some("2024-01-31"));
    }
}
