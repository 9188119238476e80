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

#[derive(Debug, Clone)]
pub struct Entry {
    pub line: usize,
    pub algo: Algo,
    pub hex: String,
    pub path: String,
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
    let mut entries = Vec::new();
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
                hex: hex.to_ascii_lowercase(),
                path,
            }),
            _ => problems.push(Problem::line(
                i + 1,
                "not a checksum line (expected a SHA-256 or MD5 digest, two spaces, and a path)",
            )),
        }
    }
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
        assert_eq!(entries[1].path, "NATIVES/x y.xlsx");
        assert_eq!(entries[2].algo, Algo::Md5);
        assert_eq!(problems[0].line, Some(4));
    }
}
