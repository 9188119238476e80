//! Files given as `--opt`, `--index` or `--privlog` are checked by content:
//! a wrong kind is exit 2 naming what it looks like.

use crate::audit_util::*;
use std::path::Path;

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A little-endian TIFF header and an empty IFD: enough to be a TIFF by content.
const TIFF: &[u8] = b"II*\0\x08\0\0\0\0\0\0\0\0\0";

#[test]
fn the_right_files_given_explicitly_audit_clean() {
    let tmp = tempfile::tempdir().unwrap();
    let vol = ProduceVolume::standard("VOL001", 1, 1, 1, false).write(tmp.path());
    let data = vol.join("DATA");
    for (index, log) in [
        ("VOL001.dat", "VOL001_privilege_log.xlsx"),
        ("VOL001_index.xlsx", "VOL001_privilege_log.csv"),
    ] {
        let (code, json, err) = audit_json(&[
            s(&vol),
            "--index",
            s(&data.join(index)),
            "--privlog",
            s(&data.join(log)),
            "--opt",
            s(&data.join("VOL001.opt")),
        ]);
        assert_eq!(code, 0, "{index} + {log}: {err}\n{json:#}");
    }
}

#[test]
fn wrong_kinds_exit_2_saying_what_they_look_like() {
    let tmp = tempfile::tempdir().unwrap();
    let vol = ProduceVolume::standard("VOL001", 1, 1, 1, false).write(tmp.path());
    let data = vol.join("DATA");
    // Misnamed on purpose: the extension says what was expected, the content does not.
    write(&tmp.path().join("scan.opt"), TIFF);
    write(
        &tmp.path().join("manifest.csv"),
        b"{\"volume\": \"VOL001\"}\n",
    );
    std::fs::copy(data.join("VOL001.dat"), tmp.path().join("log.dat")).unwrap();
    std::fs::copy(data.join("VOL001.opt"), tmp.path().join("index.csv")).unwrap();
    std::fs::copy(
        vol.join("IMAGES/0001/DHS-MPP-000001.pdf"),
        tmp.path().join("index.dat"),
    )
    .unwrap();
    std::fs::copy(
        data.join("VOL001_index.xlsx"),
        tmp.path().join("images.opt"),
    )
    .unwrap();
    let cases = [
        (
            "--opt",
            "scan.opt",
            "it looks like a TIFF image, not an image cross-reference",
        ),
        (
            "--privlog",
            "manifest.csv",
            "it looks like a JSON file (a manifest?), not a privilege log",
        ),
        (
            "--privlog",
            "log.dat",
            "it looks like an index, not a privilege log",
        ),
        (
            "--index",
            "index.csv",
            "it looks like an Opticon OPT image cross-reference, not an index",
        ),
        (
            "--index",
            "index.dat",
            "it looks like a PDF document, not an index",
        ),
        (
            "--opt",
            "images.opt",
            "it looks like an XLSX spreadsheet, not an image cross-reference",
        ),
    ];
    for (flag, name, says) in cases {
        let path = tmp.path().join(name);
        let (code, json, err) = audit_json(&[s(&vol), flag, s(&path)]);
        assert_eq!(code, 2, "{flag} {name}: {err}\n{json:#}");
        assert_eq!(json, serde_json::Value::Null, "no report for {flag} {name}");
        let expected = format!("`{}` was given as {flag} but {says}", path.display());
        assert!(
            err.contains(&expected),
            "{flag} {name}: expected {expected}\nin {err}"
        );
        assert!(err.contains("hint:"), "{err}");
    }
}

/// The content decides how a table is read, not its name: a DAT named .csv,
/// an XLSX named .dat.
#[test]
fn tables_are_read_by_content_whatever_their_name() {
    let tmp = tempfile::tempdir().unwrap();
    let vol = ProduceVolume::standard("VOL001", 1, 1, 1, false).write(tmp.path());
    let data = vol.join("DATA");
    let dat_as_csv = tmp.path().join("index.csv");
    std::fs::copy(data.join("VOL001.dat"), &dat_as_csv).unwrap();
    let xlsx_as_dat = tmp.path().join("log.dat");
    std::fs::copy(data.join("VOL001_privilege_log.xlsx"), &xlsx_as_dat).unwrap();
    let (code, json, err) = audit_json(&[
        s(&vol),
        "--index",
        s(&dat_as_csv),
        "--privlog",
        s(&xlsx_as_dat),
    ]);
    assert_eq!(code, 0, "{err}\n{json:#}");
    assert_eq!(json["volumes"][0]["index"]["format"], "Concordance DAT");
    assert_eq!(json["volumes"][0]["privilege_log"]["format"], "XLSX");
}
