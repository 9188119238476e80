//! The delimited-record parser shared by CSV and DAT: quotes, separators,
//! records over several lines, and broken quotes reported by line and read
//! around. It reads a text whole or in windows of whole lines, with the same
//! result either way.

use super::{Problem, Record};

/// Field separator and text qualifier.
#[derive(Debug, Clone, Copy)]
pub struct Dialect {
    pub sep: char,
    pub quote: Option<char>,
}

/// How records parsed (they were handed on one by one), and what went
/// wrong where.
#[derive(Debug, Default)]
pub struct Parsed {
    /// How many records there were, and the line the last one starts on.
    pub count: usize,
    pub last_line: Option<usize>,
    pub problems: Vec<Problem>,
    /// Whether the last record ends with a line break.
    pub ends_with_newline: bool,
    pub crlf: bool,
    /// Whether any record's line ends with LF (else, without CRLF, a CR
    /// alone).
    pub lf: bool,
}

struct Raw {
    line: usize,
    end_line: usize,
    fields: Vec<String>,
    unterminated: bool,
    stray: bool,
    /// Byte offset just after the record's line break.
    next: usize,
    /// The record ended at a line break, not at the end of the text: in a
    /// window of a longer text, a record that did not may go on in the next.
    ended: bool,
}

#[derive(PartialEq, Eq, Clone, Copy)]
enum State {
    Start,
    Quoted,
    AfterQuote,
}

/// Where `stop` or a line break first occurs in `rest` (its length if
/// neither does). One scan that stops at the first of them, so a file of
/// many lines costs time linear in its length (searching for `stop` alone
/// ran to the end of the file on every blank line).
fn until(rest: &str, stop: char) -> usize {
    if stop.is_ascii() {
        let s = stop as u8;
        return rest
            .bytes()
            .position(|b| b == s || b == b'\n' || b == b'\r')
            .unwrap_or(rest.len());
    }
    rest.find([stop, '\n', '\r']).unwrap_or(rest.len())
}

/// Reads one record from `start`. With `line_only`, a quote still open at
/// the end of the line is closed there (used to salvage a broken line).
/// Runs of ordinary characters are copied whole, not char by char.
fn next_record(text: &str, start: usize, line: usize, d: Dialect, line_only: bool) -> Raw {
    let bytes = text.as_bytes();
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut state = State::Start;
    let (mut end_line, mut unterminated, mut stray) = (line, false, false);
    let mut pos = start;
    let mut next = text.len();
    let mut ended = false;
    let newline_len = |at: usize| {
        if bytes[at] == b'\r' && bytes.get(at + 1) == Some(&b'\n') {
            2
        } else {
            1
        }
    };
    while pos < text.len() {
        let rest = &text[pos..];
        match (state, d.quote) {
            (State::Start, Some(q)) if rest.starts_with(q) => {
                state = State::Quoted;
                pos += q.len_utf8();
            }
            (State::Quoted, Some(q)) => {
                let k = until(rest, q);
                field.push_str(&rest[..k]);
                pos += k;
                if pos >= text.len() {
                    break;
                }
                if bytes[pos] == b'\n' || bytes[pos] == b'\r' {
                    let n = newline_len(pos);
                    if line_only {
                        unterminated = true;
                        next = pos + n;
                        ended = true;
                        break;
                    }
                    field.push_str(&text[pos..pos + n]);
                    pos += n;
                    end_line += 1;
                } else {
                    pos += q.len_utf8();
                    if text[pos..].starts_with(q) {
                        field.push(q);
                        pos += q.len_utf8();
                    } else {
                        state = State::AfterQuote;
                    }
                }
            }
            _ => {
                let k = until(rest, d.sep);
                if state == State::AfterQuote && k > 0 {
                    stray = true;
                }
                field.push_str(&rest[..k]);
                pos += k;
                if pos >= text.len() {
                    break;
                }
                if bytes[pos] == b'\n' || bytes[pos] == b'\r' {
                    next = pos + newline_len(pos);
                    ended = true;
                    break;
                }
                fields.push(std::mem::take(&mut field));
                pos += d.sep.len_utf8();
                state = State::Start;
            }
        }
    }
    if state == State::Quoted {
        unterminated = true;
    }
    fields.push(field);
    Raw {
        line,
        end_line,
        fields,
        unterminated,
        stray,
        next,
        ended,
    }
}

/// How many of a record's fields count against a header of `expected`:
/// empty fields beyond it at the end are harmless (a separator at the
/// line's end).
fn fields_counted(fields: &[String], expected: usize) -> usize {
    let mut n = fields.len();
    while n > expected && fields[n - 1].trim().is_empty() {
        n -= 1;
    }
    n
}

/// Byte offsets where each line starts (index 0 = line 1).
fn line_starts(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    // Only a CR or an LF can end a line: the rule is asked of those alone.
    let breaks = bytes
        .iter()
        .enumerate()
        .filter(|&(_, &b)| b == b'\n' || b == b'\r');
    let ends = breaks.filter(|&(i, _)| super::text::ends_line(bytes, i));
    std::iter::once(0).chain(ends.map(|(i, _)| i + 1)).collect()
}

/// Where a parse of records stands: the whole of a text, or a window of it
/// at a time (each window after the first begins where the last left off).
/// A quoted field that runs over several lines and then either gives a
/// record of the wrong size (once the header's count is known) or is
/// followed by stray text is taken for a broken quote: the line is
/// reported, read on its own, and parsing resumes on the next line.
pub struct Cursor {
    /// The line the next window begins on.
    line: usize,
    /// Once a quote runs to the end of the text, every later record is read
    /// line by line: scanning to the end again from each later quote would
    /// make a file of many broken quotes take quadratic time.
    to_the_end: bool,
    /// The last character seen: whether the text ends with a line break.
    last: Option<char>,
    /// The header's line: records after it are held to `expected`.
    header_line: usize,
    out: Parsed,
}

impl Default for Cursor {
    fn default() -> Cursor {
        Cursor::new()
    }
}

impl Cursor {
    pub fn new() -> Cursor {
        Cursor {
            line: 1,
            to_the_end: false,
            last: None,
            header_line: 0,
            out: Parsed::default(),
        }
    }

    /// A cursor for the records of a table whose header is on `line`.
    fn after_header(line: usize) -> Cursor {
        Cursor {
            header_line: line,
            ..Cursor::new()
        }
    }

    /// Parses the records in `text`, handing each to `sink`, and returns how
    /// many bytes of it were used. `limit` stops after that many records. Unless `last` (the text's end is the
    /// file's), `text` ends with a line break and a record that reaches its
    /// end is left unread, to begin the next window: a window then gives
    /// exactly the records the whole text would.
    pub fn feed(
        &mut self,
        text: &str,
        last: bool,
        d: Dialect,
        expected: Option<usize>,
        limit: Option<usize>,
        sink: &mut dyn FnMut(Record),
    ) -> usize {
        let first_line = self.line;
        let starts = line_starts(text);
        self.out.crlf |= text.contains("\r\n");
        if let Some(c) = text.chars().next_back() {
            self.last = Some(c);
        }
        let out = &mut self.out;
        let mut emit = |out: &mut Parsed, record: Record| {
            out.count += 1;
            out.last_line = Some(record.line);
            sink(record);
        };
        let mut pos = 0usize;
        while pos < text.len() && limit.is_none_or(|l| out.count < l) {
            let line = self.line;
            let raw = next_record(text, pos, line, d, self.to_the_end);
            if !last && !raw.ended {
                break;
            }
            self.to_the_end |= raw.unterminated;
            let spans = raw.end_line > raw.line;
            // Counted as the table counts them: trailing empty fields (a
            // separator at the line's end) are not fields; nor is a line
            // at or above the header held to the header's count.
            let wrong = line > self.header_line
                && expected.is_some_and(|n| fields_counted(&raw.fields, n) != n);
            if raw.unterminated || (spans && (wrong || raw.stray)) {
                let message = if raw.unterminated {
                    format!(
                        "a quoted field opened on line {line} is never closed (a broken quote); the line was read on its own"
                    )
                } else {
                    format!(
                        "a quoted field opened on line {line} runs on to line {} (a broken quote); the line was read on its own",
                        raw.end_line
                    )
                };
                out.problems.push(Problem::line(line, message));
                let alone = next_record(text, pos, line, d, true);
                emit(
                    out,
                    Record {
                        line,
                        cells: alone.fields,
                        malformed: true,
                    },
                );
                pos = starts
                    .get(line + 1 - first_line)
                    .copied()
                    .unwrap_or(text.len());
                self.line += 1;
                continue;
            }
            if raw.stray {
                out.problems.push(Problem::line(line, "text follows a closing quote before the next separator; it was kept as part of the value"));
            }
            let blank = raw.fields.len() == 1 && raw.fields[0].trim().is_empty();
            // How the record's line ends (an LF inside a value is not one).
            if raw.ended {
                out.lf |= text.as_bytes().get(raw.next.wrapping_sub(1)) == Some(&b'\n');
            }
            pos = raw.next;
            self.line = raw.end_line + 1;
            if !blank {
                emit(
                    out,
                    Record {
                        line: raw.line,
                        cells: raw.fields,
                        malformed: raw.stray,
                    },
                );
            }
        }
        pos
    }

    /// What was parsed, with every window fed.
    pub fn finish(self) -> Parsed {
        let mut out = self.out;
        out.ends_with_newline = matches!(self.last, Some('\n' | '\r'));
        out
    }
}

/// A table's header and the line it is on, found among the first records
/// of a window of a text (see [`Cursor::feed`] for `last`): `None` when the
/// window is too short to tell, and must grow.
pub fn table_head_window(
    text: &str,
    d: Dialect,
    last: bool,
) -> Option<Option<(Vec<String>, usize)>> {
    const LOOKED_AT: usize = 12;
    let mut first = Vec::new();
    let mut cursor = Cursor::new();
    cursor.feed(text, last, d, None, Some(LOOKED_AT), &mut |r| first.push(r));
    if first.len() < LOOKED_AT && !last {
        return None;
    }
    let cells: Vec<Vec<String>> = first.iter().map(|r| r.cells.clone()).collect();
    Some(super::header_index(&cells).map(|h| (cells[h].clone(), first[h].line)))
}

/// A table's records after the header, each handed on as it is parsed (the
/// table is not held whole), checked against the header's field count; a
/// window of the text at a time.
pub struct TableRecords {
    d: Dialect,
    fields: usize,
    header_line: usize,
    cursor: Cursor,
    counted: Vec<Problem>,
    count: usize,
    last_line: Option<usize>,
}

impl TableRecords {
    pub fn new(d: Dialect, fields: usize, header_line: usize) -> TableRecords {
        TableRecords {
            d,
            fields,
            header_line,
            cursor: Cursor::after_header(header_line),
            counted: Vec::new(),
            count: 0,
            last_line: None,
        }
    }

    /// Reads the records in a window (see [`Cursor::feed`]); returns how many
    /// of its bytes were used.
    pub fn feed(&mut self, text: &str, last: bool, sink: &mut dyn FnMut(Record)) -> usize {
        let TableRecords {
            d,
            fields,
            header_line,
            cursor,
            counted,
            count,
            last_line,
        } = self;
        let (fields, header_line) = (*fields, *header_line);
        cursor.feed(text, last, *d, Some(fields), None, &mut |mut record| {
            if record.line <= header_line {
                return;
            }
            record.cells.truncate(fields_counted(&record.cells, fields));
            if record.cells.len() != fields && !record.malformed {
                counted.push(Problem::line(
                    record.line,
                    format!("the record has {} fields but the header has {fields}; only its Bates numbers were used", record.cells.len()),
                ));
                record.malformed = true;
            }
            *count += 1;
            *last_line = Some(record.line);
            sink(record);
        })
    }

    pub fn finish(self) -> Parsed {
        let mut parsed = self.cursor.finish();
        // As when the records were checked after parsing: these come after the
        // parser's own problems, then all are sorted by line (stably).
        parsed.problems.extend(self.counted);
        parsed.problems.sort_by_key(|p| p.line);
        parsed.count = self.count;
        parsed.last_line = self.last_line;
        parsed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CSV: Dialect = Dialect {
        sep: ',',
        quote: Some('"'),
    };

    /// A whole text's records, and how they parsed.
    fn parse(text: &str, d: Dialect) -> (Vec<Record>, Parsed) {
        let mut records = Vec::new();
        let mut cursor = Cursor::new();
        cursor.feed(text, true, d, None, None, &mut |r| records.push(r));
        (records, cursor.finish())
    }

    /// A whole text read as a table: its header, records and how they parsed.
    fn table(text: &str, d: Dialect) -> (Vec<String>, Vec<Record>, Parsed) {
        let Some(Some((headers, header_line))) = table_head_window(text, d, true) else {
            return (Vec::new(), Vec::new(), Parsed::default());
        };
        let mut records = Vec::new();
        let mut table = TableRecords::new(d, headers.len(), header_line);
        table.feed(text, true, &mut |r| records.push(r));
        (headers, records, table.finish())
    }

    #[test]
    fn quotes_separators_and_newlines() {
        let (records, p) = parse("a,\"b,c\",\"d\"\"e\"\r\n\"multi\nline\",x,y\r\n", CSV);
        assert_eq!(records.len(), 2);
        assert_eq!(records[0].cells, vec!["a", "b,c", "d\"e"]);
        assert_eq!(records[1].cells, vec!["multi\nline", "x", "y"]);
        assert_eq!(records[1].line, 2);
        assert!(p.problems.is_empty());
        let dat = Dialect {
            sep: '\u{14}',
            quote: Some('þ'),
        };
        let (records, _) = parse("þAþ\u{14}þþ\u{14}þCþ\r\n", dat);
        assert_eq!(records[0].cells, vec!["A", "", "C"]);
    }

    #[test]
    fn broken_quote_is_reported_and_the_rest_still_read() {
        let text = "BEG,END,NAME\n1,1,ok\n2,2,\"broken\n3,3,fine\n4,4,\"also fine\"\n";
        let (headers, records, p) = table(text, CSV);
        assert_eq!(headers, vec!["BEG", "END", "NAME"]);
        assert_eq!(p.problems.len(), 1, "{:?}", p.problems);
        assert_eq!(p.problems[0].line, Some(3));
        let lines: Vec<usize> = records.iter().map(|r| r.line).collect();
        assert_eq!(lines, vec![2, 3, 4, 5]);
        assert!(records[1].malformed);
        assert_eq!(records[1].cells[0], "2");
        assert_eq!(records[2].cells, vec!["3", "3", "fine"]);
    }

    #[test]
    fn wrong_field_counts_are_flagged() {
        let (_, records, p) = table("A,B,C\n1,2,3\n1,2\n1,2,3,\n", CSV);
        assert_eq!(p.problems.len(), 1);
        assert_eq!(p.problems[0].line, Some(3));
        assert!(records[1].malformed && !records[2].malformed);
    }
}
