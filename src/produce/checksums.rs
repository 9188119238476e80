//! SHA256SUMS, from the hashes taken as each file was written (no second
//! read), sorted by path. The lines are gathered in runs: a full run is
//! sorted and spilled to a temporary file, and the runs are merged when
//! the file is written, so a volume of three million files holds one run's
//! lines, not all of them.

use crate::error::Error;
use crate::export::spill::{Spill, SpillWriter};
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Lines held before they are sorted and spilled (about 8 MB).
const RUN: usize = 1 << 16;

/// SHA256SUMS lines, gathered as the volume's files are written: one
/// compact `SHA  PATH` entry a file.
pub(super) struct Checksums {
    /// Where runs are spilled (beside the staging folder, outside it).
    dir: PathBuf,
    lines: Vec<Box<str>>,
    runs: Vec<Spill<Box<str>>>,
}

/// Each line is 64 hex digits, two spaces, the path.
fn path_of(line: &str) -> &str {
    line.get(66..).unwrap_or(line)
}

impl Checksums {
    pub(super) fn new_in(dir: &Path) -> Checksums {
        Checksums {
            dir: dir.to_path_buf(),
            lines: Vec::new(),
            runs: Vec::new(),
        }
    }

    /// (volume-relative path, SHA-256) of files written.
    pub(super) fn extend(
        &mut self,
        files: impl IntoIterator<Item = (String, String)>,
    ) -> Result<(), Error> {
        for (rel, sha) in files {
            self.lines.push(format!("{sha}  {rel}").into_boxed_str());
            if self.lines.len() >= RUN {
                self.spill()?;
            }
        }
        Ok(())
    }

    fn sort(&mut self) {
        self.lines
            .sort_unstable_by(|a, b| path_of(a).cmp(path_of(b)));
    }

    fn spill(&mut self) -> Result<(), Error> {
        self.sort();
        let mut run = SpillWriter::new_in(&self.dir)?;
        for line in self.lines.drain(..) {
            run.push(&line)?;
        }
        self.runs.push(run.finish()?);
        Ok(())
    }
}

/// Writes SHA256SUMS over every file in the volume, `sha256sum -c`
/// compatible, sorted by path.
pub(super) fn write_checksums(staging: &Path, mut sums: Checksums) -> Result<(), Error> {
    let path = staging.join("SHA256SUMS");
    let io = |e: std::io::Error| Error::io("write", &path, e);
    let mut out = std::io::BufWriter::new(std::fs::File::create(&path).map_err(io)?);
    let mut line = |text: &str| {
        out.write_all(text.as_bytes())
            .and_then(|()| out.write_all(b"\n"))
            .map_err(io)
    };
    if sums.runs.is_empty() {
        sums.sort();
        for l in &sums.lines {
            line(l)?;
        }
    } else {
        if !sums.lines.is_empty() {
            sums.spill()?;
        }
        // A k-way merge: the smallest path among the runs' next lines.
        let mut runs: Vec<_> = sums.runs.iter().map(|r| r.rows()).collect();
        let mut heads = BinaryHeap::new();
        for (i, run) in runs.iter_mut().enumerate() {
            if let Some(l) = run.next() {
                heads.push(Reverse(Head(l?, i)));
            }
        }
        while let Some(Reverse(Head(l, i))) = heads.pop() {
            line(&l)?;
            if let Some(next) = runs[i].next() {
                heads.push(Reverse(Head(next?, i)));
            }
        }
    }
    out.flush().map_err(io)
}

/// A run's next line, ordered by its path.
struct Head(Box<str>, usize);

impl PartialEq for Head {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other).is_eq()
    }
}
impl Eq for Head {}
impl PartialOrd for Head {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Head {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        path_of(&self.0)
            .cmp(path_of(&other.0))
            .then(self.1.cmp(&other.1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_merge_into_one_list_sorted_by_path() {
        let dir = tempfile::tempdir().unwrap();
        let staging = dir.path().join("staging");
        std::fs::create_dir(&staging).unwrap();
        let mut sums = Checksums::new_in(dir.path());
        // Three runs and a rest, written out of order.
        let n = RUN * 3 + 17;
        let files: Vec<(String, String)> = (0..n)
            .map(|i| {
                let k = (i * 7919) % n;
                (
                    format!("NATIVES/{:04}/F{k:08}.txt", k / 1000),
                    format!("{:064x}", k),
                )
            })
            .collect();
        sums.extend(files).unwrap();
        assert_eq!(sums.runs.len(), 3);
        write_checksums(&staging, sums).unwrap();
        let text = std::fs::read_to_string(staging.join("SHA256SUMS")).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), n);
        for (k, l) in lines.iter().enumerate() {
            assert_eq!(
                *l,
                format!("{:064x}  NATIVES/{:04}/F{k:08}.txt", k, k / 1000)
            );
        }
    }
}
