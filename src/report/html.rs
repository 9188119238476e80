//! The audit report as one self-contained HTML page: inline CSS and SVG, no
//! scripts, no external assets. Summary, volumes, the per-category chart and
//! the findings table.

use super::svg::{COLOURS, category_bars, escape};
use crate::audit::finding::{Code, LoadFileInfo, Report};

const STYLE: &str = "
body{font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;margin:2rem;color:#1d1d1f;max-width:1200px}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ddd;padding-bottom:.2rem}
table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{border:1px solid #d8d8d8;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f3f3}td.num,th.num{text-align:right}code{font-size:.85rem}
.verdict{font-size:1.1rem;padding:.6rem .8rem;border-radius:4px;display:inline-block;margin:.6rem 0}
.clean{background:#e6f4ea;color:#1e6b34}.problems{background:#fdecea;color:#8a1c1c}
.code{font-family:monospace;font-weight:bold;white-space:nowrap}.bates{white-space:nowrap}.muted{color:#666;font-size:.85rem}
ul.notes{font-size:.85rem;color:#555}
";

fn load_file(info: &Option<LoadFileInfo>) -> String {
    match info {
        None => "<span class=\"muted\">none found</span>".into(),
        Some(i) => {
            let mut how = vec![i.format.clone()];
            how.extend(i.encoding.clone());
            how.extend(i.qualifier.iter().map(|q| format!("qualifier {q}")));
            format!(
                "<code>{}</code><br><span class=\"muted\">{}; {} records</span>",
                escape(&i.path),
                escape(&how.join(", ")),
                i.records
            )
        }
    }
}

pub fn audit(report: &Report) -> String {
    let s = &report.summary;
    let mut h = String::with_capacity(16 * 1024 + report.findings.len() * 400);
    h.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    h.push_str("<title>adrec audit report</title>\n<style>");
    h.push_str(STYLE);
    h.push_str("</style>\n</head>\n<body>\n<h1>adrec audit report</h1>\n");
    h.push_str(&format!(
        "<p class=\"muted\">adrec {} · report schema {} · {} volume(s) · {} document(s) · {} file(s) hashed</p>\n",
        escape(&report.adrec_version),
        report.schema_version,
        s.volumes,
        s.documents,
        s.files_hashed
    ));
    h.push_str("<h2 id=\"summary\">Summary</h2>\n");
    if report.clean {
        h.push_str(
            "<p class=\"verdict clean\" id=\"verdict\">No findings: every check passed.</p>\n",
        );
    } else {
        h.push_str(&format!(
            "<p class=\"verdict problems\" id=\"verdict\">{} finding(s)</p>\n",
            s.findings
        ));
        h.push_str("<table id=\"by-code\"><thead><tr><th>code</th><th>meaning</th><th class=\"num\">findings</th></tr></thead><tbody>\n");
        for code in Code::ALL {
            if let Some(n) = s.by_code.get(code.as_str()) {
                h.push_str(&format!(
                    "<tr><td class=\"code\">{}</td><td>{}</td><td class=\"num\">{n}</td></tr>\n",
                    code.as_str(),
                    escape(code.meaning())
                ));
            }
        }
        h.push_str("</tbody></table>\n");
    }

    h.push_str("<h2 id=\"volumes\">Volumes</h2>\n<table><thead><tr><th>volume</th><th>index</th><th>privilege log</th><th>OPT</th><th class=\"num\">documents</th><th>Bates</th><th class=\"num\">files</th></tr></thead><tbody>\n");
    for v in &report.volumes {
        let docs = if v.log_only > 0 {
            format!("{} + {} log-only", v.documents, v.log_only)
        } else {
            v.documents.to_string()
        };
        h.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{docs}</td><td>{}<br><span class=\"muted\">{}</span></td><td class=\"num\">{}</td></tr>\n",
            escape(&v.name),
            load_file(&v.index),
            load_file(&v.privilege_log),
            std::iter::once(load_file(&v.opt))
                .chain(v.cross_references.iter().map(|x| load_file(&Some(x.clone()))))
                .collect::<Vec<_>>()
                .join("<br>"),
            escape(&v.bates_ranges.join(", ")),
            escape(&v.patterns.join(" or ")),
            v.files
        ));
    }
    h.push_str("</tbody></table>\n");
    let notes: Vec<String> = report
        .volumes
        .iter()
        .flat_map(|v| {
            v.notes
                .iter()
                .map(move |n| format!("<li>{}: {}</li>", escape(&v.name), escape(n)))
        })
        .collect();
    if !notes.is_empty() {
        h.push_str(&format!("<ul class=\"notes\">{}</ul>\n", notes.join("")));
    }

    h.push_str("<h2 id=\"categories\">Documents per category</h2>\n<figure>\n");
    h.push_str(&category_bars(&report.categories));
    h.push_str("\n</figure>\n");
    if !report.categories.is_empty() {
        h.push_str(&format!(
            "<table id=\"category-counts\"><thead><tr><th>category</th><th class=\"num\" style=\"color:{}\">produced</th><th class=\"num\" style=\"color:{}\">redacted</th><th class=\"num\" style=\"color:{}\">withheld</th></tr></thead><tbody>\n",
            COLOURS[0], COLOURS[1], COLOURS[2]
        ));
        for c in &report.categories {
            h.push_str(&format!(
                "<tr><td>{}{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n",
                escape(&c.label()),
                if c.listed { "" } else { " <span class=\"muted\">(not in --categories)</span>" },
                c.produced,
                c.redacted,
                c.withheld
            ));
        }
        h.push_str("</tbody></table>\n");
    }

    h.push_str("<h2 id=\"findings\">Findings</h2>\n");
    if report.findings.is_empty() {
        h.push_str("<p>None.</p>\n");
    } else {
        h.push_str("<table id=\"findings-table\"><thead><tr><th>code</th><th>volume</th><th>Bates</th><th>files</th><th>finding</th><th>location</th></tr></thead><tbody>\n");
        for f in &report.findings {
            h.push_str(&format!(
                "<tr class=\"finding\" data-code=\"{}\"><td class=\"code\">{}</td><td>{}</td><td class=\"bates\">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                f.code.as_str(),
                f.code.as_str(),
                escape(&f.volume),
                f.bates.iter().map(|b| escape(b)).collect::<Vec<_>>().join("<br>"),
                f.files.iter().map(|p| format!("<code>{}</code>", escape(p))).collect::<Vec<_>>().join("<br>"),
                escape(&f.message),
                escape(&super::location(f))
            ));
        }
        h.push_str("</tbody></table>\n");
    }
    h.push_str("</body>\n</html>\n");
    h
}
