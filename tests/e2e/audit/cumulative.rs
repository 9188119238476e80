//! One privilege log (XLSX) or one index given once for two volumes: each
//! entry or row goes to the volume that holds its numbers or files; orphans
//! and unlogged redactions are judged across both.

use crate::audit_util::*;
use std::path::{Path, PathBuf};

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn strings(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|c| c.to_string()).collect()
}

/// PROD/VOL001 (DHS-MPP-000001–7) and PROD/VOL002 (8–14), each without its
/// own privilege log, and PROD/cumulative_log.xlsx covering both.
fn two_volumes(
    parent: &Path,
    extra: Option<Vec<String>>,
    drop: Option<&str>,
) -> (PathBuf, PathBuf) {
    let prod = parent.join("PROD");
    let mut rows = Vec::new();
    for v in [
        ProduceVolume::standard("VOL001", 1, 1, 1, false),
        ProduceVolume::standard("VOL002", 8, 5, 3, false),
    ] {
        let root = v.write(&prod);
        let csv = std::fs::read_to_string(root.join(format!("DATA/{}_privilege_log.csv", v.name)))
            .unwrap();
        for line in csv.trim_start_matches('\u{feff}').lines().skip(1) {
            rows.push(line.split(',').map(str::to_string).collect::<Vec<_>>());
        }
        for ext in ["csv", "xlsx"] {
            std::fs::remove_file(root.join(format!("DATA/{}_privilege_log.{ext}", v.name)))
                .unwrap();
        }
        resum(&root);
    }
    if let Some(id) = drop {
        rows.retain(|r| r[0] != id);
    }
    rows.extend(extra);
    let log = prod.join("cumulative_log.xlsx");
    write(&log, &xlsx(&LOG_COLUMNS, &rows));
    (prod, log)
}

#[test]
fn one_xlsx_log_for_two_volumes_audits_clean() {
    let tmp = tempfile::tempdir().unwrap();
    let (prod, log) = two_volumes(tmp.path(), None, None);
    let (code, json, err) = audit_json(&[s(&prod), "--privlog", s(&log)]);
    assert_eq!(code, 0, "{err}\n{json:#}");
    let vols = json["volumes"].as_array().unwrap();
    assert_eq!(vols.len(), 2);
    for v in vols {
        assert_eq!(v["log_entries"], 2, "{v:#}");
        assert_eq!(v["privilege_log"]["format"], "XLSX");
    }
}

#[test]
fn one_log_for_two_volumes_finds_its_orphan_and_an_unlogged_redaction() {
    let tmp = tempfile::tempdir().unwrap();
    let orphan = strings(&[
        "PRIV-000099",
        "DHS-MPP-000030",
        "DHS-MPP-000030",
        "DOC-000099",
        "Withheld in Full",
        "2023-03-14",
        "Memorandum",
        "Ana Ruiz",
        "To: Luis Ortega",
        "Draft guidance",
        "Deliberative process privilege",
        "3",
        "VOL002",
    ]);
    // PRIV-000003 logs VOL002's redacted document (DHS-MPP-000012–13).
    let (prod, log) = two_volumes(tmp.path(), Some(orphan), Some("PRIV-000003"));
    let (code, json, _) = audit_json(&[s(&prod), "--privlog", s(&log)]);
    assert_eq!(code, 1);
    let orphans = with_code(&json, "LOG_ORPHAN");
    assert_eq!(orphans.len(), 1, "{json:#}");
    assert_eq!(
        orphans[0]["message"],
        "Log entry PRIV-000099 (DHS-MPP-000030) cites DHS-MPP-000030, which no index row covers."
    );
    let unlogged = with_code(&json, "UNLOGGED_REDACTION");
    assert_eq!(unlogged.len(), 1, "{json:#}");
    assert_eq!(unlogged[0]["volume"], "VOL002");
    assert_eq!(bates_of(&unlogged[0]), vec!["DHS-MPP-000012"]);
    assert_eq!(codes(&json).len(), 2, "{json:#}");
}

#[test]
fn one_index_for_two_volumes_shares_its_rows_out() {
    let tmp = tempfile::tempdir().unwrap();
    let (prod, log) = two_volumes(tmp.path(), None, None);
    // One DAT for both volumes (their own DATs removed), links naming each volume.
    let mut text = String::new();
    for (k, v) in ["VOL001", "VOL002"].iter().enumerate() {
        let dat = prod.join(format!("{v}/DATA/{v}.dat"));
        let body = std::fs::read_to_string(&dat).unwrap();
        let body = body.trim_start_matches('\u{feff}');
        let mut lines = body.lines();
        let header = lines.next().unwrap();
        if k == 0 {
            text.push_str(header);
            text.push_str("\r\n");
        }
        for l in lines {
            text.push_str(l);
            text.push_str("\r\n");
        }
        std::fs::remove_file(&dat).unwrap();
        resum(&prod.join(v));
    }
    let index = prod.join("cumulative.dat");
    write(&index, text.as_bytes());
    let (code, json, err) = audit_json(&[s(&prod), "--index", s(&index), "--privlog", s(&log)]);
    assert_eq!(code, 0, "{err}\n{json:#}");
    let vols = json["volumes"].as_array().unwrap();
    assert_eq!(vols[0]["documents"], 4);
    assert_eq!(vols[1]["documents"], 4);
    assert!(
        vols[0]["notes"].as_array().unwrap().iter().any(|n| n
            == "the index was given once for 2 volumes: its rows were shared out by the files their links or names point to: VOL001 (4), VOL002 (4)"),
        "{json:#}"
    );
    // A gap between the volumes is judged across both.
    edit(&index, "DHS-MPP-000008", "DHS-MPP-000009");
    let (code, json, _) = audit_json(&[s(&prod), "--index", s(&index), "--privlog", s(&log)]);
    assert_eq!(code, 1);
    let gap = with_code(&json, "BATES_GAP");
    assert_eq!(gap.len(), 1, "{json:#}");
    assert_eq!(gap[0]["volume"], "VOL001, VOL002");
    assert_eq!(
        gap[0]["message"],
        "No document claims DHS-MPP-000008 (1 number), between the end of VOL001 (DHS-MPP-000007) and the start of VOL002 (DHS-MPP-000009)."
    );
}

#[test]
fn one_opt_for_two_volumes_shares_its_lines_out() {
    let tmp = tempfile::tempdir().unwrap();
    let (prod, log) = two_volumes(tmp.path(), None, None);
    let mut all = String::new();
    for v in ["VOL001", "VOL002"] {
        let opt = prod.join(format!("{v}/DATA/{v}.opt"));
        all.push_str(&std::fs::read_to_string(&opt).unwrap());
        std::fs::remove_file(&opt).unwrap();
        resum(&prod.join(v));
    }
    let opt = prod.join("all.opt");
    write(&opt, all.as_bytes());
    let (code, json, err) = audit_json(&[s(&prod), "--opt", s(&opt), "--privlog", s(&log)]);
    assert_eq!(code, 0, "{err}\n{json:#}");
    for v in json["volumes"].as_array().unwrap() {
        assert_eq!(v["opt"]["records"], 7, "{v:#}");
    }
    // A page of VOL002 dropped from the shared OPT is VOL002's finding.
    edit(
        &opt,
        "DHS-MPP-000013,VOL002,VOL002\\IMAGES\\0001\\DHS-MPP-000012.pdf,,,,\r\n",
        "",
    );
    let (code, json, _) = audit_json(&[s(&prod), "--opt", s(&opt), "--privlog", s(&log)]);
    assert_eq!(code, 1);
    let f = only(&json, "OPT_MISMATCH");
    assert_eq!(f["volume"], "VOL002");
    assert_eq!(
        f["message"],
        "DHS-MPP-000013 of DHS-MPP-000012 – DHS-MPP-000013 has no line in all.opt."
    );
}

/// A volume named itself and inside its folder of volumes, in either order
/// or twice over, is audited once, under its own name; named first, it
/// still has the folder's checksum list read for it.
#[test]
fn a_volume_named_twice_is_audited_once() {
    let tmp = tempfile::tempdir().unwrap();
    let prod = tmp.path().join("PROD");
    let vol1 = ProduceVolume::standard("VOL001", 1, 1, 1, false).write(&prod);
    let vol2 = ProduceVolume::standard("VOL002", 8, 5, 3, false).write(&prod);
    for args in [
        vec![s(&prod), s(&vol1)],
        vec![s(&vol1), s(&vol2), s(&vol1)],
        vec![s(&vol1), s(&prod)],
    ] {
        let (code, json, err) = audit_json(&args);
        assert_eq!(code, 0, "{args:?}: {err}\n{json:#}");
        let mut names: Vec<&str> = json["volumes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["name"].as_str().unwrap())
            .collect();
        names.sort();
        assert_eq!(names, ["VOL001", "VOL002"], "{args:?}");
    }
    // The folder's list disagrees about a file of VOL001.
    let zeros = "0".repeat(64);
    std::fs::write(
        prod.join("SHA256SUMS"),
        format!("{zeros}  VOL001/DATA/VOL001.dat\n"),
    )
    .unwrap();
    let (code, json, _) = audit_json(&[s(&vol1), s(&prod)]);
    assert_eq!(code, 1, "{json:#}");
    let found = with_code(&json, "HASH_MISMATCH");
    assert_eq!(found.len(), 1, "{json:#}");
    assert!(
        found[0]["message"].as_str().unwrap().contains("VOL001.dat"),
        "{json:#}"
    );
}
