use super::Ctx;
use crate::error::{Error, Outcome};
use crate::ingest::{self, Summary};
use crate::matter::Matter;
use crate::output::bytes;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files or folders to ingest (folders are walked recursively).
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Custodian recorded on the new documents.
    #[arg(long, value_name = "NAME")]
    pub custodian: Option<String>,
    /// Follow symbolic links (loops are detected and reported).
    #[arg(long)]
    pub follow_links: bool,
    /// Replace the recorded content of sources that changed since ingest.
    #[arg(long)]
    pub update: bool,
}

pub fn run(args: Args, ctx: &Ctx) -> Result<Outcome, Error> {
    // A missing PATH is an input error, checked before the matter is touched.
    ingest::check_paths(&args.paths)?;
    let root = Matter::discover(ctx.matter.as_deref())?;
    let mut matter = Matter::open_write(&root, "ingest")?;
    let progress = crate::output::byte_progress("hashing");
    let opts = ingest::Options {
        paths: args.paths,
        custodian: args.custodian,
        follow_links: args.follow_links,
        update: args.update,
        actor: super::current_user(),
    };
    let summary = ingest::run(&mut matter, &opts, &progress)?;
    progress.finish_and_clear();
    if ctx.json {
        crate::output::print_json(&summary)?;
    } else {
        print_summary(&summary);
    }
    Ok(Outcome::problems_if(summary.has_problems()))
}

fn print_summary(s: &Summary) {
    use crate::output::escape_controls;
    for d in &s.documents {
        match d.duplicate_of {
            Some(first) => println!(
                "{}  {}  (duplicate of {first})",
                d.docid,
                escape_controls(&d.path)
            ),
            None => println!("{}  {}", d.docid, escape_controls(&d.path)),
        }
    }
    let list = |title: &str, items: Vec<String>| {
        if !items.is_empty() {
            println!("\n{title}:");
            for item in items {
                println!("  {}", escape_controls(&item));
            }
        }
    };
    list(
        "Changed since ingest (not updated)",
        s.changed_files
            .iter()
            .map(|c| format!("{}  {}: {}", c.docid, c.path, c.reason))
            .collect(),
    );
    list(
        "Could not be parsed (a reviewer must tag them withhold, redact with a redacted file, or --as-native)",
        s.unparseable_files
            .iter()
            .map(|p| format!("{}  {}: {}", opt_id(p.docid), p.path, p.reason))
            .collect(),
    );
    list(
        "Repaired in memory",
        s.repaired_files
            .iter()
            .map(|p| format!("{}  {}: {}", opt_id(p.docid), p.path, p.reason))
            .collect(),
    );
    list(
        "Failed (no DOCID; retried by the next ingest)",
        s.failures
            .iter()
            .map(|p| format!("{}: {}", p.path, p.reason))
            .collect(),
    );
    list(
        "Skipped",
        s.skipped_paths
            .iter()
            .map(|p| format!("{}: {}", p.path, p.reason))
            .collect(),
    );
    list("E-mail families", s.notes.clone());
    if s.attachments > 0 {
        println!(
            "\n{} e-mail attachment(s) added as documents (DOCIDs below their e-mail's)",
            s.attachments
        );
    }
    println!(
        "\n{} new, {} unchanged, {} changed, {} updated, {} duplicate, {} unparseable, {} repaired, {} failed, {} skipped; {} hashed in {:.2} s",
        s.new,
        s.unchanged,
        s.changed,
        s.updated,
        s.duplicate,
        s.unparseable,
        s.repaired,
        s.failed,
        s.skipped,
        bytes(s.bytes_hashed),
        s.elapsed_seconds
    );
    if s.updated > 0 {
        println!(
            "note: {} updated document(s) are unreviewed again (their reviews were of the old bytes): tag them again before they can go out",
            s.updated
        );
    }
}

fn opt_id(id: Option<crate::model::DocId>) -> String {
    id.map_or_else(|| "-".into(), |i| i.to_string())
}
