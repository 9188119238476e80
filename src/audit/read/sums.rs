//! Checksum lists: `sha256sum`/`md5sum` output (`HEX  path`, `HEX *path`)
//! and the BSD form (`SHA256 (path) = HEX`).

use super::Problem;
use super::text;

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

fn parse_line(line: &str) -> Option<(String, String)> {
    if let Some(rest) = line
        .strip_prefix("SHA256 (")
        .or_else(|| line.strip_prefix("MD5 ("))
    {
        let (path, hex) = rest.rsplit_once(") = ")?;
        return Some((hex.trim().to_string(), path.to_string()));
    }
    let (hex, path) = line.split_once(char::is_whitespace)?;
    let path = path.strip_prefix(' ').unwrap_or(path);
    let path = path.strip_prefix('*').unwrap_or(path);
    Some((hex.to_string(), path.to_string()))
}

pub fn read(bytes: &[u8]) -> (Vec<Entry>, Vec<Problem>) {
    let decoded = text::decode(bytes);
    let mut problems = decoded.problems;
    // One entry a line, made room for at once: grown by doubling, the list
    // of a volume's every file held up to twice its size.
    let lines = decoded.text.bytes().filter(|&b| b == b'\n').count() + 1;
    let mut entries = Vec::with_capacity(lines);
    for (i, line) in decoded
        .text
        .trim_start_matches('\u{feff}')
        .split('\n')
        .enumerate()
    {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        match parse_line(line).and_then(|(hex, path)| Algo::of(&hex).map(|a| (a, hex, path))) {
            Some((algo, hex, path)) if !path.trim().is_empty() => entries.push(Entry {
                line: i + 1,
                algo,
                digest: digest_bytes(&hex),
                listed: Listed::Path(path.into()),
            }),
            _ => problems.push(Problem::line(
                i + 1,
                "not a checksum line (expected a SHA-256 or MD5 digest, two spaces, and a path)",
            )),
        }
    }
    entries.shrink_to_fit();
    (entries, problems)
}

#[cfg(test)]
mod tests {
    use super::*;

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
