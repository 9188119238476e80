//! Clawback and replacement (Rule 26(b)(5)(B), FRE 502): which produced
//! document a request names, and the review change it makes. Pure functions
//! over the volumes' frozen rows; `cli/clawback.rs` reads and writes.
//! The overlay volume that replaces recalled documents is `produce/overlay.rs`.

pub mod notice;

use crate::export::row::IndexRow;
use crate::matter::clawbacks::{Clawback, Replacement};
use crate::model::DocId;
use crate::produce::bates::BatesFormat;
use serde::Serialize;

/// A produced document as the volume that produced it recorded it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Produced {
    pub docid: DocId,
    pub volume: String,
    pub beg: u64,
    pub end: u64,
    pub treatment: String,
}

/// Every document that went out with Bates numbers in an ordinary volume,
/// from the index rows frozen when it was produced (overlay rows excluded:
/// a replacement keeps the numbers of the document it replaces).
pub fn produced(rows: &[IndexRow], overlays: &[String], bates: &BatesFormat) -> Vec<Produced> {
    rows.iter()
        .filter(|r| !overlays.contains(&r.volume))
        .filter_map(|r| {
            Some(Produced {
                docid: DocId::parse(&r.control_id)?,
                volume: r.volume.clone(),
                beg: bates.parse(&r.begbates)?,
                end: bates.parse(&r.endbates)?,
                treatment: r.treatment.clone(),
            })
        })
        .collect()
}

/// Resolves each key (a DOCID, or any Bates number inside a document's
/// range) to the produced document it names; lists every key that names
/// none, or names a document nothing of which went out.
pub fn resolve(
    keys: &[String],
    produced: &[Produced],
    bates: &BatesFormat,
) -> Result<Vec<Produced>, Vec<String>> {
    let mut found: Vec<Produced> = Vec::new();
    let mut problems = Vec::new();
    for key in keys {
        let key = key.trim();
        let hit = if let Some(id) = DocId::parse(key) {
            produced.iter().find(|p| p.docid == id).ok_or_else(|| {
                format!("{id} is not in any produced volume: only what went out can be clawed back (change it with `adrec tag`)")
            })
        } else if let Some(n) = bates.parse(key) {
            produced
                .iter()
                .find(|p| p.beg <= n && n <= p.end)
                .ok_or_else(|| format!("{key} was not issued to any produced document"))
        } else {
            Err(format!(
                "{key:?} is neither a DOCID (DOC-000123) nor a Bates number of this matter ({})",
                bates.format(0)
            ))
        };
        match hit {
            Ok(p) if p.treatment == "Withheld" => problems.push(format!(
                "{key}: {} went out as a withheld slip sheet; nothing of it was produced to recall",
                p.docid
            )),
            Ok(p) => {
                if !found.iter().any(|f| f.docid == p.docid) {
                    found.push(p.clone());
                }
            }
            Err(problem) => problems.push(problem),
        }
    }
    if problems.is_empty() {
        found.sort_by_key(|p| p.beg);
        Ok(found)
    } else {
        Err(problems)
    }
}

/// How a request replaces a document: its redacted file when one is given.
pub fn replacement(replace_with: bool) -> Replacement {
    if replace_with {
        Replacement::Redacted
    } else {
        Replacement::Withheld
    }
}

/// The note a clawback leaves on the document's history.
pub fn note(requested_on: &str, reason: Option<&str>) -> String {
    match reason {
        Some(r) => format!("Clawback requested {requested_on}: {r}"),
        None => format!("Clawback requested {requested_on}"),
    }
}

/// Requests no overlay has replaced yet, in Bates order.
pub fn outstanding(clawbacks: &[Clawback]) -> Vec<&Clawback> {
    let mut open: Vec<&Clawback> = clawbacks.iter().filter(|c| c.outstanding()).collect();
    open.sort_by_key(|c| (c.request.beg, c.id));
    open
}

/// An outstanding request as `status` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Outstanding {
    pub docid: DocId,
    pub volume: String,
    pub begbates: String,
    pub endbates: String,
    pub requested_on: String,
    pub replacement: &'static str,
}

impl std::fmt::Display for Outstanding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} ({} – {}, {}) recalled {}, to be replaced as {}",
            self.docid,
            self.begbates,
            self.endbates,
            self.volume,
            self.requested_on,
            self.replacement
        )
    }
}

/// The outstanding requests, numbers formatted, in Bates order.
pub fn outstanding_lines(clawbacks: &[Clawback], bates: &BatesFormat) -> Vec<Outstanding> {
    outstanding(clawbacks)
        .into_iter()
        .map(|c| Outstanding {
            docid: c.request.docid,
            volume: c.request.volume.clone(),
            begbates: bates.format(c.request.beg),
            endbates: bates.format(c.request.end),
            requested_on: c.request.requested_on.clone(),
            replacement: c.request.replacement.label(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt() -> BatesFormat {
        BatesFormat {
            prefix: "X-".into(),
            width: 6,
        }
    }

    fn row(control: &str, volume: &str, beg: u64, end: u64, treatment: &str) -> IndexRow {
        IndexRow {
            begbates: fmt().format(beg),
            endbates: fmt().format(end),
            control_id: control.into(),
            volume: volume.into(),
            treatment: treatment.into(),
            ..IndexRow::default()
        }
    }

    #[test]
    fn bates_inside_a_range_names_its_document_and_withheld_is_refused() {
        let rows = [
            row("DOC-000001", "VOL001", 1, 3, "Produced"),
            row("DOC-000002", "VOL001", 4, 4, "Withheld"),
            row("DOC-000003", "VOL002", 5, 9, "Redacted"),
            row("DOC-000001", "OVL001", 1, 3, "Withheld"),
        ];
        let produced = produced(&rows, &["OVL001".into()], &fmt());
        assert_eq!(produced.len(), 3);
        let got = resolve(&["X-000007".into(), "DOC-000001".into()], &produced, &fmt()).unwrap();
        assert_eq!(
            got.iter().map(|p| p.docid.0).collect::<Vec<_>>(),
            vec![1, 3],
            "sorted by Bates"
        );
        let bad = resolve(
            &[
                "X-000004".into(),
                "X-000010".into(),
                "DOC-000009".into(),
                "memo".into(),
            ],
            &produced,
            &fmt(),
        )
        .unwrap_err();
        assert_eq!(bad.len(), 4, "{bad:?}");
        assert!(bad[0].contains("withheld slip sheet"), "{bad:?}");
        assert!(bad[1].contains("not issued"), "{bad:?}");
    }
}
