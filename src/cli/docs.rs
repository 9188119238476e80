use super::Ctx;
use crate::error::{Error, Outcome};
use crate::export::csv::TableWriter;
use crate::matter::Matter;
use crate::model::view::{CSV_HEADERS, DocView, csv_row};
use crate::model::{DocFilter, Status};
use crate::output::{Destination, JsonArray, Table, stdout_failed};

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
    let format = if ctx.json { Format::Json } else { args.format };
    let mut listing = Listing::open(format)?;
    // Whole families a batch at a time: a family's top is marked from its
    // attachments in the same batch, and the matter is never held whole.
    crate::produce::batches::each_as_stored(&matter, |docs| {
        let mut views: Vec<DocView> = docs
            .iter()
            .filter(|d| filter.matches(d))
            .map(DocView::new)
            .collect();
        crate::model::view::mark_families(&mut views);
        views.iter().try_for_each(|v| listing.push(v))
    })?;
    if let Some(listed) = listing.finish()? {
        eprintln!("{listed} document(s)");
    }
    Ok(Outcome::Success)
}

/// The listed documents on standard output, written as they are read; a
/// table is written once its columns' widths are known, from its lines.
enum Listing {
    Table(Table, Destination),
    Csv(Box<TableWriter<Destination>>),
    Json(JsonArray, Destination),
}

const TABLE_HEADERS: [&str; 7] = [
    "DOCID", "STATUS", "TYPE", "PAGES", "CATEGORY", "PATH", "NOTES",
];

impl Listing {
    fn open(format: Format) -> Result<Listing, Error> {
        let out = Destination::open(None)?;
        Ok(match format {
            Format::Table => Listing::Table(Table::new(&TABLE_HEADERS), out),
            Format::Json => Listing::Json(JsonArray::default(), out),
            Format::Csv => {
                let layout = crate::export::csv::Layout {
                    bom: false,
                    crlf: false,
                };
                let header = TableWriter::new(out, layout, &CSV_HEADERS);
                Listing::Csv(Box::new(header.map_err(stdout_failed)?))
            }
        })
    }

    fn push(&mut self, v: &DocView) -> Result<(), Error> {
        match self {
            Listing::Table(table, _) => table.push(table_cells(v)),
            Listing::Csv(w) => w
                .row(csv_row(v))
                .map_err(|e| w.get_ref().failed(e.to_string()))?,
            Listing::Json(array, out) => array.push(out, v).map_err(|e| out.failed(e))?,
        }
        Ok(())
    }

    /// Ends the listing; a table says how many documents it lists.
    fn finish(self) -> Result<Option<usize>, Error> {
        let (out, listed) = match self {
            Listing::Table(table, mut out) => {
                table
                    .write_to(&mut out)
                    .map_err(|e| out.failed(e.to_string()))?;
                (out, Some(table.len()))
            }
            Listing::Csv(w) => (w.finish().map_err(stdout_failed)?, None),
            Listing::Json(array, mut out) => {
                array.finish(&mut out).map_err(|e| out.failed(e))?;
                (out, None)
            }
        };
        out.finish(true)?;
        Ok(listed)
    }
}

/// A document's cells in the table: the flags say what a reader should
/// know of it at a glance.
fn table_cells(v: &DocView) -> [String; 7] {
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
    [
        v.docid.to_string(),
        v.status.as_str().to_string(),
        v.type_name.clone(),
        v.pages.map(|p| p.to_string()).unwrap_or_else(|| "?".into()),
        v.categories.join(";"),
        v.path.clone(),
        flags.join("; "),
    ]
}
