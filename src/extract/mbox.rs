//! Unix mailboxes (mboxo and mboxrd): many messages in one file, each
//! preceded by a `From ` separator line. [`messages`] finds them and
//! [`unescape`] undoes mboxrd's quoting of body lines that begin `From `.
//!
//! A separator is a line beginning `From ` at the start of the file, or
//! right after an empty line when a header field (`Name: value`) follows it:
//! an unquoted body paragraph that happens to begin `From ` (mboxo writers
//! that do not quote) stays part of its message. LF and CRLF line ends are
//! both understood.

use std::ops::Range;

/// The byte ranges of the messages in `bytes`, in file order. Each range
/// leaves out the message's `From ` separator line and the empty line that
/// precedes the next separator (or ends the file); what is left is the
/// message as it was delivered, still mboxrd-escaped (see [`unescape`]).
/// Text before the first separator (not a message) is ignored.
pub fn messages(bytes: &[u8]) -> Vec<Range<usize>> {
    let starts = separators(bytes);
    let mut out = Vec::with_capacity(starts.len());
    for (n, &sep) in starts.iter().enumerate() {
        let start = line_end(bytes, sep);
        let next = starts.get(n + 1).copied().unwrap_or(bytes.len());
        let end = without_trailing_blank(bytes, start, next);
        out.push(start..end);
    }
    out
}

/// One message of an mboxrd file with its quoting undone: a line that
/// begins with one or more `>` followed by `From ` loses one `>`.
pub fn unescape(message: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(message.len());
    let mut at = 0;
    while at < message.len() {
        let end = line_end(message, at);
        let line = &message[at..end];
        let quotes = line.iter().take_while(|&&b| b == b'>').count();
        if quotes > 0 && line[quotes..].starts_with(b"From ") {
            out.extend_from_slice(&line[1..]);
        } else {
            out.extend_from_slice(line);
        }
        at = end;
    }
    out
}

/// Whether the start of a file looks like a mailbox: a `From ` line, then
/// a header field (`Name: value`) on the next line.
pub fn looks_like_mbox(head: &[u8]) -> bool {
    if !head.starts_with(b"From ") {
        return false;
    }
    let first = line_end(head, 0);
    if first >= head.len() || !head[..first].ends_with(b"\n") {
        return false;
    }
    header_field(&head[first..line_end(head, first)])
}

/// Whether a line is a header field: a name of printable characters, then
/// a colon.
fn header_field(line: &[u8]) -> bool {
    let Some(colon) = line.iter().position(|&b| b == b':') else {
        return false;
    };
    colon > 0 && line[..colon].iter().all(u8::is_ascii_graphic)
}

/// Offsets of the separator lines.
fn separators(bytes: &[u8]) -> Vec<usize> {
    let mut out = Vec::new();
    let mut at = 0;
    let mut previous_empty = true; // the start of the file counts as one
    while at < bytes.len() {
        let end = line_end(bytes, at);
        let line = &bytes[at..end];
        if line.starts_with(b"From ")
            && (at == 0 || (previous_empty && header_field(&bytes[end..line_end(bytes, end)])))
        {
            out.push(at);
        }
        previous_empty = matches!(line, b"\n" | b"\r\n");
        at = end;
    }
    out
}

/// The offset just past the line starting at `at` (past its `\n`, or the
/// end of `bytes`).
fn line_end(bytes: &[u8], at: usize) -> usize {
    bytes
        .get(at..)
        .and_then(|rest| rest.iter().position(|&b| b == b'\n'))
        .map_or(bytes.len(), |i| at + i + 1)
}

/// `end`, moved back over one empty line (`\n` or `\r\n`) when the message
/// from `start` ends with one after its last line.
fn without_trailing_blank(bytes: &[u8], start: usize, end: usize) -> usize {
    let body = &bytes[start..end];
    for blank in [&b"\r\n"[..], b"\n"] {
        if let Some(rest) = body.strip_suffix(blank)
            && (rest.is_empty() || rest.ends_with(b"\n"))
        {
            return end - blank.len();
        }
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn fixture(name: &str) -> Vec<u8> {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/mbox")
            .join(name);
        std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    /// sample.mbox and the expected files come from tests/fixtures/mbox/make.py
    /// (Python's mailbox module writes the box and reads it back).
    #[test]
    fn splits_like_python_mailbox_and_unescapes_to_the_original() {
        let bytes = fixture("sample.mbox");
        assert!(looks_like_mbox(&bytes));
        let ranges = messages(&bytes);
        assert_eq!(ranges.len(), 3);
        for (n, range) in ranges.into_iter().enumerate() {
            let raw = &bytes[range];
            let expected = fixture(&format!("expected-{}.eml", n + 1));
            assert_eq!(
                String::from_utf8_lossy(raw),
                String::from_utf8_lossy(&expected),
                "message {}",
                n + 1
            );
            let original = fixture(&format!("original-{}.eml", n + 1));
            assert_eq!(
                String::from_utf8_lossy(&unescape(raw)),
                String::from_utf8_lossy(&original),
                "message {} unescaped",
                n + 1
            );
        }
    }

    #[test]
    fn crlf_mailboxes_split_the_same_way() {
        let lf = fixture("sample.mbox");
        let crlf: Vec<u8> = String::from_utf8_lossy(&lf)
            .replace('\n', "\r\n")
            .into_bytes();
        let ranges = messages(&crlf);
        assert_eq!(ranges.len(), 3);
        for (n, range) in ranges.into_iter().enumerate() {
            let expected = String::from_utf8_lossy(&fixture(&format!("original-{}.eml", n + 1)))
                .replace('\n', "\r\n");
            assert_eq!(String::from_utf8_lossy(&unescape(&crlf[range])), expected);
        }
        assert!(looks_like_mbox(&crlf));
    }

    #[test]
    fn mboxrd_quoting_loses_one_level() {
        let message = b"Subject: x\n\n>From a\n>>From b\r\nFrom c\n> From d\n>Fromage\n>From ";
        assert_eq!(
            unescape(message),
            b"Subject: x\n\nFrom a\n>From b\r\nFrom c\n> From d\n>Fromage\nFrom ".to_vec()
        );
    }

    #[test]
    fn a_from_line_not_after_an_empty_line_is_body_text() {
        let bytes = b"From a@b Mon Jan  1 00:00:00 2001\nSubject: 1\n\nbody\nFrom here\n\nFrom c@d Mon Jan  1 00:00:00 2001\nSubject: 2\n\nlast";
        let ranges = messages(bytes);
        assert_eq!(ranges.len(), 2);
        assert_eq!(
            &bytes[ranges[0].clone()],
            b"Subject: 1\n\nbody\nFrom here\n"
        );
        assert_eq!(&bytes[ranges[1].clone()], b"Subject: 2\n\nlast");
    }

    #[test]
    fn an_unquoted_from_paragraph_without_headers_after_it_is_body_text() {
        let bytes = b"From a@b Mon Jan  1 00:00:00 2001\nSubject: 1\n\nHi,\n\nFrom my side all is well.\nBye\n\nFrom c@d Mon Jan  1 00:00:00 2001\r\nSubject: 2\r\n\r\nlast\r\n";
        let ranges = messages(bytes);
        assert_eq!(ranges.len(), 2);
        assert!(bytes[ranges[0].clone()].ends_with(b"From my side all is well.\nBye\n"));
        assert_eq!(&bytes[ranges[1].clone()], b"Subject: 2\r\n\r\nlast\r\n");
    }

    #[test]
    fn edge_inputs() {
        assert!(messages(b"").is_empty());
        assert!(messages(b"no separator\n").is_empty());
        assert_eq!(messages(b"From "), vec![5..5]);
        assert_eq!(messages(b"From x\n"), vec![7..7]);
        assert_eq!(messages(b"From x\n\n"), vec![7..7]);
        assert!(!looks_like_mbox(b""));
        assert!(!looks_like_mbox(b"From "));
        assert!(!looks_like_mbox(b"From me\nnot a header\n"));
        assert!(!looks_like_mbox(b"Subject: hi\n\n"));
        assert!(looks_like_mbox(b"From me\nReturn-Path: <a@b>\n"));
    }
}
