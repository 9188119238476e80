//! MISSING_FILE (an index row whose file is not in the folder) and
//! UNINDEXED_FILE (a file no index row names). Load files never count: files
//! under DATA/, checksum lists, the load files in use, and load-file-like
//! files (.dat, .opt, .csv, .txt, …) at the top of the volume.

use super::Audit;
use crate::audit::discover::{self, Kind};
use crate::audit::finding::{Code, Finding};

pub fn check(a: &Audit) -> Vec<Finding> {
    let mut out = Vec::new();
    for (ri, row) in a.rows.iter().enumerate() {
        if row.malformed || row.log_only() {
            continue;
        }
        let vol = a.volume_name(row.volume);
        let bates: Vec<String> = [row.beg_raw.clone()]
            .into_iter()
            .filter(|b| !b.is_empty())
            .collect();
        for (header, value) in &a.ties.broken[ri] {
            out.push(
                Finding::new(
                    Code::MissingFile,
                    vol,
                    format!(
                        "{header} of {} names `{value}`, which is not in the folder.",
                        row.label()
                    ),
                )
                .bates(bates.clone())
                .files([value.clone()])
                .at(row.location.clone()),
            );
        }
        if a.ties.broken[ri].is_empty() && a.ties.all(ri).next().is_none() {
            let why = if row.name_key().is_empty() {
                "no link column names a file for it".to_string()
            } else {
                format!(
                    "no link names one and no file under IMAGES/, NATIVES/ or TEXT/ is named `{}.*`",
                    row.name_key()
                )
            };
            out.push(
                Finding::new(
                    Code::MissingFile,
                    vol,
                    format!(
                        "No file was found for {} ({}): {why}.",
                        row.range_text(),
                        row.location.describe()
                    ),
                )
                .bates(bates)
                .at(row.location.clone()),
            );
        }
    }
    for (fi, file) in a.files.iter().enumerate() {
        let exempt =
            file.load_file || file.kind == Kind::Data || discover::is_top_load_file(&file.rel);
        if exempt || !a.ties.file_rows[fi].is_empty() {
            continue;
        }
        out.push(
            Finding::new(
                Code::UnindexedFile,
                a.volume_name(file.volume),
                format!(
                    "`{}` is in the folder but no index row names it.",
                    file.display
                ),
            )
            .files([file.display.clone()]),
        );
    }
    out
}
