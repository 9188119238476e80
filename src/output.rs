//! Where output goes: data on stdout, messages and progress on stderr.

mod json;
mod table;

pub use json::JsonArray;
pub use table::{Table, table};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

/// Prints a serde value as pretty JSON on stdout.
pub fn print_json<T: serde::Serialize>(value: &T) -> Result<(), crate::Error> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| crate::Error::internal(format!("could not write JSON: {e}")))?;
    let mut out = std::io::stdout().lock();
    // A closed pipe (`| head`) is not an error worth reporting.
    let _ = writeln!(out, "{text}");
    Ok(())
}

/// A failure writing standard output, in words.
pub fn stdout_failed(words: impl std::fmt::Display) -> crate::Error {
    crate::Error::internal(format!("could not write to standard output: {words}"))
}

/// A byte-counting progress bar on stderr, hidden unless stderr is a terminal.
pub fn byte_progress(message: &'static str) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template(
        "{msg} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(message);
    bar
}

/// A counting progress bar on stderr, hidden unless stderr is a terminal.
pub fn count_progress(message: &'static str, len: u64) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} eta {eta}") {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(message);
    bar
}

/// Bytes in human units.
pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut value = n as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{n} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

/// A message that may quote user input, shortened for a terminal: over
/// 400 characters, its first 200 and last 160 are kept around a note of how
/// many were left out (the end usually says what to do).
pub fn clip(text: &str) -> std::borrow::Cow<'_, str> {
    const HEAD: usize = 200;
    const TAIL: usize = 160;
    if text.len() <= HEAD + TAIL + 40 {
        return std::borrow::Cow::Borrowed(text);
    }
    let chars = text.chars().count();
    if chars <= HEAD + TAIL + 40 {
        return std::borrow::Cow::Borrowed(text);
    }
    let head: String = text.chars().take(HEAD).collect();
    let tail_start = text
        .char_indices()
        .nth(chars - TAIL)
        .map_or(text.len(), |(i, _)| i);
    std::borrow::Cow::Owned(format!(
        "{head}… ({} characters left out) …{}",
        chars - HEAD - TAIL,
        &text[tail_start..]
    ))
}

#[cfg(test)]
mod clip_tests {
    #[test]
    fn long_text_keeps_its_ends() {
        let long = format!("start {} end", "x".repeat(1_000_000));
        let c = super::clip(&long);
        assert!(c.len() < 500, "{}", c.len());
        assert!(c.starts_with("start ") && c.ends_with(" end"));
        assert_eq!(super::clip("short"), "short");
    }
}

/// Text bound for a terminal with its control characters (ESC, BEL, CR,
/// …) written as escapes (`\u{1b}`), so a file name cannot move the cursor,
/// ring the bell or rewrite the screen. Tabs stay as they are.
pub fn escape_controls(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(|c| c.is_control() && c != '\t') {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c.is_control() && c != '\t' {
            out.push_str(&c.escape_unicode().to_string());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod escape_tests {
    #[test]
    fn controls_are_escaped() {
        assert_eq!(
            super::escape_controls("a\u{1b}[2Jb\u{7}\r"),
            "a\\u{1b}[2Jb\\u{7}\\u{d}"
        );
        assert_eq!(super::escape_controls("plain\tname.pdf"), "plain\tname.pdf");
    }
}

/// With the variable `env` set (`ADREC_AUDIT_TIMING=1`,
/// `ADREC_PRODUCE_TIMING=1`), prints on stderr when each phase of a command
/// ends and the memory in use then (where `/proc` tells it); else nothing.
pub fn phase_timer(
    env: &'static str,
    command: &'static str,
    started: std::time::Instant,
) -> impl Fn(&str) {
    let timing = std::env::var_os(env).is_some();
    move |name: &str| {
        if timing {
            let rss = std::fs::read_to_string("/proc/self/status")
                .ok()
                .and_then(|s| {
                    s.lines()
                        .find(|l| l.starts_with("VmRSS:"))
                        .map(|l| format!(", {} in use", l[6..].trim()))
                })
                .unwrap_or_default();
            eprintln!(
                "[{command} timing] {name}: {:.3} s{rss}",
                started.elapsed().as_secs_f64()
            );
        }
    }
}

/// Where a command's data goes (an export): standard output, or a file
/// that appears whole when it is finished and not at all if the command fails.
pub enum Destination {
    Stdout {
        out: std::io::BufWriter<std::io::Stdout>,
        /// The reader closed the pipe (`| head`): it has what it wanted,
        /// and the rest goes nowhere, as no error worth reporting.
        closed: bool,
    },
    File(crate::files::AtomicFile),
}

impl Destination {
    pub fn open(path: Option<&Path>) -> Result<Destination, crate::Error> {
        Ok(match path {
            None => Destination::Stdout {
                out: std::io::BufWriter::with_capacity(1 << 16, std::io::stdout()),
                closed: false,
            },
            Some(path) => Destination::File(crate::files::AtomicFile::create(path)?),
        })
    }

    pub fn path(&self) -> Option<&Path> {
        match self {
            Destination::Stdout { .. } => None,
            Destination::File(file) => Some(file.path()),
        }
    }

    /// Where a temporary file of the log's rows goes: beside the output
    /// file (the user chose that disk), or the system's temporary folder.
    pub fn spill_folder(&self) -> PathBuf {
        match self.path() {
            Some(path) => crate::files::folder_of(path).to_path_buf(),
            None => std::env::temp_dir(),
        }
    }

    pub fn put(&mut self, bytes: &[u8]) -> Result<(), crate::Error> {
        self.write_all(bytes)
            .map_err(|e| self.failed(e.to_string()))
    }

    /// A failure writing, in words, with where it was going.
    pub fn failed(&self, words: String) -> crate::Error {
        match self.path() {
            Some(path) => {
                crate::Error::internal(format!("could not write `{}`: {words}", path.display()))
            }
            None => stdout_failed(words),
        }
    }

    /// Flushes standard output, or gives the file its name (and says so).
    pub fn finish(mut self, json: bool) -> Result<(), crate::Error> {
        self.flush().map_err(|e| self.failed(e.to_string()))?;
        if let Destination::File(file) = self {
            let path = file.path().to_path_buf();
            file.commit()?;
            if !json {
                eprintln!("Wrote {}", path.display());
            }
        }
        Ok(())
    }
}

impl Destination {
    /// Does `op` on the output; once the reader of standard output has
    /// closed the pipe, what follows goes nowhere and answers `if_closed`.
    fn pass<T>(
        &mut self,
        if_closed: T,
        op: impl FnOnce(&mut dyn Write) -> std::io::Result<T>,
    ) -> std::io::Result<T> {
        match self {
            Destination::Stdout { closed: true, .. } => Ok(if_closed),
            Destination::Stdout { out, closed } => match op(out) {
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                    *closed = true;
                    Ok(if_closed)
                }
                other => other,
            },
            Destination::File(file) => op(file),
        }
    }
}

impl Write for Destination {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.pass(buf.len(), |out| out.write(buf))
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.pass((), |out| out.flush())
    }
}

#[cfg(test)]
mod destination_tests {
    use super::*;

    #[test]
    fn a_file_appears_only_when_finished_and_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("index.csv");
        let mut out = Destination::open(Some(&path)).unwrap();
        assert_eq!(out.spill_folder(), dir.path());
        out.put(b"a,b\r\n").unwrap();
        assert!(!path.exists(), "not before it is whole");
        // An export that fails leaves nothing behind.
        drop(out);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
        let mut out = Destination::open(Some(&path)).unwrap();
        out.put(b"a,b\r\n").unwrap();
        out.put(b"1,2\r\n").unwrap();
        out.finish(true).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"a,b\r\n1,2\r\n");
        let failed = Destination::open(Some(&path))
            .unwrap()
            .failed("No space left on device".into())
            .to_string();
        assert!(failed.contains("index.csv"), "{failed}");
        assert!(failed.contains("No space left on device"), "{failed}");
        let stdout = Destination::open(None).unwrap();
        assert_eq!(stdout.path(), None);
        assert!(
            stdout
                .failed("gone".into())
                .to_string()
                .contains("standard output")
        );
    }
}
