//! CMaps as PDFs embed them: ToUnicode (`bfchar`, `bfrange`) and encoding
//! CMaps of Type0 fonts (`cidchar`, `cidrange`), with their code space so a
//! string splits into codes of the right length. A CMap that does not parse
//! keeps what was read before the fault.

use std::collections::HashMap;

/// One code-space range: codes of `len` bytes from `lo` to `hi`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeRange {
    pub len: usize,
    pub lo: u32,
    pub hi: u32,
}

/// A parsed CMap: code space, code → Unicode text, code → CID.
#[derive(Debug, Default, Clone)]
pub struct CMap {
    pub space: Vec<CodeRange>,
    chars: HashMap<u32, String>,
    /// (lo, hi, first destination as UTF-16 code units)
    ranges: Vec<(u32, u32, Vec<u16>)>,
    cids: HashMap<u32, u32>,
    cid_ranges: Vec<(u32, u32, u32)>,
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Hex(Vec<u8>),
    Int(i64),
    Name(String),
    Word(String),
    Open,
    Close,
}

fn tokens(data: &[u8]) -> Vec<Tok> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < data.len() {
        let c = data[i];
        match c {
            b'%' => {
                while i < data.len() && data[i] != b'\n' && data[i] != b'\r' {
                    i += 1;
                }
            }
            b'<' if data.get(i + 1) == Some(&b'<') => i += 2,
            b'>' if data.get(i + 1) == Some(&b'>') => i += 2,
            b'<' => {
                let start = i + 1;
                let mut j = start;
                while j < data.len() && data[j] != b'>' {
                    j += 1;
                }
                let digits: Vec<u8> = data[start..j]
                    .iter()
                    .filter(|b| b.is_ascii_hexdigit())
                    .copied()
                    .collect();
                let mut bytes = Vec::with_capacity(digits.len() / 2 + 1);
                for pair in digits.chunks(2) {
                    let hi = hex(pair[0]);
                    let lo = pair.get(1).map_or(0, |&b| hex(b));
                    bytes.push(hi << 4 | lo);
                }
                out.push(Tok::Hex(bytes));
                i = j + 1;
            }
            b'[' => {
                out.push(Tok::Open);
                i += 1;
            }
            b']' => {
                out.push(Tok::Close);
                i += 1;
            }
            b'(' => {
                // Literal strings (CMapName and the like) are skipped whole.
                let mut depth = 0;
                while i < data.len() {
                    match data[i] {
                        b'\\' => i += 1,
                        b'(' => depth += 1,
                        b')' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
                i += 1;
            }
            _ if c.is_ascii_whitespace() || c == 0 => i += 1,
            _ => {
                let start = i;
                i += 1;
                while i < data.len()
                    && !data[i].is_ascii_whitespace()
                    && !b"<>[]()/%".contains(&data[i])
                {
                    i += 1;
                }
                let word = String::from_utf8_lossy(&data[start..i]).into_owned();
                if let Some(name) = word.strip_prefix('/') {
                    out.push(Tok::Name(name.to_string()));
                } else if let Ok(n) = word.parse::<i64>() {
                    out.push(Tok::Int(n));
                } else {
                    out.push(Tok::Word(word));
                }
            }
        }
    }
    out
}

fn hex(b: u8) -> u8 {
    match b {
        b'0'..=b'9' => b - b'0',
        b'a'..=b'f' => b - b'a' + 10,
        b'A'..=b'F' => b - b'A' + 10,
        _ => 0,
    }
}

fn code(bytes: &[u8]) -> u32 {
    bytes
        .iter()
        .take(4)
        .fold(0u32, |acc, &b| (acc << 8) | u32::from(b))
}

fn utf16(bytes: &[u8]) -> Vec<u16> {
    bytes
        .chunks(2)
        .map(|p| (u16::from(p[0]) << 8) | u16::from(*p.get(1).unwrap_or(&0)))
        .collect()
}

/// Text of UTF-16 code units; a lone byte string of one byte is taken as is.
fn text_of(units: &[u16]) -> String {
    String::from_utf16_lossy(units)
        .chars()
        .filter(|c| *c != '\0')
        .collect()
}

impl CMap {
    pub fn parse(data: &[u8]) -> CMap {
        let toks = tokens(data);
        let mut map = CMap::default();
        let mut i = 0;
        while i < toks.len() {
            let Tok::Word(w) = &toks[i] else {
                i += 1;
                continue;
            };
            i += 1;
            match w.as_str() {
                "begincodespacerange" => {
                    while let (Some(Tok::Hex(lo)), Some(Tok::Hex(hi))) =
                        (toks.get(i), toks.get(i + 1))
                    {
                        if !lo.is_empty() && lo.len() <= 4 {
                            map.space.push(CodeRange {
                                len: lo.len(),
                                lo: code(lo),
                                hi: code(hi),
                            });
                        }
                        i += 2;
                    }
                }
                "beginbfchar" => {
                    while let (Some(Tok::Hex(src)), Some(dst)) = (toks.get(i), toks.get(i + 1)) {
                        match dst {
                            Tok::Hex(d) => {
                                map.chars.insert(code(src), text_of(&utf16(d)));
                            }
                            Tok::Name(n) => {
                                if let Some(c) = super::font::glyph_char(n) {
                                    map.chars.insert(code(src), c.to_string());
                                }
                            }
                            _ => break,
                        }
                        i += 2;
                    }
                }
                "beginbfrange" => {
                    while let (Some(Tok::Hex(lo)), Some(Tok::Hex(hi))) =
                        (toks.get(i), toks.get(i + 1))
                    {
                        let (lo, hi) = (code(lo), code(hi));
                        i += 2;
                        match toks.get(i) {
                            Some(Tok::Hex(d)) => {
                                if hi >= lo {
                                    map.ranges.push((lo, hi, utf16(d)));
                                }
                                i += 1;
                            }
                            Some(Tok::Open) => {
                                i += 1;
                                let mut c = lo;
                                while let Some(Tok::Hex(d)) = toks.get(i) {
                                    map.chars.insert(c, text_of(&utf16(d)));
                                    c = c.saturating_add(1);
                                    i += 1;
                                }
                                if toks.get(i) == Some(&Tok::Close) {
                                    i += 1;
                                }
                            }
                            _ => break,
                        }
                    }
                }
                "begincidchar" => {
                    while let (Some(Tok::Hex(src)), Some(Tok::Int(cid))) =
                        (toks.get(i), toks.get(i + 1))
                    {
                        map.cids.insert(code(src), u32::try_from(*cid).unwrap_or(0));
                        i += 2;
                    }
                }
                "begincidrange" => {
                    while let (Some(Tok::Hex(lo)), Some(Tok::Hex(hi)), Some(Tok::Int(cid))) =
                        (toks.get(i), toks.get(i + 1), toks.get(i + 2))
                    {
                        map.cid_ranges
                            .push((code(lo), code(hi), u32::try_from(*cid).unwrap_or(0)));
                        i += 3;
                    }
                }
                _ => {}
            }
        }
        map
    }

    /// Splits `bytes` into codes by the code space: (code, byte length).
    /// Without a code space every code is `default_len` bytes.
    pub fn split(space: &[CodeRange], bytes: &[u8], default_len: usize) -> Vec<(u32, usize)> {
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            let mut len = 0;
            for n in 1..=4usize {
                if i + n > bytes.len() {
                    break;
                }
                let c = code(&bytes[i..i + n]);
                if space.iter().any(|r| r.len == n && c >= r.lo && c <= r.hi) {
                    len = n;
                    break;
                }
            }
            if len == 0 {
                len = if space.is_empty() {
                    default_len
                } else {
                    // A code outside every range: the shortest length in use.
                    space.iter().map(|r| r.len).min().unwrap_or(default_len)
                };
            }
            let len = len.clamp(1, bytes.len() - i);
            out.push((code(&bytes[i..i + len]), len));
            i += len;
        }
        out
    }

    /// The Unicode text of `code`, when the CMap gives one.
    pub fn unicode(&self, code: u32) -> Option<String> {
        if let Some(s) = self.chars.get(&code) {
            return Some(s.clone());
        }
        for (lo, hi, dst) in self.ranges.iter().rev() {
            if code >= *lo && code <= *hi {
                let mut units = dst.clone();
                let off = code - lo;
                if let Some(last) = units.last_mut() {
                    *last = last.wrapping_add(u16::try_from(off).unwrap_or(0));
                }
                return Some(text_of(&units));
            }
        }
        None
    }

    /// The CID of `code` in an encoding CMap.
    pub fn cid(&self, code: u32) -> Option<u32> {
        if let Some(c) = self.cids.get(&code) {
            return Some(*c);
        }
        self.cid_ranges
            .iter()
            .find(|(lo, hi, _)| code >= *lo && code <= *hi)
            .map(|(lo, _, cid)| cid + (code - lo))
    }

    pub fn is_empty(&self) -> bool {
        self.chars.is_empty() && self.ranges.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bfchar_bfrange_and_code_space() {
        let m = CMap::parse(
            b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n\
              /CMapName /Adobe-Identity-UCS def\n\
              1 begincodespacerange <0000> <FFFF> endcodespacerange\n\
              2 beginbfchar <0003> <0020> <0011> <00660069> endbfchar\n\
              2 beginbfrange <0024> <0026> <0041> <0030> <0031> [<00E9> <D83DDE00>] endbfrange\n\
              endcmap",
        );
        assert_eq!(m.unicode(3).as_deref(), Some(" "));
        assert_eq!(m.unicode(0x11).as_deref(), Some("fi"));
        assert_eq!(m.unicode(0x26).as_deref(), Some("C"));
        assert_eq!(m.unicode(0x30).as_deref(), Some("é"));
        assert_eq!(m.unicode(0x31).as_deref(), Some("😀"));
        assert_eq!(m.unicode(0x99), None);
        assert_eq!(
            CMap::split(&m.space, &[0, 0x24, 0, 0x25, 7], 2),
            vec![(0x24, 2), (0x25, 2), (7, 1)]
        );
    }

    #[test]
    fn mixed_length_code_space_and_cid_ranges() {
        let m = CMap::parse(
            b"2 begincodespacerange <00> <80> <8140> <FFFF> endcodespacerange\n\
              1 begincidrange <8140> <817F> 633 endcidrange 1 begincidchar <41> 34 endcidchar",
        );
        assert_eq!(
            CMap::split(&m.space, &[0x41, 0x81, 0x42, 0x20], 1),
            vec![(0x41, 1), (0x8142, 2), (0x20, 1)]
        );
        assert_eq!(m.cid(0x8142), Some(635));
        assert_eq!(m.cid(0x41), Some(34));
    }

    #[test]
    fn garbage_never_panics() {
        for junk in [
            &b"beginbfrange <"[..],
            b"beginbfchar <01>",
            b"<<>> [ ] ( ",
            b"\xff\xfe",
        ] {
            let m = CMap::parse(junk);
            let _ = m.unicode(1);
        }
    }
}
