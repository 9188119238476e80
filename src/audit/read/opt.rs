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
