//! What the interpreter records on a page, in page space (default user
//! space): glyphs with their boxes, and the opaque things painted, in
//! painting order; and the matrix arithmetic they share.

use std::rc::Rc;

/// An affine matrix `[a b c d e f]` as PDF writes it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Matrix(pub [f32; 6]);

impl Matrix {
    pub const IDENTITY: Matrix = Matrix([1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);

    /// `self` then `then`.
    pub fn then(&self, then: &Matrix) -> Matrix {
        let [a, b, c, d, e, f] = self.0;
        let [a2, b2, c2, d2, e2, f2] = then.0;
        Matrix([
            a * a2 + b * c2,
            a * b2 + b * d2,
            c * a2 + d * c2,
            c * b2 + d * d2,
            e * a2 + f * c2 + e2,
            e * b2 + f * d2 + f2,
        ])
    }

    pub fn apply(&self, x: f32, y: f32) -> (f32, f32) {
        let [a, b, c, d, e, f] = self.0;
        (a * x + c * y + e, b * x + d * y + f)
    }

    pub fn invert(&self) -> Option<Matrix> {
        let [a, b, c, d, e, f] = self.0;
        let det = a * d - b * c;
        if det.abs() < 1e-9 || !det.is_finite() {
            return None;
        }
        let (ia, ib, ic, id) = (d / det, -b / det, -c / det, a / det);
        Some(Matrix([
            ia,
            ib,
            ic,
            id,
            -(e * ia + f * ic),
            -(e * ib + f * id),
        ]))
    }
}

/// A fill colour as RGB in 0..1, or unknown (patterns, separations).
pub type Rgb = Option<[f32; 3]>;

/// A quadrilateral in page space, corners in order.
pub type Quad = [(f32, f32); 4];

/// One shown glyph.
#[derive(Debug, Clone)]
pub struct Glyph {
    pub text: Rc<str>,
    /// Glyph box (advance × 1 em of body) in page space.
    pub quad: Quad,
    /// Baseline start and end in page space.
    pub start: (f32, f32),
    pub end: (f32, f32),
    /// Effective size (em height) in page space.
    pub size: f32,
    /// Render mode 3 or 7: never painted.
    pub invisible: bool,
    pub color: Rgb,
}

/// Something painted that may hide what is under it.
#[derive(Debug, Clone)]
pub enum Paint {
    /// An opaque filled rectangle (or four-sided path).
    Fill { quad: Quad, color: Rgb },
    /// An opaque image drawn over `quad`, with its pixels when they could be
    /// decoded (`None`: treated as varied).
    Image {
        ctm: Matrix,
        pixels: Option<Rc<Pixels>>,
    },
}

/// Decoded image samples, as RGB bytes.
#[derive(Debug)]
pub struct Pixels {
    pub width: usize,
    pub height: usize,
    pub rgb: Vec<[u8; 3]>,
}

/// Painting order: glyph `i` or paint `j`.
#[derive(Debug, Clone, Copy)]
pub enum Event {
    Glyph(usize),
    Paint(usize),
}

/// Everything recorded on one page.
#[derive(Debug, Default)]
pub struct Recorded {
    pub glyphs: Vec<Glyph>,
    pub paints: Vec<Paint>,
    pub order: Vec<Event>,
    pub problems: Vec<String>,
}
