use super::Ctx;
use crate::error::{Error, Outcome};
use crate::matter::config::TEMPLATES;

#[derive(Debug, clap::Args)]
pub struct Args {}

#[derive(serde::Serialize)]
struct Template {
    name: &'static str,
    description: &'static str,
}

pub fn run(_args: Args, ctx: &Ctx) -> Result<Outcome, Error> {
    let list: Vec<Template> = TEMPLATES
        .iter()
        .map(|(name, description, _)| Template { name, description })
        .collect();
    if ctx.json {
        crate::output::print_json(&list)?;
    } else {
        for t in &list {
            println!("{:<12} {}", t.name, t.description);
        }
    }
    Ok(Outcome::Success)
}
