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
