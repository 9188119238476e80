//! The image cross-reference model every dialect feeds — one line per page
//! image: its key, its file, whether it starts a document, and the
//! document's page count where the dialect gives one — and the Opticon OPT
//! reader: seven comma-separated fields (key, volume, path, document break,
//! folder break, box break, pages). IPRO LFP and Summation DII are read into
//! the same model by [`super::lfp`] and [`super::dii`].

use super::Problem;
use super::text;

/// One page line of an image cross-reference.
///
/// A volume has one a page, all held until the checks run: the line's text
/// is kept once and its key, path and page count are spans of it (or of
/// text after it, for dialects whose key or path is not written as such).
#[derive(Debug, Clone, Default)]
pub struct OptLine {
    /// 1-based line in the file.
    pub line: usize,
    /// The line as written, then any part not found in it.
    text: Box<str>,
    raw_end: u32,
    key: Span,
    path: Span,
    /// The page count a document's first line gives (OPT's 7th field); None
    /// when the dialect or the line has none.
    pages: Option<Span>,
    pub doc_break: bool,
    /// OPT: comma-separated fields on the line; other dialects: 7.
    pub fields: usize,
}

/// Where a part of an [`OptLine`] is in its text.
#[derive(Debug, Clone, Copy, Default)]
struct Span {
    start: u32,
    end: u32,
}

/// The parts of an image line, as a reader found them.
pub struct Parts<'a> {
    pub line: usize,
    pub raw: &'a str,
    pub key: &'a str,
    pub path: &'a str,
    pub doc_break: bool,
    pub pages: Option<&'a str>,
    pub fields: usize,
}

impl OptLine {
    pub fn new(parts: Parts<'_>) -> OptLine {
        let mut text = String::from(parts.raw);
        let raw_end = text.len();
        let mut span = |part: &str| {
            let start = match parts.raw.find(part) {
                Some(at) => at,
                None => {
                    text.push_str(part);
                    text.len() - part.len()
                }
            };
            // A line longer than 4 GB is not an image line; its spans are cut.
            let at = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
            Span {
                start: at(start),
                end: at(start + part.len()),
            }
        };
        let key = span(parts.key);
        let path = span(parts.path);
        let pages = parts.pages.map(&mut span);
        OptLine {
            line: parts.line,
            raw_end: u32::try_from(raw_end).unwrap_or(u32::MAX),
            text: text.into(),
            key,
            path,
            pages,
            doc_break: parts.doc_break,
            fields: parts.fields,
        }
    }

    fn part(&self, span: Span) -> &str {
        self.text
            .get(span.start as usize..span.end as usize)
            .unwrap_or_default()
    }

    pub fn field_count(&self) -> usize {
        self.fields
    }

    /// The line as written, for messages.
    pub fn raw(&self) -> &str {
        self.part(Span {
            start: 0,
            end: self.raw_end,
        })
    }

    pub fn key(&self) -> &str {
        self.part(self.key)
    }

    pub fn path(&self) -> &str {
        self.part(self.path)
    }

    pub fn doc_break(&self) -> bool {
        self.doc_break
    }

    pub fn pages(&self) -> Option<&str> {
        self.pages.map(|span| self.part(span))
    }

    /// The same line with another page count (DII gives it after the line).
    pub fn with_pages(&self, pages: Option<&str>) -> OptLine {
        OptLine::new(Parts {
            line: self.line,
            raw: self.raw(),
            key: self.key(),
            path: self.path(),
            doc_break: self.doc_break,
            pages,
            fields: self.fields,
        })
    }

    /// An OPT line split into its fields.
    fn opticon(line: usize, raw: &str) -> OptLine {
        let fields: Vec<&str> = raw.split(',').map(str::trim).collect();
        let field = |k: usize| fields.get(k).copied().unwrap_or_default();
        OptLine::new(Parts {
            line,
            raw,
            key: field(0),
            path: field(2),
            doc_break: field(3).eq_ignore_ascii_case("Y"),
            pages: (fields.len() == 7).then(|| field(6)),
            fields: fields.len(),
        })
    }
}

/// An image cross-reference read: its dialect, lines, problems and notes.
#[derive(Debug, Clone, Default)]
pub struct Opt {
    /// `Opticon OPT`, `IPRO LFP` or `Summation DII`.
    pub dialect: &'static str,
    pub encoding: String,
    pub lines: Vec<OptLine>,
    pub problems: Vec<Problem>,
    /// What was assumed or skipped, for the volume's notes.
    pub notes: Vec<String>,
    /// Keys of lines that could not be read (a READ_ERROR each): their pages
    /// are not reported again as pages with no line.
    pub unread_keys: Vec<String>,
}

impl Opt {
    /// How the dialect marks a document's first page, for messages.
    pub fn break_mark(&self) -> &'static str {
        match self.dialect {
            "IPRO LFP" => "`D`",
            "Summation DII" => "`@T`",
            _ => "`Y`",
        }
    }

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

/// The non-empty lines of a text load file, decoded, with their numbers
/// (ended by CRLF, LF or a CR alone).
pub fn text_lines(bytes: &[u8]) -> (Vec<(usize, String)>, &'static str, Vec<Problem>) {
    let decoded = text::decode(bytes);
    let body = decoded.text.trim_start_matches('\u{feff}');
    let lines = text::lines(body)
        .enumerate()
        .map(|(i, l)| (i + 1, l))
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(n, l)| (n, l.to_string()))
        .collect();
    (lines, decoded.encoding, decoded.problems)
}

pub fn read(bytes: &[u8]) -> Opt {
    let (lines, encoding, problems) = text_lines(bytes);
    let mut opt = Opt {
        dialect: "Opticon OPT",
        encoding: encoding.into(),
        lines: lines.iter().map(|(n, l)| OptLine::opticon(*n, l)).collect(),
        problems,
        notes: Vec::new(),
        unread_keys: Vec::new(),
    };
    opt.notes.extend(opt.short_note());
    opt
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opticon_lines_of_five_to_seven_fields() {
        let o = read(b"A1,V,IMAGES\\A1.tif,Y,,,2\r\nA2,V,IMAGES\\A2.tif,,\r\n");
        assert_eq!(o.lines[0].pages(), Some("2"));
        // Lines ended by a CR alone read the same.
        let mac = read(b"A1,V,IMAGES\\A1.tif,Y,,,2\rA2,V,IMAGES\\A2.tif,,\r");
        let keys = |o: &Opt| {
            let lines = o.lines.iter();
            lines
                .map(|l| (l.line, l.key().to_string(), l.path().to_string()))
                .collect::<Vec<_>>()
        };
        assert_eq!(keys(&mac), keys(&o));
        assert!(o.lines[0].doc_break());
        assert_eq!(o.lines[1].pages(), None);
        assert_eq!(o.lines[1].field_count(), 5);
        assert_eq!(o.lines[1].path(), "IMAGES\\A2.tif");
        assert_eq!(
            o.notes,
            vec![
                "1 line(s) have 5 fields instead of 7 (first at line 2); the missing fields were read as empty"
            ]
        );
    }
}
