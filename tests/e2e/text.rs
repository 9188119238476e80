//! Issue 14: extracted text for every produced document (TEXT/), and the
//! failed redaction (text under a box) caught before it goes out. Fixtures
//! come from reportlab, PyMuPDF and Ghostscript
//! (tests/fixtures/text/make_text_fixtures.py); text is compared with
//! Poppler's `pdftotext` and MuPDF's `mutool draw -F txt`.

use crate::util::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Words of the covered line that appear nowhere else (not in slip sheets).
const SECRET_WORDS: [&str; 2] = ["settle for", "2 million"];

fn text_fixture(name: &str) -> PathBuf {
    fixtures().join("text").join(name)
}

/// A matter holding `files` (name in the matter, fixture path under
/// tests/fixtures), ingested; DOCIDs by name.
fn matter_with(files: &[(&str, &str)]) -> (TestMatter, BTreeMap<String, String>) {
    let m = TestMatter::new("mpp-order");
    let src = m.scratch("collected");
    for (name, fixture) in files {
        std::fs::copy(fixtures().join(fixture), src.join(name)).unwrap();
    }
    m.cmd()
        .args(["ingest", "--custodian", "Reyes, A.", src.to_str().unwrap()])
        .assert()
        .success();
    let ids = m
        .docs()
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap().to_string(),
                d["docid"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    (m, ids)
}

fn tag(m: &TestMatter, id: &str, args: &[&str]) {
    let out = m.cmd().arg("tag").arg(id).args(args).output().unwrap();
    assert!(out.status.success(), "tag {id} {args:?}: {:?}", text(&out));
}

pub(crate) const LOG_FIELDS: [&str; 8] = [
    "--doc-date",
    "2023-01-15",
    "--doc-type",
    "Memorandum",
    "--author",
    "Office of the General Counsel",
    "--recipients",
    "Acting Secretary",
];

fn tag_redacted(m: &TestMatter, id: &str, redacted: &str) {
    let copy = m.scratch("redacted").join(redacted);
    std::fs::copy(text_fixture(redacted), &copy).unwrap();
    let args = [
        &[
            "--status",
            "redact",
            "--category",
            "3",
            "--privilege",
            "AC",
            "--description",
            "Legal advice on settlement",
            "--redacted-file",
            copy.to_str().unwrap(),
        ][..],
        &LOG_FIELDS[..],
    ]
    .concat();
    tag(m, id, &args);
}

fn show_text(m: &TestMatter, id: &str) -> (String, String) {
    let out = m.cmd().args(["show", id, "--text"]).output().unwrap();
    assert!(out.status.success(), "show --text {id}: {:?}", text(&out));
    text(&out)
}

/// Pages (form-feed separated) as lists of words.
fn page_words(text: &str) -> Vec<Vec<String>> {
    let mut pages: Vec<&str> = text.split('\u{0C}').collect();
    if pages.len() > 1 && pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    pages
        .iter()
        .map(|p| p.split_whitespace().map(str::to_string).collect())
        .collect()
}

/// Share of words in the same order (longest common subsequence over the
/// longer side), page by page; the page counts must agree.
fn agreement(ours: &str, theirs: &str) -> f64 {
    let (a, b) = (page_words(ours), page_words(theirs));
    assert_eq!(
        a.len(),
        b.len(),
        "page count\nours: {ours}\ntheirs: {theirs}"
    );
    let (mut same, mut total) = (0usize, 0usize);
    for (x, y) in a.iter().zip(&b) {
        let mut dp = vec![vec![0usize; y.len() + 1]; x.len() + 1];
        for i in 0..x.len() {
            for j in 0..y.len() {
                dp[i + 1][j + 1] = if x[i] == y[j] {
                    dp[i][j] + 1
                } else {
                    dp[i][j + 1].max(dp[i + 1][j])
                };
            }
        }
        same += dp[x.len()][y.len()];
        total += x.len().max(y.len());
    }
    if total == 0 {
        1.0
    } else {
        same as f64 / total as f64
    }
}

fn pdftotext(path: &Path, layout: bool) -> String {
    let mut args = vec![];
    if layout {
        args.push("-layout");
    }
    let p = path.to_str().unwrap();
    args.extend([p, "-"]);
    tool("pdftotext", &args)
}

fn mutool_text(path: &Path) -> String {
    tool(
        "mutool",
        &["draw", "-q", "-F", "txt", "-o", "-", path.to_str().unwrap()],
    )
}

/// Every text fixture: the same words in the same order on each page as
/// pdftotext -layout and mutool's text device, within the stated tolerance
/// (the reportlab page's rotated margin note is placed differently by each
/// reader: 3 of its 56 words).
#[test]
fn text_matches_pdftotext_and_mutool_word_for_word() {
    let cases = [
        ("standard.pdf", "rl_standard.pdf", 0.94),
        ("ttf.pdf", "rl_ttf.pdf", 0.99),
        ("cid.pdf", "mu_cid.pdf", 0.99),
        ("cjk.pdf", "mu_cjk.pdf", 0.99),
        ("type3.pdf", "gs_type3.pdf", 0.99),
        ("redistilled.pdf", "gs_redistilled.pdf", 0.94),
    ];
    let files: Vec<(&str, String)> = cases
        .iter()
        .map(|(n, f, _)| (*n, format!("text/{f}")))
        .collect();
    let refs: Vec<(&str, &str)> = files.iter().map(|(n, f)| (*n, f.as_str())).collect();
    let (m, ids) = matter_with(&refs);
    for (name, fixture, tolerance) in cases {
        let (ours, _) = show_text(&m, &ids[name]);
        let path = text_fixture(fixture);
        let poppler = agreement(&ours, &pdftotext(&path, true));
        assert!(
            poppler >= tolerance,
            "{fixture}: {poppler:.3} of words agree with pdftotext -layout\n{ours}"
        );
        let mupdf = agreement(&ours, &mutool_text(&path));
        assert!(
            mupdf >= tolerance,
            "{fixture}: {mupdf:.3} of words agree with mutool\n{ours}"
        );
    }
    // What each producer's encoding must decode to, exactly.
    let (cid, _) = show_text(&m, &ids["cid.pdf"]);
    assert!(cid.contains("Ελληνικά κείμενο και Русский текст"), "{cid}");
    let (cjk, _) = show_text(&m, &ids["cjk.pdf"]);
    assert!(cjk.contains("机密文件 行政记录 第二页\n"), "{cjk}");
    assert!(cjk.contains("日本語のテキスト"), "{cjk}");
    let (ttf, _) = show_text(&m, &ids["ttf.pdf"]);
    assert!(ttf.contains("Café résumé naïve — “quoted” façade"), "{ttf}");
    let (t3, _) = show_text(&m, &ids["type3.pdf"]);
    assert!(t3.starts_with("ABC CAB\n"), "{t3}");
    let (std, _) = show_text(&m, &ids["standard.pdf"]);
    assert_eq!(
        std.matches("Form text: Office of General Counsel").count(),
        2
    );
    assert!(std.contains("Left column one Right column one"), "{std}");
    assert_eq!(std.matches('\u{0C}').count(), 1, "two pages, one form feed");
}

/// A page with /Rotate 90 reads line by line as the reader sees it
/// (pdftotext -layout prints nothing for it, so the raw mode is the oracle).
#[test]
fn rotated_page_reads_in_order() {
    let (m, ids) = matter_with(&[("rotated.pdf", "text/rl_rotated.pdf")]);
    let (ours, _) = show_text(&m, &ids["rotated.pdf"]);
    assert_eq!(
        ours.trim(),
        "First line of a rotated page\nSecond line of a rotated page"
    );
    let oracle = pdftotext(&text_fixture("rl_rotated.pdf"), false);
    assert_eq!(agreement(&ours, &oracle), 1.0, "{oracle}");
}

/// Each covered-text fixture's verdict through `show --text`: the warning
/// names the page and the count, never the covered words.
#[test]
fn covered_text_verdict_of_each_fixture() {
    let names: Vec<String> = std::fs::read_dir(fixtures().join("text"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("cover_") && n.ends_with(".pdf"))
        .collect();
    assert!(names.len() >= 15, "{names:?}");
    let files: Vec<(String, String)> = names
        .iter()
        .map(|n| (n.clone(), format!("text/{n}")))
        .collect();
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(n, f)| (n.as_str(), f.as_str()))
        .collect();
    let (m, ids) = matter_with(&refs);
    for name in &names {
        let (_, err) = show_text(&m, &ids[name]);
        let flagged = err.contains("hidden under boxes or images");
        assert_eq!(flagged, name.starts_with("cover_bad_"), "{name}: {err}");
        if flagged {
            assert!(err.contains("page 1: "), "{name}: {err}");
            for w in SECRET_WORDS {
                assert!(!err.contains(w), "{name} prints covered words: {err}");
            }
        }
    }
    // The black box over the whole line: all 34 of its letters and digits.
    let (_, err) = show_text(&m, &ids["cover_bad_black_box.pdf"]);
    assert!(err.contains("page 1: 34 characters"), "{err}");
}

fn produce(m: &TestMatter, volume: &str, dry_run: bool) -> std::process::Output {
    let mut cmd = m.cmd();
    cmd.args(["produce", volume, "--date", "2024-04-19"]);
    if dry_run {
        cmd.arg("--dry-run");
    }
    cmd.output().unwrap()
}

fn text_matter() -> (TestMatter, BTreeMap<String, String>) {
    let (m, ids) = matter_with(&[
        ("memo.pdf", "text/rl_standard.pdf"),
        ("advice.pdf", "text/cover_original.pdf"),
        ("notes.pdf", "text/cover_bad_black_box.pdf"),
        ("guidance.docx", "office/plain.docx"),
        ("readme.txt", "misc/notes.txt"),
        ("slides.pptx", "office/plain.pptx"),
        ("log.xlsx", "office/plain.xlsx"),
    ]);
    tag(
        &m,
        &ids["memo.pdf"],
        &["--status", "produce", "--category", "1"],
    );
    tag(
        &m,
        &ids["guidance.docx"],
        &["--status", "produce", "--category", "5"],
    );
    for native in ["readme.txt", "slides.pptx", "log.xlsx"] {
        tag(
            &m,
            &ids[native],
            &["--status", "produce", "--category", "5"],
        );
    }
    let withhold = [
        &[
            "--status",
            "withhold",
            "--category",
            "2",
            "--privilege",
            "PC",
            "--description",
            "Notes for a meeting with the President's advisers",
        ][..],
        &LOG_FIELDS[..],
    ]
    .concat();
    tag(&m, &ids["notes.pdf"], &withhold);
    (m, ids)
}

fn files_in(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// TEXT/0001/BEGBATES.txt for every document: UTF-8 with BOM, CRLF, a form
/// feed between pages; the redacted file's text for a redacted document, the
/// slip sheet's for a withheld one; listed in SHA256SUMS; byte-identical on
/// a re-run from scratch.
#[test]
fn produce_writes_text_for_every_document() {
    let mut volumes = Vec::new();
    for _ in 0..2 {
        let (m, ids) = text_matter();
        tag_redacted(&m, &ids["advice.pdf"], "cover_ok_applied.pdf");
        let out = produce(&m, "VOL001", false);
        assert!(out.status.success(), "{:?}", text(&out));
        assert!(
            text(&out).0.contains("Text: 7 file(s) in TEXT/"),
            "{:?}",
            text(&out)
        );
        let vol = m.root.join("productions/VOL001");
        let files = files_in(&vol);
        let index = std::fs::read_to_string(vol.join("DATA/VOL001_index.csv")).unwrap();
        let mut by_id = BTreeMap::new();
        for line in index.lines().skip(1) {
            let cells: Vec<&str> = line.split(',').collect();
            by_id.insert(
                cells[3].to_string(),
                (cells[0].to_string(), cells[2].to_string()),
            );
        }
        let text_of = |name: &str| {
            let (beg, pages) = &by_id[&ids[name]];
            let bytes = &files[&format!("TEXT/0001/{beg}.txt")];
            assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "{name}: BOM");
            let s = String::from_utf8(bytes[3..].to_vec()).expect("UTF-8");
            assert!(!s.replace("\r\n", "").contains('\n'), "{name}: bare LF");
            assert_eq!(
                s.matches('\u{0C}').count() + 1,
                pages.parse::<usize>().unwrap(),
                "{name}: one form feed between pages"
            );
            s
        };
        let memo = text_of("memo.pdf");
        assert!(memo.starts_with("Memorandum for the Record\r\n"), "{memo}");
        let redacted = text_of("advice.pdf");
        assert!(redacted.contains("This sentence is public and stays readable."));
        for w in SECRET_WORDS {
            assert!(
                !redacted.contains(w),
                "the redacted original's text went out: {redacted}"
            );
        }
        let withheld = text_of("notes.pdf");
        assert!(
            withheld.starts_with("Withheld \u{2013} Privileged\r\n"),
            "{withheld}"
        );
        for w in SECRET_WORDS {
            assert!(!withheld.contains(w), "a withheld document's text went out");
        }
        let native = text_of("readme.txt");
        let original = std::fs::read_to_string(fixtures().join("misc/notes.txt")).unwrap();
        assert_eq!(native.replace("\r\n", "\n").trim_end(), original.trim_end());
        // Natives' own text, as python-docx, openpyxl and the slide XML read it.
        assert_eq!(
            text_of("guidance.docx"),
            "Implementation Guidance\r\nThis guidance explains how the agency will implement the new records schedule.\r\nIt contains no tracked changes, comments or embedded objects.\r\n"
        );
        assert_eq!(
            text_of("slides.pptx"),
            "Title Slide Only\r\nNo speaker notes\r\n"
        );
        let log = text_of("log.xlsx");
        assert!(
            log.contains("Date\tVessel\tTons\r\n") && log.contains("\tBoreal\t860\r\n"),
            "{log:?}"
        );
        // SHA256SUMS covers the text files, and they check.
        let sums = String::from_utf8(files["SHA256SUMS"].clone()).unwrap();
        assert_eq!(sums.matches("  TEXT/0001/").count(), 7, "{sums}");
        let check = std::process::Command::new("sha256sum")
            .args(["-c", "--quiet", "SHA256SUMS"])
            .current_dir(&vol)
            .output()
            .unwrap();
        assert!(check.status.success(), "{:?}", check);
        // The audit of the volume stays clean with TEXT/ in it.
        let audit = adrec()
            .args(["audit", vol.to_str().unwrap()])
            .output()
            .unwrap();
        assert!(audit.status.success(), "audit: {:?}", text(&audit));
        volumes.push(files);
    }
    let texts = |v: &BTreeMap<String, Vec<u8>>| -> Vec<(String, Vec<u8>)> {
        v.iter()
            .filter(|(k, _)| k.starts_with("TEXT/"))
            .map(|(k, b)| (k.clone(), b.clone()))
            .collect()
    };
    assert_eq!(
        texts(&volumes[0]),
        texts(&volumes[1]),
        "TEXT/ differs between runs"
    );
}

/// The files of the matter's text cache (`.adrec/text/<revision>/`).
fn cache_entries(m: &TestMatter) -> Vec<PathBuf> {
    walkdir::WalkDir::new(m.root.join(".adrec/text"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect()
}

/// Ingest keeps each PDF's text (one entry per distinct PDF, none for the
/// natives), and the cache only saves time: a volume produced from a full
/// cache, from an emptied one and from one whose every entry is damaged is
/// the same to the byte, and the redacted document's text is the redacted
/// file's in each.
#[test]
fn text_cache_changes_nothing_that_goes_out() {
    let mut volumes = Vec::new();
    for cache in ["kept", "emptied", "damaged"] {
        let (m, ids) = text_matter();
        let entries = cache_entries(&m);
        assert_eq!(entries.len(), 3, "one entry per ingested PDF: {entries:?}");
        tag_redacted(&m, &ids["advice.pdf"], "cover_ok_applied.pdf");
        match cache {
            "emptied" => std::fs::remove_dir_all(m.root.join(".adrec/text")).unwrap(),
            "damaged" => {
                for path in &entries {
                    let mut bytes = std::fs::read(path).unwrap();
                    let n = bytes.len();
                    bytes[n - 3] ^= 0x20;
                    std::fs::write(path, bytes).unwrap();
                }
            }
            _ => {}
        }
        let out = produce(&m, "VOL001", false);
        assert!(out.status.success(), "{cache}: {:?}", text(&out));
        // The produce kept the texts it needed: the redacted file's, and
        // the produced PDF's when its entry was gone or damaged.
        let expected = if cache == "emptied" { 2 } else { 4 };
        assert_eq!(cache_entries(&m).len(), expected, "{cache}");
        let files = files_in(&m.root.join("productions/VOL001"));
        let redacted = files
            .iter()
            .filter(|(k, _)| k.starts_with("TEXT/"))
            .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
            .find(|t| t.contains("This sentence is public"))
            .expect("the redacted document's text");
        for w in SECRET_WORDS {
            assert!(
                !redacted.contains(w),
                "{cache}: the original's text went out"
            );
        }
        volumes.push((cache, files));
    }
    for (cache, files) in &volumes[1..] {
        assert_eq!(
            files.keys().collect::<Vec<_>>(),
            volumes[0].1.keys().collect::<Vec<_>>(),
            "{cache}"
        );
        for (name, bytes) in files {
            assert!(
                volumes[0].1[name] == *bytes,
                "{name} differs with the cache {cache}"
            );
        }
    }
}

/// The failed redaction: a black box drawn over live text in the redacted
/// file blocks the dry run and the produce (exit 1, nothing written), naming
/// the document and the page without the covered words; a properly redacted
/// file then produces.
#[test]
fn failed_redaction_blocks_until_properly_redacted() {
    let (m, ids) = text_matter();
    let id = &ids["advice.pdf"];
    tag_redacted(&m, id, "cover_bad_black_box.pdf");
    let dry = produce(&m, "VOL001", true);
    let (out, err) = text(&dry);
    let all = format!("{out}{err}");
    assert_eq!(dry.status.code(), Some(1), "{all}");
    let line = all
        .lines()
        .find(|l| l.contains("failed redaction"))
        .unwrap_or_else(|| panic!("no covered-text blocker: {all}"));
    assert!(
        line.contains(id.as_str()) && line.contains("page 1: 34 characters"),
        "{line}"
    );
    for w in SECRET_WORDS {
        assert!(!all.contains(w), "prints covered words: {all}");
    }
    let before = m.state();
    let real = produce(&m, "VOL001", false);
    assert_eq!(real.status.code(), Some(1), "{:?}", text(&real));
    assert!(
        text(&real).1.contains("failed redaction"),
        "{:?}",
        text(&real)
    );
    assert!(!m.root.join("productions/VOL001").exists());
    assert_eq!(m.state(), before, "a blocked produce changes nothing");

    tag_redacted(&m, id, "cover_ok_applied.pdf");
    let dry = produce(&m, "VOL001", true);
    assert!(dry.status.success(), "{:?}", text(&dry));
    let real = produce(&m, "VOL001", false);
    assert!(real.status.success(), "{:?}", text(&real));
}

/// A redacted file whose box is an annotation (a filled square over live
/// text) is refused by the dry run and the produce, naming the page; the
/// text under it never goes out. An inline-image box is the covered-text
/// blocker's like any other.
#[test]
fn a_box_drawn_as_an_annotation_or_an_inline_image_blocks_the_redaction() {
    let (m, ids) = text_matter();
    let id = &ids["advice.pdf"];
    tag_redacted(&m, id, "redacted_by_annotation.pdf");
    for dry_run in [true, false] {
        let out = produce(&m, "VOL001", dry_run);
        let (stdout, stderr) = text(&out);
        let all = format!("{stdout}{stderr}");
        assert_eq!(out.status.code(), Some(1), "{all}");
        assert!(
            all.contains("holds a /Square annotation on page 1"),
            "{all}"
        );
        for w in SECRET_WORDS {
            assert!(!all.contains(w), "prints covered words: {all}");
        }
    }
    assert!(!m.root.join("productions/VOL001").exists());

    tag_redacted(&m, id, "cover_bad_inline_image.pdf");
    let out = produce(&m, "VOL001", false);
    let all = format!("{}{}", text(&out).0, text(&out).1);
    assert_eq!(out.status.code(), Some(1), "{all}");
    assert!(all.contains("failed redaction"), "{all}");
    assert!(!m.root.join("productions/VOL001").exists());
}

/// Covered text in a document produced as is (not redacted) is a warning in
/// the dry run and the produce summary, never a blocker.
#[test]
fn covered_text_in_a_produced_document_is_a_warning() {
    let (m, ids) = matter_with(&[("boxed.pdf", "text/cover_bad_whiteout.pdf")]);
    tag(
        &m,
        &ids["boxed.pdf"],
        &["--status", "produce", "--category", "1"],
    );
    let dry = produce(&m, "VOL001", true);
    let all = format!("{}{}", text(&dry).0, text(&dry).1);
    assert!(dry.status.success(), "{all}");
    assert!(
        all.contains(&ids["boxed.pdf"]) && all.contains("page 1: 34 characters"),
        "{all}"
    );
    let status = m.cmd().arg("status").output().unwrap();
    let (out, _) = text(&status);
    assert!(status.status.success(), "{out}");
    assert!(
        out.lines().any(|l| l.starts_with("Warning: ")
            && l.contains(&ids["boxed.pdf"])
            && l.contains("page 1: 34 characters")),
        "status: {out}"
    );
    let real = produce(&m, "VOL001", false);
    assert!(real.status.success(), "{:?}", text(&real));
    assert!(
        text(&real).1.contains("hidden under boxes"),
        "{:?}",
        text(&real)
    );
    // The receiving side's audit finds it too, by Bates number.
    let vol = m.root.join("productions/VOL001");
    let audit = adrec()
        .args(["audit", vol.to_str().unwrap(), "--json"])
        .output()
        .unwrap();
    assert_eq!(audit.status.code(), Some(1), "{:?}", text(&audit));
    let report: serde_json::Value = serde_json::from_slice(&audit.stdout).unwrap();
    let covered: Vec<&serde_json::Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "COVERED_TEXT")
        .collect();
    assert_eq!(covered.len(), 1, "{report:#}");
    let f = covered[0];
    let message = f["message"].as_str().unwrap();
    assert_eq!(f["bates"][0], "DHS-MPP-000001", "{f:#}");
    assert!(
        message.contains("DHS-MPP-000001 (34 characters)"),
        "{message}"
    );
    for w in SECRET_WORDS {
        assert!(!message.contains(w), "{message}");
    }
}

/// A scanned page with no text layer is an empty page of the text file (the
/// form feed keeps the pagination), and the summary counts it.
#[test]
fn scanned_page_without_text_is_an_empty_page_and_counted() {
    let (m, ids) = matter_with(&[("scan.pdf", "text/scan_no_text.pdf")]);
    tag(
        &m,
        &ids["scan.pdf"],
        &["--status", "produce", "--category", "1"],
    );
    let out = produce(&m, "VOL001", false);
    let (stdout, _) = text(&out);
    assert!(out.status.success(), "{:?}", text(&out));
    assert!(
        stdout.contains("1 page(s) have no text layer; OCR is not done"),
        "{stdout}"
    );
    let file = m
        .root
        .join("productions/VOL001/TEXT/0001/DHS-MPP-000001.txt");
    assert_eq!(
        std::fs::read(file).unwrap(),
        "\u{FEFF}\u{0C}Typed cover note after the scan\r\n".as_bytes()
    );
}

/// The sample record's failed redaction: the bilateral readout tagged with
/// `redacted/…-boxes-only.pdf` (boxes drawn over live text) is a dry-run
/// blocker naming the document and its pages; `tags.csv`'s proper file
/// clears it.
#[test]
fn sample_record_failed_redaction_blocks_and_tags_csv_fixes_it() {
    let record = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-record");
    let m = TestMatter::new("mpp-order");
    m.cmd()
        .args(["ingest", record.join("documents").to_str().unwrap()])
        .output()
        .unwrap();
    let sheet = m
        .cmd()
        .args(["tag", "--from", record.join("tags.csv").to_str().unwrap()])
        .output()
        .unwrap();
    assert!(sheet.status.success(), "{:?}", text(&sheet));
    let id = m
        .docs()
        .iter()
        .find(|d| {
            d["path"]
                .as_str()
                .unwrap()
                .ends_with("2019-06-14-bilateral-meeting-readout.pdf")
        })
        .map(|d| d["docid"].as_str().unwrap().to_string())
        .expect("the readout is in the record");
    let boxed = record.join("redacted/2019-06-14-bilateral-meeting-readout-boxes-only.pdf");
    tag(&m, &id, &["--redacted-file", boxed.to_str().unwrap()]);
    let dry = produce(&m, "VOL001", true);
    let all = format!("{}{}", text(&dry).0, text(&dry).1);
    assert_eq!(dry.status.code(), Some(1), "{all}");
    let line = all
        .lines()
        .find(|l| l.contains("failed redaction"))
        .unwrap_or_else(|| panic!("no covered-text blocker: {all}"));
    assert!(line.contains(&id) && line.contains("page 2: "), "{line}");
    for covered in ["resist any expansion", "phased Nuevo Laredo start"] {
        assert!(
            !all.contains(covered),
            "the covered words are printed: {all}"
        );
    }
    // The words are really there under the boxes: pdftotext reads them.
    assert!(pdftotext(&boxed, false).contains("resist any expansion"));
    let again = m
        .cmd()
        .args(["tag", "--from", record.join("tags.csv").to_str().unwrap()])
        .output()
        .unwrap();
    assert!(again.status.success(), "{:?}", text(&again));
    let dry = produce(&m, "VOL001", true);
    let all = format!("{}{}", text(&dry).0, text(&dry).1);
    assert!(!all.contains("failed redaction"), "{all}");
}
