use super::Ctx;
use crate::error::{Error, Outcome};
use crate::matter::Matter;
use crate::model::view::{CSV_HEADERS, DocView, csv_row};
use crate::model::{DocFilter, Status};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only documents with this review status.
    #[arg(long, value_enum)]
    pub status: Option<Status>,
    /// Only documents in this category (id).
    #[arg(long, value_name = "ID")]
    pub category: Option<String>,
    /// Only documents claiming this privilege (code).
    #[arg(long, value_name = "CODE")]
    pub privilege: Option<String>,
    /// Only documents tagged with this confidentiality level (`none`: no level).
    #[arg(long, value_name = "LEVEL")]
    pub confidentiality: Option<String>,
    /// Only documents whose reviewer-set doc-type is this (case-insensitive).
    #[arg(long, value_name = "TYPE")]
    pub doc_type: Option<String>,
    /// Only documents with (`yes`) or without (`no`) a redacted file.
    #[arg(long, value_name = "yes|no")]
    pub redacted: Option<YesNo>,
    /// Only documents tagged (`yes`) or not (`no`) to go out as natives.
    #[arg(long, value_name = "yes|no")]
    pub as_native: Option<YesNo>,
    /// Only documents whose hidden content was (`yes`) or was not (`no`) confirmed.
    #[arg(long, value_name = "yes|no")]
    pub hidden_reviewed: Option<YesNo>,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum YesNo {
    Yes,
    No,
}

impl YesNo {
    fn wanted(self) -> bool {
        self == YesNo::Yes
    }
}

impl Args {
    fn filter(&self) -> DocFilter {
        DocFilter {
            status: self.status,
            category: self.category.clone(),
            privilege: self.privilege.clone(),
            confidentiality: self.confidentiality.clone(),
            doc_type: self.doc_type.clone(),
            redacted: self.redacted.map(YesNo::wanted),
            as_native: self.as_native.map(YesNo::wanted),
            hidden_reviewed: self.hidden_reviewed.map(YesNo::wanted),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Csv,
    Json,
}

pub fn run(args: Args, ctx: &Ctx) -> Result<Outcome, Error> {
    let root = Matter::discover(ctx.matter.as_deref())?;
    let matter = Matter::open_read(&root)?;
    let filter = args.filter();
    matter.config.check_filter(&filter)?;
    let mut docs: Vec<DocView> = matter
        .store
        .documents()?
        .iter()
        .filter(|d| filter.matches(d))
        .map(DocView::new)
        .collect();
    crate::model::view::mark_families(&mut docs);
    let format = if ctx.json { Format::Json } else { args.format };
    match format {
        Format::Json => crate::output::print_json(&docs)?,
        Format::Csv => {
            let layout = crate::export::csv::Layout {
                bom: false,
                crlf: false,
            };
            let out = std::io::stdout().lock();
            if let Err(e) =
                crate::export::csv::write_table(out, layout, &CSV_HEADERS, docs.iter().map(csv_row))
                && !is_broken_pipe(&e)
            {
                return Err(Error::internal(format!(
                    "could not write CSV to stdout: {e}"
                )));
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
                    match (v.parent, v.family) {
                        (Some(parent), _) => flags.push(format!("attachment of {parent}")),
                        (None, Some(_)) => flags.push("e-mail with attachments".into()),
                        _ => {}
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
