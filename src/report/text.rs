//! The human summary `adrec audit` prints on stdout.

use crate::audit::finding::{LoadFileInfo, Report};
use crate::output::{bytes, table};

fn load_file(info: &LoadFileInfo, unit: &str) -> String {
    let mut how = vec![info.format.clone()];
    how.extend(info.sheet.iter().map(|s| format!("sheet `{s}`")));
    how.extend(info.encoding.clone());
    how.extend(info.qualifier.iter().map(|q| format!("qualifier {q}")));
    how.extend(
        info.separator
            .iter()
            .filter(|_| {
                !matches!(
                    info.format.as_str(),
                    "Opticon OPT" | "IPRO LFP" | "Summation DII"
                )
            })
            .map(|s| format!("separator {s}")),
    );
    how.push(format!("{} {unit}", info.records));
    format!("{} ({})", info.path, how.join(", "))
}

pub fn audit(report: &Report) -> String {
    let mut out = String::new();
    let s = &report.summary;
    for v in &report.volumes {
        out.push_str(&format!("Volume {}  ({})\n", v.name, v.path));
        let mut lines: Vec<(&str, String)> = Vec::new();
        if let Some(i) = &v.index {
            lines.push(("index", load_file(i, "rows")));
        }
        if let Some(l) = &v.privilege_log {
            lines.push(("privilege log", load_file(l, "entries")));
        }
        if let Some(o) = &v.opt {
            lines.push(("OPT", load_file(o, "lines")));
        }
        for x in &v.cross_references {
            lines.push(("image xref", load_file(x, "lines")));
        }
        for c in &v.checksums {
            lines.push(("checksums", load_file(c, "entries")));
        }
        let docs = if v.log_only > 0 {
            format!("{} numbered + {} log-only", v.documents, v.log_only)
        } else {
            v.documents.to_string()
        };
        lines.push(("documents", docs));
        if !v.bates_ranges.is_empty() {
            lines.push((
                "Bates",
                format!(
                    "{} ({} numbers; pattern {})",
                    v.bates_ranges.join(", "),
                    v.bates_numbers,
                    v.patterns.join(" or ")
                ),
            ));
        }
        lines.push(("files", format!("{} ({})", v.files, bytes(v.bytes))));
        for (k, val) in lines {
            out.push_str(&format!("  {k:<14} {val}\n"));
        }
        for n in &v.notes {
            out.push_str(&format!("  note: {n}\n"));
        }
        out.push('\n');
    }
    if !report.categories.is_empty() {
        out.push_str("Categories\n");
        let rows: Vec<Vec<String>> = report
            .categories
            .iter()
            .map(|c| {
                let mut label = c.label();
                if !c.listed {
                    label.push_str("  (not in --categories)");
                }
                vec![
                    label,
                    c.produced.to_string(),
                    c.redacted.to_string(),
                    c.withheld.to_string(),
                ]
            })
            .collect();
        for line in table(&["CATEGORY", "PRODUCED", "REDACTED", "WITHHELD"], &rows).lines() {
            out.push_str(&format!("  {line}\n"));
        }
        out.push('\n');
    }
    if report.findings.is_empty() {
        out.push_str("No findings: every check passed.\n");
    } else {
        out.push_str(&format!("Findings ({})\n", report.findings.len()));
        for f in &report.findings {
            let vol = if f.volume.is_empty() {
                String::new()
            } else {
                format!("[{}] ", f.volume)
            };
            out.push_str(&format!("  {:<19} {vol}{}\n", f.code.as_str(), f.message));
        }
        out.push('\n');
        let counts: Vec<String> = s.by_code.iter().map(|(c, n)| format!("{c} {n}")).collect();
        out.push_str(&format!(
            "{} finding(s): {}\n",
            s.findings,
            counts.join(", ")
        ));
    }
    out.push_str(&format!(
        "{} volume(s), {} document(s); {} file(s) ({}) read and hashed in {:.2} s\n",
        s.volumes,
        s.documents,
        s.files_hashed,
        bytes(s.bytes_hashed),
        s.elapsed_seconds
    ));
    out
}
