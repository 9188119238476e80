//! An e-mail's attachments as child documents, read in the same pass as the
//! e-mail: each is hashed, typed and read like any file, and attached
//! e-mails are opened in turn. Their bytes are dropped once read; produce
//! re-extracts them from the e-mail (see `crate::source`).

use super::hash::{Hashed, digest};
use crate::extract::message::{self, Attachment};
use crate::model::{DocId, Extracted, FileKind};

/// One attachment read at ingest.
pub struct ChildRead {
    /// Positions below the top-level e-mail (1-based), outermost first.
    pub path: Vec<u32>,
    pub file_name: String,
    /// The names from the top-level e-mail down, `/`-separated
    /// (`fwd.eml/memo.pdf`).
    pub rel: String,
    pub hashed: Hashed,
    pub extracted: Extracted,
}

/// What reading an e-mail's attachments found.
#[derive(Default)]
pub struct FamilyRead {
    pub children: Vec<ChildRead>,
    /// Facts about the top-level e-mail itself (an undecodable part,
    /// attachments nested too deep to number).
    pub notes: Vec<String>,
}

/// Reads the attachments of the e-mail in `bytes`, at every depth adrec
/// numbers.
pub fn read(bytes: &[u8], file_name: &str) -> FamilyRead {
    let mut out = FamilyRead::default();
    let mut notes = Vec::new();
    visit(
        bytes,
        file_name,
        &mut Vec::new(),
        "",
        &mut out.children,
        &mut notes,
    );
    out.notes = notes;
    out
}

/// Reads one e-mail's attachments into `children`; facts about the e-mail
/// itself go to `notes`.
fn visit(
    bytes: &[u8],
    file_name: &str,
    path: &mut Vec<u32>,
    rel: &str,
    children: &mut Vec<ChildRead>,
    notes: &mut Vec<String>,
) {
    let message = match message::read(bytes, file_name) {
        Ok(m) => m,
        // The e-mail's own reading already says why it is unreadable.
        Err(_) => return,
    };
    notes.extend(message.problems);
    let total = message.attachments.len();
    if total > 0 && path.len() >= DocId::MAX_DEPTH {
        notes.push(format!(
            "holds {total} attachment(s) nested more than {} levels below the top-level e-mail; \
             they have no DOCIDs of their own: produce this e-mail as a native to give them out",
            DocId::MAX_DEPTH
        ));
        return;
    }
    let numbered = total.min(DocId::MAX_CHILDREN as usize);
    if numbered < total {
        notes.push(format!(
            "holds {total} attachments; only the first {numbered} have DOCIDs: produce this e-mail as a native to give out the rest"
        ));
    }
    for (i, attachment) in message.attachments.into_iter().take(numbered).enumerate() {
        let position = i as u32 + 1;
        let name = child_name(&attachment, position);
        let (sha256, md5) = digest(&attachment.bytes);
        let mut extracted = crate::extract::extract(&attachment.bytes, &name);
        if let Some(declared) = &attachment.name
            && message::safe_name(declared).as_deref() != Some(declared.as_str())
        {
            extracted.metadata.notes.push(format!(
                "the e-mail names this attachment {declared:?}; adrec calls it {name:?} (a name is never used as a path)"
            ));
        }
        path.push(position);
        let mut own_notes = Vec::new();
        let is_email = extracted.kind == FileKind::Email;
        let at = children.len();
        let own_rel = if rel.is_empty() {
            name.clone()
        } else {
            format!("{rel}/{name}")
        };
        children.push(ChildRead {
            path: path.clone(),
            file_name: name.clone(),
            rel: own_rel.clone(),
            hashed: Hashed {
                sha256,
                md5,
                size: attachment.bytes.len() as u64,
            },
            extracted,
        });
        if is_email {
            visit(
                &attachment.bytes,
                &name,
                path,
                &own_rel,
                children,
                &mut own_notes,
            );
            children[at].extracted.metadata.notes.extend(own_notes);
        }
        path.pop();
    }
}

/// The attachment's FILENAME: its declared name made safe, else
/// `attachment-N` with the extension of its type.
fn child_name(attachment: &Attachment, position: u32) -> String {
    if let Some(name) = attachment.name.as_deref().and_then(message::safe_name) {
        return name;
    }
    let extension = if attachment.is_message {
        if attachment.bytes.starts_with(&message::CFB) {
            "msg"
        } else {
            "eml"
        }
    } else {
        infer::get(&attachment.bytes)
            .map(|k| k.extension())
            .or(match attachment.content_type.as_deref() {
                Some("text/plain") => Some("txt"),
                Some("text/html") => Some("html"),
                Some("text/calendar") => Some("ics"),
                _ => None,
            })
            .unwrap_or("bin")
    };
    format!("attachment-{position}.{extension}")
}
