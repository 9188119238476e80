//! Opticon OPT image load files: one line per page, seven comma-separated
//! fields (key, volume, path, document break, folder break, box break, pages).

use super::Problem;
use super::text;

#[derive(Debug, Clone)]
pub struct OptLine {
    pub line: usize,
    pub fields: Vec<String>,
}

impl OptLine {
    pub fn key(&self) -> &str {
        self.fields.first().map_or("", |f| f.trim())
    }

    pub fn path(&self) -> &str {
        self.fields.get(2).map_or("", |f| f.trim())
    }

    pub fn doc_break(&self) -> bool {
        self.fields
            .get(3)
            .is_some_and(|f| f.trim().eq_ignore_ascii_case("Y"))
    }

    pub fn pages(&self) -> &str {
        self.fields.get(6).map_or("", |f| f.trim())
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
            fields: l.split(',').map(str::to_string).collect(),
        })
        .collect();
    Opt {
        encoding: decoded.encoding.into(),
        lines,
        problems: decoded.problems,
    }
}
