//! Covered text: glyphs still in the file but hidden by what is painted over
//! them (the failed redaction). A glyph is covered when at least 80% of its
//! box lies under opaque four-sided fills painted after it (any colour but a
//! light tint, which is a highlight; white-out counts), or under images
//! painted after it that are one colour where they cover it; or when it is
//! painted on top of a fill of its own colour. Light tints (luminance 0.75
//! and up, white excepted) are highlights. Invisible text (OCR layers) under
//! a varied picture, or under blank paper of its own scan, is not covered;
//! a box over it, or a dark burnt-in bar, is.

use super::interp::{Event, Glyph, Paint, Quad, Recorded, Rgb};

const GRID: usize = 5;
const NEEDED: usize = 20; // 80% of 25 samples

fn bbox(q: &Quad) -> [f32; 4] {
    let xs = q.map(|p| p.0);
    let ys = q.map(|p| p.1);
    [
        xs.iter().copied().fold(f32::INFINITY, f32::min),
        ys.iter().copied().fold(f32::INFINITY, f32::min),
        xs.iter().copied().fold(f32::NEG_INFINITY, f32::max),
        ys.iter().copied().fold(f32::NEG_INFINITY, f32::max),
    ]
}

fn overlaps(a: &[f32; 4], b: &[f32; 4]) -> bool {
    a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3]
}

/// Sample points spread over the glyph box.
fn samples(q: &Quad) -> Vec<(f32, f32)> {
    let mut out = Vec::with_capacity(GRID * GRID);
    for i in 0..GRID {
        for j in 0..GRID {
            let (s, t) = (
                (i as f32 + 0.5) / GRID as f32,
                (j as f32 + 0.5) / GRID as f32,
            );
            // Bilinear over corners 0-1 (bottom edge) and 3-2 (top edge).
            let bottom = lerp(q[0], q[1], s);
            let top = lerp(q[3], q[2], s);
            out.push(lerp(bottom, top, t));
        }
    }
    out
}

fn lerp(a: (f32, f32), b: (f32, f32), t: f32) -> (f32, f32) {
    (a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t)
}

/// Inside a convex quadrilateral (either winding), edges included.
fn inside(q: &Quad, p: (f32, f32)) -> bool {
    let mut sign = 0.0f32;
    for k in 0..4 {
        let (a, b) = (q[k], q[(k + 1) % 4]);
        let cross = (b.0 - a.0) * (p.1 - a.1) - (b.1 - a.1) * (p.0 - a.0);
        if cross.abs() < 1e-4 {
            continue;
        }
        if sign == 0.0 {
            sign = cross.signum();
        } else if cross.signum() != sign {
            return false;
        }
    }
    true
}

fn same(a: [f32; 3], b: [f32; 3]) -> bool {
    a.iter().zip(b).all(|(x, y)| (x - y).abs() < 0.06)
}

/// A light tint that is not white: a highlight or shading, not a cover.
fn light_tint(c: Rgb) -> bool {
    c.is_some_and(|c| luminance(c) >= 0.75 && !c.iter().all(|v| *v >= 0.95))
}

fn luminance(c: [f32; 3]) -> f32 {
    0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]
}

/// For each sample, whether the paint covers it and with what colour.
fn under(paint: &Paint, pts: &[(f32, f32)]) -> Vec<Option<Option<[u8; 3]>>> {
    match paint {
        Paint::Fill { quad, color } => pts
            .iter()
            .map(|p| inside(quad, *p).then(|| color.map(|c| c.map(|v| (v * 255.0).round() as u8))))
            .collect(),
        Paint::Image { ctm, pixels } => {
            let inv = ctm.invert();
            pts.iter()
                .map(|p| {
                    let (u, v) = inv?.apply(p.0, p.1);
                    if !(-0.001..=1.001).contains(&u) || !(-0.001..=1.001).contains(&v) {
                        return None;
                    }
                    Some(pixels.as_ref().map(|px| {
                        let x = ((u * px.width as f32) as usize).min(px.width - 1);
                        let y = (((1.0 - v) * px.height as f32) as usize).min(px.height - 1);
                        px.rgb[y * px.width + x]
                    }))
                })
                .collect()
        }
    }
}

fn paint_box(p: &Paint) -> [f32; 4] {
    match p {
        Paint::Fill { quad, .. } => bbox(quad),
        Paint::Image { ctm, .. } => bbox(&[
            ctm.apply(0.0, 0.0),
            ctm.apply(1.0, 0.0),
            ctm.apply(1.0, 1.0),
            ctm.apply(0.0, 1.0),
        ]),
    }
}

/// Whether each glyph of the page is covered.
pub fn covered(rec: &Recorded) -> Vec<bool> {
    let mut result = vec![false; rec.glyphs.len()];
    if rec.paints.is_empty() {
        return result;
    }
    let boxes: Vec<[f32; 4]> = rec.paints.iter().map(paint_box).collect();
    // Position of each glyph and paint in painting order.
    let mut glyph_at = vec![0usize; rec.glyphs.len()];
    let mut paint_at = vec![0usize; rec.paints.len()];
    for (pos, e) in rec.order.iter().enumerate() {
        match e {
            Event::Glyph(i) => glyph_at[*i] = pos,
            Event::Paint(j) => paint_at[*j] = pos,
        }
    }
    for (i, g) in rec.glyphs.iter().enumerate() {
        if g.text.trim().is_empty() {
            continue;
        }
        let gb = bbox(&g.quad);
        let pts = samples(&g.quad);
        let mut hidden = vec![false; pts.len()];
        let mut below: Option<Rgb> = None;
        for (j, paint) in rec.paints.iter().enumerate() {
            if !overlaps(&gb, &boxes[j]) {
                continue;
            }
            let after = paint_at[j] > glyph_at[i];
            if after
                && let Paint::Fill { color, .. } = paint
                && light_tint(*color)
            {
                continue;
            }
            let hits = under(paint, &pts);
            let covering: Vec<Option<[u8; 3]>> = hits.iter().flatten().copied().collect();
            if after {
                match paint {
                    Paint::Fill { .. } => {
                        for (h, s) in hits.iter().zip(hidden.iter_mut()) {
                            *s |= h.is_some();
                        }
                    }
                    Paint::Image { .. } => {
                        // Counts only where the picture is one colour over the glyph;
                        // over an invisible OCR layer, only a dark one (a burnt-in
                        // box), never blank paper of the scan itself.
                        let uniform = covering.first().is_some_and(|f| {
                            f.is_some_and(|c| {
                                !g.invisible || luminance(c.map(|v| f32::from(v) / 255.0)) < 0.5
                            }) && covering.iter().all(|c| *c == *f)
                        });
                        if uniform {
                            for (h, s) in hits.iter().zip(hidden.iter_mut()) {
                                *s |= h.is_some();
                            }
                        }
                    }
                }
            } else if covering.len() >= NEEDED {
                // The last thing painted under the glyph (before it) wins.
                let first = covering[0];
                let color = if covering.iter().all(|c| *c == first) {
                    first.map(|c| c.map(|v| f32::from(v) / 255.0))
                } else {
                    None
                };
                below = Some(color);
            }
        }
        let own_colour =
            !g.invisible && matches!((below, g.color), (Some(Some(b)), Some(c)) if same(b, c));
        result[i] = own_colour || hidden.iter().filter(|h| **h).count() >= NEEDED;
    }
    result
}

/// Covered characters (not blanks) on a page.
pub fn covered_chars(glyphs: &[Glyph], covered: &[bool]) -> usize {
    glyphs
        .iter()
        .zip(covered)
        .filter(|(_, c)| **c)
        .map(|(g, _)| g.text.chars().filter(|c| !c.is_whitespace()).count())
        .sum()
}
