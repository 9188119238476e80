//! Peak memory of ingest on a large PDF: its own bytes once, not twice (the
//! full PDF reader copies every stream while loading; large files go to
//! the quick reader, which copies none). The peak is the child's VmHWM,
//! read from /proc while it runs: a reading can only come out low (taken
//! before the peak), never high, so the bound cannot fail spuriously.

use crate::util::TestMatter;
use std::io::Write;
use std::path::Path;
use std::time::Duration;

/// A one-page PDF whose content stream is `mb` MiB of comments, with a
/// classic cross-reference table.
fn large_pdf(path: &Path, mb: usize) {
    struct Out {
        f: std::io::BufWriter<std::fs::File>,
        at: usize,
    }
    impl Out {
        fn put(&mut self, bytes: &[u8]) {
            self.f.write_all(bytes).unwrap();
            self.at += bytes.len();
        }
    }
    let mut out = Out {
        f: std::io::BufWriter::new(std::fs::File::create(path).unwrap()),
        at: 0,
    };
    let mut offsets = Vec::new();
    out.put(b"%PDF-1.4\n");
    for body in [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
    ] {
        offsets.push(out.at);
        let n = offsets.len();
        out.put(format!("{n} 0 obj\n{body}\nendobj\n").as_bytes());
    }
    let length = mb << 20;
    offsets.push(out.at);
    out.put(format!("4 0 obj\n<< /Length {length} >>\nstream\n").as_bytes());
    let line = b"% filler line of a large content stream\n";
    let mut left = length;
    while left > 0 {
        let n = left.min(line.len());
        out.put(&line[..n]);
        left -= n;
    }
    out.put(b"\nendstream\nendobj\n");
    let xref = out.at;
    out.put(b"xref\n0 5\n0000000000 65535 f \n");
    for o in &offsets {
        out.put(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.put(format!("trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n").as_bytes());
    out.f.flush().unwrap();
}

/// The highest VmHWM (KiB) read while `cmd` runs.
pub(crate) fn peak_kib(mut cmd: std::process::Command) -> (std::process::ExitStatus, u64) {
    let mut child = cmd
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak = 0;
    loop {
        if let Ok(s) = std::fs::read_to_string(&status_file)
            && let Some(kib) = s
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        {
            peak = peak.max(kib);
        }
        if let Some(status) = child.try_wait().unwrap() {
            return (status, peak);
        }
        std::thread::sleep(Duration::from_millis(1));
    }
}

#[test]
fn ingest_holds_a_large_pdf_once() {
    if !Path::new("/proc/self/status").exists() {
        eprintln!("skipped: no /proc to read the peak memory from");
        return;
    }
    let m = TestMatter::new("generic");
    let src = m.dir.path().join("large");
    std::fs::create_dir_all(&src).unwrap();
    const MB: u64 = 96;
    large_pdf(&src.join("large.pdf"), MB as usize);
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_adrec"));
    cmd.current_dir(&m.root)
        .env_remove("ADREC_MATTER")
        .env("USER", "tester")
        .args(["ingest", src.to_str().unwrap()]);
    let (status, peak) = peak_kib(cmd);
    assert!(status.success(), "ingest failed");
    eprintln!("ingest of a {MB} MiB PDF peaked at {} MiB", peak / 1024);
    // Twice the file would be 192 MiB; once, plus the program's own, ~110.
    let bound = (MB * 1024) * 3 / 2;
    assert!(
        peak < bound,
        "ingest of a {MB} MiB PDF peaked at {} MiB (bound {} MiB)",
        peak / 1024,
        bound / 1024
    );
    let docs = m.cmd().args(["docs", "--format", "csv"]).output().unwrap();
    let listing = String::from_utf8_lossy(&docs.stdout);
    assert!(listing.contains("large.pdf"), "{listing}");
}
