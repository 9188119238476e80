//! `adrec demo OUTDIR`: the whole pipeline on the bundled sample record.

use super::{Cli, Ctx};
use crate::error::{Error, Outcome};
use clap::Parser;
use std::path::{Path, PathBuf};

mod sample {
    include!(concat!(env!("OUT_DIR"), "/sample_record.rs"));
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// An empty (or new) folder for the demo matter and every output.
    pub outdir: PathBuf,
}

/// The volume date the demo uses, so two demos give the same volume.
const DEMO_DATE: &str = "2024-04-12";
const CLAWBACK_DATE: &str = "2024-04-29";

fn step(title: &str, argv: &[&str], accept_problems: bool) -> Result<(), Error> {
    println!("\n== {title}\n$ adrec {}", argv.join(" "));
    let cli = Cli::try_parse_from(std::iter::once("adrec").chain(argv.iter().copied()))
        .map_err(|e| Error::internal(format!("the demo built a bad command line: {e}")))?;
    match super::dispatch(cli)? {
        Outcome::Success => Ok(()),
        Outcome::Problems if accept_problems => Ok(()),
        Outcome::Problems => Err(Error::internal(format!(
            "the demo step `adrec {}` reported problems",
            argv.join(" ")
        ))),
    }
}

fn s(p: &Path) -> String {
    p.display().to_string()
}

pub fn run(args: Args, _ctx: &Ctx) -> Result<Outcome, Error> {
    let out = &args.outdir;
    if out.exists()
        && std::fs::read_dir(out)
            .map_err(|e| Error::io("read", out, e))?
            .next()
            .is_some()
    {
        return Err(Error::input(format!("`{}` is not empty", out.display()))
            .hint("give the demo a new or empty folder"));
    }
    let record = out.join("sample-record");
    for (rel, bytes) in sample::FILES {
        let path = record.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io("create", parent, e))?;
        }
        std::fs::write(&path, bytes).map_err(|e| Error::io("write", &path, e))?;
    }
    let out = out.canonicalize().map_err(|e| Error::io("open", out, e))?;
    let (record, matter, exports) = (
        out.join("sample-record"),
        out.join("matter"),
        out.join("exports"),
    );
    std::fs::create_dir_all(&exports).map_err(|e| Error::io("create", &exports, e))?;
    let m = s(&matter);
    let volume = matter.join("productions/VOL001");
    let audit_report = out.join("audit-report.html");
    let status_page = out.join("status.html");

    step(
        "Create the matter from the mpp-order template",
        &["init", &m, "--template", "mpp-order"],
        false,
    )?;
    // The corrupt PDF is listed as a problem, never dropped: ingest exits 1 on purpose.
    step(
        "Ingest the collected documents",
        &["--matter", &m, "ingest", &s(&record.join("documents"))],
        true,
    )?;
    step(
        "Apply the reviewers' decisions",
        &[
            "--matter",
            &m,
            "tag",
            "--from",
            &s(&record.join("tags.csv")),
        ],
        false,
    )?;
    step(
        "Dry run before the deadline",
        &["--matter", &m, "produce", "VOL001", "--dry-run"],
        true,
    )?;
    step(
        "Produce the first supplement",
        &[
            "--matter",
            &m,
            "produce",
            "VOL001",
            "--title",
            "First Supplement",
            "--date",
            DEMO_DATE,
        ],
        false,
    )?;
    // The muster update (DOC-000007) went out by mistake: recalled by its
    // DOCID (a Bates number it took works too), logged, and replaced on its
    // own numbers.
    step(
        "Claw back a page produced by mistake (FRE 502)",
        &[
            "--matter",
            &m,
            "clawback",
            "DOC-000007",
            "--privilege",
            "DP",
            "--description",
            "Pre-decisional muster notes on family-unit processing",
            "--reason",
            "Inadvertently produced; counsel's letter of 2024-04-26",
            "--date",
            CLAWBACK_DATE,
        ],
        false,
    )?;
    step(
        "Complete its privilege-log entry",
        &[
            "--matter",
            &m,
            "tag",
            "DOC-000007",
            "--doc-date",
            "2019-06-03",
            "--doc-type",
            "Muster",
            "--author",
            "CBP Office of Field Operations",
            "--recipients",
            "San Ysidro port staff",
        ],
        false,
    )?;
    step(
        "Produce the overlay volume that replaces it",
        &[
            "--matter",
            &m,
            "produce",
            "OVL001",
            "--overlay",
            "--title",
            "Clawback replacement",
            "--date",
            CLAWBACK_DATE,
        ],
        false,
    )?;
    for (what, name) in [("index", "production_index"), ("privlog", "privilege_log")] {
        for format in ["csv", "xlsx"] {
            let file = exports.join(format!("cumulative_{name}.{format}"));
            step(
                &format!("Export the cumulative {name} ({format})"),
                &[
                    "--matter",
                    &m,
                    "export",
                    what,
                    "--all",
                    "--format",
                    format,
                    "-o",
                    &s(&file),
                ],
                false,
            )?;
        }
    }
    let certification = exports.join("certification.pdf");
    step(
        "Write the certification appendix (figures and a draft declaration)",
        &["--matter", &m, "certify", "--all", "-o", &s(&certification)],
        false,
    )?;
    // The audit finds the court-ordered category nobody produced: exit 1 on purpose.
    step(
        "Audit the volume and its overlay as the other side would",
        &[
            "audit",
            &s(&volume),
            &s(&matter.join("productions/OVL001")),
            "--categories",
            &s(&matter.join("adrec.toml")),
            "--report",
            &s(&audit_report),
        ],
        true,
    )?;
    step(
        "Deadline dry run",
        &[
            "--matter",
            &m,
            "status",
            "--as-of",
            DEMO_DATE,
            "--html",
            &s(&status_page),
        ],
        false,
    )?;

    println!("\n== Where everything is");
    for (what, path) in [
        ("sample record (inputs)", record.clone()),
        ("matter (adrec.toml, .adrec/)", matter.clone()),
        ("volume VOL001", volume.clone()),
        ("  stamped images", volume.join("IMAGES")),
        ("  natives", volume.join("NATIVES")),
        (
            "  DAT, OPT, index, privilege log, manifest",
            volume.join("DATA"),
        ),
        ("  checksums", volume.join("SHA256SUMS")),
        (
            "overlay OVL001 and its clawback notice",
            matter.join("productions/OVL001/DATA"),
        ),
        ("cumulative index and privilege log", exports.clone()),
        ("certification appendix", certification.clone()),
        ("audit report", audit_report.clone()),
        ("status page", status_page.clone()),
    ] {
        println!("{what:<44} {}", path.display());
    }
    Ok(Outcome::Success)
}
