//! Where output goes: data on stdout, messages and progress on stderr.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::{IsTerminal, Write};

/// Prints a serde value as pretty JSON on stdout.
pub fn print_json<T: serde::Serialize>(value: &T) -> Result<(), crate::Error> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| crate::Error::internal(format!("could not write JSON: {e}")))?;
    let mut out = std::io::stdout().lock();
    // A closed pipe (`| head`) is not an error worth reporting.
    let _ = writeln!(out, "{text}");
    Ok(())
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

/// Left-aligned text columns, two spaces apart.
pub fn table(headers: &[&str], rows: &[Vec<String>]) -> String {
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|r| r.iter().map(|c| escape_controls(c).into_owned()).collect())
        .collect();
    let rows = &rows;
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<&str>| {
        let mut s = String::new();
        for (i, (cell, w)) in cells.iter().zip(&widths).enumerate() {
            if i + 1 == cells.len() {
                s.push_str(cell);
            } else {
                s.push_str(&format!("{cell:<w$}  "));
            }
        }
        s.trim_end().to_string()
    };
    let mut out = line(headers.to_vec());
    out.push('\n');
    for row in rows {
        out.push_str(&line(row.iter().map(String::as_str).collect()));
        out.push('\n');
    }
    out
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
