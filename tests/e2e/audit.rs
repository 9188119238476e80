//! `adrec audit` end to end: productions laid out the way other tools lay
//! them out, each with one planted defect and the exact finding asserted.

use crate::audit_util::*;
use std::path::Path;

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// The volume `adrec produce` writes, built by hand in the SPEC's layout
/// until `produce` lands. To switch this test to the real thing, replace
/// this function's body with `adrec init` + `ingest` + `tag` + `produce VOL001`
/// on the same documents and return the volume folder.
fn produce_volume_handmade(parent: &Path, log_only: bool) -> std::path::PathBuf {
    ProduceVolume::standard("VOL001", 1, 1, 1, log_only).write(parent)
}

#[test]
fn produce_volume_audits_clean() {
    let tmp = tempfile::tempdir().unwrap();
    let vol = produce_volume_handmade(tmp.path(), false);
    let (code, json, err) = audit_json(&[s(&vol)]);
    assert_eq!(
        code,
        0,
        "{err}\n{}",
        serde_json::to_string_pretty(&json).unwrap()
    );
    assert_eq!(json["clean"], true);
    let v = &json["volumes"][0];
    assert_eq!(v["index"]["path"], "VOL001/DATA/VOL001.dat");
    assert_eq!(v["index"]["encoding"], "UTF-8 with BOM");
    assert_eq!(v["documents"], 4);
    let (code, out, _) = audit_text(&[s(&vol)]);
    assert_eq!(code, 0);
    println!("{out}");
}

#[test]
fn produce_volume_with_log_only_withheld_audits_clean() {
    let tmp = tempfile::tempdir().unwrap();
    let vol = produce_volume_handmade(tmp.path(), true);
    let (code, json, err) = audit_json(&[s(&vol)]);
    assert_eq!(
        code,
        0,
        "{err}\n{}",
        serde_json::to_string_pretty(&json).unwrap()
    );
    assert_eq!(json["volumes"][0]["documents"], 3);
    assert_eq!(json["volumes"][0]["log_only"], 1);
}

fn standard() -> ProduceVolume {
    ProduceVolume::standard("VOL001", 1, 1, 1, false)
}

#[test]
fn bates_gap_between_documents() {
    let tmp = tempfile::tempdir().unwrap();
    let mut v = standard();
    // The redacted and withheld documents start two numbers late: 5 and 6 are skipped.
    v.docs[2].beg = bates(7);
    v.docs[2].end = bates(8);
    v.docs[3].beg = bates(9);
    v.docs[3].end = bates(9);
    let vol = v.write(tmp.path());
    let (code, json, _) = audit_json(&[s(&vol)]);
    assert_eq!(code, 1);
    let f = only(&json, "BATES_GAP");
    assert_eq!(bates_of(&f), vec!["DHS-MPP-000005", "DHS-MPP-000006"]);
    assert_eq!(f["volume"], "VOL001");
    assert_eq!(
        f["message"],
        "No document claims DHS-MPP-000005 to DHS-MPP-000006 (2 numbers), between DHS-MPP-000004 and DHS-MPP-000007 – DHS-MPP-000008."
    );
}

#[test]
fn bates_overlap_between_documents() {
    let tmp = tempfile::tempdir().unwrap();
    let mut v = standard();
    v.docs[2].end = bates(7); // the redacted document runs into the withheld one
    v.docs[2].image = Some(pdf(3, "redacted", false));
    let vol = v.write(tmp.path());
    let (code, json, _) = audit_json(&[s(&vol)]);
    assert_eq!(code, 1);
    let overlaps = with_code(&json, "BATES_OVERLAP");
    assert_eq!(overlaps.len(), 1, "{json:#}");
    assert_eq!(bates_of(&overlaps[0]), vec!["DHS-MPP-000007"]);
    let msg = overlaps[0]["message"].as_str().unwrap();
    assert!(
        msg.contains("DHS-MPP-000005 – DHS-MPP-000007") && msg.contains("claimed by two documents"),
        "{msg}"
    );
    // The OPT names DHS-MPP-000007 twice as well: that is the OPT's own finding.
    let others: Vec<String> = codes(&json)
        .into_iter()
        .filter(|c| c != "BATES_OVERLAP")
        .collect();
    assert!(others.iter().all(|c| c == "OPT_MISMATCH"), "{others:?}");
}

#[test]
fn bates_format_finding_for_a_number_of_another_width() {
    let tmp = tempfile::tempdir().unwrap();
    let mut v = standard();
    v.docs[1].beg = "DHS-MPP-00004".into();
    v.docs[1].end = "DHS-MPP-00004".into();
    let vol = v.write(tmp.path());
    let (code, json, _) = audit_json(&[s(&vol)]);
    assert_eq!(code, 1);
    let f = only(&json, "BATES_FORMAT");
    assert_eq!(bates_of(&f), vec!["DHS-MPP-00004"]);
    assert_eq!(
        f["message"],
        "DHS-MPP-00004 (VOL001/DATA/VOL001.dat line 3): BEGBATES `DHS-MPP-00004` has 5 digits where the volume's `DHS-MPP-` numbers have 6."
    );
    assert_eq!(f["location"]["line"], 3);
}

#[test]
fn inserted_pages_and_a_second_prefix_are_not_noise() {
    let tmp = tempfile::tempdir().unwrap();
    let mut v = standard();
    let mut extra = |beg: &str, end: &str, pages: usize| {
        let mut d = v.docs[0].clone();
        d.control = format!("DOC-{}", beg.replace(['.', '-'], ""));
        d.beg = beg.into();
        d.end = end.into();
        d.image = Some(pdf(pages, beg, false));
        d.source_sha256 = sha256(beg.as_bytes());
        d.source_md5 = md5(beg.as_bytes());
        v.docs.push(d);
    };
    extra("DHS-MPP-000003A", "DHS-MPP-000003A", 1);
    extra("DHS-MPP-000003.001", "DHS-MPP-000003.001", 1);
    extra("EPA_00000101", "EPA_00000102", 2);
    extra("EPA_00000103", "EPA_00000103", 1);
    let vol = v.write(tmp.path());
    let (code, json, err) = audit_json(&[s(&vol)]);
    assert_eq!(code, 0, "{err}{json:#}");
    assert_eq!(
        json["volumes"][0]["patterns"],
        serde_json::json!(["DHS-MPP-######", "EPA_########"])
    );
}

#[test]
fn page_mismatch_when_the_pdf_has_fewer_pages_than_its_range() {
    let tmp = tempfile::tempdir().unwrap();
    let mut v = standard();
    v.docs[0].image = Some(pdf(2, "short", false));
    let vol = v.write(tmp.path());
    let (code, json, _) = audit_json(&[s(&vol)]);
    assert_eq!(code, 1);
    let f = only(&json, "PAGE_MISMATCH");
    assert_eq!(bates_of(&f), vec!["DHS-MPP-000001", "DHS-MPP-000003"]);
    assert_eq!(files_of(&f), vec!["VOL001/IMAGES/0001/DHS-MPP-000001.pdf"]);
    assert_eq!(
        f["message"],
        "DHS-MPP-000001 – DHS-MPP-000003 covers 3 numbers but `VOL001/IMAGES/0001/DHS-MPP-000001.pdf` has 2 pages."
    );
}

#[test]
fn missing_file_when_a_link_names_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let vol = standard().write(tmp.path());
    std::fs::remove_file(vol.join("NATIVES/0001/DHS-MPP-000004.xlsx")).unwrap();
    resum(&vol);
    let (code, json, _) = audit_json(&[s(&vol)]);
    assert_eq!(code, 1);
    let f = only(&json, "MISSING_FILE");
    assert_eq!(bates_of(&f), vec!["DHS-MPP-000004"]);
    assert_eq!(
        files_of(&f),
        vec!["VOL001\\NATIVES\\0001\\DHS-MPP-000004.xlsx"]
    );
    assert_eq!(
        f["message"],
        "NATIVELINK of DHS-MPP-000004 names `VOL001\\NATIVES\\0001\\DHS-MPP-000004.xlsx`, which is not in the folder."
    );
}

#[test]
fn unindexed_files_but_not_load_files() {
    let tmp = tempfile::tempdir().unwrap();
    let vol = standard().write(tmp.path());
    write(
        &vol.join("IMAGES/0001/DHS-MPP-000099.pdf"),
        &pdf(1, "stray", false),
    );
    write(&vol.join("NATIVES/0002/notes.docx"), b"stray native");
    write(
        &vol.join("DATA/cover_letter.txt"),
        b"load files and extras in DATA/ are never unindexed",
    );
    let (code, json, _) = audit_json(&[s(&vol)]);
    assert_eq!(code, 1);
    let found = with_code(&json, "UNINDEXED_FILE");
    assert_eq!(codes(&json).len(), 2, "{json:#}");
    let files: Vec<Vec<String>> = found.iter().map(files_of).collect();
    assert_eq!(
        files,
        vec![
            vec!["VOL001/IMAGES/0001/DHS-MPP-000099.pdf"],
            vec!["VOL001/NATIVES/0002/notes.docx"]
        ]
    );
    assert_eq!(
        found[0]["message"],
        "`VOL001/IMAGES/0001/DHS-MPP-000099.pdf` is in the folder but no index row names it."
    );
}

#[test]
fn hash_mismatch_against_the_index_source_columns() {
    let tmp = tempfile::tempdir().unwrap();
    let mut v = standard();
    v.docs[1].source_md5 = "0123456789abcdef0123456789abcdef".into();
    let vol = v.write(tmp.path());
    let (code, json, _) = audit_json(&[s(&vol)]);
    assert_eq!(code, 1);
    let f = only(&json, "HASH_MISMATCH");
    let real = md5(b"native spreadsheet bytes of DOC-000002");
    assert_eq!(bates_of(&f), vec!["DHS-MPP-000004"]);
    assert_eq!(
        files_of(&f),
        vec!["VOL001/NATIVES/0001/DHS-MPP-000004.xlsx"]
    );
    assert_eq!(
        f["message"].as_str().unwrap(),
        format!(
            "`VOL001/NATIVES/0001/DHS-MPP-000004.xlsx` has MD5 {real}, but SOURCE_MD5 for DHS-MPP-000004 says 0123456789abcdef0123456789abcdef."
        )
    );
    assert_eq!(f["location"]["line"], 3);
}

#[test]
fn hash_mismatch_against_produced_hash_and_sha256sums() {
    let tmp = tempfile::tempdir().unwrap();
    let vol = standard().write(tmp.path());
    // A stamped image altered after production: PRODUCED_SHA256 and SHA256SUMS both disagree.
    let img = vol.join("IMAGES/0001/DHS-MPP-000001.pdf");
    let mut bytes = std::fs::read(&img).unwrap();
    bytes.extend_from_slice(b"% appended\n");
    std::fs::write(&img, &bytes).unwrap();
    // A withheld slip sheet has no PRODUCED_SHA256: only SHA256SUMS catches it.
    let slip = vol.join("IMAGES/0001/DHS-MPP-000007.pdf");
    std::fs::write(&slip, pdf(1, "Replaced slip sheet", false)).unwrap();
    let (code, json, _) = audit_json(&[s(&vol)]);
    assert_eq!(code, 1);
    let found = with_code(&json, "HASH_MISMATCH");
    assert_eq!(found.len(), 3, "{json:#}");
    assert_eq!(codes(&json).len(), 3, "{json:#}");
    let msgs: Vec<&str> = found
        .iter()
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert!(
        msgs.iter().any(|m| m.contains("DHS-MPP-000001.pdf")
            && m.contains("PRODUCED_SHA256 for DHS-MPP-000001 says")),
        "{msgs:?}"
    );
    assert!(
        msgs.iter()
            .any(|m| m.contains("DHS-MPP-000001.pdf") && m.contains("VOL001/SHA256SUMS line")),
        "{msgs:?}"
    );
    assert!(
        msgs.iter()
            .any(|m| m.contains("DHS-MPP-000007.pdf") && m.contains("VOL001/SHA256SUMS line")),
        "{msgs:?}"
    );
}

#[test]
fn empty_category_from_a_categories_file() {
    let tmp = tempfile::tempdir().unwrap();
    let vol = standard().write(tmp.path());
    let cats = tmp.path().join("categories.csv");
    std::fs::write(
        &cats,
        "id,name\r\n1,Communications and agreements with the Mexican government\r\n2,White House\r\n3,DOJ and EOIR\r\n4,Documents issued to migrants enrolled in MPP 1.0\r\n",
    )
    .unwrap();
    let (code, json, _) = audit_json(&[s(&vol), "--categories", s(&cats)]);
    assert_eq!(code, 1);
    let f = only(&json, "EMPTY_CATEGORY");
    assert_eq!(
        f["message"],
        "Category 4 – Documents issued to migrants enrolled in MPP 1.0 has no document in the index: none produced, redacted or withheld."
    );
    let counts = &json["categories"];
    assert_eq!(counts[2]["id"], "3");
    assert_eq!(
        (
            counts[2]["produced"].as_u64(),
            counts[2]["redacted"].as_u64(),
            counts[2]["withheld"].as_u64()
        ),
        (Some(0), Some(1), Some(1))
    );
    assert_eq!(counts[3]["withheld"], 0);
}

#[test]
fn empty_categories_from_an_adrec_toml() {
    let tmp = tempfile::tempdir().unwrap();
    let vol = standard().write(tmp.path());
    let toml = tmp.path().join("adrec.toml");
    let mut text = String::from("[matter]\ncaption = \"x\"\n");
    for (id, name) in [
        ("1", "Mexico"),
        ("2", "White House"),
        ("3", "DOJ and EOIR"),
        ("4", "Migrants"),
        ("5", "Guidance"),
    ] {
        text.push_str(&format!(
            "\n[[category]]\nid = \"{id}\"\nname = \"{name}\"\n"
        ));
    }
    std::fs::write(&toml, text).unwrap();
    let (code, json, _) = audit_json(&[s(&vol), "--categories", s(&toml)]);
    assert_eq!(code, 1);
    let found = with_code(&json, "EMPTY_CATEGORY");
    assert_eq!(codes(&json), vec!["EMPTY_CATEGORY", "EMPTY_CATEGORY"]);
    assert!(
        found[0]["message"]
            .as_str()
            .unwrap()
            .starts_with("Category 4 – Migrants")
    );
    assert!(
        found[1]["message"]
            .as_str()
            .unwrap()
            .starts_with("Category 5 – Guidance")
    );
}

#[test]
fn unlogged_redaction() {
    let tmp = tempfile::tempdir().unwrap();
    let mut v = standard();
    v.docs[2].log = None;
    let vol = v.write(tmp.path());
    let (code, json, _) = audit_json(&[s(&vol)]);
    assert_eq!(code, 1);
    let f = only(&json, "UNLOGGED_REDACTION");
    assert_eq!(bates_of(&f), vec!["DHS-MPP-000005"]);
    assert_eq!(
        f["message"],
        "DHS-MPP-000005 is redacted in the index (VOL001/DATA/VOL001.dat line 4) but no privilege-log entry names it."
    );
}

#[test]
fn unlogged_log_only_withholding() {
    let tmp = tempfile::tempdir().unwrap();
    let mut v = ProduceVolume::standard("VOL001", 1, 1, 1, true);
    v.docs[3].log = None;
    let vol = v.write(tmp.path());
    let (code, json, _) = audit_json(&[s(&vol)]);
    assert_eq!(code, 1);
    let f = only(&json, "UNLOGGED_REDACTION");
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .starts_with("DOC-000004 is withheld in the index"),
        "{f:#}"
    );
}

#[test]
fn log_orphan_cites_numbers_not_in_the_production() {
    let tmp = tempfile::tempdir().unwrap();
    let mut v = standard();
    let mut row: Vec<String> = [
        "PRIV-000009",
        "DHS-MPP-000050",
        "DHS-MPP-000051",
        "DOC-000050",
        "Redacted",
        "2023-01-01",
        "Letter",
    ]
    .iter()
    .map(|x| x.to_string())
    .collect();
    row.extend(
        [
            "A. Author",
            "B. Recipient",
            "Legal advice on the agreement",
            "Attorney-client privilege",
            "1",
            "VOL001",
        ]
        .map(String::from),
    );
    v.extra_log.push(row);
    // A log-only withholding (no Bates, withheld) is never an orphan.
    let mut log_only: Vec<String> = [
        "PRIV-000010",
        "",
        "",
        "DOC-000060",
        "Withheld in Full",
        "Undated",
        "Notes",
    ]
    .iter()
    .map(|x| x.to_string())
    .collect();
    log_only.extend(
        [
            "Unknown",
            "None",
            "Handwritten notes of a deliberation",
            "Deliberative process privilege",
            "3",
            "VOL001",
        ]
        .map(String::from),
    );
    v.extra_log.push(log_only);
    let vol = v.write(tmp.path());
    let (code, json, _) = audit_json(&[s(&vol)]);
    assert_eq!(code, 1);
    let f = only(&json, "LOG_ORPHAN");
    assert_eq!(bates_of(&f), vec!["DHS-MPP-000050", "DHS-MPP-000051"]);
    assert_eq!(
        f["message"],
        "Log entry PRIV-000009 (DHS-MPP-000050) cites DHS-MPP-000050 – DHS-MPP-000051, which no index row covers."
    );
    assert_eq!(
        f["location"]["file"],
        "VOL001/DATA/VOL001_privilege_log.csv"
    );
    assert_eq!(f["location"]["line"], 4);
}

#[test]
fn log_incomplete_but_undated_unknown_none_count_as_filled() {
    let tmp = tempfile::tempdir().unwrap();
    let mut v = standard();
    if let Some(l) = v.docs[2].log.as_mut() {
        l.author = String::new();
        l.privilege = " ".into();
    }
    if let Some(l) = v.docs[3].log.as_mut() {
        l.doc_date = "Undated".into();
        l.author = "Unknown".into();
        l.recipients = "None".into();
    }
    let vol = v.write(tmp.path());
    let (code, json, _) = audit_json(&[s(&vol)]);
    assert_eq!(code, 1);
    let f = only(&json, "LOG_INCOMPLETE");
    assert_eq!(
        f["message"],
        "Log entry PRIV-000001 (DHS-MPP-000005) leaves AUTHOR, PRIVILEGE empty."
    );
    assert_eq!(bates_of(&f), vec!["DHS-MPP-000005"]);
}

#[test]
fn duplicate_produced_natives() {
    let tmp = tempfile::tempdir().unwrap();
    let mut v = standard();
    let mut copy = v.docs[1].clone();
    copy.control = "DOC-000009".into();
    copy.beg = bates(8);
    copy.end = bates(8);
    v.docs.push(copy);
    let vol = v.write(tmp.path());
    let (code, json, _) = audit_json(&[s(&vol)]);
    assert_eq!(code, 1);
    let f = only(&json, "DUPLICATE_PRODUCED");
    assert_eq!(bates_of(&f), vec!["DHS-MPP-000004", "DHS-MPP-000008"]);
    assert_eq!(
        files_of(&f),
        vec![
            "VOL001/NATIVES/0001/DHS-MPP-000004.xlsx",
            "VOL001/NATIVES/0001/DHS-MPP-000008.xlsx"
        ]
    );
    let sha = sha256(b"native spreadsheet bytes of DOC-000002");
    assert_eq!(
        f["message"].as_str().unwrap(),
        format!(
            "DHS-MPP-000004 and DHS-MPP-000008 were produced separately but their natives are byte-identical (SHA-256 {sha})."
        )
    );
}

#[test]
fn unapplied_redaction_in_an_image() {
    let tmp = tempfile::tempdir().unwrap();
    let mut v = standard();
    v.docs[2].image = Some(pdf(2, "redacted but not burned in", true));
    let vol = v.write(tmp.path());
    let (code, json, _) = audit_json(&[s(&vol)]);
    assert_eq!(code, 1);
    let f = only(&json, "UNAPPLIED_REDACTION");
    assert_eq!(bates_of(&f), vec!["DHS-MPP-000005"]);
    assert_eq!(files_of(&f), vec!["VOL001/IMAGES/0001/DHS-MPP-000005.pdf"]);
    assert_eq!(
        f["message"],
        "`VOL001/IMAGES/0001/DHS-MPP-000005.pdf` still holds 1 redaction annotation (/Redact) on page 1 that was never applied: the content under it is still in the file."
    );
}

#[test]
fn opt_mismatches_each_reported_with_its_line() {
    let tmp = tempfile::tempdir().unwrap();
    let vol = standard().write(tmp.path());
    let opt = vol.join("DATA/VOL001.opt");
    // Line 1: first page without Y; line 4 (the native's slip sheet): wrong page count;
    // line 6 dropped (page 2 of the redacted document); a key outside every range; a
    // line with 4 fields; a path that does not exist.
    let text = std::fs::read_to_string(&opt).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    lines[0] = lines[0].replace(",Y,,,3", ",,,,3");
    lines[3] = lines[3].replace(",Y,,,1", ",Y,,,2");
    lines[6] = lines[6].replace("DHS-MPP-000007.pdf", "DHS-MPP-000070.pdf");
    lines.remove(5);
    lines.push("DHS-MPP-000090,VOL001,VOL001\\IMAGES\\0001\\DHS-MPP-000001.pdf,Y,,,1".into());
    lines.push("DHS-MPP-000091,VOL001,VOL001\\IMAGES\\0001\\DHS-MPP-000001.pdf,Y".into());
    std::fs::write(&opt, lines.join("\r\n") + "\r\n").unwrap();
    resum(&vol);
    let (code, json, _) = audit_json(&[s(&vol)]);
    assert_eq!(code, 1);
    let found = with_code(&json, "OPT_MISMATCH");
    assert_eq!(codes(&json).len(), found.len(), "{json:#}");
    let msgs: Vec<&str> = found
        .iter()
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    let expect = [
        "DHS-MPP-000001, the first page of DHS-MPP-000001 – DHS-MPP-000003, has no `Y` document break (VOL001/DATA/VOL001.opt line 1).",
        "VOL001/DATA/VOL001.opt line 4 gives DHS-MPP-000004 a page count of 2, but DHS-MPP-000004 covers 1.",
        "DHS-MPP-000006 of DHS-MPP-000005 – DHS-MPP-000006 has no line in VOL001/DATA/VOL001.opt.",
        "VOL001/DATA/VOL001.opt line 6 gives the path `VOL001\\IMAGES\\0001\\DHS-MPP-000070.pdf` for DHS-MPP-000007, which does not exist.",
        "Image key DHS-MPP-000090 (VOL001/DATA/VOL001.opt line 7) is outside every Bates range in the index.",
        "VOL001/DATA/VOL001.opt line 8 has 4 comma-separated fields instead of 7: `DHS-MPP-000091,VOL001,VOL001\\IMAGES\\0001\\DHS-MPP-000001.pdf,Y`.",
    ];
    for e in expect {
        assert!(msgs.contains(&e), "missing {e}\nin {msgs:#?}");
    }
    assert_eq!(msgs.len(), expect.len(), "{msgs:#?}");
}

mod cause;
mod control;
mod cumulative;
mod dialects;
mod families;
mod kinds;
mod privileges;
mod reports;
mod vendor;

/// Images are hashed while the load files are read when no produced-hash
/// column can hold an MD5; one that does anyway is still checked.
#[test]
fn an_md5_in_a_sha256_column_is_still_checked() {
    let tmp = tempfile::tempdir().unwrap();
    let v = standard();
    let image = v.docs[0].image.clone().unwrap();
    let vol = v.write(tmp.path());
    edit(
        &vol.join("DATA/VOL001.dat"),
        &sha256(&image),
        "0123456789abcdef0123456789abcdef",
    );
    resum(&vol);
    let (code, json, _) = audit_json(&[s(&vol)]);
    assert_eq!(code, 1);
    let f = only(&json, "HASH_MISMATCH");
    let real = md5(&image);
    assert_eq!(
        f["message"].as_str().unwrap(),
        format!(
            "`VOL001/IMAGES/0001/DHS-MPP-000001.pdf` has MD5 {real}, but PRODUCED_SHA256 for DHS-MPP-000001 says 0123456789abcdef0123456789abcdef."
        )
    );
}
