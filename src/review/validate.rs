//! Checks every request against `adrec.toml` and the matter's documents and
//! turns them into one plan of updates, or lists every problem. Nothing here
//! writes anything: `tag --from`, `tag DOCID...` and `--dry-run` all validate
//! the same way.

use super::Problem;
use super::cell::Cell;
use super::change::{Edit, TagChange, diff};
use super::field::{Column, Field, KeyKind, column_for_header, column_letter, known_headers};
use super::redacted::{Checker, Redacted};
use super::sheet::Sheet;
use crate::matter::Config;
use crate::matter::store::ReviewUpdate;
use crate::model::Document;
use crate::model::{DocId, Status};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// Where a request came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// A sheet row: every key cell must name the same documents, and a
    /// document may appear on one row only.
    Row(usize),
    /// `tag DOCID...`: the keys add up.
    Command,
}

/// One sheet row or one command: keys naming documents, and cells to set.
#[derive(Debug, Clone)]
pub struct Request {
    pub origin: Origin,
    /// (kind, text, column label)
    pub keys: Vec<(KeyKind, String, String)>,
    /// (field, cell, column label)
    pub cells: Vec<(Field, Cell, String)>,
    pub reviewer: Option<String>,
}

/// The documents the requests name, when every key is a valid DOCID (a
/// SHA-256 or path key needs the whole matter to be matched against).
pub fn docid_keys(requests: &[Request]) -> Option<Vec<DocId>> {
    let mut ids = Vec::new();
    for r in requests {
        for (kind, text, _) in &r.keys {
            match kind {
                KeyKind::DocId => ids.push(DocId::parse(text)?),
                _ => return None,
            }
        }
    }
    ids.sort_unstable();
    ids.dedup();
    Some(ids)
}

/// What validation needs to know.
pub struct Context<'a> {
    pub config: &'a Config,
    pub docs: &'a [Document],
    /// Documents already in a produced volume: only a note may be added.
    pub produced: &'a HashSet<DocId>,
    /// Notes already on each document: the same note is not added twice
    /// (re-applying a sheet adds nothing).
    pub notes: &'a HashMap<DocId, HashSet<String>>,
    /// `--reviewer`, else `$USER`.
    pub reviewer: String,
    /// When this change happens (history, first review).
    pub at: String,
    /// Relative paths (redacted files, path keys) start here: the sheet's
    /// folder, or the current folder for `tag DOCID...`.
    pub base: PathBuf,
}

/// A validated set of changes, ready to apply.
#[derive(Debug, Default)]
pub struct Plan {
    pub updates: Vec<ReviewUpdate>,
    /// Redacted files to store before the updates commit.
    pub redacted: Vec<Redacted>,
    pub requests: usize,
    /// Documents the requests named.
    pub documents: usize,
    /// Of those, documents the requests left exactly as they were.
    pub unchanged: usize,
}

/// Turns a sheet's rows into requests, or lists what is wrong with its header.
pub fn sheet_requests(sheet: &Sheet) -> Result<Vec<Request>, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut columns: Vec<Option<(Column, String)>> = Vec::new();
    let mut seen: HashMap<Column, String> = HashMap::new();
    let label = |i: usize, h: &str| format!("{} {h:?}", column_letter(sheet.first_column + i));
    let header_problem = |i: usize, h: &str, message: String| Problem {
        row: Some(sheet.header_row),
        column: Some(label(i, h)),
        docid: None,
        message,
    };
    for (i, h) in sheet.headers.iter().enumerate() {
        if h.trim().is_empty() {
            columns.push(None);
            if let Some(row) = sheet
                .rows
                .iter()
                .find(|r| r.cells.get(i).is_some_and(|c| !c.is_blank()))
            {
                problems.push(Problem {
                    row: Some(row.number),
                    column: Some(column_letter(sheet.first_column + i)),
                    docid: None,
                    message:
                        "this column has values but no header; name it (e.g. status) or delete it"
                            .into(),
                });
            }
            continue;
        }
        let Some(col) = column_for_header(h) else {
            problems.push(header_problem(
                i,
                h,
                format!("unknown column; the columns adrec reads are: {} (case and spaces do not matter)", known_headers()),
            ));
            columns.push(None);
            continue;
        };
        if let Some(first) = seen.insert(col, label(i, h)) {
            problems.push(header_problem(
                i,
                h,
                format!("the same column as {first}; keep one of them"),
            ));
        }
        columns.push(Some((col, label(i, h))));
    }
    if !columns
        .iter()
        .flatten()
        .any(|(c, _)| matches!(c, Column::Key(_)))
    {
        problems.push(Problem {
            row: Some(sheet.header_row),
            column: None,
            docid: None,
            message: format!(
                "the sheet has no key column; add a column named docid, sha256 or path (headers found: {})",
                sheet.headers.iter().filter(|h| !h.is_empty()).cloned().collect::<Vec<_>>().join(", ")
            ),
        });
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let requests = sheet
        .rows
        .iter()
        .map(|row| {
            let mut req = Request {
                origin: Origin::Row(row.number),
                keys: Vec::new(),
                cells: Vec::new(),
                reviewer: None,
            };
            for (cell, col) in row.cells.iter().zip(&columns) {
                let Some((col, label)) = col else { continue };
                match col {
                    Column::Key(kind) => {
                        if let Ok(Some(text)) = cell.text() {
                            req.keys.push((*kind, text, label.clone()));
                        }
                    }
                    Column::Field(field) => req.cells.push((*field, cell.clone(), label.clone())),
                    Column::Reviewer => req.reviewer = cell.text().ok().flatten(),
                }
            }
            req
        })
        .collect();
    Ok(requests)
}

/// Validates every request; any problem anywhere means nothing is applied.
pub fn validate(requests: &[Request], ctx: &Context<'_>) -> Result<Plan, Vec<Problem>> {
    let index = Index::new(ctx.docs);
    let mut checker = Checker::new(ctx.base.clone());
    let mut problems = Vec::new();
    let mut plan = Plan {
        requests: requests.len(),
        ..Default::default()
    };
    let mut first_row: HashMap<DocId, usize> = HashMap::new();
    for req in requests {
        let row = match req.origin {
            Origin::Row(n) => Some(n),
            Origin::Command => None,
        };
        let problem = |column: Option<&str>, docid: Option<DocId>, message: String| Problem {
            row,
            column: column.map(str::to_string),
            docid,
            message,
        };
        let before = problems.len();
        let mut targets = resolve_keys(req, &index, ctx, &mut problems, &problem);
        // A document may appear on one row only, whatever else is wrong.
        if let Origin::Row(n) = req.origin {
            targets.retain(|&i| {
                let id = ctx.docs[i].id;
                match first_row.get(&id) {
                    Some(&first) => {
                        let key = req.keys.first().map(|(.., l)| l.as_str());
                        problems.push(problem(
                            key,
                            Some(id),
                            format!("{id} is already tagged by row {first}; a document may appear on one row only"),
                        ));
                        false
                    }
                    None => {
                        first_row.insert(id, n);
                        true
                    }
                }
            });
        }
        let mut change = TagChange::default();
        for (field, cell, label) in &req.cells {
            let mut check = |text: &str| checker.check(text);
            if let Err(message) = change.set(*field, cell, ctx.config, &mut check) {
                problems.push(problem(Some(label), None, message));
            }
        }
        if problems.len() > before {
            continue;
        }
        if change.is_empty() && req.origin == Origin::Command {
            problems.push(problem(
                None,
                None,
                "nothing to change: give at least one option such as --status or --note".into(),
            ));
            continue;
        }
        let actor = req.reviewer.clone().unwrap_or_else(|| ctx.reviewer.clone());
        let label_of = |field: Field| {
            req.cells
                .iter()
                .find(|(f, ..)| *f == field)
                .map(|(.., l)| l.as_str())
        };
        for i in targets {
            let doc = &ctx.docs[i];
            plan.documents += 1;
            let new = change.apply(&doc.review, &ctx.at);
            let changes = diff(&doc.review, &new);
            if let Edit::Set(r) = &change.redacted
                && r.sha256 == doc.source.sha256
            {
                problems.push(problem(
                    label_of(Field::RedactedFile),
                    Some(doc.id),
                    format!(
                        "`{}` is byte-identical to the original (SHA-256 {}): it redacts nothing; name the redacted PDF",
                        r.source.display(),
                        doc.source.sha256
                    ),
                ));
            }
            if ctx.produced.contains(&doc.id) && !changes.is_empty() {
                let fields: Vec<&str> = changes.iter().map(|c| c.field).collect();
                problems.push(problem(
                    changes.first().and_then(|c| label_of(field_named(c.field))),
                    Some(doc.id),
                    format!(
                        "{} is already in a produced volume, so its {} can no longer change; only a note can be added (what went out stays as it went out: record the decision with a note instead)",
                        doc.id,
                        fields.join(", ")
                    ),
                ));
                continue;
            }
            if matches!(new.status, Status::Redact | Status::Withhold) {
                let status = new.status.as_str();
                if new.privileges.is_empty() {
                    problems.push(problem(
                        label_of(Field::Privilege).or(label_of(Field::Status)),
                        Some(doc.id),
                        format!("a {status} document needs a privilege code: add one (--privilege, or the sheet's privilege column), e.g. DP"),
                    ));
                }
                if new
                    .description
                    .as_deref()
                    .is_none_or(|d| d.trim().is_empty())
                {
                    problems.push(problem(
                        label_of(Field::Description).or(label_of(Field::Status)),
                        Some(doc.id),
                        format!("a {status} document needs a description for the privilege log: add one (--description, or the sheet's description column)"),
                    ));
                }
            }
            let note = change.note.clone().filter(|n| {
                !ctx.notes
                    .get(&doc.id)
                    .is_some_and(|existing| existing.contains(n))
            });
            if changes.is_empty() && note.is_none() {
                plan.unchanged += 1;
                continue;
            }
            plan.updates.push(ReviewUpdate {
                id: doc.id,
                actor: actor.clone(),
                categories_changed: new.categories != doc.review.categories,
                privileges_changed: new.privileges != doc.review.privileges,
                review: new,
                changes,
                note,
            });
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    plan.redacted = checker.files();
    plan.updates.sort_by_key(|u| u.id);
    Ok(plan)
}

fn field_named(name: &str) -> Field {
    Field::ALL
        .into_iter()
        .find(|f| f.name() == name)
        .unwrap_or(Field::Status)
}

/// Builds a problem for the current request: (column, document, message).
type MakeProblem<'a> = dyn Fn(Option<&str>, Option<DocId>, String) -> Problem + 'a;

/// The documents a request's keys name (indexes into `ctx.docs`).
fn resolve_keys(
    req: &Request,
    index: &Index<'_>,
    ctx: &Context<'_>,
    problems: &mut Vec<Problem>,
    problem: &MakeProblem<'_>,
) -> Vec<usize> {
    if req.keys.is_empty() {
        problems.push(problem(
            None,
            None,
            "no document named: fill the docid, sha256 or path cell".into(),
        ));
        return Vec::new();
    }
    let mut result: Option<(Vec<usize>, &str)> = None;
    let mut union = Vec::new();
    for (kind, text, label) in &req.keys {
        let found = match kind {
            KeyKind::DocId => index.by_docid(text),
            KeyKind::Sha256 => index.by_sha256(text),
            KeyKind::Path => index.by_path(text, &ctx.base),
        };
        let mut found = match found {
            Ok(f) => f,
            Err(message) => {
                problems.push(problem(Some(label), None, message));
                continue;
            }
        };
        found.sort_unstable();
        match req.origin {
            Origin::Command => union.extend(found),
            Origin::Row(_) => {
                match &result {
                    None => result = Some((found, label)),
                    Some((first, first_label)) if *first != found => {
                        problems.push(problem(
                        Some(label),
                        None,
                        format!("names {}, but {first_label} names {}; make them agree or keep one key", ids(ctx, &found), ids(ctx, first)),
                    ));
                    }
                    Some(_) => {}
                }
            }
        }
    }
    union.sort_unstable();
    union.dedup();
    result.map(|(r, _)| r).unwrap_or(union)
}

fn ids(ctx: &Context<'_>, found: &[usize]) -> String {
    found
        .iter()
        .map(|&i| ctx.docs[i].id.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Lookups from each kind of key to documents.
struct Index<'a> {
    docs: &'a [Document],
    by_id: HashMap<DocId, usize>,
    by_sha: HashMap<&'a str, Vec<usize>>,
    by_path: HashMap<&'a str, Vec<usize>>,
    by_suffix: std::cell::OnceCell<HashMap<&'a str, Vec<usize>>>,
}

impl<'a> Index<'a> {
    fn new(docs: &'a [Document]) -> Index<'a> {
        let mut idx = Index {
            docs,
            by_id: HashMap::with_capacity(docs.len()),
            by_sha: HashMap::with_capacity(docs.len()),
            by_path: HashMap::with_capacity(docs.len() * 2),
            by_suffix: std::cell::OnceCell::new(),
        };
        for (i, d) in docs.iter().enumerate() {
            idx.by_id.insert(d.id, i);
            idx.by_sha
                .entry(d.source.sha256.as_str())
                .or_default()
                .push(i);
            idx.by_path
                .entry(d.source.rel_path.as_str())
                .or_default()
                .push(i);
            if d.source.source_path != d.source.rel_path {
                idx.by_path
                    .entry(d.source.source_path.as_str())
                    .or_default()
                    .push(i);
            }
        }
        idx
    }

    fn by_docid(&self, text: &str) -> Result<Vec<usize>, String> {
        let id = DocId::parse(text).ok_or_else(|| {
            format!(
                "{text:?} is not a DOCID; DOCIDs look like DOC-000001 (`adrec docs` lists them)"
            )
        })?;
        self.by_id.get(&id).map(|&i| vec![i]).ok_or_else(|| {
            format!("there is no document {id} in this matter; `adrec docs` lists them")
        })
    }

    fn by_sha256(&self, text: &str) -> Result<Vec<usize>, String> {
        let sha = text.trim().to_ascii_lowercase();
        if sha.len() != 64 || !sha.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(format!("{text:?} is not a SHA-256 (64 hexadecimal digits)"));
        }
        self.by_sha
            .get(sha.as_str())
            .cloned()
            .ok_or_else(|| format!("no document in this matter has the SHA-256 {sha}"))
    }

    /// A path matches a document's path as ingested (relative to the folder
    /// given to ingest), its full source path, a file that exists at that
    /// path, or else the end of a source path; it must match exactly one.
    fn by_path(&self, text: &str, base: &Path) -> Result<Vec<usize>, String> {
        let norm = text.trim().replace('\\', "/");
        let norm = norm.trim_start_matches("./");
        let mut found = self.by_path.get(norm).cloned().unwrap_or_default();
        if let Ok(canon) = base.join(norm).canonicalize()
            && let Some(more) = self.by_path.get(canon.display().to_string().as_str())
        {
            found.extend(more);
        }
        if found.is_empty() {
            let suffixes = self.by_suffix.get_or_init(|| {
                let mut map: HashMap<&str, Vec<usize>> = HashMap::new();
                for (i, d) in self.docs.iter().enumerate() {
                    for (pos, _) in d.source.source_path.match_indices('/') {
                        map.entry(&d.source.source_path[pos + 1..])
                            .or_default()
                            .push(i);
                    }
                }
                map
            });
            found = suffixes
                .get(norm.trim_start_matches('/'))
                .cloned()
                .unwrap_or_default();
        }
        found.sort_unstable();
        found.dedup();
        match found.len() {
            0 => Err(format!(
                "no document has the path {text:?}; `adrec docs` lists the paths (or use the docid)"
            )),
            1 => Ok(found),
            _ => Err(format!(
                "the path {text:?} matches {} documents ({}); use a longer path or the docid",
                found.len(),
                found
                    .iter()
                    .map(|&i| self.docs[i].id.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        }
    }
}
