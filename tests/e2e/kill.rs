//! All or nothing under `kill -9`: SIGKILL `adrec produce` at random moments;
//! after each kill the matter shows either no trace of the volume and no
//! number consumed, or the whole volume, and no number is ever issued twice.

use crate::util::*;
use std::path::Path;
use std::time::{Duration, Instant};

const DOCS: usize = 60;

fn pristine() -> TestMatter {
    let m = TestMatter::new("generic");
    let src = m.scratch("src");
    let sources = [
        "pdf/classic-3p.pdf",
        "pdf/inherited.pdf",
        "pdf/objstm.pdf",
        "pdf/linearized.pdf",
        "office/plain.docx",
    ];
    for i in 0..DOCS {
        let fixture = sources[i % sources.len()];
        let mut bytes = std::fs::read(fixtures().join(fixture)).unwrap();
        if fixture.ends_with(".pdf") {
            // Distinct content, same PDF: a comment after the end marker.
            bytes.extend_from_slice(format!("\n% copy {i}\n").as_bytes());
            std::fs::write(src.join(format!("doc{i:03}.pdf")), bytes).unwrap();
        } else {
            bytes.extend_from_slice(format!("{i}").as_bytes());
            std::fs::write(src.join(format!("doc{i:03}.bin")), bytes).unwrap();
        }
    }
    m.cmd()
        .args(["ingest", src.to_str().unwrap()])
        .assert()
        .success();
    let ids: Vec<String> = (1..=DOCS).map(|n| format!("DOC-{n:06}")).collect();
    m.cmd()
        .arg("tag")
        .args(&ids)
        .args(["--status", "produce", "--category", "1"])
        .assert()
        .success();
    m
}

#[test]
fn produce_is_all_or_nothing_under_sigkill() {
    let trials: usize = std::env::var("ADREC_KILL_TRIALS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(30);
    let base = pristine();
    let work = tempfile::tempdir().unwrap();

    // How long a whole produce takes here, to spread the kills over it.
    let timing = work.path().join("timing");
    let _timing_db = base.clone_to(&timing);
    let started = Instant::now();
    adrec()
        .current_dir(&timing)
        .args(["produce", "VOL001", "--date", "2024-04-19"])
        .assert()
        .success();
    let full = started.elapsed();

    let mut rng = kill_seed();
    let (mut killed_before, mut killed_after, mut finished) = (0, 0, 0);
    for trial in 0..trials {
        let dir = work.path().join(format!("trial{trial}"));
        // A copy of the matter (folder and database) to kill in.
        let _db = base.clone_to(&dir);
        let delay = Duration::from_micros(next_moment(&mut rng, full.as_micros() as u64 * 12 / 10));
        let succeeded = kill_after(&dir, &["produce", "VOL001", "--date", "2024-04-19"], delay);
        let volume = dir.join("productions/VOL001");

        // A folder named like the volume is only ever the whole volume.
        if volume.exists() {
            assert_complete(&dir, trial);
        }
        // What the matter says (this also completes a committed volume).
        let export = adrec()
            .current_dir(&dir)
            .args(["export", "index", "--volume", "VOL001"])
            .output()
            .unwrap();
        if export.status.success() {
            assert_complete(&dir, trial);
            if succeeded {
                finished += 1
            } else {
                killed_after += 1
            }
        } else {
            assert_eq!(
                export.status.code(),
                Some(2),
                "trial {trial}: {:?}",
                text(&export)
            );
            assert!(
                !volume.exists(),
                "trial {trial}: a volume folder without a recorded volume"
            );
            killed_before += 1;
            // Nothing consumed: the next produce starts at 1 and succeeds.
            adrec()
                .current_dir(&dir)
                .args(["produce", "VOL001", "--date", "2024-04-19"])
                .assert()
                .success();
            assert_complete(&dir, trial);
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
    eprintln!(
        "{trials} trials: {killed_before} killed before commit, {killed_after} after, {finished} finished (full run {full:?})"
    );
}

/// The recorded volume is complete: checksums verify and the Bates numbers
/// run 1..=N once each.
fn assert_complete(dir: &Path, trial: usize) {
    let volume = dir.join("productions/VOL001");
    let listing: Vec<String> = std::fs::read_dir(dir.join("productions"))
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    assert!(
        volume.is_dir(),
        "trial {trial}: VOL001 is recorded but productions/ holds {listing:?}"
    );
    let check = std::process::Command::new("sha256sum")
        .args(["-c", "--quiet", "SHA256SUMS"])
        .current_dir(&volume)
        .output()
        .expect("sha256sum");
    assert!(
        check.status.success(),
        "trial {trial}: incomplete volume: {}",
        String::from_utf8_lossy(&check.stdout)
    );
    let csv = std::fs::read(volume.join("DATA/VOL001_index.csv")).unwrap();
    let mut r = csv::Reader::from_reader(&csv[3..]);
    let mut numbers = Vec::new();
    for rec in r.records() {
        let rec = rec.unwrap();
        let beg: u64 = rec[0][3..].parse().unwrap();
        let end: u64 = rec[1][3..].parse().unwrap();
        numbers.extend(beg..=end);
    }
    let expected: Vec<u64> = (1..=numbers.len() as u64).collect();
    assert_eq!(
        numbers, expected,
        "trial {trial}: Bates numbers issued twice or skipped"
    );
    assert_eq!(r.records().count(), 0);
}
