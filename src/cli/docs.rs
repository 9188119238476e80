use super::Ctx;
use crate::error::{Error, Outcome};
use crate::matter::Matter;
use crate::matter::db::Document;
use crate::model::{DocId, HiddenKind, Status};
use serde::Serialize;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only documents with this review status.
    #[arg(long, value_enum)]
    pub status: Option<Status>,
    /// Only documents in this category (id).
    #[arg(long, value_name = "ID")]
    pub category: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Csv,
    Json,
}

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
    pub metadata: crate::model::Metadata,
}

impl DocView {
    pub fn new(d: &Document) -> DocView {
        DocView {
            docid: d.id,
            path: d.rel_path.clone(),
            source_path: d.source_path.clone(),
            custodian: d.custodian.clone(),
            size: d.size,
            sha256: d.sha256.clone(),
            md5: d.md5.clone(),
            type_name: d.type_name.clone(),
            pages: d.page_count,
            problem: d.problem.clone(),
            repaired: d.repaired.clone(),
            duplicate_of: d.duplicate_of,
            status: d.review.status,
            categories: d.review.categories.clone(),
            hidden: d.hidden.iter().map(|h| h.kind).collect(),
            metadata: d.metadata.clone(),
        }
    }
}

const CSV_HEADERS: [&str; 24] = [
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
];

fn csv_row(v: &DocView) -> [String; 24] {
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
    ]
}

pub fn run(args: Args, ctx: &Ctx) -> Result<Outcome, Error> {
    let root = Matter::discover(ctx.matter.as_deref())?;
    let matter = Matter::open_read(&root)?;
    if let Some(c) = &args.category
        && matter.config.category(c).is_none()
    {
        return Err(
            Error::input(format!("there is no category {c:?} in adrec.toml")).hint(format!(
                "use one of: {}",
                matter
                    .config
                    .categories
                    .iter()
                    .map(|c| c.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        );
    }
    let docs: Vec<DocView> = matter
        .db
        .documents()?
        .iter()
        .filter(|d| args.status.is_none_or(|s| d.review.status == s))
        .filter(|d| {
            args.category.as_ref().is_none_or(|c| {
                d.review
                    .categories
                    .iter()
                    .any(|x| x.eq_ignore_ascii_case(c))
            })
        })
        .map(DocView::new)
        .collect();
    let format = if ctx.json { Format::Json } else { args.format };
    match format {
        Format::Json => crate::output::print_json(&docs)?,
        Format::Csv => {
            let mut w = csv::Writer::from_writer(std::io::stdout().lock());
            let write = |w: &mut csv::Writer<_>| -> csv::Result<()> {
                w.write_record(CSV_HEADERS)?;
                for v in &docs {
                    w.write_record(csv_row(v))?;
                }
                w.flush()?;
                Ok(())
            };
            if let Err(e) = write(&mut w) {
                if !is_broken_pipe(&e) {
                    return Err(Error::internal(format!(
                        "could not write CSV to stdout: {e}"
                    )));
                }
            }
        }
        Format::Table => {
            let rows: Vec<Vec<String>> = docs
                .iter()
                .map(|v| {
                    let mut flags = Vec::new();
                    if v.problem.is_some() {
                        flags.push("UNPARSEABLE".to_string());
                    }
                    if let Some(d) = v.duplicate_of {
                        flags.push(format!("dup of {d}"));
                    }
                    if !v.hidden.is_empty() {
                        flags.push(format!(
                            "hidden: {}",
                            v.hidden
                                .iter()
                                .map(|h| h.label())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ));
                    }
                    vec![
                        v.docid.to_string(),
                        v.status.as_str().to_string(),
                        v.type_name.clone(),
                        v.pages.map(|p| p.to_string()).unwrap_or_else(|| "?".into()),
                        v.categories.join(";"),
                        v.path.clone(),
                        flags.join("; "),
                    ]
                })
                .collect();
            print!(
                "{}",
                crate::output::table(
                    &[
                        "DOCID", "STATUS", "TYPE", "PAGES", "CATEGORY", "PATH", "NOTES"
                    ],
                    &rows
                )
            );
            eprintln!("{} document(s)", docs.len());
        }
    }
    Ok(Outcome::Success)
}

fn is_broken_pipe(e: &csv::Error) -> bool {
    matches!(e.kind(), csv::ErrorKind::Io(io) if io.kind() == std::io::ErrorKind::BrokenPipe)
}
