use super::Ctx;
use crate::error::{Error, Outcome};
use crate::matter::Matter;
use crate::model::DocId;
use crate::review::cell::Cell;
use crate::review::field::{Field, KeyKind};
use crate::review::validate::{self, Context, Origin, Plan, Request};
use crate::review::{Problem, sheet};
use serde::Serialize;
use std::path::PathBuf;

/// Record reviewers' decisions on documents, from options or from a sheet.
///
/// Every change is checked first and applied in one transaction, with its
/// history (who, when, field, old and new value). An empty sheet cell leaves a
/// field as it is; `[clear]` empties it. `--category` and `--privilege`
/// replace the document's whole set.
#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("target").required(true).args(["documents", "from"])))]
#[command(group(clap::ArgGroup::new("fields").multiple(true)))]
pub struct Args {
    /// Documents to tag: DOCIDs (DOC-000001), SHA-256 hashes (every copy of
    /// that file) or paths (which must match exactly one document).
    #[arg(value_name = "DOCID")]
    pub documents: Vec<String>,

    /// Read the decisions from a sheet: CSV, XLSX, XLS or ODS, with a key
    /// column (docid, sha256 or path) and columns named like these options.
    #[arg(long, value_name = "FILE", conflicts_with_all = FIELD_ARGS)]
    pub from: Option<PathBuf>,
    /// The workbook sheet to read (default: the first visible one).
    #[arg(long, value_name = "NAME", requires = "from")]
    pub sheet: Option<String>,
    /// Check everything and report what would change; change nothing.
    #[arg(long)]
    pub dry_run: bool,

    /// Court-ordered category id (repeatable; replaces the document's set).
    #[arg(long = "category", value_name = "ID", group = "fields")]
    pub categories: Vec<String>,
    /// unreviewed, not-responsive, produce, redact or withhold.
    #[arg(long, value_name = "STATUS", group = "fields")]
    pub status: Option<String>,
    /// Privilege code from adrec.toml (repeatable; replaces the document's set).
    #[arg(long = "privilege", value_name = "CODE", group = "fields")]
    pub privileges: Vec<String>,
    /// The privilege log's description of the subject matter.
    #[arg(long, value_name = "TEXT", group = "fields")]
    pub description: Option<String>,
    /// Confidentiality level from adrec.toml (its legend is stamped).
    #[arg(long, value_name = "LEVEL", group = "fields")]
    pub confidentiality: Option<String>,
    /// The redacted PDF to produce in place of the original (copied into the matter).
    #[arg(long, value_name = "PATH", group = "fields")]
    pub redacted_file: Option<String>,
    /// Produce an unparseable file as a native with a slip sheet (`--as-native=false` undoes it).
    #[arg(long, value_name = "BOOL", num_args = 0..=1, require_equals = true, default_missing_value = "true", group = "fields")]
    pub as_native: Option<bool>,
    /// The hidden content ingest found may go out (`--hidden-reviewed=false` undoes it).
    #[arg(long, value_name = "BOOL", num_args = 0..=1, require_equals = true, default_missing_value = "true", group = "fields")]
    pub hidden_reviewed: Option<bool>,
    /// The document's date, YYYY-MM-DD, or `undated`.
    #[arg(long, value_name = "DATE", group = "fields")]
    pub doc_date: Option<String>,
    /// The kind of document: Email, Memorandum, Letter, Draft, Notes… (not a file format).
    #[arg(long, value_name = "TYPE", group = "fields")]
    pub doc_type: Option<String>,
    /// Author for the index and log (`Unknown` states an absence).
    #[arg(long, value_name = "NAME", group = "fields")]
    pub author: Option<String>,
    /// Recipients for the index and log (`None` states an absence).
    #[arg(long, value_name = "NAMES", group = "fields")]
    pub recipients: Option<String>,
    /// Title override.
    #[arg(long, value_name = "TEXT", group = "fields")]
    pub title: Option<String>,
    /// File name override.
    #[arg(long, value_name = "NAME", group = "fields")]
    pub filename: Option<String>,
    /// Add a note (the only change a produced document accepts).
    #[arg(long, value_name = "TEXT", group = "fields")]
    pub note: Option<String>,
    /// Who decided (default: $USER); a sheet's reviewer column overrides it per row.
    #[arg(long, value_name = "NAME")]
    pub reviewer: Option<String>,
    /// Apply the change to every member of each named document's family
    /// (the e-mail and all its attachments).
    #[arg(long, conflicts_with = "from")]
    pub family: bool,
}

/// The options a sheet's columns replace: not allowed with --from.
const FIELD_ARGS: [&str; 15] = [
    "categories",
    "status",
    "privileges",
    "description",
    "confidentiality",
    "redacted_file",
    "as_native",
    "hidden_reviewed",
    "doc_date",
    "doc_type",
    "author",
    "recipients",
    "title",
    "filename",
    "note",
];

/// What `tag` did (or, with --dry-run, would do).
#[derive(Debug, Serialize)]
struct Summary {
    dry_run: bool,
    source: String,
    requests: usize,
    documents: usize,
    changed: usize,
    unchanged: usize,
    field_changes: usize,
    notes: usize,
    redacted_files: usize,
}

pub fn run(args: Args, ctx: &Ctx) -> Result<Outcome, Error> {
    let cwd = std::env::current_dir()
        .map_err(|e| Error::internal(format!("could not read the current folder: {e}")))?;
    let reviewer = match &args.reviewer {
        Some(r) if r.trim().is_empty() => {
            return Err(
                Error::input("--reviewer is empty").hint("name the reviewer, e.g. --reviewer jdoe")
            );
        }
        Some(r) => r.trim().to_string(),
        None => super::current_user(),
    };
    let (requests, source, base) = match &args.from {
        Some(path) => {
            let sheet = sheet::read(path, args.sheet.as_deref())?;
            for note in &sheet.notes {
                eprintln!("note: {note}");
            }
            let requests = validate::sheet_requests(&sheet)
                .map_err(|p| problems_error(p, &sheet.label, ctx))?;
            let folder = path
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .map_or(cwd.clone(), |p| cwd.join(p));
            (requests, sheet.label, folder)
        }
        None => (
            vec![command_request(&args)?],
            "the command line".to_string(),
            cwd,
        ),
    };

    let root = Matter::discover(ctx.matter.as_deref())?;
    // A dry run is read-only: it never waits for or fails on the write lock.
    let mut matter = if args.dry_run {
        Matter::open_read(&root)?
    } else {
        Matter::open_write(&root, "tag")?
    };
    let requests = if args.family {
        whole_families(requests, &matter)?
    } else {
        requests
    };
    // A sheet keyed by DOCID reads only its own documents: eight reviewers
    // on a shared server each read their rows, not the whole matter.
    let (docs, notes) = match validate::docid_keys(&requests) {
        Some(ids) => (
            matter.store.documents_in(&ids)?,
            matter.store.note_texts_in(&ids)?,
        ),
        None => (matter.store.documents()?, matter.store.note_texts()?),
    };
    let mut produced = matter.store.produced_docs()?;
    // A clawed-back document takes review changes until its overlay is produced.
    for c in crate::clawback::outstanding(&matter.store.clawbacks()?) {
        produced.remove(&c.request.docid);
    }
    let at = jiff::Timestamp::now().to_string();
    let context = Context {
        config: &matter.config,
        docs: &docs,
        produced: &produced,
        notes: &notes,
        reviewer,
        at: at.clone(),
        base,
    };
    let plan =
        validate::validate(&requests, &context).map_err(|p| problems_error(p, &source, ctx))?;
    drop(docs);
    if !args.dry_run {
        let files: Vec<_> = plan.redacted.iter().map(|r| r.to_store()).collect();
        matter.redacted_store().store(&files)?;
        matter.store.apply_review(&at, &plan.updates)?;
    }
    report(&plan, &args, source, ctx)
}

fn report(plan: &Plan, args: &Args, source: String, ctx: &Ctx) -> Result<Outcome, Error> {
    let summary = Summary {
        dry_run: args.dry_run,
        source,
        requests: plan.requests,
        documents: plan.documents,
        changed: plan
            .updates
            .iter()
            .filter(|u| !u.changes.is_empty())
            .count(),
        unchanged: plan.unchanged,
        field_changes: plan.updates.iter().map(|u| u.changes.len()).sum(),
        notes: plan.updates.iter().filter(|u| u.note.is_some()).count(),
        redacted_files: plan.redacted.len(),
    };
    if ctx.json {
        crate::output::print_json(&summary)?;
        return Ok(Outcome::Success);
    }
    let rows = if args.from.is_some() {
        format!("{} row(s), ", summary.requests)
    } else {
        String::new()
    };
    let what = format!(
        "{rows}{} document(s): {} changed, {} unchanged; {} field change(s), {} note(s)",
        summary.documents, summary.changed, summary.unchanged, summary.field_changes, summary.notes
    );
    if args.dry_run {
        println!(
            "dry run: {} is valid: {what}; nothing was applied",
            summary.source
        );
    } else {
        println!(
            "tagged from {}: {what}, recorded in history",
            summary.source
        );
        if summary.redacted_files > 0 {
            println!(
                "{} redacted file(s) stored in the matter",
                summary.redacted_files
            );
        }
    }
    Ok(Outcome::Success)
}

/// Lists every problem (stderr, or JSON on stdout) and makes the exit-2 error.
fn problems_error(mut problems: Vec<Problem>, source: &str, ctx: &Ctx) -> Error {
    problems.sort_by_key(|p| p.row.unwrap_or(0));
    if ctx.json {
        #[derive(Serialize)]
        struct Failed<'a> {
            applied: bool,
            problems: &'a [Problem],
        }
        let _ = crate::output::print_json(&Failed {
            applied: false,
            problems: &problems,
        });
    }
    let rows: std::collections::BTreeSet<usize> = problems.iter().filter_map(|p| p.row).collect();
    let head = if rows.is_empty() {
        format!(
            "{} problem(s) in {source}; nothing was applied",
            problems.len()
        )
    } else {
        format!(
            "{} bad row(s) in {source} ({} problem(s)); nothing was applied",
            rows.len(),
            problems.len()
        )
    };
    let mut message = head;
    for p in &problems {
        message.push_str("\n  ");
        message.push_str(&p.to_string());
    }
    Error::input(message)
        .hint("fix what is listed and run the command again; `--dry-run` checks without applying")
}

/// `tag DOCID... --option ...` as one request.
/// `--family`: every DOCID named is replaced by the DOCIDs of its whole
/// family (an unknown DOCID stays, so validation names it).
fn whole_families(requests: Vec<Request>, matter: &Matter) -> Result<Vec<Request>, Error> {
    use crate::model::DocId;
    use crate::review::field::KeyKind;
    let mut out = Vec::with_capacity(requests.len());
    for mut request in requests {
        let mut keys = Vec::new();
        for (kind, text, label) in request.keys {
            let id = match kind {
                KeyKind::DocId => DocId::parse(&text),
                _ => None,
            };
            let Some(id) = id else {
                return Err(Error::input(format!(
                    "--family needs DOCIDs, and {text:?} is not one"
                ))
                .hint("name each family by the DOCID of any member, e.g. DOC-000005 or DOC-000005.0001"));
            };
            let family = matter.store.family_of(id)?;
            keys.extend(
                family
                    .iter()
                    .map(|d| (KeyKind::DocId, d.id.to_string(), label.clone())),
            );
            if family.is_empty() {
                keys.push((kind, text, label));
            }
        }
        request.keys = keys;
        out.push(request);
    }
    Ok(out)
}

fn command_request(args: &Args) -> Result<Request, Error> {
    let mut cells = Vec::new();
    let mut empty = Vec::new();
    let mut text = |field: Field, value: Option<String>| {
        if let Some(v) = value {
            if v.trim().is_empty() {
                empty.push(format!("--{}", field.name()));
            } else {
                cells.push((field, Cell::Text(v), format!("--{}", field.name())));
            }
        }
    };
    let list = |values: &[String]| (!values.is_empty()).then(|| values.join(";"));
    text(Field::Status, args.status.clone());
    text(Field::Category, list(&args.categories));
    text(Field::Privilege, list(&args.privileges));
    text(Field::Description, args.description.clone());
    text(Field::Confidentiality, args.confidentiality.clone());
    text(Field::RedactedFile, args.redacted_file.clone());
    text(Field::DocDate, args.doc_date.clone());
    text(Field::DocType, args.doc_type.clone());
    text(Field::Author, args.author.clone());
    text(Field::Recipients, args.recipients.clone());
    text(Field::Title, args.title.clone());
    text(Field::Filename, args.filename.clone());
    text(Field::Note, args.note.clone());
    if !empty.is_empty() {
        return Err(
            Error::input(format!("{} given an empty value", empty.join(", ")))
                .hint("to empty a field, pass `[clear]`, e.g. --description '[clear]'"),
        );
    }
    for (field, value) in [
        (Field::AsNative, args.as_native),
        (Field::HiddenReviewed, args.hidden_reviewed),
    ] {
        if let Some(b) = value {
            cells.push((field, Cell::Bool(b), format!("--{}", field.name())));
        }
    }
    let keys = args
        .documents
        .iter()
        .map(|t| {
            let t = t.trim();
            // A file may be named `doc-review.pdf`: only a real DOCID is one.
            let kind = if DocId::parse(t).is_some() {
                KeyKind::DocId
            } else if t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()) {
                KeyKind::Sha256
            } else {
                KeyKind::Path
            };
            (kind, t.to_string(), t.to_string())
        })
        .collect();
    Ok(Request {
        origin: Origin::Command,
        keys,
        cells,
        reviewer: None,
    })
}
