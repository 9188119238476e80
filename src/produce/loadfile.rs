//! The DAT's encoding checked before a volume is written: a value that
//! `[load_file] encoding` cannot hold is an input error naming every
//! document and column, refused before anything is staged.

use super::bates::BatesFormat;
use super::plan::{Plan, Planned};
use super::rows::{self, Written};
use crate::error::Error;
use crate::export::Unencodable;
use crate::export::profile::Encoding;
use crate::model::Document;
use std::collections::HashMap;

/// Builds the DAT rows the volume will hold (links and produced hashes are
/// ASCII, so the rows as planned are enough) and refuses what the encoding
/// cannot hold. An overlay checks its few documents here; `produce` checks
/// a batch at a time with [`unencodable`]. Both before anything is written.
pub(super) fn check(
    plan: &Plan,
    documents: &[Document],
    volume: &str,
    bates: &BatesFormat,
    config: &crate::matter::Config,
) -> Result<(), Error> {
    let by_id: HashMap<_, _> = documents.iter().map(|d| (d.id, d)).collect();
    let in_plan: Vec<(&Document, &Planned)> = plan
        .documents
        .iter()
        .filter_map(|p| Some((*by_id.get(&p.docid)?, p)))
        .collect();
    let bad = unencodable(&in_plan, volume, bates, config);
    if bad.is_empty() {
        Ok(())
    } else {
        Err(unencodable_error(&bad, config.load_file.encoding()))
    }
}

/// The values of these planned documents' DAT rows the encoding cannot hold.
pub(super) fn unencodable(
    in_plan: &[(&Document, &Planned)],
    volume: &str,
    bates: &BatesFormat,
    config: &crate::matter::Config,
) -> Vec<Unencodable> {
    let encoding = config.load_file.encoding();
    if encoding == Encoding::Utf8Bom {
        return Vec::new();
    }
    let rows: Vec<_> = in_plan
        .iter()
        .filter(|(_, p)| p.beg().is_some())
        .map(|(doc, p)| rows::index_row(doc, p, volume, bates, &Written::default()))
        .collect();
    match crate::export::dat::write_dat_as(&rows, config.load_file.profile(), encoding) {
        Ok(_) => Vec::new(),
        Err(bad) => bad,
    }
}

/// The error for values the DAT's encoding cannot hold: every document,
/// column and character, and what to do.
pub(super) fn unencodable_error(bad: &[Unencodable], encoding: Encoding) -> Error {
    let list: Vec<String> = bad.iter().map(|u| format!("  {u}")).collect();
    Error::input(format!(
        "the DAT is to be written in {} (adrec.toml [load_file] encoding), which cannot hold {} character(s):\n{}",
        encoding.label(),
        bad.len(),
        list.join("\n")
    ))
    .hint(
        "change the value with `adrec tag DOCID --title …` (or the field named), or write encoding = \"utf-8-bom\" or \"utf-16le\" under [load_file]",
    )
}
