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

/// A document that went out with Bates numbers, from the index row frozen
/// when it was produced (`None` for a row without numbers).
pub fn produced(row: &IndexRow, bates: &BatesFormat) -> Option<Produced> {
    Some(Produced {
        docid: DocId::parse(&row.control_id)?,
        volume: row.volume.clone(),
        beg: bates.parse(&row.begbates)?,
        end: bates.parse(&row.endbates)?,
        treatment: row.treatment.clone(),
    })
}

/// The produced documents a clawback's keys name, found as the ordinary
/// volumes' rows go by in volume order (an overlay's rows are not offered:
/// a replacement keeps the numbers of the document it replaces). Only the
/// documents named are kept, so a matter of a million documents is read in
/// the memory of its keys.
#[derive(Debug, Default)]
pub struct ProducedDocs {
    /// Each DOCID named, and where it first went out.
    by_id: std::collections::HashMap<DocId, Option<Produced>>,
    /// Each Bates number named, and the first document whose range held it.
    by_bates: std::collections::BTreeMap<u64, Option<Produced>>,
}

impl ProducedDocs {
    /// Ready to find what `keys` name (a key that is neither a DOCID nor a
    /// Bates number of the matter is `resolve`'s to report).
    pub fn named_by(keys: &[String], bates: &BatesFormat) -> ProducedDocs {
        let mut docs = ProducedDocs::default();
        for key in keys {
            let key = key.trim();
            if let Some(id) = DocId::parse(key) {
                docs.by_id.insert(id, None);
            } else if let Some(n) = bates.parse(key) {
                docs.by_bates.insert(n, None);
            }
        }
        docs
    }

    /// A produced document, in volume order: kept where a key names it and
    /// no document before it answered that key.
    pub fn offer(&mut self, p: Produced) {
        if let Some(found @ None) = self.by_id.get_mut(&p.docid) {
            *found = Some(p.clone());
        }
        for (_, found) in self.by_bates.range_mut(p.beg..=p.end) {
            found.get_or_insert_with(|| p.clone());
        }
    }

    fn by_id(&self, id: DocId) -> Option<&Produced> {
        self.by_id.get(&id)?.as_ref()
    }

    fn by_bates(&self, n: u64) -> Option<&Produced> {
        self.by_bates.get(&n)?.as_ref()
    }
}

/// Resolves each key (a DOCID, or any Bates number inside a document's
/// range) to the produced document it names; lists every key that names
/// none, or names a document nothing of which went out.
pub fn resolve(
    keys: &[String],
    produced: &ProducedDocs,
    bates: &BatesFormat,
) -> Result<Vec<Produced>, Vec<String>> {
    let mut found: Vec<Produced> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut problems = Vec::new();
    for key in keys {
        let key = key.trim();
        let hit = if let Some(id) = DocId::parse(key) {
            produced.by_id(id).ok_or_else(|| {
                format!("{id} is not in any produced volume: only what went out can be clawed back (change it with `adrec tag`)")
            })
        } else if let Some(n) = bates.parse(key) {
            produced
                .by_bates(n)
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
                if seen.insert(p.docid) {
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
    fn a_document_listed_twice_is_found_where_it_first_went_out() {
        let doc = |volume: &str, beg: u64, end: u64| Produced {
            docid: DocId(5),
            volume: volume.into(),
            beg,
            end,
            treatment: "Produced".into(),
        };
        let named = |key: &str| {
            let keys = [key.to_string()];
            let mut docs = ProducedDocs::named_by(&keys, &fmt());
            docs.offer(doc("VOL002", 20, 21));
            docs.offer(doc("VOL001", 3, 4));
            resolve(&keys, &docs, &fmt())
        };
        let found = |key: &str| named(key).unwrap()[0].volume.clone();
        assert_eq!(found("DOC-000005"), "VOL002", "the first in volume order");
        assert_eq!(found("X-000004"), "VOL001");
        assert_eq!(found("X-000020"), "VOL002");
        assert!(named("X-000005").is_err());
    }

    #[test]
    fn bates_inside_a_range_names_its_document_and_withheld_is_refused() {
        let rows = [
            row("DOC-000001", "VOL001", 1, 3, "Produced"),
            row("DOC-000002", "VOL001", 4, 4, "Withheld"),
            row("DOC-000003", "VOL002", 5, 9, "Redacted"),
            row("DOC-000001", "OVL001", 1, 3, "Withheld"),
        ];
        // What the command does: the ordinary volumes' rows offered in order.
        let named = |keys: &[String]| {
            let mut docs = ProducedDocs::named_by(keys, &fmt());
            rows.iter()
                .filter(|r| r.volume != "OVL001")
                .filter_map(|r| produced(r, &fmt()))
                .for_each(|p| docs.offer(p));
            resolve(keys, &docs, &fmt())
        };
        let got = named(&[
            "X-000007".into(),
            "DOC-000001".into(),
            "X-000002".into(),
            "X-000005".into(),
        ])
        .unwrap();
        assert_eq!(
            got.iter()
                .map(|p| (p.docid.0, p.volume.as_str()))
                .collect::<Vec<_>>(),
            vec![(1, "VOL001"), (3, "VOL002")],
            "sorted by Bates, each once"
        );
        let bad = named(&[
            "X-000004".into(),
            "X-000010".into(),
            "DOC-000009".into(),
            "memo".into(),
            "X-000000".into(),
        ])
        .unwrap_err();
        assert_eq!(bad.len(), 5, "{bad:?}");
        assert!(bad[0].contains("withheld slip sheet"), "{bad:?}");
        assert!(bad[1].contains("not issued"), "{bad:?}");
        assert!(bad[4].contains("not issued"), "{bad:?}");
    }
}
