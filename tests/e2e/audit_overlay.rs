//! `adrec audit` of a volume with its overlay: a clawback re-issued by
//! `produce --overlay` replaces the recalled rows (known from the overlay's
//! manifest, or from `--overlay VOL` for another tool's volume), and the
//! report's notes name each replacement.

use crate::audit_files::sha256;
use crate::util::*;
use serde_json::Value;
use std::path::Path;

/// A matter whose VOL001 produced three PDFs, two of them then recalled
/// (one withheld, one replaced by a redacted PDF) and re-issued in OVL001.
fn clawed_back() -> TestMatter {
    let m = TestMatter::new("mpp-order");
    let src = m.scratch("collected");
    for (name, fixture) in [
        ("a.pdf", "pdf/classic-3p.pdf"),
        ("b.pdf", "pdf/rotated-cropped.pdf"),
        ("c.pdf", "pdf/inherited.pdf"),
    ] {
        std::fs::copy(fixtures().join(fixture), src.join(name)).unwrap();
    }
    let run = |args: &[&str]| {
        let out = m.cmd().args(args).output().unwrap();
        assert!(out.status.success(), "adrec {args:?}: {:?}", text(&out));
    };
    run(&["ingest", "--custodian", "Reyes", src.to_str().unwrap()]);
    run(&[
        "tag",
        "DOC-000001",
        "DOC-000002",
        "DOC-000003",
        "--status",
        "produce",
        "--category",
        "1",
    ]);
    run(&["produce", "VOL001"]);
    run(&[
        "clawback",
        "DHS-MPP-000002",
        "--privilege",
        "AC",
        "--description",
        "Legal advice from agency counsel on the draft",
    ]);
    let landscape = fixtures().join("pdf/landscape.pdf");
    run(&[
        "clawback",
        "DOC-000002",
        "--privilege",
        "DP",
        "--description",
        "Predecisional recommendations on port operations",
        "--replace-with",
        landscape.to_str().unwrap(),
    ]);
    run(&[
        "tag",
        "DOC-000001",
        "DOC-000002",
        "--doc-date",
        "2023-01-15",
        "--doc-type",
        "Memo",
        "--author",
        "OGC",
        "--recipients",
        "Secretary",
    ]);
    run(&["produce", "OVL001", "--overlay"]);
    m
}

/// `adrec audit ARGS --json`: exit code and report.
fn audit_json(dir: &Path, args: &[&str]) -> (Option<i32>, Value) {
    let out = adrec()
        .current_dir(dir)
        .arg("audit")
        .args(args)
        .arg("--json")
        .output()
        .unwrap();
    let report = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("audit {args:?} printed no JSON ({e}): {:?}", text(&out)));
    (out.status.code(), report)
}

fn codes(report: &Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_string())
        .collect()
}

/// The notes of the volume named `name`.
fn notes(report: &Value, name: &str) -> Vec<String> {
    report["volumes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"] == name)
        .unwrap_or_else(|| panic!("no volume {name} in {report}"))["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap().to_string())
        .collect()
}

fn replacements(report: &Value) -> Vec<String> {
    notes(report, "OVL001")
        .into_iter()
        .filter(|n| n.starts_with("OVL001 replaces ") && n.contains(" of VOL001 "))
        .collect()
}

#[test]
fn a_volume_and_its_overlay_audit_clean_with_the_replacements_noted() {
    let m = clawed_back();
    let prod = m.root.join("productions");
    let manifest = std::fs::read_to_string(prod.join("OVL001/DATA/OVL001_manifest.json")).unwrap();
    assert!(manifest.contains("\"overlay_of\""), "{manifest}");

    let (code, report) = audit_json(&prod, &["VOL001", "OVL001"]);
    assert_eq!(codes(&report), Vec::<String>::new(), "{report:#}");
    assert_eq!(code, Some(0), "{report:#}");
    assert_eq!(report["clean"], true);
    // A re-issued document is counted once.
    assert_eq!(report["summary"]["documents"], 3, "{report:#}");
    let noted = replacements(&report);
    assert_eq!(noted.len(), 2, "{:?}", notes(&report, "OVL001"));
    assert!(
        noted[0].contains("DOC-000001") && noted[0].contains("withheld"),
        "{noted:?}"
    );
    assert!(
        noted[1].contains("DOC-000002") && noted[1].contains("redacted"),
        "{noted:?}"
    );

    // The text report and the Markdown report show the notes too.
    let md = m.scratch("reports").join("audit.md");
    let out = adrec()
        .current_dir(&prod)
        .args([
            "audit",
            "VOL001",
            "OVL001",
            "--report",
            md.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    let (stdout, _) = text(&out);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("OVL001 replaces"), "{stdout}");
    let md = std::fs::read_to_string(&md).unwrap();
    assert_eq!(md.matches("OVL001 replaces").count(), 2, "{md}");
}

#[test]
fn another_tools_overlay_is_marked_with_the_flag_and_an_unmarked_one_overlaps() {
    let m = clawed_back();
    let prod = m.root.join("productions");
    let plain = m.scratch("plain");
    copy_tree(&prod.join("VOL001"), &plain.join("VOL001"));
    copy_tree(&prod.join("OVL001"), &plain.join("OVL001"));
    // The manifest loses its overlay_of (another tool writes none).
    let path = plain.join("OVL001/DATA/OVL001_manifest.json");
    let mut manifest: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    manifest.as_object_mut().unwrap().remove("overlay_of");
    let bytes = serde_json::to_vec_pretty(&manifest).unwrap();
    std::fs::write(&path, &bytes).unwrap();
    // Its checksum line follows it.
    let sums = plain.join("OVL001/SHA256SUMS");
    let listed = std::fs::read_to_string(&sums).unwrap();
    let relisted: String = listed
        .lines()
        .map(|l| match l.split_once("  ") {
            Some((_, name)) if name == "DATA/OVL001_manifest.json" => {
                format!("{}  {name}\n", sha256(&bytes))
            }
            _ => format!("{l}\n"),
        })
        .collect();
    assert_ne!(listed, relisted, "SHA256SUMS lists the manifest");
    std::fs::write(&sums, relisted).unwrap();

    let (code, report) = audit_json(&plain, &["VOL001", "OVL001", "--overlay", "OVL001"]);
    assert_eq!(codes(&report), Vec::<String>::new(), "{report:#}");
    assert_eq!(code, Some(0));
    assert_eq!(replacements(&report).len(), 2, "{report:#}");

    // Not marked: the re-issued numbers are claimed twice.
    let (code, report) = audit_json(&plain, &["VOL001", "OVL001"]);
    assert_eq!(code, Some(1), "{report:#}");
    let found = codes(&report);
    assert!(found.iter().any(|c| c == "BATES_OVERLAP"), "{found:?}");
    assert!(replacements(&report).is_empty(), "{report:#}");

    // A flag naming no audited volume is an input error.
    let out = adrec()
        .current_dir(&plain)
        .args(["audit", "VOL001", "OVL001", "--overlay", "OVL009"])
        .output()
        .unwrap();
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("OVL009"), "{stderr}");
}
