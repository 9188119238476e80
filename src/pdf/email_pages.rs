//! Stand-in until the e-mail page writer lands: the header and body as a
//! text document.

use super::textdoc::{Block, write_for_people};

pub struct EmailPage<'a> {
    pub from: &'a [String],
    pub to: &'a [String],
    pub cc: &'a [String],
    pub bcc: &'a [String],
    pub subject: Option<&'a str>,
    pub sent: Option<&'a str>,
    pub attachments: &'a [(String, Option<String>)],
    pub body: &'a str,
}

pub struct Rendered {
    pub pdf: Vec<u8>,
    pub pages: u64,
    pub replaced: usize,
}

pub fn render(page: &EmailPage, id_seed: &str) -> Result<Rendered, crate::error::Error> {
    let mut blocks = Vec::new();
    for (label, values) in [
        ("From", page.from),
        ("To", page.to),
        ("Cc", page.cc),
        ("Bcc", page.bcc),
    ] {
        if !values.is_empty() {
            blocks.push(Block::Text(format!("{label}: {}", values.join("; "))));
        }
    }
    if let Some(s) = page.sent {
        blocks.push(Block::Text(format!("Sent: {s}")));
    }
    if let Some(s) = page.subject {
        blocks.push(Block::Text(format!("Subject: {s}")));
    }
    for (name, bates) in page.attachments {
        blocks.push(Block::Text(format!(
            "Attachment: {name} {}",
            bates.as_deref().unwrap_or("")
        )));
    }
    blocks.push(Block::Gap);
    for line in page.body.lines() {
        blocks.push(if line.trim().is_empty() {
            Block::Gap
        } else {
            Block::Text(line.to_string())
        });
    }
    let pdf = write_for_people(&blocks, "e-mail", id_seed)?;
    let pages = lopdf::Document::load_mem(&pdf)
        .map(|d| d.get_pages().len() as u64)
        .unwrap_or(0);
    Ok(Rendered {
        pdf,
        pages,
        replaced: 0,
    })
}
