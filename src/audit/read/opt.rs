//! Opticon OPT image load files: one line per page, seven comma-separated
//! fields (key, volume, path, document break, folder break, box break, pages).

use super::Problem;
use super::text;

/// One line of an OPT, kept whole; fields are split on demand.
#[derive(Debug, Clone)]
pub struct OptLine {
    pub line: usize,
    pub raw: String,
}

impl OptLine {
    pub fn field(&self, k: usize) -> &str {
        self.raw.split(',').nth(k).map_or("", str::trim)
    }

    pub fn field_count(&self) -> usize {
        self.raw.split(',').count()
    }

    pub fn key(&self) -> &str {
        self.field(0)
    }

    pub fn path(&self) -> &str {
        self.field(2)
    }

    pub fn doc_break(&self) -> bool {
        self.field(3).eq_ignore_ascii_case("Y")
    }

    pub fn pages(&self) -> &str {
        self.field(6)
    }
}

impl Opt {
    /// Lines with 5 or 6 fields, read with the missing fields empty: a note
    /// (`7 line(s) have 5 fields instead of 7 (first at line 1)`), not a
    /// finding per line.
    pub fn short_note(&self) -> Option<String> {
        let short: Vec<&OptLine> = self
            .lines
            .iter()
            .filter(|l| matches!(l.field_count(), 5 | 6))
            .collect();
        let first = short.first()?;
        let mut counts: Vec<usize> = short.iter().map(|l| l.field_count()).collect();
        counts.sort_unstable();
        counts.dedup();
        let counts = counts
            .iter()
            .map(usize::to_string)
            .collect::<Vec<_>>()
            .join(" or ");
        Some(format!(
            "{} line(s) have {counts} fields instead of 7 (first at line {}); the missing fields were read as empty",
            short.len(),
            first.line
        ))
    }
}

#[derive(Debug, Clone, Default)]
pub struct Opt {
    pub encoding: String,
    pub lines: Vec<OptLine>,
    pub problems: Vec<Problem>,
}

pub fn read(bytes: &[u8]) -> Opt {
    let decoded = text::decode(bytes);
    let body = decoded.text.trim_start_matches('\u{feff}');
    let lines = body
        .split('\n')
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim_end_matches('\r')))
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(line, l)| OptLine {
            line,
            raw: l.to_string(),
        })
        .collect();
    Opt {
        encoding: decoded.encoding.into(),
        lines,
        problems: decoded.problems,
    }
}
