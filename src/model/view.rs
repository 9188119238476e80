//! The views of a document that `docs` and `show` print: JSON (field names
//! are stable and documented in the README) and CSV columns, both derived
//! from `Document`.

use super::{DocId, Document, HiddenKind, Metadata, Status};
use serde::Serialize;

/// One document as `docs` and `show` print it; field names are stable.
#[derive(Debug, Serialize)]
pub struct DocView {
    pub docid: DocId,
    pub path: String,
    pub source_path: String,
    pub custodian: String,
    pub size: u64,
    pub sha256: String,
    pub md5: String,
    #[serde(rename = "type")]
    pub type_name: String,
    pub pages: Option<u64>,
    pub problem: Option<String>,
    pub repaired: Option<String>,
    pub duplicate_of: Option<DocId>,
    pub status: Status,
    pub categories: Vec<String>,
    pub hidden: Vec<HiddenKind>,
    pub metadata: Metadata,
    pub privileges: Vec<String>,
    pub description: Option<String>,
    pub confidentiality: Option<String>,
    pub redacted_sha256: Option<String>,
    pub redacted_pages: Option<u64>,
    pub as_native: bool,
    pub hidden_reviewed: bool,
    pub first_reviewed_at: Option<String>,
    /// Reviewer-set values that override what ingest extracted.
    pub overrides: Overrides,
    /// The e-mail an attachment came from.
    pub parent: Option<DocId>,
    /// The family's top-level document, for a member of a family (set by
    /// [`mark_families`] for a parent, whose children `new` cannot see).
    pub family: Option<DocId>,
}

/// Marks each document that has attachments in `views` as its family's top.
pub fn mark_families(views: &mut [DocView]) {
    let parents: std::collections::HashSet<DocId> = views
        .iter()
        .filter_map(|v| v.parent.map(DocId::top))
        .collect();
    for v in views.iter_mut() {
        if parents.contains(&v.docid) {
            v.family = Some(v.docid);
        }
    }
}

#[derive(Debug, Serialize)]
pub struct Overrides {
    pub doc_date: Option<String>,
    pub doc_type: Option<String>,
    pub author: Option<String>,
    pub recipients: Option<String>,
    pub title: Option<String>,
    pub filename: Option<String>,
}

impl DocView {
    pub fn new(d: &Document) -> DocView {
        DocView {
            docid: d.id,
            path: d.source.rel_path.clone(),
            source_path: d.source.source_path.clone(),
            custodian: d.source.custodian.clone(),
            size: d.source.size,
            sha256: d.source.sha256.clone(),
            md5: d.source.md5.clone(),
            type_name: d.source.type_name.clone(),
            pages: d.source.page_count,
            problem: d.source.problem.clone(),
            repaired: d.source.repaired.clone(),
            duplicate_of: d.source.duplicate_of,
            status: d.review.status,
            categories: d.review.categories.clone(),
            hidden: d.source.hidden.iter().map(|h| h.kind).collect(),
            metadata: d.source.metadata.clone(),
            privileges: d.review.privileges.clone(),
            description: d.review.description.clone(),
            confidentiality: d.review.confidentiality.clone(),
            redacted_sha256: d.review.redacted_sha256.clone(),
            redacted_pages: d.review.redacted_pages,
            as_native: d.review.as_native,
            hidden_reviewed: d.review.hidden_reviewed,
            first_reviewed_at: d.review.first_reviewed_at.clone(),
            overrides: Overrides {
                doc_date: d.review.doc_date.clone(),
                doc_type: d.review.doc_type.clone(),
                author: d.review.author.clone(),
                recipients: d.review.recipients.clone(),
                title: d.review.title.clone(),
                filename: d.review.filename.clone(),
            },
            parent: d.id.parent(),
            family: d.id.is_child().then(|| d.id.top()),
        }
    }
}

pub const CSV_HEADERS: [&str; 40] = [
    "docid",
    "path",
    "source_path",
    "custodian",
    "size",
    "sha256",
    "md5",
    "type",
    "pages",
    "problem",
    "repaired",
    "duplicate_of",
    "status",
    "categories",
    "hidden",
    "title",
    "author",
    "created",
    "date",
    "from",
    "to",
    "cc",
    "bcc",
    "attachments",
    "privileges",
    "description",
    "confidentiality",
    "redacted_sha256",
    "redacted_pages",
    "as_native",
    "hidden_reviewed",
    "first_reviewed_at",
    "override_doc_date",
    "override_doc_type",
    "override_author",
    "override_recipients",
    "override_title",
    "override_filename",
    "parent",
    "family",
];

pub fn csv_row(v: &DocView) -> [String; 40] {
    let m = &v.metadata;
    let opt = |o: &Option<String>| o.clone().unwrap_or_default();
    [
        v.docid.to_string(),
        v.path.clone(),
        v.source_path.clone(),
        v.custodian.clone(),
        v.size.to_string(),
        v.sha256.clone(),
        v.md5.clone(),
        v.type_name.clone(),
        v.pages.map(|p| p.to_string()).unwrap_or_default(),
        opt(&v.problem),
        opt(&v.repaired),
        v.duplicate_of.map(|d| d.to_string()).unwrap_or_default(),
        v.status.as_str().to_string(),
        v.categories.join("; "),
        v.hidden
            .iter()
            .map(|h| {
                serde_json::to_value(h)
                    .ok()
                    .and_then(|s| s.as_str().map(str::to_string))
                    .unwrap_or_default()
            })
            .collect::<Vec<_>>()
            .join("; "),
        opt(&m.title),
        opt(&m.author),
        opt(&m.created),
        opt(&m.date),
        opt(&m.from),
        m.to.join("; "),
        m.cc.join("; "),
        m.bcc.join("; "),
        m.attachments.join("; "),
        v.privileges.join("; "),
        opt(&v.description),
        opt(&v.confidentiality),
        opt(&v.redacted_sha256),
        v.redacted_pages.map(|p| p.to_string()).unwrap_or_default(),
        yes_no(v.as_native),
        yes_no(v.hidden_reviewed),
        opt(&v.first_reviewed_at),
        opt(&v.overrides.doc_date),
        opt(&v.overrides.doc_type),
        opt(&v.overrides.author),
        opt(&v.overrides.recipients),
        opt(&v.overrides.title),
        opt(&v.overrides.filename),
        v.parent.map(|d| d.to_string()).unwrap_or_default(),
        v.family.map(|d| d.to_string()).unwrap_or_default(),
    ]
}

fn yes_no(b: bool) -> String {
    if b { "yes" } else { "no" }.to_string()
}
