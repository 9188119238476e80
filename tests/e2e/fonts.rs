//! Issue 12: stamps in any script that no page can hide. Malformed, tiny,
//! huge, rotated and cropped pages with legends in six scripts, checked in
//! three independent readers (Poppler, MuPDF, Ghostscript).

use crate::util::*;
use std::path::Path;

/// One page of a fixture: boxes, rotation and its content streams.
struct Page {
    media: [f32; 4],
    crop: Option<[f32; 4]>,
    rotate: i64,
    contents: Vec<Vec<u8>>,
}

/// A PDF with a correct cross-reference table holding `pages`.
fn pdf(pages: &[Page]) -> Vec<u8> {
    let mut objects: Vec<Vec<u8>> = Vec::new();
    let font = 3;
    let mut kids = Vec::new();
    let mut next = 4;
    let mut page_objects = Vec::new();
    for p in pages {
        let page_id = next;
        next += 1;
        let mut content_ids = Vec::new();
        for c in &p.contents {
            content_ids.push(next);
            let mut s = format!("<< /Length {} >>\nstream\n", c.len()).into_bytes();
            s.extend_from_slice(c);
            s.extend_from_slice(b"\nendstream");
            page_objects.push((next, s));
            next += 1;
        }
        let b = |r: [f32; 4]| format!("[{} {} {} {}]", r[0], r[1], r[2], r[3]);
        let contents: Vec<String> = content_ids.iter().map(|i| format!("{i} 0 R")).collect();
        let crop = p
            .crop
            .map(|c| format!("/CropBox {}", b(c)))
            .unwrap_or_default();
        page_objects.push((
            page_id,
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox {} {crop} /Rotate {} /Resources << /Font << /F1 {font} 0 R >> >> /Contents [{}] >>",
                b(p.media),
                p.rotate,
                contents.join(" ")
            )
            .into_bytes(),
        ));
        kids.push(format!("{page_id} 0 R"));
    }
    objects.push(b"<< /Type /Catalog /Pages 2 0 R >>".to_vec());
    objects.push(
        format!(
            "<< /Type /Pages /Kids [{}] /Count {} >>",
            kids.join(" "),
            pages.len()
        )
        .into_bytes(),
    );
    objects.push(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec());
    page_objects.sort_by_key(|(id, _)| *id);
    objects.extend(page_objects.into_iter().map(|(_, o)| o));
    let mut out = b"%PDF-1.7\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n", i + 1).into_bytes());
        out.extend_from_slice(o);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).into_bytes());
    for o in offsets {
        out.extend(format!("{o:010} 00000 n \n").into_bytes());
    }
    out.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .into_bytes(),
    );
    out
}

const TEXT: &[u8] = b"BT /F1 12 Tf 72 700 Td (Original page text) Tj ET";

/// The malformed contents: an invalid operator first, an operator with too
/// few operands, unbalanced `Q` (and an unclosed degenerate `cm`), a
/// garbage stream in the middle of the content array.
fn broken_contents() -> Vec<Vec<Vec<u8>>> {
    vec![
        vec![[b"foo bar baz\n".as_slice(), TEXT].concat()],
        vec![[b"1 0 0 cm\n0 0 m l S\n/F1 Tf\n".as_slice(), TEXT].concat()],
        vec![[b"Q Q Q\n".as_slice(), TEXT, b"\nq 0 0 0 0 0 0 cm\nq 3 Tr"].concat()],
        vec![
            TEXT.to_vec(),
            b"\x00\xff((( << /BT [ ET ) \xfe\xfe".to_vec(),
            b"BT /F1 12 Tf 72 680 Td (after garbage) Tj ET".to_vec(),
        ],
    ]
}

/// Six pages: the four malformed ones on Letter, a 4 × 4 pt page and a
/// 200 × 200 inch page, each rotated by `rotate` and cropped when asked.
pub fn fixture(rotate: i64, cropped: bool) -> Vec<u8> {
    let mut pages: Vec<Page> = broken_contents()
        .into_iter()
        .map(|contents| Page {
            media: [0.0, 0.0, 612.0, 792.0],
            crop: cropped.then_some([36.0, 36.0, 576.0, 756.0]),
            rotate,
            contents,
        })
        .collect();
    pages.push(Page {
        media: [0.0, 0.0, 4.0, 4.0],
        crop: cropped.then_some([1.0, 1.0, 3.0, 3.0]),
        rotate,
        contents: vec![b"0 0 0 rg 0 0 4 4 re f".to_vec()],
    });
    pages.push(Page {
        media: [0.0, 0.0, 14400.0, 14400.0],
        crop: cropped.then_some([100.0, 100.0, 14000.0, 14000.0]),
        rotate,
        contents: vec![b"BT /F1 400 Tf 700 13000 Td (Huge page) Tj ET".to_vec()],
    });
    pdf(&pages)
}

/// Levels and legends in the six scripts of the issue.
const LEGENDS: [(&str, &str); 6] = [
    ("VN", "BẢO MẬT – Nguyễn Thị Ánh"),
    ("GR", "ΕΜΠΙΣΤΕΥΤΙΚΟ – Παπαδόπουλος"),
    ("RU", "КОНФИДЕНЦИАЛЬНО – Иванов"),
    ("ZH", "机密文件 仅供律师查阅"),
    ("AR", "سري للغاية"),
    ("HE", "סודי ביותר"),
];

const VARIANTS: [(i64, bool); 6] = [
    (0, false),
    (90, true),
    (180, false),
    (270, true),
    (0, true),
    (90, false),
];

struct Produced {
    m: TestMatter,
    /// (PDF path, legend, Bates numbers of its pages, source file name).
    files: Vec<(std::path::PathBuf, &'static str, Vec<String>, String)>,
}

fn produce_fixtures() -> Produced {
    let m = TestMatter::new("mpp-order");
    let config = m.root.join("adrec.toml");
    let mut toml = std::fs::read_to_string(&config).unwrap();
    for (name, legend) in LEGENDS {
        toml = toml.replace(
            "# The five court-ordered categories",
            &format!(
                "[[confidentiality.level]]\nname = \"{name}\"\nlegend = \"{legend}\"\n\n# The five court-ordered categories"
            ),
        );
    }
    std::fs::write(&config, toml).unwrap();
    let src = m.scratch("collected");
    for (i, (rotate, cropped)) in VARIANTS.iter().enumerate() {
        std::fs::write(
            src.join(format!("broken-{i}.pdf")),
            fixture(*rotate, *cropped),
        )
        .unwrap();
    }
    std::fs::copy(
        fixtures().join("office/plain.docx"),
        src.join("báo cáo 报告 تقرير.docx"),
    )
    .unwrap();
    m.cmd()
        .args([
            "ingest",
            "--custodian",
            "Nguyễn, Ánh",
            src.to_str().unwrap(),
        ])
        .assert()
        .success();
    for d in m.docs() {
        let id = d["docid"].as_str().unwrap();
        let path = d["path"].as_str().unwrap();
        let mut args = vec!["tag", id, "--status", "produce", "--category", "1"];
        if let Some(i) = path
            .strip_prefix("broken-")
            .and_then(|p| p.strip_suffix(".pdf"))
        {
            let i: usize = i.parse().unwrap();
            args.extend(["--confidentiality", LEGENDS[i].0]);
        }
        let out = m.cmd().args(&args).output().unwrap();
        assert!(out.status.success(), "{args:?}: {:?}", text(&out));
    }
    let dry = m
        .cmd()
        .args(["produce", "VOL001", "--dry-run"])
        .output()
        .unwrap();
    let (stdout, _) = text(&dry);
    assert!(stdout.contains("DejaVuSans (bundled)"), "{stdout}");
    assert!(stdout.contains("CJK"), "a CJK font is listed: {stdout}");
    m.cmd().args(["produce", "VOL001"]).assert().success();
    let vol = m.root.join("productions/VOL001");
    let index = read_csv(&vol.join("DATA/VOL001_index.csv"));
    let docs = m.docs();
    let mut files = Vec::new();
    for row in &index {
        let doc = docs
            .iter()
            .find(|d| d["docid"] == row["CONTROL_ID"].as_str())
            .unwrap();
        let path = doc["path"].as_str().unwrap();
        let legend = path
            .strip_prefix("broken-")
            .and_then(|p| p.strip_suffix(".pdf"))
            .map_or("", |i| LEGENDS[i.parse::<usize>().unwrap()].1);
        let beg: u64 = row["BEGBATES"]["DHS-MPP-".len()..].parse().unwrap();
        let end: u64 = row["ENDBATES"]["DHS-MPP-".len()..].parse().unwrap();
        let numbers = (beg..=end).map(|n| format!("DHS-MPP-{n:06}")).collect();
        files.push((
            vol.join(format!("IMAGES/0001/{}.pdf", row["BEGBATES"])),
            legend,
            numbers,
            path.to_string(),
        ));
    }
    Produced { m, files }
}

fn read_csv(path: &Path) -> Vec<std::collections::BTreeMap<String, String>> {
    let mut r = csv::Reader::from_path(path).unwrap();
    r.deserialize().map(|row| row.unwrap()).collect()
}

/// Each page's text in one reader, in page order.
fn pages_text(reader: &str, pdf: &Path, pages: usize, scratch: &Path) -> Vec<String> {
    let p = pdf.to_str().unwrap();
    match reader {
        "pdftotext" => tool("pdftotext", &[p, "-"])
            .split('\u{c}')
            .take(pages)
            .map(String::from)
            .collect(),
        "mutool" | "gs" => {
            let pattern = scratch.join(format!("{reader}-%d.txt"));
            let pattern = pattern.to_str().unwrap();
            if reader == "mutool" {
                tool("mutool", &["draw", "-q", "-F", "txt", "-o", pattern, p]);
            } else {
                let out = format!("-sOutputFile={pattern}");
                tool(
                    "gs",
                    &["-q", "-dNOPAUSE", "-dBATCH", "-sDEVICE=txtwrite", &out, p],
                );
            }
            (1..=pages)
                .map(|n| {
                    let f = scratch.join(format!("{reader}-{n}.txt"));
                    std::fs::read_to_string(&f).unwrap_or_default()
                })
                .collect()
        }
        _ => unreachable!(),
    }
}

#[test]
fn every_page_shows_its_bates_number_in_three_readers_and_every_script_comes_back() {
    let produced = produce_fixtures();
    let scratch = produced.m.scratch("readers");
    if let Some(keep) = std::env::var_os("ADREC_KEEP_FONT_TEST") {
        for (pdf, ..) in &produced.files {
            std::fs::copy(pdf, Path::new(&keep).join(pdf.file_name().unwrap())).unwrap();
        }
    }
    assert_eq!(produced.files.len(), 7);
    for (pdf, legend, numbers, _) in &produced.files {
        for reader in ["pdftotext", "mutool", "gs"] {
            let texts = pages_text(reader, pdf, numbers.len(), &scratch);
            for (n, number) in numbers.iter().enumerate() {
                let page = texts.get(n).map(String::as_str).unwrap_or("");
                assert!(
                    page.contains(number.as_str()),
                    "{reader}: page {} of {} does not show {number}: {page:?}",
                    n + 1,
                    pdf.display()
                );
            }
        }
        let text = tool("pdftotext", &[pdf.to_str().unwrap(), "-"]);
        for c in legend.chars().filter(|c| !c.is_whitespace()) {
            assert!(
                text.contains(c),
                "{}: {c:?} (U+{:04X}) of {legend:?} not extracted: {text:?}",
                pdf.display(),
                c as u32
            );
        }
        if legend.is_empty() {
            assert!(text.contains("báo cáo 报告"), "slip sheet name: {text:?}");
            assert!(text.contains("تقرير") || text.contains("ريرقت"), "{text:?}");
        }
    }
}

fn render(pdf: &Path, page: usize, prefix: &Path) -> (usize, usize, Vec<u8>) {
    let n = page.to_string();
    let p = prefix.to_str().unwrap();
    tool(
        "pdftoppm",
        &[
            "-gray",
            "-r",
            "40",
            "-f",
            &n,
            "-l",
            &n,
            "-singlefile",
            pdf.to_str().unwrap(),
            p,
        ],
    );
    let file = prefix.with_extension("pgm");
    let bytes = std::fs::read(&file).unwrap_or_else(|e| {
        panic!(
            "pdftoppm did not render page {n} of {} ({e})",
            pdf.display()
        )
    });
    std::fs::remove_file(file).unwrap();
    pgm(&bytes)
}

/// Rendered with pdftoppm, a stamped Letter page differs from its source
/// only in the bottom fifth as displayed, and does differ there.
#[test]
fn the_stamp_is_drawn_in_the_bottom_fifth_as_displayed() {
    let produced = produce_fixtures();
    let scratch = produced.m.scratch("render");
    let collected = produced.m.dir.path().join("collected");
    for (pdf, _, _, name) in produced.files.iter().filter(|f| !f.1.is_empty()) {
        let source = collected.join(name);
        // Pages 1-4 are the malformed Letter pages.
        for n in 1..=4 {
            let (w, h, before) = render(&source, n, &scratch.join("before"));
            let (w2, h2, after) = render(pdf, n, &scratch.join("after"));
            assert_eq!((w, h), (w2, h2), "{} page {n}: same size", pdf.display());
            let changed: Vec<usize> = before
                .iter()
                .zip(&after)
                .enumerate()
                .filter(|(_, (a, b))| a.abs_diff(**b) > 60)
                .map(|(k, _)| k / w)
                .collect();
            assert!(
                !changed.is_empty(),
                "{} page {n}: no stamp drawn",
                pdf.display()
            );
            assert!(
                changed.iter().all(|row| *row >= h * 4 / 5),
                "{} page {n}: drawn above the bottom fifth (row {:?} of {h})",
                pdf.display(),
                changed.iter().min()
            );
        }
    }
}

fn pgm(bytes: &[u8]) -> (usize, usize, Vec<u8>) {
    let mut fields = Vec::new();
    let mut i = 0;
    while fields.len() < 4 {
        while bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let start = i;
        while !bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        fields.push(String::from_utf8_lossy(&bytes[start..i]).into_owned());
    }
    let (w, h): (usize, usize) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
    (w, h, bytes[i + 1..].to_vec())
}

/// `[stamp] placement = "strip"`: every page grows a strip below its visible
/// box that carries the stamp; the page count is unchanged.
#[test]
fn strip_placement_adds_a_strip_below_every_page() {
    let m = TestMatter::new("mpp-order");
    let config = m.root.join("adrec.toml");
    let toml = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, format!("{toml}\n[stamp]\nplacement = \"strip\"\n")).unwrap();
    let src = m.scratch("collected");
    std::fs::write(src.join("rotated.pdf"), fixture(90, true)).unwrap();
    m.cmd()
        .args(["ingest", "--custodian", "Иванов", src.to_str().unwrap()])
        .assert()
        .success();
    let id = m.docs()[0]["docid"].as_str().unwrap().to_string();
    m.cmd()
        .args(["tag", &id, "--status", "produce", "--category", "1"])
        .assert()
        .success();
    m.cmd().args(["produce", "VOL001"]).assert().success();
    let pdf = m
        .root
        .join("productions/VOL001/IMAGES/0001/DHS-MPP-000001.pdf");
    let p = pdf.to_str().unwrap();
    let info = tool("pdfinfo", &["-f", "1", "-l", "6", p]);
    assert!(info.contains("Pages:           6"), "{info}");
    // Letter cropped to 540 x 720 and rotated 90: the strip below the displayed
    // page widens the page-space box (pdfinfo shows it unrotated).
    let size = info
        .lines()
        .find(|l| l.starts_with("Page    1 size:"))
        .unwrap_or_default()
        .to_string();
    let dims: Vec<f32> = size
        .split_whitespace()
        .filter_map(|w| w.parse().ok())
        .collect();
    assert!(
        dims.len() >= 3 && dims[1] > 540.0 && dims[2] >= 720.0,
        "{size}"
    );
    let text = tool("pdftotext", &[p, "-"]);
    for n in 1..=6 {
        assert!(text.contains(&format!("DHS-MPP-{n:06}")), "{text}");
    }
}

/// The sample record's native slip sheet carries a Vietnamese name, and the
/// demo's volume shows it exactly.
#[test]
fn the_demo_stamps_the_sample_records_non_latin_name() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("demo");
    adrec()
        .args(["demo", out.to_str().unwrap()])
        .assert()
        .success();
    let images = out.join("matter/productions/VOL001/IMAGES/0001");
    let found = std::fs::read_dir(&images)
        .unwrap()
        .map(|e| e.unwrap().path())
        .any(|p| tool("pdftotext", &[p.to_str().unwrap(), "-"]).contains("T. Nguyễn (CBP OFO)"));
    assert!(
        found,
        "no slip sheet in {} shows the name",
        images.display()
    );
}

/// Every PDF in the demo's volume embeds each font once (the SPEC: "embedded
/// once per file as a subset"): a slip sheet's text and its stamp share it.
/// So do the overlay's replacements, built in steps (slip sheet, padding
/// pages, stamp), each of which adds the font.
#[test]
fn every_font_is_embedded_once_per_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("demo");
    adrec()
        .args(["demo", out.to_str().unwrap()])
        .assert()
        .success();
    let volumes = out.join("matter/productions");
    let pdfs: Vec<_> = ["VOL001", "OVL001"]
        .iter()
        .flat_map(|v| std::fs::read_dir(volumes.join(v).join("IMAGES/0001")).unwrap())
        .map(|e| e.unwrap().path())
        .collect();
    assert!(pdfs.iter().any(|p| p.to_string_lossy().contains("OVL001")));
    let mut slips = 0;
    for pdf in pdfs {
        let listing = tool("pdffonts", &[pdf.to_str().unwrap()]);
        let ours: Vec<&str> = listing
            .lines()
            .skip(2)
            .filter_map(|l| l.split_whitespace().next())
            .filter(|name| name.contains("DejaVu") || name.contains("Noto"))
            .collect();
        let mut distinct = ours.clone();
        distinct.sort_unstable();
        distinct.dedup();
        assert_eq!(ours.len(), distinct.len(), "{}: {listing}", pdf.display());
        if tool("pdftotext", &[pdf.to_str().unwrap(), "-"]).contains("Control number") {
            slips += 1;
        }
    }
    assert!(slips > 0, "the demo's volume has slip sheets");
}

/// Slip-sheet text from adrec.toml (a privilege's name) that no font can
/// show stops the volume before anything is written, naming the document,
/// the field and the character.
#[test]
fn a_slip_sheet_line_no_font_can_show_names_the_document_and_character() {
    let m = TestMatter::new("mpp-order");
    let config = m.root.join("adrec.toml");
    let toml = std::fs::read_to_string(&config).unwrap().replace(
        "Attorney-client privilege",
        "Attorney-client privilege 律师",
    );
    std::fs::write(&config, toml).unwrap();
    let src = m.scratch("collected");
    std::fs::copy(
        fixtures().join("pdf/classic-3p.pdf"),
        src.join("advice.pdf"),
    )
    .unwrap();
    m.cmd()
        .args(["ingest", "--custodian", "OGC", src.to_str().unwrap()])
        .assert()
        .success();
    let id = m.docs()[0]["docid"].as_str().unwrap().to_string();
    let out = m
        .cmd()
        .args([
            "tag",
            &id,
            "--status",
            "withhold",
            "--category",
            "5",
            "--privilege",
            "AC",
            "--description",
            "Legal advice",
            "--doc-date",
            "2023-01-15",
            "--doc-type",
            "Memo",
            "--author",
            "OGC",
            "--recipients",
            "PLCY",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{:?}", text(&out));
    let empty = tempfile::tempdir().unwrap();
    let out = m
        .cmd()
        .env("ADREC_FONT_DIRS", empty.path())
        .args(["produce", "VOL001"])
        .output()
        .unwrap();
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(&id) && stderr.contains("slip-sheet line") && stderr.contains("U+5F8B"),
        "{stderr}"
    );
    assert!(!m.root.join("productions/VOL001").exists());
    // With the machine's fonts (Noto CJK installed by .ci/run) it is produced.
    m.cmd().args(["produce", "VOL001"]).assert().success();
}
