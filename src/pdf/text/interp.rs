//! The content-stream interpreter: walks a page's operators (and the Form
//! XObjects it draws) and records, in painting order, every glyph with its
//! box and every opaque thing painted: filled paths and images. A stream
//! that stops parsing keeps what was read before the fault and notes it.

use super::font::Font;
use lopdf::content::Content;
use lopdf::{Dictionary, Document, Object, ObjectId};
use std::collections::HashMap;
use std::rc::Rc;

pub use super::page::{Event, Glyph, Matrix, Paint, Pixels, Quad, Recorded, Rgb};

#[derive(Clone)]
struct State {
    ctm: Matrix,
    fill: Rgb,
    /// Fill opacity 1 with Normal blending.
    opaque: bool,
    font: Option<Rc<Font>>,
    size: f32,
    char_space: f32,
    word_space: f32,
    scale: f32,
    leading: f32,
    rise: f32,
    mode: i64,
}

const MAX_DEPTH: usize = 12;
const MAX_GLYPHS: usize = 2_000_000;

pub struct Interpreter<'a> {
    doc: &'a Document,
    fonts: HashMap<ObjectId, Rc<Font>>,
    images: HashMap<ObjectId, Option<Rc<Pixels>>>,
    out: Recorded,
    stack: Vec<ObjectId>,
}

fn f(o: &Object) -> f32 {
    o.as_float().unwrap_or(0.0)
}

fn gray(v: f32) -> [f32; 3] {
    [v, v, v]
}

pub fn cmyk(c: f32, m: f32, y: f32, k: f32) -> [f32; 3] {
    [
        (1.0 - c) * (1.0 - k),
        (1.0 - m) * (1.0 - k),
        (1.0 - y) * (1.0 - k),
    ]
}

fn color_of(ops: &[Object]) -> Rgb {
    let v: Vec<f32> = ops.iter().filter_map(|o| o.as_float().ok()).collect();
    if v.len() != ops.len() {
        return None;
    }
    match v.as_slice() {
        [g] => Some(gray(*g)),
        [r, g, b] => Some([*r, *g, *b]),
        [c, m, y, k] => Some(cmyk(*c, *m, *y, *k)),
        _ => None,
    }
}

impl<'a> Interpreter<'a> {
    pub fn new(doc: &'a Document) -> Self {
        Interpreter {
            doc,
            fonts: HashMap::new(),
            images: HashMap::new(),
            out: Recorded::default(),
            stack: Vec::new(),
        }
    }

    /// Interprets one page (page space = default user space). Fonts and
    /// images read for earlier pages are reused.
    pub fn page(&mut self, page: ObjectId) -> Recorded {
        self.out = Recorded::default();
        self.stack.clear();
        let content = match self.doc.get_page_content_with_limit(page, 256 << 20) {
            Ok(c) => c,
            Err(e) => {
                self.out
                    .problems
                    .push(format!("the page's content cannot be read: {e}"));
                return std::mem::take(&mut self.out);
            }
        };
        let resources = page_resources(self.doc, page);
        let state = State {
            ctm: Matrix::IDENTITY,
            fill: Some(gray(0.0)),
            opaque: true,
            font: None,
            size: 0.0,
            char_space: 0.0,
            word_space: 0.0,
            scale: 1.0,
            leading: 0.0,
            rise: 0.0,
            mode: 0,
        };
        self.run(&content, &resources, state);
        std::mem::take(&mut self.out)
    }

    fn run(&mut self, content: &[u8], res: &Dictionary, start: State) {
        let mut st = start;
        let mut saved: Vec<State> = Vec::new();
        let (mut tm, mut tlm) = (Matrix::IDENTITY, Matrix::IDENTITY);
        let mut path: Vec<(f32, f32)> = Vec::new();
        let mut path_ops = 0usize;
        let mut rect_only = true;
        // The strict reader first (one pass for a sound stream); the lenient
        // one keeps what comes before the fault of a damaged one.
        let (ops, damaged): (Box<dyn Iterator<Item = lopdf::content::Operation>>, bool) =
            match Content::decode_strict(content) {
                Ok(c) => (Box::new(c.operations.into_iter()), false),
                Err(_) => (
                    Box::new(Content::decode_iter(content).map_while(Result::ok)),
                    true,
                ),
            };
        for op in ops {
            let a = &op.operands;
            match op.operator.as_str() {
                "q" => saved.push(st.clone()),
                "Q" => {
                    if let Some(s) = saved.pop() {
                        st = s;
                    }
                }
                "cm" if a.len() == 6 => {
                    let m = Matrix([f(&a[0]), f(&a[1]), f(&a[2]), f(&a[3]), f(&a[4]), f(&a[5])]);
                    st.ctm = m.then(&st.ctm);
                }
                "g" => st.fill = a.first().map(|o| gray(f(o))),
                "rg" => st.fill = color_of(a),
                "k" => st.fill = color_of(a),
                "sc" | "scn" => st.fill = color_of(a),
                "cs" => {
                    st.fill = match a.first().and_then(|o| o.as_name().ok()) {
                        Some(
                            b"DeviceGray" | b"DeviceRGB" | b"DeviceCMYK" | b"CalGray" | b"CalRGB",
                        ) => Some(gray(0.0)),
                        Some(b"Pattern") => None,
                        _ => Some(gray(0.0)),
                    }
                }
                "gs" => {
                    if let Some(gs) = a
                        .first()
                        .and_then(|n| n.as_name().ok())
                        .and_then(|n| sub_dict(self.doc, res, b"ExtGState", n))
                    {
                        self.ext_gstate(gs, &mut st);
                    }
                }
                "BT" => {
                    tm = Matrix::IDENTITY;
                    tlm = Matrix::IDENTITY;
                }
                "Tf" if a.len() == 2 => {
                    st.size = f(&a[1]);
                    st.font = a[0].as_name().ok().and_then(|n| self.font(res, n));
                    if st.font.is_none() {
                        self.note("a font used on the page is missing: its text is skipped");
                    }
                }
                "Tc" => st.char_space = a.first().map_or(0.0, f),
                "Tw" => st.word_space = a.first().map_or(0.0, f),
                "Tz" => st.scale = a.first().map_or(100.0, f) / 100.0,
                "TL" => st.leading = a.first().map_or(0.0, f),
                "Ts" => st.rise = a.first().map_or(0.0, f),
                "Tr" => st.mode = a.first().and_then(|o| o.as_i64().ok()).unwrap_or(0),
                "Td" | "TD" if a.len() == 2 => {
                    let (tx, ty) = (f(&a[0]), f(&a[1]));
                    if op.operator == "TD" {
                        st.leading = -ty;
                    }
                    tlm = Matrix([1.0, 0.0, 0.0, 1.0, tx, ty]).then(&tlm);
                    tm = tlm;
                }
                "Tm" if a.len() == 6 => {
                    tlm = Matrix([f(&a[0]), f(&a[1]), f(&a[2]), f(&a[3]), f(&a[4]), f(&a[5])]);
                    tm = tlm;
                }
                "T*" => {
                    tlm = Matrix([1.0, 0.0, 0.0, 1.0, 0.0, -st.leading]).then(&tlm);
                    tm = tlm;
                }
                "Tj" => {
                    if let Some(Ok(s)) = a.first().map(Object::as_str) {
                        self.show(s, &st, &mut tm);
                    }
                }
                "'" | "\"" => {
                    if op.operator == "\"" && a.len() == 3 {
                        st.word_space = f(&a[0]);
                        st.char_space = f(&a[1]);
                    }
                    tlm = Matrix([1.0, 0.0, 0.0, 1.0, 0.0, -st.leading]).then(&tlm);
                    tm = tlm;
                    if let Some(Ok(s)) = a.last().map(Object::as_str) {
                        self.show(s, &st, &mut tm);
                    }
                }
                "TJ" => {
                    if let Some(Ok(items)) = a.first().map(Object::as_array) {
                        for item in items {
                            match item {
                                Object::String(s, _) => self.show(s, &st, &mut tm),
                                Object::Integer(_) | Object::Real(_) => {
                                    let adj = -f(item) / 1000.0 * st.size;
                                    let vertical = st.font.as_ref().is_some_and(|f| f.vertical);
                                    let (tx, ty) = if vertical {
                                        (0.0, adj)
                                    } else {
                                        (adj * st.scale, 0.0)
                                    };
                                    tm = Matrix([1.0, 0.0, 0.0, 1.0, tx, ty]).then(&tm);
                                }
                                _ => {}
                            }
                        }
                    }
                }
                "m" | "l" if a.len() == 2 => {
                    if op.operator == "m" && path_ops > 0 {
                        // A second subpath: not one simple box.
                        rect_only = false;
                    }
                    path.push(st.ctm.apply(f(&a[0]), f(&a[1])));
                    path_ops += 1;
                }
                "c" | "v" | "y" => {
                    rect_only = false;
                    for pair in a.chunks(2) {
                        if pair.len() == 2 {
                            path.push(st.ctm.apply(f(&pair[0]), f(&pair[1])));
                        }
                    }
                    path_ops += 1;
                }
                "re" if a.len() == 4 => {
                    let (x, y, w, h) = (f(&a[0]), f(&a[1]), f(&a[2]), f(&a[3]));
                    if path_ops > 0 {
                        rect_only = false;
                    }
                    path.extend([
                        st.ctm.apply(x, y),
                        st.ctm.apply(x + w, y),
                        st.ctm.apply(x + w, y + h),
                        st.ctm.apply(x, y + h),
                    ]);
                    path_ops += 1;
                }
                "h" => {}
                "f" | "F" | "f*" | "B" | "B*" | "b" | "b*" | "S" | "s" | "n" => {
                    let fills = !matches!(op.operator.as_str(), "S" | "s" | "n");
                    if fills && st.opaque {
                        self.fill(&path, rect_only, st.fill);
                    }
                    path.clear();
                    path_ops = 0;
                    rect_only = true;
                }
                "Do" => {
                    if let Some(name) = a.first().and_then(|o| o.as_name().ok()) {
                        self.xobject(res, name, &st);
                    }
                }
                // An inline image (`BI … ID … EI`) paints like an image
                // XObject: one black pixel scaled over a line is a box.
                "BI" if st.opaque => {
                    if let Some(Object::Stream(image)) = a.first() {
                        let image = super::image::inline(image);
                        let pixels = super::image::decode(self.doc, &image, st.fill).map(Rc::new);
                        let index = self.out.paints.len();
                        self.out.paints.push(Paint::Image {
                            ctm: st.ctm,
                            pixels,
                        });
                        self.out.order.push(Event::Paint(index));
                    }
                }
                _ => {}
            }
            if self.out.glyphs.len() > MAX_GLYPHS {
                self.note("the page holds too many glyphs: the rest is skipped");
                break;
            }
        }
        if damaged {
            self.note("a content stream is damaged: the text after the fault is missing");
        }
    }

    fn note(&mut self, m: &str) {
        if !self.out.problems.iter().any(|p| p == m) {
            self.out.problems.push(m.to_string());
        }
    }

    fn ext_gstate(&self, gs: &Dictionary, st: &mut State) {
        let alpha = gs.get(b"ca").ok().and_then(|o| o.as_float().ok());
        let blend = gs.get(b"BM").ok().map(|o| match o {
            Object::Name(n) => n == b"Normal" || n == b"Compatible",
            Object::Array(a) => a
                .first()
                .and_then(|x| x.as_name().ok())
                .is_some_and(|n| n == b"Normal" || n == b"Compatible"),
            _ => true,
        });
        if alpha.is_some() || blend.is_some() {
            st.opaque = alpha.unwrap_or(1.0) >= 0.99 && blend.unwrap_or(true);
        }
    }

    fn font(&mut self, res: &Dictionary, name: &[u8]) -> Option<Rc<Font>> {
        let fonts = res.get(b"Font").ok()?;
        let fonts = self.doc.dereference(fonts).ok()?.1.as_dict().ok()?;
        let entry = fonts.get(name).ok()?;
        let id = entry.as_reference().ok();
        if let Some(id) = id
            && let Some(f) = self.fonts.get(&id)
        {
            return Some(f.clone());
        }
        let dict = self.doc.dereference(entry).ok()?.1.as_dict().ok()?;
        let font = Rc::new(Font::load(self.doc, dict));
        if let Some(id) = id {
            self.fonts.insert(id, font.clone());
        }
        Some(font)
    }

    fn show(&mut self, bytes: &[u8], st: &State, tm: &mut Matrix) {
        let Some(font) = st.font.clone() else {
            return;
        };
        let (ya, yd) = font
            .type3_scale
            .map_or((1.0, 1.0), |(_, d)| (d * 1000.0, d * 1000.0));
        // Tm only moves along its own axes while a string is shown: Tm × CTM
        // once, then each glyph's rendering matrix is one product.
        let (start_tm, base) = (*tm, tm.then(&st.ctm));
        let (mut ox, mut oy) = (0.0f32, 0.0f32);
        for code in font.decode(bytes) {
            // Text rendering matrix: size and scale, rise, the advance so far, Tm and CTM.
            let trm = Matrix([st.size * st.scale, 0.0, 0.0, st.size, ox, oy + st.rise]).then(&base);
            let w = code.width;
            let (top, bottom) = (0.78 * ya, -0.2 * yd);
            let quad = [
                trm.apply(0.0, bottom),
                trm.apply(w, bottom),
                trm.apply(w, top),
                trm.apply(0.0, top),
            ];
            let start = trm.apply(0.0, 0.0);
            let end = trm.apply(w.max(0.01), 0.0);
            let up = trm.apply(0.0, 1.0);
            let size = ((up.0 - start.0).powi(2) + (up.1 - start.1).powi(2)).sqrt();
            if !code.text.is_empty() && size.is_finite() && size > 0.0 {
                let index = self.out.glyphs.len();
                self.out.glyphs.push(Glyph {
                    text: code.text,
                    quad,
                    start,
                    end,
                    size,
                    invisible: st.mode == 3 || st.mode == 7,
                    color: st.fill,
                });
                self.out.order.push(Event::Glyph(index));
            }
            let spacing = st.char_space + if code.word_space { st.word_space } else { 0.0 };
            if font.vertical {
                oy += -(w * st.size) + spacing;
            } else {
                ox += (w * st.size + spacing) * st.scale;
            }
        }
        *tm = Matrix([1.0, 0.0, 0.0, 1.0, ox, oy]).then(&start_tm);
    }

    fn fill(&mut self, path: &[(f32, f32)], rect_only: bool, color: Rgb) {
        // Only four-cornered shapes count: curves and polygons (logos, round
        // marks) are never taken for a box.
        let corners: Vec<(f32, f32)> = {
            let mut c: Vec<(f32, f32)> = Vec::new();
            for p in path {
                if c.last()
                    .is_none_or(|l| (l.0 - p.0).abs() > 0.01 || (l.1 - p.1).abs() > 0.01)
                {
                    c.push(*p);
                }
            }
            if c.len() == 5 && (c[0].0 - c[4].0).abs() < 0.01 && (c[0].1 - c[4].1).abs() < 0.01 {
                c.pop();
            }
            c
        };
        if !rect_only || corners.len() != 4 {
            return;
        }
        let quad = [corners[0], corners[1], corners[2], corners[3]];
        let index = self.out.paints.len();
        self.out.paints.push(Paint::Fill { quad, color });
        self.out.order.push(Event::Paint(index));
    }

    fn xobject(&mut self, res: &Dictionary, name: &[u8], st: &State) {
        let Some(entry) = res
            .get(b"XObject")
            .ok()
            .and_then(|o| self.doc.dereference(o).ok())
            .and_then(|(_, o)| o.as_dict().ok())
            .and_then(|d| d.get(name).ok())
        else {
            return;
        };
        let id = entry.as_reference().ok();
        let Ok((_, Object::Stream(stream))) = self.doc.dereference(entry) else {
            return;
        };
        let subtype = stream
            .dict
            .get(b"Subtype")
            .and_then(|o| o.as_name())
            .unwrap_or(b"");
        if subtype == b"Image" {
            if !st.opaque {
                return;
            }
            let pixels = match id {
                Some(id) => match self.images.get(&id) {
                    Some(p) => p.clone(),
                    None => {
                        let p = super::image::decode(self.doc, stream, st.fill).map(Rc::new);
                        self.images.insert(id, p.clone());
                        p
                    }
                },
                None => super::image::decode(self.doc, stream, st.fill).map(Rc::new),
            };
            let index = self.out.paints.len();
            self.out.paints.push(Paint::Image {
                ctm: st.ctm,
                pixels,
            });
            self.out.order.push(Event::Paint(index));
            return;
        }
        if subtype != b"Form" {
            return;
        }
        if self.stack.len() >= MAX_DEPTH || id.is_some_and(|id| self.stack.contains(&id)) {
            self.note("a form nests too deep or draws itself: it was read once");
            return;
        }
        let content = stream
            .decompressed_content()
            .unwrap_or_else(|_| stream.content.clone());
        let matrix = match stream.dict.get(b"Matrix") {
            Ok(Object::Array(m)) if m.len() == 6 => {
                Matrix([f(&m[0]), f(&m[1]), f(&m[2]), f(&m[3]), f(&m[4]), f(&m[5])])
            }
            _ => Matrix::IDENTITY,
        };
        let own = stream
            .dict
            .get(b"Resources")
            .ok()
            .and_then(|o| self.doc.dereference(o).ok())
            .and_then(|(_, o)| o.as_dict().ok())
            .cloned();
        let mut inner = st.clone();
        inner.ctm = matrix.then(&st.ctm);
        self.stack.push(id.unwrap_or((0, 0)));
        self.run(&content, own.as_ref().unwrap_or(res), inner);
        self.stack.pop();
    }
}

fn sub_dict<'d>(
    doc: &'d Document,
    res: &'d Dictionary,
    kind: &[u8],
    name: &[u8],
) -> Option<&'d Dictionary> {
    let group = doc
        .dereference(res.get(kind).ok()?)
        .ok()?
        .1
        .as_dict()
        .ok()?;
    doc.dereference(group.get(name).ok()?)
        .ok()?
        .1
        .as_dict()
        .ok()
}

/// A page's resources, inherited ones merged under its own.
fn page_resources(doc: &Document, page: ObjectId) -> Dictionary {
    let mut out = Dictionary::new();
    if let Ok((own, inherited)) = doc.get_page_resources(page) {
        for id in inherited.iter().rev() {
            if let Ok(d) = doc.get_dictionary(*id) {
                for (k, v) in d.iter() {
                    out.set(k.clone(), v.clone());
                }
            }
        }
        if let Some(d) = own {
            for (k, v) in d.iter() {
                out.set(k.clone(), v.clone());
            }
        }
    }
    out
}
