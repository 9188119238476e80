//! The load files given on the command line, checked by content before
//! anything reads them as their kind.

use super::{Options, columns, load, read};
use crate::error::Error;

/// Each file given as `--index`, `--privlog` or `--opt` must be of that
/// kind by its content: anything else is an input error naming what it
/// looks like. A privilege log must also not be an index (no privilege,
/// description or log-id column).
pub fn check_kinds(opts: &Options) -> Result<(), Error> {
    use read::sniff::{self, Role};
    use std::io::Read;
    let given = [
        (Role::Index, &opts.index),
        (Role::Privlog, &opts.privlog),
        (Role::Opt, &opts.opt),
    ];
    for (role, path) in given {
        let Some(path) = path else { continue };
        let unreadable = |e: std::io::Error| {
            Error::input(format!(
                "`{}` ({}) cannot be read: {e}",
                path.display(),
                role.flag()
            ))
            .hint("check the path and its permissions")
        };
        let mut head = Vec::with_capacity(64 * 1024);
        std::fs::File::open(path)
            .and_then(|f| f.take(64 * 1024).read_to_end(&mut head))
            .map_err(unreadable)?;
        let looks = sniff::sniff(&head);
        let wrong = |why: String| {
            Error::input(format!(
                "`{}` was given as {} but {why}",
                path.display(),
                role.flag()
            ))
            .hint(format!(
                "give {} the production's own {} file, or leave it out so it is found in DATA/",
                role.flag(),
                match role {
                    Role::Index => "index",
                    Role::Privlog => "privilege-log",
                    Role::Opt => "image cross-reference",
                }
            ))
        };
        sniff::fits(role, looks).map_err(wrong)?;
        if role == Role::Privlog {
            let bytes =
                if looks.is_table() && !matches!(looks, sniff::Looks::Dat | sniff::Looks::Table) {
                    std::fs::read(path).map_err(unreadable)?
                } else {
                    head
                };
            if let Ok(table) = load::read_table(path, &bytes) {
                let cols = columns::Columns::new(&table.headers);
                use columns::Field;
                let log_like = [Field::Privilege, Field::Description, Field::LogId]
                    .iter()
                    .any(|f| cols.has(*f));
                let index_like = [
                    Field::NativeLink,
                    Field::ImageLink,
                    Field::TextLink,
                    Field::PageCount,
                ]
                .iter()
                .any(|f| cols.has(*f));
                if !log_like && index_like {
                    return Err(wrong(format!(
                        "it looks like an index, not a privilege log: its header has file links or page counts and no privilege, description or log-id column ({})",
                        table
                            .headers
                            .iter()
                            .take(8)
                            .map(|h| format!("`{}`", h.trim()))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )));
                }
            }
        }
    }
    Ok(())
}
