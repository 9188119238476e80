//! Clawback and replacement through the binary: recall produced documents by
//! Bates number and by DOCID, produce the overlay volume on their own
//! numbers (padding and suffixes), and check it with independent readers
//! (pdftotext, qpdf, sha256sum, a CSV reader) and the cumulative exports.
//! Then `kill -9` the overlay's produce 30 times: all or nothing.

use crate::util::*;
use std::collections::BTreeMap;
use std::path::Path;

type Row = BTreeMap<String, String>;
use crate::privlog_profiles::read_csv_bytes as read_csv;
use crate::text::LOG_FIELDS;

struct Produced {
    m: TestMatter,
    /// File name → DOCID.
    ids: BTreeMap<&'static str, String>,
    /// DOCID → VOL001's index row.
    vol001: BTreeMap<String, Row>,
}

/// Four documents produced in VOL001: a 3-page memo, a 4-page PDF, a
/// 1-page PDF and a native.
fn produced() -> Produced {
    let m = TestMatter::new("mpp-order");
    let src = m.scratch("collected");
    let files = [
        ("a-memo.pdf", "pdf/classic-3p.pdf"),
        ("b-rotated.pdf", "pdf/rotated-cropped.pdf"),
        ("c-short.pdf", "pdf/utf16-info.pdf"),
        ("d-guidance.docx", "office/plain.docx"),
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
            let path = d["path"].as_str().unwrap();
            let name = files.iter().find(|(n, _)| *n == path).unwrap().0;
            (name, d["docid"].as_str().unwrap().to_string())
        })
        .collect();
    m.cmd()
        .arg("tag")
        .args(ids.values())
        .args(["--status", "produce", "--category", "1"])
        .assert()
        .success();
    m.produce_ok("VOL001");
    let (_, rows) =
        read_csv(&std::fs::read(m.root.join("productions/VOL001/DATA/VOL001_index.csv")).unwrap());
    let vol001 = rows
        .into_iter()
        .map(|r| (r["CONTROL_ID"].clone(), r))
        .collect();
    Produced { m, ids, vol001 }
}

/// Recalls three documents: the memo by a Bates number inside its range
/// (withheld), the 4-page PDF by DOCID with a 2-page redaction (padded), the
/// 1-page PDF with a 3-page redaction (suffixed).
fn claw_back(p: &Produced) {
    let memo_second_page = {
        let beg = &p.vol001[&p.ids["a-memo.pdf"]]["BEGBATES"];
        let n: u64 = beg["DHS-MPP-".len()..].parse().unwrap();
        format!("DHS-MPP-{:06}", n + 1)
    };
    let run = |args: &[&str]| {
        let out = p.m.cmd().arg("clawback").args(args).output().unwrap();
        assert!(out.status.success(), "clawback {args:?}: {:?}", text(&out));
        text(&out).0
    };
    let said = run(&[
        &memo_second_page,
        "--privilege",
        "AC",
        "--description",
        "Legal advice on implementation options",
        "--reason",
        "Inadvertent production; letter of 2024-05-01",
        "--date",
        "2024-05-01",
    ]);
    assert!(said.contains(&p.ids["a-memo.pdf"]), "{said}");
    let landscape = fixtures().join("pdf/landscape.pdf");
    let three = fixtures().join("pdf/classic-3p.pdf");
    for (id, file) in [
        (&p.ids["b-rotated.pdf"], &landscape),
        (&p.ids["c-short.pdf"], &three),
    ] {
        run(&[
            id,
            "--privilege",
            "DP",
            "--description",
            "Pre-decisional draft",
            "--replace-with",
            file.to_str().unwrap(),
            "--date",
            "2024-05-02",
        ]);
    }
}

fn pdf_pages(pdf: &Path) -> Vec<String> {
    let p = pdf.to_str().unwrap();
    let info = tool("pdfinfo", &[p]);
    let pages: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .map(|n| n.trim().parse().unwrap())
        .unwrap();
    (1..=pages)
        .map(|k| {
            tool(
                "pdftotext",
                &["-f", &k.to_string(), "-l", &k.to_string(), p, "-"],
            )
        })
        .collect()
}

fn qpdf_ok(pdf: &Path) {
    let out = std::process::Command::new("qpdf")
        .args(["--check", pdf.to_str().unwrap()])
        .output()
        .expect("qpdf");
    assert!(out.status.success(), "{}: {:?}", pdf.display(), text(&out));
}

fn bates(n: u64) -> String {
    format!("DHS-MPP-{n:06}")
}

fn number(b: &str) -> u64 {
    b["DHS-MPP-".len()..].parse().unwrap()
}

#[test]
fn clawback_round_trip_replaces_on_the_same_numbers() {
    let p = produced();
    let m = &p.m;
    let [memo, rotated, short] =
        ["a-memo.pdf", "b-rotated.pdf", "c-short.pdf"].map(|n| p.ids[n].clone());

    // What cannot be clawed back is refused, naming it, with nothing changed.
    let before = m.state();
    for (args, says) in [
        (vec!["DHS-MPP-999999"], "not issued"),
        (vec!["DOC-000999"], "not in any produced volume"),
        (vec!["memo"], "neither a DOCID"),
    ] {
        let out = m
            .cmd()
            .arg("clawback")
            .args(&args)
            .args(["--privilege", "AC", "--description", "x"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {:?}", text(&out));
        assert!(text(&out).1.contains(says), "{args:?}: {:?}", text(&out));
    }
    let out = m
        .cmd()
        .args([
            "clawback",
            &memo,
            "--privilege",
            "NOPE",
            "--description",
            "x",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{:?}", text(&out));
    assert_eq!(m.state(), before, "refusals change nothing");

    claw_back(&p);
    // A second request for a document not yet replaced is refused.
    let out = m
        .cmd()
        .args([
            "clawback",
            &memo,
            "--privilege",
            "AC",
            "--description",
            "again",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{:?}", text(&out));
    assert!(
        text(&out).1.contains("already has a clawback"),
        "{:?}",
        text(&out)
    );

    let status = m.json(&["status"]);
    let open = status["outstanding_clawbacks"].as_array().unwrap();
    assert_eq!(open.len(), 3, "{status}");
    assert_eq!(open[0]["docid"], memo.as_str());
    assert_eq!(open[0]["requested_on"], "2024-05-01");

    // The privilege log needs the reviewer's fields: the overlay blocks until then.
    let out = m
        .cmd()
        .args(["produce", "OVL001", "--overlay"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{:?}", text(&out));
    assert!(text(&out).1.contains("doc-date"), "{:?}", text(&out));
    assert!(!m.root.join("productions/OVL001").exists());
    m.cmd()
        .arg("tag")
        .args([&memo, &rotated, &short])
        .args(LOG_FIELDS)
        .assert()
        .success();
    let out = m
        .cmd()
        .args(["produce", "OVL001", "--overlay", "--date", "2024-05-03"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{:?}", text(&out));
    let ovl = m.root.join("productions/OVL001");

    // Every file is what SHA256SUMS says.
    sha256sums_ok(&ovl).unwrap();

    // The OPT: each replaced document on its own numbers, suffixes after the last.
    let range = |id: &str| {
        let r = &p.vol001[id];
        (number(&r["BEGBATES"]), number(&r["ENDBATES"]))
    };
    let opt = std::fs::read_to_string(ovl.join("DATA/OVL001.opt")).unwrap();
    let keys: Vec<&str> = opt.lines().map(|l| l.split(',').next().unwrap()).collect();
    let mut expected = Vec::new();
    for id in [&memo, &rotated, &short] {
        let (b, e) = range(id);
        expected.extend((b..=e).map(bates));
    }
    let (_, short_end) = range(&short);
    expected.push(format!("{}.001", bates(short_end)));
    expected.push(format!("{}.002", bates(short_end)));
    assert_eq!(keys, expected);

    // The withheld memo: its slip on the first number, the rest padded.
    let (mb, me) = range(&memo);
    let pages = pdf_pages(&ovl.join(format!("IMAGES/0001/{}.pdf", bates(mb))));
    assert_eq!(pages.len() as u64, me - mb + 1);
    assert!(pages[0].contains("Withheld"), "{}", pages[0]);
    assert!(
        pages[0].contains("Attorney-client privilege"),
        "{}",
        pages[0]
    );
    for (k, page) in pages.iter().enumerate() {
        assert!(page.contains(&bates(mb + k as u64)), "page {k}: {page}");
        if k > 0 {
            assert!(
                page.contains("Intentionally left blank"),
                "page {k}: {page}"
            );
        }
    }
    // Its text file has a page per number too (form feeds between pages).
    let text_file =
        std::fs::read_to_string(ovl.join(format!("TEXT/0001/{}.txt", bates(mb)))).unwrap();
    assert_eq!(
        text_file.split('\u{c}').count() as u64,
        me - mb + 1,
        "{text_file:?}"
    );
    assert!(text_file.contains("Intentionally left blank"));
    // The 2-page redaction on 4 numbers: two padding pages.
    let (rb, re) = range(&rotated);
    let pages = pdf_pages(&ovl.join(format!("IMAGES/0001/{}.pdf", bates(rb))));
    assert_eq!(pages.len() as u64, re - rb + 1);
    assert_eq!(
        pages
            .iter()
            .filter(|t| t.contains("Intentionally left blank"))
            .count(),
        2
    );
    // The 3-page redaction on 1 number: two suffixed pages.
    let pages = pdf_pages(&ovl.join(format!("IMAGES/0001/{}.pdf", bates(short_end))));
    assert_eq!(pages.len(), 3);
    assert!(
        pages[2].contains(&format!("{}.002", bates(short_end))),
        "{}",
        pages[2]
    );
    for pdf in std::fs::read_dir(ovl.join("IMAGES/0001")).unwrap() {
        qpdf_ok(&pdf.unwrap().path());
    }

    // The overlay's DAT holds only the replaced rows.
    let dat = std::fs::read(ovl.join("DATA/OVL001.dat")).unwrap();
    let dat = String::from_utf8(dat[3..].to_vec()).unwrap();
    let lines: Vec<Vec<&str>> = dat
        .split("\r\n")
        .filter(|l| !l.is_empty())
        .map(|l| l.split('\u{14}').map(|f| f.trim_matches('þ')).collect())
        .collect();
    assert_eq!(lines.len(), 4, "header and three rows");
    let col = |name: &str| lines[0].iter().position(|h| *h == name).unwrap();
    assert_eq!(lines[1][col("CONTROL_ID")], memo);
    assert_eq!(lines[1][col("TREATMENT")], "Withheld");
    assert_eq!(lines[1][col("TITLE")], "", "a withheld row shows no title");
    assert_eq!(
        lines[3][col("ENDBATES")],
        format!("{}.002", bates(short_end))
    );
    assert_eq!(lines[3][col("PGCOUNT")], "3");

    // Manifest, notice and log.
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(ovl.join("DATA/OVL001_manifest.json")).unwrap())
            .unwrap();
    assert_eq!(manifest["overlay_of"], serde_json::json!(["VOL001"]));
    assert_eq!(manifest["replaced"].as_array().unwrap().len(), 3);
    let (header, notice) =
        read_csv(&std::fs::read(ovl.join("DATA/OVL001_clawback_notice.csv")).unwrap());
    assert_eq!(header[0], "BEGBATES");
    assert_eq!(notice.len(), 3);
    assert_eq!(notice[0]["BEGBATES"], bates(mb));
    assert_eq!(notice[0]["ENDBATES"], bates(me));
    assert_eq!(notice[0]["REQUESTED_ON"], "2024-05-01");
    assert_eq!(notice[0]["PRIVILEGE"], "Attorney-client privilege");
    assert!(notice[0]["REASON"].contains("letter of 2024-05-01"));
    assert!(notice.iter().all(|r| r["REPLACED_BY"] == "OVL001"));
    let notice_text = tool(
        "pdftotext",
        &[
            ovl.join("DATA/OVL001_clawback_notice.pdf")
                .to_str()
                .unwrap(),
            "-",
        ],
    );
    assert!(notice_text.contains("26(b)(5)(B)"), "{notice_text}");
    for r in &notice {
        assert!(notice_text.contains(&r["BEGBATES"]), "{notice_text}");
    }
    let (_, log) = read_csv(&std::fs::read(ovl.join("DATA/OVL001_privilege_log.csv")).unwrap());
    assert_eq!(
        log.iter()
            .map(|r| r["CONTROL_ID"].as_str())
            .collect::<Vec<_>>(),
        [memo.as_str(), rotated.as_str(), short.as_str()]
    );

    // Cumulative exports show the replacement, never the recalled version.
    let out = m.cmd().args(["export", "index"]).output().unwrap();
    let (header, all) = read_csv(&out.stdout);
    assert_eq!(header.last().map(String::as_str), Some("REPLACED_BY"));
    assert_eq!(all.len(), p.vol001.len());
    for r in &all {
        let replaced = [&memo, &rotated, &short].contains(&&r["CONTROL_ID"]);
        assert_eq!(
            r["REPLACED_BY"],
            if replaced { "OVL001" } else { "" },
            "{r:?}"
        );
        assert_eq!(
            r["VOLUME"],
            if replaced { "OVL001" } else { "VOL001" },
            "{r:?}"
        );
        if replaced {
            assert_ne!(r["TREATMENT"], "Produced", "{r:?}");
            assert_ne!(
                r["PRODUCED_SHA256"],
                p.vol001[&r["CONTROL_ID"]]["PRODUCED_SHA256"]
            );
        }
    }
    let out = m
        .cmd()
        .args(["export", "index", "--volume", "VOL001"])
        .output()
        .unwrap();
    assert_eq!(
        out.stdout,
        std::fs::read(m.root.join("productions/VOL001/DATA/VOL001_index.csv")).unwrap(),
        "a volume's own export stays as it went out"
    );
    let out = m.cmd().args(["export", "privlog"]).output().unwrap();
    let (_, log) = read_csv(&out.stdout);
    assert_eq!(log.len(), 3);

    // Nothing outstanding; a second overlay has nothing to replace.
    let status = m.json(&["status"]);
    assert_eq!(
        status["outstanding_clawbacks"].as_array().map(Vec::len),
        Some(0)
    );
    let out = m
        .cmd()
        .args(["produce", "OVL002", "--overlay"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{:?}", text(&out));
    assert!(
        text(&out).1.contains("Nothing to replace"),
        "{:?}",
        text(&out)
    );

    // No number was issued again: the next volume starts after VOL001's last.
    let last = p
        .vol001
        .values()
        .map(|r| number(&r["ENDBATES"]))
        .max()
        .unwrap();
    let more = m.scratch("more");
    std::fs::copy(fixtures().join("pdf/objstm.pdf"), more.join("e.pdf")).unwrap();
    m.cmd()
        .args(["ingest", more.to_str().unwrap()])
        .assert()
        .success();
    let new_id = m
        .docs()
        .iter()
        .find(|d| d["path"] == "e.pdf")
        .map(|d| d["docid"].as_str().unwrap().to_string())
        .unwrap();
    m.cmd()
        .args(["tag", &new_id, "--status", "produce", "--category", "1"])
        .assert()
        .success();
    m.cmd().args(["produce", "VOL002"]).assert().success();
    let (_, vol002) =
        read_csv(&std::fs::read(m.root.join("productions/VOL002/DATA/VOL002_index.csv")).unwrap());
    assert_eq!(vol002[0]["BEGBATES"], bates(last + 1));
}

#[test]
fn overlay_is_all_or_nothing_under_sigkill() {
    let p = produced();
    claw_back(&p);
    p.m.cmd()
        .arg("tag")
        .args(["a-memo.pdf", "b-rotated.pdf", "c-short.pdf"].map(|n| p.ids[n].clone()))
        .args(LOG_FIELDS)
        .assert()
        .success();
    let overlay = ["produce", "OVL001", "--overlay", "--date", "2024-05-03"];
    let outstanding = |dir: &Path| {
        let out = adrec()
            .current_dir(dir)
            .args(["status", "--json"])
            .output()
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        v["outstanding_clawbacks"].as_array().map_or(0, Vec::len)
    };
    kill_trials(
        &p.m,
        &overlay,
        "OVL001",
        30,
        |t| {
            if t.committed {
                assert_eq!(
                    outstanding(t.dir),
                    0,
                    "trial {}: recorded but still outstanding",
                    t.n
                );
            } else {
                assert_eq!(outstanding(t.dir), 3, "trial {}: nothing recorded", t.n);
            }
        },
        |t| same_checksums(t, "OVL001"),
    );
}
