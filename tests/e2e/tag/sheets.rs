//! `adrec tag --from FILE`: the real workbooks in `tests/fixtures/sheets`
//! (written by openpyxl, xlwt, odfpy and Python's csv module; see
//! `make_sheets.py` there), bad rows, sheet choice, header problems.

use super::{corpus, doc, history, tag_code};
use crate::util::fixtures;
use serde_json::{Value, json};

fn sheet(name: &str) -> String {
    fixtures()
        .join("sheets")
        .join(name)
        .to_str()
        .unwrap()
        .to_string()
}

/// The decisions `tags.xlsx`, `tags.xls`, `tags.ods` and `tags-bom.csv` all hold.
fn assert_common_decisions(m: &crate::util::TestMatter, format: &str) {
    let d1 = doc(m, "DOC-000001");
    assert_eq!(d1["status"], "withhold", "{format}");
    assert_eq!(
        d1["categories"],
        json!(["1"]),
        "{format}: a category typed as the number 1"
    );
    assert_eq!(d1["privileges"], json!(["AC", "DP"]), "{format}");
    assert_eq!(d1["description"], "Draft agreement text", "{format}");
    assert_eq!(d1["confidentiality"], "CONFIDENTIAL", "{format}");
    assert_eq!(
        d1["overrides"]["doc_date"], "2023-03-15",
        "{format}: a date cell"
    );
    assert_eq!(d1["overrides"]["doc_type"], "Email", "{format}");
    assert_eq!(d1["overrides"]["author"], "Ana Ruiz", "{format}");
    assert_eq!(d1["overrides"]["recipients"], "Luis Ortega", "{format}");

    let d2 = doc(m, "DOC-000002");
    assert_eq!(
        d2["status"], "produce",
        "{format}: \"Produce \" with a stray space"
    );
    assert_eq!(d2["categories"], json!(["2", "3"]), "{format}");
    assert_eq!(
        d2["overrides"]["doc_date"], "2024-01-15",
        "{format}: the Excel serial 45306"
    );
    assert_eq!(d2["overrides"]["doc_type"], "Letter", "{format}");

    let d3 = doc(m, "DOC-000003");
    assert_eq!(d3["status"], "redact", "{format}");
    assert_eq!(d3["categories"], json!(["1"]), "{format}");
    assert_eq!(
        d3["description"], "=SUM(A1) deliberations",
        "{format}: the ' neutraliser is stripped"
    );
    assert_eq!(
        d3["overrides"]["doc_date"], "2024-01-15",
        "{format}: a date typed as text 01/15/2024"
    );
    assert_eq!(d3["overrides"]["recipients"], "None", "{format}");

    let d4 = doc(m, "DOC-000004");
    assert_eq!(d4["status"], "produce", "{format}");
    assert_eq!(
        d4["categories"],
        json!(["4"]),
        "{format}: 4.0 is category 4"
    );
    assert_eq!(d4["overrides"]["doc_date"], "undated", "{format}");
    assert_eq!(d4["hidden_reviewed"], true, "{format}");

    // The hidden first sheet ("Read me") was not read: DOC-000007 is untouched.
    for id in ["DOC-000005", "DOC-000006", "DOC-000007"] {
        assert_eq!(doc(m, id)["status"], "unreviewed", "{format}: {id}");
    }
    // The reviewer column wins for its row; $USER elsewhere.
    assert!(
        history(m, "DOC-000001")
            .iter()
            .all(|h| h["actor"] == "alice"),
        "{format}"
    );
    let h3 = history(m, "DOC-000003");
    assert!(h3.iter().all(|h| h["actor"] == "tester"), "{format}");
    assert!(
        h3.iter()
            .any(|h| h["field"] == "note" && h["new_value"] == "see email"),
        "{format}"
    );
}

#[test]
fn every_format_applies_the_same_decisions() {
    for name in ["tags.xlsx", "tags.xls", "tags.ods", "tags-bom.csv"] {
        let m = corpus();
        let (stdout, stderr) = tag_code(&m, &["--from", &sheet(name)], 0);
        assert!(
            stdout.contains("4 row(s), 4 document(s): 4 changed"),
            "{name}: {stdout}"
        );
        if !name.ends_with(".csv") {
            assert!(
                stderr.contains("skipped the hidden sheet(s) before it: \"Read me\""),
                "{name}: {stderr}"
            );
        }
        assert_common_decisions(&m, name);
        // Applying the same sheet again changes nothing.
        let (stdout, _) = tag_code(&m, &["--from", &sheet(name)], 0);
        assert!(
            stdout.contains("0 changed, 4 unchanged"),
            "{name}: {stdout}"
        );
    }
}

#[test]
fn windows_1252_semicolon_csv() {
    let m = corpus();
    let (_, stderr) = tag_code(&m, &["--from", &sheet("tags-1252.csv")], 0);
    assert!(stderr.contains("read it as Windows-1252"), "{stderr}");
    let d5 = doc(&m, "DOC-000005");
    assert_eq!(d5["description"], "Análisis del acuerdo – borrador");
    assert_eq!(d5["overrides"]["author"], "José Peña");
    let d6 = doc(&m, "DOC-000006");
    assert_eq!(d6["overrides"]["author"], "Zoë O’Brien");
    assert_eq!(
        d6["overrides"]["doc_date"], "2024-03-04",
        "3/4/2024 is March 4 (U.S. order)"
    );

    let m = corpus();
    let (_, stderr) = tag_code(&m, &["--from", &sheet("tags-1252-bad-date.csv")], 2);
    assert!(
        stderr.contains("row 2, column F \"doc-date\": \"15.01.2024\" is ambiguous"),
        "{stderr}"
    );
    assert_eq!(
        doc(&m, "DOC-000006")["status"],
        "unreviewed",
        "the good row was not applied"
    );
}

#[test]
fn several_bad_rows_are_all_listed_and_nothing_is_applied() {
    let m = corpus();
    let (_, stderr) = tag_code(&m, &["--from", &sheet("bad-rows.xlsx")], 2);
    for expected in [
        "8 bad row(s)",
        "row 3, column A \"docid\": there is no document DOC-000099",
        "row 4, column B \"status\": \"produced\" is not a status",
        "row 5, column C \"category\": there is no category \"9\"",
        "row 6, column D \"privilege\": there is no privilege code \"XX\"",
        "row 7, column E \"description\", DOC-000005: a withhold document needs a description",
        "row 8, column A \"docid\", DOC-000001: DOC-000001 is already tagged by row 2",
        "row 9, column F \"doc date\": \"2024-02-30\" is not a date",
        "row 10, column G \"confidentiality\": there is no confidentiality level \"SECRET\"",
        "nothing was applied",
    ] {
        assert!(
            stderr.contains(expected),
            "missing {expected:?} in\n{stderr}"
        );
    }
    assert!(!stderr.contains("row 2,"), "row 2 is good: {stderr}");
    assert!(m.docs().iter().all(|d| d["status"] == "unreviewed"));
    assert!(history(&m, "DOC-000001").is_empty());

    // --json lists the same problems on stdout.
    let out = m
        .cmd()
        .args(["tag", "--from", &sheet("bad-rows.xlsx"), "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["applied"], false);
    let rows: Vec<u64> = v["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["row"].as_u64().unwrap())
        .collect();
    assert_eq!(rows, [3, 4, 5, 6, 7, 8, 9, 10]);
}

#[test]
fn dry_run_validates_a_sheet_without_applying_it() {
    let m = corpus();
    let (stdout, _) = tag_code(&m, &["--from", &sheet("tags.xlsx"), "--dry-run"], 0);
    assert!(
        stdout.contains("dry run")
            && stdout.contains("4 changed")
            && stdout.contains("nothing was applied"),
        "{stdout}"
    );
    assert!(m.docs().iter().all(|d| d["status"] == "unreviewed"));
    tag_code(&m, &["--from", &sheet("bad-rows.xlsx"), "--dry-run"], 2);
}

#[test]
fn sheet_choice_and_header_problems() {
    let m = corpus();
    // --sheet reads the hidden sheet, whose row withholds without a privilege.
    let (_, e) = tag_code(
        &m,
        &["--from", &sheet("tags.xlsx"), "--sheet", "read me"],
        2,
    );
    assert!(
        e.contains("sheet \"Read me\"")
            && e.contains("row 2")
            && e.contains("needs a privilege code"),
        "{e}"
    );
    let (_, e) = tag_code(&m, &["--from", &sheet("tags.xlsx"), "--sheet", "Nope"], 2);
    assert!(
        e.contains("has no sheet \"Nope\"") && e.contains("\"Read me\", \"Tags\""),
        "{e}"
    );
    let (_, e) = tag_code(
        &m,
        &["--from", &sheet("tags-bom.csv"), "--sheet", "Tags"],
        2,
    );
    assert!(e.contains("CSV file, which has no sheets"), "{e}");
    tag_code(&m, &["--from", &sheet("tags.xls"), "--sheet", "Tags"], 0);
    assert_eq!(doc(&m, "DOC-000001")["status"], "withhold");

    let dir = m.scratch("sheets");
    let write = |name: &str, text: &str| {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p.to_str().unwrap().to_string()
    };
    let (_, e) = tag_code(
        &m,
        &[
            "--from",
            &write("typo.csv", "docid,privilage\nDOC-000002,DP\n"),
        ],
        2,
    );
    assert!(
        e.contains("row 1, column B \"privilage\": unknown column"),
        "{e}"
    );
    let (_, e) = tag_code(&m, &["--from", &write("nokey.csv", "status\nproduce\n")], 2);
    assert!(e.contains("no key column"), "{e}");
    let (_, e) = tag_code(
        &m,
        &[
            "--from",
            &write(
                "twice.csv",
                "docid,Status,STATUS\nDOC-000002,produce,produce\n",
            ),
        ],
        2,
    );
    assert!(e.contains("the same column as B \"Status\""), "{e}");
    let (_, e) = tag_code(&m, &["--from", &write("empty.csv", "\n\n")], 2);
    assert!(e.contains("no header row"), "{e}");
    tag_code(&m, &["--from", "/nonexistent/tags.csv"], 2);
}

#[test]
fn sheet_keys_and_relative_redacted_files() {
    let m = corpus();
    let dir = m.scratch("review");
    std::fs::copy(
        fixtures().join("pdf/landscape.pdf"),
        dir.join("redacted 8.pdf"),
    )
    .unwrap();
    let sha_notes = doc(&m, "DOC-000007")["sha256"]
        .as_str()
        .unwrap()
        .to_string();
    let text = format!(
        "path,sha256,status,privilege,description,redacted-file,category\n\
         classic-3p.pdf,,redact,DP,Internal deliberations,redacted 8.pdf,5\n\
         ,{},produce,,,,1\n\
         notes.txt,{sha_notes},not-responsive,,,,\n",
        sha_notes.to_uppercase()
    );
    std::fs::write(dir.join("keys.csv"), &text).unwrap();
    let (_, e) = tag_code(&m, &["--from", dir.join("keys.csv").to_str().unwrap()], 2);
    assert!(e.contains("DOC-000007 is already tagged by row 3"), "{e}");

    // Keys in one row must agree.
    let bad = format!("docid,sha256,status\nDOC-000001,{sha_notes},produce\n");
    std::fs::write(dir.join("disagree.csv"), bad).unwrap();
    let (_, e) = tag_code(
        &m,
        &["--from", dir.join("disagree.csv").to_str().unwrap()],
        2,
    );
    assert!(
        e.contains("names DOC-000007, but A \"docid\" names DOC-000001"),
        "{e}"
    );

    let good = text.lines().take(3).collect::<Vec<_>>().join("\n");
    std::fs::write(dir.join("keys.csv"), good).unwrap();
    // Run from elsewhere: "redacted 8.pdf" is found beside the sheet.
    let (stdout, _) = tag_code(&m, &["--from", dir.join("keys.csv").to_str().unwrap()], 0);
    assert!(stdout.contains("1 redacted file(s) stored"), "{stdout}");
    let d8 = doc(&m, "DOC-000008");
    assert_eq!(
        (d8["status"].clone(), d8["redacted_pages"].clone()),
        (json!("redact"), json!(2))
    );
    assert_eq!(doc(&m, "DOC-000007")["categories"], json!(["1"]));
}

#[test]
fn a_title_block_above_the_header_is_skipped() {
    let m = corpus();
    let (stdout, stderr) = tag_code(&m, &["--from", &sheet("title-row.xlsx")], 0);
    assert!(
        stderr.contains("skipped rows 1-2 above the header row 4"),
        "{stderr}"
    );
    assert!(
        stdout.contains("2 row(s), 2 document(s): 2 changed"),
        "{stdout}"
    );
    assert_eq!(doc(&m, "DOC-000006")["status"], "not-responsive");
    assert_eq!(doc(&m, "DOC-000007")["categories"], json!(["2"]));
    assert!(
        history(&m, "DOC-000006")
            .iter()
            .any(|h| h["field"] == "note" && h["new_value"] == "image only")
    );
}
