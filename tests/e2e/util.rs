//! Helpers shared by the end-to-end tests.
#![allow(dead_code)]

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// The adrec binary, with no matter inherited from the environment.
pub fn adrec() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_adrec"));
    cmd.env_remove("ADREC_MATTER").env("USER", "tester");
    cmd
}

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// A fresh matter in a temporary folder.
pub struct TestMatter {
    pub dir: TempDir,
    pub root: PathBuf,
}

impl TestMatter {
    pub fn new(template: &str) -> TestMatter {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path().join("matter");
        adrec()
            .args(["init", root.to_str().unwrap(), "--template", template])
            .assert()
            .success();
        let root = root.canonicalize().unwrap();
        TestMatter { dir, root }
    }

    /// `adrec` run inside the matter folder.
    pub fn cmd(&self) -> Command {
        let mut cmd = adrec();
        cmd.current_dir(&self.root);
        cmd
    }

    /// Runs `adrec ARGS --json` and parses stdout, whatever the exit code.
    pub fn json(&self, args: &[&str]) -> Value {
        let out = self
            .cmd()
            .args(args)
            .arg("--json")
            .output()
            .expect("run adrec");
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "adrec {args:?} --json did not print JSON ({e}); status {:?}\nstdout: {}\nstderr: {}",
                out.status,
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            )
        })
    }

    /// Every document as `docs --format json` prints it.
    pub fn docs(&self) -> Vec<Value> {
        self.json(&["docs"])
            .as_array()
            .cloned()
            .expect("docs prints an array")
    }

    /// A scratch folder beside the matter (not inside it).
    pub fn scratch(&self, name: &str) -> PathBuf {
        let p = self.dir.path().join(name);
        std::fs::create_dir_all(&p).unwrap();
        p
    }
}

/// Output of a finished command as text, for assertions with context.
pub fn text(out: &std::process::Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Copies a folder tree.
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

/// The output of an external checker (sha256sum, qpdf, pdftotext…), failing
/// clearly when it is not installed.
pub fn tool(name: &str, args: &[&str]) -> String {
    let out = std::process::Command::new(name)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("`{name}` is needed by this test ({e}); .ci/run installs it"));
    String::from_utf8_lossy(&out.stdout).into_owned()
}
