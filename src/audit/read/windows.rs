//! A text load file read a window of whole lines at a time, so that a large
//! one (a 100,000-row DAT is 45 MB) is never held whole while its rows are
//! made. The file is read twice: first to settle its encoding (UTF-8 only
//! if the whole file is UTF-8, or [mostly](super::text::Utf8::Mostly), as
//! [`super::text::decode`] decides),
//! then to decode it window by window and hash it. A file in UTF-16, or
//! UTF-8 with some bytes that are not, is decoded whole as before: those
//! are rare, and decoding them needs the whole file.

use super::records::{self, Dialect, Parsed, TableRecords};
use super::text::{self, Encoding};
use super::{Problem, Record};
use sha2::{Digest, Sha256};
use std::io::{self, Read, Seek, SeekFrom};

/// How much is read at a time; a window grows past it only for a record
/// longer than it.
pub const PIECE: usize = 1 << 20;

/// The bytes the encoding is judged from, besides their being valid UTF-8.
const HEAD: usize = 2000;

enum How {
    Utf8,
    Cp1252,
    /// Decoded whole; taken by the first window.
    Whole(Option<String>),
}

/// The file's digest and size, from the bytes that were parsed.
#[derive(Debug)]
pub struct Digested {
    pub sha256: [u8; 32],
    pub size: u64,
}

pub struct Windows<R> {
    reader: R,
    /// How much is read at a time ([`PIECE`] but in tests).
    piece: usize,
    how: How,
    /// Bytes read after the last line break, waiting for the rest of their line.
    tail: Vec<u8>,
    /// The file's end has been read.
    last: bool,
    sha: Sha256,
    size: u64,
    /// The size the first pass read: a second that reads another means the
    /// file changed in between.
    first_size: u64,
    /// Line feeds in the file, which the rows' room is counted from: a
    /// record ends at a line break, most often one line feed.
    pub line_feeds: usize,
    pub encoding: &'static str,
    pub problems: Vec<Problem>,
}

fn changed() -> String {
    "the file changed while it was being read; audit it again once it is complete".into()
}

fn cannot_read(e: io::Error) -> String {
    format!("cannot be read: {e}")
}

impl<R: Read + Seek> Windows<R> {
    /// Reads the file once to settle its encoding, and rewinds it. `piece`:
    /// how much to read at a time, [`PIECE`] but in tests.
    pub fn open(mut reader: R, piece: usize) -> Result<Windows<R>, String> {
        let mut head = Vec::with_capacity(HEAD);
        // Room for a piece after the (at most three) bytes of a character
        // cut by the last piece's end, kept at the front to be checked whole.
        let mut buffer = vec![0u8; piece.max(1) + 3];
        let mut cut = 0usize;
        let (mut utf8, mut line_feeds, mut size) = (text::Utf8Count::default(), 0usize, 0u64);
        loop {
            let n = match reader.read(&mut buffer[cut..]) {
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(cannot_read(e)),
            };
            if n == 0 {
                break;
            }
            let bytes = &buffer[cut..cut + n];
            size += n as u64;
            let room = HEAD.saturating_sub(head.len()).min(n);
            head.extend_from_slice(&bytes[..room]);
            line_feeds += bytes.iter().filter(|&&b| b == b'\n').count();
            let checked = cut + n;
            cut = utf8.add(&buffer[..checked]);
            buffer.copy_within(checked - cut..checked, 0);
        }
        let verdict = utf8.verdict(cut);
        let valid = verdict == text::Utf8::Valid;
        let encoding = text::encoding_of(&head, verdict);
        reader.seek(SeekFrom::Start(0)).map_err(cannot_read)?;
        let mut windows = Windows {
            reader,
            piece: piece.max(1),
            how: How::Utf8,
            tail: Vec::new(),
            last: false,
            sha: Sha256::new(),
            size: 0,
            first_size: size,
            line_feeds,
            encoding: encoding.name(),
            problems: Vec::new(),
        };
        match encoding {
            Encoding::Utf8 | Encoding::Utf8Bom if valid => {}
            Encoding::Cp1252 => windows.how = How::Cp1252,
            _ => {
                let mut bytes = Vec::new();
                windows
                    .reader
                    .read_to_end(&mut bytes)
                    .map_err(cannot_read)?;
                windows.sha.update(&bytes);
                windows.size = bytes.len() as u64;
                if windows.size != size {
                    return Err(changed());
                }
                windows.last = true;
                let decoded = text::decode(&bytes);
                windows.encoding = decoded.encoding;
                windows.problems = decoded.problems;
                windows.how = How::Whole(Some(decoded.text.into_owned()));
            }
        }
        Ok(windows)
    }

    /// Whether the text handed out so far ends where the file does.
    pub fn at_end(&self) -> bool {
        self.last && self.tail.is_empty()
    }

    /// How much is read at a time.
    pub fn piece(&self) -> usize {
        self.piece
    }

    /// Appends to `text` at least `want` more bytes of the file (at least a
    /// piece), decoded, and on to the end of a line (or of the file).
    pub fn refill(&mut self, text: &mut String, want: usize) -> Result<(), String> {
        if let How::Whole(whole) = &mut self.how {
            match whole.take() {
                Some(whole) if text.is_empty() => *text = whole,
                Some(whole) => text.push_str(&whole),
                None => {}
            }
            return Ok(());
        }
        let mut read = 0;
        while !self.last {
            let before = self.tail.len();
            let n = (&mut self.reader)
                .take(want.max(self.piece) as u64)
                .read_to_end(&mut self.tail)
                .map_err(cannot_read)?;
            self.sha.update(&self.tail[before..]);
            self.size += n as u64;
            read += n;
            if n == 0 {
                self.last = true;
                if self.size != self.first_size {
                    return Err(changed());
                }
            } else if read >= want && self.tail[before..].contains(&b'\n') {
                break;
            }
        }
        let end = if self.last {
            self.tail.len()
        } else {
            self.tail
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |i| i + 1)
        };
        match self.how {
            How::Utf8 => {
                text.push_str(std::str::from_utf8(&self.tail[..end]).map_err(|_| changed())?)
            }
            _ => text::push_cp1252(&self.tail[..end], text),
        }
        self.tail.drain(..end);
        Ok(())
    }

    /// The digest and size of the bytes read, once the last window is read.
    pub fn finish(self) -> Digested {
        Digested {
            sha256: self.sha.finalize().into(),
            size: self.size,
        }
    }
}

/// What a reader built on windows gives: the table without its records,
/// what `start` made and `push` filled, and the digest of the bytes read.
pub type Reading<S> = Result<(super::Table, S, Digested), String>;

/// A table from bytes with its records collected, by a reader built on
/// windows (`read`: the DAT's or the CSV's `read_from`): for small tables.
pub fn collect<'b>(
    bytes: &'b [u8],
    read: impl FnOnce(
        std::io::Cursor<&'b [u8]>,
        usize,
        fn(&[String], usize) -> Vec<Record>,
        fn(&mut Vec<Record>, Record),
    ) -> Reading<Vec<Record>>,
) -> Result<super::Table, String> {
    let (mut table, records, _) = read(
        std::io::Cursor::new(bytes),
        PIECE,
        |_, _| Vec::new(),
        |records, r| records.push(r),
    )?;
    table.records = records;
    Ok(table)
}

/// A delimited table read a window at a time by [`read_table`].
pub struct TableRead {
    /// The first line that is not blank, which the dialect was chosen from.
    pub first_line: String,
    pub dialect: Dialect,
    pub headers: Vec<String>,
    pub header_line: usize,
    /// How the records parsed (they went to `push`).
    pub parsed: Parsed,
    pub encoding: &'static str,
    /// What the decoding found.
    pub problems: Vec<Problem>,
    pub digested: Digested,
}

/// Reads a delimited table a window of lines at a time, handing each record
/// to `push` as it is parsed, into what `start` makes from the header and
/// the file's count of line feeds: neither the file's bytes nor its cells
/// are held whole. `dialect` chooses the separator and qualifier from the
/// first line that is not blank. `None` when no header is found.
pub fn read_table<S>(
    source: impl Read + Seek,
    piece: usize,
    dialect: impl Fn(&str) -> Dialect,
    start: impl FnOnce(&[String], usize) -> S,
    mut push: impl FnMut(&mut S, Record),
) -> Result<Option<(TableRead, S)>, String> {
    let mut source = Windows::open(source, piece)?;
    let piece = source.piece();
    let mut text = String::new();
    let mut want = piece;
    // The first window holds the first line and the records the header is
    // found among, however long they are.
    let (first_line, d, head) = loop {
        source.refill(&mut text, want)?;
        let bom = text.len() - text.trim_start_matches('\u{feff}').len();
        text.drain(..bom);
        let last = source.at_end();
        match text::lines(&text).find(|l| !l.trim().is_empty()) {
            Some(first) => {
                let d = dialect(first);
                if let Some(head) = records::table_head_window(&text, d, last) {
                    break (first.to_string(), d, head);
                }
            }
            None if last => return Ok(None),
            None => {}
        }
        want = text.len().max(piece);
    };
    let Some((headers, header_line)) = head.filter(|(h, _)| !h.is_empty()) else {
        return Ok(None);
    };
    let mut state = start(&headers, source.line_feeds);
    let mut records = TableRecords::new(d, headers.len(), header_line);
    loop {
        let last = source.at_end();
        let used = records.feed(&text, last, &mut |r| push(&mut state, r));
        if last {
            break;
        }
        text.drain(..used);
        // A record longer than the window: the window grows to hold it.
        let want = if used == 0 {
            text.len().max(piece)
        } else {
            piece
        };
        source.refill(&mut text, want)?;
    }
    let read = TableRead {
        first_line,
        dialect: d,
        headers,
        header_line,
        parsed: records.finish(),
        encoding: source.encoding,
        problems: std::mem::take(&mut source.problems),
        digested: source.finish(),
    };
    Ok(Some((read, state)))
}

/// Test helpers for the readers built on windows.
#[cfg(test)]
pub mod testing {
    use crate::audit::read::Record;

    /// What a reader gives: the table, the line feeds counted and the
    /// records, the digest and size.
    pub type Read = super::Reading<(usize, Vec<Record>)>;

    type Start = fn(&[String], usize) -> (usize, Vec<Record>);
    type Push = fn(&mut (usize, Vec<Record>), Record);

    /// A reader built on windows (a DAT's or a CSV's `read_from`).
    pub type Reader = fn(std::io::Cursor<Vec<u8>>, usize, Start, Push) -> Read;

    /// Reads `bytes` with `reader`, `piece` bytes at a time.
    pub fn read_in(reader: Reader, bytes: &[u8], piece: usize) -> Read {
        let start: Start = |_, line_feeds| (line_feeds, Vec::new());
        reader(
            std::io::Cursor::new(bytes.to_vec()),
            piece,
            start,
            |(_, r), x| r.push(x),
        )
    }

    fn describe(read: Read) -> String {
        match read {
            Ok((table, records, digested)) => format!(
                "{table:?}\n{records:?}\n{:?} {}",
                digested.sha256, digested.size
            ),
            Err(e) => format!("error: {e}"),
        }
    }

    /// A sample file: a head, a filler line and the rest.
    pub type Sample = (&'static [u8], &'static [u8], &'static [u8]);

    /// A sample made whole: the filler line repeated after the head, so that
    /// the rest comes after the records the header is found among, where the
    /// windows are small.
    pub fn padded((head, filler, rest): Sample) -> Vec<u8> {
        [head, &filler.repeat(14), rest].concat()
    }

    /// Random parts after a sample's head and fillers (`after_records`), or
    /// alone.
    pub fn random_file(sample: Sample, after_records: bool, parts: &[&[u8]]) -> Vec<u8> {
        let mut bytes = if after_records {
            padded((sample.0, sample.1, b""))
        } else {
            Vec::new()
        };
        bytes.extend(parts.concat());
        bytes
    }

    /// Reads each sample, padded, in windows of every size from one byte to
    /// the whole file, and fails naming the first that differs.
    pub fn every_window_size(reader: Reader, samples: &[Sample]) {
        for (i, &sample) in samples.iter().enumerate() {
            let bytes = padded(sample);
            if let Err(e) = windows_read_as_whole(reader, &bytes, 1..=bytes.len() + 1) {
                panic!("sample {i}: {e}");
            }
        }
    }

    /// A read in one window (a piece longer than the file) is the file read
    /// whole; reads in windows of each size in `pieces` must give exactly
    /// the same.
    pub fn windows_read_as_whole(
        reader: Reader,
        bytes: &[u8],
        pieces: impl IntoIterator<Item = usize>,
    ) -> Result<(), String> {
        let whole = describe(read_in(reader, bytes, bytes.len() + 1));
        for piece in pieces {
            let got = describe(read_in(reader, bytes, piece));
            if got != whole {
                return Err(format!("pieces of {piece} bytes:\n{got}\nwhole:\n{whole}"));
            }
        }
        Ok(())
    }
}
