use super::Ctx;
use crate::error::{Error, Outcome};
use crate::matter::Matter;
use crate::produce::plan::{Blocker, Form, Plan};
use crate::produce::{self, WriteOutcome};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Volume name: capitals, digits, '_' and '-', e.g. VOL001.
    pub volume: String,
    /// Title for the manifest and XLSX properties (default: the volume name).
    #[arg(long)]
    pub title: Option<String>,
    /// Production date, YYYY-MM-DD (default: today).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = super::parse_date)]
    pub date: Option<jiff::civil::Date>,
    /// Print the plan and blockers; change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Do not stamp Bates numbers and legends on PDFs (they are still rewritten).
    #[arg(long)]
    pub no_stamp: bool,
    /// Write the replacement volume for every clawback not yet replaced, on
    /// the recalled documents' own Bates numbers.
    #[arg(long)]
    pub overlay: bool,
}

#[derive(serde::Serialize)]
struct DryRun<'a> {
    #[serde(flatten)]
    plan: &'a Plan,
    warnings: Vec<String>,
    /// The fonts the volume's text will be drawn with.
    fonts: &'a [String],
}

fn valid_name(name: &str) -> bool {
    let b = name.as_bytes();
    !b.is_empty()
        && b.len() <= 32
        && (b[0].is_ascii_uppercase() || b[0].is_ascii_digit())
        && b.iter()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == b'_' || *c == b'-')
}

pub fn run(args: Args, ctx: &Ctx) -> Result<Outcome, Error> {
    if !valid_name(&args.volume) {
        return Err(Error::input(format!("{:?} is not a volume name", args.volume))
            .hint("use capitals, digits, '_' and '-', starting with a capital or digit, at most 32 characters, e.g. VOL001"));
    }
    let started = std::time::Instant::now();
    let date = args.date.unwrap_or_else(|| jiff::Zoned::now().date());
    let root = Matter::discover(ctx.matter.as_deref())?;
    let mut matter = if args.dry_run {
        Matter::open_read(&root)?
    } else {
        Matter::open_write(&root, "produce")?
    };
    if matter
        .store
        .volumes()?
        .iter()
        .any(|v| v.name == args.volume)
    {
        return Err(Error::input(format!(
            "volume {} already exists in this matter",
            args.volume
        ))
        .hint("choose a new name, e.g. the next number; volumes are never replaced"));
    }
    // A folder of that name that the matter never recorded (a production
    // received, a restored copy) would stop the finished volume's move into
    // place after its numbers were recorded: refused now, before any work.
    let folder = matter.volume_dir(&args.volume);
    if std::fs::symlink_metadata(&folder).is_ok() {
        return Err(Error::input(format!(
            "{} already exists, but this matter has no volume {}",
            folder.display(),
            args.volume
        ))
        .hint("move it out of productions/ or choose another volume name; a volume is only ever written to a new folder"));
    }
    let (prepared, overlay) = if args.overlay {
        let (prepared, overlay) = produce::overlay::prepare(&matter, &args.volume, args.dry_run)?;
        (prepared, Some(overlay))
    } else {
        (produce::prepare(&matter, &args.volume, args.dry_run)?, None)
    };
    produce::volume::phase_timer(started)("planned and checked");
    let produce::Prepared {
        plan,
        warnings,
        settings,
        fonts,
        documents,
    } = prepared;
    if args.dry_run {
        if ctx.json {
            crate::output::print_json(&DryRun {
                plan: &plan,
                warnings: warnings.clone(),
                fonts: &fonts,
            })?;
        } else {
            print_plan(&plan, &warnings, &fonts)?;
        }
        return Ok(Outcome::problems_if(
            !plan.blockers.is_empty() || plan.documents.is_empty(),
        ));
    }
    if !plan.blockers.is_empty() {
        print_blockers(&plan.blockers);
        return Ok(Outcome::Problems);
    }
    if plan.documents.is_empty() && args.overlay {
        eprintln!("Nothing to replace: every clawback already has its overlay volume.");
        return Ok(Outcome::Problems);
    }
    if plan.documents.is_empty() {
        eprintln!(
            "Nothing to produce: no document tagged produce, redact or withhold is outside the earlier volumes."
        );
        return Ok(Outcome::Problems);
    }
    let title = args.title.clone().unwrap_or_else(|| args.volume.clone());
    let req = produce::Request {
        name: &args.volume,
        title: &title,
        date,
        stamp: !args.no_stamp,
        settings,
        overlay: overlay.as_ref(),
        started,
    };
    match produce::volume::write(&mut matter, &plan, documents, &req)? {
        WriteOutcome::Blocked(blockers) => {
            print_blockers(&blockers);
            Ok(Outcome::Problems)
        }
        WriteOutcome::Produced(report) => {
            if report.completed_by_another {
                eprintln!(
                    "note: another adrec process finished moving {} into place; the volume is complete",
                    report.volume
                );
            }
            if ctx.json {
                crate::output::print_json(&report)?;
            } else if let Some(o) = &overlay {
                println!(
                    "Produced overlay {} in {}: {} replacement(s) of {} on their own Bates numbers, {} page(s); clawback notice in DATA/{}_clawback_notice.pdf and .csv",
                    report.volume,
                    report.folder,
                    report.documents,
                    o.of.join(", "),
                    report.pages,
                    report.volume
                );
            } else {
                println!(
                    "Produced {} in {}: {} document(s), {} page(s), Bates {} to {}",
                    report.volume,
                    report.folder,
                    report.documents,
                    report.pages,
                    report.first_bates.as_deref().unwrap_or("-"),
                    report.last_bates.as_deref().unwrap_or("-")
                );
                for s in &report.dat_substitutions {
                    println!("  DAT substitution: {s}");
                }
                for t in &report.xlsx_truncations {
                    println!("  XLSX value cut to 32,000 characters (full value in the CSV): {t}");
                }
                println!(
                    "Text: {} file(s) in TEXT/, named by BEGBATES",
                    report.text_files
                );
                if report.pages_without_text > 0 {
                    println!(
                        "  {} page(s) have no text layer; OCR is not done",
                        report.pages_without_text
                    );
                }
                for w in &report.warnings {
                    eprintln!("warning: {w}");
                }
                println!(
                    "Images: {}",
                    produce::image_format(&matter.config.production)
                );
            }
            Ok(Outcome::Success)
        }
    }
}

pub fn print_blockers(blockers: &[Blocker]) {
    eprintln!(
        "Production blocked ({} problem(s)); nothing was written:",
        blockers.len()
    );
    for b in blockers {
        eprintln!("  {b}");
    }
}

/// The dry run's plan on standard output, written as `docs` writes its
/// listing: a reader that closed the pipe (`| head`) ends it quietly, a
/// full disk is an error (exit 4).
fn print_plan(plan: &Plan, warnings: &[String], fonts: &[String]) -> Result<(), Error> {
    let mut out = crate::output::Destination::open(None)?;
    write_plan(&mut out, plan, warnings, fonts).map_err(|e| out.failed(e.to_string()))?;
    out.finish(true)
}

fn write_plan(
    out: &mut impl std::io::Write,
    plan: &Plan,
    warnings: &[String],
    fonts: &[String],
) -> std::io::Result<()> {
    writeln!(
        out,
        "Plan for {} (dry run: nothing is written)",
        plan.volume
    )?;
    // Each document's line goes into the table as it is made (a volume of a
    // million held every cell as its own string, and the table as one text).
    let mut table =
        crate::output::Table::new(&["DOCID", "TREATMENT", "AS", "NUMBERS", "DUPLICATES"]);
    for p in &plan.documents {
        table.push({
            let form = match &p.form {
                Form::Image { redacted: true } => "redacted PDF".to_string(),
                Form::Image { redacted: false } => "PDF".to_string(),
                Form::Rendered { .. } => "e-mail rendered as pages".to_string(),
                Form::Native { extension } => format!("native .{extension} + slip sheet"),
                Form::WithheldSlip => "withheld slip sheet".to_string(),
                Form::LogOnly => "log only".to_string(),
            };
            [
                p.docid.to_string(),
                p.treatment.label().to_string(),
                form,
                p.pages.to_string(),
                p.duplicates()
                    .iter()
                    .map(|d| d.to_string())
                    .collect::<Vec<_>>()
                    .join(" "),
            ]
        });
    }
    table.write_to(out)?;
    writeln!(
        out,
        "\n{} document(s); Bates {} to {}; {} numbers = {} image pages + {} native slip sheets + {} withheld slip sheets",
        plan.documents.len(),
        plan.first_bates.as_deref().unwrap_or("-"),
        plan.last_bates.as_deref().unwrap_or("-"),
        plan.pages.total,
        plan.pages.image_pages,
        plan.pages.native_slip_sheets,
        plan.pages.withheld_slip_sheets
    )?;
    writeln!(out, "\nPer category (produced / redacted / withheld):")?;
    for (id, c) in &plan.categories {
        let empty = if c.produced + c.redacted + c.withheld == 0 {
            "   <- no documents"
        } else {
            ""
        };
        writeln!(
            out,
            "  {id:<6} {} / {} / {}{empty}",
            c.produced, c.redacted, c.withheld
        )?;
    }
    if !plan.left_out.is_empty() {
        writeln!(
            out,
            "\nExtracted values the privilege rules leave out of the volume:"
        )?;
        for l in &plan.left_out {
            writeln!(out, "  {} {}: {}", l.docid, l.field, l.value)?;
        }
    }
    for w in warnings {
        writeln!(out, "\nwarning: {w}")?;
    }
    if plan.blockers.is_empty() {
        writeln!(out, "\nNo blockers.")?;
    } else {
        writeln!(out, "\nBlockers ({}):", plan.blockers.len())?;
        for b in &plan.blockers {
            writeln!(out, "  {b}")?;
        }
    }
    writeln!(out, "Fonts: {}", fonts.join(", "))
}
