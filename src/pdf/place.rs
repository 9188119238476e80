//! Where a stamp goes on a page: the box a reader sees, upright as the
//! reader sees it; the type size from that box (10 pt on Letter, scaled with
//! the shorter side, 6–36 pt); and, for a page too small for a legible stamp
//! or when asked, a white strip added below the visible box that carries it.

use super::embed::{Fonts, Line};
use lopdf::{Dictionary, Object};

/// Pages under this many points on a side (2 inches) get a strip.
const SMALL: f32 = 144.0;

pub fn number(o: &Object) -> Option<f32> {
    match o {
        Object::Integer(i) => Some(*i as f32),
        Object::Real(r) => Some(*r),
        _ => None,
    }
}

pub fn rect(o: Option<&Object>) -> Option<[f32; 4]> {
    let a = o?.as_array().ok()?;
    if a.len() != 4 {
        return None;
    }
    let v: Vec<f32> = a.iter().filter_map(number).collect();
    (v.len() == 4 && v.iter().all(|x| x.is_finite())).then(|| {
        [
            v[0].min(v[2]),
            v[1].min(v[3]),
            v[0].max(v[2]),
            v[1].max(v[3]),
        ]
    })
}

pub fn media_box(page: &Dictionary) -> [f32; 4] {
    rect(page.get(b"MediaBox").ok())
        .filter(|b| b[2] > b[0] && b[3] > b[1])
        .unwrap_or([0.0, 0.0, 612.0, 792.0])
}

/// The box a reader sees: CropBox within MediaBox.
pub fn visible_box(page: &Dictionary) -> [f32; 4] {
    let media = media_box(page);
    match rect(page.get(b"CropBox").ok()) {
        Some(c) => {
            let b = [
                c[0].max(media[0]),
                c[1].max(media[1]),
                c[2].min(media[2]),
                c[3].min(media[3]),
            ];
            if b[2] > b[0] && b[3] > b[1] { b } else { media }
        }
        None => media,
    }
}

/// The matrix from "reader's view" coordinates (origin bottom left of what
/// the reader sees, upright) to page space, and the view's width and height.
pub fn view_matrix(b: [f32; 4], rotate: i64) -> ([f32; 6], f32, f32) {
    let [x0, y0, x1, y1] = b;
    let (w, h) = (x1 - x0, y1 - y0);
    match rotate.rem_euclid(360) {
        90 => ([0.0, 1.0, -1.0, 0.0, x1, y0], h, w),
        180 => ([-1.0, 0.0, 0.0, -1.0, x1, y1], w, h),
        270 => ([0.0, -1.0, 1.0, 0.0, x0, y1], h, w),
        _ => ([1.0, 0.0, 0.0, 1.0, x0, y0], w, h),
    }
}

fn apply(m: [f32; 6], u: f32, v: f32) -> (f32, f32) {
    (m[0] * u + m[2] * v + m[4], m[1] * u + m[3] * v + m[5])
}

/// The stamp type size for a view of `w` × `h` points.
pub fn type_size(w: f32, h: f32) -> f32 {
    (10.0 * w.min(h) / 612.0).clamp(6.0, 36.0)
}

/// A stamp placed on one page.
pub struct Placed {
    /// The stamp's content stream.
    pub content: Vec<u8>,
    /// The page's new visible box when a strip was added.
    pub new_box: Option<[f32; 4]>,
}

/// Places the legend (left) and Bates number (right) at the bottom of the
/// view, or in a strip added below it.
pub fn place(
    visible: [f32; 4],
    rotate: i64,
    bates: &Line,
    legend: Option<&Line>,
    strip: bool,
) -> Placed {
    let (m, w, h) = view_matrix(visible, rotate);
    let size = type_size(w, h);
    let texts = |s: f32| bates.width(s) + legend.map_or(0.0, |l| l.width(s));
    let margin = (w * 0.06).min(36.0);
    let use_strip = strip || w < SMALL || h < SMALL || texts(size) + 3.0 * margin > w;
    let mut out = format!(
        "q\n{} {} {} {} {} {} cm\n",
        fmt(m[0]),
        fmt(m[1]),
        fmt(m[2]),
        fmt(m[3]),
        fmt(m[4]),
        fmt(m[5])
    )
    .into_bytes();
    let (left, right, baseline, new_box) = if use_strip {
        let pad = size * 0.6;
        let sh = size * 2.0;
        let sw = w.max(texts(size) + 3.0 * pad);
        out.extend(format!("1 g\n0 {} {} {} re\nf\n", fmt(-sh), fmt(sw), fmt(sh)).into_bytes());
        let corners = [(0.0, -sh), (sw, -sh), (0.0, h), (sw, h)].map(|(u, v)| apply(m, u, v));
        let b = corners
            .iter()
            .fold([f32::MAX, f32::MAX, f32::MIN, f32::MIN], |b, &(x, y)| {
                [b[0].min(x), b[1].min(y), b[2].max(x), b[3].max(y)]
            });
        (pad, sw - pad, -sh + size * 0.7, Some(b.map(round3)))
    } else {
        let baseline = (h * 0.025).clamp(2.0, 18.0);
        (margin, w - margin, baseline, None)
    };
    out.extend_from_slice(b"BT\n0 g\n");
    if let Some(legend) = legend.filter(|l| !l.runs.is_empty()) {
        out.extend(format!("1 0 0 1 {} {} Tm\n", fmt(left), fmt(baseline)).into_bytes());
        out.extend(Fonts::show(legend, size));
    }
    let x = right - bates.width(size);
    out.extend(format!("1 0 0 1 {} {} Tm\n", fmt(x), fmt(baseline)).into_bytes());
    out.extend(Fonts::show(bates, size));
    out.extend_from_slice(b"ET\nQ\n");
    Placed {
        content: out,
        new_box,
    }
}

fn round3(v: f32) -> f32 {
    (v * 1000.0).round() / 1000.0
}

pub fn fmt(v: f32) -> String {
    let mut s = String::with_capacity(12);
    super::decimal::fixed(v, 3, &mut s);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn view_corners_map_inside_the_box_for_every_rotation() {
        let b = [100.0, 50.0, 712.0, 842.0];
        for r in [0, 90, 180, 270, -90, 450] {
            let (m, w, h) = view_matrix(b, r);
            for (u, v) in [(0.0, 0.0), (w, 0.0), (0.0, h), (w, h)] {
                let (x, y) = apply(m, u, v);
                assert!(
                    (b[0] - 0.01..=b[2] + 0.01).contains(&x)
                        && (b[1] - 0.01..=b[3] + 0.01).contains(&y),
                    "r={r} ({u},{v}) -> ({x},{y})"
                );
            }
        }
        // Rotated 90° clockwise for display: the view's bottom-left is the page's bottom-right.
        let (m, _, _) = view_matrix([0.0, 0.0, 612.0, 792.0], 90);
        assert_eq!(apply(m, 0.0, 0.0), (612.0, 0.0));
    }

    #[test]
    fn sizes_follow_the_shorter_side_within_limits() {
        assert!((type_size(612.0, 792.0) - 10.0).abs() < 0.01);
        assert_eq!(type_size(4.0, 4.0), 6.0);
        assert_eq!(type_size(14_400.0, 14_400.0), 36.0);
    }

    #[test]
    fn small_pages_grow_a_strip_below_the_view() {
        let line = Line {
            runs: vec![(0, vec![1, 2, 3])],
            units: 3000,
        };
        for r in [0, 90, 180, 270] {
            let p = place([0.0, 0.0, 4.0, 4.0], r, &line, None, false);
            let b = p.new_box.expect("strip");
            assert!(b[2] - b[0] >= 4.0 && b[3] - b[1] >= 4.0, "{r}: {b:?}");
            assert!((b[2] - b[0]) * (b[3] - b[1]) > 16.0 * 4.0, "{r}: {b:?}");
        }
        assert!(
            place([0.0, 0.0, 612.0, 792.0], 0, &line, None, false)
                .new_box
                .is_none()
        );
    }
}
