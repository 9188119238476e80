//! One e-mail as adrec reads it, whatever held it (`.eml`, Outlook `.msg`,
//! one message of an `.mbox`): the header fields a rendered page shows, the
//! readable body, and the attachments that become child documents.

/// An e-mail's readable parts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Message {
    /// `Name <addr>` or `addr`, as the message gives them.
    pub from: Vec<String>,
    pub to: Vec<String>,
    pub cc: Vec<String>,
    pub bcc: Vec<String>,
    pub subject: Option<String>,
    /// The sent time as RFC 2822 text in the message's own offset
    /// (`Tue, 29 Jan 2019 09:14:00 -0800`), when known.
    pub date_raw: Option<String>,
    /// The body people read: text/plain, else the HTML part's text (block
    /// elements as line breaks, links with their URL in brackets, scripts
    /// and styles dropped), else the RTF body's text.
    pub body: String,
    /// Attachments in the order the message holds them.
    pub attachments: Vec<Attachment>,
    /// What could not be read, in the reader's words; each is listed as a
    /// problem of the document, never a reason to drop an attachment.
    pub problems: Vec<String>,
}

/// One attachment: its decoded bytes and what the message says it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Attachment {
    /// The decoded file name (RFC 2231 / 2047, Outlook's long name), exactly
    /// as given: never used as a path (see [`safe_name`]).
    pub name: Option<String>,
    /// The declared MIME type, lower case (`application/pdf`), if any.
    pub content_type: Option<String>,
    /// The decoded bytes. An attached e-mail's bytes are a message file of
    /// its own (`message/rfc822` text, or a standalone `.msg`), so it is read
    /// like any e-mail and its attachments become grandchildren.
    pub bytes: Vec<u8>,
    /// Whether the attachment is itself an e-mail.
    pub is_message: bool,
}

/// Reads the e-mail in `bytes`: an Outlook `.msg` (a compound file), else
/// an RFC 5322 message (`.eml`, one message of an mbox).
pub fn read(bytes: &[u8], _file_name: &str) -> Result<Message, String> {
    if bytes.starts_with(&CFB) {
        super::msg::read(bytes)
    } else {
        super::email::message(bytes)
    }
}

/// The first bytes of a compound file (Outlook `.msg`, legacy Office).
pub const CFB: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// A declared attachment name reduced to a plain file name: the last
/// component after any `/` or `\`, a drive letter, control characters and
/// leading dots removed. `None` when nothing usable is left.
pub fn safe_name(declared: &str) -> Option<String> {
    let last = declared.rsplit(['/', '\\']).next().unwrap_or(declared);
    let last = match last.as_bytes() {
        [d, b':', ..] if d.is_ascii_alphabetic() => &last[2..],
        _ => last,
    };
    let cleaned: String = last.chars().filter(|c| !c.is_control()).collect();
    let cleaned = cleaned.trim().trim_start_matches('.').trim();
    (!cleaned.is_empty()).then(|| cleaned.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declared_names_never_become_paths() {
        assert_eq!(safe_name("../../etc/passwd").as_deref(), Some("passwd"));
        assert_eq!(
            safe_name("C:\\Windows\\evil.exe").as_deref(),
            Some("evil.exe")
        );
        assert_eq!(safe_name("C:evil.exe").as_deref(), Some("evil.exe"));
        assert_eq!(safe_name("..").as_deref(), None);
        assert_eq!(safe_name(" memo.pdf ").as_deref(), Some("memo.pdf"));
        assert_eq!(safe_name("a\u{0}b.pdf").as_deref(), Some("ab.pdf"));
    }
}
