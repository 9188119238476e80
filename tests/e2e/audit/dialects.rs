//! Image cross-references as other tools write them: Opticon OPT lines with
//! 5 or 6 fields.

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
