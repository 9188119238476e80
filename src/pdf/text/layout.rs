//! Reading order by position: the page turned upright as the reader sees it
//! (`/Rotate`), glyphs grouped by writing direction, lines from baselines
//! (top to bottom), words from the gaps between glyphs (left to right).

use super::interp::Glyph;

/// A glyph placed in the upright view: its direction bucket (degrees),
/// position along the line and across it.
struct Placed<'a> {
    glyph: &'a Glyph,
    angle: i32,
    u0: f32,
    u1: f32,
    v: f32,
    size: f32,
}

/// Page space → upright view for a page rotated `rotate` degrees clockwise.
fn view(rotate: i64, (x, y): (f32, f32)) -> (f32, f32) {
    match rotate.rem_euclid(360) {
        90 => (y, -x),
        180 => (-x, -y),
        270 => (-y, x),
        _ => (x, y),
    }
}

fn expand_ligatures(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '\u{FB00}' => out.push_str("ff"),
            '\u{FB01}' => out.push_str("fi"),
            '\u{FB02}' => out.push_str("fl"),
            '\u{FB03}' => out.push_str("ffi"),
            '\u{FB04}' => out.push_str("ffl"),
            '\u{FB05}' | '\u{FB06}' => out.push_str("st"),
            '\r' | '\n' | '\u{0C}' | '\u{0B}' => out.push(' '),
            c if c.is_control() && c != '\t' => {}
            c => out.push(c),
        }
    }
}

/// The page's text: lines separated by `\n`, no trailing newline.
pub fn page_text(glyphs: &[&Glyph], rotate: i64) -> String {
    let mut placed: Vec<Placed<'_>> = glyphs
        .iter()
        .filter_map(|g| {
            let s = view(rotate, g.start);
            let e = view(rotate, g.end);
            let (dx, dy) = (e.0 - s.0, e.1 - s.1);
            if !(dx.is_finite() && dy.is_finite()) {
                return None;
            }
            // Near-axis text snaps to the axis (the usual case needs no
            // trigonometry); other angles in 5° steps.
            let (angle, sin, cos) = if dx > 0.0 && dy.abs() < 0.17 * dx {
                (0, 0.0, 1.0)
            } else {
                let mut deg = dy.atan2(dx).to_degrees();
                let snapped = (deg / 90.0).round() * 90.0;
                deg = if (deg - snapped).abs() < 10.0 {
                    snapped
                } else {
                    (deg / 5.0).round() * 5.0
                };
                let angle = (deg as i32).rem_euclid(360);
                let (sin, cos) = (angle as f32).to_radians().sin_cos();
                (angle, sin, cos)
            };
            let along = |p: (f32, f32)| p.0 * cos + p.1 * sin;
            let across = |p: (f32, f32)| -p.0 * sin + p.1 * cos;
            Some(Placed {
                glyph: g,
                angle,
                u0: along(s),
                u1: along(e),
                v: across(s),
                size: g.size,
            })
        })
        .collect();
    placed.sort_by(|a, b| {
        a.angle
            .cmp(&b.angle)
            .then(b.v.total_cmp(&a.v))
            .then(a.u0.total_cmp(&b.u0))
    });
    // Lines: same direction, baselines within half the larger size.
    let mut lines: Vec<Vec<&Placed<'_>>> = Vec::new();
    for p in &placed {
        if let Some(line) = lines.last_mut()
            && let Some(first) = line.first()
            && first.angle == p.angle
            && (first.v - p.v).abs() < 0.5 * first.size.max(p.size)
        {
            line.push(p);
            continue;
        }
        lines.push(vec![p]);
    }
    let mut out = String::new();
    let mut previous: Option<(i32, f32, f32)> = None;
    for line in &mut lines {
        line.sort_by(|a, b| a.u0.total_cmp(&b.u0));
        let (angle, v, size) = (line[0].angle, line[0].v, line[0].size);
        if let Some((pa, pv, ps)) = previous {
            out.push('\n');
            if pa == angle && pv - v > 2.2 * ps.max(size) {
                out.push('\n');
            }
        }
        previous = Some((angle, v, size));
        let mut text = String::new();
        let mut last: Option<&Placed<'_>> = None;
        for p in line.iter() {
            let blank = p.glyph.text.trim().is_empty();
            if let Some(l) = last {
                // Fake bold: the same glyph drawn again almost in place.
                if l.glyph.text == p.glyph.text && (p.u0 - l.u0).abs() < 0.15 * p.size {
                    continue;
                }
                let gap = p.u0 - l.u1;
                let ends_blank = text.ends_with(' ') || text.is_empty();
                if !blank && !ends_blank && gap > 0.15 * p.size.min(l.size).max(0.01) {
                    text.push(' ');
                }
            }
            if blank {
                if !text.is_empty() && !text.ends_with(' ') {
                    text.push(' ');
                }
            } else {
                expand_ligatures(&p.glyph.text, &mut text);
            }
            last = Some(p);
        }
        out.push_str(text.trim_end());
    }
    out
}
