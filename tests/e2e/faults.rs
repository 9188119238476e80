//! Failures outside the input: the SPEC's exit 4, with nothing consumed.

use crate::produce::tagged_matter;
use crate::util::text;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A tiny tmpfs, unmounted when dropped. Only root can mount one.
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(dir: &Path, size: &str) -> Option<Tmpfs> {
        std::fs::create_dir_all(dir).ok()?;
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir)
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        ok.then(|| Tmpfs(dir.to_path_buf()))
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn a_full_disk_while_writing_a_volume_is_exit_4_and_consumes_no_number() {
    let t = tagged_matter();
    let small = t.m.scratch("small-disk");
    let Some(disk) = Tmpfs::mount(&small, "96k") else {
        eprintln!("skipped: mounting a tmpfs needs root (this test runs in CI as root)");
        return;
    };
    // The volumes land on the tiny disk; the matter's database does not.
    let productions = t.m.root.join("productions");
    std::os::unix::fs::symlink(&disk.0, &productions).unwrap();
    let out = t.m.cmd().args(["produce", "VOL001"]).output().unwrap();
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(4), "{stdout}\n{stderr}");
    assert!(stderr.contains("No space left on device"), "{stderr}");
    assert!(!stderr.contains("Production blocked"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(
        std::fs::read_dir(&disk.0).unwrap().count(),
        0,
        "staging removed"
    );
    drop(disk);
    std::fs::remove_file(&productions).unwrap();

    // Nothing was consumed: the next volume starts at the first number.
    t.m.cmd().args(["produce", "VOL001"]).assert().success();
    let index =
        std::fs::read_to_string(t.m.root.join("productions/VOL001/DATA/VOL001_index.csv")).unwrap();
    assert!(index.contains("DHS-MPP-000001"), "{index}");
}
