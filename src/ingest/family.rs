//! An e-mail's attachments as child documents, read in the same pass as the
//! e-mail: each is hashed, typed and read like any file, and attached
//! e-mails are opened in turn. Their bytes are dropped once read; produce
//! re-extracts them from the e-mail (see `crate::source`). Once read, each
//! becomes a document numbered below its e-mail's DOCID (`add_children`).

use super::hash::{Hashed, digest};
use super::{IngestedDoc, Problem, Summary};
use crate::extract::message::{self, Attachment};
use crate::matter::store::NewDocument;
use crate::model::{DocId, Extracted, FileKind, Source};

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

/// The attachments of the e-mail `parent` (DOCID `id`) as new documents:
/// DOCIDs below the e-mail's, identity `PARENT>N>M`, FILENAME the
/// attachment's name. Attachments are never duplicates (dedupe compares
/// top-level documents only).
pub(super) fn add_children(
    id: DocId,
    parent: &Source,
    family: FamilyRead,
    summary: &mut Summary,
    new: &mut Vec<NewDocument>,
) {
    for child in family.children {
        let Some(child_id) = child.path.iter().try_fold(id, |at, &n| at.child(n)) else {
            summary.notes.push(format!(
                "{id} ({}): attachment {:?} cannot have a DOCID below {id} (more than {} top-level documents); produce the e-mail as a native",
                parent.rel_path,
                child.file_name,
                DocId::MAX_FAMILY_TOP
            ));
            continue;
        };
        let positions: Vec<String> = child.path.iter().map(u32::to_string).collect();
        let rel_path = format!("{}/{}", parent.rel_path, child.rel);
        let e = child.extracted;
        if let Some(problem) = &e.problem {
            summary.unparseable += 1;
            summary.unparseable_files.push(Problem {
                docid: Some(child_id),
                path: rel_path.clone(),
                reason: problem.clone(),
            });
        }
        summary.documents.push(IngestedDoc {
            docid: child_id,
            path: rel_path.clone(),
            duplicate_of: None,
        });
        summary.attachments += 1;
        new.push(NewDocument {
            id: child_id,
            source: Source {
                source_path: format!("{}>{}", parent.source_path, positions.join(">")),
                rel_path,
                size: child.hashed.size,
                sha256: child.hashed.sha256,
                md5: child.hashed.md5,
                kind: e.kind,
                type_name: e.type_name,
                page_count: e.pages,
                problem: e.problem,
                repaired: e.repaired,
                metadata: e.metadata,
                hidden: e.hidden,
                duplicate_of: None,
                ..parent.clone()
            },
        });
    }
}

/// A `Source` with every fact empty, for filling in.
pub(super) fn children_template() -> Source {
    Source {
        source_path: String::new(),
        ingest_root: String::new(),
        rel_path: String::new(),
        custodian: String::new(),
        size: 0,
        mtime_ns: 0,
        sha256: String::new(),
        md5: String::new(),
        kind: crate::model::FileKind::Email,
        type_name: "email".into(),
        page_count: None,
        problem: None,
        repaired: None,
        metadata: crate::model::Metadata::default(),
        hidden: Vec::new(),
        duplicate_of: None,
    }
}
