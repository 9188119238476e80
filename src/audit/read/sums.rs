//! Checksum lists: `sha256sum`/`md5sum` output (`HEX  path`, `HEX *path`)
//! and the BSD form (`SHA256 (path) = HEX`), either of them escaped as
//! GNU's tools write a name holding `\`, a newline or a CR.

use super::Problem;
use super::windows::{self, Digested, Windows};
use std::borrow::Cow;
use std::io::{Read, Seek};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Algo {
    Sha256,
    Md5,
}

impl Algo {
    /// By digest length: 64 hex digits for SHA-256, 32 for MD5.
    pub fn of(hex: &str) -> Option<Algo> {
        if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        match hex.len() {
            64 => Some(Algo::Sha256),
            32 => Some(Algo::Md5),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Algo::Sha256 => "SHA-256",
            Algo::Md5 => "MD5",
        }
    }
}

/// One line of a checksum list. A list names every file of a volume, so an
/// entry is kept small: the digest as bytes, not as a hex string.
#[derive(Debug, Clone)]
pub struct Entry {
    pub line: usize,
    pub algo: Algo,
    /// The digest's bytes (the first 16 for MD5).
    digest: [u8; 32],
    listed: Listed,
}

/// The file a line names: its path as written until the audit finds the
/// file, then only the file's number (a volume lists every file; the paths
/// of those found are not needed again).
#[derive(Debug, Clone)]
enum Listed {
    Path(Box<str>),
    File(usize),
}

impl Entry {
    /// The path as written, while the line's file is not found (or not yet looked for).
    pub fn unresolved(&self) -> Option<&str> {
        match &self.listed {
            Listed::Path(p) => Some(p),
            Listed::File(_) => None,
        }
    }

    /// The file the line names, once found.
    pub fn file(&self) -> Option<usize> {
        match self.listed {
            Listed::File(f) => Some(f),
            Listed::Path(_) => None,
        }
    }

    /// Looks for the line's file with `find`, given its path.
    pub fn resolve(&mut self, find: impl FnOnce(&str) -> Option<usize>) {
        if let Listed::Path(p) = &self.listed
            && let Some(f) = find(p)
        {
            self.listed = Listed::File(f);
        }
    }

    /// The digest as the list gives it, in lower-case hex.
    pub fn hex(&self) -> String {
        let len = match self.algo {
            Algo::Sha256 => 32,
            Algo::Md5 => 16,
        };
        crate::model::hex(&self.digest[..len])
    }
}

/// The bytes of a hex digest [`Algo::of`] accepted (or any hex digest of
/// up to 64 digits, upper or lower case).
pub fn digest_bytes(hex: &str) -> [u8; 32] {
    let mut out = [0u8; 32];
    let nibble = |b: u8| match b {
        b'0'..=b'9' => b - b'0',
        b'a'..=b'f' => b - b'a' + 10,
        b'A'..=b'F' => b - b'A' + 10,
        _ => 0,
    };
    for (o, pair) in out.iter_mut().zip(hex.as_bytes().chunks(2)) {
        *o = (nibble(pair[0]) << 4) | pair.get(1).map_or(0, |&b| nibble(b));
    }
    out
}

fn parse_line(line: &str) -> Option<(&str, Cow<'_, str>)> {
    // `sha256sum` starts a line with `\` when it escapes the name.
    let (line, escaped) = match line.strip_prefix('\\') {
        Some(rest) => (rest, true),
        None => (line, false),
    };
    let (hex, path) = if let Some(rest) = line
        .strip_prefix("SHA256 (")
        .or_else(|| line.strip_prefix("MD5 ("))
    {
        let (path, hex) = rest.rsplit_once(") = ")?;
        (hex.trim(), path)
    } else {
        let (hex, path) = line.split_once(char::is_whitespace)?;
        let path = path.strip_prefix(' ').unwrap_or(path);
        (hex, path.strip_prefix('*').unwrap_or(path))
    };
    let path = if escaped {
        Cow::Owned(unescape(path)?)
    } else {
        Cow::Borrowed(path)
    };
    Some((hex, path))
}

/// A name as GNU's checksum tools escape it: `\\` for a backslash, `\n`
/// for a newline, `\r` for a CR; any other escape is not theirs.
fn unescape(name: &str) -> Option<String> {
    let mut out = String::with_capacity(name.len());
    let mut chars = name.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        out.push(match chars.next()? {
            '\\' => '\\',
            'n' => '\n',
            'r' => '\r',
            _ => return None,
        });
    }
    Some(out)
}

/// Reads a checksum list from bytes already in memory; no line's file is
/// looked for (see [`read_from`]).
pub fn read(bytes: &[u8]) -> (Vec<Entry>, Vec<Problem>) {
    match read_from(std::io::Cursor::new(bytes), windows::PIECE, |_| None) {
        Ok((entries, problems, _)) => (entries, problems),
        // Bytes in memory neither fail to read nor change while read.
        Err(e) => (Vec::new(), vec![Problem::line(1, e)]),
    }
}

/// Reads a checksum list a window of lines at a time, hashing its bytes as
/// they are read: a volume's list names every file (27 MB at 100,000
/// documents), and neither its bytes nor the paths of the files `find`
/// finds are held whole. `find` looks up the file a line names.
pub fn read_from(
    source: impl Read + Seek,
    piece: usize,
    mut find: impl FnMut(&str) -> Option<usize>,
) -> Result<(Vec<Entry>, Vec<Problem>, Digested), String> {
    let mut source = Windows::open(source, piece)?;
    // One entry a line, made room for at once: grown by doubling, the list
    // of a volume's every file held up to twice its size.
    let mut entries = Vec::with_capacity(source.line_feeds + 1);
    let mut problems = Vec::new();
    let mut text = String::new();
    let mut number = 0usize;
    let mut first = true;
    loop {
        source.refill(&mut text, source.piece())?;
        let window = if first {
            text.trim_start_matches('\u{feff}')
        } else {
            &text
        };
        first = false;
        for line in window.split_inclusive('\n') {
            number += 1;
            let line = line.strip_suffix('\n').unwrap_or(line);
            let line = line.trim_end_matches('\r');
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            match parse_line(line).and_then(|(hex, path)| Some((Algo::of(hex)?, hex, path))) {
                Some((algo, hex, path)) if !path.trim().is_empty() => entries.push(Entry {
                    line: number,
                    algo,
                    digest: digest_bytes(hex),
                    listed: find(&path).map_or_else(|| Listed::Path(path.into()), Listed::File),
                }),
                _ => problems.push(Problem::line(
                    number,
                    "not a checksum line (expected a SHA-256 or MD5 digest, two spaces, and a path)",
                )),
            }
        }
        text.clear();
        if source.at_end() {
            break;
        }
    }
    entries.shrink_to_fit();
    // What decoding found comes first, as it is about the whole file.
    let mut all = std::mem::take(&mut source.problems);
    all.append(&mut problems);
    Ok((entries, all, source.finish()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_escaped_as_sha256sum_escapes_them() {
        let sha = "c".repeat(64);
        // `printf x > 'a\b.pdf'; sha256sum 'a\b.pdf'` and the like.
        let text = format!(
            "\\{sha}  DATA/a\\\\b.pdf\n\\{sha} *NATIVES/two\\nlines.txt\n\\SHA256 (x\\ry.pdf) = {sha}\n\\{sha}  bad\\qescape\n{sha}  plain\\name\n"
        );
        let (entries, problems) = read(text.as_bytes());
        let names: Vec<Option<&str>> = entries.iter().map(Entry::unresolved).collect();
        assert_eq!(
            names,
            [
                Some("DATA/a\\b.pdf"),
                Some("NATIVES/two\nlines.txt"),
                Some("x\ry.pdf"),
                Some("plain\\name"),
            ]
        );
        assert!(entries.iter().all(|e| e.hex() == sha));
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].line, Some(4));
    }

    #[test]
    fn both_forms() {
        let sha = "a".repeat(64);
        let text = format!(
            "{sha}  IMAGES/0001/A.pdf\r\n{sha} *NATIVES/x y.xlsx\nMD5 (DATA/a.dat) = {}\nbogus\n",
            "b".repeat(32)
        );
        let (entries, problems) = read(text.as_bytes());
        assert_eq!(entries.len(), 3);
        assert_eq!(entries[1].unresolved(), Some("NATIVES/x y.xlsx"));
        assert_eq!(entries[2].algo, Algo::Md5);
        assert_eq!(problems[0].line, Some(4));
    }

    /// The lines of a list read a few bytes at a time, and each line's file
    /// as `find` found it.
    fn in_pieces(
        bytes: &[u8],
        piece: usize,
    ) -> Vec<(usize, String, Option<usize>, Option<String>)> {
        let find = |p: &str| p.strip_prefix("found/").map(|rest| rest.len());
        let (entries, problems, digested) =
            read_from(std::io::Cursor::new(bytes), piece, find).unwrap();
        assert_eq!(digested.size, bytes.len() as u64);
        assert_eq!(
            crate::model::hex(&digested.sha256),
            crate::model::hex(&<sha2::Sha256 as sha2::Digest>::digest(bytes))
        );
        let mut out: Vec<_> = entries
            .iter()
            .map(|e| {
                (
                    e.line,
                    e.hex(),
                    e.file(),
                    e.unresolved().map(str::to_string),
                )
            })
            .collect();
        out.extend(
            problems
                .iter()
                .map(|p| (p.line.unwrap_or(0), p.message.clone(), None, None)),
        );
        out
    }

    #[test]
    fn a_list_read_a_window_at_a_time_reads_as_it_does_whole() {
        let sha = "ab".repeat(32);
        let md5 = "CD".repeat(16);
        let text = format!(
            "\u{feff}# made by adrec\r\n{sha}  found/IMAGES/A.pdf\r\n\r\nnot a line\n{sha} *lost/B.txt\nMD5 (found/C) = {md5}\n{sha}  found/last"
        );
        let whole = in_pieces(text.as_bytes(), 1 << 20);
        assert_eq!(whole.len(), 5, "{whole:?}");
        // Found files keep no path; the others keep theirs.
        assert_eq!(whole[0], (2, sha.clone(), Some(12), None));
        assert_eq!(whole[1], (5, sha.clone(), None, Some("lost/B.txt".into())));
        assert_eq!(whole[2], (6, md5.to_ascii_lowercase(), Some(1), None));
        assert_eq!(whole[3], (7, sha.clone(), Some(4), None));
        assert_eq!(whole[4].0, 4);
        for piece in [1, 2, 7, 64] {
            assert_eq!(in_pieces(text.as_bytes(), piece), whole, "piece {piece}");
        }
        // The same list in UTF-16 (decoded whole) reads the same.
        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend(
            text.trim_start_matches('\u{feff}')
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        );
        assert_eq!(in_pieces(&utf16, 5), whole);
    }

    #[test]
    fn digests_read_back_in_lower_case() {
        let sha = "0123456789abcdefABCDEF".repeat(3)[..64].to_string();
        let text = format!(
            "{sha}  a
MD5 (b) = {}
",
            "F0".repeat(16)
        );
        let (entries, _) = read(text.as_bytes());
        assert_eq!(entries[0].hex(), sha.to_ascii_lowercase());
        assert_eq!(entries[1].hex(), "f0".repeat(16));
    }
}
