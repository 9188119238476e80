//! The audit report as XLSX: Findings, Categories and Volumes sheets; bold
//! frozen headers, autofilter, every value a string cell (never a formula).

use crate::audit::finding::Report;
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

fn sheet(
    book: &mut Workbook,
    name: &str,
    headers: &[(&str, f64)],
    rows: Vec<Vec<String>>,
) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    let ws: &mut Worksheet = book.add_worksheet_with_constant_memory()?;
    ws.set_name(name)?;
    for (c, (h, w)) in headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &bold)?;
        ws.set_column_width(c as u16, *w)?;
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, value) in row.iter().enumerate() {
            ws.write_string(r as u32 + 1, c as u16, value)?;
        }
    }
    ws.set_freeze_panes(1, 0)?;
    ws.autofilter(
        0,
        0,
        rows.len() as u32,
        headers.len().saturating_sub(1) as u16,
    )?;
    Ok(())
}

pub fn audit(report: &Report) -> Result<Vec<u8>, String> {
    let build = || -> Result<Vec<u8>, XlsxError> {
        let mut book = Workbook::new();
        let findings = report
            .findings
            .iter()
            .map(|f| {
                vec![
                    f.code.as_str().into(),
                    f.volume.clone(),
                    f.bates.join("; "),
                    f.files.join("; "),
                    super::location(f),
                    f.message.clone(),
                ]
            })
            .collect();
        sheet(
            &mut book,
            "Findings",
            &[
                ("code", 22.0),
                ("volume", 12.0),
                ("bates", 28.0),
                ("files", 40.0),
                ("location", 28.0),
                ("message", 100.0),
            ],
            findings,
        )?;
        let categories = report
            .categories
            .iter()
            .map(|c| {
                vec![
                    c.id.clone(),
                    c.name.clone(),
                    c.produced.to_string(),
                    c.redacted.to_string(),
                    c.withheld.to_string(),
                ]
            })
            .collect();
        sheet(
            &mut book,
            "Categories",
            &[
                ("id", 10.0),
                ("name", 60.0),
                ("produced", 10.0),
                ("redacted", 10.0),
                ("withheld", 10.0),
            ],
            categories,
        )?;
        let volumes = report
            .volumes
            .iter()
            .map(|v| {
                vec![
                    v.name.clone(),
                    v.index.as_ref().map_or(String::new(), |i| {
                        format!(
                            "{} ({})",
                            i.path,
                            i.encoding.clone().unwrap_or(i.format.clone())
                        )
                    }),
                    v.opt
                        .iter()
                        .chain(&v.cross_references)
                        .map(|x| format!("{} ({})", x.path, x.format))
                        .collect::<Vec<_>>()
                        .join("; "),
                    v.documents.to_string(),
                    v.log_only.to_string(),
                    v.bates_ranges.join(", "),
                    v.files.to_string(),
                    v.notes.join(" | "),
                ]
            })
            .collect();
        sheet(
            &mut book,
            "Volumes",
            &[
                ("volume", 12.0),
                ("index", 40.0),
                ("image_cross_references", 40.0),
                ("documents", 10.0),
                ("log_only", 10.0),
                ("bates", 40.0),
                ("files", 8.0),
                ("notes", 80.0),
            ],
            volumes,
        )?;
        book.save_to_buffer()
    };
    build().map_err(|e| format!("could not build the XLSX report: {e}"))
}
