//! `produce VOLUME --overlay`: the replacement volume for every clawback not
//! yet replaced. Each recalled document goes out again on its own Bates
//! numbers (a redacted replacement padded or suffixed to fit, a withheld one
//! as a slip sheet on its first number with the rest padded), with an
//! overlay DAT/OPT holding only those rows, a clawback notice and the
//! privilege-log rows. It issues no new number. Planning is pure; writing
//! is `volume::write` with `Request::overlay` set.

use super::bates::BatesFormat;
use super::plan::{self, Blocker, CategoryCount, Form, Pages, Plan, Planned};
use super::prepare::Prepared;
use super::volume::Request;
use crate::clawback::notice;
use crate::error::Error;
use crate::export::row::{IndexRow, PrivLogRow};
use crate::export::spill::{Rows, Spill};
use crate::matter::Config;
use crate::matter::Matter;
use crate::matter::clawbacks::OverlayRecord;
use crate::matter::clawbacks::{Clawback, Replacement};
use crate::model::sha256_hex;
use crate::model::{DocId, Document, Status, Treatment};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

/// What an overlay volume carries out, for its manifest, notice and record.
#[derive(Debug, Clone)]
pub struct Overlay {
    /// The volumes whose rows it replaces, in the order they were produced.
    pub of: Vec<String>,
    pub replaced: Vec<Replaced>,
    /// The requests it carries out, in Bates order.
    pub clawbacks: Vec<Clawback>,
}

/// One replaced range, as the manifest lists it.
#[derive(Debug, Clone, Serialize)]
pub struct Replaced {
    pub volume: String,
    pub control_id: String,
    pub begbates: String,
    pub endbates: String,
    pub replacement: &'static str,
}

/// Plans the overlay for the `open` requests (outstanding, in Bates order).
pub fn plan(
    volume: &str,
    open: &[&Clawback],
    documents: &[Document],
    volume_order: &[String],
    config: &Config,
    bates: &BatesFormat,
    first_log_id: u64,
) -> (Plan, Overlay) {
    let by_id: HashMap<DocId, &Document> = documents.iter().map(|d| (d.id, d)).collect();
    let mut blockers = Vec::new();
    let mut planned = Vec::new();
    let mut pages = Pages::default();
    let mut categories: BTreeMap<String, CategoryCount> = BTreeMap::new();
    let mut left_out = Vec::new();
    let mut replaced = Vec::new();
    let mut log_id = first_log_id;
    for c in open {
        let r = &c.request;
        let Some(doc) = by_id.get(&r.docid) else {
            blockers.push(Blocker {
                docids: vec![r.docid],
                reason: "was clawed back but is no longer in the matter".into(),
            });
            continue;
        };
        let wanted = match r.replacement {
            Replacement::Withheld => Status::Withhold,
            Replacement::Redacted => Status::Redact,
        };
        if doc.review.status != wanted {
            blockers.push(Blocker {
                docids: vec![r.docid],
                reason: format!(
                    "was clawed back to be {} but is now tagged {}; tag it {} again",
                    r.replacement.label().to_lowercase(),
                    doc.review.status.as_str(),
                    wanted.as_str()
                ),
            });
        }
        blockers.extend(plan::check(doc, config, None));
        let numbers = r.end - r.beg + 1;
        let (treatment, form, count) = match r.replacement {
            Replacement::Withheld => (Treatment::Withheld, Form::WithheldSlip, numbers),
            Replacement::Redacted => (
                Treatment::Redacted,
                Form::Image { redacted: true },
                doc.review.redacted_pages.unwrap_or(0).max(numbers),
            ),
        };
        match &form {
            Form::WithheldSlip => pages.withheld_slip_sheets += count,
            _ => pages.image_pages += count,
        }
        for cat in &doc.review.categories {
            let entry = categories.entry(cat.clone()).or_default();
            match treatment {
                Treatment::Withheld => entry.withheld += 1,
                _ => entry.redacted += 1,
            }
        }
        left_out.extend(plan::extracted_values(doc));
        // Its family links are filled in from the row it replaces (see
        // `keep_family_links`).
        let mut p = Planned::new(
            r.docid,
            (treatment, form, count),
            plan::level(doc, config).map(Into::into),
            super::planner::version(doc, config),
            Box::default(),
        );
        p.set_numbers(r.beg, r.end);
        p.set_log_id(log_id);
        log_id += 1;
        replaced.push(Replaced {
            volume: r.volume.clone(),
            control_id: r.docid.to_string(),
            begbates: bates.format(r.beg),
            endbates: p.end_label(bates),
            replacement: r.replacement.label(),
        });
        planned.push(p);
    }
    pages.total = pages.image_pages + pages.withheld_slip_sheets;
    blockers.extend(super::plan::index_sheet_blocker(volume, planned.len()));
    let of: Vec<String> = volume_order
        .iter()
        .filter(|v| open.iter().any(|c| &c.request.volume == *v))
        .cloned()
        .collect();
    let plan = Plan {
        volume: volume.to_string(),
        first_bates: planned
            .first()
            .and_then(|p| p.beg())
            .map(|b| bates.format(b)),
        last_bates: planned.last().map(|p| p.end_label(bates)),
        documents: planned,
        duplicates: Vec::new(),
        pages,
        categories,
        blockers,
        left_out,
    };
    let overlay = Overlay {
        of,
        replaced,
        clawbacks: open.iter().map(|c| (*c).clone()).collect(),
    };
    (plan, overlay)
}

/// Plans the overlay of every outstanding clawback, from the matter. With
/// `check_sources`, each redacted file is re-read now so problems are listed
/// as blockers (the write checks them again as it reads them).
pub fn prepare(
    matter: &Matter,
    name: &str,
    check_sources: bool,
) -> Result<(Prepared, Overlay), Error> {
    let Some(settings) = matter.store.bates_settings()? else {
        return Err(Error::input("nothing has been produced in this matter yet")
            .hint("an overlay replaces clawed-back documents of earlier volumes; `adrec clawback` records them"));
    };
    let bates = BatesFormat {
        prefix: settings.prefix.clone(),
        width: settings.width,
    };
    let clawbacks = matter.store.clawbacks()?;
    let open = crate::clawback::outstanding(&clawbacks);
    let ids: Vec<DocId> = open.iter().map(|c| c.request.docid).collect();
    let documents = matter.store.documents_in(&ids)?;
    let order: Vec<String> = matter
        .store
        .volumes()?
        .into_iter()
        .map(|v| v.name)
        .collect();
    let first_log_id = matter.store.next_log_id()?;
    let (mut plan, overlay) = plan(
        name,
        &open,
        &documents,
        &order,
        &matter.config,
        &bates,
        first_log_id,
    );
    keep_family_links(matter, &open, &bates, &mut plan)?;
    if check_sources {
        let files = super::sources::MatterFiles::of(matter);
        let by_id: HashMap<DocId, &Document> = documents.iter().map(|d| (d.id, d)).collect();
        for p in &plan.documents {
            if let Some(doc) = by_id.get(&p.docid)
                && let Err(reason) = super::sources::checked_bytes(&files, doc, p, &bates)
            {
                plan.blockers.push(Blocker {
                    docids: vec![p.docid],
                    reason,
                });
            }
        }
    }
    super::loadfile::check(&plan, &documents, name, &bates, &matter.config)?;
    let prepared = Prepared {
        plan,
        warnings: Vec::new(),
        settings,
        documents: super::volume::Documents::Given(documents),
        fonts: Vec::new(),
    };
    Ok((prepared, overlay))
}

/// A replacement keeps its numbers, so it keeps the family links of the row
/// it replaces (BEGATTACH, ENDATTACH, PARENT_BATES, ATTACH_BATES).
fn keep_family_links(
    matter: &Matter,
    open: &[&Clawback],
    bates: &BatesFormat,
    plan: &mut Plan,
) -> Result<(), Error> {
    // The recalled documents' own rows, found as each volume's rows are read
    // (a volume of 100,000 rows is never held for a few recalled ones).
    fn key<'c>(c: &&'c Clawback) -> (&'c str, String) {
        (c.request.volume.as_str(), c.request.docid.to_string())
    }
    let mut rows: HashMap<(&str, String), Option<IndexRow>> =
        open.iter().map(|c| (key(c), None)).collect();
    let named: BTreeSet<&str> = open.iter().map(|c| c.request.volume.as_str()).collect();
    let volumes = matter.store.volumes()?;
    let stored = crate::export::stored::StoredRows::new(&*matter.store, &volumes);
    for volume in named {
        stored.index(Some(volume), |row, _| {
            if let Some(found @ None) = rows.get_mut(&(volume, row.control_id.clone())) {
                *found = Some(row);
            }
            Ok(())
        })?;
    }
    for c in open {
        let Some(Some(row)) = rows.get(&key(c)) else {
            continue;
        };
        let number = |cell: &str| bates.parse(cell);
        if let Some(p) = plan
            .documents
            .iter_mut()
            .find(|p| p.docid == c.request.docid)
        {
            let links = plan::FamilyBates {
                begattach: number(&row.begattach),
                endattach: number(&row.endattach),
                parent: number(&row.parent_bates),
                attachments: row.attach_bates.split("; ").filter_map(number).collect(),
            };
            p.set_links(links);
        }
    }
    Ok(())
}

/// DATA/NAME_clawback_notice.pdf and .csv; returns them with their SHA-256
/// for SHA256SUMS.
pub(super) fn write_notice(
    staging: &Path,
    overlay: &Overlay,
    req: &Request<'_>,
    bates: &BatesFormat,
    config: &Config,
) -> Result<Vec<(String, String)>, Error> {
    let open: Vec<&Clawback> = overlay.clawbacks.iter().collect();
    let rows = notice::rows(&open, req.name, config, bates);
    let mut files = Vec::new();
    for (ext, bytes) in [
        ("csv", notice::csv(&rows)?),
        (
            "pdf",
            notice::pdf(&rows, req.name, &req.date.to_string(), config)?,
        ),
    ] {
        let rel = format!("DATA/{}_clawback_notice.{ext}", req.name);
        super::document::write_file(&staging.join(&rel), &bytes)?;
        files.push((rel, sha256_hex(&bytes)));
    }
    Ok(files)
}

/// What the store records for the overlay.
pub(super) fn record(
    overlay: &Overlay,
    req: &Request<'_>,
    plan: &Plan,
    index: Spill<IndexRow>,
    privlog: Spill<PrivLogRow>,
) -> OverlayRecord {
    OverlayRecord {
        name: req.name.to_string(),
        title: req.title.to_string(),
        date: req.date.to_string(),
        overlay_of: overlay.of.clone(),
        replaced: overlay
            .clawbacks
            .iter()
            .filter_map(|c| {
                let p = plan.documents.iter().find(|p| p.docid == c.request.docid)?;
                Some((c.id, p.log_id()?))
            })
            .collect(),
        index_rows: Rows::Spilled(std::sync::Arc::new(index)),
        privlog_rows: Rows::Spilled(std::sync::Arc::new(privlog)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (BEGBATES, ENDBATES, numbers taken, LOG_ID) of a planned row.
    type Numbers = (Option<u64>, Option<u64>, u64, Option<u64>);
    use crate::matter::clawbacks::NewClawback;

    fn clawback(id: u64, doc: u64, beg: u64, end: u64, replacement: Replacement) -> Clawback {
        Clawback {
            id,
            request: NewClawback {
                docid: DocId(doc),
                volume: "VOL001".into(),
                beg,
                end,
                requested_on: "2026-12-01".into(),
                actor: "counsel".into(),
                privileges: vec!["AC".into()],
                description: "Legal advice".into(),
                reason: None,
                replacement,
            },
            at: "2026-12-01T00:00:00Z".into(),
            overlay: None,
            log_id: None,
        }
    }

    fn document(id: u64, status: Status, redacted_pages: Option<u64>) -> Document {
        let mut d = crate::produce::plan::tests::doc(id, "memo.pdf", "aa", status);
        d.review.redacted_pages = redacted_pages;
        d.review.redacted_sha256 = redacted_pages.map(|_| "bb".repeat(32));
        d.review.privileges = vec!["AC".into()];
        d.review.description = Some("Legal advice".into());
        for v in [
            &mut d.review.doc_date,
            &mut d.review.doc_type,
            &mut d.review.author,
            &mut d.review.recipients,
        ] {
            *v = Some("x".into());
        }
        d
    }

    #[test]
    fn replacements_keep_their_numbers_and_take_log_ids_in_bates_order() {
        let config = crate::produce::plan::tests::config(&[]);
        let bates = BatesFormat {
            prefix: "X-".into(),
            width: 6,
        };
        let docs = vec![
            document(1, Status::Withhold, None),
            document(2, Status::Redact, Some(1)),
            document(3, Status::Redact, Some(5)),
        ];
        let claws = [
            clawback(1, 1, 10, 12, Replacement::Withheld),
            clawback(2, 2, 13, 14, Replacement::Redacted),
            clawback(3, 3, 15, 17, Replacement::Redacted),
        ];
        let open: Vec<&Clawback> = claws.iter().collect();
        let (plan, overlay) = plan(
            "OVL001",
            &open,
            &docs,
            &["VOL001".into(), "VOL002".into()],
            &config,
            &bates,
            7,
        );
        assert!(plan.blockers.is_empty(), "{:?}", plan.blockers);
        let got: Vec<Numbers> = plan
            .documents
            .iter()
            .map(|p| (p.beg(), p.end(), p.pages, p.log_id()))
            .collect();
        assert_eq!(
            got,
            [
                (Some(10), Some(12), 3, Some(7)),
                (Some(13), Some(14), 2, Some(8)),
                (Some(15), Some(17), 5, Some(9))
            ]
        );
        assert_eq!(overlay.of, ["VOL001"]);
        assert_eq!(overlay.replaced[2].endbates, "X-000017.002");
        assert_eq!(plan.last_bates.as_deref(), Some("X-000017.002"));
    }

    #[test]
    fn a_document_retagged_since_its_clawback_blocks() {
        let config = crate::produce::plan::tests::config(&[]);
        let bates = BatesFormat {
            prefix: "X-".into(),
            width: 6,
        };
        let docs = vec![document(1, Status::Produce, None)];
        let claws = [clawback(1, 1, 10, 10, Replacement::Withheld)];
        let open: Vec<&Clawback> = claws.iter().collect();
        let (plan, _) = plan("OVL001", &open, &docs, &[], &config, &bates, 1);
        assert!(
            plan.blockers
                .iter()
                .any(|b| b.reason.contains("tag it withhold again")),
            "{:?}",
            plan.blockers
        );
    }
}
