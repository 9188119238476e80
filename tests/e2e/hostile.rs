//! Hostile inputs (issue 11): each case is built by a small generator and
//! run with a hang guard and, where memory is the point, an address-space
//! cap. Every case must end with the promised exit code and no panic.

use crate::tag::corpus;
use crate::util::{TestMatter, text};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Duration;

/// Generous hang guard: a case that loops forever fails here, a slow
/// machine does not.
const GUARD: Duration = Duration::from_secs(60);

fn zip_file(path: &Path, parts: &[(&str, String)]) {
    let file = std::fs::File::create(path).unwrap();
    let mut zip = zip::ZipWriter::new(file);
    for (name, body) in parts {
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        zip.start_file(*name, opts).unwrap();
        zip.write_all(body.as_bytes()).unwrap();
    }
    zip.finish().unwrap();
}

/// An XLSX whose one sheet holds `cells` (reference, inline text).
fn xlsx(path: &Path, cells: &[(&str, &str)]) {
    let mut rows: Vec<(u32, String)> = Vec::new();
    for (r, v) in cells {
        let n: u32 = r
            .trim_start_matches(|c: char| c.is_ascii_alphabetic())
            .parse()
            .unwrap();
        let cell = format!("<c r=\"{r}\" t=\"inlineStr\"><is><t>{v}</t></is></c>");
        match rows.iter_mut().find(|(m, _)| *m == n) {
            Some((_, s)) => s.push_str(&cell),
            None => rows.push((n, cell)),
        }
    }
    let far = cells.last().map_or("A1", |c| c.0);
    let sheet = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><dimension ref=\"A1:{far}\"/><sheetData>{}</sheetData></worksheet>",
        rows.iter()
            .map(|(n, c)| format!("<row r=\"{n}\">{c}</row>"))
            .collect::<String>()
    );
    zip_file(
        path,
        &[
            ("[Content_Types].xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/><Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/></Types>".into()),
            ("_rels/.rels", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>".into()),
            ("xl/workbook.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets><sheet name=\"Sheet1\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>".into()),
            ("xl/_rels/workbook.xml.rels", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>".into()),
            ("xl/worksheets/sheet1.xml", sheet),
        ],
    );
}

/// An ODS whose content.xml body (inside office:spreadsheet) is `table`;
/// `cut` stops content.xml after that many bytes.
fn ods(path: &Path, table: &str, cut: Option<usize>) {
    let mut content = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" office:version=\"1.2\"><office:body><office:spreadsheet>{table}</office:spreadsheet></office:body></office:document-content>"
    );
    if let Some(n) = cut {
        content.truncate(n);
    }
    zip_file(
        path,
        &[
            ("mimetype", "application/vnd.oasis.opendocument.spreadsheet".into()),
            ("META-INF/manifest.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" manifest:version=\"1.2\"><manifest:file-entry manifest:full-path=\"/\" manifest:media-type=\"application/vnd.oasis.opendocument.spreadsheet\"/><manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/></manifest:manifest>".into()),
            ("content.xml", content),
        ],
    );
}

fn text_cell(v: &str) -> String {
    format!(
        "<table:table-cell office:value-type=\"string\"><text:p>{v}</text:p></table:table-cell>"
    )
}

const HEADER_ROW: &str = "<table:table-row><table:table-cell office:value-type=\"string\"><text:p>docid</text:p></table:table-cell><table:table-cell office:value-type=\"string\"><text:p>status</text:p></table:table-cell></table:table-row>";

/// Runs `cmd` under bash with an address-space cap (KiB) and the hang guard.
fn capped(dir: &Path, kib: u64, args: &[&str]) -> Output {
    let mut script = format!("ulimit -v {kib}; exec \"$0\"");
    for i in 0..args.len() {
        script.push_str(&format!(" \"${}\"", i + 1));
    }
    let mut cmd = assert_cmd::Command::new("bash");
    cmd.current_dir(dir)
        .env_remove("ADREC_MATTER")
        .env("USER", "tester")
        .arg("-c")
        .arg(script)
        .arg(env!("CARGO_BIN_EXE_adrec"))
        .args(args)
        .timeout(GUARD);
    cmd.output().unwrap()
}

/// Asserts the exit code, no panic and (optionally) a phrase in stderr.
fn expect(out: &Output, code: i32, phrase: &str) {
    let (stdout, stderr) = text(out);
    assert_eq!(
        out.status.code(),
        Some(code),
        "stdout: {stdout}\nstderr: {stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!stderr.contains("memory allocation"), "{stderr}");
    assert!(stderr.contains(phrase), "expected {phrase:?} in {stderr}");
}

/// 2 GB of address space: adrec's own needs with room to spare, far below
/// what the hostile sheets used to allocate.
const CAP_KIB: u64 = 2_000_000;

fn tag_from(m: &TestMatter, sheet: &Path) -> Output {
    capped(
        &m.root,
        CAP_KIB,
        &["tag", "--from", sheet.to_str().unwrap(), "--dry-run"],
    )
}

fn audit_index(dir: &Path, index: &Path) -> Output {
    capped(
        dir,
        CAP_KIB,
        &[
            "audit",
            dir.to_str().unwrap(),
            "--index",
            index.to_str().unwrap(),
        ],
    )
}

/// Findings or an input error (exit 1 or 2), never a panic or an abort on
/// a huge allocation.
fn refused_without_panic(out: &Output) {
    let (_, stderr) = text(out);
    assert!(
        !stderr.contains("panicked") && !stderr.contains("memory allocation"),
        "{stderr}"
    );
    assert!(
        out.status.code().is_some_and(|c| c == 1 || c == 2),
        "{stderr}"
    );
}

fn volume_dir(m: &TestMatter) -> PathBuf {
    m.scratch("VOL")
}

#[test]
fn xlsx_with_one_far_cell_is_refused_not_allocated() {
    let m = corpus();
    let dir = volume_dir(&m);
    let far = dir.join("far.xlsx");
    xlsx(
        &far,
        &[("A1", "docid"), ("B1", "status"), ("XFD1048576", "x")],
    );
    expect(&tag_from(&m, &far), 2, "2,000,000");
    let out = audit_index(&dir, &far);
    refused_without_panic(&out);
    // Audit's own discovery of the sheet in DATA/ takes the same path.
    let data = dir.join("DATA");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::rename(&far, data.join("VOL001.xlsx")).unwrap();
    let out = capped(&dir, CAP_KIB, &["audit", dir.to_str().unwrap()]);
    refused_without_panic(&out);
}

#[test]
fn xlsx_far_single_cell_alone_reads_small() {
    // Only one far cell (nothing else): the filled cells span one cell.
    let m = corpus();
    let far = volume_dir(&m).join("lonely.xlsx");
    xlsx(&far, &[("XFD1048576", "docid")]);
    let out = tag_from(&m, &far);
    let (_, stderr) = text(&out);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!stderr.contains("memory allocation"), "{stderr}");
}

#[test]
fn ods_repeated_cells_over_many_rows_are_refused_quickly() {
    let m = corpus();
    let dir = volume_dir(&m);
    let path = dir.join("repeat.ods");
    let body = format!(
        "<table:table table:name=\"S\">{HEADER_ROW}<table:table-row table:number-rows-repeated=\"1000\"><table:table-cell table:number-columns-repeated=\"16384\" office:value-type=\"float\" office:value=\"1\"/></table:table-row></table:table>"
    );
    ods(&path, &body, None);
    expect(&tag_from(&m, &path), 2, "2,000,000");
    let out = audit_index(&dir, &path);
    refused_without_panic(&out);
}

#[test]
fn ods_cell_at_xfd2000_is_refused() {
    let m = corpus();
    let path = volume_dir(&m).join("far.ods");
    let body = format!(
        "<table:table table:name=\"S\">{HEADER_ROW}<table:table-row table:number-rows-repeated=\"1998\"/><table:table-row><table:table-cell table:number-columns-repeated=\"16383\"/>{}</table:table-row></table:table>",
        text_cell("x")
    );
    ods(&path, &body, None);
    expect(&tag_from(&m, &path), 2, "XFD2000");
}

#[test]
fn ods_cut_short_is_an_input_error_not_a_hang() {
    let m = corpus();
    let dir = volume_dir(&m);
    let path = dir.join("cut.ods");
    let body = format!(
        "<table:table table:name=\"S\">{HEADER_ROW}<table:table-row>{}{}</table:table-row></table:table>",
        text_cell("DOC-000001"),
        text_cell("produce")
    );
    // Stop right after the header row's end tag.
    let full = format!("<office:spreadsheet>{body}");
    let after_row = full.find("</table:table-row>").unwrap() + "</table:table-row>".len();
    let prefix_len = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" office:version=\"1.2\"><office:body>".len();
    ods(&path, &body, Some(prefix_len + after_row));
    expect(&tag_from(&m, &path), 2, "mid-way");
    let out = audit_index(&dir, &path);
    refused_without_panic(&out);
}

#[test]
fn ordinary_ods_and_xlsx_still_read() {
    let m = corpus();
    let dir = volume_dir(&m);
    let path = dir.join("ok.ods");
    let body = format!(
        "<table:table table:name=\"S\">{HEADER_ROW}<table:table-row>{}{}<table:table-cell table:number-columns-repeated=\"16382\"/></table:table-row><table:table-row table:number-rows-repeated=\"1048500\"><table:table-cell table:number-columns-repeated=\"16384\"/></table:table-row></table:table>",
        text_cell("DOC-000001"),
        text_cell("produce")
    );
    ods(&path, &body, None);
    let out = tag_from(&m, &path);
    let (stdout, stderr) = text(&out);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        out.status.code().is_some_and(|c| c == 0 || c == 1),
        "stdout: {stdout}\nstderr: {stderr}"
    );
    let x = dir.join("ok.xlsx");
    xlsx(
        &x,
        &[
            ("A1", "docid"),
            ("B1", "status"),
            ("A2", "DOC-000001"),
            ("B2", "produce"),
        ],
    );
    let out = tag_from(&m, &x);
    let (stdout, stderr) = text(&out);
    assert!(
        out.status.code().is_some_and(|c| c == 0 || c == 1),
        "stdout: {stdout}\nstderr: {stderr}"
    );
}

fn mkfifo(path: &Path) -> bool {
    std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .is_ok_and(|s| s.success())
}

#[test]
fn a_source_replaced_by_a_fifo_blocks_produce_and_its_dry_run_without_hanging() {
    let t = crate::produce::tagged_matter();
    let memo = t.m.dir.path().join("collected/memo.pdf");
    std::fs::remove_file(&memo).unwrap();
    if !mkfifo(&memo) {
        eprintln!("skipped: mkfifo unavailable");
        return;
    }
    for args in [
        &["produce", "VOL001", "--dry-run"][..],
        &["produce", "VOL001"][..],
    ] {
        let out = t.m.cmd().args(args).timeout(GUARD).output().unwrap();
        let (stdout, stderr) = text(&out);
        assert_eq!(out.status.code(), Some(1), "{args:?}\n{stdout}\n{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert!(
            format!("{stdout}{stderr}").contains("not a regular file"),
            "{args:?}\n{stdout}\n{stderr}"
        );
    }
    assert!(!t.m.root.join("productions/VOL001").exists());
}

#[test]
fn ingest_lists_a_fifo_and_finishes() {
    let m = TestMatter::new("generic");
    let src = m.scratch("in");
    std::fs::write(src.join("a.txt"), b"hello").unwrap();
    if !mkfifo(&src.join("pipe.pdf")) {
        eprintln!("skipped: mkfifo unavailable");
        return;
    }
    let out = m
        .cmd()
        .args(["ingest", src.to_str().unwrap()])
        .timeout(GUARD)
        .output()
        .unwrap();
    let (stdout, stderr) = text(&out);
    assert!(
        out.status.code().is_some_and(|c| c <= 1),
        "{stdout}\n{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(m.docs().len(), 1);
}

#[test]
fn a_subject_of_many_encoded_words_ingests_in_linear_time_and_is_kept_truncated() {
    let m = TestMatter::new("generic");
    let src = m.scratch("in");
    let subject = "=?UTF-8?B?YQ==?= ".repeat(400_000);
    let mail = format!(
        "From: a@example.gov\r\nTo: b@example.gov\r\nSubject: {subject}\r\nDate: Wed, 31 Jan 2024 22:30:00 -0500\r\n\r\nbody\r\n"
    );
    std::fs::write(src.join("long.eml"), mail).unwrap();
    let out = m
        .cmd()
        .args(["ingest", src.to_str().unwrap()])
        .timeout(GUARD)
        .output()
        .unwrap();
    expect(&out, 0, "");
    let docs = m.docs();
    let shown = serde_json::to_string(&docs[0]).unwrap();
    assert!(
        shown.contains(&"a".repeat(1000)),
        "{}",
        &shown[..500.min(shown.len())]
    );
    assert!(
        !shown.contains(&"a".repeat(40_000)),
        "the subject was not truncated"
    );
    let show = m.cmd().args(["show", "DOC-000001"]).output().unwrap();
    let (stdout, _) = text(&show);
    assert!(
        stdout.contains("only its first 32 KiB were kept"),
        "{}",
        &stdout[stdout.len().saturating_sub(2000)..]
    );
}

#[test]
fn an_index_followed_by_millions_of_blank_lines_is_read_in_linear_time() {
    let dir = tempfile::tempdir().unwrap();
    let vol = dir.path();
    let dat = format!(
        "þBEGBATESþ\u{14}þENDBATESþ\r\nþABC-000001þ\u{14}þABC-000001þ\r\n{}",
        "\r\n".repeat(2_000_000)
    );
    std::fs::write(vol.join("index.dat"), dat).unwrap();
    std::fs::write(
        vol.join("index.csv"),
        format!(
            "BEGBATES,ENDBATES\nABC-000001,ABC-000001\n{}",
            "\n".repeat(2_000_000)
        ),
    )
    .unwrap();
    for index in ["index.dat", "index.csv"] {
        let out = crate::util::adrec()
            .current_dir(vol)
            .args(["audit", ".", "--index", index])
            .timeout(GUARD)
            .output()
            .unwrap();
        let (stdout, stderr) = text(&out);
        assert!(
            out.status.code().is_some_and(|c| c <= 1),
            "{stdout}\n{stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

#[test]
fn an_unterminated_quote_is_not_echoed_whole() {
    let m = TestMatter::new("generic");
    let dir = m.scratch("q");
    let csv = dir.join("t.csv");
    std::fs::write(
        &csv,
        format!("docid,status\nDOC-000001,\"{}\n", "x".repeat(10 << 20)),
    )
    .unwrap();
    for json in [false, true] {
        let mut cmd = m.cmd();
        cmd.args(["tag", "--from", csv.to_str().unwrap(), "--dry-run"]);
        if json {
            cmd.arg("--json");
        }
        let out = cmd.timeout(GUARD).output().unwrap();
        assert_eq!(out.status.code(), Some(2));
        assert!(
            out.stdout.len() + out.stderr.len() < 20_000,
            "{} bytes echoed",
            out.stdout.len() + out.stderr.len()
        );
    }
    let out = crate::util::adrec()
        .current_dir(&dir)
        .args(["audit", ".", "--index", "t.csv"])
        .timeout(GUARD)
        .output()
        .unwrap();
    assert!(
        out.stdout.len() + out.stderr.len() < 20_000,
        "{} bytes echoed",
        out.stdout.len() + out.stderr.len()
    );
}

#[test]
fn odd_file_names_are_ingested_and_shown_escaped() {
    use std::os::unix::ffi::OsStrExt;
    let m = TestMatter::new("generic");
    let src = m.scratch("in");
    let bad = std::ffi::OsStr::from_bytes(b"caf\xe9 memo.txt");
    std::fs::write(src.join(bad), b"latin-1 name").unwrap();
    std::fs::write(src.join("ring\u{7}\u{1b}[2Jclear\r.txt"), b"control name").unwrap();
    let out = m
        .cmd()
        .args(["ingest", src.to_str().unwrap()])
        .timeout(GUARD)
        .output()
        .unwrap();
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(0), "{stdout}\n{stderr}");
    assert!(
        !stdout.contains('\u{1b}') && !stdout.contains('\u{7}'),
        "{stdout:?}"
    );
    assert!(stdout.contains("caf\u{FFFD} memo.txt"), "{stdout}");
    assert!(!stdout.contains("vanished"), "{stdout}");
    assert_eq!(m.docs().len(), 2);
    // Produce finds the file again under its real (non-UTF-8) name.
    m.cmd()
        .args([
            "tag",
            "DOC-000001",
            "--status",
            "produce",
            "--category",
            "1",
            "--filename",
            "cafe memo.txt",
        ])
        .assert()
        .success();
    let out = m
        .cmd()
        .args(["produce", "VOL001"])
        .timeout(GUARD)
        .output()
        .unwrap();
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(0), "{stdout}\n{stderr}");
    let docs = m.cmd().args(["docs"]).output().unwrap();
    let (stdout, _) = text(&docs);
    assert!(
        !stdout.contains('\u{1b}') && !stdout.contains('\u{7}'),
        "{stdout:?}"
    );
}

/// A one-page PDF whose page tree also lists `missing` pages that are not
/// in the file.
fn pdf_with_missing_pages(missing: usize) -> Vec<u8> {
    let kids: Vec<String> = (10..10 + missing).map(|i| format!("{i} 0 R")).collect();
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        format!(
            "<< /Type /Pages /Kids [4 0 R {}] /Count {} >>",
            kids.join(" "),
            missing + 1
        ),
        "<< /Length 0 >>\nstream\n\nendstream".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 3 0 R >>".to_string(),
    ];
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend(format!("{} 0 obj\n{o}\nendobj\n", i + 1).bytes());
    }
    let xref = pdf.len();
    pdf.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).bytes());
    for o in offsets {
        pdf.extend(format!("{o:010} 00000 n \n").bytes());
    }
    pdf.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .bytes(),
    );
    pdf
}

#[test]
fn a_page_tree_whose_pages_do_not_resolve_blocks_the_dry_run_and_produce() {
    let m = TestMatter::new("generic");
    let src = m.scratch("in");
    std::fs::write(src.join("bad.pdf"), pdf_with_missing_pages(200_000)).unwrap();
    m.cmd()
        .args(["ingest", src.to_str().unwrap()])
        .timeout(GUARD)
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
    for args in [
        &["produce", "VOL001", "--dry-run"][..],
        &["produce", "VOL001"][..],
    ] {
        let out = m.cmd().args(args).timeout(GUARD).output().unwrap();
        let (stdout, stderr) = text(&out);
        assert_eq!(out.status.code(), Some(1), "{args:?}\n{stdout}\n{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert!(
            format!("{stdout}{stderr}").contains("a page of the PDF cannot be read"),
            "{args:?}\n{stdout}\n{stderr}"
        );
    }
}

#[test]
fn a_docx_title_of_megabytes_is_kept_truncated_with_a_note() {
    use std::io::Read;
    let m = TestMatter::new("generic");
    let src = m.scratch("in");
    let fixture = std::fs::File::open(crate::util::fixtures().join("office/plain.docx")).unwrap();
    let mut from = zip::ZipArchive::new(fixture).unwrap();
    let mut parts: Vec<(String, Vec<u8>)> = Vec::new();
    for i in 0..from.len() {
        let mut f = from.by_index(i).unwrap();
        let name = f.name().unwrap().into_owned();
        let mut body = Vec::new();
        f.read_to_end(&mut body).unwrap();
        if name == "docProps/core.xml" {
            let text = String::from_utf8(body)
                .unwrap()
                .replace("Implementation Guidance", &"T".repeat(8 << 20));
            body = text.into_bytes();
        }
        parts.push((name, body));
    }
    let out = std::fs::File::create(src.join("long.docx")).unwrap();
    let mut zip = zip::ZipWriter::new(out);
    for (name, body) in parts {
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        zip.start_file(name, opts).unwrap();
        zip.write_all(&body).unwrap();
    }
    zip.finish().unwrap();
    let out = m
        .cmd()
        .args(["ingest", src.to_str().unwrap()])
        .timeout(GUARD)
        .output()
        .unwrap();
    expect(&out, 0, "");
    let title = m.docs()[0]["metadata"]["title"]
        .as_str()
        .unwrap_or_default()
        .len();
    assert!(
        (1000..=32 * 1024).contains(&title),
        "title of {title} bytes"
    );
    let show = m.cmd().args(["show", "DOC-000001"]).output().unwrap();
    let (stdout, _) = text(&show);
    assert!(
        stdout.contains("only its first 32 KiB were kept"),
        "{}",
        crate::util::text(&show).0.len()
    );
    let docs = m.cmd().args(["docs", "--format", "csv"]).output().unwrap();
    assert!(docs.stdout.len() < 100_000, "{} bytes", docs.stdout.len());
}

#[test]
fn an_index_of_many_broken_quotes_is_read_in_linear_time() {
    let dir = tempfile::tempdir().unwrap();
    let body = "ABC-000001,ABC-000001,\"broken\n".repeat(100_000);
    std::fs::write(
        dir.path().join("index.csv"),
        format!("BEGBATES,ENDBATES,TITLE\n{body}"),
    )
    .unwrap();
    let out = crate::util::adrec()
        .current_dir(dir.path())
        .args(["audit", ".", "--index", "index.csv", "--json"])
        .timeout(GUARD)
        .output()
        .unwrap();
    let (_, stderr) = text(&out);
    assert!(out.status.code().is_some_and(|c| c <= 2), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn show_escapes_control_characters_from_names_and_history() {
    let m = TestMatter::new("generic");
    let src = m.scratch("in");
    std::fs::write(src.join("bell\u{7}\u{1b}[2Jwipe\r.txt"), b"control name").unwrap();
    m.cmd()
        .args(["ingest", src.to_str().unwrap()])
        .timeout(GUARD)
        .assert()
        .success();
    m.cmd()
        .args(["tag", "DOC-000001", "--description", "see\u{1b}[31m red"])
        .assert()
        .success();
    let out = m.cmd().args(["show", "DOC-000001"]).output().unwrap();
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        !stdout.contains('\u{1b}') && !stdout.contains('\u{7}') && !stdout.contains('\r'),
        "{stdout:?}"
    );
    assert!(
        stdout.contains("bell\\u{7}\\u{1b}[2Jwipe\\u{d}.txt"),
        "{stdout}"
    );
    assert!(stdout.contains("see\\u{1b}[31m red"), "{stdout}");
    // JSON keeps the exact value (escaped by JSON itself).
    let shown = m.json(&["show", "DOC-000001"]);
    assert_eq!(shown["description"], "see\u{1b}[31m red");
}

#[test]
fn xls_with_one_far_cell_is_refused_not_allocated() {
    // tests/fixtures/sheets/far-cell.xls: written by xlwt, a header and one
    // cell at IV65536 (5.6 KB; calamine alone takes about 1 GB for it).
    let m = corpus();
    let far = crate::util::fixtures().join("sheets/far-cell.xls");
    let out = capped(
        &m.root,
        CAP_KIB,
        &["tag", "--from", far.to_str().unwrap(), "--dry-run"],
    );
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("2,000,000") && stderr.contains("IV65536"),
        "{stderr}"
    );
    // The ordinary XLS fixture still reads.
    let ok = crate::util::fixtures().join("sheets/tags.xls");
    let out = capped(
        &m.root,
        CAP_KIB,
        &["tag", "--from", ok.to_str().unwrap(), "--dry-run"],
    );
    let (_, stderr) = text(&out);
    assert!(!stderr.contains("2,000,000"), "{stderr}");
    let dir = volume_dir(&m);
    let out = audit_index(&dir, &far);
    let (_, stderr) = text(&out);
    assert!(!stderr.contains("memory allocation"), "{stderr}");
    assert!(
        out.status.code().is_some_and(|c| c == 1 || c == 2),
        "{stderr}"
    );
}

#[test]
fn a_reader_that_stops_reading_is_not_an_internal_error() {
    use std::io::{BufRead, BufReader};
    let m = TestMatter::new("generic");
    let src = m.scratch("in");
    for i in 0..3000 {
        std::fs::write(src.join(format!("{i:04}.txt")), format!("doc {i}")).unwrap();
    }
    m.cmd()
        .args(["ingest", src.to_str().unwrap()])
        .assert()
        .success();
    // `adrec docs --format csv | head -1`
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_adrec"))
        .current_dir(&m.root)
        .env_remove("ADREC_MATTER")
        .args(["docs", "--format", "csv"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(!first.is_empty());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("internal error") && !stderr.contains("panicked"),
        "{stderr}"
    );
    assert_eq!(out.status.code(), Some(0), "{stderr}");
}

#[test]
fn a_damaged_xls_found_by_fuzzing_is_an_input_error_not_a_panic() {
    // tests/fixtures/sheets/fuzz-damaged-cfb.xls: the `sheets` fuzz target's
    // first crash (calamine's compound-file reader sliced past its buffer).
    let m = corpus();
    let bad = crate::util::fixtures().join("sheets/fuzz-damaged-cfb.xls");
    let out = tag_from(&m, &bad);
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("damaged") && !stderr.contains("internal error"),
        "{stderr}"
    );
    refused_without_panic(&audit_index(&volume_dir(&m), &bad));
    // fuzz-damaged-record.xls: its second crash, inside calamine's record
    // parser (a sound compound file): caught, and said in the user's words.
    let bad = crate::util::fixtures().join("sheets/fuzz-damaged-record.xls");
    let out = tag_from(&m, &bad);
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("badly damaged") && !stderr.contains("internal error"),
        "{stderr}"
    );
    refused_without_panic(&audit_index(&volume_dir(&m), &bad));
}
