//! The stamp font: standard Helvetica with WinAnsiEncoding. One font
//! dictionary per file serves every page. Text is checked against the
//! encoding before anything is written, so nothing comes out garbled.

/// Advance widths (1/1000 em) of WinAnsi codes 32..=255 (Helvetica AFM).
const WIDTHS: [u16; 224] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667,
    611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667,
    667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500,
    222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
    350, 556, 350, 222, 556, 333, 1000, 556, 556, 333, 1000, 667, 333, 1000, 350, 611, 350, 350,
    222, 222, 333, 333, 350, 556, 1000, 333, 1000, 500, 333, 944, 350, 500, 667, 278, 333, 556,
    556, 556, 556, 260, 556, 333, 737, 370, 556, 584, 333, 737, 333, 400, 584, 333, 333, 333, 556,
    537, 278, 333, 333, 365, 556, 834, 834, 834, 611, 667, 667, 667, 667, 667, 667, 1000, 722, 667,
    667, 667, 667, 278, 278, 278, 278, 722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722,
    722, 667, 667, 611, 556, 556, 556, 556, 556, 556, 889, 500, 556, 556, 556, 556, 278, 278, 278,
    278, 556, 556, 556, 556, 556, 556, 556, 584, 611, 556, 556, 556, 556, 500, 556, 500,
];

/// The WinAnsi code of a character, if the font can show it.
pub fn win_ansi(c: char) -> Option<u8> {
    let code = match c {
        ' '..='~' => c as u32 as u8,
        '\u{a0}'..='\u{ff}' => c as u32 as u8,
        '€' => 0x80,
        '‚' => 0x82,
        'ƒ' => 0x83,
        '„' => 0x84,
        '…' => 0x85,
        '†' => 0x86,
        '‡' => 0x87,
        'ˆ' => 0x88,
        '‰' => 0x89,
        'Š' => 0x8A,
        '‹' => 0x8B,
        'Œ' => 0x8C,
        'Ž' => 0x8E,
        '\u{2018}' => 0x91,
        '\u{2019}' => 0x92,
        '\u{201c}' => 0x93,
        '\u{201d}' => 0x94,
        '•' => 0x95,
        '–' => 0x96,
        '—' => 0x97,
        '˜' => 0x98,
        '™' => 0x99,
        'š' => 0x9A,
        '›' => 0x9B,
        'œ' => 0x9C,
        'ž' => 0x9E,
        'Ÿ' => 0x9F,
        _ => return None,
    };
    Some(code)
}

/// The first character the stamp font cannot show, if any.
pub fn unsupported(text: &str) -> Option<char> {
    text.chars().find(|c| win_ansi(*c).is_none())
}

/// `text` encoded as WinAnsi bytes (unsupported characters must be refused first).
pub fn encode(text: &str) -> Vec<u8> {
    text.chars().filter_map(win_ansi).collect()
}

/// Width of `text` at `size` points.
pub fn width(text: &str, size: f32) -> f32 {
    let units: u32 = encode(text)
        .iter()
        .map(|b| u32::from(WIDTHS[(*b as usize).saturating_sub(32).min(223)]))
        .sum();
    units as f32 * size / 1000.0
}

/// A PDF literal string `( … )` of WinAnsi bytes, escaped.
pub fn literal(text: &str) -> Vec<u8> {
    let mut out = vec![b'('];
    for b in encode(text) {
        match b {
            b'(' | b')' | b'\\' => {
                out.push(b'\\');
                out.push(b);
            }
            0x20..=0x7e => out.push(b),
            _ => out.extend_from_slice(format!("\\{b:03o}").as_bytes()),
        }
    }
    out.push(b')');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_spanish_and_dashes() {
        assert_eq!(
            encode("Peña – Jurídicos"),
            b"Pe\xf1a \x96 Jur\xeddicos".to_vec()
        );
        assert_eq!(
            unsupported("CONFIDENTIAL – SUBJECT TO PROTECTIVE ORDER"),
            None
        );
        assert_eq!(unsupported("中文"), Some('中'));
        assert_eq!(literal("a(b)\\ñ"), b"(a\\(b\\)\\\\\\361)".to_vec());
        assert!((width("0000", 10.0) - 22.24).abs() < 0.01);
    }
}
