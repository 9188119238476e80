//! The plan is pure: these tests build documents in memory and check
//! selection, numbering, duplicates and blockers without touching disk.

use super::*;
use crate::model::{Earlier, FileKind, Metadata, Review, Source};
use std::path::Path;

pub(in crate::produce) fn config(edit: &[(&str, &str)]) -> Config {
    let mut text = crate::matter::config::template("mpp-order")
        .unwrap_or_default()
        .to_string();
    for (from, to) in edit {
        assert!(text.contains(from), "template holds {from:?}");
        text = text.replace(from, to);
    }
    Config::parse(&text, Path::new("adrec.toml")).expect("template parses")
}

pub(in crate::produce) fn doc(id: u64, name: &str, sha: &str, status: Status) -> Document {
    let kind = if name.ends_with(".pdf") {
        FileKind::Pdf
    } else {
        FileKind::Other
    };
    Document {
        id: DocId(id),
        source: Source {
            source_path: format!("/c/{name}"),
            ingest_root: "/c".into(),
            rel_path: name.into(),
            custodian: "Policy Office".into(),
            size: 1,
            mtime_ns: 0,
            sha256: sha.into(),
            md5: String::new(),
            kind,
            type_name: String::new(),
            page_count: Some(3),
            problem: None,
            repaired: None,
            metadata: Metadata {
                title: Some(format!("Title of {name}")),
                author: Some("A. Author".into()),
                ..Metadata::default()
            },
            hidden: Vec::new(),
            duplicate_of: None,
        },
        review: Review {
            status,
            categories: vec!["1".into()],
            ..Review::default()
        },
        ingested_at: String::new(),
        updated_at: String::new(),
    }
}

/// A withheld or redacted document with every privilege-log field filled.
fn logged(mut d: Document) -> Document {
    let r = &mut d.review;
    r.privileges = vec!["DP".into()];
    r.description = Some("Draft".into());
    r.doc_date = Some("undated".into());
    r.doc_type = Some("Memorandum".into());
    r.author = Some("Unknown".into());
    r.recipients = Some("None".into());
    if r.status == Status::Redact {
        r.redacted_sha256 = Some("r1".into());
        r.redacted_pages = Some(2);
    }
    d
}

struct Run {
    config: Config,
    earlier: EarlierDocs,
    first_number: u64,
    width: u32,
}

impl Run {
    fn new() -> Run {
        Run {
            config: config(&[]),
            earlier: EarlierDocs::default(),
            first_number: 1,
            width: 6,
        }
    }

    fn plan(&self, docs: &[Document]) -> Plan {
        let bates = BatesFormat {
            prefix: "DHS-MPP-".into(),
            width: self.width,
        };
        plan(&Input {
            volume: "VOL001",
            config: &self.config,
            bates: &bates,
            documents: docs,
            earlier: &self.earlier,
            sources: &HashMap::new(),
            rendered: &HashMap::new(),
            first_number: self.first_number,
            first_log_id: 1,
        })
    }

    /// Records `d` as produced in VOL001, as the store keeps it for planning.
    fn produced_in_vol001(&mut self, d: &Document) {
        self.earlier.insert(
            d.id,
            Earlier {
                volume: "VOL001".into(),
                sha256: d.source.sha256.clone(),
                custodian: d.source.custodian.as_str().into(),
                decision: decision(d, &self.config).fingerprint(),
                represented_by: d.id,
            },
        );
    }
}

fn ids(plan: &Plan) -> Vec<u64> {
    plan.documents.iter().map(|p| p.docid.0).collect()
}

#[test]
fn selects_decided_documents_in_docid_order_and_numbers_them_contiguously() {
    let docs = [
        doc(1, "memo.pdf", "a", Status::Produce),
        doc(2, "notes.docx", "b", Status::Produce),
        doc(3, "skip.pdf", "c", Status::NotResponsive),
        logged(doc(4, "secret.pdf", "d", Status::Withhold)),
        logged(doc(5, "cut.pdf", "e", Status::Redact)),
        doc(6, "later.pdf", "f", Status::Unreviewed),
    ];
    let mut run = Run::new();
    run.first_number = 101;
    let p = run.plan(&docs);
    assert!(p.blockers.is_empty(), "{:?}", p.blockers);
    assert_eq!(ids(&p), [1, 2, 4, 5]);
    let ranges: Vec<(Option<u64>, Option<u64>)> =
        p.documents.iter().map(|d| (d.beg(), d.end())).collect();
    // PDF 3 pages, native slip sheet 1, withheld slip sheet 1, redacted file 2 pages.
    assert_eq!(
        ranges,
        [
            (Some(101), Some(103)),
            (Some(104), Some(104)),
            (Some(105), Some(105)),
            (Some(106), Some(107))
        ]
    );
    assert_eq!(p.first_bates.as_deref(), Some("DHS-MPP-000101"));
    assert_eq!(p.last_bates.as_deref(), Some("DHS-MPP-000107"));
    assert_eq!(
        (
            p.pages.image_pages,
            p.pages.native_slip_sheets,
            p.pages.withheld_slip_sheets,
            p.pages.total
        ),
        (5, 1, 1, 7)
    );
    let logs: Vec<Option<u64>> = p.documents.iter().map(|d| d.log_id()).collect();
    assert_eq!(logs, [None, None, Some(1), Some(2)]);
    assert_eq!(
        p.documents[1].form,
        Form::Native {
            extension: "docx".into()
        }
    );
    assert_eq!(p.categories["1"].produced, 2);
    assert_eq!(p.categories["1"].withheld, 1);
    assert_eq!(p.categories["1"].redacted, 1);
    assert_eq!(p.categories["3"].produced, 0, "empty categories are listed");
}

#[test]
fn a_volume_longer_than_one_xlsx_sheet_is_blocked_when_planned() {
    use crate::export::xlsx::SHEET_ROWS;
    assert!(index_sheet_blocker("VOL001", SHEET_ROWS).is_none());
    let b = index_sheet_blocker("VOL001", SHEET_ROWS + 1).expect("one row too many");
    assert!(b.docids.is_empty());
    assert!(
        b.reason.contains("VOL001 would list 1048576 documents")
            && b.reason.contains("holds at most 1048575"),
        "{}",
        b.reason
    );
}

#[test]
fn log_only_withholding_takes_no_number() {
    let mut run = Run::new();
    run.config = config(&[("withheld = \"slipsheet\"", "withheld = \"log-only\"")]);
    let docs = [
        logged(doc(1, "secret.pdf", "d", Status::Withhold)),
        doc(2, "memo.pdf", "a", Status::Produce),
    ];
    let p = run.plan(&docs);
    assert_eq!(p.documents[0].form, Form::LogOnly);
    assert_eq!((p.documents[0].beg(), p.documents[0].pages), (None, 0));
    assert_eq!(p.documents[0].log_id(), Some(1));
    assert_eq!(
        (p.documents[1].beg(), p.documents[1].end()),
        (Some(1), Some(3))
    );
}

#[test]
fn exact_duplicates_go_out_once_and_must_agree() {
    let run = Run::new();
    let docs = [
        doc(1, "a.pdf", "same", Status::Produce),
        doc(2, "copy-of-a.pdf", "same", Status::Produce),
    ];
    let p = run.plan(&docs);
    assert_eq!(ids(&p), [1]);
    assert_eq!(p.documents[0].duplicates(), [DocId(2)]);
    // The dry run lists the copy, with no family for a document alone.
    let printed = serde_json::to_value(&p.documents[0]).unwrap();
    assert_eq!(printed["duplicates"], serde_json::json!(["DOC-000002"]));
    assert!(printed.get("family").is_none(), "{printed}");
    assert_eq!(p.duplicates[0].represented_by, DocId(1));

    let disagree = [
        doc(1, "a.pdf", "same", Status::Produce),
        logged(doc(2, "copy-of-a.pdf", "same", Status::Withhold)),
    ];
    let p = run.plan(&disagree);
    let b = p
        .blockers
        .iter()
        .find(|b| b.reason.contains("disagree"))
        .expect("a disagreement blocker");
    assert_eq!(b.docids, [DocId(1), DocId(2)]);

    let mut by_custodian = Run::new();
    by_custodian.config = config(&[("dedupe = \"global\"", "dedupe = \"custodian\"")]);
    let mut other = doc(2, "copy-of-a.pdf", "same", Status::Produce);
    other.source.custodian = "Field Office".into();
    let p = by_custodian.plan(&[doc(1, "a.pdf", "same", Status::Produce), other]);
    assert_eq!(ids(&p), [1, 2], "another custodian's copy is produced");
}

#[test]
fn a_copy_of_a_document_in_an_earlier_volume_is_not_produced_again() {
    let mut run = Run::new();
    let first = doc(1, "a.pdf", "same", Status::Produce);
    run.produced_in_vol001(&first);
    run.first_number = 4;
    let p = run.plan(&[first, doc(2, "copy.pdf", "same", Status::Produce)]);
    assert!(p.documents.is_empty(), "{:?}", ids(&p));
    assert_eq!(p.duplicates[0].earlier_volume.as_deref(), Some("VOL001"));
    assert!(p.blockers.is_empty());

    let changed_mind = logged(doc(2, "copy.pdf", "same", Status::Withhold));
    let p = run.plan(&[doc(1, "a.pdf", "same", Status::Produce), changed_mind]);
    assert!(
        p.blockers
            .iter()
            .any(|b| b.reason.contains("including the copy produced in VOL001")),
        "{:?}",
        p.blockers
    );
}

#[test]
fn copies_of_earlier_documents_are_found_among_many_keys() {
    // The plan's keys are looked up sorted: every earlier copy is found
    // whatever its key's place among many, and only those.
    let mut run = Run::new();
    let shas: Vec<String> = (0..40).map(|i| format!("sha-{i}")).collect();
    for (i, sha) in shas.iter().enumerate().filter(|(i, _)| i % 7 == 3) {
        run.produced_in_vol001(&doc(100 + i as u64, "old.pdf", sha, Status::Produce));
    }
    // An earlier document no new one copies.
    run.produced_in_vol001(&doc(99, "other.pdf", "sha-other", Status::Produce));
    run.first_number = 200;
    let docs: Vec<Document> = shas
        .iter()
        .enumerate()
        .map(|(i, sha)| doc(i as u64 + 1, &format!("{i}.pdf"), sha, Status::Produce))
        .collect();
    let p = run.plan(&docs);
    let copied: Vec<u64> = (0..40u64).filter(|i| i % 7 == 3).map(|i| i + 1).collect();
    let produced: Vec<u64> = (1..=40u64).filter(|i| !copied.contains(i)).collect();
    assert_eq!(ids(&p), produced);
    let mut skipped: Vec<u64> = p.duplicates.iter().map(|d| d.docid.0).collect();
    skipped.sort();
    assert_eq!(skipped, copied);
    assert!(
        p.duplicates
            .iter()
            .all(|d| d.earlier_volume.as_deref() == Some("VOL001"))
    );
    assert!(p.blockers.is_empty(), "{:?}", p.blockers);
}

#[test]
fn every_blocker_is_listed() {
    let mut redact = doc(1, "a.pdf", "a", Status::Redact);
    redact.review.privileges = vec!["DP".into()];
    let withhold = doc(2, "b.pdf", "b", Status::Withhold);
    let mut unparseable = doc(3, "c.pdf", "c", Status::Produce);
    unparseable.source.problem = Some("not a readable PDF".into());
    let mut hidden = doc(4, "d.pdf", "d", Status::Produce);
    hidden.source.hidden = vec![crate::model::Hidden {
        kind: crate::model::HiddenKind::Annotations,
        detail: "1 comment".into(),
    }];
    let mut uncategorised = doc(5, "e.pdf", "e", Status::Produce);
    uncategorised.review.categories.clear();
    let mut unknown_category = doc(6, "f.pdf", "f", Status::Produce);
    unknown_category.review.categories = vec!["9".into()];
    let p = Run::new().plan(&[
        redact,
        withhold,
        unparseable,
        hidden,
        uncategorised,
        unknown_category,
    ]);
    let reasons: Vec<String> = p.blockers.iter().map(ToString::to_string).collect();
    let expect = [
        ("DOC-000001", "no redacted file"),
        (
            "DOC-000001",
            "needs description, doc-date, doc-type, author, recipients",
        ),
        ("DOC-000002", "needs privilege, description"),
        ("DOC-000003", "could not be read at ingest"),
        ("DOC-000004", "hidden content (annotations (comments))"),
        ("DOC-000005", "has no category"),
        (
            "DOC-000006",
            "category \"9\", which adrec.toml does not define",
        ),
    ];
    for (id, text) in expect {
        assert!(
            reasons
                .iter()
                .any(|r| r.starts_with(id) && r.contains(text)),
            "{id} {text}: {reasons:#?}"
        );
    }
    assert_eq!(reasons.len(), expect.len(), "{reasons:#?}");
}

#[test]
fn a_number_past_the_width_blocks_the_volume() {
    let mut run = Run::new();
    run.width = 3;
    run.first_number = 998;
    let p = run.plan(&[doc(1, "a.pdf", "a", Status::Produce)]);
    assert!(
        p.blockers
            .iter()
            .any(|b| b.reason.contains("1000, does not fit in 3 digits")),
        "{:?}",
        p.blockers
    );
}

#[test]
fn privileged_originals_metadata_is_listed_as_left_out() {
    let p = Run::new().plan(&[
        logged(doc(1, "secret.pdf", "a", Status::Withhold)),
        doc(2, "memo.pdf", "b", Status::Produce),
    ]);
    let fields: Vec<(u64, &str)> = p
        .left_out
        .iter()
        .map(|l| (l.docid.0, l.field.as_str()))
        .collect();
    assert_eq!(fields, [(1, "TITLE"), (1, "FILENAME"), (1, "AUTHOR")]);
    assert_eq!(p.left_out[0].value, "Title of secret.pdf");
}

/// A matter planned a batch at a time (as `produce` reads it) gives the
/// plan it gives read at once: duplicates across batches, e-mail
/// families, blockers, numbers and categories alike.
#[test]
fn planning_in_batches_gives_the_plan_of_one_batch() {
    let child = |top: u64, n: u32| DocId(top).child(n).expect("a child key").0;
    let mut email = doc(2, "mail.eml", "m", Status::Produce);
    email.source.kind = FileKind::Email;
    let mut later_copy = doc(7, "copy-of-memo.pdf", "a", Status::Produce);
    later_copy.review.description = Some("differs".into());
    let mut unknown = doc(8, "x.txt", "x", Status::Produce);
    unknown.review.categories = vec!["9".into()];
    let docs = vec![
        doc(1, "memo.pdf", "a", Status::Produce),
        email,
        doc(child(2, 1), "att.pdf", "t", Status::Produce),
        doc(child(2, 2), "att.docx", "u", Status::NotResponsive),
        logged(doc(3, "secret.pdf", "s", Status::Withhold)),
        doc(4, "memo-again.pdf", "a", Status::Produce),
        doc(5, "notes.txt", "n", Status::Produce),
        doc(6, "skip.pdf", "k", Status::NotResponsive),
        later_copy,
        unknown,
    ];
    let run = Run::new();
    let bates = BatesFormat {
        prefix: "DHS-MPP-".into(),
        width: 6,
    };
    let mut rendered = HashMap::new();
    rendered.insert(DocId(2), Ok(2));
    let whole = {
        let mut planner = super::super::planner::Planner::new(&run.config, &run.earlier);
        planner.add(&docs, &HashMap::new(), &rendered);
        planner.finish("VOL001", &bates, 1, 1)
    };
    // Batches hold whole families: never between DOC-000002 and its attachments.
    for split in [1, 4, 5, 6, 9] {
        let mut planner = super::super::planner::Planner::new(&run.config, &run.earlier);
        planner.add(&docs[..split], &HashMap::new(), &rendered);
        planner.add(&docs[split..], &HashMap::new(), &rendered);
        let batched = planner.finish("VOL001", &bates, 1, 1);
        assert_eq!(
            serde_json::to_value(&batched).unwrap(),
            serde_json::to_value(&whole).unwrap(),
            "split after {split}"
        );
    }
    // The plan checked: copies found across the matter, the e-mail's
    // attachment numbered after it, every blocker kept.
    assert_eq!(whole.duplicates.len(), 2, "{:?}", whole.duplicates);
    assert!(whole.blockers.iter().any(|b| b.reason.contains("disagree")));
    assert!(whole.blockers.iter().any(|b| b.reason.contains("\"9\"")));
    let planned = whole
        .planned(DocId(child(2, 1)))
        .expect("the attachment is planned");
    assert_eq!(
        planned.links().parent,
        whole.planned(DocId(2)).and_then(|p| p.beg())
    );
}

/// What the write compares with the document it reads again: the same
/// document gives the same version; a tag, a new file name or a change of
/// its bytes does not.
#[test]
fn a_documents_version_changes_with_any_change_the_volume_shows() {
    let config = config(&[]);
    let version = |d: &Document| super::super::planner::version(d, &config);
    let base = doc(1, "memo.pdf", "a", Status::Produce);
    assert_eq!(version(&base), version(&base.clone()));
    let mut withheld = base.clone();
    withheld.review.status = Status::Withhold;
    let mut renamed = base.clone();
    renamed.review.filename = Some("other.pdf".into());
    let mut replaced = base.clone();
    replaced.source.sha256 = "b".into();
    let mut touched = base.clone();
    touched.updated_at = "2026-12-05T12:00:00Z".into();
    for changed in [withheld, renamed, replaced, touched] {
        assert_ne!(version(&base), version(&changed), "{changed:?}");
    }
}

/// DOC-000001 as a native `.csv`, before it is numbered.
pub(in crate::produce) fn native_entry(treatment: Treatment) -> Planned {
    let form = Form::Native {
        extension: "csv".into(),
    };
    Planned::new(DocId(1), (treatment, form, 1), None, [0; 16], Box::new([]))
}

#[test]
fn a_planned_document_is_small_and_keeps_a_box_only_for_links_or_copies() {
    // A produce holds one entry a document until the volume is written.
    assert!(std::mem::size_of::<Planned>() <= 128);
    let mut p = native_entry(Treatment::Withheld);
    assert_eq!((p.beg(), p.end(), p.log_id()), (None, None, None));
    // Zero is a Bates number a matter may start at.
    p.set_numbers(0, 0);
    p.set_log_id(7);
    assert_eq!((p.beg(), p.end(), p.log_id()), (Some(0), Some(0), Some(7)));
    p.set_duplicates(Vec::new());
    p.set_links(FamilyBates::default());
    assert!(p.rare.is_none());
    p.set_duplicates(vec![DocId(2)]);
    p.set_links(FamilyBates {
        parent: Some(5),
        ..FamilyBates::default()
    });
    assert_eq!(
        (p.duplicates(), p.links().parent),
        (&[DocId(2)][..], Some(5))
    );
    // Each part is kept while the other is cleared; the box goes with both.
    p.set_links(FamilyBates::default());
    assert_eq!((p.duplicates(), p.links().parent), (&[DocId(2)][..], None));
    p.set_duplicates(Vec::new());
    assert!(p.rare.is_none());
}

#[test]
fn a_planned_document_prints_as_it_did_before_it_was_made_compact() {
    let mut p = native_entry(Treatment::Produced);
    let alone = r#"{"docid":"DOC-000001","treatment":"Produced","form":{"kind":"native","extension":"csv"},"beg":null,"end":null,"pages":1,"log_id":null,"duplicates":[],"confidentiality":null}"#;
    assert_eq!(serde_json::to_string(&p).unwrap(), alone);
    p.set_numbers(3, 3);
    p.set_log_id(2);
    p.set_duplicates(vec![DocId(4)]);
    // Copies alone print no family, as a document alone in its family did.
    let copies = r#"{"docid":"DOC-000001","treatment":"Produced","form":{"kind":"native","extension":"csv"},"beg":3,"end":3,"pages":1,"log_id":2,"duplicates":["DOC-000004"],"confidentiality":null}"#;
    assert_eq!(serde_json::to_string(&p).unwrap(), copies);
    p.confidentiality = Some("CONFIDENTIAL".into());
    p.set_links(FamilyBates {
        begattach: Some(3),
        endattach: Some(9),
        parent: None,
        attachments: vec![4, 6],
    });
    let linked = r#"{"docid":"DOC-000001","treatment":"Produced","form":{"kind":"native","extension":"csv"},"beg":3,"end":3,"pages":1,"log_id":2,"duplicates":["DOC-000004"],"confidentiality":"CONFIDENTIAL","family":{"begattach":3,"endattach":9,"parent":null,"attachments":[4,6]}}"#;
    assert_eq!(serde_json::to_string(&p).unwrap(), linked);
}
