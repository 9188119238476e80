use super::Ctx;
use crate::error::{Error, Outcome};
use crate::matter::Matter;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The empty PostgreSQL database to move the matter into:
    /// postgres://HOST/DATABASE (the password from PGPASSWORD or ~/.pgpass).
    #[arg(value_name = "URL")]
    pub url: String,
}

pub fn run(args: Args, ctx: &Ctx) -> Result<Outcome, Error> {
    let root = Matter::discover(ctx.matter.as_deref())?;
    // The SQLite matter stays locked while it is copied: nothing changes under the copy.
    let matter = Matter::open_write(&root, "migrate-to-postgres")?;
    let tables = matter.migrate_to_postgres(&args.url)?;
    if ctx.json {
        crate::output::print_json(&tables)?;
        return Ok(Outcome::Success);
    }
    println!(
        "Copied the matter into {} and verified every table:",
        args.url
    );
    for t in &tables {
        println!(
            "  {:<20} {:>8} row(s)  sha256 {}",
            t.table, t.rows, t.sha256
        );
    }
    println!(
        "adrec.toml now points at PostgreSQL; `.adrec/adrec.db` is left as it was (keep it as a backup, or delete it)."
    );
    Ok(Outcome::Success)
}
