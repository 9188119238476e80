//! An e-mail as Letter pages: a header block (From, Sent in the message's
//! own offset, To, Cc, Bcc, Subject, Attachments with their Bates numbers),
//! then the body, wrapped within the margins with long words broken and
//! nothing cut, in the fonts every adrec PDF uses. No page-number footer:
//! the Bates stamp numbers the pages, in a bottom band no text reaches
//! ([`super::textdoc::TEXT_BOTTOM`]). The same e-mail gives the same bytes.
//!
//! Attachment numbers sit in a column of fixed width (the width of the
//! volume's Bates format), so the layout, and the page count planning knows,
//! does not depend on which numbers are shown.

use super::textdoc::{Block, page_count, write_unnumbered};
use crate::error::Error;

/// What one rendered e-mail shows.
pub struct EmailPage<'a> {
    pub from: &'a [String],
    pub to: &'a [String],
    pub cc: &'a [String],
    pub bcc: &'a [String],
    pub subject: Option<&'a str>,
    /// The RFC 2822 `Date:` as the message gives it.
    pub sent: Option<&'a str>,
    /// Each attachment's name and, once numbered, its BEGBATES.
    pub attachments: &'a [(String, Option<String>)],
    /// A Bates number of the volume's format: sets the number column's width.
    pub number_sample: &'a str,
    pub body: &'a str,
}

/// A rendered e-mail.
pub struct Rendered {
    pub pdf: Vec<u8>,
    pub pages: u64,
    /// Characters no available font can show, drawn as U+FFFD or `?`.
    pub replaced: usize,
}

/// The e-mail as a PDF.
pub fn render(page: &EmailPage<'_>, id_seed: &str) -> Result<Rendered, Error> {
    let (blocks, fonts, replaced) = prepare(page)?;
    let (pdf, pages) = write_unnumbered(&blocks, &fonts, id_seed)
        .map_err(|e| Error::internal(format!("could not write the e-mail's pages: {e}")))?;
    Ok(Rendered {
        pdf,
        pages,
        replaced,
    })
}

/// How many pages [`render`] gives, without writing them.
pub fn pages(page: &EmailPage<'_>) -> Result<u64, Error> {
    let (blocks, fonts, _) = prepare(page)?;
    page_count(&blocks, &fonts)
        .map_err(|e| Error::internal(format!("could not lay out the e-mail's pages: {e}")))
}

/// The blocks with every character showable, and the fonts for them.
fn prepare(page: &EmailPage<'_>) -> Result<(Vec<Block>, super::embed::Fonts, usize), Error> {
    let mut set = super::font::FontSet::new();
    let mut replaced = 0;
    let blocks: Vec<Block> = blocks(page)
        .into_iter()
        .map(|b| showable(b, &mut set, &mut replaced))
        .collect();
    let texts = super::textdoc::texts(&blocks);
    let fonts = super::guarded("font", || set.prepare(texts.iter().map(String::as_str)))
        .map_err(|e| Error::internal(format!("the e-mail's fonts could not be prepared: {e}")))?;
    Ok((blocks, fonts, replaced))
}

/// The header block and the body, as text blocks.
fn blocks(page: &EmailPage<'_>) -> Vec<Block> {
    let mut out = Vec::new();
    let mut field = |label: &str, value: String| {
        if !value.trim().is_empty() {
            out.push(Block::Field(format!("{label}:"), value));
        }
    };
    field("From", page.from.join("; "));
    field("Sent", page.sent.map(sent).unwrap_or_default());
    field("To", page.to.join("; "));
    field("Cc", page.cc.join("; "));
    field("Bcc", page.bcc.join("; "));
    field("Subject", page.subject.unwrap_or("").to_string());
    for (i, (name, number)) in page.attachments.iter().enumerate() {
        let label = if i == 0 { "Attachments:" } else { "" };
        out.push(Block::Numbered {
            label: label.to_string(),
            number: number.clone().unwrap_or_default(),
            sample: page.number_sample.to_string(),
            text: name.clone(),
        });
    }
    out.push(Block::Gap);
    out.push(Block::Gap);
    for line in page.body.lines() {
        let line = line.replace('\t', "    ");
        if line.trim().is_empty() {
            out.push(Block::Gap);
        } else {
            out.push(Block::Text(line));
        }
    }
    out
}

/// `Tue, 29 Jan 2019 09:14 −08:00`: the sent time in the message's own
/// offset (a minus sign, not a hyphen); as written when it cannot be read.
fn sent(raw: &str) -> String {
    let cleaned = raw.split('(').next().unwrap_or(raw).trim();
    let Ok(zoned) = jiff::fmt::rfc2822::parse(cleaned) else {
        return raw.trim().to_string();
    };
    let seconds = zoned.offset().seconds();
    let sign = if seconds < 0 { '\u{2212}' } else { '+' };
    let minutes = seconds.unsigned_abs() / 60;
    // `strtime::format` reports a failure where `strftime`'s Display would panic.
    match jiff::fmt::strtime::format("%a, %-d %b %Y %H:%M", &zoned) {
        Ok(local) => format!("{local} {sign}{:02}:{:02}", minutes / 60, minutes % 60),
        Err(_) => raw.trim().to_string(),
    }
}

/// `block` with each character no font shows replaced (U+FFFD if a font
/// has it, else `?`) and control characters dropped; `replaced` counts them.
fn showable(block: Block, set: &mut super::font::FontSet, replaced: &mut usize) -> Block {
    let mut fix = |text: String| -> String {
        if set.missing(&text).is_none() && !text.chars().any(char::is_control) {
            return text;
        }
        let fallback = if set.missing("\u{FFFD}").is_none() {
            '\u{FFFD}'
        } else {
            '?'
        };
        text.chars()
            .filter(|c| !c.is_control())
            .map(|c| {
                let mut buf = [0u8; 4];
                if set.missing(c.encode_utf8(&mut buf)).is_some() {
                    *replaced += 1;
                    fallback
                } else {
                    c
                }
            })
            .collect()
    };
    match block {
        Block::Text(t) => Block::Text(fix(t)),
        Block::Field(l, v) => Block::Field(l, fix(v)),
        Block::Numbered {
            label,
            number,
            sample,
            text,
        } => Block::Numbered {
            label,
            number: fix(number),
            sample: fix(sample),
            text: fix(text),
        },
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page<'a>(
        body: &'a str,
        attachments: &'a [(String, Option<String>)],
        people: &'a [String],
    ) -> EmailPage<'a> {
        EmailPage {
            from: &people[..1],
            to: &people[1..2],
            cc: &people[2..3],
            bcc: &people[3..4],
            subject: Some("Реунион — Καλημέρα — Peña"),
            sent: Some("Tue, 29 Jan 2019 09:14:00 -0800 (PST)"),
            attachments,
            number_sample: "DHS-MPP-000000",
            body,
        }
    }

    fn people() -> Vec<String> {
        [
            "José Peña <jp@example.gov>",
            "Ana Ruiz <ar@example.gov>",
            "Counsel <ogc@example.gov>",
            "Chief <cos@example.gov>",
        ]
        .map(String::from)
        .to_vec()
    }

    fn pdftotext(pdf: &[u8], extra: &[&str]) -> String {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("e.pdf");
        std::fs::write(&path, pdf).unwrap();
        let out = std::process::Command::new("pdftotext")
            .args(extra)
            .arg(&path)
            .arg("-")
            .output()
            .expect("pdftotext (poppler-utils) is needed by this test");
        String::from_utf8(out.stdout).unwrap()
    }

    #[test]
    fn the_header_block_and_the_body_are_all_there() {
        let people = people();
        let attachments = vec![
            (
                "Draft memo.pdf".to_string(),
                Some("DHS-MPP-000005".to_string()),
            ),
            ("Attachment 2 (withheld as privileged)".to_string(), None),
        ];
        let body = "Team,\n\nPlease send comments by Friday.\n\tIndented line.";
        let p = page(body, &attachments, &people);
        let r = render(&p, "seed").unwrap();
        assert_eq!(r.replaced, 0);
        let text = pdftotext(&r.pdf, &[]);
        for want in [
            "From:",
            "José Peña <jp@example.gov>",
            "Ana Ruiz <ar@example.gov>",
            "Counsel <ogc@example.gov>",
            "Chief <cos@example.gov>",
            "Реунион — Καλημέρα — Peña",
            "Tue, 29 Jan 2019 09:14 \u{2212}08:00",
            "Draft memo.pdf",
            "DHS-MPP-000005",
            "Attachment 2 (withheld as privileged)",
            "Please send comments by Friday.",
            "Indented line.",
        ] {
            assert!(text.contains(want), "{want:?} not in\n{text}");
        }
        // The same e-mail gives the same bytes.
        assert_eq!(render(&p, "seed").unwrap().pdf, r.pdf);
        assert_eq!(pages(&p).unwrap(), r.pages);
    }

    #[test]
    fn long_bodies_break_pages_words_and_never_reach_the_stamp_band() {
        let people = people();
        let long_word = "x".repeat(5_000);
        let mut body = String::new();
        for i in 0..300 {
            body.push_str(&format!("Paragraph {i} of the body, with enough words to wrap at least once on a Letter page.\n\n"));
        }
        body.push_str(&long_word);
        let attachments: Vec<(String, Option<String>)> = Vec::new();
        let p = page(&body, &attachments, &people);
        let r = render(&p, "seed").unwrap();
        assert!(r.pages > 5, "{}", r.pages);
        assert_eq!(pages(&p).unwrap(), r.pages);
        let doc = lopdf::Document::load_mem(&r.pdf).unwrap();
        assert_eq!(doc.get_pages().len() as u64, r.pages);
        // Every character of the long word is on some page, in order.
        let text: String = pdftotext(&r.pdf, &[]).split_whitespace().collect();
        assert!(text.contains(&long_word), "the long word was cut");
        assert!(text.contains("Paragraph299"));
        // No glyph in the bottom inch: -bbox gives each word's yMax from the top.
        let bbox = pdftotext(&r.pdf, &["-bbox"]);
        for line in bbox.lines().filter(|l| l.contains("<word")) {
            let y_max: f32 = line
                .split("yMax=\"")
                .nth(1)
                .and_then(|s| s.split('"').next())
                .and_then(|s| s.parse().ok())
                .unwrap();
            assert!(
                y_max < 792.0 - 72.0,
                "a word reaches the stamp band: {line}"
            );
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("long.pdf");
        std::fs::write(&path, &r.pdf).unwrap();
        let check = std::process::Command::new("qpdf")
            .arg("--check")
            .arg(&path)
            .output()
            .expect("qpdf is needed by this test");
        assert!(check.status.success(), "{check:?}");
    }

    #[test]
    fn the_layout_does_not_depend_on_which_numbers_are_shown() {
        let people = people();
        let names: Vec<String> = (0..40)
            .map(|i| format!("Attachment number {i} with a rather long descriptive file name.pdf"))
            .collect();
        let numbered: Vec<(String, Option<String>)> = names
            .iter()
            .enumerate()
            .map(|(i, n)| (n.clone(), Some(format!("DHS-MPP-{:06}", 100 + i))))
            .collect();
        let bare: Vec<(String, Option<String>)> = names.iter().map(|n| (n.clone(), None)).collect();
        let body = "Body.\n".repeat(60);
        let a = pages(&page(&body, &numbered, &people)).unwrap();
        let b = pages(&page(&body, &bare, &people)).unwrap();
        assert_eq!(a, b);
    }

    #[test]
    fn unreadable_dates_show_as_written() {
        assert_eq!(sent("sometime last week"), "sometime last week");
        assert_eq!(
            sent("Wed, 31 Jan 2024 22:30:00 +0530"),
            "Wed, 31 Jan 2024 22:30 +05:30"
        );
        assert_eq!(
            sent("Mon, 4 Feb 2019 07:05:00 -0000"),
            "Mon, 4 Feb 2019 07:05 +00:00"
        );
        assert_eq!(
            sent("Mon, 04 Feb 2019 07:05:00 -0330"),
            "Mon, 4 Feb 2019 07:05 \u{2212}03:30"
        );
    }
}
