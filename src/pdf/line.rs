//! Text laid out in a volume's [`Fonts`]: a [`Line`] of glyph runs, put
//! together from prepared texts and characters, wrapped at a width, and
//! shown with the content-stream operators a page or slip sheet draws.

use super::embed::Fonts;
use std::borrow::Cow;

/// A text laid out: glyph runs in visual order, left to right.
#[derive(Debug, Clone, Default)]
pub struct Line {
    /// (embedded face, CIDs) runs.
    pub runs: Vec<(usize, Vec<u16>)>,
    /// Width in 1/1000 em.
    pub units: u32,
}

impl Line {
    /// Width at `size` points.
    pub fn width(&self, size: f32) -> f32 {
        self.units as f32 * size / 1000.0
    }
}

impl Fonts {
    /// The laid-out form of a text given to [`FontSet::prepare`](super::font::FontSet::prepare).
    /// An ASCII text not prepared whole (a Bates number) is put together
    /// from its prepared characters: a volume of 200,000 pages shapes a
    /// dozen characters, not 200,000 numbers.
    pub fn line(&self, text: &str) -> Result<Cow<'_, Line>, super::PdfError> {
        let unprepared = || {
            super::PdfError::Font(format!(
                "the text {text:?} was not prepared for this volume"
            ))
        };
        if let Some(line) = self.lines.get(text) {
            return Ok(Cow::Borrowed(line));
        }
        if !text.is_ascii() {
            return Err(unprepared());
        }
        let mut line = Line::default();
        for c in text.chars() {
            let part = self
                .ascii
                .get(c as usize)
                .and_then(Option::as_ref)
                .ok_or_else(unprepared)?;
            line.units += part.units;
            for (face, cids) in &part.runs {
                match line.runs.last_mut() {
                    Some((f, run)) if f == face => run.extend_from_slice(cids),
                    _ => {
                        let mut run = Vec::with_capacity(text.len());
                        run.extend_from_slice(cids);
                        line.runs.push((*face, run));
                    }
                }
            }
        }
        Ok(Cow::Owned(line))
    }

    /// `line` broken into lines no wider than `max_width` at `size`, between glyphs.
    pub fn wrap(&self, line: &Line, max_width: f32, size: f32) -> Vec<Line> {
        let max_units = (max_width * 1000.0 / size.max(0.1)) as u32;
        let mut out = Vec::new();
        let mut current = Line::default();
        for (face, cids) in &line.runs {
            for cid in cids {
                let w = self
                    .faces
                    .get(*face)
                    .and_then(|f| f.widths.get(usize::from(*cid)))
                    .map_or(0, |w| u32::from(*w));
                if current.units + w > max_units && current.units > 0 {
                    out.push(std::mem::take(&mut current));
                }
                current.units += w;
                match current.runs.last_mut() {
                    Some((f, c)) if f == face => c.push(*cid),
                    _ => {
                        let mut run = Vec::with_capacity(cids.len());
                        run.push(*cid);
                        current.runs.push((*face, run));
                    }
                }
            }
        }
        out.push(current);
        out
    }

    /// The show-text operators for `line` at `size` (inside BT … ET).
    pub fn show(line: &Line, size: f32) -> Vec<u8> {
        let glyphs: usize = line.runs.iter().map(|(_, cids)| cids.len()).sum();
        let mut out = Vec::with_capacity(32 * line.runs.len() + 4 * glyphs);
        for (face, cids) in &line.runs {
            let mut op = format!("/{} ", Fonts::key(*face));
            super::decimal::fixed(size, 2, &mut op);
            op.push_str(" Tf <");
            out.extend_from_slice(op.as_bytes());
            const HEX: &[u8; 16] = b"0123456789ABCDEF";
            for cid in cids {
                out.extend([12, 8, 4, 0].map(|shift| HEX[usize::from((cid >> shift) & 0xF)]));
            }
            out.extend_from_slice(b"> Tj\n");
        }
        out
    }
}
