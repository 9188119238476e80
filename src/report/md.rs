//! The audit report as Markdown.

use crate::audit::finding::Report;

fn cell(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace(['\r', '\n'], " ")
}

pub fn audit(report: &Report) -> String {
    let s = &report.summary;
    let mut out = String::from("# adrec audit report\n\n");
    out.push_str(&format!(
        "{} volume(s), {} document(s), {} file(s) hashed. **{}**\n\n",
        s.volumes,
        s.documents,
        s.files_hashed,
        if report.clean {
            "No findings: every check passed.".to_string()
        } else {
            format!("{} finding(s).", s.findings)
        }
    ));
    if !s.by_code.is_empty() {
        out.push_str("| code | findings |\n|---|---:|\n");
        for (c, n) in &s.by_code {
            out.push_str(&format!("| {c} | {n} |\n"));
        }
        out.push('\n');
    }
    out.push_str("## Volumes\n\n| volume | index | privilege log | OPT | documents | Bates | files |\n|---|---|---|---|---:|---|---:|\n");
    for v in &report.volumes {
        let lf = |i: &Option<crate::audit::finding::LoadFileInfo>| {
            i.as_ref().map_or("—".to_string(), |i| {
                format!(
                    "{} ({}{})",
                    i.path,
                    i.format,
                    i.encoding
                        .as_ref()
                        .map_or(String::new(), |e| format!(", {e}"))
                )
            })
        };
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} |\n",
            cell(&v.name),
            cell(&lf(&v.index)),
            cell(&lf(&v.privilege_log)),
            cell(
                &std::iter::once(lf(&v.opt))
                    .chain(v.cross_references.iter().map(|x| lf(&Some(x.clone()))))
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
            v.documents + v.log_only,
            cell(&v.bates_ranges.join(", ")),
            v.files
        ));
    }
    let notes: Vec<String> = report
        .volumes
        .iter()
        .flat_map(|v| v.notes.iter().map(move |n| format!("- {}: {}", v.name, n)))
        .collect();
    if !notes.is_empty() {
        out.push_str(&format!("\n{}\n", notes.join("\n")));
    }
    if !report.categories.is_empty() {
        out.push_str("\n## Categories\n\n| category | produced | redacted | withheld |\n|---|---:|---:|---:|\n");
        for c in &report.categories {
            out.push_str(&format!(
                "| {} | {} | {} | {} |\n",
                cell(&c.label()),
                c.produced,
                c.redacted,
                c.withheld
            ));
        }
    }
    out.push_str("\n## Findings\n\n");
    if report.findings.is_empty() {
        out.push_str("None.\n");
    } else {
        out.push_str(
            "| code | volume | Bates | files | location | finding |\n|---|---|---|---|---|---|\n",
        );
        for f in &report.findings {
            out.push_str(&format!(
                "| {} | {} | {} | {} | {} | {} |\n",
                f.code.as_str(),
                cell(&f.volume),
                cell(&f.bates.join(", ")),
                cell(&f.files.join(", ")),
                cell(&super::location(f)),
                cell(&f.message)
            ));
        }
    }
    out
}
