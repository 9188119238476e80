use super::Ctx;
use crate::error::{Error, Outcome};
use crate::matter::{Matter, config};
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Folder for the new matter (created if missing).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Template to start from (see `adrec templates`).
    #[arg(long, default_value = "generic")]
    pub template: String,
    /// Keep the matter's state in this PostgreSQL database, shared by a review
    /// team (postgres://HOST/DATABASE; the password from PGPASSWORD or ~/.pgpass).
    #[arg(long, value_name = "URL")]
    pub database: Option<String>,
}

#[derive(serde::Serialize)]
struct Created {
    matter: String,
    config: String,
    template: String,
}

pub fn run(args: Args, ctx: &Ctx) -> Result<Outcome, Error> {
    let text = config::template(&args.template).ok_or_else(|| {
        let names: Vec<&str> = config::TEMPLATES.iter().map(|(n, _, _)| *n).collect();
        Error::input(format!("there is no template named {:?}", args.template))
            .hint(format!("use one of: {}", names.join(", ")))
    })?;
    let root = Matter::create(&args.dir, text, args.database.as_deref())?;
    let created = Created {
        matter: root.display().to_string(),
        config: root.join(crate::matter::CONFIG_FILE).display().to_string(),
        template: args.template.clone(),
    };
    if ctx.json {
        crate::output::print_json(&created)?;
    } else {
        println!(
            "Created matter in {} from template `{}`",
            created.matter, created.template
        );
        println!(
            "Edit {} (caption, Bates prefix, categories, privileges, deadlines), then run `adrec ingest PATH`.",
            created.config
        );
    }
    Ok(Outcome::Success)
}
