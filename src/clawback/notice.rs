//! The clawback notice an overlay volume carries (PDF and CSV): the recalled
//! ranges, the privilege asserted, the date of each request, and what
//! replaced it.

use crate::error::Error;
use crate::matter::Config;
use crate::matter::clawbacks::Clawback;
use crate::pdf::textdoc::Block;
use crate::produce::bates::BatesFormat;

pub const COLUMNS: [&str; 10] = [
    "BEGBATES",
    "ENDBATES",
    "CONTROL_ID",
    "VOLUME",
    "PRIVILEGE",
    "DESCRIPTION",
    "REQUESTED_ON",
    "REASON",
    "REPLACEMENT",
    "REPLACED_BY",
];

/// One notice row per request, in Bates order.
pub fn rows(
    clawbacks: &[&Clawback],
    overlay: &str,
    config: &Config,
    bates: &BatesFormat,
) -> Vec<[String; 10]> {
    clawbacks
        .iter()
        .map(|c| {
            let r = &c.request;
            let privilege: Vec<String> = r
                .privileges
                .iter()
                .map(|code| {
                    config
                        .privilege(code)
                        .map_or(code.clone(), |p| p.name.clone())
                })
                .collect();
            [
                bates.format(r.beg),
                bates.format(r.end),
                r.docid.to_string(),
                r.volume.clone(),
                privilege.join("; "),
                r.description.clone(),
                r.requested_on.clone(),
                r.reason.clone().unwrap_or_default(),
                r.replacement.label().to_string(),
                overlay.to_string(),
            ]
        })
        .collect()
}

pub fn csv(rows: &[[String; 10]]) -> Result<Vec<u8>, Error> {
    crate::export::csv::table_bytes(&COLUMNS, rows.iter().map(|r| r.iter()))
        .map_err(Error::internal)
}

/// The notice as a PDF: who gives it, under which rules, and one entry per
/// recalled range.
pub fn pdf(
    rows: &[[String; 10]],
    overlay: &str,
    date: &str,
    config: &Config,
) -> Result<Vec<u8>, Error> {
    let m = &config.matter;
    let mut blocks = vec![Block::Title("Notice of clawback".into())];
    for line in [&m.caption, &m.case_number, &m.court] {
        if !line.trim().is_empty() {
            blocks.push(Block::Text(line.clone()));
        }
    }
    blocks.push(Block::Gap);
    let party = if m.producing_party.trim().is_empty() {
        "The producing party"
    } else {
        m.producing_party.trim()
    };
    blocks.push(Block::Text(format!(
        "{party} gives notice under Fed. R. Civ. P. 26(b)(5)(B) and Fed. R. Evid. 502 that the documents below were produced inadvertently and are subject to the privilege asserted. They are replaced on the same Bates numbers by volume {overlay} ({date}). Please return, sequester or destroy the recalled versions and any copies."
    )));
    blocks.push(Block::Gap);
    blocks.push(Block::Row(vec![
        (0.0, "Bates range".into()),
        (190.0, "Requested".into()),
        (270.0, "Replacement".into()),
        (350.0, "Produced in".into()),
    ]));
    for r in rows {
        let range = if r[0] == r[1] {
            r[0].clone()
        } else {
            format!("{} – {}", r[0], r[1])
        };
        blocks.push(Block::Row(vec![
            (0.0, range),
            (190.0, r[6].clone()),
            (270.0, r[8].clone()),
            (350.0, r[3].clone()),
        ]));
        blocks.push(Block::Text(format!("Privilege: {}. {}", r[4], r[5])));
        if !r[7].is_empty() {
            blocks.push(Block::Text(format!("Reason: {}", r[7])));
        }
        blocks.push(Block::Gap);
    }
    let seed = crate::model::sha256_hex(format!("{overlay}|{date}|{rows:?}").as_bytes());
    crate::pdf::textdoc::write_for_people(&blocks, "clawback notice", &seed)
}
