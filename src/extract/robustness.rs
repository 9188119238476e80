//! The readers on deterministic mutations of every fixture: truncations and
//! byte flips. Readers must return (a document with a problem is fine); a
//! panic caught by the guard shows up as its "could not make sense" message.

use super::extract;
use std::path::Path;

/// xorshift64*: deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

fn fixtures() -> Vec<(String, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut out = Vec::new();
    for folder in ["pdf", "eml", "office"] {
        let Ok(dir) = std::fs::read_dir(root.join(folder)) else {
            continue;
        };
        let mut paths: Vec<_> = dir.flatten().map(|e| e.path()).collect();
        paths.sort();
        for p in paths {
            if let Ok(bytes) = std::fs::read(&p) {
                out.push((
                    p.file_name()
                        .unwrap_or_default()
                        .to_string_lossy()
                        .into_owned(),
                    bytes,
                ));
            }
        }
    }
    out
}

fn check(name: &str, bytes: &[u8], what: &str) {
    let e = extract(bytes, name);
    if let Some(problem) = &e.problem {
        assert!(
            !problem.contains("could not make sense"),
            "{name} ({what}): a reader panicked: {problem}"
        );
    }
    if e.pages.is_some() {
        assert!(
            e.problem.is_none(),
            "{name} ({what}): pages and a problem at once"
        );
    }
}

#[test]
fn readers_survive_truncation_and_bit_flips() {
    let files = fixtures();
    assert!(files.len() >= 30, "fixtures not found");
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for (name, bytes) in &files {
        for cut in [
            0,
            1,
            7,
            64,
            bytes.len() / 3,
            bytes.len() / 2,
            bytes.len().saturating_sub(20),
            bytes.len().saturating_sub(1),
        ] {
            check(
                name,
                &bytes[..cut.min(bytes.len())],
                &format!("cut at {cut}"),
            );
        }
        for round in 0..40 {
            let mut mutated = bytes.clone();
            if mutated.is_empty() {
                break;
            }
            for _ in 0..(1 + round % 8) {
                let at = (rng.next() % mutated.len() as u64) as usize;
                mutated[at] = (rng.next() & 0xff) as u8;
            }
            check(name, &mutated, &format!("flip round {round}"));
        }
    }
}
