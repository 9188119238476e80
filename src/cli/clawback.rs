//! `adrec clawback`: recall produced documents (Rule 26(b)(5)(B), FRE 502).
//! Their status becomes withhold (or redact with `--replace-with`), the
//! request is kept with its date and reason, and `produce VOLUME --overlay`
//! replaces them on the same Bates numbers.

use super::Ctx;
use crate::clawback;
use crate::error::{Error, Outcome};
use crate::export::stored::StoredRows;
use crate::matter::Matter;
use crate::matter::clawbacks::{NewClawback, Replacement};
use crate::produce::bates::BatesFormat;
use crate::review::cell::Cell;
use crate::review::field::{Field, KeyKind};
use crate::review::validate::{self, Context, Origin, Request};
use serde::Serialize;
use std::collections::HashSet;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Produced documents to recall: DOCIDs, or any Bates number they took.
    #[arg(value_name = "BATES|DOCID", required = true)]
    pub documents: Vec<String>,
    /// Privilege asserted (a code from adrec.toml); repeat for several.
    #[arg(long = "privilege", value_name = "CODE", required = true)]
    pub privileges: Vec<String>,
    /// The privilege-log description of what is withheld or redacted.
    #[arg(long, value_name = "TEXT", required = true)]
    pub description: String,
    /// A redacted PDF to produce instead of withholding the document.
    #[arg(long, value_name = "FILE")]
    pub replace_with: Option<PathBuf>,
    /// Why it is recalled (kept with the request and in the notice).
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
    /// The date of the request (default: today), YYYY-MM-DD.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = super::parse_date)]
    pub date: Option<jiff::civil::Date>,
}

#[derive(Serialize)]
struct Summary<'a> {
    recalled: &'a [NewClawback],
    next_step: &'static str,
}

pub fn run(args: Args, ctx: &Ctx) -> Result<Outcome, Error> {
    for (flag, value) in [
        ("--description", Some(args.description.as_str())),
        ("--reason", args.reason.as_deref()),
    ] {
        if value.is_some_and(|v| v.trim().is_empty()) {
            return Err(Error::input(format!("{flag} is empty"))
                .hint("say what the document is and why it is privileged, e.g. --description 'Draft memo to counsel'"));
        }
    }
    let cwd = std::env::current_dir()
        .map_err(|e| Error::internal(format!("could not read the current folder: {e}")))?;
    let root = Matter::discover(ctx.matter.as_deref())?;
    let mut matter = Matter::open_write(&root, "clawback")?;
    let Some(settings) = matter.store.bates_settings()? else {
        return Err(Error::input("nothing has been produced in this matter yet")
            .hint("only documents that went out in a volume can be clawed back"));
    };
    let bates = BatesFormat {
        prefix: settings.prefix,
        width: settings.width,
    };
    // The produced documents the keys name, kept as the rows are read.
    let volumes = matter.store.volumes()?;
    let mut produced = clawback::ProducedDocs::named_by(&args.documents, &bates);
    StoredRows::new(&*matter.store, &volumes).ordinary_index(|row| {
        if let Some(p) = clawback::produced(&row, &bates) {
            produced.offer(p);
        }
        Ok(())
    })?;
    let targets = clawback::resolve(&args.documents, &produced, &bates).map_err(|problems| {
        Error::input(format!(
            "cannot claw back what the command names:\n  {}",
            problems.join("\n  ")
        ))
        .hint(
            "name produced documents by DOCID or by a Bates number they took; nothing was changed",
        )
    })?;
    let open: HashSet<_> = clawback::outstanding(&matter.store.clawbacks()?)
        .iter()
        .map(|c| c.request.docid)
        .collect();
    if let Some(t) = targets.iter().find(|t| open.contains(&t.docid)) {
        return Err(crate::matter::clawbacks::already_recalled(t.docid));
    }

    let requested_on = args
        .date
        .unwrap_or_else(|| jiff::Zoned::now().date())
        .to_string();
    let replacement = clawback::replacement(args.replace_with.is_some());
    let status = match replacement {
        Replacement::Withheld => "withhold",
        Replacement::Redacted => "redact",
    };
    let text =
        |field: Field, value: String| (field, Cell::Text(value), format!("--{}", field.name()));
    let mut cells = vec![
        text(Field::Status, status.into()),
        text(Field::Privilege, args.privileges.join(";")),
        text(Field::Description, args.description.trim().into()),
        text(
            Field::Note,
            clawback::note(&requested_on, args.reason.as_deref()),
        ),
    ];
    if let Some(path) = &args.replace_with {
        cells.push(text(Field::RedactedFile, path.display().to_string()));
    }
    let request = Request {
        origin: Origin::Command,
        keys: targets
            .iter()
            .map(|t| (KeyKind::DocId, t.docid.to_string(), t.docid.to_string()))
            .collect(),
        cells,
        reviewer: None,
    };
    let ids: Vec<_> = targets.iter().map(|t| t.docid).collect();
    let docs = matter.store.documents_in(&ids)?;
    let notes = matter.store.note_texts_in(&ids)?;
    // A clawback is the one change a produced document can take.
    let mut frozen = matter.store.produced_docs()?;
    for id in &ids {
        frozen.remove(id);
    }
    let at = jiff::Timestamp::now().to_string();
    let actor = super::current_user();
    let context = Context {
        config: &matter.config,
        docs: &docs,
        produced: &frozen,
        notes: &notes,
        reviewer: actor.clone(),
        at: at.clone(),
        base: cwd,
    };
    let plan = validate::validate(&[request], &context).map_err(|problems| {
        let list: Vec<String> = problems.iter().map(ToString::to_string).collect();
        Error::input(format!(
            "the clawback cannot be recorded:\n  {}",
            list.join("\n  ")
        ))
        .hint("fix what is listed and run the command again; nothing was changed")
    })?;
    let privileges = plan_privileges(&plan, &args.privileges);
    let requests: Vec<NewClawback> = targets
        .iter()
        .map(|t| NewClawback {
            docid: t.docid,
            volume: t.volume.clone(),
            beg: t.beg,
            end: t.end,
            requested_on: requested_on.clone(),
            actor: actor.clone(),
            privileges: privileges.clone(),
            description: args.description.trim().to_string(),
            reason: args.reason.as_ref().map(|r| r.trim().to_string()),
            replacement,
        })
        .collect();
    let files: Vec<_> = plan.redacted.iter().map(|r| r.to_store()).collect();
    matter.redacted_store().store(&files)?;
    matter
        .store
        .record_clawbacks(&at, &plan.updates, &requests)?;
    if ctx.json {
        crate::output::print_json(&Summary {
            recalled: &requests,
            next_step: "adrec produce VOLUME --overlay",
        })?;
    } else {
        for r in &requests {
            let range = if r.beg == r.end {
                bates.format(r.beg)
            } else {
                format!("{}-{}", bates.format(r.beg), bates.format(r.end))
            };
            println!(
                "Recalled {} ({range}, {}): to be replaced as {}",
                r.docid,
                r.volume,
                r.replacement.label()
            );
        }
        println!(
            "Next: `adrec produce VOLUME --overlay` writes the replacement volume and the clawback notice."
        );
    }
    Ok(Outcome::Success)
}

/// The privilege codes as the matter spells them (validation resolved them).
fn plan_privileges(plan: &validate::Plan, given: &[String]) -> Vec<String> {
    plan.updates
        .first()
        .map(|u| u.review.privileges.clone())
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| given.to_vec())
}
