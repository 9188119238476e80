//! What certify reads (the frozen rows and each volume's SHA256SUMS) and
//! the bytes it writes (Markdown, CSV, PDF).

use super::{Certification, VolumeInput, render};
use crate::error::Error;
use crate::export::stored::StoredRows;
use crate::matter::Matter;
use std::collections::{HashMap, HashSet};

/// The output format, from `-o FILE`'s extension (Markdown on stdout).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Markdown,
    Csv,
    Pdf,
}

impl Format {
    /// The format `path` names by its extension.
    pub fn of(path: &std::path::Path) -> Result<Format, Error> {
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        match ext.as_str() {
            "md" => Ok(Format::Markdown),
            "csv" => Ok(Format::Csv),
            "pdf" => Ok(Format::Pdf),
            _ => Err(Error::input(format!(
                "`{}`: certify writes .pdf, .md or .csv, not {:?}",
                path.display(),
                ext
            ))
            .hint("e.g. adrec certify --all -o certification.pdf")),
        }
    }
}

/// The volumes to certify (one, or all in production order), with their
/// frozen rows and SHA256SUMS as they are on disk.
pub fn gather(matter: &Matter, volume: Option<&str>) -> Result<Vec<VolumeInput>, Error> {
    let volumes = matter.store.volumes()?;
    if volumes.is_empty() {
        return Err(Error::input(
            "no volume has been produced in this matter yet: there is nothing to certify",
        )
        .hint("produce a volume first, e.g. adrec produce VOL001"));
    }
    if let Some(v) = volume
        && !volumes.iter().any(|x| x.name == v)
    {
        let names: Vec<&str> = volumes.iter().map(|v| v.name.as_str()).collect();
        return Err(
            Error::input(format!("there is no volume {v:?} in this matter"))
                .hint(format!("produced volumes: {}", names.join(", "))),
        );
    }
    let productions = matter.root.join(crate::matter::PRODUCTIONS_DIR);
    let stored = StoredRows::new(&*matter.store, &volumes);
    volumes
        .iter()
        .filter(|v| volume.is_none_or(|name| name == v.name))
        .map(|v| {
            // Each row read one at a time, kept as what the appendix needs.
            let mut index = Vec::new();
            stored.index(Some(&v.name), |row, _| {
                index.push(super::Row::from(row));
                Ok(())
            })?;
            let unnumbered: HashSet<&str> = index
                .iter()
                .filter(|r| r.begbates.is_empty())
                .map(|r| r.control_id.as_str())
                .collect();
            let mut log_ids = HashMap::new();
            stored.each_privlog_row(&v.name, |row| {
                if unnumbered.contains(row.control_id.as_str()) {
                    log_ids.insert(row.control_id, row.log_id);
                }
                Ok(())
            })?;
            Ok(VolumeInput {
                name: v.name.clone(),
                title: v.title.clone(),
                date: v.date.clone(),
                index,
                log_ids,
                sha256sums: crate::files::read_regular(
                    &productions.join(&v.name).join("SHA256SUMS"),
                )
                .ok(),
                overlay_of: v.overlay_of.clone(),
            })
        })
        .collect()
}

/// The appendix's bytes in `format`.
pub fn bytes(cert: &Certification, format: Format) -> Result<Vec<u8>, Error> {
    match format {
        Format::Markdown => Ok(render::markdown(cert).into_bytes()),
        Format::Csv => {
            crate::export::csv::table_bytes(&render::CSV_COLUMNS, render::csv_rows(cert))
                .map_err(Error::internal)
        }
        Format::Pdf => pdf(cert),
    }
}

/// The appendix as a PDF with the fonts every adrec PDF uses.
fn pdf(cert: &Certification) -> Result<Vec<u8>, Error> {
    // The same figures give the same /ID, and so the same bytes.
    let seed = crate::model::sha256_hex(render::markdown(cert).as_bytes());
    crate::pdf::textdoc::write_for_people(&render::pdf_blocks(cert), "certification", &seed)
}
