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

/// PROD/: the index, log and OPT at the top, the volume's files and its
/// SHA256SUMS one folder down in VOL001/.
fn vendor_production(parent: &Path) -> std::path::PathBuf {
    let prod = parent.join("PROD");
    let vol = standard().write(&prod);
    let data = vol.join("DATA");
    std::fs::rename(data.join("VOL001.dat"), prod.join("PROD.dat")).unwrap();
    std::fs::rename(data.join("VOL001.opt"), prod.join("PROD.opt")).unwrap();
    std::fs::rename(
        data.join("VOL001_privilege_log.csv"),
        prod.join("PROD_privilege_log.csv"),
    )
    .unwrap();
    std::fs::remove_dir_all(&data).unwrap();
    resum(&vol);
    prod
}

#[test]
fn hash_checks_are_the_same_whichever_folder_is_audited() {
    let tmp = tempfile::tempdir().unwrap();
    let prod = vendor_production(tmp.path());
    let vol = prod.join("VOL001");
    let as_volume = |extra: &[&str]| {
        let mut args = vec![s(&vol)];
        args.extend_from_slice(extra);
        audit_json(&args)
    };
    let (index, opt, log) = (
        prod.join("PROD.dat"),
        prod.join("PROD.opt"),
        prod.join("PROD_privilege_log.csv"),
    );
    let given = ["--index", s(&index), "--opt", s(&opt), "--privlog", s(&log)];
    // The clean twin, both ways.
    let (code, json, err) = audit_json(&[s(&prod)]);
    assert_eq!(code, 0, "{err}\n{json:#}");
    assert_eq!(
        json["volumes"][0]["checksums"][0]["path"],
        "PROD/VOL001/SHA256SUMS"
    );
    let (code, json, err) = as_volume(&given);
    assert_eq!(code, 0, "{err}\n{json:#}");

    std::fs::write(
        vol.join("NATIVES/0001/DHS-MPP-000004.xlsx"),
        b"altered native",
    )
    .unwrap();
    let (code, from_parent, _) = audit_json(&[s(&prod)]);
    assert_eq!(code, 1);
    let (code, from_volume, _) = as_volume(&given);
    assert_eq!(code, 1);
    let messages = |json: &serde_json::Value| {
        let mut m: Vec<String> = findings(json)
            .iter()
            .map(|f| {
                format!(
                    "{} {}",
                    f["code"],
                    f["message"]
                        .as_str()
                        .unwrap()
                        .replace("PROD/VOL001/", "VOL001/")
                )
            })
            .collect();
        m.sort();
        m
    };
    let expected = messages(&from_volume);
    assert_eq!(
        expected.len(),
        4,
        "PRODUCED_SHA256, SOURCE_SHA256, SOURCE_MD5 and SHA256SUMS: {expected:#?}"
    );
    assert!(
        expected.iter().all(|m| m.starts_with("\"HASH_MISMATCH\"")),
        "{expected:#?}"
    );
    assert!(
        expected
            .iter()
            .any(|m| m.contains("VOL001/SHA256SUMS line")),
        "{expected:#?}"
    );
    assert_eq!(messages(&from_parent), expected);
}

#[test]
fn a_checksum_list_over_several_volumes_counts_for_each() {
    let tmp = tempfile::tempdir().unwrap();
    let prod = tmp.path().join("PROD");
    let v1 = ProduceVolume::standard("VOL001", 1, 1, 1, false).write(&prod);
    let v2 = ProduceVolume::standard("VOL002", 8, 5, 3, false).write(&prod);
    std::fs::remove_file(v1.join("SHA256SUMS")).unwrap();
    std::fs::remove_file(v2.join("SHA256SUMS")).unwrap();
    resum(&prod);
    let (code, json, err) = audit_json(&[s(&prod)]);
    assert_eq!(code, 0, "the clean twin: {err}\n{json:#}");
    assert_eq!(json["volumes"].as_array().unwrap().len(), 2);
    for v in json["volumes"].as_array().unwrap() {
        assert_eq!(v["checksums"][0]["path"], "SHA256SUMS", "{v:#}");
    }
    // A slip sheet of VOL002 replaced: only the shared list can tell.
    let line = sums_line(
        &prod.join("SHA256SUMS"),
        "VOL002/IMAGES/0001/DHS-MPP-000014.pdf",
    );
    std::fs::write(
        v2.join("IMAGES/0001/DHS-MPP-000014.pdf"),
        pdf(1, "Replaced slip sheet", false),
    )
    .unwrap();
    let (code, json, _) = audit_json(&[s(&prod)]);
    assert_eq!(code, 1);
    let f = only(&json, "HASH_MISMATCH");
    assert_eq!(f["volume"], "VOL002");
    assert!(
        f["message"].as_str().unwrap().ends_with(&format!(
            "but SHA256SUMS line {line} says {}.",
            sha256(&pdf(1, "Withheld - Privileged", false))
        )),
        "{f:#}"
    );
}
