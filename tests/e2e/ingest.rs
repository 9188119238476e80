//! ingest, docs and show on real files.

use crate::util::*;
use predicates::prelude::*;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

fn by_path(docs: &[Value]) -> BTreeMap<String, Value> {
    docs.iter()
        .map(|d| (d["path"].as_str().unwrap().to_string(), d.clone()))
        .collect()
}

fn s<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

#[test]
fn every_fixture_is_read_as_constructed() {
    let m = TestMatter::new("generic");
    let fixtures = fixtures();
    let out = m
        .cmd()
        .args([
            "ingest",
            fixtures.join("pdf").to_str().unwrap(),
            fixtures.join("eml").to_str().unwrap(),
        ])
        .output()
        .unwrap();
    out.status
        .code()
        .filter(|c| *c == 1)
        .unwrap_or_else(|| panic!("unparseable fixtures make ingest exit 1: {:?}", text(&out)));
    m.cmd()
        .args(["ingest", fixtures.join("office").to_str().unwrap()])
        .assert()
        .success();
    let expected: BTreeMap<String, Value> =
        serde_json::from_str(&std::fs::read_to_string(fixtures.join("expected.json")).unwrap())
            .unwrap();
    let docs = by_path(&m.docs());
    let mut checked = 0;
    for (name, want) in &expected {
        let Some((folder, file)) = name.split_once('/') else {
            continue;
        };
        if !["pdf", "eml", "office"].contains(&folder) {
            continue;
        }
        let doc = docs
            .get(file)
            .unwrap_or_else(|| panic!("{name} was not ingested"));
        let meta = &doc["metadata"];
        if let Some(ok) = want.get("parse_ok").and_then(Value::as_bool) {
            assert_eq!(
                doc["problem"].is_null(),
                ok,
                "{name}: problem = {}",
                doc["problem"]
            );
        }
        if let Some(pages) = want.get("pages") {
            assert_eq!(&doc["pages"], pages, "{name}: pages");
        }
        if let Some(repaired) = want.get("repaired").and_then(Value::as_bool) {
            assert_eq!(
                !doc["repaired"].is_null(),
                repaired,
                "{name}: repaired = {}",
                doc["repaired"]
            );
        }
        for (key, ours) in [
            ("title", "title"),
            ("author", "author"),
            ("created", "created"),
            ("date", "date"),
            ("from", "from"),
            ("subject", "subject"),
        ] {
            if let Some(w) = want.get(key) {
                assert_eq!(meta.get(ours).unwrap_or(&Value::Null), w, "{name}: {key}");
            }
        }
        for key in ["to", "cc", "bcc", "attachments"] {
            if let Some(w) = want.get(key) {
                assert_eq!(
                    meta.get(key).cloned().unwrap_or(Value::Array(vec![])),
                    *w,
                    "{name}: {key}"
                );
            }
        }
        if let Some(w) = want.get("hidden") {
            let mut want: Vec<&str> = w
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap())
                .collect();
            let mut got: Vec<&str> = doc["hidden"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap())
                .collect();
            want.sort();
            got.sort();
            assert_eq!(got, want, "{name}: hidden content");
        }
        checked += 1;
    }
    assert!(checked >= 35, "only {checked} fixtures checked");
}

#[test]
fn hashes_match_independent_tools() {
    let m = TestMatter::new("generic");
    let dir = fixtures().join("pdf");
    m.cmd()
        .args(["ingest", dir.to_str().unwrap()])
        .assert()
        .code(1);
    for doc in m.docs() {
        let path = doc["source_path"].as_str().unwrap();
        let sha = tool("sha256sum", &[path]);
        let md5 = tool("md5sum", &[path]);
        assert_eq!(sha.split_whitespace().next(), s(&doc, "sha256"), "{path}");
        assert_eq!(md5.split_whitespace().next(), s(&doc, "md5"), "{path}");
        assert_eq!(
            doc["size"].as_u64().unwrap(),
            std::fs::metadata(path).unwrap().len()
        );
    }
}

#[test]
fn page_counts_agree_with_qpdf_except_where_the_file_lies() {
    let m = TestMatter::new("generic");
    m.cmd()
        .args(["ingest", fixtures().join("pdf").to_str().unwrap()])
        .assert()
        .code(1);
    for doc in m.docs() {
        let Some(pages) = doc["pages"].as_u64() else {
            continue;
        };
        let path = doc["source_path"].as_str().unwrap();
        let qpdf: u64 = tool("qpdf", &["--show-npages", path])
            .trim()
            .parse()
            .unwrap_or(0);
        if doc["path"] == "badcount.pdf" {
            // qpdf trusts the root /Count (7); the page tree has 4 leaves.
            assert_eq!((pages, qpdf), (4, 7));
            let notes = doc["metadata"]["notes"].to_string();
            assert!(notes.contains("/Count 7"), "{notes}");
        } else {
            assert_eq!(pages, qpdf, "{path}");
        }
    }
}

#[test]
fn unreadable_pdfs_are_documents_with_a_reason_and_exit_1() {
    let m = TestMatter::new("generic");
    let out = m
        .cmd()
        .args(["ingest", fixtures().join("pdf").to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let (stdout, _) = text(&out);
    let docs = by_path(&m.docs());
    for (file, reason) in [
        ("zero.pdf", "empty"),
        ("garbage.pdf", "not a PDF"),
        ("really-html.pdf", "HTML"),
        ("truncated.pdf", "truncated"),
        ("user-encrypted.pdf", "password"),
    ] {
        let doc = &docs[file];
        assert!(doc["pages"].is_null(), "{file}");
        let problem = s(doc, "problem").unwrap_or_else(|| panic!("{file} has no problem recorded"));
        assert!(problem.contains(reason), "{file}: {problem}");
        assert!(
            stdout.contains(file),
            "{file} is not listed in the summary:\n{stdout}"
        );
    }
    assert!(stdout.contains("5 unparseable"), "{stdout}");
    // Damaged but repairable files are counted, with their pages.
    assert!(stdout.contains("2 repaired"), "{stdout}");
    assert_eq!(docs["bad-startxref.pdf"]["pages"], 3);
    // Owner-password files are read decrypted.
    assert_eq!(
        s(&docs["owner-encrypted.pdf"]["metadata"], "title"),
        Some("Owner Locked")
    );
    assert_eq!(docs["owner-encrypted-aes256.pdf"]["pages"], 2);
}

#[test]
fn a_docx_that_is_not_office_is_flagged_for_a_reviewer() {
    let m = TestMatter::new("generic");
    m.cmd()
        .args(["ingest", fixtures().join("misc").to_str().unwrap()])
        .assert()
        .code(1);
    let docs = by_path(&m.docs());
    assert!(
        s(&docs["fake.docx"], "problem")
            .unwrap()
            .contains("not an Office")
    );
    assert_eq!(s(&docs["image.png"], "type"), Some("png"));
    assert!(docs["notes.txt"]["problem"].is_null());
}

#[test]
fn docids_follow_path_arguments_then_relative_path_bytes() {
    let make = |m: &TestMatter| {
        let a = m.scratch("second");
        let b = m.scratch("first");
        for (dir, names) in [
            (&a, vec!["b.txt", "B.txt", "a/z.txt", "a.txt"]),
            (&b, vec!["y.txt", "x.txt"]),
        ] {
            for n in names {
                let p = dir.join(n);
                std::fs::create_dir_all(p.parent().unwrap()).unwrap();
                std::fs::write(&p, format!("content of {n} in {}", dir.display())).unwrap();
            }
        }
        m.cmd()
            .args(["ingest", b.to_str().unwrap(), a.to_str().unwrap()])
            .assert()
            .success();
        m.docs()
            .iter()
            .map(|d| format!("{} {}", s(d, "docid").unwrap(), s(d, "path").unwrap()))
            .collect::<Vec<_>>()
    };
    let first = make(&TestMatter::new("generic"));
    assert_eq!(
        first,
        [
            "DOC-000001 x.txt",
            "DOC-000002 y.txt",
            "DOC-000003 B.txt",
            "DOC-000004 a.txt",
            "DOC-000005 a/z.txt",
            "DOC-000006 b.txt"
        ]
    );
    // Same inputs, another matter: same DOCIDs, whatever the threads did.
    assert_eq!(make(&TestMatter::new("generic")), first);
}

#[test]
fn reingest_of_an_unchanged_tree_reads_no_bytes() {
    let m = TestMatter::new("generic");
    let src = m.scratch("src");
    copy_tree(&fixtures().join("office"), &src);
    m.cmd()
        .args(["ingest", src.to_str().unwrap()])
        .assert()
        .success();
    let before = m.docs();

    let again = m.json(&["ingest", src.to_str().unwrap()]);
    assert_eq!(again["unchanged"], before.len());
    assert_eq!(again["new"], 0);
    assert_eq!(again["bytes_hashed"], 0);

    // Proof that the bytes are not read: change content but keep size and mtime.
    let victim = src.join("plain.docx");
    let meta = std::fs::metadata(&victim).unwrap();
    let mut bytes = std::fs::read(&victim).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 0xff;
    std::fs::write(&victim, &bytes).unwrap();
    std::fs::File::options()
        .write(true)
        .open(&victim)
        .unwrap()
        .set_modified(meta.modified().unwrap())
        .unwrap();
    let again = m.json(&["ingest", src.to_str().unwrap()]);
    assert_eq!(again["bytes_hashed"], 0);
    assert_eq!(m.docs(), before);
}

#[test]
fn a_changed_source_is_reported_left_alone_then_updated_on_request() {
    let m = TestMatter::new("generic");
    let src = m.scratch("src");
    std::fs::write(src.join("memo.txt"), "first version").unwrap();
    m.cmd()
        .args(["ingest", src.to_str().unwrap()])
        .assert()
        .success();
    let first = m.docs()[0].clone();

    std::fs::write(src.join("memo.txt"), "second version, longer").unwrap();
    let out = m
        .cmd()
        .args(["ingest", src.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out).0.contains("changed since ingest"));
    assert_eq!(
        m.docs()[0]["sha256"],
        first["sha256"],
        "a changed file is left as it was"
    );

    let updated = m.json(&["ingest", "--update", src.to_str().unwrap()]);
    assert_eq!(updated["updated"], 1);
    let doc = &m.docs()[0];
    assert_eq!(doc["docid"], first["docid"]);
    assert_ne!(doc["sha256"], first["sha256"]);
    let shown = m.json(&["show", "DOC-000001"]);
    let history = shown["history"].as_array().unwrap();
    assert!(history.iter().any(|h| h["field"] == "source sha256"
        && h["old_value"] == first["sha256"]
        && h["actor"] == "tester"));
}

/// The review of the old bytes is no decision on the new ones: an updated
/// document is unreviewed again, its hidden content unconfirmed, and does
/// not go out until a reviewer tags it again.
#[test]
fn an_updated_source_is_unreviewed_again_and_blocks_nothing_it_should_not() {
    let m = TestMatter::new("generic");
    let src = m.scratch("src");
    std::fs::write(src.join("memo.txt"), "first version").unwrap();
    m.cmd().arg("ingest").arg(&src).assert().success();
    m.cmd()
        .args([
            "tag",
            "DOC-000001",
            "--status",
            "produce",
            "--category",
            "1",
            "--hidden-reviewed",
        ])
        .assert()
        .success();
    assert_eq!(m.docs()[0]["status"], "produce");

    std::fs::write(src.join("memo.txt"), "second version, with a new paragraph").unwrap();
    let out = m
        .cmd()
        .args(["ingest", "--update", src.to_str().unwrap()])
        .output()
        .unwrap();
    let (stdout, _) = text(&out);
    assert!(
        stdout.contains("1 updated document(s) are unreviewed again"),
        "{stdout}"
    );
    assert_eq!(m.docs()[0]["status"], "unreviewed");
    let shown = m.json(&["show", "DOC-000001"]);
    let history = shown["history"].as_array().unwrap();
    let changed = |field: &str, old: &str, new: &str| {
        history
            .iter()
            .any(|h| h["field"] == field && h["old_value"] == old && h["new_value"] == new)
    };
    assert!(changed("status", "produce", "unreviewed"), "{history:?}");
    assert!(changed("hidden-reviewed", "yes", "no"), "{history:?}");
    // Nothing goes out until it is tagged again.
    m.cmd()
        .args(["produce", "VOL001", "--dry-run"])
        .assert()
        .code(1);
    m.cmd()
        .args(["tag", "DOC-000001", "--status", "produce"])
        .assert()
        .success();
    m.produce_ok("VOL001");
}

#[test]
fn same_content_at_another_path_is_a_duplicate_of_the_first() {
    let m = TestMatter::new("generic");
    let src = m.scratch("src");
    std::fs::create_dir_all(src.join("alice")).unwrap();
    std::fs::create_dir_all(src.join("bob")).unwrap();
    std::fs::copy(
        fixtures().join("pdf/classic-3p.pdf"),
        src.join("bob/memo.pdf"),
    )
    .unwrap();
    std::fs::copy(
        fixtures().join("pdf/classic-3p.pdf"),
        src.join("alice/copy.pdf"),
    )
    .unwrap();
    let summary = m.json(&["ingest", "--custodian", "Reyes, A.", src.to_str().unwrap()]);
    assert_eq!(
        (summary["new"].as_u64(), summary["duplicate"].as_u64()),
        (Some(1), Some(1))
    );
    let docs = by_path(&m.docs());
    assert_eq!(docs["alice/copy.pdf"]["docid"], "DOC-000001");
    assert_eq!(docs["bob/memo.pdf"]["duplicate_of"], "DOC-000001");
    assert_eq!(docs["bob/memo.pdf"]["custodian"], "Reyes, A.");
}

#[cfg(unix)]
#[test]
fn unreadable_files_are_listed_failures_and_retried() {
    use std::os::unix::fs::symlink;
    let m = TestMatter::new("generic");
    let src = m.scratch("src");
    std::fs::write(src.join("good.txt"), "good").unwrap();
    std::fs::write(src.join("target.txt"), "target").unwrap();
    symlink(src.join("missing.txt"), src.join("broken-link.txt")).unwrap();
    symlink(src.join("target.txt"), src.join("link.txt")).unwrap();
    let out = m
        .cmd()
        .args(["ingest", src.to_str().unwrap()])
        .output()
        .unwrap();
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
    assert!(
        stdout.contains("broken-link.txt") && stdout.contains("broken symbolic link"),
        "{stdout}"
    );
    assert!(
        stdout.contains("link.txt: symbolic link not followed"),
        "{stdout}"
    );
    let paths: Vec<String> = m
        .docs()
        .iter()
        .map(|d| s(d, "path").unwrap().to_string())
        .collect();
    assert_eq!(paths, ["good.txt", "target.txt"], "failures get no DOCID");

    // Fixed: the next ingest picks it up.
    std::fs::write(src.join("missing.txt"), "now here").unwrap();
    let again = m.json(&["ingest", "--follow-links", src.to_str().unwrap()]);
    assert_eq!(again["failed"], 0, "{again}");
    // Identity is the canonical path: the link and its target are one document,
    // listed under the path where it was found first.
    let docs = by_path(&m.docs());
    assert_eq!(docs.len(), 3, "{docs:?}");
    assert!(
        s(&docs["broken-link.txt"], "source_path")
            .unwrap()
            .ends_with("missing.txt")
    );
    assert!(
        again["skipped_paths"]
            .to_string()
            .contains("the same file as")
    );
}

#[cfg(unix)]
#[test]
fn symlink_loops_are_detected_when_following_links() {
    use std::os::unix::fs::symlink;
    let m = TestMatter::new("generic");
    let src = m.scratch("src");
    std::fs::create_dir_all(src.join("a")).unwrap();
    std::fs::write(src.join("a/file.txt"), "x").unwrap();
    symlink(&src, src.join("a/loop")).unwrap();
    let out = m
        .cmd()
        .args(["ingest", "--follow-links", src.to_str().unwrap()])
        .output()
        .unwrap();
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
    assert!(stdout.contains("loop"), "{stdout}");
    assert_eq!(m.docs().len(), 1);
}

#[test]
fn the_matters_own_folders_are_never_walked() {
    let m = TestMatter::new("generic");
    std::fs::create_dir_all(m.root.join("productions/VOL001")).unwrap();
    std::fs::write(m.root.join("productions/VOL001/x.txt"), "produced").unwrap();
    std::fs::create_dir_all(m.root.join("collected")).unwrap();
    std::fs::write(m.root.join("collected/memo.txt"), "memo").unwrap();
    let summary = m.json(&["ingest", "."]);
    let paths: Vec<String> = m
        .docs()
        .iter()
        .map(|d| s(d, "path").unwrap().to_string())
        .collect();
    assert_eq!(paths, ["adrec.toml", "collected/memo.txt"]);
    let skipped = summary["skipped_paths"].to_string();
    assert!(
        skipped.contains(".adrec") && skipped.contains("productions"),
        "{skipped}"
    );
}

#[test]
fn a_missing_path_is_an_input_error_and_nothing_changes() {
    let m = TestMatter::new("generic");
    let src = m.scratch("src");
    std::fs::write(src.join("a.txt"), "a").unwrap();
    m.cmd()
        .args(["ingest", src.to_str().unwrap(), "/no/such/folder"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("/no/such/folder"));
    assert!(m.docs().is_empty());
}

#[cfg(unix)]
#[test]
fn source_folders_are_only_read() {
    use std::os::unix::fs::PermissionsExt;
    let m = TestMatter::new("generic");
    let src = m.scratch("readonly");
    copy_tree(&fixtures(), &src);
    let snapshot = |root: &Path| {
        walkdir::WalkDir::new(root)
            .sort_by_file_name()
            .into_iter()
            .map(|e| e.unwrap())
            .map(|e| {
                let meta = e.metadata().unwrap();
                let bytes = if e.file_type().is_file() {
                    std::fs::read(e.path()).unwrap()
                } else {
                    Vec::new()
                };
                (
                    e.path().to_path_buf(),
                    meta.modified().unwrap(),
                    meta.permissions().mode(),
                    bytes,
                )
            })
            .collect::<Vec<_>>()
    };
    for e in walkdir::WalkDir::new(&src).contents_first(true) {
        let e = e.unwrap();
        let mode = if e.file_type().is_dir() { 0o555 } else { 0o444 };
        std::fs::set_permissions(e.path(), std::fs::Permissions::from_mode(mode)).unwrap();
    }
    let before = snapshot(&src);
    m.cmd()
        .args(["ingest", src.to_str().unwrap()])
        .assert()
        .code(1);
    m.cmd()
        .args(["ingest", src.to_str().unwrap()])
        .assert()
        .success();
    assert_eq!(snapshot(&src), before);
    for e in walkdir::WalkDir::new(&src) {
        let e = e.unwrap();
        std::fs::set_permissions(e.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    }
}

#[test]
fn docs_formats_name_what_a_script_needs() {
    let m = TestMatter::new("generic");
    m.cmd()
        .args(["ingest", fixtures().join("eml").to_str().unwrap()])
        .assert()
        .success();
    let csv = m.cmd().args(["docs", "--format", "csv"]).output().unwrap();
    let csv = String::from_utf8(csv.stdout).unwrap();
    let header = csv.lines().next().unwrap();
    for col in [
        "docid",
        "path",
        "sha256",
        "md5",
        "size",
        "type",
        "pages",
        "title",
        "from",
        "to",
        "attachments",
    ] {
        assert!(
            header.split(',').any(|h| h == col),
            "{col} missing from {header}"
        );
    }
    assert!(csv.contains("Reunión con la Secretaría – acuerdo"), "{csv}");
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    // Four e-mails, and the two attachments of attachments.eml.
    assert_eq!(reader.records().count(), 6);

    let table = m.cmd().arg("docs").output().unwrap();
    assert!(
        String::from_utf8(table.stdout)
            .unwrap()
            .contains("DOC-000004")
    );
    let filtered = m.json(&["docs", "--status", "produce"]);
    assert_eq!(filtered.as_array().unwrap().len(), 0);
    let filtered = m.json(&["docs", "--status", "unreviewed"]);
    assert_eq!(filtered.as_array().unwrap().len(), 6);
    m.cmd()
        .args(["docs", "--category", "99"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no category"));
}

#[test]
fn show_prints_everything_known_including_hidden_content() {
    let m = TestMatter::new("generic");
    m.cmd()
        .args([
            "ingest",
            fixtures().join("office/tracked.docx").to_str().unwrap(),
        ])
        .assert()
        .success();
    let out = m.cmd().args(["show", "DOC-000001"]).output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains("tracked.docx") && stdout.contains("tracked changes"),
        "{stdout}"
    );
    m.cmd()
        .args(["show", "DOC-000009"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no document DOC-000009"));
    m.cmd()
        .args(["show", "memo"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a DOCID"));
}
