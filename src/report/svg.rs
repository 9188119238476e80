//! Hand-written inline SVG charts: deterministic, no assets, no scripts.

use crate::audit::finding::CategoryCount;

pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        format!("{}…", text.chars().take(max - 1).collect::<String>())
    }
}

/// Colours of Produced, Redacted and Withheld.
pub const COLOURS: [&str; 3] = ["#2f6fb0", "#e0a526", "#b23b3b"];

/// Horizontal stacked bars, one per category: Produced, Redacted, Withheld.
pub fn category_bars(counts: &[CategoryCount]) -> String {
    let (label_w, bar_w, row_h, top) = (300.0, 380.0, 26.0, 40.0);
    let width = label_w + bar_w + 70.0;
    let height = top + row_h * counts.len().max(1) as f64 + 10.0;
    let max = counts
        .iter()
        .map(CategoryCount::total)
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" aria-label=\"Documents per category by treatment\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"sans-serif\" font-size=\"12\">\n"
    );
    s.push_str("<title>Documents per category: produced, redacted and withheld</title>\n");
    for (i, (label, colour)) in ["Produced", "Redacted", "Withheld"]
        .iter()
        .zip(COLOURS)
        .enumerate()
    {
        let x = label_w + i as f64 * 110.0;
        s.push_str(&format!(
            "<rect class=\"legend\" x=\"{x}\" y=\"10\" width=\"12\" height=\"12\" fill=\"{colour}\"/><text x=\"{}\" y=\"20\">{label}</text>\n",
            x + 16.0
        ));
    }
    if counts.is_empty() {
        s.push_str(&format!("<text x=\"10\" y=\"{}\">No categories: the index has no category column and none were given.</text>\n", top + 16.0));
    }
    for (i, c) in counts.iter().enumerate() {
        let y = top + i as f64 * row_h;
        s.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\n",
            label_w - 8.0,
            y + 15.0,
            escape(&truncate(&c.label(), 44))
        ));
        let mut x = label_w;
        for (n, (kind, colour)) in [c.produced, c.redacted, c.withheld].into_iter().zip(
            ["produced", "redacted", "withheld"]
                .into_iter()
                .zip(COLOURS),
        ) {
            if n == 0 {
                continue;
            }
            let w = (n as f64 / max * bar_w).max(2.0);
            s.push_str(&format!(
                "<rect class=\"bar {kind}\" x=\"{x:.1}\" y=\"{}\" width=\"{w:.1}\" height=\"{}\" fill=\"{colour}\"><title>{}: {n} {kind}</title></rect>\n",
                y + 3.0,
                row_h - 8.0,
                escape(&c.label())
            ));
            x += w;
        }
        s.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{}\">{}</text>\n",
            x + 6.0,
            y + 15.0,
            c.total()
        ));
    }
    s.push_str("</svg>");
    s
}
