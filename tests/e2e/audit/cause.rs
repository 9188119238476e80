//! One root cause, one finding: a missing file is one MISSING_FILE naming
//! the link, the image cross-reference lines and the checksum-list line that
//! name it; links outside the folders audited are never opened; checksum
//! lists count the same whichever folder is audited.

use crate::audit_util::*;
use std::path::Path;

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn standard() -> ProduceVolume {
    ProduceVolume::standard("VOL001", 1, 1, 1, false)
}

/// The line of `list` that names `name`.
fn sums_line(list: &Path, name: &str) -> usize {
    let text = std::fs::read_to_string(list).unwrap();
    1 + text.lines().position(|l| l.ends_with(name)).unwrap()
}

#[test]
fn a_missing_linked_image_is_one_missing_file_naming_its_opt_lines_and_sums_line() {
    let tmp = tempfile::tempdir().unwrap();
    let vol = standard().write(tmp.path());
    let line = sums_line(&vol.join("SHA256SUMS"), "DHS-MPP-000001.pdf");
    std::fs::remove_file(vol.join("IMAGES/0001/DHS-MPP-000001.pdf")).unwrap();
    let (code, json, _) = audit_json(&[s(&vol)]);
    assert_eq!(code, 1);
    let f = only(&json, "MISSING_FILE");
    assert_eq!(
        f["message"],
        format!(
            "IMAGELINK of DHS-MPP-000001 names `VOL001\\IMAGES\\0001\\DHS-MPP-000001.pdf`, which is not in the folder (also named by VOL001/DATA/VOL001.opt lines 1–3 and VOL001/SHA256SUMS line {line})."
        )
    );
    assert_eq!(bates_of(&f), vec!["DHS-MPP-000001"]);
}

#[test]
fn a_missing_image_tied_by_name_is_one_missing_file_naming_its_opt_lines() {
    let tmp = tempfile::tempdir().unwrap();
    let vol = standard().write(tmp.path());
    // The CSV index has no link columns: images are tied by name and by the OPT.
    let index = vol.join("DATA/VOL001_index.csv");
    let (code, json, err) = audit_json(&[s(&vol), "--index", s(&index)]);
    assert_eq!(code, 0, "the clean twin: {err}\n{json:#}");
    let line = sums_line(&vol.join("SHA256SUMS"), "DHS-MPP-000005.pdf");
    std::fs::remove_file(vol.join("IMAGES/0001/DHS-MPP-000005.pdf")).unwrap();
    let (code, json, _) = audit_json(&[s(&vol), "--index", s(&index)]);
    assert_eq!(code, 1);
    let f = only(&json, "MISSING_FILE");
    assert_eq!(
        f["message"],
        format!(
            "`VOL001\\IMAGES\\0001\\DHS-MPP-000005.pdf`, the image of DHS-MPP-000005 – DHS-MPP-000006 in VOL001/DATA/VOL001.opt lines 5–6, is not in the folder (also named by VOL001/SHA256SUMS line {line})."
        )
    );
    assert_eq!(f["location"]["line"], 5);
}

#[test]
fn a_listed_file_that_is_not_there_is_still_one_missing_file() {
    let tmp = tempfile::tempdir().unwrap();
    let vol = standard().write(tmp.path());
    let sums = vol.join("SHA256SUMS");
    let mut text = std::fs::read_to_string(&sums).unwrap();
    text.push_str(&format!("{}  NATIVES/0001/EXTRA.docx\n", "0".repeat(64)));
    std::fs::write(&sums, text).unwrap();
    let (code, json, _) = audit_json(&[s(&vol)]);
    assert_eq!(code, 1);
    let f = only(&json, "MISSING_FILE");
    let line = sums_line(&sums, "EXTRA.docx");
    assert_eq!(
        f["message"],
        format!(
            "`NATIVES/0001/EXTRA.docx` is listed in VOL001/SHA256SUMS (line {line}) but is not in the folder."
        )
    );
}

#[test]
fn links_outside_the_folders_audited_are_never_opened() {
    let tmp = tempfile::tempdir().unwrap();
    let vol = standard().write(tmp.path());
    // The file exists, one folder above the volume's parent: it must not be read.
    let outside = tmp.path().parent().unwrap().join(format!(
        "{}-secret.xlsx",
        tmp.path().file_name().unwrap().to_str().unwrap()
    ));
    std::fs::write(&outside, b"not part of the production").unwrap();
    let escaped = format!("..\\..\\{}", outside.file_name().unwrap().to_str().unwrap());
    let dat = vol.join("DATA/VOL001.dat");
    edit(&dat, "VOL001\\NATIVES\\0001\\DHS-MPP-000004.xlsx", &escaped);
    edit(
        &dat,
        "VOL001\\IMAGES\\0001\\DHS-MPP-000007.pdf",
        "/etc/hostname",
    );
    std::fs::remove_file(vol.join("NATIVES/0001/DHS-MPP-000004.xlsx")).unwrap();
    std::fs::remove_file(vol.join("IMAGES/0001/DHS-MPP-000007.pdf")).unwrap();
    resum(&vol);
    let (code, json, _) = audit_json(&[s(&vol)]);
    std::fs::remove_file(&outside).unwrap();
    assert_eq!(code, 1);
    let missing = with_code(&json, "MISSING_FILE");
    let msgs: Vec<&str> = missing
        .iter()
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert!(msgs.contains(&format!("NATIVELINK of DHS-MPP-000004 names `{escaped}`, which lies outside the folders audited: it was not opened.").as_str()), "{json:#}");
    assert!(
        msgs.contains(&"IMAGELINK of DHS-MPP-000007 names `/etc/hostname`, which lies outside the folders audited: it was not opened (also named by VOL001/DATA/VOL001.opt line 7)."),
        "{json:#}"
    );
    assert_eq!(missing.len(), 2, "{json:#}");
    assert_eq!(
        json["summary"]["files_hashed"].as_u64().unwrap() as usize,
        walk(&vol).len(),
        "only the volume's own files are read"
    );
}
