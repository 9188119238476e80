//! Text load files' encodings: UTF-8 with or without BOM, UTF-16 with or
//! without BOM, Windows-1252. The records in them are read by
//! [`super::records`].

use super::Problem;

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
    let mut text = String::with_capacity(bytes.len());
    push_cp1252(bytes, &mut text);
    text
}

/// Appends Windows-1252 bytes to `text`, decoded.
pub fn push_cp1252(bytes: &[u8], text: &mut String) {
    text.extend(bytes.iter().map(|&b| {
        if (0x80..0xA0).contains(&b) {
            CP1252_HIGH[(b - 0x80) as usize]
        } else {
            b as char
        }
    }));
}

/// The 1-based line holding byte `offset`.
fn line_of(bytes: &[u8], offset: usize) -> usize {
    1 + bytes[..offset.min(bytes.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
}

/// The text, and any problems: an odd byte, unpaired surrogates.
fn utf16(bytes: &[u8], little: bool) -> (String, Vec<Problem>) {
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
    (text, problems)
}

const UTF8_BOM: [u8; 3] = [0xEF, 0xBB, 0xBF];

/// A load file's encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8Bom,
    Utf8,
    Utf16 { little: bool, bom: bool },
    Cp1252,
}

impl Encoding {
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8Bom => "UTF-8 with BOM",
            Encoding::Utf8 => "UTF-8 (no BOM)",
            Encoding::Utf16 {
                little: true,
                bom: true,
            } => "UTF-16LE with BOM",
            Encoding::Utf16 {
                little: false,
                bom: true,
            } => "UTF-16BE with BOM",
            Encoding::Utf16 {
                little: true,
                bom: false,
            } => "UTF-16LE (no BOM)",
            Encoding::Utf16 {
                little: false,
                bom: false,
            } => "UTF-16BE (no BOM)",
            Encoding::Cp1252 => "Windows-1252",
        }
    }
}

/// The encoding from the byte-order mark, else UTF-8 if the bytes are valid
/// UTF-8, else UTF-16 if every other byte is zero, else Windows-1252.
/// `head`: the file's first 2,000 bytes (or all of it); `valid_utf8`:
/// whether the whole file is valid UTF-8.
pub fn encoding_of(head: &[u8], valid_utf8: bool) -> Encoding {
    if head.starts_with(&UTF8_BOM) {
        return Encoding::Utf8Bom;
    }
    if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        return Encoding::Utf16 {
            little: head[0] == 0xFF,
            bom: true,
        };
    }
    if valid_utf8 {
        return Encoding::Utf8;
    }
    let head = &head[..head.len().min(2000)];
    let zeros_odd = head.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
    let zeros_even = head.iter().step_by(2).filter(|&&b| b == 0).count();
    let half = head.len() / 2;
    if half > 4 && zeros_odd * 10 > half * 4 {
        return Encoding::Utf16 {
            little: true,
            bom: false,
        };
    }
    if half > 4 && zeros_even * 10 > half * 4 {
        return Encoding::Utf16 {
            little: false,
            bom: false,
        };
    }
    Encoding::Cp1252
}

/// Decodes a load file's bytes in the encoding [`encoding_of`] finds.
pub fn decode(bytes: &[u8]) -> Decoded<'_> {
    let after_bom = bytes.strip_prefix(&UTF8_BOM);
    let utf8 = std::str::from_utf8(after_bom.unwrap_or(bytes));
    let encoding = encoding_of(bytes, utf8.is_ok());
    let (text, mut problems): (std::borrow::Cow<'_, str>, _) = match (encoding, utf8) {
        (Encoding::Utf8Bom | Encoding::Utf8, Ok(text)) => (text.into(), Vec::new()),
        (Encoding::Utf16 { little, bom }, _) => {
            let d = utf16(if bom { &bytes[2..] } else { bytes }, little);
            (d.0.into(), d.1)
        }
        (Encoding::Utf8Bom, Err(e)) => {
            let rest = after_bom.unwrap_or(bytes);
            (
                String::from_utf8_lossy(rest),
                vec![Problem::line(
                    line_of(rest, e.valid_up_to()),
                    "bytes that are not UTF-8 follow a UTF-8 byte-order mark; they were replaced with U+FFFD (was the file re-saved in another encoding?)",
                )],
            )
        }
        _ => (cp1252(bytes).into(), Vec::new()),
    };
    if let Encoding::Utf16 { bom: false, .. } = encoding {
        problems.push(Problem::file(
            "UTF-16 without a byte-order mark: most loaders cannot detect it; add a BOM",
        ));
    }
    Decoded {
        text,
        encoding: encoding.name(),
        problems,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
