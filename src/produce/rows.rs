//! Index and privilege-log values for one planned document. The privilege
//! rules live here: nothing extracted from a redacted or withheld original
//! reaches a row unless a reviewer entered it.

use super::bates::BatesFormat;
use super::plan::Planned;
use crate::export::{IndexRow, PrivLogRow};
use crate::matter::config::Config;
use crate::model::Document;
use crate::model::FileKind;
use crate::model::Treatment;

/// Where the document's files are in the volume, and the hash of what went out.
#[derive(Debug, Clone, Default)]
pub struct Written {
    pub nativelink: String,
    pub imagelink: String,
    pub textlink: String,
    pub produced_sha256: String,
    /// Pages of the document with no text (no text layer).
    pub pages_without_text: usize,
    /// Covered text in a produced (not redacted) PDF, for the summary.
    pub warnings: Vec<String>,
    /// Every file written for the document: (volume-relative path, SHA-256).
    pub files: Vec<(String, String)>,
    /// Single-page images, one per Bates page (empty when images are PDFs).
    pub pages: Vec<super::images::PageFile>,
}

/// `undated` (any case) means a reviewer stated there is no date.
fn reviewer_date(value: &Option<String>) -> Option<Option<String>> {
    value.as_ref().map(|v| {
        if v.trim().eq_ignore_ascii_case("undated") {
            None
        } else {
            Some(v.trim().to_string())
        }
    })
}

/// The first value that is not blank, or an empty one.
fn first<'a, S: AsRef<str> + ?Sized + 'a>(
    values: impl IntoIterator<Item = Option<&'a S>>,
) -> String {
    values
        .into_iter()
        .flatten()
        .map(AsRef::as_ref)
        .find(|v| !v.trim().is_empty())
        .unwrap_or_default()
        .to_string()
}

/// The FILENAME a document's index row and its slip sheet show: never a
/// withheld document's, a redacted one's only as a reviewer entered it.
pub fn index_filename(doc: &Document, p: &Planned) -> String {
    let entered = doc.review.filename.as_ref();
    match p.treatment {
        Treatment::Withheld => String::new(),
        Treatment::Redacted => entered.cloned().unwrap_or_default(),
        Treatment::Produced => first([entered.map(String::as_str), Some(doc.file_name())]),
    }
}

pub fn index_row(
    doc: &Document,
    p: &Planned,
    volume: &str,
    bates: &BatesFormat,
    written: &Written,
) -> IndexRow {
    let r = &doc.review;
    let m = &doc.source.metadata;
    let privileged = p.treatment != Treatment::Produced;
    let (doc_date, doc_type, title, author, recipients) = if privileged {
        // Reviewers' entries only (required for the log; checked as blockers).
        (
            reviewer_date(&r.doc_date).flatten(),
            r.doc_type.clone().unwrap_or_default(),
            if p.treatment == Treatment::Withheld {
                String::new()
            } else {
                r.title.clone().unwrap_or_default()
            },
            r.author.clone().unwrap_or_default(),
            r.recipients.clone().unwrap_or_default(),
        )
    } else {
        let extracted_date = m.date.clone().or_else(|| m.created.clone());
        let recipients = m.recipients();
        (
            reviewer_date(&r.doc_date).unwrap_or(extracted_date),
            first([
                r.doc_type.as_ref(),
                (doc.source.kind == FileKind::Email).then_some(&"Email".to_string()),
            ]),
            first([r.title.as_ref(), m.subject.as_ref(), m.title.as_ref()]),
            first([r.author.as_ref(), m.from.as_ref(), m.author.as_ref()]),
            first([r.recipients.as_ref(), Some(&recipients)]),
        )
    };
    IndexRow {
        begbates: p.beg().map(|n| bates.format(n)).unwrap_or_default(),
        endbates: p.end_label(bates),
        pgcount: p.beg().map(|_| p.pages),
        control_id: doc.id.to_string(),
        volume: volume.to_string(),
        category: r.categories.join("; "),
        treatment: p.treatment.label().to_string(),
        confidentiality: p.confidentiality.as_deref().unwrap_or_default().to_string(),
        doc_date,
        doc_type,
        title,
        author,
        recipients,
        custodian: doc.source.custodian.clone(),
        filename: index_filename(doc, p),
        produced_sha256: written.produced_sha256.clone(),
        source_sha256: doc.source.sha256.clone(),
        source_md5: doc.source.md5.clone(),
        duplicates: p
            .duplicates()
            .iter()
            .map(|d| d.to_string())
            .collect::<Vec<_>>()
            .join("; "),
        begattach: format_opt(bates, p.links().begattach),
        endattach: format_opt(bates, p.links().endattach),
        parent_bates: format_opt(bates, p.links().parent),
        attach_bates: p
            .links()
            .attachments
            .iter()
            .map(|&n| bates.format(n))
            .collect::<Vec<_>>()
            .join("; "),
        nativelink: written.nativelink.clone(),
        imagelink: written.imagelink.clone(),
        textlink: written.textlink.clone(),
    }
}

pub fn privlog_row(
    doc: &Document,
    p: &Planned,
    volume: &str,
    bates: &BatesFormat,
    config: &Config,
) -> Option<PrivLogRow> {
    let log_id = p.log_id()?;
    let r = &doc.review;
    let privilege = r
        .privileges
        .iter()
        .map(|code| {
            config
                .privilege(code)
                .map_or_else(|| code.clone(), |p| p.name.clone())
        })
        .collect::<Vec<_>>()
        .join("; ");
    Some(PrivLogRow {
        log_id: format!("PRIV-{log_id:06}"),
        begbates: p.beg().map(|n| bates.format(n)).unwrap_or_default(),
        endbates: p.end_label(bates),
        control_id: doc.id.to_string(),
        treatment: p.treatment.log_label().to_string(),
        doc_date: reviewer_date(&r.doc_date).flatten(),
        doc_type: r.doc_type.clone().unwrap_or_default(),
        author: r.author.clone().unwrap_or_default(),
        recipients: r.recipients.clone().unwrap_or_default(),
        description: r.description.clone().unwrap_or_default(),
        privilege,
        category: r.categories.join("; "),
        volume: volume.to_string(),
        begattach: format_opt(bates, p.links().begattach),
        endattach: format_opt(bates, p.links().endattach),
        parent_bates: format_opt(bates, p.links().parent),
    })
}

fn format_opt(bates: &BatesFormat, number: Option<u64>) -> String {
    number.map(|n| bates.format(n)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Status;

    fn planned(treatment: Treatment) -> Planned {
        let mut p = crate::produce::plan::tests::native_entry(treatment);
        p.set_numbers(1, 1);
        p
    }

    #[test]
    fn the_file_name_follows_the_privilege_rules() {
        let mut doc = crate::produce::plan::tests::doc(1, "folder/memo.csv", "ab", Status::Produce);
        let cases = [
            (None, Treatment::Produced, "memo.csv"),
            (Some("  "), Treatment::Produced, "memo.csv"),
            (Some("Entered.csv"), Treatment::Produced, "Entered.csv"),
            (None, Treatment::Redacted, ""),
            (Some("Entered.csv"), Treatment::Redacted, "Entered.csv"),
            (None, Treatment::Withheld, ""),
            (Some("Entered.csv"), Treatment::Withheld, ""),
        ];
        for (entered, treatment, expected) in cases {
            doc.review.filename = entered.map(str::to_string);
            let p = planned(treatment);
            assert_eq!(
                index_filename(&doc, &p),
                expected,
                "{entered:?} {treatment:?}"
            );
            // The index row shows the same name.
            let row = index_row(
                &doc,
                &p,
                "VOL001",
                &BatesFormat {
                    prefix: "AR-".into(),
                    width: 6,
                },
                &Written::default(),
            );
            assert_eq!(row.filename, expected);
        }
    }
}
