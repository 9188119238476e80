//! The certification appendix: what an agency official's certifying
//! declaration cites, computed from the rows frozen when each volume was
//! produced (never current tags) and from each volume's SHA256SUMS as it is
//! on disk. Pure: the caller reads the store and the files; `render` writes
//! Markdown, CSV and the PDF's blocks from the same figures.

pub mod output;
pub mod render;

use crate::export::IndexRow;
use crate::export::privlog_profile::{merge_ranges, number_order, split_number};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// One volume as the store and the disk hold it.
pub struct VolumeInput {
    pub name: String,
    pub title: String,
    pub date: String,
    pub index: Vec<Row>,
    /// The LOG_ID of each document that takes no Bates number (withheld in
    /// full and logged only), by CONTROL_ID.
    pub log_ids: HashMap<String, String>,
    /// The volume's SHA256SUMS file, if it could be read.
    pub sha256sums: Option<Vec<u8>>,
    /// An overlay volume (clawback): the volumes whose rows it replaces.
    pub overlay_of: Option<Vec<String>>,
}

/// What the appendix needs of a frozen index row, and no more: a volume of
/// 100,000 documents is certified without holding its whole rows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Row {
    pub control_id: String,
    pub treatment: String,
    /// The categories, `; `-separated.
    pub category: String,
    pub custodian: String,
    pub begbates: String,
    pub endbates: String,
    pub pgcount: Option<u64>,
    /// How many exact duplicates it stands for (not produced separately).
    pub duplicates: u64,
}

impl From<IndexRow> for Row {
    fn from(row: IndexRow) -> Row {
        Row {
            duplicates: row.duplicates.split("; ").filter(|s| !s.is_empty()).count() as u64,
            control_id: row.control_id,
            treatment: row.treatment,
            category: row.category,
            custodian: row.custodian,
            begbates: row.begbates,
            endbates: row.endbates,
            pgcount: row.pgcount,
        }
    }
}

/// The figures of the appendix, and the draft declaration.
#[derive(Debug, Clone, Serialize)]
pub struct Certification {
    pub schema_version: u32,
    pub caption: String,
    pub case_number: String,
    pub court: String,
    pub producing_party: String,
    pub volumes: Vec<VolumeFigures>,
    pub total: Count,
    pub by_treatment: Vec<Count>,
    /// Every Bates number issued in the volumes certified, merged into ranges.
    pub bates_ranges: String,
    /// Numbers between volumes that no volume holds.
    pub gaps_between_volumes: Vec<Gap>,
    /// Volumes whose SHA256SUMS could not be read.
    pub problems: Vec<String>,
    pub declaration: Vec<String>,
}

/// Documents and the Bates numbers (pages) they take.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Count {
    pub label: String,
    pub documents: u64,
    pub pages: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct VolumeFigures {
    pub name: String,
    pub title: String,
    pub date: String,
    pub first_bates: String,
    pub last_bates: String,
    pub total: Count,
    pub by_treatment: Vec<Count>,
    pub by_category: Vec<Count>,
    pub custodians: Vec<CustodianFigures>,
    /// Numbers in the volume's range that no document holds.
    pub gaps: Vec<Gap>,
    /// Exact duplicates not produced separately (listed in DUPLICATES).
    pub duplicates_not_produced: u64,
    /// SHA-256 of the volume's SHA256SUMS, `None` when it could not be read.
    pub sha256sums_sha256: Option<String>,
    /// An overlay volume: the volumes whose clawed-back documents it replaces.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub overlay_of: Option<Vec<String>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CustodianFigures {
    pub custodian: String,
    pub total: Count,
    /// The custodian's documents' numbers, contiguous runs merged.
    pub bates_ranges: String,
    /// Documents of the custodian that take no number, with the reason.
    pub gaps: Vec<Gap>,
}

/// Numbers or documents missing from a run, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Gap {
    /// The numbers (`A – B`), or empty for a document with no number.
    pub bates: String,
    /// The document, when one is concerned.
    pub control_id: String,
    pub reason: String,
}

/// The treatments in the order the SPEC names them.
const TREATMENTS: [&str; 3] = ["Produced", "Redacted", "Withheld"];

/// Computes the appendix for `volumes` (in production order).
pub fn compute(config: &crate::matter::Config, volumes: &[VolumeInput]) -> Certification {
    let figures: Vec<VolumeFigures> = volumes.iter().map(|v| volume(config, v)).collect();
    // The matter's totals count each document once, as it now stands: a
    // replacement (overlay volume) in place of the row it replaced.
    let mut current: Vec<&Row> = Vec::new();
    let mut at: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for v in volumes {
        for row in &v.index {
            match at.get(row.control_id.as_str()) {
                Some(&i) if v.overlay_of.is_some() => current[i] = row,
                _ => {
                    at.insert(row.control_id.as_str(), current.len());
                    current.push(row);
                }
            }
        }
    }
    let mut total = count("Total");
    let mut by_treatment: Vec<Count> = TREATMENTS.iter().map(|t| count(t)).collect();
    for row in &current {
        tally(&mut total, row);
        if let Some(t) = TREATMENTS.iter().position(|t| *t == row.treatment) {
            tally(&mut by_treatment[t], row);
        }
    }
    // An overlay re-issues numbers already issued: they are counted once.
    let mut all: Vec<(&str, &str)> = volumes
        .iter()
        .filter(|v| v.overlay_of.is_none())
        .flat_map(|v| v.index.iter())
        .filter(|r| !r.begbates.is_empty())
        .map(|r| (r.begbates.as_str(), r.endbates.as_str()))
        .collect();
    all.sort_by(|a, b| number_order(a.0, b.0));
    let mut gaps_between_volumes = Vec::new();
    let ordinary: Vec<&VolumeFigures> = figures
        .iter()
        .zip(volumes)
        .filter(|(_, v)| v.overlay_of.is_none())
        .map(|(f, _)| f)
        .collect();
    for pair in ordinary.windows(2) {
        if let Some(gap) = between(&pair[0].last_bates, &pair[1].first_bates) {
            gaps_between_volumes.push(Gap {
                bates: gap,
                control_id: String::new(),
                reason: format!(
                    "between {} and {}: no volume holds these numbers",
                    pair[0].name, pair[1].name
                ),
            });
        }
    }
    let problems = figures
        .iter()
        .filter(|v| v.sha256sums_sha256.is_none())
        .map(|v| {
            format!(
                "{}: productions/{}/SHA256SUMS could not be read; the volume's files cannot be cited",
                v.name, v.name
            )
        })
        .collect();
    let m = &config.matter;
    let mut out = Certification {
        schema_version: 1,
        caption: m.caption.clone(),
        case_number: m.case_number.clone(),
        court: m.court.clone(),
        producing_party: m.producing_party.clone(),
        volumes: figures,
        total,
        by_treatment,
        bates_ranges: merge_ranges(&all),
        gaps_between_volumes,
        problems,
        declaration: Vec::new(),
    };
    out.declaration = render::declaration(&config.certification, &out);
    out
}

fn count(label: &str) -> Count {
    Count {
        label: label.to_string(),
        ..Default::default()
    }
}

fn tally(c: &mut Count, row: &Row) {
    c.documents += 1;
    c.pages += row.pgcount.unwrap_or(0);
}

fn volume(config: &crate::matter::Config, v: &VolumeInput) -> VolumeFigures {
    let mut total = count("Total");
    let mut by_treatment: Vec<Count> = TREATMENTS.iter().map(|t| count(t)).collect();
    let mut by_category: Vec<Count> = config
        .categories
        .iter()
        .map(|c| count(&format!("{} \u{2013} {}", c.id, c.name)))
        .collect();
    let mut custodians: BTreeMap<String, (Count, Vec<&Row>)> = BTreeMap::new();
    let mut duplicates = 0;
    for row in &v.index {
        tally(&mut total, row);
        if let Some(t) = TREATMENTS.iter().position(|t| *t == row.treatment) {
            tally(&mut by_treatment[t], row);
        }
        for id in row.category.split("; ").filter(|s| !s.is_empty()) {
            match config.category(id) {
                Some(c) => {
                    if let Some(i) = config.categories.iter().position(|x| x.id == c.id) {
                        tally(&mut by_category[i], row);
                    }
                }
                None => {
                    // A category since removed from adrec.toml still counts.
                    let label = id.to_string();
                    match by_category.iter_mut().find(|c| c.label == label) {
                        Some(c) => tally(c, row),
                        None => {
                            let mut c = count(&label);
                            tally(&mut c, row);
                            by_category.push(c);
                        }
                    }
                }
            }
        }
        duplicates += row.duplicates;
        let entry = custodians
            .entry(row.custodian.clone())
            .or_insert_with(|| (count(&row.custodian), Vec::new()));
        tally(&mut entry.0, row);
        entry.1.push(row);
    }
    let custodians = custodians
        .into_iter()
        .map(|(custodian, (total, rows))| {
            let mut ranges: Vec<(&str, &str)> = rows
                .iter()
                .filter(|r| !r.begbates.is_empty())
                .map(|r| (r.begbates.as_str(), r.endbates.as_str()))
                .collect();
            ranges.sort_by(|a, b| number_order(a.0, b.0));
            let gaps = rows
                .iter()
                .filter(|r| r.begbates.is_empty())
                .map(|r| Gap {
                    bates: String::new(),
                    control_id: r.control_id.clone(),
                    reason: format!(
                        "withheld in full and logged only ({}): it takes no Bates number",
                        v.log_ids
                            .get(&r.control_id)
                            .map_or("not on the log", String::as_str)
                    ),
                })
                .collect();
            CustodianFigures {
                custodian: if custodian.is_empty() {
                    "(no custodian)".into()
                } else {
                    custodian
                },
                total,
                bates_ranges: merge_ranges(&ranges),
                gaps,
            }
        })
        .collect();
    let mut numbered: Vec<(&str, &str)> = v
        .index
        .iter()
        .filter(|r| !r.begbates.is_empty())
        .map(|r| (r.begbates.as_str(), r.endbates.as_str()))
        .collect();
    numbered.sort_by(|a, b| number_order(a.0, b.0));
    let gaps = numbered
        .windows(2)
        .filter_map(|w| between(w[0].1, w[1].0))
        .map(|bates| Gap {
            bates,
            control_id: String::new(),
            reason: "no document in this volume holds these numbers".into(),
        })
        .collect();
    VolumeFigures {
        name: v.name.clone(),
        title: v.title.clone(),
        date: v.date.clone(),
        first_bates: numbered
            .first()
            .map(|r| r.0.to_string())
            .unwrap_or_default(),
        last_bates: numbered.last().map(|r| r.1.to_string()).unwrap_or_default(),
        total,
        by_treatment,
        by_category,
        custodians,
        gaps,
        duplicates_not_produced: duplicates,
        sha256sums_sha256: v.sha256sums.as_deref().map(crate::model::sha256_hex),
        overlay_of: v.overlay_of.clone(),
    }
}

/// The numbers strictly between `last` and `next` (same prefix and width),
/// as `A – B` or `A`; `None` when they are contiguous or not comparable.
fn between(last: &str, next: &str) -> Option<String> {
    let (p, w, a) = split_number(last)?;
    let (q, v, b) = split_number(next)?;
    if p != q || w != v || b <= a.checked_add(1)? {
        return None;
    }
    let fmt = |n: u64| format!("{p}{n:0w$}");
    Some(if b - a == 2 {
        fmt(a + 1)
    } else {
        format!("{} \u{2013} {}", fmt(a + 1), fmt(b - 1))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn between_names_only_skipped_numbers() {
        assert_eq!(between("A-000003", "A-000004"), None);
        assert_eq!(between("A-000003", "A-000005").as_deref(), Some("A-000004"));
        assert_eq!(
            between("A-000003", "A-000009").as_deref(),
            Some("A-000004 \u{2013} A-000008")
        );
        assert_eq!(between("A-000003", "B-000009"), None);
    }
}
