//! Outlook's RTF bodies: the compressed form (MS-OXRTFCP) unpacked, and the
//! RTF read down to its plain text. Untrusted like the rest of a message:
//! bad input is an `Err` or less text, never a panic.

use super::msg::encoding_for;

/// MS-OXRTFCP: the compressed RTF (LZFu) or uncompressed (MELA) body.
pub(super) fn decompress_rtf(data: &[u8]) -> Result<Vec<u8>, String> {
    const PREBUF: &[u8] = b"{\\rtf1\\ansi\\mac\\deff0\\deftab720{\\fonttbl;}{\\f0\\fnil \\froman \\fswiss \\fmodern \\fscript \\fdecor MS Sans SerifSymbolArialTimes New RomanCourier{\\colortbl\\red0\\green0\\blue0\r\n\\par \\pard\\plain\\f0\\fs20\\b\\i\\u\\tab\\tx";
    let word = |at: usize| -> Option<u32> {
        let b = data.get(at..at + 4)?;
        Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    };
    let (Some(comp_size), Some(raw_size), Some(magic)) = (word(0), word(4), word(8)) else {
        return Err("shorter than its header".into());
    };
    let body_end = (comp_size as usize).saturating_add(4).min(data.len());
    let body = data.get(16..body_end).unwrap_or(&[]);
    // Never believe the declared size for an allocation beyond what LZFu
    // can expand the input to (a 2-byte reference gives at most 17 bytes).
    let cap = (raw_size as usize).min(body.len().saturating_mul(17));
    match magic {
        0x414C_454D => Ok(body[..body.len().min(raw_size as usize)].to_vec()),
        0x7546_5A4C => {
            let mut dict = [0u8; 4096];
            dict[..PREBUF.len()].copy_from_slice(PREBUF);
            let mut write = PREBUF.len();
            let mut out = Vec::with_capacity(cap);
            let mut i = 0;
            'outer: while i < body.len() {
                let control = body[i];
                i += 1;
                for bit in 0..8 {
                    if out.len() >= raw_size as usize {
                        break 'outer;
                    }
                    if control & (1 << bit) == 0 {
                        let Some(&b) = body.get(i) else { break 'outer };
                        i += 1;
                        out.push(b);
                        dict[write] = b;
                        write = (write + 1) % 4096;
                    } else {
                        let (Some(&hi), Some(&lo)) = (body.get(i), body.get(i + 1)) else {
                            break 'outer;
                        };
                        i += 2;
                        let reference = (u16::from(hi) << 8) | u16::from(lo);
                        let offset = usize::from(reference >> 4);
                        let length = usize::from(reference & 0x0F) + 2;
                        if offset == write {
                            break 'outer; // the end marker
                        }
                        for k in 0..length {
                            let b = dict[(offset + k) % 4096];
                            out.push(b);
                            dict[write] = b;
                            write = (write + 1) % 4096;
                        }
                    }
                }
            }
            out.truncate(raw_size as usize);
            Ok(out)
        }
        other => Err(format!("unknown compression type {other:#010x}")),
    }
}

/// The plain text of RTF, crudely: control words dropped (`\par`, `\line`
/// and `\tab` kept as whitespace), `\'hh` in the document's code page,
/// `\uN` as Unicode, optional and known non-text destinations skipped.
/// RTF that encapsulates HTML (`\fromhtml1`) keeps only its text runs.
pub(super) fn rtf_text(rtf: &[u8]) -> String {
    let mut out = String::new();
    let mut pending: Vec<u8> = Vec::new();
    let mut encoding = encoding_rs::WINDOWS_1252;
    // Per group: (skipped, chars to skip after \uN, inside \htmlrtf).
    let mut stack: Vec<(bool, usize, bool)> = Vec::new();
    let (mut skip, mut uc, mut htmlrtf) = (false, 1usize, false);
    let mut skip_chars = 0usize;
    let mut i = 0;
    let flush = |pending: &mut Vec<u8>, out: &mut String, enc: &'static encoding_rs::Encoding| {
        if !pending.is_empty() {
            out.push_str(&enc.decode_without_bom_handling(pending).0);
            pending.clear();
        }
    };
    while i < rtf.len() {
        let c = rtf[i];
        match c {
            b'{' => {
                stack.push((skip, uc, htmlrtf));
                i += 1;
                // A destination group: `{\*\name` or a known non-text one.
                if rtf.get(i..i + 2) == Some(&b"\\*"[..]) {
                    skip = true;
                } else {
                    let word: Vec<u8> = rtf
                        .get(i + 1..)
                        .unwrap_or(&[])
                        .iter()
                        .take_while(|b| b.is_ascii_alphabetic())
                        .copied()
                        .collect();
                    if rtf.get(i) == Some(&b'\\')
                        && matches!(
                            word.as_slice(),
                            b"fonttbl"
                                | b"colortbl"
                                | b"stylesheet"
                                | b"info"
                                | b"pict"
                                | b"object"
                                | b"header"
                                | b"footer"
                                | b"listtable"
                                | b"listoverridetable"
                                | b"rsidtbl"
                                | b"xmlnstbl"
                                | b"generator"
                                | b"themedata"
                                | b"datastore"
                        )
                    {
                        skip = true;
                    }
                }
            }
            b'}' => {
                flush(&mut pending, &mut out, encoding);
                if let Some((s, u, h)) = stack.pop() {
                    (skip, uc, htmlrtf) = (s, u, h);
                }
                i += 1;
            }
            b'\\' => {
                i += 1;
                let Some(&next) = rtf.get(i) else { break };
                if next == b'\'' {
                    let hex = rtf
                        .get(i + 1..i + 3)
                        .and_then(|h| std::str::from_utf8(h).ok());
                    i += 3;
                    if skip_chars > 0 {
                        skip_chars -= 1;
                    } else if let Some(b) = hex.and_then(|h| u8::from_str_radix(h, 16).ok())
                        && !skip
                        && !htmlrtf
                    {
                        pending.push(b);
                    }
                    continue;
                }
                if !next.is_ascii_alphabetic() {
                    // A control symbol: escaped character or ignorable.
                    i += 1;
                    if !skip && !htmlrtf && matches!(next, b'\\' | b'{' | b'}') {
                        flush(&mut pending, &mut out, encoding);
                        out.push(char::from(next));
                    } else if !skip && !htmlrtf && next == b'~' {
                        out.push(' ');
                    }
                    continue;
                }
                let start = i;
                while rtf.get(i).is_some_and(u8::is_ascii_alphabetic) {
                    i += 1;
                }
                let word = &rtf[start..i];
                let num_start = i;
                if rtf.get(i) == Some(&b'-') {
                    i += 1;
                }
                while rtf.get(i).is_some_and(u8::is_ascii_digit) {
                    i += 1;
                }
                let param: Option<i64> = std::str::from_utf8(&rtf[num_start..i])
                    .ok()
                    .and_then(|n| n.parse().ok());
                if rtf.get(i) == Some(&b' ') {
                    i += 1;
                }
                match word {
                    b"ansicpg" => {
                        if let Some(e) = param
                            .and_then(|p| u32::try_from(p).ok())
                            .and_then(encoding_for)
                        {
                            flush(&mut pending, &mut out, encoding);
                            encoding = e;
                        }
                    }
                    b"uc" => {
                        uc = param
                            .and_then(|p| usize::try_from(p).ok())
                            .unwrap_or(1)
                            .min(8)
                    }
                    b"htmlrtf" => htmlrtf = param != Some(0),
                    b"u" if !skip && !htmlrtf => {
                        flush(&mut pending, &mut out, encoding);
                        let n = param.unwrap_or(0);
                        let n = if n < 0 { n + 65536 } else { n };
                        if let Some(ch) = u32::try_from(n).ok().and_then(char::from_u32) {
                            out.push(ch);
                        }
                        skip_chars = uc;
                    }
                    b"par" | b"line" | b"sect" | b"row" if !skip && !htmlrtf => {
                        flush(&mut pending, &mut out, encoding);
                        out.push('\n');
                    }
                    b"tab" | b"cell" if !skip && !htmlrtf => {
                        flush(&mut pending, &mut out, encoding);
                        out.push('\t');
                    }
                    _ => {}
                }
            }
            b'\r' | b'\n' => i += 1,
            _ => {
                i += 1;
                if skip_chars > 0 {
                    skip_chars -= 1;
                } else if !skip && !htmlrtf {
                    pending.push(c);
                }
            }
        }
    }
    flush(&mut pending, &mut out, encoding);
    out.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compressed_rtf_examples_of_the_specification() {
        // MS-OXRTFCP 3.1.1 and 3.1.2.
        let simple = [
            0x2d, 0x00, 0x00, 0x00, 0x2b, 0x00, 0x00, 0x00, 0x4c, 0x5a, 0x46, 0x75, 0xf1, 0xc5,
            0xc7, 0xa7, 0x03, 0x00, 0x0a, 0x00, 0x72, 0x63, 0x70, 0x67, 0x31, 0x32, 0x35, 0x42,
            0x32, 0x0a, 0xf3, 0x20, 0x68, 0x65, 0x6c, 0x09, 0x00, 0x20, 0x62, 0x77, 0x05, 0xb0,
            0x6c, 0x64, 0x7d, 0x0a, 0x80, 0x0f, 0xa0,
        ];
        assert_eq!(
            String::from_utf8_lossy(&decompress_rtf(&simple).unwrap()),
            "{\\rtf1\\ansi\\ansicpg1252\\pard hello world}\r\n"
        );
        let crossing = [
            0x1a, 0x00, 0x00, 0x00, 0x1c, 0x00, 0x00, 0x00, 0x4c, 0x5a, 0x46, 0x75, 0xe2, 0xd4,
            0x4b, 0x51, 0x41, 0x00, 0x04, 0x20, 0x57, 0x58, 0x59, 0x5a, 0x0d, 0x6e, 0x7d, 0x01,
            0x0e, 0xb0,
        ];
        assert_eq!(
            String::from_utf8_lossy(&decompress_rtf(&crossing).unwrap()),
            "{\\rtf1 WXYZWXYZWXYZWXYZWXYZ}"
        );
        assert_eq!(rtf_text(&decompress_rtf(&simple).unwrap()), "hello world");
        assert!(decompress_rtf(&simple[..10]).is_err());
        for cut in 0..simple.len() {
            let _ = decompress_rtf(&simple[..cut]);
        }
    }

    #[test]
    fn rtf_text_in_its_code_page_and_unicode() {
        assert_eq!(
            rtf_text(br"{\rtf1\ansi\ansicpg1251{\fonttbl{\f0 Arial;}}{\*\generator x;}\'cf\'f0\'e8 \u8364?5\par next\tab cell}"),
            "При €5\nnext\tcell"
        );
    }
}
