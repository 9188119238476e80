//! Presentation only: renderers take an already-computed report and return
//! text or bytes; they never touch the disk or the database.

pub mod csv;
pub mod html;
pub mod json;
pub mod md;
pub mod svg;
pub mod text;
pub mod xlsx;

use crate::audit::finding::Report;
use std::path::Path;

/// The formats `--report` writes, chosen by the file's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
    Json,
    Md,
    Html,
}

impl Format {
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "csv" => Format::Csv,
            "xlsx" => Format::Xlsx,
            "json" => Format::Json,
            "md" | "markdown" => Format::Md,
            "html" | "htm" => Format::Html,
            _ => return None,
        })
    }
}

/// The audit report in `format`.
pub fn audit_bytes(report: &Report, format: Format) -> Result<Vec<u8>, String> {
    Ok(match format {
        Format::Csv => csv::audit(report),
        Format::Xlsx => xlsx::audit(report)?,
        Format::Json => json::audit(report)?.into_bytes(),
        Format::Md => md::audit(report).into_bytes(),
        Format::Html => html::audit(report).into_bytes(),
    })
}

/// `VOL001 line 7` style location text, or empty.
pub fn location(f: &crate::audit::finding::Finding) -> String {
    f.location
        .as_ref()
        .map(|l| l.describe())
        .unwrap_or_default()
}
