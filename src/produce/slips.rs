//! The text a volume draws besides page content: slip-sheet headings and
//! lines, legends and Bates numbers, gathered once per volume so each font is
//! shaped and subset once (issue 12), and refused before anything is written
//! when no available font can show it.

use super::bates::BatesFormat;
use super::document::Job;
use super::plan::Form;
use super::rows;
use super::volume::Request;
use crate::error::Error;
use crate::pdf::embed::Fonts;
use crate::pdf::font::FontSet;
use rayon::prelude::*;

/// The heading and lines of a document's slip sheet, if it gets one.
pub(super) fn slip_text(
    job: &Job<'_>,
    numbers: &[String],
    bates: &BatesFormat,
    config: &crate::matter::Config,
    req: &Request<'_>,
) -> Option<(&'static str, Vec<String>)> {
    let (p, doc) = (job.planned, job.doc);
    // Imaged documents get no slip: their numbers are not joined for nothing.
    if !matches!(p.form, Form::Native { .. } | Form::WithheldSlip) {
        return None;
    }
    let mut lines = vec![
        format!("Bates: {}", numbers.join(", ")),
        format!("Control number: {}", doc.id),
    ];
    match &p.form {
        Form::Native { .. } => {
            lines.push(format!("File name: {}", rows::index_filename(doc, p)));
            Some(("Produced in native format", lines))
        }
        Form::WithheldSlip => {
            if let Some(row) = rows::privlog_row(doc, p, req.name, bates, config) {
                lines.push(format!("Privilege: {}", row.privilege));
                lines.push(format!("Privilege log entry: {}", row.log_id));
            }
            Some(("Withheld \u{2013} Privileged", lines))
        }
        _ => None,
    }
}

/// The numbers a slip sheet lists, of the document's `numbers`: every one,
/// or in an overlay the first only (the rest are "Intentionally left
/// blank" pages).
pub(super) fn slip_numbers<'n>(numbers: &'n [String], req: &Request<'_>) -> &'n [String] {
    match req.overlay {
        Some(_) => &numbers[..numbers.len().min(1)],
        None => numbers,
    }
}

/// Every text the volume will draw, gathered a batch of documents at a
/// time, then laid out and subset once.
pub(super) struct VolumeTexts {
    set: FontSet,
    // Distinct texts only: a legend repeats on every document, and a
    // 200,000-page document must not mean 200,000 shapings.
    texts: std::collections::BTreeSet<String>,
    checked: Checked,
}

/// What the fonts have already been asked: a character found in a font once
/// needs no second look, and an ASCII character added alone once need not be
/// added again (a volume of 100,000 slips repeats the same few dozen).
#[derive(Default)]
struct Checked {
    shown: std::collections::HashSet<char>,
    // Bit i: ASCII character i. Kept apart from `shown` so the common case
    // costs a shift, not a hash.
    ascii_shown: u128,
    ascii_alone: u128,
}

impl Checked {
    fn is_shown(&self, c: char) -> bool {
        if c.is_ascii() {
            self.ascii_shown & (1 << c as u32) != 0
        } else {
            self.shown.contains(&c)
        }
    }

    /// Whether the ASCII character `c` is added alone for the first time
    /// (it is marked as added).
    fn first_alone(&mut self, c: char) -> bool {
        let bit = 1u128 << (c as u32 & 127);
        let first = self.ascii_alone & bit == 0;
        self.ascii_alone |= bit;
        first
    }

    fn now_shown(&mut self, c: char) {
        if c.is_ascii() {
            self.ascii_shown |= 1 << c as u32;
        } else {
            self.shown.insert(c);
        }
    }
}

impl VolumeTexts {
    pub(super) fn new() -> VolumeTexts {
        VolumeTexts {
            set: FontSet::new(),
            texts: std::collections::BTreeSet::new(),
            checked: Checked::default(),
        }
    }

    /// Adds the texts of `jobs`; text no font can show is an input error.
    pub(super) fn add(
        &mut self,
        jobs: &[Job<'_>],
        bates: &BatesFormat,
        config: &crate::matter::Config,
        req: &Request<'_>,
    ) -> Result<(), Error> {
        // Each document's texts are gathered in parallel, a few thousand at
        // a time, and checked in order (the first problem is the one reported).
        for chunk in jobs.chunks(4096) {
            let gathered: Vec<Vec<(String, String)>> = chunk
                .par_iter()
                .map(|job| job_texts(job, bates, config, req))
                .collect();
            for (job, fields) in chunk.iter().zip(gathered) {
                check_texts(
                    job,
                    fields,
                    &mut self.set,
                    &mut self.checked,
                    &mut self.texts,
                )?;
            }
        }
        Ok(())
    }

    /// The volume's fonts, prepared for every text gathered.
    pub(super) fn fonts(mut self, bates: &BatesFormat, req: &Request<'_>) -> Result<Fonts, Error> {
        // A Bates number is an ASCII prefix and digits: prepared a character at
        // a time, every page's number is put together from them.
        for c in bates.prefix.chars().chain('0'..='9') {
            self.texts.insert(c.to_string());
        }
        // An overlay pads with blank pages and suffixes longer replacements.
        if req.overlay.is_some() {
            self.texts.insert(crate::pdf::padding::BLANK.to_string());
            self.texts.insert(".".to_string());
        }
        let (set, texts) = (&mut self.set, &self.texts);
        // A damaged installed font must not bring the process down.
        crate::pdf::guarded("font", || set.prepare(texts.iter().map(String::as_str))).map_err(|e| {
            Error::input(format!("text no available font can show: {e}"))
                .hint("install a font covering it, or change the text; nothing was written")
        })
    }
}

/// (what it is, text) for every text a document's pages or slip show
/// besides the Bates numbers.
fn job_texts(
    job: &Job<'_>,
    bates: &BatesFormat,
    config: &crate::matter::Config,
    req: &Request<'_>,
) -> Vec<(String, String)> {
    // Only a slip sheet shows its numbers as text; a page's stamp is put
    // together from the prefix and digits prepared with the fonts.
    // Imaged documents get no slip: their numbers are not made for nothing.
    let numbers = match job.planned.form {
        Form::Native { .. } | Form::WithheldSlip => job.planned.numbers(bates),
        _ => Vec::new(),
    };
    let numbers = slip_numbers(&numbers, req);
    let mut fields: Vec<(String, String)> = Vec::new();
    if let Some(level) = job
        .planned
        .confidentiality
        .as_deref()
        .and_then(|l| config.level(l))
    {
        fields.push((
            format!("legend of level {:?}", level.name),
            level.legend.clone(),
        ));
    }
    if let Some((heading, lines)) = slip_text(job, numbers, bates, config, req) {
        fields.push(("slip-sheet heading".into(), heading.to_string()));
        fields.extend(
            lines
                .into_iter()
                .map(|l| ("slip-sheet line".to_string(), l)),
        );
    }
    fields
}

/// Refuses text no font can show; adds the rest to `texts` to prepare.
fn check_texts(
    job: &Job<'_>,
    fields: Vec<(String, String)>,
    set: &mut FontSet,
    checked: &mut Checked,
    texts: &mut std::collections::BTreeSet<String>,
) -> Result<(), Error> {
    for (field, text) in fields {
        let new: String = text.chars().filter(|c| !checked.is_shown(*c)).collect();
        if let Some(c) = set.missing(&new) {
            return Err(Error::input(format!(
                "{}: the {field} {text:?} contains {c:?} (U+{:04X}), which no available font can show",
                job.doc.id, c as u32
            ))
            .hint("install a font covering it, or change the text; nothing was written"));
        }
        // A slip line in ASCII (its numbers, control number, file name)
        // differs on every slip: it is put together from its characters,
        // as a Bates number is, so a volume of 100,000 natives does not
        // keep 300,000 shaped lines. Other text is shaped whole.
        if field == "slip-sheet line" && text.is_ascii() {
            for c in text.chars() {
                if checked.first_alone(c) {
                    texts.insert(c.to_string());
                }
            }
        } else {
            texts.insert(text);
        }
        for c in new.chars() {
            checked.now_shown(c);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::Checked;

    #[test]
    fn a_character_is_shown_once_marked_ascii_or_not() {
        let mut checked = Checked::default();
        for c in ['\0', 'A', '\u{7f}', '\u{80}', 'é', '中'] {
            assert!(!checked.is_shown(c), "{c:?} before");
            checked.now_shown(c);
            assert!(checked.is_shown(c), "{c:?} after");
        }
        // Neighbours of the ASCII bits are untouched.
        assert!(!checked.is_shown('B') && !checked.is_shown('@') && !checked.is_shown('\u{7e}'));
    }

    #[test]
    fn an_ascii_character_is_added_alone_once() {
        let mut checked = Checked::default();
        let added: Vec<char> = "AR-000101 AR-000102"
            .chars()
            .filter(|c| checked.first_alone(*c))
            .collect();
        assert_eq!(added, ['A', 'R', '-', '0', '1', ' ', '2']);
        assert!(
            !checked.is_shown('A'),
            "added alone is not the same as shown"
        );
    }
}
