//! A volume larger than one read batch (2,048 families) and than one write
//! batch (1,024 documents): the matter read ahead on a second handle while
//! a batch is written, written a batch at a time in parallel, its flush to
//! disk started ahead while the load files are made, and whole when the
//! produce says it is.

use crate::util::*;
use std::path::{Path, PathBuf};

const NATIVES: usize = 2_100;

/// Every file under `dir`, sorted by path.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    files.sort();
    files
}

/// NATIVES small files, 500 a folder (the name and the bytes of the i-th
/// from `file`), ingested: their folder and the matter's documents.
fn ingest_natives(
    m: &TestMatter,
    file: impl Fn(usize) -> (String, String),
) -> (PathBuf, Vec<serde_json::Value>) {
    let src = m.scratch("natives");
    for i in 0..NATIVES {
        let dir = src.join(format!("{:02}", i / 500));
        std::fs::create_dir_all(&dir).unwrap();
        let (name, body) = file(i);
        std::fs::write(dir.join(name), body).unwrap();
    }
    m.cmd()
        .args(["ingest", src.to_str().unwrap()])
        .assert()
        .success();
    let docs = m.docs();
    assert_eq!(docs.len(), NATIVES);
    (src, docs)
}

/// Tags the matter from `sheet`, a CSV.
fn tag_from(m: &TestMatter, sheet: String) {
    let path = m.scratch("tags").join("tags.csv");
    std::fs::write(&path, sheet).unwrap();
    m.cmd()
        .args(["tag", "--from", path.to_str().unwrap()])
        .assert()
        .success();
}

#[test]
fn a_volume_of_several_write_batches_is_whole_in_order_and_checksummed() {
    let m = TestMatter::new("generic");
    let (src, docs) = ingest_natives(&m, |i| {
        (
            format!("record-{i:04}.csv"),
            format!("id,amount\n{i},{}\n", i * 7 % 1000),
        )
    });
    let mut tags = String::from("docid,status,category\n");
    for d in &docs {
        tags.push_str(&format!("{},produce,1\n", d["docid"].as_str().unwrap()));
    }
    tag_from(&m, tags);
    let out = m.produce_ok("VOL001");
    assert!(
        text(&out).0.contains(&format!("{NATIVES} document(s)")),
        "{:?}",
        text(&out)
    );

    let vol = m.root.join("productions/VOL001");
    sha256sums_ok(&vol).unwrap();
    // DOCIDs follow the collected paths and Bates numbers the DOCIDs, so the
    // natives in Bates order are the sources in path order, byte for byte,
    // 1,000 a folder.
    let sources = files_under(&src);
    let natives = files_under(&vol.join("NATIVES"));
    assert_eq!(natives.len(), NATIVES);
    for (source, native) in sources.iter().zip(&natives) {
        assert_eq!(
            std::fs::read(source).unwrap(),
            std::fs::read(native).unwrap(),
            "{} against {}",
            native.display(),
            source.display()
        );
    }
    let in_folder = |f: &str| {
        std::fs::read_dir(vol.join("NATIVES").join(f))
            .unwrap()
            .count()
    };
    assert_eq!(
        ["0001", "0002", "0003"].map(in_folder),
        [1000, 1000, NATIVES - 2000]
    );
    // A slip sheet and a text file for each, under the native's Bates number.
    let stem = |p: &PathBuf| p.file_stem().unwrap().to_os_string();
    let stems: Vec<_> = natives.iter().map(stem).collect();
    for (folder, ext) in [("IMAGES", "pdf"), ("TEXT", "txt")] {
        let files = files_under(&vol.join(folder));
        assert_eq!(
            files.iter().map(stem).collect::<Vec<_>>(),
            stems,
            "{folder}"
        );
        assert!(
            files.iter().all(|f| f.extension().unwrap() == ext),
            "{folder}"
        );
    }
    // One DAT row a document, after the header.
    let dat = files_under(&vol.join("DATA"))
        .into_iter()
        .find(|f| f.extension().is_some_and(|e| e == "dat"))
        .expect("a DAT");
    let rows = std::fs::read(&dat).unwrap();
    assert_eq!(
        rows.windows(2).filter(|w| w == b"\r\n").count(),
        NATIVES + 1
    );
}

/// A privilege log longer than a write batch: its rows are spilled as the
/// documents are appended and streamed into the log's CSV and XLSX once
/// they are written. Every withheld document has its row, in Bates order,
/// the same in both files and in what the store recorded (`export privlog`).
#[test]
fn a_privilege_log_of_several_write_batches_is_whole_and_in_order() {
    let m = TestMatter::new("generic");
    let (_, docs) = ingest_natives(&m, |i| (format!("memo-{i:04}.txt"), format!("Memo {i}\n")));
    let mut tags = String::from(
        "docid,status,category,privilege,description,doc-date,doc-type,author,recipients\n",
    );
    let mut withheld = Vec::new();
    for (i, d) in docs.iter().enumerate() {
        let id = d["docid"].as_str().unwrap();
        if i % 2 == 0 {
            let date = if i % 4 == 0 {
                "undated".to_string()
            } else {
                format!("2023-05-{:02}", i % 28 + 1)
            };
            tags.push_str(&format!(
                "{id},withhold,1,AC,Advice on the draft rule ({i}),{date},Memorandum,Agency Counsel,Program Office\n"
            ));
            withheld.push(id.to_string());
        } else {
            tags.push_str(&format!("{id},produce,1,,,,,,\n"));
        }
    }
    assert!(withheld.len() > 1024, "more rows than one write batch");
    tag_from(&m, tags);
    m.produce_ok("VOL001");
    let vol = m.root.join("productions/VOL001");
    sha256sums_ok(&vol).unwrap();

    let csv_bytes = std::fs::read(vol.join("DATA/VOL001_privilege_log.csv")).unwrap();
    let body = csv_bytes.strip_prefix(b"\xEF\xBB\xBF").expect("a BOM");
    let mut reader = csv::Reader::from_reader(body);
    let header = reader.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let ids: Vec<&str> = rows.iter().map(|r| &r[col("CONTROL_ID")]).collect();
    assert_eq!(ids, withheld, "one row a withheld document, in DOCID order");
    let begs: Vec<&str> = rows.iter().map(|r| &r[col("BEGBATES")]).collect();
    assert!(begs.windows(2).all(|w| w[0] < w[1]), "in Bates order");
    assert_eq!(&rows[0][col("DOC_DATE")], "Undated");
    assert_eq!(&rows[1][col("DOC_DATE")], "2023-05-03");

    use calamine::Reader;
    let mut book =
        calamine::open_workbook_auto(vol.join("DATA/VOL001_privilege_log.xlsx")).unwrap();
    let cells = book.worksheet_range("Privilege log").unwrap();
    let sheet_rows: Vec<_> = cells.rows().skip(1).collect();
    assert_eq!(sheet_rows.len(), rows.len());
    for (cells, row) in sheet_rows.iter().zip(&rows) {
        for name in ["LOG_ID", "BEGBATES", "CONTROL_ID", "DESCRIPTION"] {
            assert_eq!(cells[col(name)].to_string(), row[col(name)], "{name}");
        }
    }

    let exported = m.scratch("export").join("log.csv");
    m.cmd()
        .args([
            "export", "privlog", "--volume", "VOL001", "--format", "csv", "-o",
        ])
        .arg(&exported)
        .assert()
        .success();
    assert!(
        std::fs::read(&exported).unwrap() == csv_bytes,
        "the store recorded the log the volume holds"
    );
}

#[test]
fn docs_lists_a_matter_larger_than_a_read_batch_in_order_in_every_format() {
    let m = TestMatter::new("generic");
    let (_, natives) = ingest_natives(&m, |i| (format!("note-{i:04}.txt"), format!("note {i}\n")));
    // Four e-mails, one with two attachments, after the natives: families
    // in the second read batch.
    m.cmd()
        .args(["ingest", fixtures().join("eml").to_str().unwrap()])
        .assert()
        .success();
    let all = NATIVES + 6;

    let json = m.docs();
    let ids: Vec<&str> = json.iter().map(|d| d["docid"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), all);
    assert_eq!(
        ids[..NATIVES],
        natives
            .iter()
            .map(|d| d["docid"].as_str().unwrap())
            .collect::<Vec<_>>()
    );
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted, "DOCID order");
    let tops: Vec<&serde_json::Value> = json.iter().filter(|d| !d["family"].is_null()).collect();
    assert_eq!(
        tops.len(),
        3,
        "the e-mail and its two attachments are one family"
    );
    let parent = tops
        .iter()
        .find(|d| d["parent"].is_null())
        .and_then(|d| d["docid"].as_str())
        .unwrap();

    let csv = m.cmd().args(["docs", "--format", "csv"]).output().unwrap();
    assert!(csv.status.success());
    let mut reader = csv::Reader::from_reader(csv.stdout.as_slice());
    let csv_ids: Vec<String> = reader
        .records()
        .map(|r| r.unwrap()[0].to_string())
        .collect();
    assert_eq!(csv_ids, ids);

    let table = m.cmd().arg("docs").output().unwrap();
    let (stdout, stderr) = text(&table);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), all + 1, "a header and a line a document");
    assert!(lines[0].starts_with("DOCID"), "{}", lines[0]);
    let table_ids: Vec<&str> = lines[1..]
        .iter()
        .map(|l| l.split(' ').next().unwrap())
        .collect();
    assert_eq!(table_ids, ids);
    // Columns as wide as their widest cell: every PATH starts where its header does.
    let path_at = lines[0].find("PATH").unwrap();
    for line in &lines[1..] {
        assert_eq!(&line[path_at - 2..path_at], "  ", "{line}");
        assert_ne!(&line[path_at..path_at + 1], " ", "{line}");
    }
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with(parent) && l.ends_with("e-mail with attachments"))
    );
    assert_eq!(
        lines
            .iter()
            .filter(|l| l.ends_with(&format!("attachment of {parent}")))
            .count(),
        2
    );
    assert!(stderr.contains(&format!("{all} document(s)")), "{stderr}");
}

#[test]
fn docs_that_cannot_be_written_say_so_and_exit_4() {
    let m = TestMatter::new("generic");
    ingest_natives(&m, |i| (format!("note-{i:04}.txt"), format!("note {i}\n")));
    for format in ["table", "csv", "json"] {
        says_a_full_disk_and_exits_4(&m, &["docs", "--format", format]);
    }
}

/// Runs adrec in `m` with standard output on a full disk (`/dev/full`): it
/// says so in a sentence and exits 4, without a panic.
fn says_a_full_disk_and_exits_4(m: &TestMatter, args: &[&str]) {
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_adrec"))
        .current_dir(&m.root)
        .env_remove("ADREC_MATTER")
        .args(args)
        .stdout(full)
        .output()
        .unwrap();
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(4), "{args:?}: {stderr}");
    assert!(
        stderr.contains("could not write to standard output")
            && stderr.contains("No space left on device"),
        "{args:?}: {stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn a_dry_run_lists_every_planned_document_and_says_when_it_cannot_be_written() {
    let m = TestMatter::new("generic");
    let (_, docs) = ingest_natives(&m, |i| (format!("note-{i:04}.txt"), format!("note {i}\n")));
    let mut tags = String::from("docid,status,category\n");
    for d in &docs {
        tags.push_str(&format!("{},produce,1\n", d["docid"].as_str().unwrap()));
    }
    tag_from(&m, tags);
    // The table: a header, then one line a document in DOCID order.
    let out = m
        .cmd()
        .args(["produce", "VOL001", "--dry-run"])
        .output()
        .unwrap();
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(lines[1].starts_with("DOCID "), "{}", lines[1]);
    let listed: Vec<&str> = lines[2..2 + NATIVES]
        .iter()
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    let expected: Vec<&str> = docs.iter().map(|d| d["docid"].as_str().unwrap()).collect();
    assert_eq!(listed, expected);
    assert!(
        stdout.contains(&format!("{NATIVES} document(s)")),
        "{stdout}"
    );
    assert!(
        stdout.trim_end().ends_with("Fonts: DejaVuSans (bundled)"),
        "{stdout}"
    );
    says_a_full_disk_and_exits_4(&m, &["produce", "VOL001", "--dry-run"]);
}
