//! Unix mailboxes (mboxo and mboxrd): many messages in one file, each
//! preceded by a `From ` separator line. [`messages`] finds them and
//! [`unescape`] undoes mboxrd's quoting of body lines that begin `From `.
//!
//! A separator is a line beginning `From ` at the start of the file or right
//! after an empty line. LF and CRLF line ends are both understood.

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
    let next = &head[first..line_end(head, first)];
    let Some(colon) = next.iter().position(|&b| b == b':') else {
        return false;
    };
    colon > 0
        && next[..colon]
            .iter()
            .all(|&b| b.is_ascii_graphic() && b != b':')
}

/// Offsets of the separator lines.
fn separators(bytes: &[u8]) -> Vec<usize> {
    let mut out = Vec::new();
    let mut at = 0;
    let mut previous_empty = true; // the start of the file counts as one
    while at < bytes.len() {
        let end = line_end(bytes, at);
        let line = &bytes[at..end];
        if previous_empty && line.starts_with(b"From ") {
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
