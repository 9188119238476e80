//! `adrec tag DOCID... [options]`: each option, sets and `[clear]`, keys,
//! validation, redacted files, produced documents, history, the lock.
//! Sheets are in `tag/sheets.rs`, the kill-half-way test in `tag/kill.rs`.

mod kill;
mod sheets;

use crate::util::{TestMatter, fixtures, text};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::path::Path;
use std::process::Output;

/// An mpp-order matter holding DOC-000001…DOC-000004 (fixtures/eml; the
/// first, attachments.eml, with its two attachments DOC-000001.0001 and
/// .0002), DOC-000005 fake.docx, DOC-000006 image.png, DOC-000007 notes.txt
/// (fixtures/misc) and DOC-000008 classic-3p.pdf.
pub fn corpus() -> TestMatter {
    let m = TestMatter::new("mpp-order");
    ingest_corpus(&m);
    m
}

/// Ingests the corpus's ten documents into `m` (a fresh matter).
pub fn ingest_corpus(m: &TestMatter) {
    let f = fixtures();
    let out = m
        .cmd()
        .arg("ingest")
        .arg(f.join("eml"))
        .arg(f.join("misc"))
        .arg(f.join("pdf/classic-3p.pdf"))
        .output()
        .unwrap();
    // fake.docx is unparseable, which makes ingest exit 1.
    assert!(
        out.status.code().is_some_and(|c| c <= 1),
        "{:?}",
        text(&out)
    );
    assert_eq!(m.docs().len(), 10);
}

pub fn tag(m: &TestMatter, args: &[&str]) -> Output {
    m.cmd().arg("tag").args(args).output().unwrap()
}

/// Runs `tag` and asserts the exit code, returning (stdout, stderr).
pub fn tag_code(m: &TestMatter, args: &[&str], code: i32) -> (String, String) {
    let out = tag(m, args);
    let (stdout, stderr) = text(&out);
    assert_eq!(
        out.status.code(),
        Some(code),
        "tag {args:?}\nstdout: {stdout}\nstderr: {stderr}"
    );
    (stdout, stderr)
}

pub fn doc(m: &TestMatter, id: &str) -> Value {
    m.docs()
        .into_iter()
        .find(|d| d["docid"] == id)
        .unwrap_or_else(|| panic!("no {id}"))
}

pub fn history(m: &TestMatter, id: &str) -> Vec<Value> {
    m.json(&["show", id])["history"]
        .as_array()
        .cloned()
        .unwrap()
}

fn sha256_hex(path: &Path) -> String {
    Sha256::digest(std::fs::read(path).unwrap())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn each_option_sets_its_field() {
    let m = corpus();
    #[rustfmt::skip]
    let args = [
        "DOC-000001", "--category", "1", "--category", "3", "--status", "withhold",
        "--privilege", "dp", "--privilege", "AC", "--description", "Draft agreement with Mexico",
        "--confidentiality", "confidential", "--hidden-reviewed", "--doc-date", "2023-03-15",
        "--doc-type", "Email", "--author", "Ana Ruiz", "--recipients", "Luis Ortega",
        "--title", "Draft agreement", "--filename", "agreement.eml", "--note", "second look done",
        "--reviewer", "alice",
    ];
    let (stdout, _) = tag_code(&m, &args, 0);
    assert!(stdout.contains("1 changed"), "{stdout}");
    let d = doc(&m, "DOC-000001");
    assert_eq!(d["status"], "withhold");
    assert_eq!(d["categories"], serde_json::json!(["1", "3"]));
    // Codes are stored with adrec.toml's spelling, whatever was typed.
    assert_eq!(d["privileges"], serde_json::json!(["AC", "DP"]));
    assert_eq!(d["description"], "Draft agreement with Mexico");
    assert_eq!(d["confidentiality"], "CONFIDENTIAL");
    assert_eq!(d["hidden_reviewed"], true);
    let o = &d["overrides"];
    assert_eq!(o["doc_date"], "2023-03-15");
    assert_eq!(o["doc_type"], "Email");
    assert_eq!(o["author"], "Ana Ruiz");
    assert_eq!(o["recipients"], "Luis Ortega");
    assert_eq!(o["title"], "Draft agreement");
    assert_eq!(o["filename"], "agreement.eml");
    assert!(d["first_reviewed_at"].is_string());
    let h = history(&m, "DOC-000001");
    assert!(h.iter().all(|e| e["actor"] == "alice"));
    assert!(
        h.iter()
            .any(|e| e["field"] == "note" && e["new_value"] == "second look done")
    );

    // --as-native on the unparseable file, --doc-date undated, $USER as reviewer.
    tag_code(
        &m,
        &[
            "DOC-000005",
            "--as-native",
            "--doc-date",
            "UNDATED",
            "--status",
            "produce",
        ],
        0,
    );
    let d = doc(&m, "DOC-000005");
    assert_eq!(
        (d["as_native"].clone(), d["overrides"]["doc_date"].clone()),
        (Value::Bool(true), "undated".into())
    );
    assert_eq!(history(&m, "DOC-000005")[0]["actor"], "tester");
    tag_code(&m, &["DOC-000005", "--as-native=false"], 0);
    assert_eq!(doc(&m, "DOC-000005")["as_native"], false);
}

#[test]
fn sets_replace_and_clear_empties() {
    let m = corpus();
    tag_code(
        &m,
        &[
            "DOC-000002",
            "--category",
            "1;2",
            "--description",
            "x",
            "--title",
            "T",
        ],
        0,
    );
    tag_code(&m, &["DOC-000002", "--category", "4"], 0);
    let d = doc(&m, "DOC-000002");
    assert_eq!(d["categories"], serde_json::json!(["4"]));
    assert_eq!(d["description"], "x");
    tag_code(
        &m,
        &[
            "DOC-000002",
            "--category",
            "[clear]",
            "--description",
            "[CLEAR]",
            "--title",
            "[clear]",
        ],
        0,
    );
    let d = doc(&m, "DOC-000002");
    assert_eq!(d["categories"], serde_json::json!([]));
    assert!(d["description"].is_null() && d["overrides"]["title"].is_null());
    // The same values again change nothing and add no history.
    let before = history(&m, "DOC-000002").len();
    let (stdout, _) = tag_code(&m, &["DOC-000002", "--category", "[clear]"], 0);
    assert!(stdout.contains("0 changed, 1 unchanged"), "{stdout}");
    assert_eq!(history(&m, "DOC-000002").len(), before);
    // An empty value is refused: [clear] is the way to empty a field.
    let (_, stderr) = tag_code(&m, &["DOC-000002", "--description", ""], 2);
    assert!(stderr.contains("[clear]"), "{stderr}");
}

#[test]
fn bad_values_are_refused_and_nothing_changes() {
    let m = corpus();
    let cases: &[(&[&str], &str)] = &[
        (&["DOC-000001", "--status", "produced"], "is not a status"),
        (&["DOC-000001", "--category", "9"], "no category \"9\""),
        (
            &[
                "DOC-000001",
                "--privilege",
                "XX",
                "--status",
                "withhold",
                "--description",
                "d",
            ],
            "no privilege code \"XX\"",
        ),
        (
            &["DOC-000001", "--confidentiality", "SECRET"],
            "no confidentiality level \"SECRET\"",
        ),
        (&["DOC-000001", "--doc-date", "2024-02-30"], "is not a date"),
        (
            &["DOC-000001", "--doc-date", "15/01/2024"],
            "month/day/year",
        ),
        (&["DOC-000001", "--doc-type", "PDF"], "file format"),
        (
            &["DOC-000001", "--status", "withhold", "--description", "d"],
            "needs a privilege code",
        ),
        (
            &["DOC-000001", "--status", "redact", "--privilege", "DP"],
            "needs a description",
        ),
        (&["DOC-000001", "--status", "[clear]"], "cannot be cleared"),
        (
            &["DOC-000099", "--status", "produce"],
            "no document DOC-000099",
        ),
        (&["DOC-000001"], "nothing to change"),
        (&["DOC-000001", "--note", "[clear]"], "cannot be cleared"),
    ];
    for (args, expected) in cases {
        let (_, stderr) = tag_code(&m, args, 2);
        assert!(
            stderr.contains(expected),
            "tag {args:?}: expected {expected:?} in\n{stderr}"
        );
        assert!(stderr.contains("nothing was applied"), "{stderr}");
    }
    // One bad document among good ones: nothing is applied to any of them.
    let (_, stderr) = tag_code(
        &m,
        &[
            "DOC-000001",
            "DOC-000002",
            "DOC-000042",
            "--status",
            "produce",
        ],
        2,
    );
    assert!(stderr.contains("DOC-000042"), "{stderr}");
    assert!(m.docs().iter().all(|d| d["status"] == "unreviewed"));
    assert!(history(&m, "DOC-000001").is_empty());
    // Usage errors come from the parser, also with exit 2.
    tag_code(&m, &["DOC-000001", "--from", "x.csv"], 2);
    tag_code(&m, &["--status", "produce"], 2);
}

#[test]
fn redact_and_withhold_need_privilege_and_description_in_the_end_state() {
    let m = corpus();
    tag_code(
        &m,
        &[
            "DOC-000003",
            "--privilege",
            "DP",
            "--description",
            "Draft talking points",
        ],
        0,
    );
    // The privilege and description are already there: status alone is enough.
    tag_code(&m, &["DOC-000003", "--status", "withhold"], 0);
    // Clearing the privilege of a withheld document would leave it unloggable.
    let (_, stderr) = tag_code(&m, &["DOC-000003", "--privilege", "[clear]"], 2);
    assert!(
        stderr.contains("DOC-000003") && stderr.contains("needs a privilege code"),
        "{stderr}"
    );
}

#[test]
fn redacted_file_is_checked_hashed_and_stored_in_the_matter() {
    let m = corpus();
    let pdf = fixtures().join("pdf");
    let redacted = m.scratch("review").join("DOC-8 redacted.pdf");
    std::fs::copy(pdf.join("landscape.pdf"), &redacted).unwrap();
    let sha = sha256_hex(&redacted);
    let args = [
        "DOC-000008",
        "--status",
        "redact",
        "--privilege",
        "DP",
        "--description",
        "Deliberations",
    ];
    fn with<'a>(args: &[&'a str], file: &'a str) -> Vec<&'a str> {
        [args, &["--redacted-file", file]].concat()
    }

    // Refused: byte-identical to the original, not a PDF, a damaged PDF, missing.
    let original = pdf.join("classic-3p.pdf");
    let (_, e) = tag_code(&m, &with(&args, original.to_str().unwrap()), 2);
    assert!(e.contains("byte-identical to the original"), "{e}");
    let (_, e) = tag_code(
        &m,
        &with(&args, fixtures().join("misc/notes.txt").to_str().unwrap()),
        2,
    );
    assert!(e.contains("not a readable PDF"), "{e}");
    let (_, e) = tag_code(
        &m,
        &with(&args, pdf.join("truncated.pdf").to_str().unwrap()),
        2,
    );
    assert!(e.contains("not a readable PDF"), "{e}");
    let (_, e) = tag_code(&m, &with(&args, "/nonexistent/r.pdf"), 2);
    assert!(e.contains("cannot read the redacted file"), "{e}");
    assert!(
        !m.root.join(".adrec/redacted").exists(),
        "nothing stored by refused commands"
    );

    // Accepted: a path relative to the current folder, stored by its SHA-256.
    let out = m
        .cmd()
        .current_dir(redacted.parent().unwrap())
        .args(["--matter", m.root.to_str().unwrap(), "tag"])
        .args(with(&args, "DOC-8 redacted.pdf"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{:?}", text(&out));
    let d = doc(&m, "DOC-000008");
    assert_eq!(d["redacted_sha256"], sha.as_str());
    assert_eq!(d["redacted_pages"], 2);
    let stored = m.root.join(".adrec/redacted").join(format!("{sha}.pdf"));
    assert_eq!(
        std::fs::read(&stored).unwrap(),
        std::fs::read(&redacted).unwrap()
    );
    // The store does not depend on the reviewer's file staying where it was.
    std::fs::remove_file(&redacted).unwrap();
    assert!(stored.is_file());
    let h = history(&m, "DOC-000008");
    assert!(
        h.iter().any(|e| e["field"] == "redacted-file"
            && e["new_value"] == format!("sha256 {sha} (2 pages)"))
    );
    tag_code(&m, &["DOC-000008", "--redacted-file", "[clear]"], 0);
    assert!(doc(&m, "DOC-000008")["redacted_sha256"].is_null());
}

#[test]
fn sha256_key_hits_every_copy_and_path_key_must_match_one() {
    let m = TestMatter::new("mpp-order");
    let a = m.scratch("box-a");
    let b = m.scratch("box-b");
    std::fs::write(a.join("memo.txt"), "same bytes\n").unwrap();
    std::fs::write(b.join("memo.txt"), "same bytes\n").unwrap();
    std::fs::write(b.join("other.txt"), "other\n").unwrap();
    m.cmd().arg("ingest").arg(&a).arg(&b).assert().success();
    let sha = sha256_hex(&a.join("memo.txt"));

    tag_code(&m, &[&sha, "--status", "produce", "--category", "1"], 0);
    let produced: Vec<String> = m
        .docs()
        .iter()
        .filter(|d| d["status"] == "produce")
        .map(|d| d["docid"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(produced, ["DOC-000001", "DOC-000002"]);

    // "memo.txt" is the path of two documents (one per ingested folder).
    let (_, e) = tag_code(&m, &["memo.txt", "--note", "n"], 2);
    assert!(
        e.contains("matches 2 documents (DOC-000001, DOC-000002)"),
        "{e}"
    );
    // A longer path, or the file's own path, names one.
    tag_code(&m, &["box-b/memo.txt", "--title", "B"], 0);
    assert_eq!(doc(&m, "DOC-000002")["overrides"]["title"], "B");
    tag_code(
        &m,
        &[a.join("memo.txt").to_str().unwrap(), "--title", "A"],
        0,
    );
    assert_eq!(doc(&m, "DOC-000001")["overrides"]["title"], "A");
    tag_code(&m, &["other.txt", "--title", "O"], 0);
    assert_eq!(doc(&m, "DOC-000003")["overrides"]["title"], "O");
    let (_, e) = tag_code(&m, &["nowhere.txt", "--title", "X"], 2);
    assert!(e.contains("no document has the path"), "{e}");
}

#[test]
fn a_produced_document_only_takes_a_note() {
    let m = corpus();
    tag_code(
        &m,
        &["DOC-000004", "--status", "produce", "--category", "1"],
        0,
    );
    m.cmd()
        .args(["produce", "VOL001", "--date", "2024-04-19"])
        .assert()
        .success();
    let (_, e) = tag_code(
        &m,
        &[
            "DOC-000004",
            "--status",
            "withhold",
            "--privilege",
            "DP",
            "--description",
            "d",
        ],
        2,
    );
    assert!(
        e.contains("DOC-000004 is already in a produced volume") && e.contains("only a note"),
        "{e}"
    );
    assert_eq!(doc(&m, "DOC-000004")["status"], "produce");
    tag_code(
        &m,
        &["DOC-000004", "--note", "clawback requested by counsel"],
        0,
    );
    // Restating what it already has is not a change either.
    tag_code(&m, &["DOC-000004", "--status", "produce"], 0);
    let h = history(&m, "DOC-000004");
    assert_eq!(
        h.last().unwrap()["new_value"],
        "clawback requested by counsel"
    );
}

#[test]
fn history_records_who_when_field_old_and_new() {
    let m = corpus();
    tag_code(
        &m,
        &[
            "DOC-000002",
            "--status",
            "produce",
            "--category",
            "2",
            "--reviewer",
            "alice",
        ],
        0,
    );
    tag_code(
        &m,
        &[
            "DOC-000002",
            "--status",
            "not-responsive",
            "--category",
            "[clear]",
            "--reviewer",
            "bob",
        ],
        0,
    );
    let h = history(&m, "DOC-000002");
    let rows: Vec<(String, String, String, String)> = h
        .iter()
        .map(|e| {
            let s = |k: &str| e[k].as_str().unwrap_or("").to_string();
            (s("actor"), s("field"), s("old_value"), s("new_value"))
        })
        .collect();
    let want = |a: &str, f: &str, o: &str, n: &str| {
        (a.to_string(), f.to_string(), o.to_string(), n.to_string())
    };
    assert_eq!(
        rows,
        [
            want("alice", "status", "unreviewed", "produce"),
            want("alice", "category", "", "2"),
            want("bob", "status", "produce", "not-responsive"),
            want("bob", "category", "2", ""),
        ]
    );
    // One command, one timestamp; a later command, a later one.
    assert_eq!(h[0]["at"], h[1]["at"]);
    let at = |i: usize| {
        h[i]["at"]
            .as_str()
            .unwrap()
            .parse::<jiff::Timestamp>()
            .unwrap()
    };
    assert!(at(2) > at(1));
    // first_reviewed_at is the first time the status left unreviewed.
    assert_eq!(doc(&m, "DOC-000002")["first_reviewed_at"], h[0]["at"]);
    let out = m.cmd().args(["show", "DOC-000002"]).output().unwrap();
    let (stdout, _) = text(&out);
    assert!(stdout.contains("History:"), "{stdout}");
    assert!(
        stdout.contains("alice  status: unreviewed -> produce"),
        "{stdout}"
    );
    assert!(stdout.contains("bob  category: 2 -> (none)"), "{stdout}");
}

#[test]
fn dry_run_changes_nothing_and_ignores_the_lock() {
    let m = corpus();
    let (stdout, _) = tag_code(&m, &["DOC-000001", "--status", "produce", "--dry-run"], 0);
    assert!(
        stdout.contains("dry run") && stdout.contains("1 changed"),
        "{stdout}"
    );
    assert_eq!(doc(&m, "DOC-000001")["status"], "unreviewed");
    // Hold the write lock the way another adrec would.
    let lock = m.hold_write_lock("pid 4242 running `adrec ingest`");
    let (_, e) = tag_code(&m, &["DOC-000001", "--status", "produce"], 3);
    assert!(e.contains("locked"), "{e}");
    tag_code(&m, &["DOC-000001", "--status", "produce", "--dry-run"], 0);
    drop(lock);
    tag_code(&m, &["DOC-000001", "--status", "produce"], 0);
}

#[test]
fn docs_filters_by_review_fields() {
    let m = corpus();
    tag_code(
        &m,
        &[
            "DOC-000001",
            "DOC-000002",
            "--status",
            "withhold",
            "--privilege",
            "DP",
            "--description",
            "d",
        ],
        0,
    );
    tag_code(
        &m,
        &[
            "DOC-000002",
            "--privilege",
            "AC",
            "--confidentiality",
            "CONFIDENTIAL",
            "--doc-type",
            "Letter",
        ],
        0,
    );
    tag_code(&m, &["DOC-000005", "--as-native", "--hidden-reviewed"], 0);
    let ids = |args: &[&str]| -> Vec<String> {
        let v = m.json(&[&["docs"], args].concat());
        v.as_array()
            .unwrap()
            .iter()
            .map(|d| d["docid"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(ids(&["--privilege", "dp"]), ["DOC-000001"]);
    assert_eq!(ids(&["--privilege", "AC"]), ["DOC-000002"]);
    assert_eq!(ids(&["--confidentiality", "confidential"]), ["DOC-000002"]);
    assert_eq!(
        ids(&["--confidentiality", "none", "--status", "withhold"]),
        ["DOC-000001"]
    );
    assert_eq!(ids(&["--doc-type", "letter"]), ["DOC-000002"]);
    assert_eq!(ids(&["--as-native", "yes"]), ["DOC-000005"]);
    assert_eq!(ids(&["--hidden-reviewed", "yes"]), ["DOC-000005"]);
    assert_eq!(ids(&["--redacted", "yes"]), Vec::<String>::new());
    assert_eq!(ids(&["--redacted", "no"]).len(), 10);
    let out = m
        .cmd()
        .args(["docs", "--privilege", "ZZ"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = m
        .cmd()
        .args(["docs", "--format", "csv", "--privilege", "AC"])
        .output()
        .unwrap();
    let (csv, _) = text(&out);
    assert!(
        csv.lines()
            .next()
            .unwrap()
            .contains("privileges,description,confidentiality"),
        "{csv}"
    );
    // --privilege replaced DOC-000002's set: AC only.
    assert!(
        csv.contains(",withhold,") && csv.contains(",AC,d,CONFIDENTIAL,"),
        "{csv}"
    );
}
