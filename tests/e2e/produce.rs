//! produce and export, checked with independent tools (qpdf, pdftotext,
//! sha256sum) and by reading the load files back.

use crate::util::*;
use predicates::prelude::*;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A matter holding a small real record, tagged the way reviewers would.
pub struct Tagged {
    pub m: TestMatter,
    pub ids: BTreeMap<&'static str, String>,
}

pub fn tagged_matter() -> Tagged {
    let m = TestMatter::new("mpp-order");
    let src = m.scratch("collected");
    let files = [
        ("memo.pdf", "pdf/classic-3p.pdf"),
        ("rotated.pdf", "pdf/rotated-cropped.pdf"),
        ("guidance.docx", "office/plain.docx"),
        ("email.eml", "eml/simple.eml"),
        ("notes.pdf", "pdf/annots.pdf"),
        ("legal.pdf", "pdf/utf16-info.pdf"),
        ("owner.pdf", "pdf/owner-encrypted.pdf"),
    ];
    for (name, fixture) in files {
        std::fs::copy(fixtures().join(fixture), src.join(name)).unwrap();
    }
    m.cmd()
        .args(["ingest", "--custodian", "Reyes, A.", src.to_str().unwrap()])
        .assert()
        .success();
    let ids: BTreeMap<&'static str, String> = m
        .docs()
        .iter()
        .map(|d| {
            let path = d["path"].as_str().unwrap().to_string();
            let name = files.iter().find(|(n, _)| *n == path).unwrap().0;
            (name, d["docid"].as_str().unwrap().to_string())
        })
        .collect();
    let tag = |id: &str, args: &[&str]| {
        let out = m.cmd().arg("tag").arg(id).args(args).output().unwrap();
        assert!(out.status.success(), "tag {id} {args:?}: {:?}", text(&out));
    };
    tag(
        &ids["memo.pdf"],
        &["--status", "produce", "--category", "1"],
    );
    tag(
        &ids["rotated.pdf"],
        &[
            "--status",
            "produce",
            "--category",
            "5",
            "--confidentiality",
            "CONFIDENTIAL",
        ],
    );
    tag(
        &ids["guidance.docx"],
        &["--status", "produce", "--category", "5"],
    );
    tag(
        &ids["email.eml"],
        &["--status", "produce", "--category", "1", "--category", "2"],
    );
    tag(
        &ids["owner.pdf"],
        &["--status", "produce", "--category", "4"],
    );
    let privileged = [
        "--doc-date",
        "2023-01-15",
        "--doc-type",
        "Memorandum",
        "--author",
        "Office of the General Counsel",
        "--recipients",
        "Acting Secretary",
    ];
    tag(
        &ids["notes.pdf"],
        &[
            &[
                "--status",
                "withhold",
                "--category",
                "2",
                "--privilege",
                "PC",
                "--description",
                "Briefing notes prepared for a meeting with the President's advisers",
            ][..],
            &privileged[..],
        ]
        .concat(),
    );
    let redacted = m.scratch("redacted").join("legal-redacted.pdf");
    std::fs::copy(fixtures().join("pdf/landscape.pdf"), &redacted).unwrap();
    tag(
        &ids["legal.pdf"],
        &[
            &[
                "--status",
                "redact",
                "--category",
                "3",
                "--privilege",
                "AC",
                "--privilege",
                "DP",
                "--description",
                "Legal advice on implementation options",
                "--redacted-file",
                redacted.to_str().unwrap(),
            ][..],
            &privileged[..],
        ]
        .concat(),
    );
    Tagged { m, ids }
}

fn produce(m: &TestMatter, volume: &str) -> std::process::Output {
    m.cmd()
        .args([
            "produce",
            volume,
            "--date",
            "2024-04-19",
            "--title",
            "First Supplement",
        ])
        .output()
        .unwrap()
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().to_path_buf())
        .collect();
    files.sort();
    files
}

/// DAT back to rows of (header → value), checking its framing bytes.
pub fn read_dat(bytes: &[u8]) -> Vec<BTreeMap<String, String>> {
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBF"),
        "DAT must start with a UTF-8 BOM"
    );
    assert!(bytes.ends_with(b"\r\n"), "DAT must end with CRLF");
    let text = std::str::from_utf8(&bytes[3..]).unwrap();
    let mut lines = text.split("\r\n").filter(|l| !l.is_empty());
    let split = |line: &str| -> Vec<String> {
        line.split('\u{14}')
            .map(|f| {
                f.strip_prefix('þ')
                    .and_then(|f| f.strip_suffix('þ'))
                    .unwrap_or_else(|| panic!("unqualified field {f:?}"))
                    .to_string()
            })
            .collect()
    };
    let header = split(lines.next().unwrap());
    lines
        .map(|l| header.iter().cloned().zip(split(l)).collect())
        .collect()
}

fn read_csv(path: &Path) -> Vec<BTreeMap<String, String>> {
    let bytes = std::fs::read(path).unwrap();
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBF"),
        "{} must start with a BOM",
        path.display()
    );
    let mut r = csv::Reader::from_reader(&bytes[3..]);
    let headers = r.headers().unwrap().clone();
    r.records()
        .map(|rec| {
            headers
                .iter()
                .map(str::to_string)
                .zip(rec.unwrap().iter().map(str::to_string))
                .collect()
        })
        .collect()
}

#[test]
fn a_volume_passes_every_independent_check() {
    let t = tagged_matter();
    let out = produce(&t.m, "VOL001");
    assert!(out.status.success(), "{:?}", text(&out));
    assert!(
        text(&out).0.contains("RelativityOne"),
        "produce says which loader the OPT targets"
    );
    let vol = t.m.root.join("productions/VOL001");

    // sha256sum -c over the volume.
    let check = std::process::Command::new("sha256sum")
        .args(["-c", "--quiet", "SHA256SUMS"])
        .current_dir(&vol)
        .output()
        .expect("sha256sum");
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    let listed = std::fs::read_to_string(vol.join("SHA256SUMS"))
        .unwrap()
        .lines()
        .count();
    assert_eq!(
        listed,
        files_under(&vol).len() - 1,
        "every file but SHA256SUMS is listed"
    );

    let index = read_csv(&vol.join("DATA/VOL001_index.csv"));
    let dat = read_dat(&std::fs::read(vol.join("DATA/VOL001.dat")).unwrap());
    assert_eq!(index.len(), 7);
    assert_eq!(dat.len(), index.len());
    let columns: Vec<&str> = "BEGBATES ENDBATES PGCOUNT CONTROL_ID VOLUME CATEGORY TREATMENT CONFIDENTIALITY DOC_DATE DOC_TYPE TITLE AUTHOR RECIPIENTS CUSTODIAN FILENAME PRODUCED_SHA256 SOURCE_SHA256 SOURCE_MD5 DUPLICATES BEGATTACH ENDATTACH PARENT_BATES ATTACH_BATES".split(' ').collect();
    let mut dat_cols: Vec<&str> = columns.clone();
    dat_cols.extend(["NATIVELINK", "IMAGELINK", "TEXTLINK"]);
    assert_eq!(dat[0].keys().count(), dat_cols.len());
    // TEXTLINK names each document's own text file, which is in the volume.
    for drow in &dat {
        let link = &drow["TEXTLINK"];
        assert!(
            link.starts_with("VOL001\\TEXT\\0001\\")
                && link.ends_with(&format!("{}.txt", drow["BEGBATES"])),
            "{link}"
        );
        let text = t.m.root.join("productions").join(link.replace('\\', "/"));
        assert!(
            std::fs::read(&text).unwrap().starts_with(b"\xEF\xBB\xBF"),
            "{link}"
        );
    }
    for (i, (row, drow)) in index.iter().zip(&dat).enumerate() {
        for c in &columns {
            let (a, b) = (&row[*c], &drow[*c]);
            if *c == "DOC_DATE" && !a.is_empty() {
                let (y, md) = a.split_at(4);
                assert_eq!(
                    *b,
                    format!("{}/{}/{y}", &md[1..3], &md[4..6]),
                    "row {i} DOC_DATE"
                );
            } else {
                assert_eq!(a, b, "row {i} column {c}: CSV and DAT disagree");
            }
        }
    }

    // Bates on every page of every image, read by pdftotext; qpdf --check passes.
    let by_id: BTreeMap<&str, &BTreeMap<String, String>> = index
        .iter()
        .map(|r| (r["CONTROL_ID"].as_str(), r))
        .collect();
    let opt = std::fs::read_to_string(vol.join("DATA/VOL001.opt")).unwrap();
    let mut total_pages = 0;
    for row in &index {
        let link = &dat
            .iter()
            .find(|d| d["CONTROL_ID"] == row["CONTROL_ID"])
            .unwrap()["IMAGELINK"];
        let pdf = t.m.root.join("productions").join(link.replace('\\', "/"));
        assert!(pdf.is_file(), "{link}");
        let pdf_s = pdf.to_str().unwrap();
        let qpdf = std::process::Command::new("qpdf")
            .args(["--check", pdf_s])
            .output()
            .expect("qpdf");
        assert!(
            qpdf.status.success(),
            "qpdf --check {link}: {}",
            String::from_utf8_lossy(&qpdf.stdout)
        );
        let pages: u64 = row["PGCOUNT"].parse().unwrap();
        assert_eq!(
            tool("qpdf", &["--show-npages", pdf_s]).trim(),
            pages.to_string(),
            "{link}"
        );
        let beg: u64 = row["BEGBATES"]["DHS-MPP-".len()..].parse().unwrap();
        for k in 0..pages {
            let text = tool(
                "pdftotext",
                &[
                    "-f",
                    &(k + 1).to_string(),
                    "-l",
                    &(k + 1).to_string(),
                    pdf_s,
                    "-",
                ],
            );
            let bates = format!("DHS-MPP-{:06}", beg + k);
            assert!(
                text.contains(&bates),
                "{link} page {}: no {bates} in {text:?}",
                k + 1
            );
            if row["CONFIDENTIALITY"] == "CONFIDENTIAL" {
                assert!(
                    text.contains("CONFIDENTIAL – SUBJECT TO PROTECTIVE ORDER"),
                    "{link} page {}: legend",
                    k + 1
                );
            }
        }
        let info = tool("pdfinfo", &[pdf_s]);
        assert!(
            !info.contains("Title:") || info.contains("Title:           \n"),
            "{link} keeps an Info title:\n{info}"
        );
        total_pages += pages;
    }
    assert_eq!(
        opt.lines().count() as u64,
        total_pages,
        "one OPT line per page"
    );
    assert!(opt.ends_with("\r\n"));

    // Privilege rules: the withheld row names nothing extracted; the redacted one went out as its redacted file.
    let withheld = by_id[t.ids["notes.pdf"].as_str()];
    assert_eq!(
        (
            withheld["TREATMENT"].as_str(),
            withheld["TITLE"].as_str(),
            withheld["FILENAME"].as_str()
        ),
        ("Withheld", "", "")
    );
    assert_eq!(withheld["PRODUCED_SHA256"], "");
    assert_eq!(withheld["DOC_TYPE"], "Memorandum");
    let redacted = by_id[t.ids["legal.pdf"].as_str()];
    assert_eq!(redacted["TREATMENT"], "Redacted");
    assert_eq!(
        redacted["PGCOUNT"], "2",
        "the redacted file's pages, not the original's 1"
    );
    assert_eq!(redacted["TITLE"], "", "the original's title must not leak");
    let everything: String = files_under(&vol)
        .iter()
        .map(|f| String::from_utf8_lossy(&std::fs::read(f).unwrap()).into_owned())
        .collect();
    for secret in ["Informe Jur", "legal.pdf", "notes.pdf", "José Núñez"] {
        assert!(
            !everything.contains(secret),
            "{secret:?} leaked into the volume"
        );
    }
    let native = by_id[t.ids["guidance.docx"].as_str()];
    assert_eq!(native["PGCOUNT"], "1");
    let native_link = &dat
        .iter()
        .find(|d| d["CONTROL_ID"] == native["CONTROL_ID"])
        .unwrap()["NATIVELINK"];
    assert_eq!(
        *native_link,
        format!("VOL001\\NATIVES\\0001\\{}.docx", native["BEGBATES"])
    );
    let native_bytes = std::fs::read(
        t.m.root
            .join("productions")
            .join(native_link.replace('\\', "/")),
    )
    .unwrap();
    assert_eq!(
        native_bytes,
        std::fs::read(fixtures().join("office/plain.docx")).unwrap(),
        "natives are the original bytes"
    );

    let log = read_csv(&vol.join("DATA/VOL001_privilege_log.csv"));
    assert_eq!(log.len(), 2);
    assert_eq!(log[0]["LOG_ID"], "PRIV-000001");
    let treatments: Vec<&str> = log.iter().map(|r| r["TREATMENT"].as_str()).collect();
    assert!(treatments.contains(&"Withheld in Full") && treatments.contains(&"Redacted"));
    let privileges: Vec<&str> = log.iter().map(|r| r["PRIVILEGE"].as_str()).collect();
    assert!(
        privileges.contains(&"Attorney-client privilege; Deliberative process privilege"),
        "{privileges:?}"
    );

    let manifest: Value =
        serde_json::from_slice(&std::fs::read(vol.join("DATA/VOL001_manifest.json")).unwrap())
            .unwrap();
    assert_eq!(
        manifest["caption"],
        "Immigrant Defenders Law Center v. Mayorkas"
    );
    assert_eq!(manifest["first_bates"], "DHS-MPP-000001");
    assert_eq!(manifest["title"], "First Supplement");
}

#[test]
fn numbers_continue_across_volumes_and_produced_documents_are_frozen() {
    let t = tagged_matter();
    assert!(produce(&t.m, "VOL001").status.success());
    let first = read_csv(&t.m.root.join("productions/VOL001/DATA/VOL001_index.csv"));
    let last: u64 = first
        .iter()
        .filter_map(|r| r["ENDBATES"].get(8..))
        .filter_map(|n| n.parse().ok())
        .max()
        .unwrap();

    t.m.cmd()
        .args(["produce", "VOL001"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("already exists"));
    t.m.cmd()
        .args(["produce", "vol 2"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a volume name"));
    t.m.cmd()
        .args(["produce", "VOL002"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("Nothing to produce"));
    t.m.cmd()
        .args(["tag", &t.ids["memo.pdf"], "--status", "withhold"])
        .assert()
        .code(2);

    let src = t.m.scratch("more");
    std::fs::copy(fixtures().join("pdf/inherited.pdf"), src.join("later.pdf")).unwrap();
    t.m.cmd()
        .args(["ingest", src.to_str().unwrap()])
        .assert()
        .success();
    t.m.cmd()
        .args([
            "tag",
            "DOC-000008",
            "--status",
            "produce",
            "--category",
            "5",
        ])
        .assert()
        .success();
    assert!(produce(&t.m, "VOL002").status.success());
    let second = read_csv(&t.m.root.join("productions/VOL002/DATA/VOL002_index.csv"));
    assert_eq!(second[0]["BEGBATES"], format!("DHS-MPP-{:06}", last + 1));

    // Exports: cumulative by default, frozen values, per volume on request.
    let all = t.m.cmd().args(["export", "index"]).output().unwrap().stdout;
    let mut r = csv::Reader::from_reader(&all[3..]);
    assert_eq!(r.records().count(), first.len() + second.len());
    let one =
        t.m.cmd()
            .args(["export", "index", "--volume", "VOL002"])
            .output()
            .unwrap()
            .stdout;
    assert_eq!(
        one,
        std::fs::read(t.m.root.join("productions/VOL002/DATA/VOL002_index.csv")).unwrap()
    );
    t.m.cmd()
        .args(["export", "privlog", "--format", "xlsx"])
        .assert()
        .code(2);
    t.m.cmd()
        .args(["export", "index", "--volume", "VOL009"])
        .assert()
        .code(2);
    let x = t.m.scratch("x").join("log.xlsx");
    t.m.cmd()
        .args([
            "export",
            "privlog",
            "--all",
            "--format",
            "xlsx",
            "-o",
            x.to_str().unwrap(),
        ])
        .assert()
        .success();
    assert!(std::fs::read(&x).unwrap().starts_with(b"PK"));

    // A produced document's changed source is never swapped in by --update.
    let memo = t.m.dir.path().join("collected/memo.pdf");
    std::fs::write(&memo, b"%PDF-1.4 changed after production").unwrap();
    let out =
        t.m.cmd()
            .args([
                "ingest",
                "--update",
                memo.parent().unwrap().to_str().unwrap(),
            ])
            .output()
            .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out).0.contains("--update is refused"),
        "{:?}",
        text(&out)
    );

    // Bates settings are frozen by the first production.
    let config = t.m.root.join("adrec.toml");
    let text = std::fs::read_to_string(&config)
        .unwrap()
        .replace("width = 6", "width = 7");
    std::fs::write(&config, text).unwrap();
    t.m.cmd()
        .args(["produce", "VOL003", "--dry-run"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("bates.width"));
}

#[test]
fn blockers_are_all_listed_and_nothing_is_written() {
    let m = TestMatter::new("mpp-order");
    let src = m.scratch("src");
    for (name, fixture) in [
        ("a.pdf", "pdf/classic-3p.pdf"),
        ("b.pdf", "pdf/landscape.pdf"),
        ("c.pdf", "pdf/garbage.pdf"),
        ("d.pdf", "pdf/form.pdf"),
        ("e.pdf", "pdf/linearized.pdf"),
        ("f.pdf", "pdf/objstm.pdf"),
    ] {
        std::fs::copy(fixtures().join(fixture), src.join(name)).unwrap();
    }
    m.cmd()
        .args(["ingest", src.to_str().unwrap()])
        .assert()
        .code(1);
    let tag = |args: &[&str]| m.cmd().arg("tag").args(args).assert().success();
    tag(&[
        "DOC-000001",
        "--status",
        "redact",
        "--category",
        "1",
        "--privilege",
        "DP",
        "--description",
        "x",
        "--doc-date",
        "undated",
        "--doc-type",
        "Draft",
        "--author",
        "Unknown",
        "--recipients",
        "None",
    ]);
    tag(&[
        "DOC-000002",
        "--status",
        "withhold",
        "--category",
        "1",
        "--privilege",
        "DP",
        "--description",
        "Draft options memo",
    ]);
    tag(&["DOC-000003", "--status", "produce", "--category", "1"]);
    tag(&["DOC-000004", "--status", "produce", "--category", "1"]);
    tag(&["DOC-000005", "--status", "produce"]);
    tag(&["DOC-000006", "--status", "produce", "--category", "2"]);
    // The source of DOC-000006 changes after review.
    std::fs::write(src.join("f.pdf"), b"%PDF-1.4 something else entirely").unwrap();

    let out = m.cmd().args(["produce", "VOL001"]).output().unwrap();
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    for (id, what) in [
        ("DOC-000001", "no redacted file"),
        ("DOC-000002", "doc-date, doc-type, author, recipients"),
        ("DOC-000003", "could not be read at ingest"),
        ("DOC-000004", "hidden content (form fields)"),
        ("DOC-000005", "no category"),
        ("DOC-000006", "changed since it was recorded"),
    ] {
        assert!(
            stderr.lines().any(|l| l.contains(id) && l.contains(what)),
            "{id}: {what} missing in:\n{stderr}"
        );
    }
    let productions = m.root.join("productions");
    assert!(
        !productions.exists() || std::fs::read_dir(&productions).unwrap().next().is_none(),
        "nothing is left behind"
    );
    let export = m.cmd().args(["export", "index"]).output().unwrap().stdout;
    assert_eq!(
        String::from_utf8_lossy(&export).lines().count(),
        1,
        "no volume recorded: the export is its header only"
    );

    let dry = m.json(&["produce", "VOL001", "--dry-run"]);
    assert_eq!(dry["blockers"].as_array().unwrap().len(), 6, "{dry}");
}

#[test]
fn a_dry_run_prints_the_plan_and_changes_nothing() {
    let t = tagged_matter();
    let before = t.m.state();
    let out =
        t.m.cmd()
            .args(["produce", "VOL001", "--dry-run"])
            .output()
            .unwrap();
    let (stdout, _) = text(&out);
    assert!(out.status.success(), "{stdout}");
    assert!(stdout.contains("DHS-MPP-000001"), "{stdout}");
    assert!(
        stdout.contains("Informe Jurídico – Peña"),
        "left-out extracted values are listed:\n{stdout}"
    );
    let plan = t.m.json(&["produce", "VOL001", "--dry-run"]);
    let pages = &plan["pages"];
    assert_eq!(
        pages["total"].as_u64().unwrap(),
        pages["image_pages"].as_u64().unwrap()
            + pages["native_slip_sheets"].as_u64().unwrap()
            + pages["withheld_slip_sheets"].as_u64().unwrap()
    );
    // The .docx goes out native; the e-mail is rendered as pages (SPEC,
    // "Emails as pages").
    assert_eq!(pages["native_slip_sheets"], 1);
    assert_eq!(pages["withheld_slip_sheets"], 1);
    assert_eq!(plan["categories"]["3"]["redacted"], 1);
    assert!(!t.m.root.join("productions/VOL001").exists());
    assert_eq!(t.m.state(), before);
}

#[test]
fn the_same_tagged_matter_produced_twice_is_byte_identical() {
    let a = tagged_matter();
    let b = tagged_matter();
    assert!(produce(&a.m, "VOL001").status.success());
    std::thread::sleep(std::time::Duration::from_millis(1100));
    assert!(produce(&b.m, "VOL001").status.success());
    let (va, vb) = (
        a.m.root.join("productions/VOL001"),
        b.m.root.join("productions/VOL001"),
    );
    let (fa, fb) = (files_under(&va), files_under(&vb));
    assert_eq!(fa.len(), fb.len());
    for (x, y) in fa.iter().zip(&fb) {
        assert_eq!(x.strip_prefix(&va).unwrap(), y.strip_prefix(&vb).unwrap());
        let rel = x.strip_prefix(&va).unwrap().display().to_string();
        // Source paths differ between the two matters only in SOURCE paths, which no file carries.
        assert!(
            std::fs::read(x).unwrap() == std::fs::read(y).unwrap(),
            "{rel} differs between two productions"
        );
    }
}

#[test]
fn log_only_withheld_documents_take_no_number_and_no_file() {
    let t = tagged_matter();
    let config = t.m.root.join("adrec.toml");
    let text = std::fs::read_to_string(&config)
        .unwrap()
        .replace("withheld = \"slipsheet\"", "withheld = \"log-only\"");
    std::fs::write(&config, text).unwrap();
    assert!(produce(&t.m, "VOL001").status.success());
    let vol = t.m.root.join("productions/VOL001");
    let index = read_csv(&vol.join("DATA/VOL001_index.csv"));
    let withheld = index
        .iter()
        .find(|r| r["CONTROL_ID"] == t.ids["notes.pdf"])
        .unwrap();
    assert_eq!(
        (
            withheld["BEGBATES"].as_str(),
            withheld["ENDBATES"].as_str(),
            withheld["PGCOUNT"].as_str()
        ),
        ("", "", "")
    );
    let dat = read_dat(&std::fs::read(vol.join("DATA/VOL001.dat")).unwrap());
    assert!(
        dat.iter().all(|r| r["CONTROL_ID"] != t.ids["notes.pdf"]),
        "no DAT line for a log-only document"
    );
    let log = read_csv(&vol.join("DATA/VOL001_privilege_log.csv"));
    let entry = log
        .iter()
        .find(|r| r["CONTROL_ID"] == t.ids["notes.pdf"])
        .unwrap();
    assert_eq!(entry["BEGBATES"], "");
    assert!(entry["LOG_ID"].starts_with("PRIV-"));
    let numbers: Vec<&str> = index
        .iter()
        .map(|r| r["BEGBATES"].as_str())
        .filter(|b| !b.is_empty())
        .collect();
    assert_eq!(numbers.len(), 6);
}

#[test]
fn duplicates_are_produced_once_and_must_agree() {
    let m = TestMatter::new("mpp-order");
    let src = m.scratch("src");
    std::fs::create_dir_all(src.join("x")).unwrap();
    std::fs::copy(fixtures().join("pdf/classic-3p.pdf"), src.join("a.pdf")).unwrap();
    std::fs::copy(fixtures().join("pdf/classic-3p.pdf"), src.join("x/b.pdf")).unwrap();
    m.cmd()
        .args(["ingest", src.to_str().unwrap()])
        .assert()
        .success();
    m.cmd()
        .args([
            "tag",
            "DOC-000001",
            "--status",
            "produce",
            "--category",
            "1",
        ])
        .assert()
        .success();
    m.cmd()
        .args([
            "tag",
            "DOC-000002",
            "--status",
            "produce",
            "--category",
            "1",
            "--confidentiality",
            "CONFIDENTIAL",
        ])
        .assert()
        .success();
    let out = m.cmd().args(["produce", "VOL001"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out).1.contains("DOC-000001, DOC-000002"),
        "{:?}",
        text(&out)
    );
    m.cmd()
        .args(["tag", "DOC-000002", "--confidentiality", "[clear]"])
        .assert()
        .success();
    m.cmd().args(["produce", "VOL001"]).assert().success();
    let index = read_csv(&m.root.join("productions/VOL001/DATA/VOL001_index.csv"));
    assert_eq!(index.len(), 1);
    assert_eq!(index[0]["DUPLICATES"], "DOC-000002");
}

#[test]
fn a_legend_no_font_can_show_is_an_input_error_before_anything_is_written() {
    // Issue 12: the bundled font has no Chinese; with the installed-font
    // search pointed at an empty folder, nothing can show it.
    let t = tagged_matter();
    let config = t.m.root.join("adrec.toml");
    let text = std::fs::read_to_string(&config)
        .unwrap()
        .replace("CONFIDENTIAL – SUBJECT", "CONFIDENTIAL 机密 SUBJECT");
    std::fs::write(&config, text).unwrap();
    let empty = tempfile::tempdir().unwrap();
    t.m.cmd()
        .env("ADREC_FONT_DIRS", empty.path())
        .args(["produce", "VOL001"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("U+673A").and(predicate::str::contains("legend")));
    assert!(!t.m.root.join("productions/VOL001").exists());
}

#[test]
fn no_stamp_still_rewrites_every_pdf() {
    let t = tagged_matter();
    t.m.cmd()
        .args(["produce", "VOL001", "--no-stamp", "--date", "2024-04-19"])
        .assert()
        .success();
    let vol = t.m.root.join("productions/VOL001");
    let index = read_csv(&vol.join("DATA/VOL001_index.csv"));
    let memo = index
        .iter()
        .find(|r| r["CONTROL_ID"] == t.ids["memo.pdf"])
        .unwrap();
    let pdf = vol.join(format!("IMAGES/0001/{}.pdf", memo["BEGBATES"]));
    let text = tool("pdftotext", &[pdf.to_str().unwrap(), "-"]);
    assert!(!text.contains("DHS-MPP-"), "--no-stamp stamps nothing");
    assert!(
        !tool("pdfinfo", &[pdf.to_str().unwrap()]).contains("Memorandum on Port Operations"),
        "Info is dropped"
    );
}

#[test]
fn a_dry_run_warns_when_a_redacted_file_still_holds_the_original_text() {
    let m = TestMatter::new("mpp-order");
    let src = m.scratch("src");
    std::fs::copy(fixtures().join("pdf/classic-3p.pdf"), src.join("memo.pdf")).unwrap();
    m.cmd()
        .args(["ingest", src.to_str().unwrap()])
        .assert()
        .success();
    // "Redacted" by re-saving: different bytes, same words.
    let mut same = std::fs::read(fixtures().join("pdf/classic-3p.pdf")).unwrap();
    same.extend_from_slice(b"\n% redacted? no\n");
    let fake = m.scratch("red").join("memo-redacted.pdf");
    std::fs::write(&fake, same).unwrap();
    m.cmd()
        .args([
            "tag",
            "DOC-000001",
            "--status",
            "redact",
            "--category",
            "1",
            "--privilege",
            "DP",
            "--description",
            "d",
        ])
        .args([
            "--doc-date",
            "undated",
            "--doc-type",
            "Memorandum",
            "--author",
            "Unknown",
            "--recipients",
            "None",
        ])
        .arg("--redacted-file")
        .arg(&fake)
        .assert()
        .success();
    let out = m
        .cmd()
        .args(["produce", "VOL001", "--dry-run"])
        .output()
        .unwrap();
    assert!(
        text(&out)
            .0
            .contains("still contains every word of the original"),
        "{:?}",
        text(&out)
    );
}

#[test]
fn slip_sheet_names_come_back_unchanged_from_pdftotext() {
    let m = TestMatter::new("mpp-order");
    let src = m.scratch("src");
    std::fs::copy(
        fixtures().join("office/plain.docx"),
        src.join("Informe Jurídico – Peña.docx"),
    )
    .unwrap();
    m.cmd()
        .args(["ingest", src.to_str().unwrap()])
        .assert()
        .success();
    m.cmd()
        .args([
            "tag",
            "DOC-000001",
            "--status",
            "produce",
            "--category",
            "4",
            "--confidentiality",
            "CONFIDENTIAL",
        ])
        .assert()
        .success();
    m.cmd()
        .args(["produce", "VOL001", "--date", "2024-04-19"])
        .assert()
        .success();
    let slip = m
        .root
        .join("productions/VOL001/IMAGES/0001/DHS-MPP-000001.pdf");
    let text = tool("pdftotext", &[slip.to_str().unwrap(), "-"]);
    for needle in [
        "Produced in native format",
        "Informe Jurídico – Peña.docx",
        "DOC-000001",
        "DHS-MPP-000001",
        "CONFIDENTIAL – SUBJECT TO PROTECTIVE ORDER",
    ] {
        assert!(
            text.contains(needle),
            "{needle:?} not in the slip sheet's text:\n{text}"
        );
    }
    assert!(
        m.root
            .join("productions/VOL001/NATIVES/0001/DHS-MPP-000001.docx")
            .is_file()
    );
}

#[test]
fn a_volume_made_by_adrec_produce_audits_clean() {
    let t = tagged_matter();
    assert!(produce(&t.m, "VOL001").status.success());
    let volume = t.m.root.join("productions/VOL001");
    let out = adrec()
        .arg("audit")
        .arg(&volume)
        .arg("--categories")
        .arg(t.m.root.join("adrec.toml"))
        .arg("--json")
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).expect("audit --json");
    assert_eq!(
        report["findings"].as_array().map(Vec::len),
        Some(0),
        "{report}"
    );
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn a_failure_outside_the_input_exits_4_and_records_nothing() {
    let t = tagged_matter();
    // A file where the productions folder belongs: every write under it fails.
    std::fs::write(t.m.root.join("productions"), b"not a folder").unwrap();
    let out = produce(&t.m, "VOL001");
    assert_eq!(out.status.code(), Some(4), "{:?}", text(&out));
    assert!(text(&out).1.contains("productions"), "{:?}", text(&out));
    std::fs::remove_file(t.m.root.join("productions")).unwrap();
    // Nothing was consumed: the volume can be produced, from number 1.
    assert!(produce(&t.m, "VOL001").status.success());
    let index = read_csv(&t.m.root.join("productions/VOL001/DATA/VOL001_index.csv"));
    assert_eq!(index[0]["BEGBATES"], "DHS-MPP-000001");
}

#[test]
fn a_folder_of_the_volume_name_the_matter_never_recorded_is_refused_before_anything_is_issued() {
    let t = tagged_matter();
    // A production received from another party, copied in under the name.
    let received = t.m.root.join("productions/VOL001");
    std::fs::create_dir_all(received.join("DATA")).unwrap();
    std::fs::write(received.join("DATA/VOL001.dat"), b"theirs").unwrap();
    let out = produce(&t.m, "VOL001");
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("already exists, but this matter has no volume VOL001"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    // Their folder is untouched and nothing of ours was staged beside it.
    assert_eq!(
        std::fs::read(received.join("DATA/VOL001.dat")).unwrap(),
        b"theirs"
    );
    assert_eq!(files_under(&received).len(), 1);
    assert!(!t.m.root.join("productions/.VOL001.partial").exists());
    // No number was consumed: another name starts at the first.
    assert!(produce(&t.m, "VOL002").status.success());
    let index = read_csv(&t.m.root.join("productions/VOL002/DATA/VOL002_index.csv"));
    assert_eq!(index[0]["BEGBATES"], "DHS-MPP-000001");
}

/// A source whose extension holds a newline or a backslash goes out as a
/// native without one: its SHA256SUMS line stays one line and its
/// NATIVELINK names a file, so the volume checks and audits clean.
#[test]
fn a_native_whose_extension_could_break_a_load_file_goes_out_without_it() {
    let m = TestMatter::new("mpp-order");
    let src = m.scratch("odd-names");
    std::fs::write(src.join("notes.t\nxt"), "a note\n").unwrap();
    std::fs::write(src.join("memo.a\\b"), "a memo\n").unwrap();
    std::fs::write(src.join("plain.csv"), "a,b\n1,2\n").unwrap();
    m.cmd().arg("ingest").arg(&src).assert().success();
    let ids: Vec<String> = m
        .docs()
        .iter()
        .map(|d| d["docid"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids.len(), 3);
    let mut args = vec!["tag".to_string()];
    args.extend(ids);
    args.extend(["--status", "produce", "--category", "1"].map(String::from));
    m.cmd().args(&args).assert().success();
    m.produce_ok("VOL001");
    let volume = m.root.join("productions/VOL001");
    let mut natives: Vec<String> = files_under(&volume.join("NATIVES"))
        .iter()
        .map(|p| p.file_name().unwrap().to_str().unwrap().to_string())
        .collect();
    natives.sort();
    assert_eq!(
        natives,
        ["DHS-MPP-000001", "DHS-MPP-000002", "DHS-MPP-000003.csv"],
        "in DOCID order: memo.a\\b, notes.t<LF>xt, plain.csv"
    );
    sha256sums_ok(&volume).unwrap();
    audits_clean(&m, "productions/VOL001");
}
