//! Text load files: the encoding (UTF-8 with or without BOM, UTF-16 with
//! BOM, Windows-1252), and one delimited-record parser shared by CSV and DAT
//! that survives broken quotes and says on which line they are.

use super::{Problem, Record};

/// Decoded text and the encoding found. UTF-8 is borrowed from the bytes
/// read, not copied: a volume's DAT and checksum list are tens of MB each.
pub struct Decoded<'a> {
    pub text: std::borrow::Cow<'a, str>,
    pub encoding: &'static str,
    pub problems: Vec<Problem>,
}

/// Windows-1252 bytes 0x80–0x9F; the five undefined bytes map to the C1
/// control of the same value, as browsers do.
const CP1252_HIGH: [char; 32] = [
    '\u{20AC}', '\u{81}', '\u{201A}', '\u{192}', '\u{201E}', '\u{2026}', '\u{2020}', '\u{2021}',
    '\u{2C6}', '\u{2030}', '\u{160}', '\u{2039}', '\u{152}', '\u{8D}', '\u{17D}', '\u{8F}',
    '\u{90}', '\u{2018}', '\u{2019}', '\u{201C}', '\u{201D}', '\u{2022}', '\u{2013}', '\u{2014}',
    '\u{2DC}', '\u{2122}', '\u{161}', '\u{203A}', '\u{153}', '\u{9D}', '\u{17E}', '\u{178}',
];

pub fn cp1252(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|&b| {
            if (0x80..0xA0).contains(&b) {
                CP1252_HIGH[(b - 0x80) as usize]
            } else {
                b as char
            }
        })
        .collect()
}

/// The 1-based line holding byte `offset`.
fn line_of(bytes: &[u8], offset: usize) -> usize {
    1 + bytes[..offset.min(bytes.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
}

fn utf16(bytes: &[u8], little: bool, encoding: &'static str) -> Decoded<'static> {
    let mut problems = Vec::new();
    if bytes.len() % 2 == 1 {
        problems.push(Problem::file(
            "the file has an odd number of bytes, so its last byte is not UTF-16; it was ignored",
        ));
    }
    let units = bytes.chunks_exact(2).map(|p| {
        if little {
            u16::from_le_bytes([p[0], p[1]])
        } else {
            u16::from_be_bytes([p[0], p[1]])
        }
    });
    let mut text = String::with_capacity(bytes.len() / 2);
    let mut bad = 0usize;
    for c in char::decode_utf16(units) {
        match c {
            Ok(c) => text.push(c),
            Err(_) => {
                bad += 1;
                text.push('\u{FFFD}');
            }
        }
    }
    if bad > 0 {
        problems.push(Problem::file(format!(
            "{bad} UTF-16 code unit(s) are unpaired surrogates and were replaced"
        )));
    }
    Decoded {
        text: text.into(),
        encoding,
        problems,
    }
}

/// Finds the encoding from the byte-order mark, else UTF-8 if the bytes are
/// valid UTF-8, else UTF-16 if every other byte is zero, else Windows-1252.
pub fn decode(bytes: &[u8]) -> Decoded<'_> {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return match std::str::from_utf8(rest) {
            Ok(text) => Decoded {
                text: text.into(),
                encoding: "UTF-8 with BOM",
                problems: Vec::new(),
            },
            Err(e) => {
                let line = line_of(rest, e.valid_up_to());
                Decoded {
                    text: String::from_utf8_lossy(rest),
                    encoding: "UTF-8 with BOM",
                    problems: vec![Problem::line(
                        line,
                        "bytes that are not UTF-8 follow a UTF-8 byte-order mark; they were replaced with U+FFFD (was the file re-saved in another encoding?)",
                    )],
                }
            }
        };
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return utf16(rest, true, "UTF-16LE with BOM");
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return utf16(rest, false, "UTF-16BE with BOM");
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Decoded {
            text: text.into(),
            encoding: "UTF-8 (no BOM)",
            problems: Vec::new(),
        };
    }
    let head = &bytes[..bytes.len().min(2000)];
    let zeros_odd = head.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
    let zeros_even = head.iter().step_by(2).filter(|&&b| b == 0).count();
    let half = head.len() / 2;
    if half > 4 && zeros_odd * 10 > half * 4 {
        let mut d = utf16(bytes, true, "UTF-16LE (no BOM)");
        d.problems.push(Problem::file(
            "UTF-16 without a byte-order mark: most loaders cannot detect it; add a BOM",
        ));
        return d;
    }
    if half > 4 && zeros_even * 10 > half * 4 {
        let mut d = utf16(bytes, false, "UTF-16BE (no BOM)");
        d.problems.push(Problem::file(
            "UTF-16 without a byte-order mark: most loaders cannot detect it; add a BOM",
        ));
        return d;
    }
    Decoded {
        text: cp1252(bytes).into(),
        encoding: "Windows-1252",
        problems: Vec::new(),
    }
}

/// Field separator and text qualifier.
#[derive(Debug, Clone, Copy)]
pub struct Dialect {
    pub sep: char,
    pub quote: Option<char>,
}

/// Parsed records, and what went wrong where.
#[derive(Debug, Default)]
pub struct Parsed {
    /// The records, unless they were handed on one by one as parsed.
    pub records: Vec<Record>,
    /// How many records there were, and the line the last one starts on.
    pub count: usize,
    pub last_line: Option<usize>,
    pub problems: Vec<Problem>,
    /// Whether the last record ends with a line break.
    pub ends_with_newline: bool,
    pub crlf: bool,
}

struct Raw {
    line: usize,
    end_line: usize,
    fields: Vec<String>,
    unterminated: bool,
    stray: bool,
    /// Byte offset just after the record's line break.
    next: usize,
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
    }
}

/// Byte offsets where each line starts (index 0 = line 1).
fn line_starts(text: &str) -> Vec<usize> {
    let mut starts = vec![0];
    let bytes = text.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')) {
            starts.push(i + 1);
        }
    }
    starts
}

/// Parses records. A quoted field that runs over several lines and then
/// either gives a record of the wrong size (once the header's count is
/// known) or is followed by stray text is taken for a broken quote: the line is reported, read on its own,
/// and parsing resumes on the next line. `limit` stops after that many records.
pub fn parse(text: &str, d: Dialect, expected: Option<usize>, limit: Option<usize>) -> Parsed {
    let mut records = Vec::new();
    let mut out = parse_into(text, d, expected, limit, &mut |r| records.push(r));
    out.records = records;
    out
}

/// [`parse`], handing each record to `sink` as it is read instead of
/// collecting them (the returned records are empty).
fn parse_into(
    text: &str,
    d: Dialect,
    expected: Option<usize>,
    limit: Option<usize>,
    sink: &mut dyn FnMut(Record),
) -> Parsed {
    let starts = line_starts(text);
    let mut out = Parsed {
        crlf: text.contains("\r\n"),
        ..Default::default()
    };
    let (mut pos, mut line) = (0usize, 1usize);
    // Once a quote runs to the end of the file, every later record is read
    // line by line: scanning to the end again from each later quote would
    // make a file of many broken quotes take quadratic time.
    let mut to_the_end = false;
    let mut emit = |out: &mut Parsed, record: Record| {
        out.count += 1;
        out.last_line = Some(record.line);
        sink(record);
    };
    while pos < text.len() && limit.is_none_or(|l| out.count < l) {
        let raw = next_record(text, pos, line, d, to_the_end);
        to_the_end |= raw.unterminated;
        let spans = raw.end_line > raw.line;
        let wrong = expected.is_some_and(|n| raw.fields.len() != n);
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
                &mut out,
                Record {
                    line,
                    cells: alone.fields,
                    malformed: true,
                },
            );
            pos = starts.get(line).copied().unwrap_or(text.len());
            line += 1;
            continue;
        }
        if raw.stray {
            out.problems.push(Problem::line(line, "text follows a closing quote before the next separator; it was kept as part of the value"));
        }
        let blank = raw.fields.len() == 1 && raw.fields[0].trim().is_empty();
        pos = raw.next;
        line = raw.end_line + 1;
        if !blank {
            emit(
                &mut out,
                Record {
                    line: raw.line,
                    cells: raw.fields,
                    malformed: raw.stray,
                },
            );
        }
    }
    out.ends_with_newline = text.ends_with('\n') || text.ends_with('\r');
    out
}

/// Reads a delimited table: finds the header among the first records, then
/// parses everything against the header's field count and flags records of
/// another size.
pub fn table(text: &str, d: Dialect) -> (Vec<String>, usize, Parsed) {
    let Some((headers, header_line)) = table_head(text, d) else {
        return (Vec::new(), 0, Parsed::default());
    };
    let mut records = Vec::new();
    let mut parsed = table_records(text, d, &headers, header_line, &mut |r| records.push(r));
    parsed.records = records;
    (headers, header_line, parsed)
}

/// A table's header and the line it is on, found among the first records.
pub fn table_head(text: &str, d: Dialect) -> Option<(Vec<String>, usize)> {
    let first = parse(text, d, None, Some(12));
    let cells: Vec<Vec<String>> = first.records.iter().map(|r| r.cells.clone()).collect();
    let h = super::header_index(&cells)?;
    Some((cells[h].clone(), first.records[h].line))
}

/// The records after the header, each handed to `sink` as it is parsed
/// (the table is not held whole), checked against the header's field count.
pub fn table_records(
    text: &str,
    d: Dialect,
    headers: &[String],
    header_line: usize,
    sink: &mut dyn FnMut(Record),
) -> Parsed {
    let mut counted = Vec::new();
    let (mut count, mut last_line) = (0, None);
    let mut parsed = parse_into(text, d, Some(headers.len()), None, &mut |mut record| {
        if record.line <= header_line {
            return;
        }
        // Trailing empty fields beyond the header are harmless (a separator at line end).
        while record.cells.len() > headers.len()
            && record.cells.last().is_some_and(|c| c.trim().is_empty())
        {
            record.cells.pop();
        }
        if record.cells.len() != headers.len() && !record.malformed {
            counted.push(Problem::line(
                record.line,
                format!("the record has {} fields but the header has {}; only its Bates numbers were used", record.cells.len(), headers.len()),
            ));
            record.malformed = true;
        }
        count += 1;
        last_line = Some(record.line);
        sink(record);
    });
    // As when the records were checked after parsing: these come after the
    // parser's own problems, then all are sorted by line (stably).
    parsed.problems.extend(counted);
    parsed.problems.sort_by_key(|p| p.line);
    parsed.count = count;
    parsed.last_line = last_line;
    parsed
}

#[cfg(test)]
mod tests {
    use super::*;

    const CSV: Dialect = Dialect {
        sep: ',',
        quote: Some('"'),
    };

    #[test]
    fn encodings_are_detected() {
        assert_eq!(decode(b"\xEF\xBB\xBFabc").encoding, "UTF-8 with BOM");
        assert_eq!(decode("é".as_bytes()).encoding, "UTF-8 (no BOM)");
        let d = decode(b"\xFEBEGBATES\xFE\x14\xFEcaf\xE9 \x93q\x94\xFE");
        assert_eq!(d.encoding, "Windows-1252");
        assert_eq!(d.text, "þBEGBATESþ\u{14}þcafé “q”þ");
        let d = decode(b"\xFF\xFEa\x00\xFE\x00");
        assert_eq!((d.encoding, &*d.text), ("UTF-16LE with BOM", "aþ"));
        let d = decode(b"\xFE\xFF\x00a\x00\xFE");
        assert_eq!((d.encoding, &*d.text), ("UTF-16BE with BOM", "aþ"));
        let d = decode(b"\xEF\xBB\xBFok\nbad\xFF");
        assert_eq!(d.problems[0].line, Some(2));
    }

    #[test]
    fn quotes_separators_and_newlines() {
        let p = parse(
            "a,\"b,c\",\"d\"\"e\"\r\n\"multi\nline\",x,y\r\n",
            CSV,
            None,
            None,
        );
        assert_eq!(p.records.len(), 2);
        assert_eq!(p.records[0].cells, vec!["a", "b,c", "d\"e"]);
        assert_eq!(p.records[1].cells, vec!["multi\nline", "x", "y"]);
        assert_eq!(p.records[1].line, 2);
        assert!(p.problems.is_empty());
        let dat = Dialect {
            sep: '\u{14}',
            quote: Some('þ'),
        };
        let p = parse("þAþ\u{14}þþ\u{14}þCþ\r\n", dat, None, None);
        assert_eq!(p.records[0].cells, vec!["A", "", "C"]);
    }

    #[test]
    fn broken_quote_is_reported_and_the_rest_still_read() {
        let text = "BEG,END,NAME\n1,1,ok\n2,2,\"broken\n3,3,fine\n4,4,\"also fine\"\n";
        let (headers, _, p) = table(text, CSV);
        assert_eq!(headers, vec!["BEG", "END", "NAME"]);
        assert_eq!(p.problems.len(), 1, "{:?}", p.problems);
        assert_eq!(p.problems[0].line, Some(3));
        let lines: Vec<usize> = p.records.iter().map(|r| r.line).collect();
        assert_eq!(lines, vec![2, 3, 4, 5]);
        assert!(p.records[1].malformed);
        assert_eq!(p.records[1].cells[0], "2");
        assert_eq!(p.records[2].cells, vec!["3", "3", "fine"]);
    }

    #[test]
    fn wrong_field_counts_are_flagged() {
        let (_, _, p) = table("A,B,C\n1,2,3\n1,2\n1,2,3,\n", CSV);
        assert_eq!(p.problems.len(), 1);
        assert_eq!(p.problems[0].line, Some(3));
        assert!(p.records[1].malformed && !p.records[2].malformed);
    }
}
