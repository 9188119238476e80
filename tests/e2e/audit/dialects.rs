//! Image cross-references as other tools write them: Opticon OPT lines with
//! 5 or 6 fields, IPRO LFP and Summation DII beside single- and multi-page
//! Group IV TIFFs (tests/fixtures/tiff, made with Pillow).

use crate::audit_util::*;
use std::path::Path;

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn standard() -> ProduceVolume {
    ProduceVolume::standard("VOL001", 1, 1, 1, false)
}

/// Cuts every line of the volume's OPT to its first `n` fields.
fn cut_opt(vol: &Path, n: usize) {
    let opt = vol.join("DATA/VOL001.opt");
    let text = std::fs::read_to_string(&opt).unwrap();
    let lines: Vec<String> = text
        .lines()
        .map(|l| l.split(',').take(n).collect::<Vec<_>>().join(","))
        .collect();
    std::fs::write(&opt, lines.join("\r\n") + "\r\n").unwrap();
    resum(vol);
}

fn notes(json: &serde_json::Value) -> Vec<String> {
    json["volumes"][0]["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn opt_with_five_field_lines_audits_clean_with_one_note() {
    for n in [5, 6] {
        let tmp = tempfile::tempdir().unwrap();
        let vol = standard().write(tmp.path());
        cut_opt(&vol, n);
        let (code, json, err) = audit_json(&[s(&vol)]);
        assert_eq!(code, 0, "{n} fields: {err}\n{json:#}");
        let short: Vec<String> = notes(&json)
            .into_iter()
            .filter(|t| t.contains("fields instead of 7"))
            .collect();
        assert_eq!(
            short,
            vec![format!(
                "VOL001/DATA/VOL001.opt: 7 line(s) have {n} fields instead of 7 (first at line 1); the missing fields were read as empty"
            )],
            "{json:#}"
        );
    }
}

#[test]
fn opt_with_five_field_lines_still_reports_a_missing_document_break_once() {
    let tmp = tempfile::tempdir().unwrap();
    let vol = standard().write(tmp.path());
    cut_opt(&vol, 5);
    edit(
        &vol.join("DATA/VOL001.opt"),
        "DHS-MPP-000004.pdf,Y,",
        "DHS-MPP-000004.pdf,,",
    );
    resum(&vol);
    let (code, json, _) = audit_json(&[s(&vol)]);
    assert_eq!(code, 1);
    let f = only(&json, "OPT_MISMATCH");
    assert_eq!(
        f["message"],
        "DHS-MPP-000004, the first page of DHS-MPP-000004, has no `Y` document break (VOL001/DATA/VOL001.opt line 4)."
    );
}

#[test]
fn opt_lines_of_four_or_eight_fields_are_each_one_finding() {
    let tmp = tempfile::tempdir().unwrap();
    let vol = standard().write(tmp.path());
    let opt = vol.join("DATA/VOL001.opt");
    let text = std::fs::read_to_string(&opt).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    // Line 4 (a one-page document) loses its last three fields; line 7 gains one.
    lines[3] = lines[3].split(',').take(4).collect::<Vec<_>>().join(",");
    lines[6].push_str(",X");
    std::fs::write(&opt, lines.join("\r\n") + "\r\n").unwrap();
    resum(&vol);
    let (code, json, _) = audit_json(&[s(&vol)]);
    assert_eq!(code, 1);
    let found = with_code(&json, "OPT_MISMATCH");
    assert_eq!(found.len(), codes(&json).len(), "{json:#}");
    let lines: Vec<u64> = found
        .iter()
        .map(|f| f["location"]["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, vec![4, 7], "{json:#}");
}

/// TIF001: a TIFF production as review platforms export it — a DAT without
/// links but with family columns (the second document is the first's
/// attachment), single-page Group IV TIFFs for two documents and one
/// three-frame TIFF for the third, a TEXT folder, and the images
/// cross-referenced by an OPT and an IPRO LFP (or, with `dii`, a Summation
/// DII alone).
fn tiff_production(parent: &Path, dii: bool) -> std::path::PathBuf {
    let root = parent.join("TIF001");
    let key = |n: u64| format!("TIF{n:07}");
    // (first number, pages, one multi-page file?)
    let docs = [(1u64, 3u64, false), (4, 1, false), (5, 3, true)];
    let mut rows = Vec::new();
    let (mut opt, mut lfp, mut dii_text) = (
        String::new(),
        String::new(),
        String::from("@FULLTEXT DOC\r\n"),
    );
    for (first, pages, multi) in docs {
        let last = first + pages - 1;
        // (family first, family last, parent)
        let (fa, fb, parent) = match first {
            1 => (1, 4, String::new()),
            4 => (1, 4, key(1)),
            _ => (first, last, String::new()),
        };
        rows.push(vec![
            key(first),
            key(last),
            pages.to_string(),
            format!("DOC-{first}"),
            key(fa),
            key(fb),
            parent,
        ]);
        write(
            &root.join(format!("TEXT/001/{}.txt", key(first))),
            format!("text of {}", key(first)).as_bytes(),
        );
        dii_text.push_str(&format!(
            "@T {}\r\n@C PGCOUNT {pages}\r\n@D @I\\IMAGES\\001\r\n",
            key(first)
        ));
        if multi {
            write(
                &root.join(format!("IMAGES/001/{}.tif", key(first))),
                &tiff_three_pages(),
            );
            dii_text.push_str(&format!("{}.tif\r\n", key(first)));
        }
        for k in 0..pages {
            let n = first + k;
            let file = if multi { key(first) } else { key(n) };
            if !multi {
                write(&root.join(format!("IMAGES/001/{file}.tif")), &tiff_page());
                dii_text.push_str(&format!("{file}.tif\r\n"));
            }
            let (y, count) = if k == 0 {
                ("Y", pages.to_string())
            } else {
                ("", String::new())
            };
            opt.push_str(&format!(
                "{},TIF001,IMAGES\\001\\{file}.tif,{y},,,{count}\r\n",
                key(n)
            ));
            let (d, offset) = (if k == 0 { "D" } else { "" }, if multi { k + 1 } else { 0 });
            lfp.push_str(&format!(
                "IM,{},{d},{offset},@TIF001;IMAGES\\001;{file}.tif;2\r\n",
                key(n)
            ));
        }
    }
    write(
        &root.join("DATA/TIF001.dat"),
        &dat(
            &[
                "BEGBATES",
                "ENDBATES",
                "PGCOUNT",
                "DOCID",
                "BEGATTACH",
                "ENDATTACH",
                "PARENTID",
            ],
            &rows,
            Enc::Utf8Bom,
            'þ',
        ),
    );
    if dii {
        write(&root.join("DATA/TIF001.dii"), dii_text.as_bytes());
    } else {
        write(&root.join("DATA/TIF001.opt"), opt.as_bytes());
        write(&root.join("DATA/TIF001.lfp"), lfp.as_bytes());
    }
    resum(&root);
    root
}

#[test]
fn tiff_production_with_opt_and_lfp_audits_clean_naming_both() {
    let tmp = tempfile::tempdir().unwrap();
    let vol = tiff_production(tmp.path(), false);
    let (code, json, err) = audit_json(&[s(&vol)]);
    assert_eq!(code, 0, "{err}\n{json:#}");
    let v = &json["volumes"][0];
    assert_eq!(v["opt"]["format"], "Opticon OPT");
    assert_eq!(v["opt"]["path"], "TIF001/DATA/TIF001.opt");
    assert_eq!(v["cross_references"][0]["format"], "IPRO LFP");
    assert_eq!(v["cross_references"][0]["records"], 7);
    assert_eq!(v["index"]["columns"]["PARENT"], "PARENTID");
    let (code, out, _) = audit_text(&[s(&vol)]);
    assert_eq!(code, 0);
    assert!(out.contains("TIF001/DATA/TIF001.lfp (IPRO LFP"), "{out}");
}

#[test]
fn lfp_first_page_without_a_d_boundary_is_one_finding() {
    let tmp = tempfile::tempdir().unwrap();
    let vol = tiff_production(tmp.path(), false);
    edit(
        &vol.join("DATA/TIF001.lfp"),
        "IM,TIF0000004,D,",
        "IM,TIF0000004,,",
    );
    resum(&vol);
    let (code, json, _) = audit_json(&[s(&vol)]);
    assert_eq!(code, 1);
    let f = only(&json, "OPT_MISMATCH");
    assert_eq!(
        f["message"],
        "TIF0000004, the first page of TIF0000004, has no `D` document break (TIF001/DATA/TIF001.lfp line 4)."
    );
}

#[test]
fn a_multi_page_tiff_with_a_frame_too_few_is_one_page_mismatch() {
    let tmp = tempfile::tempdir().unwrap();
    let vol = tiff_production(tmp.path(), false);
    // Two frames where the range covers three.
    let bytes = tiff_three_pages();
    let two = truncate_tiff_chain(&bytes, 2);
    std::fs::write(vol.join("IMAGES/001/TIF0000005.tif"), &two).unwrap();
    resum(&vol);
    let (code, json, _) = audit_json(&[s(&vol)]);
    assert_eq!(code, 1);
    let f = only(&json, "PAGE_MISMATCH");
    assert_eq!(
        f["message"],
        "TIF0000005 – TIF0000007 covers 3 numbers but `TIF001/IMAGES/001/TIF0000005.tif` has 2 pages."
    );
}

#[test]
fn a_missing_page_tiff_is_one_missing_file_naming_the_opt_and_lfp_lines() {
    let tmp = tempfile::tempdir().unwrap();
    let vol = tiff_production(tmp.path(), false);
    std::fs::remove_file(vol.join("IMAGES/001/TIF0000002.tif")).unwrap();
    let (code, json, _) = audit_json(&[s(&vol)]);
    assert_eq!(code, 1);
    let f = only(&json, "MISSING_FILE");
    let line = 1 + std::fs::read_to_string(vol.join("SHA256SUMS"))
        .unwrap()
        .lines()
        .position(|l| l.ends_with("TIF0000002.tif"))
        .unwrap();
    assert_eq!(
        f["message"],
        format!(
            "`IMAGES\\001\\TIF0000002.tif`, the image of TIF0000001 – TIF0000003 in TIF001/DATA/TIF001.opt line 2, is not in the folder (also named by TIF001/DATA/TIF001.lfp line 2 and TIF001/SHA256SUMS line {line})."
        )
    );
}

#[test]
fn summation_dii_production_audits_clean_and_its_defects_are_found() {
    let tmp = tempfile::tempdir().unwrap();
    let vol = tiff_production(tmp.path(), true);
    let (code, json, err) = audit_json(&[s(&vol)]);
    assert_eq!(code, 0, "{err}\n{json:#}");
    assert_eq!(json["volumes"][0]["opt"]["format"], "Summation DII");
    // A page count that disagrees with the range, and a page dropped.
    edit(&vol.join("DATA/TIF001.dii"), "@C PGCOUNT 1", "@C PGCOUNT 2");
    edit(&vol.join("DATA/TIF001.dii"), "TIF0000003.tif\r\n", "");
    std::fs::remove_file(vol.join("IMAGES/001/TIF0000003.tif")).unwrap();
    resum(&vol);
    let (code, json, _) = audit_json(&[s(&vol)]);
    assert_eq!(code, 1);
    let msgs: Vec<String> = findings(&json)
        .iter()
        .map(|f| {
            format!(
                "{} {}",
                f["code"].as_str().unwrap(),
                f["message"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        msgs,
        vec![
            // The page is neither imaged nor listed: one finding, not also a PAGE_MISMATCH.
            "OPT_MISMATCH TIF0000003 of TIF0000001 – TIF0000003 has no line in TIF001/DATA/TIF001.dii, and no image: the document's images hold 2 pages.".to_string(),
            "OPT_MISMATCH TIF001/DATA/TIF001.dii line 10 gives TIF0000004 a page count of 2, but TIF0000004 covers 1.".to_string(),
        ],
        "{json:#}"
    );
}

#[test]
fn an_lfp_or_dii_given_as_opt_is_read_in_its_dialect() {
    let tmp = tempfile::tempdir().unwrap();
    let vol = tiff_production(tmp.path(), false);
    let lfp = tmp.path().join("images.txt");
    std::fs::rename(vol.join("DATA/TIF001.lfp"), &lfp).unwrap();
    std::fs::remove_file(vol.join("DATA/TIF001.opt")).unwrap();
    resum(&vol);
    let (code, json, err) = audit_json(&[s(&vol), "--opt", s(&lfp)]);
    assert_eq!(code, 0, "{err}\n{json:#}");
    assert_eq!(json["volumes"][0]["opt"]["format"], "IPRO LFP");
}

/// The TIFF with only its first `n` directories: the n-th's link set to 0.
fn truncate_tiff_chain(bytes: &[u8], n: usize) -> Vec<u8> {
    let mut out = bytes.to_vec();
    let u32_at =
        |b: &[u8], at: usize| u32::from_le_bytes(b[at..at + 4].try_into().unwrap()) as usize;
    let mut ifd = u32_at(&out, 4);
    for _ in 1..n {
        let entries = u16::from_le_bytes(out[ifd..ifd + 2].try_into().unwrap()) as usize;
        ifd = u32_at(&out, ifd + 2 + 12 * entries);
    }
    let entries = u16::from_le_bytes(out[ifd..ifd + 2].try_into().unwrap()) as usize;
    let link = ifd + 2 + 12 * entries;
    out[link..link + 4].copy_from_slice(&0u32.to_le_bytes());
    out
}

#[test]
fn an_unreadable_lfp_line_is_one_read_error_and_the_audit_goes_on() {
    let tmp = tempfile::tempdir().unwrap();
    let vol = tiff_production(tmp.path(), false);
    edit(
        &vol.join("DATA/TIF001.lfp"),
        "IM,TIF0000004,D,0,@TIF001;IMAGES\\001;TIF0000004.tif;2",
        "IM,TIF0000004,D,0,TIF0000004.tif",
    );
    // A second defect elsewhere is still found.
    edit(
        &vol.join("DATA/TIF001.opt"),
        "TIF0000001,TIF001,IMAGES\\001\\TIF0000001.tif,Y,,,3",
        "TIF0000001,TIF001,IMAGES\\001\\TIF0000001.tif,,,,3",
    );
    resum(&vol);
    let (code, json, _) = audit_json(&[s(&vol)]);
    assert_eq!(code, 1);
    let msgs: Vec<String> = findings(&json)
        .iter()
        .map(|f| {
            format!(
                "{} {}",
                f["code"].as_str().unwrap(),
                f["message"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        msgs,
        vec![
            "OPT_MISMATCH TIF0000001, the first page of TIF0000001 – TIF0000003, has no `Y` document break (TIF001/DATA/TIF001.opt line 1).".to_string(),
            "READ_ERROR The IPRO LFP at line 4: this IM record has no key or no `@volume;folder;file;type` image location: `IM,TIF0000004,D,0,TIF0000004.tif`.".to_string(),
        ],
        "{json:#}"
    );
}

/// The standard volume indexed by an EDRM XML 1.2 file alone.
fn edrm_volume(parent: &Path) -> std::path::PathBuf {
    let v = standard();
    let vol = v.write(parent);
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n<Root MajorVersion=\"1\" MinorVersion=\"2\">\r\n<Batch><Documents>\r\n",
    );
    for d in &v.docs {
        xml.push_str(&format!(
            "<Document DocID=\"{}\"><Tags><Tag TagName=\"#BegBates\" TagValue=\"{}\"/><Tag TagName=\"#EndBates\" TagValue=\"{}\"/><Tag TagName=\"Treatment\" TagValue=\"{}\"/><Tag TagName=\"Category\" TagValue=\"{}\"/></Tags><Files>",
            d.control, d.beg, d.end, d.treatment, d.category
        ));
        xml.push_str(&format!(
            "<File FileType=\"Image\"><ExternalFile FilePath=\"IMAGES\\0001\" FileName=\"{}.pdf\"/></File>",
            d.beg
        ));
        if let Some((ext, _)) = &d.native {
            xml.push_str(&format!(
                "<File FileType=\"Native\"><ExternalFile FilePath=\"NATIVES\\0001\" FileName=\"{}.{ext}\" Hash=\"{}\"/></File>",
                d.beg, d.source_md5
            ));
        }
        xml.push_str("<File FileType=\"Text\"><InlineContent>Extracted text, not a file.</InlineContent></File>");
        xml.push_str("</Files></Document>\r\n");
    }
    xml.push_str("</Documents></Batch></Root>\r\n");
    for f in ["VOL001.dat", "VOL001_index.csv", "VOL001_index.xlsx"] {
        std::fs::remove_file(vol.join("DATA").join(f)).unwrap();
    }
    write(&vol.join("DATA/VOL001.xml"), xml.as_bytes());
    resum(&vol);
    vol
}

#[test]
fn an_edrm_xml_index_audits_clean_and_its_defects_are_found() {
    let tmp = tempfile::tempdir().unwrap();
    let vol = edrm_volume(tmp.path());
    let (code, json, err) = audit_json(&[s(&vol)]);
    assert_eq!(code, 0, "{err}\n{json:#}");
    assert_eq!(json["volumes"][0]["index"]["format"], "EDRM XML");
    assert_eq!(json["volumes"][0]["documents"], 4);
    std::fs::write(vol.join("NATIVES/0001/DHS-MPP-000004.xlsx"), b"altered").unwrap();
    std::fs::remove_file(vol.join("IMAGES/0001/DHS-MPP-000005.pdf")).unwrap();
    resum(&vol);
    let (code, json, _) = audit_json(&[s(&vol), "--index", s(&vol.join("DATA/VOL001.xml"))]);
    assert_eq!(code, 1);
    let msgs: Vec<String> = findings(&json)
        .iter()
        .map(|f| {
            format!(
                "{} {}",
                f["code"].as_str().unwrap(),
                f["message"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        msgs,
        vec![
            "MISSING_FILE IMAGELINK of DHS-MPP-000005 names `IMAGES\\0001\\DHS-MPP-000005.pdf`, which is not in the folder (also named by VOL001/DATA/VOL001.opt lines 5–6).".to_string(),
            format!(
                "HASH_MISMATCH `VOL001/NATIVES/0001/DHS-MPP-000004.xlsx` has MD5 {}, but SOURCE_HASH for DHS-MPP-000004 says {}.",
                md5(b"altered"),
                standard().docs[1].source_md5
            ),
        ],
        "{json:#}"
    );
}

/// The calls fuzz/fuzz_targets/readers.rs makes, through the public API, on
/// every fixture of this module's dialects cut short at every length.
#[test]
fn the_fuzzed_readers_take_any_prefix_of_real_files() {
    use adrec::audit::read;
    let tmp = tempfile::tempdir().unwrap();
    let vol = tiff_production(tmp.path(), false);
    let dii = tiff_production(&tmp.path().join("dii"), true);
    let files = [
        vol.join("DATA/TIF001.opt"),
        vol.join("DATA/TIF001.lfp"),
        dii.join("DATA/TIF001.dii"),
        vol.join("IMAGES/001/TIF0000005.tif"),
    ];
    for f in files {
        let data = std::fs::read(&f).unwrap();
        for cut in 0..=data.len() {
            let data = &data[..cut];
            let _ = read::sniff::sniff(data);
            for xref in [
                read::opt::read(data),
                read::lfp::read(data),
                read::dii::read(data),
            ] {
                assert!(xref.lines.iter().all(|l| l.line > 0));
            }
            if let Ok(table) = read::edrm::read(data) {
                assert!(
                    table
                        .records
                        .iter()
                        .all(|r| r.cells.len() == table.headers.len())
                );
            }
            if let Ok(frames) = read::tiff::frames(data) {
                assert!(frames > 0);
            }
        }
    }
}

#[test]
fn a_page_neither_imaged_nor_listed_is_one_finding_naming_both_cross_references() {
    let tmp = tempfile::tempdir().unwrap();
    let vol = tiff_production(tmp.path(), false);
    std::fs::remove_file(vol.join("IMAGES/001/TIF0000003.tif")).unwrap();
    edit(
        &vol.join("DATA/TIF001.opt"),
        "TIF0000003,TIF001,IMAGES\\001\\TIF0000003.tif,,,,\r\n",
        "",
    );
    edit(
        &vol.join("DATA/TIF001.lfp"),
        "IM,TIF0000003,,0,@TIF001;IMAGES\\001;TIF0000003.tif;2\r\n",
        "",
    );
    resum(&vol);
    let (code, json, _) = audit_json(&[s(&vol)]);
    assert_eq!(code, 1);
    let f = only(&json, "OPT_MISMATCH");
    assert_eq!(
        f["message"],
        "TIF0000003 of TIF0000001 – TIF0000003 has no line in TIF001/DATA/TIF001.opt or TIF001/DATA/TIF001.lfp, and no image: the document's images hold 2 pages."
    );
    assert_eq!(bates_of(&f), vec!["TIF0000003"]);
}

/// The volume's DAT re-saved as UTF-8 without a BOM by a tool that cut the
/// first row's TITLE mid-character (`Résumé` losing its last byte).
fn dat_cut_mid_character(vol: &Path) {
    let path = vol.join("DATA/VOL001.dat");
    let bytes = std::fs::read(&path).unwrap();
    let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap()).unwrap();
    let (header, rows) = text.split_once("\r\n").unwrap();
    let title = header.split('\u{14}').position(|h| h == "þTITLEþ").unwrap();
    let mut out = header.as_bytes().to_vec();
    out.extend_from_slice(b"\r\n");
    for (i, row) in rows.split_terminator("\r\n").enumerate() {
        let cells: Vec<Vec<u8>> = row
            .split('\u{14}')
            .enumerate()
            .map(|(c, cell)| match (i, c == title) {
                // "é" is C3 A9: the value keeps C3 and loses A9.
                (0, true) => [
                    &cell.as_bytes()[..cell.len() - 2],
                    "Résumé".as_bytes(),
                    b"\xC3",
                    "þ".as_bytes(),
                ]
                .concat(),
                _ => cell.as_bytes().to_vec(),
            })
            .collect();
        out.extend_from_slice(&cells.join(&b'\x14'));
        out.extend_from_slice(b"\r\n");
    }
    std::fs::write(&path, out).unwrap();
    resum(vol);
}

#[test]
fn a_utf8_dat_with_a_value_cut_mid_character_is_read_as_utf8_naming_the_line() {
    let tmp = tempfile::tempdir().unwrap();
    let vol = standard().write(tmp.path());
    dat_cut_mid_character(&vol);
    let (code, json, err) = audit_json(&[s(&vol)]);
    assert_eq!(code, 1, "{err}{json:#}");
    // Read as UTF-8, the thorns are qualifiers and every row is read: the
    // one finding is the cut value's, on its line (Windows-1252 would have
    // garbled every qualifier).
    let index = &json["volumes"][0]["index"];
    assert_eq!(index["encoding"], "UTF-8 (no BOM)");
    assert_eq!(index["qualifier"], "þ (thorn, U+00FE)");
    assert_eq!(index["records"], 4);
    let f = only(&json, "READ_ERROR");
    assert_eq!(f["location"]["line"], 2, "{f:#}");
    assert_eq!(files_of(&f), vec!["VOL001/DATA/VOL001.dat"]);
    assert_eq!(
        f["message"],
        "The index at line 2: 1 byte sequence(s) that are not UTF-8, in a file otherwise UTF-8, were replaced with U+FFFD (the first on this line; a value cut short mid-character?)."
    );
    assert_eq!(json["summary"]["findings"], 1, "{json:#}");
}
