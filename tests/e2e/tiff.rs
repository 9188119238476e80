//! Issue 17: single-page TIFF productions (`[production] images = "tiff"`).
//! Images are checked with libtiff's `tiffinfo`, opened with Pillow, and
//! compared pixel by pixel with Poppler's `pdftoppm -r 300 -mono` of the
//! same stamped PDF (the volume produced with `images = "pdf"`); the OPT and
//! LFP are parsed back here and tied to the DAT's ranges.

use crate::produce::{Tagged, read_dat, tagged_matter};
use crate::util::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Switches the matter's images (and colour policy) in its adrec.toml.
pub fn set_images(m: &TestMatter, lines: &str) {
    let path = m.root.join("adrec.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let anchor = "dedupe = \"global\"\n";
    assert!(text.contains(anchor), "the template sets dedupe");
    std::fs::write(&path, text.replace(anchor, &format!("{anchor}{lines}\n"))).unwrap();
}

pub fn produce(m: &TestMatter, volume: &str) -> std::process::Output {
    m.cmd()
        .args(["produce", volume, "--date", "2024-04-19"])
        .output()
        .unwrap()
}

fn files_in(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap();
            (
                rel.to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// True when `name` runs; tests that need it skip (saying so) only when it
/// is not installed here. `.ci/run` installs every one of them.
pub fn have(name: &str, arg: &str) -> bool {
    let ok = Command::new(name)
        .arg(arg)
        .output()
        .is_ok_and(|o| o.status.success() || !o.stderr.is_empty() || !o.stdout.is_empty());
    if !ok {
        eprintln!(
            "note: `{name}` is not installed; this check is skipped here (.ci/run installs it)"
        );
    }
    ok
}

/// A Python with Pillow: `python3` on the PATH, else the system's own
/// (apt's python3-pil is for it, and a PATH may put another Python first,
/// as pyenv does).
pub fn pillow_python() -> Option<&'static str> {
    let found = ["python3", "/usr/bin/python3"].into_iter().find(|py| {
        Command::new(py)
            .args(["-c", "import PIL"])
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    });
    if found.is_none() {
        eprintln!(
            "note: python3 with Pillow is not installed; this check is skipped here (.ci/run installs python3-pil)"
        );
    }
    found
}

/// A TIFF volume of the tagged record: PDFs (one redacted, one with a
/// legend, one owner-encrypted), natives with slip sheets, a withheld slip.
fn tiff_volume(extra: &str) -> (Tagged, PathBuf) {
    let t = tagged_matter();
    set_images(&t.m, &format!("images = \"tiff\"\n{extra}"));
    let out = produce(&t.m, "VOL001");
    assert!(out.status.success(), "{:?}", text(&out));
    let (stdout, _) = text(&out);
    assert!(stdout.contains("CCITT Group IV TIFF"), "{stdout}");
    let vol = t.m.root.join("productions/VOL001");
    (t, vol)
}

/// OPT lines as (key, path, doc break, page count).
fn read_opt(bytes: &[u8]) -> Vec<(String, String, bool, String)> {
    let text = std::str::from_utf8(bytes).unwrap();
    assert!(text.ends_with("\r\n"), "the OPT ends with CRLF");
    text.split_terminator("\r\n")
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            assert_eq!(f.len(), 7, "seven fields: {l}");
            assert_eq!(f[1], "VOL001");
            (f[0].into(), f[2].into(), f[3] == "Y", f[6].into())
        })
        .collect()
}

/// LFP `IM` records as (key, doc break, path inside the volume, type).
fn read_lfp(bytes: &[u8]) -> Vec<(String, bool, String, String)> {
    let text = std::str::from_utf8(bytes).unwrap();
    assert!(text.ends_with("\r\n"), "the LFP ends with CRLF");
    text.split_terminator("\r\n")
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            assert_eq!(f.len(), 5, "IM,key,boundary,offset,location: {l}");
            assert_eq!((f[0], f[3]), ("IM", "0"), "{l}");
            let loc: Vec<&str> = f[4].strip_prefix("@VOL001;").unwrap().split(';').collect();
            assert_eq!(loc.len(), 3, "{l}");
            (
                f[1].into(),
                f[2] == "D",
                format!("{}\\{}", loc[0], loc[1]),
                loc[2].into(),
            )
        })
        .collect()
}

/// One TIFF volume of the tagged record, checked every way; a second one
/// made from scratch is byte-identical, and `adrec audit` finds it clean.
#[test]
fn tiff_volume_is_tied_to_the_dat_readable_repeatable_and_audits_clean() {
    let (t1, vol1) = tiff_volume("");
    check_cross_references(&vol1);
    check_images(&vol1);
    let (_t2, vol2) = tiff_volume("");
    let (a, b) = (files_in(&vol1), files_in(&vol2));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (name, bytes) in &a {
        assert!(bytes == &b[name], "{name} differs between two runs");
    }
    let out =
        t1.m.cmd()
            .args(["audit", vol1.to_str().unwrap()])
            .output()
            .unwrap();
    assert!(
        out.status.success(),
        "audit of a TIFF volume is clean: {:?}",
        text(&out)
    );
}

/// The OPT and LFP parsed back: one line per page of every DAT range, each
/// naming that page's own image, which is in the volume and in SHA256SUMS.
fn check_cross_references(vol: &Path) {
    let files = files_in(vol);
    let dat = read_dat(&files["DATA/VOL001.dat"]);
    let opt = read_opt(&files["DATA/VOL001.opt"]);
    let lfp = read_lfp(&files["DATA/VOL001.lfp"]);
    assert!(
        !files.keys().any(|f| f.ends_with(".pdf")),
        "no PDF in a TIFF volume"
    );
    // Every DAT range, page by page, in both cross-references.
    let bates = |s: &str| -> u64 { s.trim_start_matches("DHS-MPP-").parse().unwrap() };
    let mut expected = Vec::new();
    for row in &dat {
        let (beg, end) = (bates(&row["BEGBATES"]), bates(&row["ENDBATES"]));
        assert_eq!((end - beg + 1).to_string(), row["PGCOUNT"]);
        for (k, n) in (beg..=end).enumerate() {
            expected.push((format!("DHS-MPP-{n:06}"), k == 0, row["PGCOUNT"].clone()));
        }
        let first = format!("DHS-MPP-{beg:06}");
        let link = &row["IMAGELINK"];
        assert!(
            link == &format!("VOL001\\IMAGES\\0001\\{first}.tif")
                || link == &format!("VOL001\\IMAGES\\0001\\{first}.jpg"),
            "IMAGELINK names the first page's image: {link}"
        );
        // PRODUCED_SHA256 of an imaged document is its first image's hash.
        if row["NATIVELINK"].is_empty() && row["TREATMENT"] != "Withheld" {
            let rel = link.trim_start_matches("VOL001\\").replace('\\', "/");
            assert_eq!(row["PRODUCED_SHA256"], sha256(&files[&rel]));
        }
    }
    assert!(expected.len() >= 8, "a real spread of pages");
    assert_eq!(opt.len(), expected.len());
    assert_eq!(lfp.len(), expected.len());
    let sums = String::from_utf8(files["SHA256SUMS"].clone()).unwrap();
    for (((key, start, count), o), l) in expected.iter().zip(&opt).zip(&lfp) {
        assert_eq!(&o.0, key);
        assert_eq!(o.2, *start, "{key}");
        assert_eq!(o.3, if *start { count.clone() } else { String::new() });
        assert_eq!((&l.0, l.1), (key, *start));
        // Each line names the page's own file, which is in the volume.
        let ext = if l.3 == "2" { "tif" } else { "jpg" };
        assert!(["2", "4"].contains(&l.3.as_str()), "{l:?}");
        assert_eq!(l.2, format!("IMAGES\\0001\\{key}.{ext}"));
        assert_eq!(o.1, format!("VOL001\\{}", l.2));
        let rel = l.2.replace('\\', "/");
        assert!(files.contains_key(&rel), "{rel} is in the volume");
        assert!(
            sums.contains(&format!("{}  {rel}\n", sha256(&files[&rel]))),
            "{rel} in SHA256SUMS"
        );
    }
    let images: Vec<&String> = files.keys().filter(|f| f.starts_with("IMAGES/")).collect();
    assert_eq!(
        images.len(),
        expected.len(),
        "one image per page, nothing else"
    );
    let manifest = String::from_utf8(files["DATA/VOL001_manifest.json"].clone()).unwrap();
    assert!(manifest.contains("CCITT Group IV TIFF"), "{manifest}");
    assert!(!manifest.contains("not written"), "{manifest}");
    if have("sha256sum", "--version") {
        let out = Command::new("sha256sum")
            .args(["-c", "--quiet", "SHA256SUMS"])
            .current_dir(vol)
            .output()
            .unwrap();
        assert!(out.status.success(), "{:?}", text(&out));
    }
}

fn sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// `tiffinfo` shows one Group 4 page at 300 dpi in every TIFF; Pillow
/// opens every image.
fn check_images(vol: &Path) {
    let images: Vec<PathBuf> = files_in(vol)
        .keys()
        .filter(|f| f.starts_with("IMAGES/"))
        .map(|f| vol.join(f))
        .collect();
    let tiffs: Vec<&PathBuf> = images
        .iter()
        .filter(|p| p.extension().unwrap() == "tif")
        .collect();
    assert!(tiffs.len() >= 8, "{images:?}");
    if have("tiffinfo", "-h") {
        for tif in &tiffs {
            let info = tool("tiffinfo", &[tif.to_str().unwrap()]);
            assert_eq!(
                info.matches("TIFF Directory at offset").count(),
                1,
                "one page: {info}"
            );
            assert!(info.contains("Compression Scheme: CCITT Group 4"), "{info}");
            assert!(info.contains("Resolution: 300, 300 pixels/inch"), "{info}");
            assert!(info.contains("Bits/Sample: 1"), "{info}");
            assert!(
                info.contains("Photometric Interpretation: min-is-white"),
                "{info}"
            );
        }
    }
    if let Some(python) = pillow_python() {
        let script = "import sys\nfrom PIL import Image\nfor f in sys.argv[1:]:\n    im = Image.open(f)\n    im.load()\n    print(f, im.format, im.mode, im.size[0], im.size[1], round(im.info['dpi'][0]), getattr(im, 'n_frames', 1))\n";
        let mut args = vec!["-c", script];
        args.extend(images.iter().map(|p| p.to_str().unwrap()));
        let out = Command::new(python).args(&args).output().unwrap();
        assert!(
            out.status.success(),
            "Pillow opens every image: {:?}",
            text(&out)
        );
        let listing = String::from_utf8(out.stdout).unwrap();
        assert_eq!(listing.lines().count(), images.len());
        for line in listing.lines() {
            let f: Vec<&str> = line.split(' ').collect();
            let (format, mode, dpi, frames) = (f[1], f[2], f[5], f[6]);
            let tif = f[0].ends_with(".tif");
            assert_eq!(
                (format, mode),
                if tif { ("TIFF", "1") } else { ("JPEG", "RGB") },
                "{line}"
            );
            assert_eq!((dpi, frames), ("300", "1"), "{line}");
        }
    }
}

/// A matter of a highlighted memo (colour) and a plain one, as images.
fn colour_volume(colour: &str) -> BTreeMap<String, Vec<u8>> {
    let m = TestMatter::new("mpp-order");
    let src = m.scratch("collected");
    std::fs::copy(
        fixtures().join("text/cover_ok_highlight.pdf"),
        src.join("a-highlighted.pdf"),
    )
    .unwrap();
    std::fs::copy(
        fixtures().join("text/rl_standard.pdf"),
        src.join("b-plain.pdf"),
    )
    .unwrap();
    m.cmd()
        .args(["ingest", src.to_str().unwrap()])
        .assert()
        .success();
    for id in ["DOC-000001", "DOC-000002"] {
        m.cmd()
            .args(["tag", id, "--status", "produce", "--category", "1"])
            .assert()
            .success();
    }
    set_images(&m, &format!("images = \"tiff\"\ncolour = \"{colour}\""));
    let out = produce(&m, "VOL001");
    assert!(out.status.success(), "{:?}", text(&out));
    files_in(&m.root.join("productions/VOL001"))
}

#[test]
fn colour_auto_writes_a_colour_page_as_jpeg_and_never_as_tiff() {
    let auto = colour_volume("auto");
    let lfp = String::from_utf8(auto["DATA/VOL001.lfp"].clone()).unwrap();
    // The highlighted page is DHS-MPP-000001; the plain pages stay bilevel.
    let first = lfp.lines().next().unwrap();
    assert_eq!(
        first,
        "IM,DHS-MPP-000001,D,0,@VOL001;IMAGES\\0001;DHS-MPP-000001.jpg;4"
    );
    assert!(lfp.lines().skip(1).all(|l| l.ends_with(".tif;2")), "{lfp}");
    let jpeg = &auto["IMAGES/0001/DHS-MPP-000001.jpg"];
    assert_eq!(&jpeg[..3], &[0xFF, 0xD8, 0xFF], "a JPEG");
    let opt = String::from_utf8(auto["DATA/VOL001.opt"].clone()).unwrap();
    assert!(
        opt.starts_with("DHS-MPP-000001,VOL001,VOL001\\IMAGES\\0001\\DHS-MPP-000001.jpg,Y,,,1\r\n"),
        "{opt}"
    );
    let never = colour_volume("never");
    assert!(never.contains_key("IMAGES/0001/DHS-MPP-000001.tif"));
    assert!(!never.keys().any(|f| f.ends_with(".jpg")));
    let lfp = String::from_utf8(never["DATA/VOL001.lfp"].clone()).unwrap();
    assert!(lfp.lines().all(|l| l.ends_with(";2")), "{lfp}");
}

#[test]
fn unknown_image_settings_are_input_errors_naming_the_key() {
    for (line, key, expected) in [
        ("images = \"png\"", "images", "`pdf`"),
        ("colour = \"sometimes\"", "colour", "`never`"),
    ] {
        let t = tagged_matter();
        set_images(&t.m, line);
        let before = t.m.state();
        let out = produce(&t.m, "VOL001");
        let (_, err) = text(&out);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(err.contains(key) && err.contains(expected), "{err}");
        assert_eq!(t.m.state(), before);
        assert!(!t.m.root.join("productions/VOL001").exists());
    }
}

/// A one-page PDF whose only content is a JPEG image with damaged data:
/// the stamper copies it unread, the renderer cannot decode it.
fn pdf_with_broken_image() -> Vec<u8> {
    let content = b"q 400 0 0 300 100 400 cm /Im1 Do Q";
    let objects: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /XObject << /Im1 5 0 R >> >> /Contents 4 0 R >>".to_vec(),
        [format!("<< /Length {} >>\nstream\n", content.len()).as_bytes(), content, b"\nendstream"].concat(),
        [&b"<< /Type /XObject /Subtype /Image /Width 64 /Height 48 /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode /Length 24 >>\nstream\n"[..], &[0x42u8; 24][..], b"\nendstream"].concat(),
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

#[test]
fn a_page_the_renderer_cannot_draw_blocks_the_document() {
    let m = TestMatter::new("mpp-order");
    let src = m.scratch("collected");
    std::fs::write(src.join("scan.pdf"), pdf_with_broken_image()).unwrap();
    std::fs::copy(fixtures().join("pdf/classic-3p.pdf"), src.join("memo.pdf")).unwrap();
    m.cmd()
        .args(["ingest", src.to_str().unwrap()])
        .assert()
        .success();
    for id in ["DOC-000001", "DOC-000002"] {
        m.cmd()
            .args(["tag", id, "--status", "produce", "--category", "1"])
            .assert()
            .success();
    }
    // As a PDF volume the page goes out as it is; as images it cannot.
    let pdf = m
        .cmd()
        .args(["produce", "VOL001", "--dry-run"])
        .output()
        .unwrap();
    assert!(pdf.status.success(), "{:?}", text(&pdf));
    set_images(&m, "images = \"tiff\"");
    let before = m.state();
    let out = produce(&m, "VOL001");
    let (_, err) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    let scan = m
        .docs()
        .into_iter()
        .find(|d| d["path"] == "scan.pdf")
        .unwrap()["docid"]
        .as_str()
        .unwrap()
        .to_string();
    let line = err
        .lines()
        .find(|l| l.contains(&scan))
        .unwrap_or_else(|| panic!("{err}"));
    assert!(line.contains("page 1 (DHS-MPP-"), "{line}");
    assert!(line.contains("cannot be decoded"), "{line}");
    assert!(line.contains("images = \"pdf\""), "says what to do: {line}");
    assert_eq!(m.state(), before, "nothing recorded");
    assert!(!m.root.join("productions/VOL001").exists());
}

/// A CJK font the PDF does not embed, with no CJK font installed: hayro
/// would draw the page without that text, so the page is a blocker.
#[test]
fn cjk_text_without_an_installed_font_blocks_the_page() {
    let m = TestMatter::new("mpp-order");
    let src = m.scratch("collected");
    std::fs::copy(fixtures().join("text/mu_cjk.pdf"), src.join("cjk.pdf")).unwrap();
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
    set_images(&m, "images = \"tiff\"");
    let no_fonts = m.scratch("no-fonts");
    let out = m
        .cmd()
        .args(["produce", "VOL001", "--date", "2024-04-19"])
        .env("ADREC_FONT_DIRS", &no_fonts)
        .output()
        .unwrap();
    let (_, err) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("DOC-000001: page 1 (DHS-MPP-000001)"), "{err}");
    assert!(err.contains("no CJK font is installed"), "{err}");
    assert!(!m.root.join("productions/VOL001").exists());
}

/// A TIFF volume is all or nothing under `kill -9` like any volume: killed
/// at random moments of its produce, the matter shows either no volume and
/// no number consumed, or the whole volume, byte-identical to an
/// uninterrupted run. (10 trials; `ADREC_KILL_TRIALS` sets more.)
#[test]
fn a_tiff_volume_is_all_or_nothing_under_sigkill() {
    let t = tagged_matter();
    set_images(&t.m, "images = \"tiff\"\n");
    let args = ["produce", "VOL001", "--date", "2024-04-19"];
    kill_trials(
        &t.m,
        &args,
        "VOL001",
        10,
        |_| {},
        |trial| {
            assert!(
                files_in(&trial.dir.join("productions/VOL001")) == files_in(trial.reference),
                "trial {}: the volume differs from an uninterrupted run",
                trial.n
            );
        },
    );
}
