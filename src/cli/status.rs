use super::Ctx;
use crate::error::{Error, Outcome};
use crate::matter::Matter;
use crate::status;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The date used as today (default: today); counts are always current.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = super::parse_date)]
    pub as_of: Option<jiff::civil::Date>,
    /// Also write the status page (self-contained HTML) to this file.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
}

pub fn run(args: Args, ctx: &Ctx) -> Result<Outcome, Error> {
    let as_of = args.as_of.unwrap_or_else(|| jiff::Zoned::now().date());
    let root = Matter::discover(ctx.matter.as_deref())?;
    let matter = Matter::open_read(&root)?;
    let crate::produce::Prepared { plan, warnings, .. } =
        crate::produce::plan_next(&matter, "NEXT", true)?;
    // Counted a batch at a time as they are read, the family rules applied
    // as a volume applies them (the blockers those rules raise are already
    // among the plan's).
    let mut tally = status::Tally::default();
    crate::produce::batches::each(&matter, |docs| {
        docs.iter().for_each(|d| tally.add(d));
        Ok(())
    })?;
    let volumes = matter.store.volumes()?;
    let in_volumes = matter.store.earlier_count()?;
    let outstanding_clawbacks = match matter.store.bates_settings()? {
        Some(b) => crate::clawback::outstanding_lines(
            &matter.store.clawbacks()?,
            &crate::produce::bates::BatesFormat {
                prefix: b.prefix,
                width: b.width,
            },
        ),
        None => Vec::new(),
    };
    let report = status::compute(status::Input {
        as_of,
        config: &matter.config,
        tally,
        volumes: &volumes,
        in_volumes,
        awaiting_production: plan.documents.len() + plan.duplicates.len(),
        blockers: plan.blockers,
        warnings,
        outstanding_clawbacks,
    });
    if let Some(path) = &args.html {
        let page = status::html::render(&report);
        crate::files::write_atomic(path, page.as_bytes())?;
    }
    if ctx.json {
        crate::output::print_json(&report)?;
        return Ok(Outcome::Success);
    }
    println!(
        "{} ({}) as of {}",
        report.caption, report.case_number, report.as_of
    );
    println!("\nDeadlines:");
    for d in &report.deadlines {
        println!(
            "  {:<10} {:>6} days  {:<9} {}",
            d.date,
            d.days_left,
            d.verdict.label(),
            d.name
        );
    }
    println!(
        "\nReview: {} of {} unreviewed; {} first reviewed in the last {} days (pace {:.2}/day); projected finish {}",
        report.unreviewed,
        report.documents,
        report.reviewed_in_window,
        status::PACE_WINDOW_DAYS,
        report.pace_per_day,
        report
            .projected_finish
            .as_deref()
            .unwrap_or("none (pace is 0)")
    );
    println!("\nBy category (unreviewed / not-responsive / produce / redact / withhold):");
    for (cat, s) in &report.by_category {
        let n = |k: &str| s.get(k).copied().unwrap_or(0);
        println!(
            "  {cat:<8} {} / {} / {} / {} / {}",
            n("unreviewed"),
            n("not-responsive"),
            n("produce"),
            n("redact"),
            n("withhold")
        );
    }
    println!(
        "\nProduction: {} document(s) in {} volume(s); {} would go out today",
        report.produced,
        report.volumes.len(),
        report.awaiting_production
    );
    if report.blockers.is_empty() {
        println!("Blockers: none");
    } else {
        println!("Blockers ({}):", report.blockers.len());
        for b in &report.blockers {
            println!("  {b}");
        }
    }
    for w in &report.warnings {
        println!("Warning: {w}");
    }
    if !report.outstanding_clawbacks.is_empty() {
        println!(
            "Clawbacks outstanding ({}; `adrec produce VOLUME --overlay` replaces them):",
            report.outstanding_clawbacks.len()
        );
        for c in &report.outstanding_clawbacks {
            println!("  {c}");
        }
    }
    if let Some(path) = &args.html {
        println!("\nStatus page: {}", path.display());
    }
    Ok(Outcome::Success)
}
