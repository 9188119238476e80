//! The production plan, decided without touching disk: which documents go
//! into the volume, as what, under which Bates numbers, and what blocks it.
//! `produce --dry-run --json` prints exactly this.

use super::bates::BatesFormat;
use crate::matter::config::Config;
use crate::model::Document;
use crate::model::{Decision, DocId, EarlierDocs, Status, Treatment};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

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
    pub earlier: &'a EarlierDocs,
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
        attachments: Box<[super::email::AttachmentLine]>,
        /// Whether its original message may go out beside the pages
        /// (`email_natives`): not when it holds an attachment withheld,
        /// redacted or not reviewed, whose bytes and name are inside it.
        original: bool,
    },
    /// The original bytes, with a one-page slip sheet. The planner shares
    /// the extension among the volume's documents of that type.
    Native { extension: Arc<str> },
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

/// One document of the plan. A produce holds every document's entry until
/// the volume is written (numbering, families and duplicates need them all),
/// so it is kept small: 128 bytes, where the rare parts (family links,
/// duplicates) are one box that most documents leave empty.
#[derive(Debug, Clone)]
pub struct Planned {
    pub docid: DocId,
    pub treatment: Treatment,
    pub form: Form,
    beg: Number,
    end: Number,
    /// Bates numbers consumed.
    pub pages: u64,
    log_id: Number,
    /// One shared copy per level: a million documents share a handful.
    pub confidentiality: Option<Arc<str>>,
    rare: Option<Box<Rare>>,
    /// What the document was when planned (`planner::version`).
    pub version: [u8; 16],
    /// Its categories, as the planner numbered them.
    pub(super) categories: Box<[u16]>,
}

/// A Bates number or log id that may be absent, in 8 bytes rather than an
/// `Option<u64>`'s 16. `u64::MAX` stands for none: neither comes near it
/// (Bates numbers start below 10^12, the width's limit, and grow by pages;
/// log ids count up from the store's last).
#[derive(Clone, Copy, PartialEq, Eq)]
struct Number(u64);

/// As the `Option` it stands for, so a failed test reads `None`, not
/// 18446744073709551615.
impl std::fmt::Debug for Number {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.get().fmt(f)
    }
}

impl Number {
    const NONE: Number = Number(u64::MAX);

    fn some(n: u64) -> Number {
        debug_assert!(n != u64::MAX, "a number past any Bates width");
        Number(n)
    }

    fn get(self) -> Option<u64> {
        (self != Number::NONE).then_some(self.0)
    }
}

/// What few documents have: links to their family, and the copies they
/// stand for.
#[derive(Debug, Clone, Default)]
struct Rare {
    family: FamilyBates,
    /// Exact duplicates in this selection not produced separately.
    duplicates: Box<[DocId]>,
}

/// `produce --dry-run --json` prints each document's fields as they were
/// before the entry was made compact.
impl Serialize for Planned {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let family = self
            .rare
            .as_ref()
            .map(|r| &r.family)
            .filter(|f| !f.is_empty());
        let mut out = s.serialize_struct("Planned", 9 + usize::from(family.is_some()))?;
        out.serialize_field("docid", &self.docid)?;
        out.serialize_field("treatment", &self.treatment)?;
        out.serialize_field("form", &self.form)?;
        out.serialize_field("beg", &self.beg())?;
        out.serialize_field("end", &self.end())?;
        out.serialize_field("pages", &self.pages)?;
        out.serialize_field("log_id", &self.log_id())?;
        out.serialize_field("duplicates", self.duplicates())?;
        out.serialize_field("confidentiality", &self.confidentiality)?;
        if let Some(family) = family {
            out.serialize_field("family", family)?;
        }
        out.end()
    }
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
pub(super) fn number_attachment_lines(documents: &mut [Planned]) {
    let begs: HashMap<DocId, Option<u64>> = documents
        .iter()
        .filter(|p| p.docid.is_child())
        .map(|p| (p.docid, p.beg()))
        .collect();
    for p in documents.iter_mut() {
        if let Form::Rendered { attachments, .. } = &mut p.form {
            for line in attachments.iter_mut() {
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
        let begattach = family.iter().find_map(|p| p.beg());
        let endattach = family.iter().rev().find_map(|p| p.end());
        let first: HashMap<DocId, Option<u64>> =
            family.iter().map(|p| (p.docid, p.beg())).collect();
        let mut children: HashMap<DocId, Vec<u64>> = HashMap::new();
        for p in family.iter() {
            if let (Some(parent), Some(beg)) = (p.docid.parent(), p.beg()) {
                children.entry(parent).or_default().push(beg);
            }
        }
        for p in family.iter_mut() {
            let links = FamilyBates {
                begattach,
                endattach,
                parent: p
                    .docid
                    .parent()
                    .and_then(|id| first.get(&id).copied().flatten()),
                attachments: children.remove(&p.docid).unwrap_or_default(),
            };
            p.set_links(links);
        }
    }
}

impl Planned {
    /// For a rendered e-mail whose original `email_natives` would send but
    /// which holds an attachment withheld, redacted or not reviewed: the
    /// warning that its original stays back.
    pub fn original_kept_back(&self, config: &Config) -> Option<String> {
        let kept_back = config.production.email_natives
            && self.treatment == Treatment::Produced
            && matches!(
                self.form,
                Form::Rendered {
                    original: false,
                    ..
                }
            );
        kept_back.then(|| format!(
            "{}: its original message is not in NATIVES/ (email_natives): it holds an attachment that is withheld, redacted or not reviewed; its pages and each attachment go out as tagged",
            self.docid
        ))
    }

    /// A document that takes no numbers and no log id yet, with no links.
    pub(super) fn new(
        docid: DocId,
        (treatment, form, pages): (Treatment, Form, u64),
        confidentiality: Option<Arc<str>>,
        version: [u8; 16],
        categories: Box<[u16]>,
    ) -> Planned {
        Planned {
            docid,
            treatment,
            form,
            beg: Number::NONE,
            end: Number::NONE,
            pages,
            log_id: Number::NONE,
            confidentiality,
            rare: None,
            version,
            categories,
        }
    }

    /// BEGBATES as a number (none for a document that takes no numbers).
    pub fn beg(&self) -> Option<u64> {
        self.beg.get()
    }

    /// ENDBATES as a number.
    pub fn end(&self) -> Option<u64> {
        self.end.get()
    }

    /// Its privilege-log entry's number (withheld and redacted documents).
    pub fn log_id(&self) -> Option<u64> {
        self.log_id.get()
    }

    pub(super) fn set_numbers(&mut self, beg: u64, end: u64) {
        (self.beg, self.end) = (Number::some(beg), Number::some(end));
    }

    pub(super) fn set_log_id(&mut self, log_id: u64) {
        self.log_id = Number::some(log_id);
    }

    /// Its family links (all empty for a document alone in its family).
    pub fn links(&self) -> &FamilyBates {
        static NONE: FamilyBates = FamilyBates {
            begattach: None,
            endattach: None,
            parent: None,
            attachments: Vec::new(),
        };
        self.rare.as_ref().map_or(&NONE, |r| &r.family)
    }

    pub(super) fn set_links(&mut self, family: FamilyBates) {
        if family.is_empty() && self.rare.is_none() {
            return;
        }
        self.rare_mut().family = family;
        self.drop_empty_rare();
    }

    /// The copies in this selection it stands for, not produced separately.
    pub fn duplicates(&self) -> &[DocId] {
        self.rare.as_ref().map_or(&[], |r| &r.duplicates)
    }

    pub(super) fn set_duplicates(&mut self, duplicates: Vec<DocId>) {
        if duplicates.is_empty() && self.rare.is_none() {
            return;
        }
        self.rare_mut().duplicates = duplicates.into_boxed_slice();
        self.drop_empty_rare();
    }

    fn rare_mut(&mut self) -> &mut Rare {
        self.rare.get_or_insert_with(Box::default)
    }

    /// Most documents have neither links nor copies: they keep no box.
    fn drop_empty_rare(&mut self) {
        if self
            .rare
            .as_ref()
            .is_some_and(|r| r.family.is_empty() && r.duplicates.is_empty())
        {
            self.rare = None;
        }
    }

    /// One Bates number per page of the file that goes out (empty for a
    /// log-only document).
    pub fn numbers(&self, bates: &BatesFormat) -> Vec<String> {
        match (self.beg(), self.end()) {
            (Some(b), Some(e)) => bates.numbers(b, e, self.pages),
            _ => Vec::new(),
        }
    }

    /// ENDBATES: the last number, suffixed when a replacement is longer.
    pub fn end_label(&self, bates: &BatesFormat) -> String {
        match (self.beg(), self.end()) {
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

/// A volume too long for its production index's one XLSX sheet (a row a
/// document): refused when planned, not after every file is written.
pub fn index_sheet_blocker(volume: &str, documents: usize) -> Option<Blocker> {
    use crate::export::xlsx::SHEET_ROWS;
    (documents > SHEET_ROWS).then(|| Blocker {
        docids: Vec::new(),
        reason: format!(
            "{volume} would list {documents} documents, but its production index is one XLSX sheet, which holds at most {SHEET_ROWS}: tag some of them unreviewed until {volume} is produced, then produce them in the next volume"
        ),
    })
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

impl Plan {
    /// The plan entry of `id`, if it goes out (a produce's plan is in DOCID
    /// order, so it is found by halving).
    pub fn planned(&self, id: DocId) -> Option<&Planned> {
        match self.documents.binary_search_by(|p| p.docid.cmp(&id)) {
            Ok(i) => Some(&self.documents[i]),
            Err(_) => None,
        }
    }
}

/// Plans from documents held in memory (one batch): what the tests and
/// small callers use; `produce` feeds the `Planner` a batch at a time.
pub fn plan(input: &Input<'_>) -> Plan {
    let mut planner = super::planner::Planner::new(input.config, input.earlier);
    planner.add(input.documents, input.sources, input.rendered);
    planner.finish(
        input.volume,
        input.bates,
        input.first_number,
        input.first_log_id,
    )
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
