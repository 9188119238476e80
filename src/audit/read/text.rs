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

/// The lines of a text, ended by CRLF, LF or a CR alone (as a Mac's CSV's
/// are): `str::lines` knows only the first two.
pub fn lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let (line, after) = match rest.find(['\n', '\r']) {
            Some(i) if rest[i..].starts_with("\r\n") => (&rest[..i], i + 2),
            Some(i) => (&rest[..i], i + 1),
            None => (rest, rest.len()),
        };
        rest = &rest[after..];
        Some(line)
    })
}

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

/// Whether byte `i` ends a line: an LF, or a CR not followed by one (the
/// rule of [`lines`] and of the record parser).
pub fn ends_line(bytes: &[u8], i: usize) -> bool {
    match bytes.get(i) {
        Some(b'\n') => true,
        Some(b'\r') => bytes.get(i + 1) != Some(&b'\n'),
        _ => false,
    }
}

/// The 1-based line holding byte `offset`.
fn line_of(bytes: &[u8], offset: usize) -> usize {
    1 + (0..offset.min(bytes.len()))
        .filter(|&i| ends_line(bytes, i))
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

/// How far a file's bytes are UTF-8.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Utf8 {
    Valid,
    /// A few bytes that are not UTF-8 among many characters that are (a
    /// value a tool cut short mid-character): UTF-8 with the bytes replaced
    /// and reported, not Windows-1252, which would garble every character.
    Mostly,
    Not,
}

/// Characters past ASCII and bytes that are not UTF-8, counted piece by
/// piece (see [`Utf8Count::add`]).
#[derive(Debug, Default, Clone, Copy)]
pub struct Utf8Count {
    wide: usize,
    invalid: usize,
}

/// At most one byte that is not UTF-8 for this many characters past ASCII
/// that are: a Windows-1252 file's high bytes are almost never UTF-8 (its þ,
/// 0xFE, never is), so it is far from this.
const WIDE_PER_INVALID: usize = 100;

impl Utf8Count {
    /// Counts `bytes`, and returns how many bytes at their end begin a
    /// character cut short: they are counted with what follows (or, at the
    /// file's end, by [`Utf8Count::verdict`]'s `cut`).
    pub fn add(&mut self, bytes: &[u8]) -> usize {
        let mut rest = bytes;
        loop {
            let (good, error) = match std::str::from_utf8(rest) {
                Ok(_) => (rest, None),
                Err(e) => (&rest[..e.valid_up_to()], Some(e)),
            };
            // Lead bytes of characters past ASCII.
            self.wide += good.iter().filter(|&&b| b >= 0xC0).count();
            match error {
                None => return 0,
                Some(e) => match e.error_len() {
                    None => return rest.len() - e.valid_up_to(),
                    Some(n) => {
                        self.invalid += 1;
                        rest = &rest[e.valid_up_to() + n..];
                    }
                },
            }
        }
    }

    /// The verdict, `cut` being the bytes [`Utf8Count::add`] left at the end.
    pub fn verdict(self, cut: usize) -> Utf8 {
        let invalid = self.invalid + usize::from(cut > 0);
        if invalid == 0 {
            Utf8::Valid
        } else if invalid.saturating_mul(WIDE_PER_INVALID) <= self.wide {
            Utf8::Mostly
        } else {
            Utf8::Not
        }
    }
}

/// The encoding from the byte-order mark, else UTF-16 if every other byte
/// is zero (ASCII text in UTF-16 is valid UTF-8 too, full of NULs), else
/// UTF-8 if the bytes are UTF-8 (or [mostly](Utf8::Mostly)), else
/// Windows-1252. `head`: the file's first 2,000 bytes (or all of it);
/// `utf8`: how far the whole file (after any BOM) is UTF-8.
pub fn encoding_of(head: &[u8], utf8: Utf8) -> Encoding {
    if head.starts_with(&UTF8_BOM) {
        return Encoding::Utf8Bom;
    }
    if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        return Encoding::Utf16 {
            little: head[0] == 0xFF,
            bom: true,
        };
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
    if utf8 != Utf8::Not {
        return Encoding::Utf8;
    }
    Encoding::Cp1252
}

/// Decodes a load file's bytes in the encoding [`encoding_of`] finds.
pub fn decode(bytes: &[u8]) -> Decoded<'_> {
    let after_bom = bytes.strip_prefix(&UTF8_BOM);
    let utf8 = std::str::from_utf8(after_bom.unwrap_or(bytes));
    let mut count = Utf8Count::default();
    let how_far = match utf8 {
        Ok(_) => Utf8::Valid,
        Err(_) => {
            // The whole file, as the windows' first pass counts it.
            let cut = count.add(bytes);
            count.invalid += usize::from(cut > 0);
            count.verdict(0)
        }
    };
    let encoding = encoding_of(bytes, how_far);
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
        (Encoding::Utf8, Err(e)) => (
            String::from_utf8_lossy(bytes),
            vec![Problem::line(
                line_of(bytes, e.valid_up_to()),
                format!(
                    "{} byte sequence(s) that are not UTF-8, in a file otherwise UTF-8, were replaced with U+FFFD (the first on this line; a value cut short mid-character?)",
                    count.invalid
                ),
            )],
        ),
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

    #[test]
    fn utf16_without_a_bom_is_told_even_when_all_of_it_is_ascii() {
        // Valid UTF-8 too, every other byte a NUL.
        let text = "BEGBATES,ENDBATES\r\nA1,A1\r\n";
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let d = decode(&le);
        assert_eq!((d.encoding, &*d.text), ("UTF-16LE (no BOM)", text));
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        let d = decode(&be);
        assert_eq!((d.encoding, &*d.text), ("UTF-16BE (no BOM)", text));
    }

    #[test]
    fn a_utf8_file_with_a_character_cut_short_stays_utf8() {
        // 200 thorns in UTF-8, then a value cut after a character's first byte.
        let mut bytes = "þAþ\u{14}þBþ\r\n".repeat(50).into_bytes();
        bytes.extend_from_slice("þcut ".as_bytes());
        bytes.push(0xC3);
        bytes.extend_from_slice("þ\r\n".as_bytes());
        let d = decode(&bytes);
        assert_eq!(d.encoding, "UTF-8 (no BOM)");
        assert!(d.text.starts_with("þAþ\u{14}þBþ\r\n"));
        assert!(d.text.ends_with("þcut \u{FFFD}þ\r\n"));
        assert_eq!(d.problems.len(), 1);
        assert_eq!(d.problems[0].line, Some(51));
        let message = &d.problems[0].message;
        assert!(message.starts_with("1 byte sequence(s)"), "{message}");
        // Lines ended by a CR alone are counted too.
        let mac: Vec<u8> = [&"þAþ\r".repeat(60).into_bytes()[..], b"\xC3\r"].concat();
        assert_eq!(decode(&mac).problems[0].line, Some(61));
        // One bad sequence to 100 characters past ASCII is the most UTF-8 takes.
        let cut = |lines: usize| [&"þAþ\r\n".repeat(lines).into_bytes()[..], b"\xC3\r\n"].concat();
        assert_eq!(decode(&cut(50)).encoding, "UTF-8 (no BOM)");
        assert_eq!(decode(&cut(49)).encoding, "Windows-1252");
        // A Windows-1252 DAT whose text happens to hold a UTF-8 pair.
        let d = decode(b"\xFEA\xFE\x14\xFEB\xFE\r\n\xFEcaf\xC3\xA9\xFE\x14\xFE\xE9\xFE\r\n");
        assert_eq!(d.encoding, "Windows-1252");
    }

    #[test]
    fn lines_end_at_crlf_lf_or_a_cr_alone() {
        let found: Vec<&str> = lines("a\r\nb\rc\n\nd\r\re").collect();
        assert_eq!(found, vec!["a", "b", "c", "", "d", "", "e"]);
        assert_eq!(lines("").count(), 0);
        assert_eq!(lines("one").collect::<Vec<_>>(), vec!["one"]);
    }
}
