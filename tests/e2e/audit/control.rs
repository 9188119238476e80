//! Indexes with control numbers and no Bates columns (a review platform's
//! export, Relativity style): audited by control number, Bates checks
//! skipped with one note; an `Extracted Text` column holding the text itself
//! is never a link.

use crate::audit_util::*;
use std::path::{Path, PathBuf};

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

const HEADERS: [&str; 6] = [
    "Control Number",
    "Custodian",
    "File Name",
    "Native File",
    "Extracted Text",
    "MD5 Hash",
];

/// REL001: a pipe-delimited DAT with þ qualifiers, control numbers only,
/// natives linked or named by control number, `Extracted Text` holding the
/// text itself (several lines; one line; a path to a text file; empty).
fn relativity_volume(parent: &Path) -> PathBuf {
    let root = parent.join("REL001");
    let natives: [(&str, &str, &[u8]); 4] = [
        ("CTRL-0001", "docx", b"PK memo bytes"),
        ("CTRL-0002", "xlsx", b"PK budget bytes"),
        ("CTRL-0003", "pdf", b"%PDF-1.4 native pdf bytes"),
        ("CTRL-0004", "msg", b"message bytes"),
    ];
    let texts = [
        "Dear Luis,\r\nThe draft guidance is attached.\r\nAna".to_string(),
        "Budget figures for fiscal year 2024, see the 3/4 memo".to_string(),
        "TEXT\\CTRL-0003.txt".to_string(),
        String::new(),
    ];
    write(&root.join("TEXT/CTRL-0003.txt"), b"native pdf text");
    let mut lines = vec![
        HEADERS
            .iter()
            .map(|h| format!("þ{h}þ"))
            .collect::<Vec<_>>()
            .join("|"),
    ];
    for (k, (id, ext, bytes)) in natives.iter().enumerate() {
        write(&root.join(format!("NATIVES/{id}.{ext}")), bytes);
        // The last document has no link: it is found by its control number.
        let link = if k == 3 {
            String::new()
        } else {
            format!("NATIVES\\{id}.{ext}")
        };
        let cells = [
            id.to_string(),
            "Ruiz, Ana".into(),
            format!("original {k}.{ext}"),
            link,
            texts[k].clone(),
            md5(bytes),
        ];
        lines.push(
            cells
                .iter()
                .map(|c| format!("þ{c}þ"))
                .collect::<Vec<_>>()
                .join("|"),
        );
    }
    write(
        &root.join("DATA/REL001.dat"),
        (lines.join("\r\n") + "\r\n").as_bytes(),
    );
    // CTRL-0001 was also imaged: two pages, the second keyed by the page's own id.
    write(&root.join("IMAGES/CTRL-0001.tif"), &tiff_page());
    write(&root.join("IMAGES/CTRL-0001_0002.tif"), &tiff_page());
    write(
        &root.join("DATA/REL001.opt"),
        b"CTRL-0001,REL001,IMAGES\\CTRL-0001.tif,Y,,,2\r\nCTRL-0001_0002,REL001,IMAGES\\CTRL-0001_0002.tif,,,,\r\n",
    );
    resum(&root);
    root
}

fn notes(json: &serde_json::Value) -> Vec<String> {
    json["volumes"][0]["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap().to_string())
        .collect()
}

/// No finding names an empty identifier: no ``, no ` ()`, no empty Bates.
#[track_caller]
fn no_empty_identifier(json: &serde_json::Value) {
    for f in findings(json) {
        let m = f["message"].as_str().unwrap();
        assert!(
            !m.contains("``") && !m.contains(" ()") && !m.starts_with(' ') && !m.contains("  "),
            "{m}"
        );
        assert!(
            !m.contains(" of ,")
                && !m.contains(" of .")
                && !m.starts_with("No file was found for  "),
            "{m}"
        );
        assert!(bates_of(&f).iter().all(|b| !b.is_empty()), "{f:#}");
    }
}

#[test]
fn control_numbers_only_with_inline_text_audits_clean_with_one_note() {
    let tmp = tempfile::tempdir().unwrap();
    let vol = relativity_volume(tmp.path());
    let (code, json, err) = audit_json(&[s(&vol)]);
    assert_eq!(code, 0, "{err}\n{json:#}");
    assert_eq!(json["volumes"][0]["documents"], 4, "{json:#}");
    let bates_notes: Vec<String> = notes(&json)
        .into_iter()
        .filter(|n| n.contains("Bates"))
        .collect();
    assert_eq!(
        bates_notes,
        vec!["the index has no Bates columns: its 4 rows were audited by control number (Control Number), and the Bates checks (gaps, overlaps, number formats, OPT pages against Bates ranges) were skipped".to_string()],
        "{json:#}"
    );
    assert!(
        notes(&json).iter().any(|n| n == "2 `Extracted Text` cell(s) hold the text itself, not a path: they were not read as links"),
        "{json:#}"
    );
}

#[test]
fn control_numbers_only_missing_file_and_hash_mismatch_name_the_control_number() {
    let tmp = tempfile::tempdir().unwrap();
    let vol = relativity_volume(tmp.path());
    std::fs::remove_file(vol.join("NATIVES/CTRL-0002.xlsx")).unwrap();
    std::fs::remove_file(vol.join("NATIVES/CTRL-0004.msg")).unwrap();
    std::fs::write(vol.join("NATIVES/CTRL-0001.docx"), b"PK altered memo bytes").unwrap();
    // SHA256SUMS still lists the files as they were: rewrite it so only the index speaks.
    resum(&vol);
    let (code, json, _) = audit_json(&[s(&vol)]);
    assert_eq!(code, 1);
    no_empty_identifier(&json);
    let missing = with_code(&json, "MISSING_FILE");
    let msgs: Vec<&str> = missing
        .iter()
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert_eq!(
        msgs,
        vec![
            // Line 7: the first record's inline text spans lines 2 to 4.
            "No file was found for CTRL-0004 (REL001/DATA/REL001.dat line 7): no link names one and no file under IMAGES/, NATIVES/ or TEXT/ is named `CTRL-0004.*`.",
            "Native File of CTRL-0002 names `NATIVES\\CTRL-0002.xlsx`, which is not in the folder.",
        ],
        "{json:#}"
    );
    let hash = with_code(&json, "HASH_MISMATCH");
    assert_eq!(hash.len(), 1, "{json:#}");
    assert_eq!(
        hash[0]["message"],
        format!(
            "`REL001/NATIVES/CTRL-0001.docx` has MD5 {}, but MD5 Hash for CTRL-0001 says {}.",
            md5(b"PK altered memo bytes"),
            md5(b"PK memo bytes")
        )
    );
    assert_eq!(codes(&json).len(), 3, "{json:#}");
}

#[test]
fn control_numbers_only_opt_path_that_does_not_exist_is_one_finding() {
    let tmp = tempfile::tempdir().unwrap();
    let vol = relativity_volume(tmp.path());
    std::fs::remove_file(vol.join("IMAGES/CTRL-0001_0002.tif")).unwrap();
    resum(&vol);
    let (code, json, _) = audit_json(&[s(&vol)]);
    assert_eq!(code, 1);
    no_empty_identifier(&json);
    let f = only(&json, "OPT_MISMATCH");
    assert_eq!(
        f["message"],
        "REL001/DATA/REL001.opt line 2 gives the path `IMAGES\\CTRL-0001_0002.tif` for CTRL-0001_0002, which does not exist."
    );
}
