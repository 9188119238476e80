//! E-mail families through the binary, on messages written by Python's own
//! `email` package (tests/fixtures/families/make.py): attachments become
//! child documents in the order Python reads them, a family is numbered
//! together, the DAT's family fields agree with Python's reading, rendered
//! e-mails show their headers to `pdftotext`, a withheld attachment's name
//! appears nowhere in the volume, and a produce with families is all or
//! nothing under SIGKILL.

use crate::produce::read_dat;
use crate::util::*;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

type Row = BTreeMap<String, String>;

fn mail() -> PathBuf {
    fixtures().join("families/mail")
}

fn expected() -> Value {
    serde_json::from_slice(&std::fs::read(fixtures().join("families/expected.json")).unwrap())
        .unwrap()
}

/// The name adrec gives a declared attachment name: its last path part.
fn safe(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap();
    last.trim_start_matches('.').to_string()
}

/// A matter with the fixture messages ingested; DOCID by path.
fn ingested(m: &TestMatter, from: &Path) -> BTreeMap<String, String> {
    m.cmd()
        .args(["ingest", "--custodian", "Peña, J.", from.to_str().unwrap()])
        .assert()
        .success();
    m.docs()
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap().to_string(),
                d["docid"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Adds `line` to the matter's `[production]` table.
fn set_production(m: &TestMatter, line: &str) {
    let path = m.root.join("adrec.toml");
    let toml = std::fs::read_to_string(&path).unwrap();
    assert!(toml.contains("[production]\n"));
    let toml = toml.replacen("[production]\n", &format!("[production]\n{line}\n"), 1);
    std::fs::write(&path, toml).unwrap();
}

/// The DOCIDs a dry run plans, in order.
fn planned(plan: &Value) -> Vec<String> {
    plan["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["docid"].as_str().unwrap().to_string())
        .collect()
}

fn tag(m: &TestMatter, args: &[&str]) {
    let out = m.cmd().arg("tag").args(args).output().unwrap();
    assert!(out.status.success(), "tag {args:?}: {:?}", text(&out));
}

const WITHHOLD: [&str; 12] = [
    "--status",
    "withhold",
    "--privilege",
    "AC",
    "--description",
    "Legal advice on the field FAQ",
    "--doc-date",
    "2019-03-12",
    "--doc-type",
    "Memorandum",
    "--author",
    "OGC",
];

/// The fixture e-mails `tagged` sends out, DOC-000001 to DOC-000004.
const TAGGED: [&str; 4] = [
    "family.eml",
    "hostile-names.eml",
    "html-only.eml",
    "sent-with-bcc.eml",
];

/// The fixture messages ingested and every family tagged to go out whole,
/// the FAQ attachment withheld.
fn tagged(m: &TestMatter) {
    ingested(m, &mail());
    for top in ["DOC-000001", "DOC-000002", "DOC-000003", "DOC-000004"] {
        tag(
            m,
            &[
                top,
                "--family",
                "--category",
                "1",
                "--status",
                "not-responsive",
            ],
        );
        tag(m, &[top, "--status", "produce"]);
    }
    let mut args = vec!["DOC-000001.0002"];
    args.extend(WITHHOLD);
    args.extend(["--recipients", "Policy Office"]);
    tag(m, &args);
}

/// Every family produced whole, the FAQ attachment withheld.
fn produced(m: &TestMatter) -> Vec<Row> {
    tagged(m);
    m.produce_ok("VOL001");
    read_dat(&std::fs::read(m.root.join("productions/VOL001/DATA/VOL001.dat")).unwrap())
}

#[test]
fn attachments_become_children_in_the_order_python_reads_them() {
    let m = TestMatter::new("mpp-order");
    let ids = ingested(&m, &mail());
    let docs = m.docs();
    let expected = expected();
    for (file, message) in expected.as_object().unwrap() {
        let top = &ids[file.as_str()];
        let attachments = message["attachments"].as_array().unwrap();
        let children: Vec<&Value> = docs
            .iter()
            .filter(|d| d["parent"].as_str() == Some(top.as_str()))
            .collect();
        assert_eq!(children.len(), attachments.len(), "{file}");
        for (i, (child, want)) in children.iter().zip(attachments).enumerate() {
            assert_eq!(
                child["docid"].as_str().unwrap(),
                format!("{top}.{:04}", i + 1),
                "{file}: children are numbered in the message's order"
            );
            assert_eq!(
                child["sha256"],
                want["sha256"],
                "{file} attachment {}",
                i + 1
            );
            assert_eq!(child["family"].as_str(), Some(top.as_str()));
            let path = child["path"].as_str().unwrap();
            match want["name"].as_str() {
                Some(name) => assert_eq!(path, format!("{file}/{}", safe(name))),
                None => assert!(
                    path.starts_with(&format!("{file}/attachment-{}.", i + 1)),
                    "{path}"
                ),
            }
            // An attached message's own attachments are grandchildren.
            if let Some(inner) = want["children"].as_array() {
                let id = child["docid"].as_str().unwrap();
                let grandchildren: Vec<&Value> = docs
                    .iter()
                    .filter(|d| d["parent"].as_str() == Some(id))
                    .collect();
                assert_eq!(grandchildren.len(), inner.len());
                for (g, w) in grandchildren.iter().zip(inner) {
                    assert_eq!(g["sha256"], w["sha256"]);
                    assert_eq!(g["family"].as_str(), Some(top.as_str()));
                }
            }
        }
    }
    // Declared names with paths or drive letters are only names.
    let hostile = &ids["hostile-names.eml"];
    let names: Vec<&str> = docs
        .iter()
        .filter(|d| d["parent"].as_str() == Some(hostile.as_str()))
        .map(|d| d["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "hostile-names.eml/evil.sh",
            "hostile-names.eml/notes.txt",
            "hostile-names.eml/attachment-3.bin"
        ]
    );
    // Ingesting the same folder again adds nothing.
    let again = m.json(&["ingest", mail().to_str().unwrap()]);
    assert_eq!(again["new"], 0, "{again}");
    assert_eq!(again["attachments"], 0, "{again}");
    assert_eq!(m.docs().len(), docs.len());
}

#[test]
fn a_family_is_numbered_together_and_its_dat_agrees_with_python() {
    let m = TestMatter::new("mpp-order");
    let rows = produced(&m);
    let by_id: BTreeMap<&str, &Row> = rows.iter().map(|r| (r["CONTROL_ID"].as_str(), r)).collect();
    let bates = |s: &str| -> u64 { s.rsplit('-').next().unwrap().parse().unwrap() };
    // DOCID order is Bates order, with no gaps.
    let mut next = bates(&rows[0]["BEGBATES"]);
    for r in &rows {
        assert_eq!(bates(&r["BEGBATES"]), next, "{r:?}");
        next = bates(&r["ENDBATES"]) + 1;
    }
    let expected = expected();
    for (i, file) in TAGGED.iter().enumerate() {
        let top = format!("DOC-{:06}", i + 1);
        let members: Vec<&Row> = rows
            .iter()
            .filter(|r| r["CONTROL_ID"] == top || r["CONTROL_ID"].starts_with(&format!("{top}.")))
            .collect();
        let count = |v: &Value| -> usize {
            v.as_array()
                .unwrap()
                .iter()
                .map(|a| 1 + a.get("children").map_or(0, count_all))
                .sum()
        };
        fn count_all(v: &Value) -> usize {
            v.as_array()
                .unwrap()
                .iter()
                .map(|a| 1 + a.get("children").map_or(0, count_all))
                .sum()
        }
        let attachments = &expected[*file]["attachments"];
        assert_eq!(members.len(), 1 + count(attachments), "{file}");
        let parent = by_id[top.as_str()];
        if members.len() == 1 {
            for column in ["BEGATTACH", "ENDATTACH", "PARENT_BATES", "ATTACH_BATES"] {
                assert_eq!(parent[column], "", "{file}: no family, no {column}");
            }
            continue;
        }
        let last = members.last().unwrap();
        for r in &members {
            assert_eq!(r["BEGATTACH"], parent["BEGBATES"], "{file}");
            assert_eq!(r["ENDATTACH"], last["ENDBATES"], "{file}");
        }
        let direct: Vec<&str> = members
            .iter()
            .filter(|r| r["CONTROL_ID"].matches('.').count() == 1)
            .map(|r| r["BEGBATES"].as_str())
            .collect();
        assert_eq!(parent["ATTACH_BATES"], direct.join("; "), "{file}");
        assert_eq!(direct.len(), attachments.as_array().unwrap().len());
        for r in members.iter().skip(1) {
            let id = &r["CONTROL_ID"];
            let parent_id = &id[..id.rfind('.').unwrap()];
            assert_eq!(r["PARENT_BATES"], by_id[parent_id]["BEGBATES"], "{id}");
            assert_eq!(r["CATEGORY"], "1", "{id} takes its family's category");
        }
    }
    // The withheld attachment keeps its slot, its row names its e-mail, and
    // the privilege log shows the family.
    let faq = by_id["DOC-000001.0002"];
    assert_eq!(faq["TREATMENT"], "Withheld");
    assert_eq!(faq["FILENAME"], "");
    assert_eq!(faq["PARENT_BATES"], by_id["DOC-000001"]["BEGBATES"]);
    let (_, log) = crate::privlog_profiles::read_csv_bytes(
        &std::fs::read(
            m.root
                .join("productions/VOL001/DATA/VOL001_privilege_log.csv"),
        )
        .unwrap(),
    );
    assert_eq!(log.len(), 1);
    assert_eq!(log[0]["CONTROL_ID"], "DOC-000001.0002");
    assert_eq!(log[0]["PARENT_BATES"], by_id["DOC-000001"]["BEGBATES"]);
    assert_eq!(log[0]["BEGATTACH"], by_id["DOC-000001"]["BEGBATES"]);
    // adrec's own audit finds the families whole.
    audits_clean(&m, "productions/VOL001");
}

#[test]
fn rendered_emails_show_their_headers_and_never_a_withheld_name() {
    let m = TestMatter::new("mpp-order");
    let rows = produced(&m);
    let volume = m.root.join("productions/VOL001");
    let by_id: BTreeMap<&str, &Row> = rows.iter().map(|r| (r["CONTROL_ID"].as_str(), r)).collect();
    let pdf_text = |id: &str| -> String {
        let link = by_id[id]["IMAGELINK"].replace('\\', "/");
        let path = volume.parent().unwrap().join(&link);
        tool("qpdf", &["--check", path.to_str().unwrap()]);
        tool("pdftotext", &[path.to_str().unwrap(), "-"])
    };
    // Every rendered e-mail shows its sender, subject and each attachment
    // Python reads in it (the withheld one only by its position).
    let expected = expected();
    for (i, file) in TAGGED.iter().enumerate() {
        let top = format!("DOC-{:06}", i + 1);
        let shown = pdf_text(&top);
        let message = &expected[*file];
        let from = message["from"].as_str().unwrap();
        let address = from.rsplit('<').next().unwrap().trim_end_matches('>');
        assert!(
            shown.contains(address),
            "{file}: {address:?} not in\n{shown}"
        );
        assert!(
            shown.contains(message["subject"].as_str().unwrap()),
            "{file}: subject not in\n{shown}"
        );
        for (n, a) in message["attachments"]
            .as_array()
            .unwrap()
            .iter()
            .enumerate()
        {
            let child = format!("{top}.{:04}", n + 1);
            let want = match (
                by_id[child.as_str()]["TREATMENT"].as_str(),
                a["name"].as_str(),
            ) {
                ("Withheld", _) => format!("Attachment {} (withheld as privileged)", n + 1),
                (_, Some(name)) => safe(name),
                (_, None) => by_id[child.as_str()]["FILENAME"].clone(),
            };
            assert!(shown.contains(&want), "{file}: {want:?} not in\n{shown}");
            assert!(
                shown.contains(&by_id[child.as_str()]["BEGBATES"]),
                "{file}: {child}'s number"
            );
        }
    }
    let family = pdf_text("DOC-000001");
    for want in [
        "José Peña <jpena@example.gov>",
        "Ana Ruiz <aruiz@example.gov>",
        "Counsel <ogc@example.gov>",
        "Draft expansion options — comments by Friday",
        "Draft Expansion Options Memo.pdf",
        &by_id["DOC-000001.0001"]["BEGBATES"],
        &by_id["DOC-000001.0002"]["BEGBATES"],
        "Please send comments by Friday.",
    ] {
        assert!(family.contains(want), "{want:?} not in\n{family}");
    }
    assert_eq!(
        by_id["DOC-000001"]["NATIVELINK"], "",
        "no native unless email_natives"
    );
    // The Bcc of a sent copy, and the text of an HTML-only body.
    let sent = pdf_text("DOC-000004");
    assert!(sent.contains("Chief of Staff <cos@example.gov>"), "{sent}");
    let html = pdf_text("DOC-000003");
    assert!(html.contains("Returns rose this week."), "{html}");
    assert!(!html.contains("alert("), "scripts are dropped: {html}");
    assert!(html.contains("chart.png"), "{html}");
    // The withheld attachment's name is in no file of the volume.
    for entry in walkdir::WalkDir::new(&volume) {
        let entry = entry.unwrap();
        if !entry.file_type().is_file() {
            continue;
        }
        let bytes = std::fs::read(entry.path()).unwrap();
        let shown = if entry.path().extension().is_some_and(|e| e == "pdf") {
            tool("pdftotext", &[entry.path().to_str().unwrap(), "-"])
        } else {
            String::from_utf8_lossy(&bytes).into_owned()
        };
        assert!(
            !shown.contains("Résumé des questions") && !shown.contains("Field Reference Guide"),
            "{} names the withheld attachment",
            entry.path().display()
        );
    }
}

#[test]
fn duplicates_are_whole_families_and_attachments_stay_in_theirs() {
    let m = TestMatter::new("mpp-order");
    let src = m.scratch("collected");
    std::fs::copy(mail().join("family.eml"), src.join("a-family.eml")).unwrap();
    std::fs::copy(mail().join("family.eml"), src.join("b-family-copy.eml")).unwrap();
    // The memo also as a standalone file: not a duplicate of the attachment.
    let memo = fixtures().join(
        "../../sample-record/documents/policy-office/2019-03-12-draft-expansion-options-memo.pdf",
    );
    std::fs::copy(memo, src.join("c-memo.pdf")).unwrap();
    let ids = ingested(&m, &src);
    assert_eq!(ids["b-family-copy.eml"], "DOC-000002");
    let docs = m.docs();
    let copy = docs.iter().find(|d| d["docid"] == "DOC-000002").unwrap();
    assert_eq!(copy["duplicate_of"], "DOC-000001");
    let standalone = docs.iter().find(|d| d["path"] == "c-memo.pdf").unwrap();
    assert!(standalone["duplicate_of"].is_null(), "{standalone}");
    for top in ["DOC-000001", "DOC-000002", "DOC-000003"] {
        tag(
            &m,
            &[top, "--family", "--category", "1", "--status", "produce"],
        );
    }
    let plan = m.json(&["produce", "--dry-run", "VOL001"]);
    let planned = planned(&plan);
    assert!(planned.iter().any(|d| d == "DOC-000001.0001"));
    assert!(
        planned.iter().any(|d| d == "DOC-000003"),
        "the standalone memo goes out too"
    );
    assert!(
        !planned.iter().any(|d| d.starts_with("DOC-000002")),
        "the copy's family goes out once: {planned:?}"
    );
    let duplicates: BTreeMap<&str, &str> = plan["duplicates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["docid"].as_str().unwrap(),
                d["represented_by"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(duplicates["DOC-000002"], "DOC-000001");
    assert_eq!(duplicates["DOC-000002.0001"], "DOC-000001.0001");
    assert_eq!(duplicates["DOC-000002.0003.0001"], "DOC-000001.0003.0001");
    // The memo goes out standalone and inside its family: the audit does not
    // call the attachment a duplicate, since families go out whole.
    let out = m.cmd().args(["produce", "VOL001"]).output().unwrap();
    assert!(out.status.success(), "{:?}", text(&out));
    let audit = m.json(&["audit", "productions/VOL001"]);
    let codes: Vec<&str> = audit["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert!(!codes.contains(&"DUPLICATE_PRODUCED"), "{audit}");
}

#[test]
fn family_selection_whole_and_responsive_only() {
    let m = TestMatter::new("mpp-order");
    ingested(&m, &mail());
    tag(
        &m,
        &["DOC-000001", "--category", "1", "--status", "produce"],
    );
    // Whole families: the unreviewed members block.
    let plan = m.json(&["produce", "--dry-run", "VOL001"]);
    let blockers = plan["blockers"].to_string();
    assert!(
        blockers.contains("DOC-000001.0001") && blockers.contains("unreviewed"),
        "{blockers}"
    );
    // Not-responsive members go out as Produced with the family.
    tag(
        &m,
        &["DOC-000001", "--family", "--status", "not-responsive"],
    );
    tag(&m, &["DOC-000001", "--status", "produce"]);
    let plan = m.json(&["produce", "--dry-run", "VOL001"]);
    assert_eq!(
        plan["blockers"].as_array().unwrap().len(),
        0,
        "{}",
        plan["blockers"]
    );
    assert_eq!(plan["documents"].as_array().unwrap().len(), 5);
    // Responsive only: just the members tagged to go out.
    set_production(&m, "families = \"responsive-only\"");
    let plan = m.json(&["produce", "--dry-run", "VOL001"]);
    let planned = planned(&plan);
    assert_eq!(planned, ["DOC-000001"]);
}

#[test]
fn a_produce_with_families_is_all_or_nothing_under_sigkill() {
    let m = TestMatter::new("mpp-order");
    tagged(&m);
    let produce = ["produce", "VOL001", "--date", "2024-04-19"];
    kill_trials(
        &m,
        &produce,
        "VOL001",
        30,
        |_| {},
        |t| same_checksums(t, "VOL001"),
    );
}

#[test]
fn each_message_of_a_mailbox_is_a_document_with_its_attachments() {
    let m = TestMatter::new("mpp-order");
    let ids = ingested(&m, &fixtures().join("families/mbox"));
    let docs = m.docs();
    let expected: Value = serde_json::from_slice(
        &std::fs::read(fixtures().join("families/expected-mbox.json")).unwrap(),
    )
    .unwrap();
    for (n, (name, message)) in expected.as_object().unwrap().iter().enumerate() {
        let top = &ids[name.as_str()];
        assert_eq!(top, &format!("DOC-{:06}", n + 1), "{name}");
        let doc = docs.iter().find(|d| d["docid"] == top.as_str()).unwrap();
        assert_eq!(doc["metadata"]["subject"], message["subject"]);
        let want = message["attachments"].as_array().unwrap();
        let children: Vec<&Value> = docs
            .iter()
            .filter(|d| d["parent"].as_str() == Some(top.as_str()))
            .collect();
        assert_eq!(children.len(), want.len(), "{name}");
        for (child, w) in children.iter().zip(want) {
            if w["type"] != "message/rfc822" {
                assert_eq!(child["sha256"], w["sha256"], "{name}");
            }
        }
    }
    // Produced, each message is re-read from the mailbox and checked.
    tag(
        &m,
        &[
            "DOC-000001",
            "--family",
            "--category",
            "1",
            "--status",
            "produce",
        ],
    );
    tag(
        &m,
        &["DOC-000002", "--category", "1", "--status", "produce"],
    );
    let out = m.cmd().args(["produce", "VOL001"]).output().unwrap();
    assert!(out.status.success(), "{:?}", text(&out));
    let rows = read_dat(&std::fs::read(m.root.join("productions/VOL001/DATA/VOL001.dat")).unwrap());
    assert_eq!(rows[0]["FILENAME"], "custodian.mbox#1");
    assert_eq!(rows.last().unwrap()["FILENAME"], "custodian.mbox#2");
    let first = m
        .root
        .join("productions")
        .join(rows[0]["IMAGELINK"].replace('\\', "/"));
    let shown = tool("pdftotext", &[first.to_str().unwrap(), "-"]);
    assert!(shown.contains("Draft expansion options"), "{shown}");
}

#[test]
fn email_natives_also_sends_the_original_message() {
    let m = TestMatter::new("mpp-order");
    set_production(&m, "email_natives = true");
    let rows = produced(&m);
    let volume = m.root.join("productions");
    let email = rows
        .iter()
        .find(|r| r["CONTROL_ID"] == "DOC-000004")
        .unwrap();
    assert!(email["IMAGELINK"].ends_with(".pdf"), "{email:?}");
    assert!(email["NATIVELINK"].ends_with(".eml"), "{email:?}");
    let native = std::fs::read(volume.join(email["NATIVELINK"].replace('\\', "/"))).unwrap();
    assert_eq!(
        native,
        std::fs::read(mail().join("sent-with-bcc.eml")).unwrap()
    );
    // With a native beside the pages, PRODUCED_SHA256 is the native's (as
    // loaders and audits read it); the pages are checked by SHA256SUMS.
    assert_eq!(email["PRODUCED_SHA256"], sha256sum(&native));
    assert!(volume.join(email["IMAGELINK"].replace('\\', "/")).is_file());
    sha256sums_ok(&volume.join("VOL001")).unwrap();
    audits_clean(&m, "productions/VOL001");
}

/// An original message holds every attachment's bytes: with one of them
/// withheld, the message does not go out as a file, beside its pages or
/// in their place.
#[test]
fn an_original_holding_a_withheld_attachment_never_goes_out() {
    let m = TestMatter::new("mpp-order");
    set_production(&m, "email_natives = true");
    // DOC-000001 (family.eml) is produced; its FAQ attachment withheld.
    tagged(&m);
    // The dry run says so before anything is written.
    let dry = m
        .cmd()
        .args(["produce", "VOL001", "--dry-run"])
        .output()
        .unwrap();
    let (plan, _) = text(&dry);
    assert!(
        plan.contains("DOC-000001: its original message is not in NATIVES/"),
        "{plan}"
    );
    let out = m.cmd().args(["produce", "VOL001"]).output().unwrap();
    let (_, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("DOC-000001: its original message is not in NATIVES/"),
        "{stderr}"
    );
    let volume = m.root.join("productions/VOL001");
    let rows = read_dat(&std::fs::read(volume.join("DATA/VOL001.dat")).unwrap());
    let row = |id: &str| rows.iter().find(|r| r["CONTROL_ID"] == id).unwrap();
    assert_eq!(
        row("DOC-000001")["NATIVELINK"],
        "",
        "{:?}",
        row("DOC-000001")
    );
    assert!(row("DOC-000001")["IMAGELINK"].ends_with(".pdf"));
    // The other messages, none of whose attachments is kept back, still do.
    assert!(row("DOC-000004")["NATIVELINK"].ends_with(".eml"));
    let original = std::fs::read(mail().join("family.eml")).unwrap();
    for entry in walkdir::WalkDir::new(&volume) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            assert_ne!(
                std::fs::read(entry.path()).unwrap(),
                original,
                "{}",
                entry.path().display()
            );
        }
    }
    sha256sums_ok(&volume).unwrap();

    // Tagged to go out as its native instead, it is a blocker naming why.
    let m = TestMatter::new("mpp-order");
    tagged(&m);
    tag(&m, &["DOC-000001", "--as-native"]);
    let out = m.cmd().args(["produce", "VOL001"]).output().unwrap();
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
    assert!(
        format!("{stdout}{stderr}").contains(
            "it would go out as its original file, which holds DOC-000001.0002 (withheld)"
        ),
        "{stdout}{stderr}"
    );
    assert!(!m.root.join("productions/VOL001").exists());
}

/// `sha256sum` of `bytes`, by the coreutils tool.
fn sha256sum(bytes: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("f");
    std::fs::write(&path, bytes).unwrap();
    tool("sha256sum", &[path.to_str().unwrap()])
        .split_whitespace()
        .next()
        .unwrap()
        .to_string()
}

/// A message nested `depth` times as `message/rfc822`, the innermost with a
/// text attachment.
fn nested(depth: usize) -> String {
    let mut message = "From: inner@example.gov\r\nSubject: innermost\r\nDate: Tue, 29 Jan 2019 09:14:00 -0800\r\n\
        Content-Type: multipart/mixed; boundary=\"b0\"\r\n\r\n--b0\r\nContent-Type: text/plain\r\n\r\ninnermost body\r\n\
        --b0\r\nContent-Type: text/plain\r\nContent-Disposition: attachment; filename=\"deep.txt\"\r\n\r\ndeep\r\n--b0--\r\n"
        .to_string();
    for level in 1..=depth {
        message = format!(
            "From: level{level}@example.gov\r\nSubject: level {level}\r\nDate: Tue, 29 Jan 2019 09:14:00 -0800\r\n\
             Content-Type: multipart/mixed; boundary=\"b{level}\"\r\n\r\n--b{level}\r\nContent-Type: text/plain\r\n\r\n\
             forwarding\r\n--b{level}\r\nContent-Type: message/rfc822\r\n\r\n{message}\r\n--b{level}--\r\n"
        );
    }
    message
}

#[test]
fn hostile_messages_are_problems_or_repaired_readings_never_a_panic() {
    let m = TestMatter::new("mpp-order");
    let src = m.scratch("hostile");
    let write = |name: &str, bytes: &[u8]| std::fs::write(src.join(name), bytes).unwrap();
    write(
        "a-missing-boundary.eml",
        b"From: a@example.gov\r\nSubject: no boundary\r\nDate: Tue, 29 Jan 2019 09:14:00 -0800\r\n\
          Content-Type: multipart/mixed\r\n\r\n--x\r\nContent-Type: text/plain\r\n\r\nthe text\r\n--x--\r\n",
    );
    write(
        "b-bad-charset.eml",
        b"From: b@example.gov\r\nSubject: charset\r\nDate: Tue, 29 Jan 2019 09:14:00 -0800\r\n\
          Content-Type: text/plain; charset=x-no-such-charset\r\n\r\nbytes \xff\xfe and text\r\n",
    );
    write(
        "c-malformed.eml",
        b"From: c@example.gov\r\nSubject: malformed\r\nDate: Tue, 29 Jan 2019 09:14:00 -0800\r\n\
          Content-Type: multipart/mixed; boundary=\"m\"\r\n\r\n--m\r\nContent-Type: text/plain\r\n\r\nbody\r\n\
          --m\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n\
          Content-Disposition: attachment; filename=\"broken.pdf\"\r\n\r\n!!!not base64 at all!!!\r\n\
          --m\r\nContent-Type: text/plain\r\nContent-Disposition: attachment; filename=\"cut.txt\"\r\n\r\nno closing boundary\r\n",
    );
    write("d-nested-100.eml", nested(100).as_bytes());
    let out = m
        .cmd()
        .args(["ingest", src.to_str().unwrap()])
        .output()
        .unwrap();
    let (stdout, stderr) = text(&out);
    assert!(
        out.status.code().is_some_and(|c| c <= 1),
        "{stdout}\n{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    let docs = m.docs();
    let doc = |id: &str| {
        docs.iter()
            .find(|d| d["docid"] == id)
            .unwrap_or_else(|| panic!("{id} missing"))
    };
    let children = |id: &str| -> Vec<String> {
        docs.iter()
            .filter(|d| d["parent"].as_str() == Some(id))
            .map(|d| d["path"].as_str().unwrap().to_string())
            .collect()
    };
    // No boundary: one document, its whole body read as text, and said so.
    assert!(children("DOC-000001").is_empty());
    assert!(
        doc("DOC-000001")["metadata"]["notes"]
            .to_string()
            .contains("boundary"),
        "{}",
        doc("DOC-000001")
    );
    // Every attachment of the malformed message is a document (the
    // undecodable one keeps its encoded text), and the reading says why.
    assert_eq!(
        children("DOC-000003"),
        ["c-malformed.eml/broken.pdf", "c-malformed.eml/cut.txt"]
    );
    assert!(
        doc("DOC-000003")["metadata"]["notes"]
            .to_string()
            .contains("could not be decoded"),
        "{}",
        doc("DOC-000003")
    );
    // 100 levels deep: three levels have DOCIDs, the rest is a note.
    let deepest = doc("DOC-000004.0001.0001.0001");
    assert!(
        deepest["metadata"]["notes"]
            .to_string()
            .contains("nested more than 3 levels"),
        "{deepest}"
    );
    // Everything goes out, rendered or native, without a panic.
    for top in ["DOC-000001", "DOC-000002", "DOC-000003", "DOC-000004"] {
        tag(
            &m,
            &[top, "--family", "--category", "1", "--status", "produce"],
        );
    }
    // The undecodable attachment blocks until a reviewer decides, like any
    // unreadable file.
    let blocked = m.json(&["produce", "--dry-run", "VOL001"]);
    assert!(
        blocked["blockers"].to_string().contains("DOC-000003.0001"),
        "{blocked}"
    );
    tag(&m, &["DOC-000003.0001", "--as-native"]);
    let out = m.cmd().args(["produce", "VOL001"]).output().unwrap();
    let (stdout, stderr) = text(&out);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(out.status.success(), "{stdout}\n{stderr}");
    let rows = read_dat(&std::fs::read(m.root.join("productions/VOL001/DATA/VOL001.dat")).unwrap());
    let charset = rows
        .iter()
        .find(|r| r["CONTROL_ID"] == "DOC-000002")
        .unwrap();
    let pdf = m
        .root
        .join("productions")
        .join(charset["IMAGELINK"].replace('\\', "/"));
    let shown = tool("pdftotext", &[pdf.to_str().unwrap(), "-"]);
    assert!(shown.contains("and text"), "{shown}");
}

#[test]
fn a_matter_ingested_before_families_gains_its_attachments_on_the_next_ingest() {
    let m = TestMatter::on_sqlite("mpp-order");
    ingested(&m, &mail());
    let before = m.docs();
    // Make it the matter an adrec without families left: no child
    // documents, and the schema one migration back.
    {
        let db = rusqlite::Connection::open(m.root.join(".adrec/adrec.db")).unwrap();
        db.execute_batch(
            "DELETE FROM documents WHERE seq >= 4611686018427387904; PRAGMA user_version = 4;",
        )
        .unwrap();
    }
    let emails = std::fs::read_dir(mail()).unwrap().count();
    assert_eq!(m.docs().len(), emails, "only the e-mails are left");
    // The next ingest of the same folder re-reads the e-mails (the migration
    // marked them) and adds their attachments under the same DOCIDs.
    let again = m.json(&["ingest", mail().to_str().unwrap()]);
    assert_eq!(again["new"], 0, "{again}");
    assert_eq!(again["unchanged"], emails, "{again}");
    assert_eq!(again["attachments"], before.len() - emails, "{again}");
    let after = m.docs();
    let ids = |docs: &[Value]| -> Vec<String> {
        docs.iter()
            .map(|d| format!("{} {}", d["docid"], d["sha256"]))
            .collect()
    };
    assert_eq!(ids(&after), ids(&before));
    // And the ingest after that adds nothing.
    let third = m.json(&["ingest", mail().to_str().unwrap()]);
    assert_eq!(third["attachments"], 0, "{third}");
}

/// An e-mail with one `mb` MiB attachment of pseudo-random bytes, base64 in
/// 76-character lines as mailers write it; returns the file's size.
fn large_email(path: &Path, mb: usize) -> u64 {
    use std::io::Write;
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    f.write_all(
        b"From: a@example.gov\r\nSubject: large\r\nDate: Tue, 29 Jan 2019 09:14:00 -0800\r\n\
          Content-Type: multipart/mixed; boundary=\"L\"\r\n\r\n--L\r\nContent-Type: text/plain\r\n\r\nbody\r\n\
          --L\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\
          Content-Disposition: attachment; filename=\"large.bin\"\r\n\r\n",
    )
    .unwrap();
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    // 57 bytes per 76-character line.
    for _ in 0..(mb << 20) / 57 {
        let mut line = [0u8; 78];
        for c in line.iter_mut().take(76) {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            *c = ALPHABET[(state % 64) as usize];
        }
        line[76] = b'\r';
        line[77] = b'\n';
        f.write_all(&line).unwrap();
    }
    f.write_all(b"--L--\r\n").unwrap();
    f.flush().unwrap();
    drop(f);
    std::fs::metadata(path).unwrap().len()
}

/// A large attachment is in memory once encoded (the file) and once decoded,
/// not once more as a copy without line breaks.
#[test]
fn a_large_attachment_is_held_at_most_twice() {
    if !Path::new("/proc/self/status").exists() {
        eprintln!("skipped: no /proc to read the peak memory from");
        return;
    }
    const MB: usize = 64;
    let m = TestMatter::new("mpp-order");
    let src = m.scratch("large");
    let size = large_email(&src.join("large.eml"), MB);
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_adrec"));
    cmd.current_dir(&m.root)
        .env_remove("ADREC_MATTER")
        .env("USER", "tester")
        .args(["ingest", src.to_str().unwrap()]);
    let (status, peak) = crate::memory::peak_kib(cmd);
    assert!(status.success(), "ingest failed");
    let part = (MB << 20) as u64 / 1024;
    let file = size / 1024;
    eprintln!(
        "ingest of a {} MiB e-mail with a {MB} MiB attachment peaked at {} MiB",
        file / 1024,
        peak / 1024
    );
    // The file and the decoded part, plus the program's own (~30 MiB); a
    // third copy would add another 85 MiB.
    let bound = file + part + 48 * 1024;
    assert!(
        peak < bound,
        "peaked at {} MiB (bound {} MiB)",
        peak / 1024,
        bound / 1024
    );
    assert_eq!(
        m.docs()
            .iter()
            .filter(|d| d["parent"] == "DOC-000001")
            .count(),
        1,
        "the attachment is a document"
    );
}

#[test]
fn a_clawed_back_attachment_stays_in_its_family() {
    let m = TestMatter::new("mpp-order");
    let rows = produced(&m);
    let memo = rows
        .iter()
        .find(|r| r["CONTROL_ID"] == "DOC-000001.0001")
        .unwrap()
        .clone();
    let out = m
        .cmd()
        .args(["clawback", "DOC-000001.0001", "--privilege", "AC"])
        .args(["--description", "Legal advice on expansion options"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{:?}", text(&out));
    // The log fields of WITHHOLD (date, type, author), and the recipients.
    tag(
        &m,
        &[
            &["DOC-000001.0001"][..],
            &WITHHOLD[6..],
            &["--recipients", "None"],
        ]
        .concat(),
    );
    let out = m
        .cmd()
        .args(["produce", "OVL001", "--overlay"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{:?}", text(&out));
    let overlay =
        read_dat(&std::fs::read(m.root.join("productions/OVL001/DATA/OVL001.dat")).unwrap());
    assert_eq!(overlay.len(), 1);
    let replacement = &overlay[0];
    assert_eq!(replacement["TREATMENT"], "Withheld");
    for column in [
        "BEGBATES",
        "BEGATTACH",
        "ENDATTACH",
        "PARENT_BATES",
        "ATTACH_BATES",
    ] {
        assert_eq!(replacement[column], memo[column], "{column}");
    }
    let audit = m
        .cmd()
        .args(["audit", "productions/VOL001", "productions/OVL001"])
        .output()
        .unwrap();
    assert!(audit.status.success(), "{:?}", text(&audit));
}
