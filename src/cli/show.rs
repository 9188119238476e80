use super::Ctx;
use crate::error::{Error, Outcome};
use crate::matter::Matter;
use crate::model::view::DocView;
use crate::model::{DocId, Hidden, HistoryEntry};
use serde::Serialize;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The document's DOCID, e.g. DOC-000001.
    pub docid: String,
    /// Print the document's text as it would be produced (pages separated
    /// by form feeds), instead of its facts.
    #[arg(long)]
    pub text: bool,
}

/// An attachment as `show` lists it under its e-mail.
#[derive(Serialize)]
struct Member {
    docid: DocId,
    file_name: String,
    status: crate::model::Status,
    /// How many attachments it has in turn.
    attachments: usize,
}

#[derive(Serialize)]
struct Shown {
    #[serde(flatten)]
    doc: DocView,
    hidden_content: Vec<Hidden>,
    /// The document's own attachments, in DOCID order.
    children: Vec<Member>,
    ingested_at: String,
    history: Vec<HistoryEntry>,
}

pub fn run(args: Args, ctx: &Ctx) -> Result<Outcome, Error> {
    let id = DocId::parse(&args.docid).ok_or_else(|| {
        Error::input(format!("{:?} is not a DOCID", args.docid))
            .hint("DOCIDs look like DOC-000001; `adrec docs` lists them")
    })?;
    let root = Matter::discover(ctx.matter.as_deref())?;
    let matter = Matter::open_read(&root)?;
    let doc = matter.store.document(id)?.ok_or_else(|| {
        Error::input(format!("there is no document {id} in this matter"))
            .hint("`adrec docs` lists them")
    })?;
    if args.text {
        return print_text(&matter, &doc);
    }
    let family = matter.store.family_of(id)?;
    let children: Vec<Member> = family
        .iter()
        .filter(|d| d.id.parent() == Some(id))
        .map(|d| Member {
            docid: d.id,
            file_name: d.file_name().to_string(),
            status: d.review.status,
            attachments: family
                .iter()
                .filter(|c| c.id.parent() == Some(d.id))
                .count(),
        })
        .collect();
    let mut view = DocView::new(&doc);
    if !children.is_empty() {
        view.family = Some(id.top());
    }
    let shown = Shown {
        children,
        doc: view,
        hidden_content: doc.source.hidden.clone(),
        ingested_at: doc.ingested_at.clone(),
        history: matter.store.history(id)?,
    };
    if ctx.json {
        crate::output::print_json(&shown)?;
        return Ok(Outcome::Success);
    }
    let d = &shown.doc;
    let m = &d.metadata;
    // Metadata comes from the files: a title with ESC or CR cannot rewrite the terminal.
    let esc = crate::output::escape_controls;
    let line = |label: &str, value: String| {
        if !value.is_empty() {
            println!("{label:<14} {}", esc(&value));
        }
    };
    line("DOCID", d.docid.to_string());
    line("Path", d.path.clone());
    line("Source", d.source_path.clone());
    line("Custodian", d.custodian.clone());
    line("Type", d.type_name.clone());
    line("Size", format!("{} bytes", d.size));
    line(
        "Pages",
        d.pages
            .map(|p| p.to_string())
            .unwrap_or_else(|| "unknown".into()),
    );
    line("SHA-256", d.sha256.clone());
    line("MD5", d.md5.clone());
    line(
        "Duplicate of",
        d.duplicate_of.map(|x| x.to_string()).unwrap_or_default(),
    );
    line("Problem", d.problem.clone().unwrap_or_default());
    line("Repaired", d.repaired.clone().unwrap_or_default());
    line("Title", m.title.clone().unwrap_or_default());
    line("Author", m.author.clone().unwrap_or_default());
    line("Created", m.created.clone().unwrap_or_default());
    line("Date", m.date.clone().unwrap_or_default());
    line("From", m.from.clone().unwrap_or_default());
    line("To", m.to.join("; "));
    line("Cc", m.cc.join("; "));
    line("Bcc", m.bcc.join("; "));
    line("Subject", m.subject.clone().unwrap_or_default());
    line("Attachments", m.attachments.join("; "));
    line(
        "Parent",
        d.parent.map(|p| p.to_string()).unwrap_or_default(),
    );
    line(
        "Family",
        d.family.map(|p| p.to_string()).unwrap_or_default(),
    );
    for note in &m.notes {
        line("Note", note.clone());
    }
    for h in &shown.hidden_content {
        line("Hidden", format!("{}: {}", h.kind.label(), h.detail));
    }
    line("Status", d.status.as_str().to_string());
    line("Categories", d.categories.join("; "));
    line("Privileges", d.privileges.join("; "));
    line("Description", d.description.clone().unwrap_or_default());
    line(
        "Confidentiality",
        d.confidentiality.clone().unwrap_or_default(),
    );
    if let Some(sha) = &d.redacted_sha256 {
        let pages = d
            .redacted_pages
            .map(|p| format!(" ({p} pages)"))
            .unwrap_or_default();
        line("Redacted file", format!("sha256 {sha}{pages}"));
    }
    if d.as_native {
        line("As native", "yes".into());
    }
    if d.hidden_reviewed {
        line(
            "Hidden OK",
            "yes (a reviewer confirmed the hidden content may go out)".into(),
        );
    }
    let o = &d.overrides;
    line("Doc date", o.doc_date.clone().unwrap_or_default());
    line("Doc type", o.doc_type.clone().unwrap_or_default());
    line("Set author", o.author.clone().unwrap_or_default());
    line("Set recipients", o.recipients.clone().unwrap_or_default());
    line("Set title", o.title.clone().unwrap_or_default());
    line("Set filename", o.filename.clone().unwrap_or_default());
    line("Ingested", shown.ingested_at.clone());
    if !shown.children.is_empty() {
        println!("\nAttachments (child documents):");
        for c in &shown.children {
            let more = match c.attachments {
                0 => String::new(),
                n => format!("  ({n} attachment(s) of its own)"),
            };
            println!(
                "  {:<22} {:<15} {}{more}",
                c.docid.to_string(),
                c.status.as_str(),
                esc(&c.file_name)
            );
        }
    }
    if !shown.history.is_empty() {
        println!("\nHistory:");
        for h in &shown.history {
            println!(
                "  {}  {}  {}: {} -> {}",
                h.at,
                esc(&h.actor),
                h.field,
                esc(h.old_value.as_deref().unwrap_or("(none)")),
                esc(h.new_value.as_deref().unwrap_or("(none)"))
            );
        }
    }
    Ok(Outcome::Success)
}

/// `show --text`: the text on stdout, covered text and notes on stderr.
fn print_text(matter: &Matter, doc: &crate::model::Document) -> Result<Outcome, Error> {
    let preview = crate::produce::text::preview(matter, doc)?;
    if let Some(note) = &preview.note {
        eprintln!("note: {note}");
    }
    let Some(text) = preview.text else {
        return Ok(Outcome::Success);
    };
    for (i, page) in text.pages.iter().enumerate() {
        if i > 0 {
            print!("\u{0C}");
        }
        if !page.text.is_empty() {
            println!("{}", page.text);
        }
        for p in &page.problems {
            eprintln!("warning: {} page {}: {p}", doc.id, i + 1);
        }
    }
    if let Some(pages) = crate::produce::text::covered_summary(&text) {
        eprintln!(
            "warning: {}: text hidden under boxes or images drawn over it ({pages}); it is in the file and can be copied out",
            doc.id
        );
    }
    Ok(Outcome::Success)
}
