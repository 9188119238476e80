//! Helpers shared by the end-to-end tests.
#![allow(dead_code)]

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
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

/// Headless Chromium's path. A test that needs it fails when it is missing
/// (`.ci/run` installs it), unless ADREC_SKIP_BROWSER=1, which skips it.
pub fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    for name in ["chromium", "chromium-browser", "google-chrome"] {
        for dir in std::env::split_paths(&path) {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
    }
    if std::env::var("ADREC_SKIP_BROWSER").as_deref() == Ok("1") {
        eprintln!("skipped: chromium is not installed and ADREC_SKIP_BROWSER=1");
        return None;
    }
    panic!(
        "chromium is not installed: install it (`apt-get install -y chromium`, as .ci/run does) or set ADREC_SKIP_BROWSER=1 to skip this test"
    );
}

/// Runs headless Chromium with the flags CI uses, killing it after 120 s.
pub fn run_chromium(bin: &Path, profile: &Path, extra: &[String]) -> std::process::Output {
    let mut child = std::process::Command::new(bin)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("chromium could not be started");
    let started = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            return child.wait_with_output().unwrap();
        }
        if started.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            let out = child.wait_with_output().unwrap();
            panic!(
                "chromium did not finish within 120 s: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The DOM of a page as headless Chromium renders it (None when skipped).
pub fn chromium_dom(page: &Path) -> Option<String> {
    let bin = chromium()?;
    let profile = tempfile::tempdir().unwrap();
    let out = run_chromium(
        &bin,
        profile.path(),
        &[
            "--virtual-time-budget=2000".to_string(),
            "--dump-dom".to_string(),
            format!("file://{}", page.display()),
        ],
    );
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}
