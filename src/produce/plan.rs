//! The production plan, decided without touching disk: which documents go
//! into the volume, as what, under which Bates numbers, and what blocks it.
//! `produce --dry-run --json` prints exactly this.

use super::bates::BatesFormat;
use crate::matter::config::{Config, Dedupe, WithheldMode};
use crate::model::Document;
use crate::model::{Decision, DocId, Earlier, FileKind, Status, Treatment};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// What a reviewer decided on `doc`, as copies of one file must agree on it.
pub fn decision(doc: &Document, config: &Config) -> Decision {
    let mut privileges: Vec<String> = doc
        .review
        .privileges
        .iter()
        .map(|p| p.to_uppercase())
        .collect();
    privileges.sort();
    Decision {
        status: doc.review.status.as_str().into(),
        privileges,
        description: doc
            .review
            .description
            .clone()
            .unwrap_or_default()
            .trim()
            .into(),
        redacted_sha256: doc.review.redacted_sha256.clone().unwrap_or_default(),
        confidentiality: level(doc, config).unwrap_or_default(),
    }
}

/// The confidentiality level that applies: the document's, else the default.
pub fn level(doc: &Document, config: &Config) -> Option<String> {
    let name = doc
        .review
        .confidentiality
        .clone()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| config.confidentiality.default.clone());
    if name.is_empty() {
        return None;
    }
    Some(config.level(&name).map_or(name, |l| l.name.clone()))
}

/// What the caller found when it checked the bytes that would go out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceState {
    Ok,
    Problem(String),
}

pub struct Input<'a> {
    pub volume: &'a str,
    pub config: &'a Config,
    pub bates: &'a BatesFormat,
    pub documents: &'a [Document],
    pub earlier: &'a HashMap<DocId, Earlier>,
    /// Checks of each representative's source (and redacted file).
    pub sources: &'a HashMap<DocId, SourceState>,
    /// The page count of each e-mail that would be rendered, or why it
    /// cannot be.
    pub rendered: &'a HashMap<DocId, Result<u64, String>>,
    pub first_number: u64,
    pub first_log_id: u64,
}

/// How a document appears in the volume.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Form {
    /// A stamped PDF: the original, or the redacted file that replaces it.
    Image { redacted: bool },
    /// An e-mail rendered as pages (header, attachments, body), then
    /// stamped like an image.
    Rendered {
        attachments: Vec<super::email::AttachmentLine>,
    },
    /// The original bytes, with a one-page slip sheet.
    Native { extension: String },
    /// A "Withheld – Privileged" slip sheet.
    WithheldSlip,
    /// No file and no number: only logged.
    LogOnly,
}

impl Form {
    /// Whether the volume carries the document as stamped PDF pages.
    pub fn is_paginated(&self) -> bool {
        matches!(self, Form::Image { .. } | Form::Rendered { .. })
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Planned {
    pub docid: DocId,
    pub treatment: Treatment,
    pub form: Form,
    pub beg: Option<u64>,
    pub end: Option<u64>,
    /// Bates numbers consumed.
    pub pages: u64,
    pub log_id: Option<u64>,
    /// Exact duplicates in this selection not produced separately.
    pub duplicates: Vec<DocId>,
    pub confidentiality: Option<String>,
    /// BEGATTACH, ENDATTACH, PARENT_BATES and ATTACH_BATES as numbers.
    #[serde(skip_serializing_if = "FamilyBates::is_empty")]
    pub family: FamilyBates,
}

/// A family member's links, as Bates numbers of this volume.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FamilyBates {
    /// The first number of the family's first member that took numbers.
    pub begattach: Option<u64>,
    /// The last number of the family's last member that took numbers.
    pub endattach: Option<u64>,
    /// The immediate parent's first number (children only).
    pub parent: Option<u64>,
    /// The immediate children's first numbers (parents only).
    pub attachments: Vec<u64>,
}

impl FamilyBates {
    pub fn is_empty(&self) -> bool {
        *self == FamilyBates::default()
    }
}

/// Each document's immediate children (attachments), in DOCID order.
pub fn children_of(documents: &[Document]) -> HashMap<DocId, Vec<&Document>> {
    let mut out: HashMap<DocId, Vec<&Document>> = HashMap::new();
    for doc in documents {
        if let Some(parent) = doc.id.parent() {
            out.entry(parent).or_default().push(doc);
        }
    }
    out
}

/// A rendered e-mail's attachment lines get their children's first numbers.
fn number_attachment_lines(documents: &mut [Planned]) {
    let begs: HashMap<DocId, Option<u64>> = documents
        .iter()
        .filter(|p| p.docid.is_child())
        .map(|p| (p.docid, p.beg))
        .collect();
    for p in documents.iter_mut() {
        if let Form::Rendered { attachments } = &mut p.form {
            for line in attachments {
                line.beg = begs.get(&line.docid).copied().flatten();
            }
        }
    }
}

/// Fills in each member's family links. A family here is a top-level
/// document and its descendants that are in this volume; a document alone
/// in its family has none.
pub fn family_bates(documents: &mut [Planned]) {
    let mut start = 0;
    while start < documents.len() {
        let top = documents[start].docid.top();
        let end = start
            + documents[start..]
                .iter()
                .take_while(|d| d.docid.top() == top)
                .count();
        let family = &mut documents[start..end];
        start = end;
        if family.len() < 2 && !family[0].docid.is_child() {
            continue;
        }
        let begattach = family.iter().find_map(|p| p.beg);
        let endattach = family.iter().rev().find_map(|p| p.end);
        let first: HashMap<DocId, Option<u64>> = family.iter().map(|p| (p.docid, p.beg)).collect();
        let mut children: HashMap<DocId, Vec<u64>> = HashMap::new();
        for p in family.iter() {
            if let (Some(parent), Some(beg)) = (p.docid.parent(), p.beg) {
                children.entry(parent).or_default().push(beg);
            }
        }
        for p in family.iter_mut() {
            p.family = FamilyBates {
                begattach,
                endattach,
                parent: p
                    .docid
                    .parent()
                    .and_then(|id| first.get(&id).copied().flatten()),
                attachments: children.remove(&p.docid).unwrap_or_default(),
            };
        }
    }
}

impl Planned {
    /// One Bates number per page of the file that goes out (empty for a
    /// log-only document).
    pub fn numbers(&self, bates: &BatesFormat) -> Vec<String> {
        match (self.beg, self.end) {
            (Some(b), Some(e)) => bates.numbers(b, e, self.pages),
            _ => Vec::new(),
        }
    }

    /// ENDBATES: the last number, suffixed when a replacement is longer.
    pub fn end_label(&self, bates: &BatesFormat) -> String {
        match (self.beg, self.end) {
            (Some(b), Some(e)) => bates.last(b, e, self.pages),
            _ => String::new(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Duplicate {
    pub docid: DocId,
    pub represented_by: DocId,
    /// Set when the representative was produced in an earlier volume.
    pub earlier_volume: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Blocker {
    pub docids: Vec<DocId>,
    pub reason: String,
}

impl std::fmt::Display for Blocker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ids: Vec<String> = self.docids.iter().map(DocId::to_string).collect();
        if ids.is_empty() {
            f.write_str(&self.reason)
        } else {
            write!(f, "{}: {}", ids.join(", "), self.reason)
        }
    }
}

/// A value extracted from a privileged original that the volume leaves out.
#[derive(Debug, Clone, Serialize)]
pub struct LeftOut {
    pub docid: DocId,
    pub field: String,
    pub value: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Pages {
    pub image_pages: u64,
    pub native_slip_sheets: u64,
    pub withheld_slip_sheets: u64,
    pub total: u64,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct CategoryCount {
    pub produced: u64,
    pub redacted: u64,
    pub withheld: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    pub volume: String,
    pub documents: Vec<Planned>,
    pub duplicates: Vec<Duplicate>,
    pub first_bates: Option<String>,
    pub last_bates: Option<String>,
    pub pages: Pages,
    pub categories: BTreeMap<String, CategoryCount>,
    pub blockers: Vec<Blocker>,
    pub left_out: Vec<LeftOut>,
}

/// Dedupe compares top-level documents only: an attachment is never removed
/// from its family because the same bytes exist elsewhere.
fn dedupe_key(doc: &Document, mode: Dedupe) -> Option<String> {
    if doc.id.is_child() {
        return None;
    }
    match mode {
        Dedupe::Global => Some(doc.source.sha256.clone()),
        Dedupe::Custodian => Some(format!(
            "{}\u{1f}{}",
            doc.source.custodian, doc.source.sha256
        )),
        Dedupe::None => None,
    }
}

fn selected(doc: &Document) -> bool {
    matches!(
        doc.review.status,
        Status::Produce | Status::Redact | Status::Withhold
    )
}

pub fn plan(input: &Input<'_>) -> Plan {
    let config = input.config;
    let mode = config.production.dedupe;
    let mut blockers = Vec::new();

    // Copies already produced, by dedupe key.
    let mut earlier_by_key: HashMap<String, (DocId, &Earlier)> = HashMap::new();
    for (id, e) in input.earlier {
        let key = match mode {
            Dedupe::Global => e.sha256.clone(),
            Dedupe::Custodian => format!("{}\u{1f}{}", e.custodian, e.sha256),
            Dedupe::None => continue,
        };
        let rep = e.represented_by;
        earlier_by_key
            .entry(key)
            .and_modify(|cur| {
                if rep < cur.0 {
                    *cur = (rep, e)
                }
            })
            .or_insert((*id, e));
    }

    // Group this selection's documents by dedupe key, in DOCID order.
    let mut representatives: Vec<&Document> = Vec::new();
    let mut groups: HashMap<String, Vec<&Document>> = HashMap::new();
    let mut duplicates = Vec::new();
    for doc in input
        .documents
        .iter()
        .filter(|d| selected(d) && !input.earlier.contains_key(&d.id))
    {
        match dedupe_key(doc, mode) {
            Some(key) => {
                let group = groups.entry(key.clone()).or_default();
                if group.is_empty() && !earlier_by_key.contains_key(&key) {
                    representatives.push(doc);
                }
                group.push(doc);
            }
            None => representatives.push(doc),
        }
    }
    for (key, group) in &groups {
        let earlier = earlier_by_key.get(key);
        let reference = earlier
            .map(|(_, e)| e.decision.clone())
            .unwrap_or_else(|| decision(group[0], config));
        if group.iter().any(|d| decision(d, config) != reference) {
            let mut ids: Vec<DocId> = group.iter().map(|d| d.id).collect();
            if let Some((id, _)) = earlier {
                ids.push(*id);
            }
            ids.sort();
            blockers.push(Blocker {
                docids: ids.clone(),
                reason: format!(
                    "exact duplicates ({}) disagree on status, privileges, description, redacted file or confidentiality{}; tag them alike",
                    ids.iter().map(DocId::to_string).collect::<Vec<_>>().join(", "),
                    earlier.map(|(_, e)| format!(", including the copy produced in {}", e.volume)).unwrap_or_default()
                ),
            });
        }
        for (i, d) in group.iter().enumerate() {
            match earlier {
                Some((_, e)) => duplicates.push(Duplicate {
                    docid: d.id,
                    represented_by: e.represented_by,
                    earlier_volume: Some(e.volume.clone()),
                }),
                None if i > 0 => duplicates.push(Duplicate {
                    docid: d.id,
                    represented_by: group[0].id,
                    earlier_volume: None,
                }),
                None => {}
            }
        }
    }
    // A duplicate e-mail's attachments go out with its representative's
    // family: each is listed as a duplicate of the attachment at the same
    // place there.
    let duplicate_tops: HashMap<DocId, DocId> = duplicates
        .iter()
        .filter(|d| !d.docid.is_child())
        .map(|d| (d.docid, d.represented_by))
        .collect();
    representatives.retain(|doc| {
        let Some(rep_top) = duplicate_tops
            .get(&doc.id.top())
            .filter(|_| doc.id.is_child())
        else {
            return true;
        };
        let same_place = doc
            .id
            .path()
            .iter()
            .try_fold(*rep_top, |id, &n| id.child(n));
        if let Some(rep) = same_place {
            duplicates.push(Duplicate {
                docid: doc.id,
                represented_by: rep,
                earlier_volume: duplicates
                    .iter()
                    .find(|d| d.docid == doc.id.top())
                    .and_then(|d| d.earlier_volume.clone()),
            });
        }
        false
    });
    duplicates.sort_by_key(|d| d.docid);

    let mut documents = Vec::new();
    let mut left_out = Vec::new();
    let mut categories: BTreeMap<String, CategoryCount> = config
        .categories
        .iter()
        .map(|c| (c.id.clone(), CategoryCount::default()))
        .collect();
    let mut pages = Pages::default();
    let mut number = input.first_number;
    let mut log_id = input.first_log_id;
    let children = children_of(input.documents);
    for doc in &representatives {
        blockers.extend(check(doc, config, input.sources.get(&doc.id)));
        let r = &doc.review;
        let (treatment, form, count) = match r.status {
            Status::Withhold => match config.bates.withheld {
                WithheldMode::Slipsheet => (Treatment::Withheld, Form::WithheldSlip, 1),
                WithheldMode::LogOnly => (Treatment::Withheld, Form::LogOnly, 0),
            },
            Status::Redact => (
                Treatment::Redacted,
                Form::Image { redacted: true },
                r.redacted_pages.unwrap_or(0),
            ),
            _ if super::email::renders(doc) => {
                let count = match input.rendered.get(&doc.id) {
                    Some(Ok(pages)) => *pages,
                    Some(Err(reason)) => {
                        blockers.push(Blocker {
                            docids: vec![doc.id],
                            reason: format!("{reason} (tag it --as-native to produce the native with a slip sheet)"),
                        });
                        0
                    }
                    None => {
                        blockers.push(Blocker {
                            docids: vec![doc.id],
                            reason: "its rendered pages were not counted".into(),
                        });
                        0
                    }
                };
                let kids = children.get(&doc.id).map_or(&[][..], Vec::as_slice);
                (
                    Treatment::Produced,
                    Form::Rendered {
                        attachments: super::email::attachment_lines(kids),
                    },
                    count,
                )
            }
            _ if r.as_native
                || doc.source.kind != FileKind::Pdf
                || doc.source.problem.is_some() =>
            {
                let extension = crate::extract::extension(&doc.source.rel_path);
                (Treatment::Produced, Form::Native { extension }, 1)
            }
            _ => (
                Treatment::Produced,
                Form::Image { redacted: false },
                doc.source.page_count.unwrap_or(0),
            ),
        };
        match &form {
            Form::Image { .. } | Form::Rendered { .. } => pages.image_pages += count,
            Form::Native { .. } => pages.native_slip_sheets += count,
            Form::WithheldSlip => pages.withheld_slip_sheets += count,
            Form::LogOnly => {}
        }
        let (beg, end) = if count > 0 {
            (Some(number), Some(number + count - 1))
        } else {
            (None, None)
        };
        number += count;
        let this_log = (treatment != Treatment::Produced).then(|| {
            log_id += 1;
            log_id - 1
        });
        if treatment != Treatment::Produced {
            left_out.extend(extracted_values(doc));
        }
        for c in &r.categories {
            let entry = categories.entry(c.clone()).or_default();
            match treatment {
                Treatment::Produced => entry.produced += 1,
                Treatment::Redacted => entry.redacted += 1,
                Treatment::Withheld => entry.withheld += 1,
            }
        }
        let dups = duplicates
            .iter()
            .filter(|d| d.represented_by == doc.id)
            .map(|d| d.docid)
            .collect();
        documents.push(Planned {
            docid: doc.id,
            treatment,
            form,
            beg,
            end,
            pages: count,
            log_id: this_log,
            duplicates: dups,
            confidentiality: level(doc, config),
            family: FamilyBates::default(),
        });
    }
    pages.total = pages.image_pages + pages.native_slip_sheets + pages.withheld_slip_sheets;
    family_bates(&mut documents);
    number_attachment_lines(&mut documents);
    let last = (number > input.first_number).then(|| number - 1);
    if let Some(last) = last
        && !input.bates.fits(last)
    {
        blockers.push(Blocker {
            docids: Vec::new(),
            reason: format!(
                "the last Bates number, {last}, does not fit in {} digits (the largest is {})",
                input.bates.width,
                input.bates.format(input.bates.max())
            ),
        });
    }
    // Held for the whole produce: no room left over from the list's growth.
    documents.shrink_to_fit();
    Plan {
        volume: input.volume.to_string(),
        documents,
        duplicates,
        first_bates: last.map(|_| input.bates.format(input.first_number)),
        last_bates: last.map(|l| input.bates.format(l)),
        pages,
        categories,
        blockers,
        left_out,
    }
}

/// Everything that stops one document from going out.
pub(super) fn check(doc: &Document, config: &Config, source: Option<&SourceState>) -> Vec<Blocker> {
    let r = &doc.review;
    let mut reasons = Vec::new();
    if let Some(SourceState::Problem(p)) = source {
        reasons.push(p.clone());
    }
    if r.status == Status::Redact && r.redacted_sha256.is_none() {
        reasons.push("tagged redact but has no redacted file (tag it with --redacted-file)".into());
    }
    if matches!(r.status, Status::Redact | Status::Withhold) {
        let mut missing = Vec::new();
        if r.privileges.is_empty() {
            missing.push("privilege");
        }
        let empty = |v: &Option<String>| v.as_deref().is_none_or(|s| s.trim().is_empty());
        for (name, value) in [
            ("description", &r.description),
            ("doc-date", &r.doc_date),
            ("doc-type", &r.doc_type),
            ("author", &r.author),
            ("recipients", &r.recipients),
        ] {
            if empty(value) {
                missing.push(name);
            }
        }
        if !missing.is_empty() {
            reasons.push(format!(
                "{} needs {} for the privilege log (state an absence explicitly: --doc-date undated, --author Unknown, --recipients None)",
                r.status.as_str(),
                missing.join(", ")
            ));
        }
    }
    if r.status == Status::Produce && doc.source.problem.is_some() && !r.as_native {
        reasons.push(format!(
            "could not be read at ingest ({}); tag it withhold, redact with a readable --redacted-file, or --as-native",
            doc.source.problem.as_deref().unwrap_or("")
        ));
    }
    if r.status == Status::Produce && !doc.source.hidden.is_empty() && !r.hidden_reviewed {
        let kinds: Vec<&str> = doc.source.hidden.iter().map(|h| h.kind.label()).collect();
        reasons.push(format!(
            "holds hidden content ({}) not confirmed; review it and tag --hidden-reviewed",
            kinds.join(", ")
        ));
    }
    if r.categories.is_empty() {
        reasons.push("has no category (tag it with --category)".into());
    }
    for c in &r.categories {
        if config.category(c).is_none() {
            reasons.push(format!(
                "is in category {c:?}, which adrec.toml does not define"
            ));
        }
    }
    reasons
        .into_iter()
        .map(|reason| Blocker {
            docids: vec![doc.id],
            reason,
        })
        .collect()
}

/// Values read from a privileged original that the volume does not carry
/// (only reviewers' entries reach a Redacted or Withheld row).
pub(super) fn extracted_values(doc: &Document) -> Vec<LeftOut> {
    let m = &doc.source.metadata;
    let file_name = doc.file_name().to_string();
    let recipients = m.recipients();
    let candidates = [
        ("TITLE", m.title.clone()),
        ("FILENAME", Some(file_name)),
        ("AUTHOR", m.author.clone()),
        ("DOC_DATE", m.date.clone().or_else(|| m.created.clone())),
        ("RECIPIENTS", (!recipients.is_empty()).then_some(recipients)),
    ];
    candidates
        .into_iter()
        .filter_map(|(field, value)| {
            value.map(|v| LeftOut {
                docid: doc.id,
                field: field.into(),
                value: v,
            })
        })
        .collect()
}

#[cfg(test)]
#[path = "plan_tests.rs"]
pub(super) mod tests;
