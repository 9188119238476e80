//! The certification appendix as Markdown, CSV and the blocks of its PDF,
//! and the draft declaration, all from one [`Certification`].

use super::{Certification, Count, Gap};
use crate::matter::config::CertificationConfig;
use crate::pdf::textdoc::Block;

/// `value`, or a bracketed blank naming what to fill in.
fn or_blank(value: &str, blank: &str) -> String {
    if value.trim().is_empty() {
        format!("[{blank}]")
    } else {
        value.trim().to_string()
    }
}

fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The draft declaration's paragraphs, figures filled in.
pub fn declaration(c: &CertificationConfig, cert: &Certification) -> Vec<String> {
    let declarant = or_blank(&c.declarant, "DECLARANT");
    let title = or_blank(&c.title, "TITLE");
    let agency = or_blank(&c.agency, "AGENCY");
    let record = or_blank(&c.record_description, "DESCRIPTION OF THE RECORD");
    let treatment = |label: &str| {
        cert.by_treatment
            .iter()
            .find(|t| t.label == label)
            .map_or(0, |t| t.documents)
    };
    let volumes: Vec<String> = cert
        .volumes
        .iter()
        .map(|v| {
            let range = if v.first_bates.is_empty() {
                "no Bates numbers".to_string()
            } else {
                format!("Bates {} through {}", v.first_bates, v.last_bates)
            };
            format!(
                "{} (\u{201C}{}\u{201D}, dated {}; {}; {}, {})",
                v.name,
                v.title,
                v.date,
                range,
                plural(v.total.documents, "document", "documents"),
                plural(v.total.pages, "page", "pages")
            )
        })
        .collect();
    let mut gaps: Vec<String> = Vec::new();
    for v in &cert.volumes {
        for g in &v.gaps {
            gaps.push(format!("{} in {}: {}", g.bates, v.name, g.reason));
        }
        for cu in &v.custodians {
            for g in &cu.gaps {
                gaps.push(format!(
                    "{} ({}, {}): {}",
                    g.control_id, cu.custodian, v.name, g.reason
                ));
            }
        }
    }
    for g in &cert.gaps_between_volumes {
        gaps.push(format!("{}: {}", g.bates, g.reason));
    }
    let gap_text = if gaps.is_empty() {
        "No Bates number within these ranges was skipped, and every document listed in the index bears Bates numbers.".to_string()
    } else {
        format!(
            "The following documents or numbers are not in the Bates sequence, for the reasons given: {}.",
            gaps.join("; ")
        )
    };
    let hashes: Vec<String> = cert
        .volumes
        .iter()
        .map(|v| {
            format!(
                "{}: {}",
                v.name,
                v.sha256sums_sha256
                    .as_deref()
                    .unwrap_or("[SHA256SUMS NOT FOUND]")
            )
        })
        .collect();
    vec![
        format!("DECLARATION OF {}", declarant.to_uppercase()),
        format!("I, {declarant}, declare as follows:"),
        format!(
            "1. I am the {title} of the {agency}. I make this declaration on personal knowledge and on information provided to me in the course of my official duties."
        ),
        format!(
            "2. The administrative record for {record} was compiled under my supervision. To the best of my knowledge, the documents produced in {}, No. {} ({}), described below, are true and correct copies of the documents that comprise it, together with the privilege log served with each volume.",
            cert.caption, cert.case_number, cert.court
        ),
        format!(
            "3. {} produced {} comprising {}, Bates-numbered {}, in {}: {}.",
            cert.producing_party,
            plural(cert.total.documents, "document", "documents"),
            plural(cert.total.pages, "page", "pages"),
            if cert.bates_ranges.is_empty() {
                "[none]".to_string()
            } else {
                cert.bates_ranges.clone()
            },
            plural(cert.volumes.len() as u64, "volume", "volumes"),
            volumes.join("; ")
        ),
        format!(
            "4. Of these documents: produced in full, {}; produced with redactions, {}; withheld in full on the basis of privilege, {}. Each redacted or withheld document is described on the privilege log.",
            treatment("Produced"),
            treatment("Redacted"),
            treatment("Withheld")
        ),
        format!("5. {gap_text}"),
        format!(
            "6. Each volume includes a SHA256SUMS file listing the SHA-256 hash of every file in it. The SHA-256 hashes of those files are: {}.",
            hashes.join("; ")
        ),
        "I declare under penalty of perjury that the foregoing is true and correct.".into(),
        "Executed on [DATE] at [PLACE].".into(),
        format!("{declarant}, {title}"),
    ]
}

fn count_cells(c: &Count) -> [String; 3] {
    [
        c.label.clone(),
        c.documents.to_string(),
        c.pages.to_string(),
    ]
}

/// The appendix as Markdown.
pub fn markdown(cert: &Certification) -> String {
    let mut out = String::new();
    let table = |out: &mut String, first: &str, rows: &[Count]| {
        out.push_str(&format!(
            "| {first} | documents | pages |\n|---|---:|---:|\n"
        ));
        for r in rows {
            let [a, b, c] = count_cells(r);
            out.push_str(&format!("| {} | {b} | {c} |\n", md_cell(&a)));
        }
        out.push('\n');
    };
    out.push_str(&format!(
        "# Certification appendix\n\n{}, No. {} ({})\n\nProduced by {}: {}, {}; Bates {}.\n\n",
        cert.caption,
        cert.case_number,
        cert.court,
        cert.producing_party,
        plural(cert.total.documents, "document", "documents"),
        plural(cert.total.pages, "page", "pages"),
        or_dash(&cert.bates_ranges)
    ));
    table(&mut out, "treatment", &cert.by_treatment);
    for v in &cert.volumes {
        out.push_str(&format!(
            "## {} \u{2014} {}\n\nDate {}; Bates {} to {}; {}, {}; {} not produced separately.\n\nSHA-256 of SHA256SUMS: `{}`\n\n",
            v.name,
            md_cell(&v.title),
            v.date,
            or_dash(&v.first_bates),
            or_dash(&v.last_bates),
            plural(v.total.documents, "document", "documents"),
            plural(v.total.pages, "page", "pages"),
            plural(v.duplicates_not_produced, "exact duplicate", "exact duplicates"),
            v.sha256sums_sha256.as_deref().unwrap_or("SHA256SUMS not found")
        ));
        if let Some(note) = overlay_note(v) {
            out.push_str(&format!("{note}\n\n"));
        }
        table(&mut out, "treatment", &v.by_treatment);
        table(&mut out, "category", &v.by_category);
        out.push_str("| custodian | documents | pages | Bates |\n|---|---:|---:|---|\n");
        for cu in &v.custodians {
            out.push_str(&format!(
                "| {} | {} | {} | {} |\n",
                md_cell(&cu.custodian),
                cu.total.documents,
                cu.total.pages,
                or_dash(&cu.bates_ranges)
            ));
        }
        out.push_str("\nGaps: ");
        let gaps = volume_gaps(v);
        if gaps.is_empty() {
            out.push_str("none.\n\n");
        } else {
            out.push('\n');
            for g in gaps {
                out.push_str(&format!("- {}\n", md_cell(&gap_text(&g))));
            }
            out.push('\n');
        }
    }
    for g in &cert.gaps_between_volumes {
        out.push_str(&format!("- {}\n", gap_text(g)));
    }
    out.push_str("## Draft declaration\n\n");
    for p in &cert.declaration {
        out.push_str(&format!("{}\n\n", md_cell(p)));
    }
    out
}

/// What an overlay volume is, for the volume's section.
fn overlay_note(v: &super::VolumeFigures) -> Option<String> {
    v.overlay_of.as_ref().map(|of| {
        format!(
            "Overlay of {} (clawback): replaces {} on the same Bates numbers; the totals above count each document once, as replaced.",
            of.join(", "),
            plural(v.total.documents, "recalled document", "recalled documents")
        )
    })
}

fn or_dash(s: &str) -> &str {
    if s.is_empty() { "\u{2014}" } else { s }
}

/// Markdown table cells cannot hold `|` or line breaks.
fn md_cell(s: &str) -> String {
    s.replace('|', "\\|").replace(['\r', '\n'], " ")
}

fn gap_text(g: &Gap) -> String {
    match (g.bates.is_empty(), g.control_id.is_empty()) {
        (false, _) => format!("{}: {}", g.bates, g.reason),
        (true, false) => format!("{}: {}", g.control_id, g.reason),
        (true, true) => g.reason.clone(),
    }
}

/// The volume's gaps: numbers no document holds, then documents without numbers.
fn volume_gaps(v: &super::VolumeFigures) -> Vec<Gap> {
    let mut out = v.gaps.clone();
    for cu in &v.custodians {
        out.extend(cu.gaps.iter().map(|g| Gap {
            reason: format!("{} ({})", g.reason, cu.custodian),
            ..g.clone()
        }));
    }
    out
}

/// The CSV's columns.
pub const CSV_COLUMNS: [&str; 7] = [
    "VOLUME",
    "SECTION",
    "ITEM",
    "DOCUMENTS",
    "PAGES",
    "BATES",
    "DETAIL",
];

/// The figures as CSV rows (the draft declaration is in the Markdown and PDF).
pub fn csv_rows(cert: &Certification) -> Vec<[String; 7]> {
    let mut rows = Vec::new();
    let row =
        |volume: &str, section: &str, item: &str, c: Option<&Count>, bates: &str, detail: &str| {
            [
                volume.to_string(),
                section.to_string(),
                item.to_string(),
                c.map(|c| c.documents.to_string()).unwrap_or_default(),
                c.map(|c| c.pages.to_string()).unwrap_or_default(),
                bates.to_string(),
                detail.to_string(),
            ]
        };
    for v in &cert.volumes {
        let range = if v.first_bates.is_empty() {
            String::new()
        } else {
            format!("{} \u{2013} {}", v.first_bates, v.last_bates)
        };
        rows.push(row(
            &v.name,
            "volume",
            &v.title,
            Some(&v.total),
            &range,
            &v.date,
        ));
        rows.push(row(
            &v.name,
            "sha256sums",
            "SHA256SUMS",
            None,
            "",
            v.sha256sums_sha256.as_deref().unwrap_or("not found"),
        ));
        for t in &v.by_treatment {
            rows.push(row(&v.name, "treatment", &t.label, Some(t), "", ""));
        }
        for c in &v.by_category {
            rows.push(row(&v.name, "category", &c.label, Some(c), "", ""));
        }
        for cu in &v.custodians {
            rows.push(row(
                &v.name,
                "custodian",
                &cu.custodian,
                Some(&cu.total),
                &cu.bates_ranges,
                "",
            ));
        }
        for g in volume_gaps(v) {
            rows.push(row(
                &v.name,
                "gap",
                &g.control_id,
                None,
                &g.bates,
                &g.reason,
            ));
        }
        let dups = Count {
            label: String::new(),
            documents: v.duplicates_not_produced,
            pages: 0,
        };
        rows.push(row(
            &v.name,
            "duplicates",
            "not produced separately",
            Some(&dups),
            "",
            "",
        ));
    }
    for g in &cert.gaps_between_volumes {
        rows.push(row("", "gap", "", None, &g.bates, &g.reason));
    }
    for t in &cert.by_treatment {
        rows.push(row("ALL", "treatment", &t.label, Some(t), "", ""));
    }
    rows.push(row(
        "ALL",
        "total",
        "Total",
        Some(&cert.total),
        &cert.bates_ranges,
        "",
    ));
    rows
}

/// The appendix as the PDF's blocks.
pub fn pdf_blocks(cert: &Certification) -> Vec<Block> {
    let mut b = vec![
        Block::Title("Certification appendix".into()),
        Block::Text(format!(
            "{}, No. {} ({})",
            cert.caption, cert.case_number, cert.court
        )),
        Block::Text(format!(
            "Produced by {}: {}, {}; Bates {}.",
            cert.producing_party,
            plural(cert.total.documents, "document", "documents"),
            plural(cert.total.pages, "page", "pages"),
            or_dash(&cert.bates_ranges)
        )),
    ];
    let counts = |b: &mut Vec<Block>, first: &str, rows: &[Count]| {
        b.push(Block::Row(vec![
            (0.0, first.to_string()),
            (330.0, "documents".into()),
            (400.0, "pages".into()),
        ]));
        for r in rows {
            let [l, d, p] = count_cells(r);
            b.push(Block::Row(vec![(0.0, l), (330.0, d), (400.0, p)]));
        }
        b.push(Block::Gap);
    };
    b.push(Block::Gap);
    counts(&mut b, "Treatment", &cert.by_treatment);
    for v in &cert.volumes {
        b.push(Block::Heading(format!("{} \u{2014} {}", v.name, v.title)));
        b.push(Block::Text(format!(
            "Date {}; Bates {} to {}; {}, {}; {} not produced separately.",
            v.date,
            or_dash(&v.first_bates),
            or_dash(&v.last_bates),
            plural(v.total.documents, "document", "documents"),
            plural(v.total.pages, "page", "pages"),
            plural(
                v.duplicates_not_produced,
                "exact duplicate",
                "exact duplicates"
            ),
        )));
        b.push(Block::Text(format!(
            "SHA-256 of SHA256SUMS: {}",
            v.sha256sums_sha256
                .as_deref()
                .unwrap_or("SHA256SUMS not found")
        )));
        if let Some(note) = overlay_note(v) {
            b.push(Block::Text(note));
        }
        b.push(Block::Gap);
        counts(&mut b, "Treatment", &v.by_treatment);
        counts(&mut b, "Category", &v.by_category);
        for cu in &v.custodians {
            b.push(Block::Text(format!(
                "Custodian {}: {}, {}; Bates {}",
                cu.custodian,
                plural(cu.total.documents, "document", "documents"),
                plural(cu.total.pages, "page", "pages"),
                or_dash(&cu.bates_ranges)
            )));
        }
        let gaps = volume_gaps(v);
        if gaps.is_empty() {
            b.push(Block::Text("Gaps: none.".into()));
        }
        for g in gaps {
            b.push(Block::Text(format!("Gap: {}", gap_text(&g))));
        }
    }
    for g in &cert.gaps_between_volumes {
        b.push(Block::Text(format!("Gap: {}", gap_text(g))));
    }
    b.push(Block::Heading("Draft declaration".into()));
    for p in &cert.declaration {
        b.push(Block::Text(p.clone()));
        b.push(Block::Gap);
    }
    b
}
