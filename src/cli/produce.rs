use super::Ctx;
use crate::error::{Error, Outcome};
use crate::matter::Matter;
use crate::matter::volumes::BatesSettings;
use crate::produce::bates::BatesFormat;
use crate::produce::plan::{self, Blocker, Form, Plan, SourceState};
use crate::produce::volume;
use rayon::prelude::*;
use std::collections::HashMap;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Volume name: capitals, digits, '_' and '-', e.g. VOL001.
    pub volume: String,
    /// Title for the manifest and XLSX properties (default: the volume name).
    #[arg(long)]
    pub title: Option<String>,
    /// Production date, YYYY-MM-DD (default: today).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,
    /// Print the plan and blockers; change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Do not stamp Bates numbers and legends on PDFs (they are still rewritten).
    #[arg(long)]
    pub no_stamp: bool,
}

#[derive(serde::Serialize)]
struct DryRun<'a> {
    #[serde(flatten)]
    plan: &'a Plan,
    warnings: Vec<String>,
}

fn valid_name(name: &str) -> bool {
    let b = name.as_bytes();
    !b.is_empty()
        && b.len() <= 32
        && (b[0].is_ascii_uppercase() || b[0].is_ascii_digit())
        && b.iter()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == b'_' || *c == b'-')
}

/// The Bates settings to use: frozen by the first produce, else adrec.toml.
pub fn settings(matter: &Matter) -> Result<BatesSettings, Error> {
    let b = &matter.config.bates;
    let configured = BatesSettings {
        prefix: b.prefix.clone(),
        width: b.width,
        start: b.start,
    };
    let Some(frozen) = matter.db.bates_settings()? else {
        return Ok(configured);
    };
    for (key, was, now) in [
        (
            "bates.prefix",
            frozen.prefix.clone(),
            configured.prefix.clone(),
        ),
        (
            "bates.width",
            frozen.width.to_string(),
            configured.width.to_string(),
        ),
        (
            "bates.start",
            frozen.start.to_string(),
            configured.start.to_string(),
        ),
    ] {
        if was != now {
            return Err(Error::input(format!(
                "adrec.toml: {key} is {now} but the first volume was produced with {was}"
            ))
            .hint(format!(
                "set {key} back to {was}: Bates numbering cannot change after the first production"
            )));
        }
    }
    Ok(frozen)
}

/// Plans the next volume as of now (shared with `status`).
pub fn plan_next(
    matter: &Matter,
    name: &str,
    check_sources: bool,
) -> Result<(Plan, Vec<String>), Error> {
    let settings = settings(matter)?;
    let bates = BatesFormat {
        prefix: settings.prefix.clone(),
        width: settings.width,
    };
    let documents = matter.db.documents()?;
    let earlier = matter.db.earlier()?;
    let first_number = matter.db.highest_bates()?.map_or(settings.start, |n| n + 1);
    let first_log_id = matter.db.next_log_id()?;
    let no_checks = HashMap::new();
    let input = |sources| plan::Input {
        volume: name,
        config: &matter.config,
        bates: &bates,
        documents: &documents,
        earlier: &earlier,
        sources,
        first_number,
        first_log_id,
    };
    let mut result = plan::plan(&input(&no_checks));
    let mut warnings = Vec::new();
    if check_sources {
        let by_id: HashMap<_, _> = documents.iter().map(|d| (d.id, d)).collect();
        let root = matter.root.clone();
        let checks: Vec<(crate::model::DocId, SourceState, Option<String>)> = result
            .documents
            .par_iter()
            .filter_map(|p| by_id.get(&p.docid).map(|d| (p, *d)))
            .map(|(p, d)| match volume::checked_bytes(&root, d, p) {
                Ok(bytes) => {
                    let warning = match (&p.form, bytes) {
                        (Form::Image { redacted: true }, Some(redacted)) => {
                            redaction_warning(d, &redacted)
                        }
                        _ => None,
                    };
                    (p.docid, SourceState::Ok, warning)
                }
                Err(reason) => (p.docid, SourceState::Problem(reason), None),
            })
            .collect();
        let mut sources = HashMap::new();
        for (id, state, warning) in checks {
            sources.insert(id, state);
            warnings.extend(warning);
        }
        result = plan::plan(&input(&sources));
    }
    Ok((result, warnings))
}

/// Warns when a redacted PDF's text still holds every word of the original's.
fn redaction_warning(doc: &crate::matter::db::Document, redacted: &[u8]) -> Option<String> {
    let original = std::fs::read(&doc.source_path).ok()?;
    let words = |bytes: &[u8]| -> Option<std::collections::BTreeSet<String>> {
        let pdf = crate::pdf::read::load(bytes).ok()?;
        let pages: Vec<u32> = (1..=crate::pdf::read::page_ids(&pdf).ok()?.len() as u32).collect();
        let text = crate::pdf::guarded("PDF", || {
            pdf.extract_text(&pages).map_err(|e| e.to_string())
        })
        .ok()?;
        Some(text.split_whitespace().map(|w| w.to_lowercase()).collect())
    };
    let (before, after) = (words(&original)?, words(redacted)?);
    (!before.is_empty() && before.is_subset(&after)).then(|| {
        format!("{}: the redacted file's text still contains every word of the original's; check the redactions were applied", doc.id)
    })
}

/// Refuses, before anything is written, text the stamp font cannot show.
fn check_text(matter: &Matter, plan: &Plan) -> Result<(), Error> {
    let mut bad = Vec::new();
    let documents: HashMap<_, _> = matter
        .db
        .documents()?
        .into_iter()
        .map(|d| (d.id, d))
        .collect();
    for p in &plan.documents {
        if let Some(level) = p
            .confidentiality
            .as_deref()
            .and_then(|l| matter.config.level(l))
            && let Some(c) = crate::pdf::font::unsupported(&level.legend)
        {
            bad.push(format!(
                "{}: the legend of level {:?} contains {c:?} (U+{:04X})",
                p.docid, level.name, c as u32
            ));
        }
        if let Form::Native { .. } = p.form
            && let Some(doc) = documents.get(&p.docid)
        {
            let name = doc
                .review
                .filename
                .clone()
                .unwrap_or_else(|| doc.file_name().to_string());
            if let Some(c) = crate::pdf::font::unsupported(&name) {
                bad.push(format!(
                    "{}: the file name {name:?} on its slip sheet contains {c:?} (U+{:04X})",
                    p.docid, c as u32
                ));
            }
        }
    }
    if bad.is_empty() {
        return Ok(());
    }
    Err(Error::input(format!("text the stamp font cannot show (Latin-1 and Windows-1252 only):\n  {}", bad.join("\n  ")))
        .hint("change the legend in adrec.toml, or give the document a --filename the font can show; nothing was written"))
}

pub fn run(args: Args, ctx: &Ctx) -> Result<Outcome, Error> {
    if !valid_name(&args.volume) {
        return Err(Error::input(format!("{:?} is not a volume name", args.volume))
            .hint("use capitals, digits, '_' and '-', starting with a capital or digit, at most 32 characters, e.g. VOL001"));
    }
    let date = match &args.date {
        Some(d) => d
            .parse::<jiff::civil::Date>()
            .ok()
            .filter(|_| d.len() == 10)
            .ok_or_else(|| {
                Error::input(format!("--date {d:?} is not a date"))
                    .hint("write it as YYYY-MM-DD, e.g. --date 2024-04-19")
            })?,
        None => jiff::Zoned::now().date(),
    };
    let root = Matter::discover(ctx.matter.as_deref())?;
    let mut matter = if args.dry_run {
        Matter::open_read(&root)?
    } else {
        Matter::open_write(&root, "produce")?
    };
    if matter.db.volumes()?.iter().any(|v| v.name == args.volume) {
        return Err(Error::input(format!(
            "volume {} already exists in this matter",
            args.volume
        ))
        .hint("choose a new name, e.g. the next number; volumes are never replaced"));
    }
    // A real run checks each source as it writes it (one read per file); when
    // something else already blocks, check them now too so every blocker is listed.
    let (mut plan, mut warnings) = plan_next(&matter, &args.volume, args.dry_run)?;
    if !args.dry_run && !plan.blockers.is_empty() {
        (plan, warnings) = plan_next(&matter, &args.volume, true)?;
    }
    check_text(&matter, &plan)?;
    if args.dry_run {
        if ctx.json {
            crate::output::print_json(&DryRun {
                plan: &plan,
                warnings: warnings.clone(),
            })?;
        } else {
            print_plan(&plan, &warnings);
        }
        return Ok(Outcome::problems_if(
            !plan.blockers.is_empty() || plan.documents.is_empty(),
        ));
    }
    if !plan.blockers.is_empty() {
        print_blockers(&plan.blockers);
        return Ok(Outcome::Problems);
    }
    if plan.documents.is_empty() {
        eprintln!(
            "Nothing to produce: no document tagged produce, redact or withhold is outside the earlier volumes."
        );
        return Ok(Outcome::Problems);
    }
    let title = args.title.clone().unwrap_or_else(|| args.volume.clone());
    let req = volume::Request {
        name: &args.volume,
        title: &title,
        date,
        stamp: !args.no_stamp,
        settings: settings(&matter)?,
    };
    match volume::write(&mut matter, &plan, &req)? {
        Err(blockers) => {
            print_blockers(&blockers);
            Ok(Outcome::Problems)
        }
        Ok(report) => {
            if ctx.json {
                crate::output::print_json(&report)?;
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
                    "Images are multi-page PDFs with an Opticon OPT for RelativityOne; Relativity Server (RDC) and Concordance Image need single-page TIFF/JPG, which adrec does not write yet."
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

fn print_plan(plan: &Plan, warnings: &[String]) {
    println!("Plan for {} (dry run: nothing is written)", plan.volume);
    let rows: Vec<Vec<String>> = plan
        .documents
        .iter()
        .map(|p| {
            let form = match &p.form {
                Form::Image { redacted: true } => "redacted PDF".to_string(),
                Form::Image { redacted: false } => "PDF".to_string(),
                Form::Native { extension } => format!("native .{extension} + slip sheet"),
                Form::WithheldSlip => "withheld slip sheet".to_string(),
                Form::LogOnly => "log only".to_string(),
            };
            vec![
                p.docid.to_string(),
                p.treatment.label().to_string(),
                form,
                p.pages.to_string(),
                p.duplicates
                    .iter()
                    .map(|d| d.to_string())
                    .collect::<Vec<_>>()
                    .join(" "),
            ]
        })
        .collect();
    print!(
        "{}",
        crate::output::table(
            &["DOCID", "TREATMENT", "AS", "NUMBERS", "DUPLICATES"],
            &rows
        )
    );
    println!(
        "\n{} document(s); Bates {} to {}; {} numbers = {} image pages + {} native slip sheets + {} withheld slip sheets",
        plan.documents.len(),
        plan.first_bates.as_deref().unwrap_or("-"),
        plan.last_bates.as_deref().unwrap_or("-"),
        plan.pages.total,
        plan.pages.image_pages,
        plan.pages.native_slip_sheets,
        plan.pages.withheld_slip_sheets
    );
    println!("\nPer category (produced / redacted / withheld):");
    for (id, c) in &plan.categories {
        let empty = if c.produced + c.redacted + c.withheld == 0 {
            "   <- no documents"
        } else {
            ""
        };
        println!(
            "  {id:<6} {} / {} / {}{empty}",
            c.produced, c.redacted, c.withheld
        );
    }
    if !plan.left_out.is_empty() {
        println!("\nExtracted values the privilege rules leave out of the volume:");
        for l in &plan.left_out {
            println!("  {} {}: {}", l.docid, l.field, l.value);
        }
    }
    for w in warnings {
        println!("\nwarning: {w}");
    }
    if plan.blockers.is_empty() {
        println!("\nNo blockers.");
    } else {
        println!("\nBlockers ({}):", plan.blockers.len());
        for b in &plan.blockers {
            println!("  {b}");
        }
    }
}
