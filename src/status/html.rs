//! The status page: one self-contained HTML file (no external assets) with
//! the same facts as `adrec status` and two inline SVG charts.

use super::{Report, Verdict};
use crate::report::svg::escape;
use std::fmt::Write;

const STATUS_COLORS: [(&str, &str); 5] = [
    ("unreviewed", "#9aa5b1"),
    ("not-responsive", "#d9c27e"),
    ("produce", "#3b7dd8"),
    ("redact", "#e07b39"),
    ("withhold", "#b8324b"),
];

fn verdict_color(v: Verdict) -> &'static str {
    match v {
        Verdict::Met => "#1e7b34",
        Verdict::OnTrack => "#2b6cb0",
        Verdict::AtRisk => "#b7791f",
        Verdict::Missed => "#c53030",
    }
}

/// Horizontal stacked bars: documents per category, split by status.
fn category_chart(r: &Report) -> String {
    let rows: Vec<(&String, &std::collections::BTreeMap<String, usize>)> =
        r.by_category.iter().collect();
    let max = rows
        .iter()
        .map(|(_, s)| s.values().sum::<usize>())
        .max()
        .unwrap_or(0)
        .max(1);
    let (left, width, bar, gap) = (120.0, 500.0, 22.0, 10.0);
    let height = 40.0 + rows.len() as f64 * (bar + gap) + 30.0;
    let mut svg = format!(
        r#"<svg id="category-chart" xmlns="http://www.w3.org/2000/svg" width="680" height="{height}" viewBox="0 0 680 {height}" role="img" aria-label="Documents by category and status">"#
    );
    for (i, (cat, statuses)) in rows.iter().enumerate() {
        let y = 20.0 + i as f64 * (bar + gap);
        let label = if cat.as_str() == "(none)" {
            "No category".to_string()
        } else {
            format!("Category {}", escape(cat))
        };
        let _ = write!(
            svg,
            r#"<text x="{}" y="{}" text-anchor="end" font-size="13">{label}</text>"#,
            left - 8.0,
            y + 15.0
        );
        let mut x = left;
        for (status, color) in STATUS_COLORS {
            let n = statuses.get(status).copied().unwrap_or(0);
            if n == 0 {
                continue;
            }
            let w = width * n as f64 / max as f64;
            let _ = write!(
                svg,
                r#"<rect x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{bar}" fill="{color}"><title>{status}: {n}</title></rect>"#
            );
            x += w;
        }
        let total: usize = statuses.values().sum();
        let _ = write!(
            svg,
            r#"<text x="{:.1}" y="{}" font-size="12">{total}</text>"#,
            x + 6.0,
            y + 15.0
        );
    }
    let ly = height - 18.0;
    for (i, (status, color)) in STATUS_COLORS.iter().enumerate() {
        let lx = left + i as f64 * 110.0;
        let _ = write!(
            svg,
            r#"<rect x="{lx}" y="{ly}" width="12" height="12" fill="{color}"/><text x="{}" y="{}" font-size="12">{status}</text>"#,
            lx + 16.0,
            ly + 10.0
        );
    }
    svg.push_str("</svg>");
    svg
}

/// Unreviewed documents per day, the projection to the finish, and the deadlines.
fn burndown_chart(r: &Report) -> String {
    let (w, h, left, bottom, top) = (680.0, 290.0, 50.0, 70.0, 20.0);
    let mut svg = format!(
        r#"<svg id="burndown-chart" xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img" aria-label="Unreviewed documents over time against the deadlines">"#
    );
    let parse = |d: &str| d.parse::<jiff::civil::Date>().ok();
    let mut days: Vec<jiff::civil::Date> =
        r.burndown.iter().filter_map(|p| parse(&p.date)).collect();
    days.extend(r.deadlines.iter().filter_map(|d| parse(&d.date)));
    days.extend(r.projected_finish.as_deref().and_then(parse));
    let (Some(first), Some(last)) = (days.iter().min().copied(), days.iter().max().copied()) else {
        svg.push_str(r#"<text x="20" y="40">No documents yet.</text></svg>"#);
        return svg;
    };
    let span = ((last - first).get_days() as f64).max(1.0);
    let max = r
        .burndown
        .iter()
        .map(|p| p.unreviewed)
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let x = |d: jiff::civil::Date| left + (w - left - 20.0) * (d - first).get_days() as f64 / span;
    let y = |n: f64| top + (h - top - bottom) * (1.0 - n / max);
    let _ = write!(
        svg,
        r##"<line x1="{left}" y1="{}" x2="{}" y2="{}" stroke="#555"/>"##,
        h - bottom,
        w - 20.0,
        h - bottom
    );
    let _ = write!(
        svg,
        r##"<line x1="{left}" y1="{top}" x2="{left}" y2="{}" stroke="#555"/>"##,
        h - bottom
    );
    let _ = write!(
        svg,
        r#"<text x="{}" y="{}" font-size="11" text-anchor="end">{}</text>"#,
        left - 4.0,
        top + 4.0,
        max as usize
    );
    let _ = write!(
        svg,
        r#"<text x="{}" y="{}" font-size="11" text-anchor="end">0</text>"#,
        left - 4.0,
        h - bottom
    );
    let points: Vec<String> = r
        .burndown
        .iter()
        .filter_map(|p| {
            parse(&p.date).map(|d| format!("{:.1},{:.1}", x(d), y(p.unreviewed as f64)))
        })
        .collect();
    let _ = write!(
        svg,
        r##"<polyline points="{}" fill="none" stroke="#3b7dd8" stroke-width="2"/>"##,
        points.join(" ")
    );
    if let (Some(finish), Some(asof)) = (
        r.projected_finish.as_deref().and_then(parse),
        parse(&r.as_of),
    ) {
        let _ = write!(
            svg,
            r##"<line x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="#3b7dd8" stroke-dasharray="5,4"><title>projected finish {finish}</title></line>"##,
            x(asof),
            y(r.unreviewed as f64),
            x(finish),
            y(0.0)
        );
    }
    if let [only] = r.burndown.as_slice()
        && let Some(d) = parse(&only.date)
    {
        let _ = write!(
            svg,
            r##"<circle cx="{:.1}" cy="{:.1}" r="4" fill="#3b7dd8"/>"##,
            x(d),
            y(only.unreviewed as f64)
        );
    }
    for (i, d) in r.deadlines.iter().enumerate() {
        // Labels alternate between two rows so close deadlines stay readable.
        let label_y = h - bottom + 14.0 + 14.0 * (i % 2) as f64;
        if let Some(date) = parse(&d.date) {
            let color = verdict_color(d.verdict);
            // Near an edge the label hangs inward instead of being cut off.
            let anchor = match x(date) {
                px if px > w - 80.0 => "end",
                px if px < left + 40.0 => "start",
                _ => "middle",
            };
            let _ = write!(
                svg,
                r#"<line x1="{0:.1}" y1="{top}" x2="{0:.1}" y2="{1}" stroke="{color}" stroke-width="2"><title>{2} ({3}): {4}</title></line><text x="{0:.1}" y="{5}" font-size="11" text-anchor="{anchor}" fill="{color}">{3}</text>"#,
                x(date),
                h - bottom,
                escape(&d.name),
                d.date,
                d.verdict.label(),
                label_y
            );
        }
    }
    let _ = write!(
        svg,
        r#"<text x="{left}" y="{}" font-size="11">{first}</text>"#,
        h - 6.0
    );
    let _ = write!(
        svg,
        r#"<text x="{}" y="{}" font-size="11" text-anchor="end">{last}</text>"#,
        w - 20.0,
        h - 6.0
    );
    svg.push_str("</svg>");
    svg
}

pub fn render(r: &Report) -> String {
    let mut deadlines = String::new();
    for d in &r.deadlines {
        let _ = write!(
            deadlines,
            r#"<tr><td>{}</td><td>{}</td><td class="num">{}</td><td><span class="verdict" style="background:{}">{}</span></td></tr>"#,
            escape(&d.name),
            d.date,
            d.days_left,
            verdict_color(d.verdict),
            d.verdict.label()
        );
    }
    let mut blockers = String::new();
    for b in &r.blockers {
        let ids = b
            .docids
            .iter()
            .map(|d| d.to_string())
            .collect::<Vec<_>>()
            .join(", ");
        let _ = write!(
            blockers,
            "<li><b>{}</b> {}</li>",
            escape(&ids),
            escape(&b.reason)
        );
    }
    for c in &r.outstanding_clawbacks {
        let _ = write!(
            blockers,
            "<li><b>Clawback outstanding</b> {}</li>",
            escape(&c.to_string())
        );
    }
    if blockers.is_empty() {
        blockers.push_str("<li>None.</li>");
    }
    let mut statuses = String::new();
    for (s, n) in &r.by_status {
        let _ = write!(statuses, r#"<tr><td>{s}</td><td class="num">{n}</td></tr>"#);
    }
    format!(
        r#"<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>adrec status – {caption}</title>
<style>
body{{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:760px;color:#1a202c}}
h1{{font-size:1.4rem;margin-bottom:.2rem}} h2{{font-size:1.1rem;margin-top:1.8rem;border-bottom:1px solid #e2e8f0}}
table{{border-collapse:collapse}} td,th{{padding:.25rem .6rem;border-bottom:1px solid #edf2f7;text-align:left}}
.num{{text-align:right}} td:nth-child(2){{white-space:nowrap}} .verdict{{color:#fff;padding:.1rem .5rem;border-radius:.6rem;font-size:.9rem}}
.facts span{{display:inline-block;margin-right:1.5rem}}
</style></head><body>
<h1>{caption}</h1><div>{case} · status as of <b id="as-of">{as_of}</b></div>
<h2>Deadlines</h2><table id="deadlines"><tr><th>Deadline</th><th>Date</th><th>Days left</th><th>Verdict</th></tr>{deadlines}</table>
<h2>Review pace</h2><p class="facts"><span>{unreviewed} unreviewed of {documents}</span><span>{window} first reviewed in the last 14 days</span><span>pace {pace:.2} per day</span><span>projected finish: {finish}</span></p>
{burndown}
<h2>Documents by category and status</h2>{categories}
<table>{statuses}</table>
<h2>Production</h2><p class="facts"><span>{produced} in volumes</span><span>{awaiting} awaiting production</span><span>{volumes} volume(s)</span></p>
<h2>Blockers</h2><ul id="blockers">{blockers}</ul>
<p style="color:#718096;font-size:.8rem">Made by adrec {version}. Nothing was changed to make this page.</p>
</body></html>
"#,
        caption = escape(&r.caption),
        case = escape(&r.case_number),
        as_of = r.as_of,
        unreviewed = r.unreviewed,
        documents = r.documents,
        window = r.reviewed_in_window,
        pace = r.pace_per_day,
        finish = r
            .projected_finish
            .as_deref()
            .unwrap_or("none (no review in the last 14 days)"),
        burndown = burndown_chart(r),
        categories = category_chart(r),
        produced = r.produced,
        awaiting = r.awaiting_production,
        volumes = r.volumes.len(),
        version = env!("CARGO_PKG_VERSION"),
    )
}
