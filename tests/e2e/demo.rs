//! The demo runs end to end and every output it names exists and is valid.

use crate::util::*;
use serde_json::Value;

#[test]
fn the_demo_runs_the_whole_pipeline_from_any_folder() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let run = adrec()
        .current_dir(dir.path())
        .args(["demo", out.to_str().unwrap()])
        .output()
        .unwrap();
    let (stdout, stderr) = text(&run);
    assert!(run.status.success(), "demo failed:\n{stdout}\n{stderr}");
    let volume = out.join("matter/productions/VOL001");
    for path in [
        volume.join("SHA256SUMS"),
        volume.join("DATA/VOL001.dat"),
        volume.join("DATA/VOL001.opt"),
        volume.join("DATA/VOL001_index.xlsx"),
        volume.join("DATA/VOL001_privilege_log.csv"),
        out.join("exports/cumulative_production_index.csv"),
        out.join("exports/cumulative_privilege_log.xlsx"),
        out.join("exports/certification.pdf"),
        out.join("audit-report.html"),
        out.join("status.html"),
    ] {
        assert!(path.is_file(), "{} missing", path.display());
        assert!(
            stdout.contains(path.parent().unwrap().to_str().unwrap()),
            "the demo does not say where {} is",
            path.display()
        );
    }
    let appendix = tool(
        "pdftotext",
        &[out.join("exports/certification.pdf").to_str().unwrap(), "-"],
    );
    assert!(
        appendix.contains("VOL001") && appendix.contains("DECLARATION OF"),
        "{appendix}"
    );
    let check = std::process::Command::new("sha256sum")
        .args(["-c", "--quiet", "SHA256SUMS"])
        .current_dir(&volume)
        .output()
        .unwrap();
    assert!(check.status.success());
    for entry in walkdir::WalkDir::new(volume.join("IMAGES")) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let q = std::process::Command::new("qpdf")
                .arg("--check")
                .arg(entry.path())
                .output()
                .expect("qpdf");
            assert!(
                q.status.success(),
                "qpdf --check {}",
                entry.path().display()
            );
        }
    }
    // The other side's audit of this volume finds the empty category and nothing else.
    let audit = adrec()
        .args([
            "audit",
            volume.to_str().unwrap(),
            "--categories",
            out.join("matter/adrec.toml").to_str().unwrap(),
            "--json",
        ])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&audit.stdout).expect("audit --json");
    let codes: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["EMPTY_CATEGORY"], "{report}");
    if let Some(dom) = chromium_dom(&out.join("status.html")) {
        assert!(
            dom.contains("category-chart")
                && dom.contains("Complete the certified administrative record")
        );
    }
    // The same demo in another folder gives the same volume data.
    let again = dir.path().join("again");
    adrec()
        .args(["demo", again.to_str().unwrap()])
        .assert()
        .success();
    for f in [
        "VOL001.dat",
        "VOL001.opt",
        "VOL001_index.csv",
        "VOL001_index.xlsx",
        "VOL001_privilege_log.xlsx",
    ] {
        let a = std::fs::read(volume.join("DATA").join(f)).unwrap();
        let b = std::fs::read(again.join("matter/productions/VOL001/DATA").join(f)).unwrap();
        assert!(a == b, "{f} differs between two demos");
    }
}
