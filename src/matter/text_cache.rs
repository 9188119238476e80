//! The matter's cache of extracted PDF text, `.adrec/text/<revision>/<sha256>.json`.
//!
//! A PDF's text (and its covered-text verdicts) is a pure function of its
//! bytes, so it is extracted once per file — at ingest, or the first time a
//! command needs it — and read back after: `produce`, `produce --dry-run` and
//! `status` then cost what reading a small file costs. The key is the SHA-256
//! of the exact bytes that go out (the original for a produced document, the
//! redacted file for a redacted one), so a cached text can never be another
//! file's. Each entry carries its own checksum (a CRC-32: it guards against
//! a torn write, not against tampering, which the matter folder as a whole
//! must be kept from), and anything unreadable is a miss: the cache can save time, never change what goes out. The revision
//! folder changes with adrec's version and the extractor's revision, so
//! text an older extractor made is never read.

use crate::pdf::PdfError;
use crate::pdf::text::DocText;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The cache's folder under `.adrec/`.
const CACHE_DIR: &str = "text";

/// Extracted texts by the SHA-256 of their PDF.
#[derive(Debug, Clone)]
pub struct TextCache {
    /// `None`: no cache (every text is extracted).
    dir: Option<PathBuf>,
}

impl TextCache {
    pub fn new(internal_dir: &Path) -> TextCache {
        let revision = format!(
            "{}-{}",
            env!("CARGO_PKG_VERSION"),
            crate::pdf::text::REVISION
        );
        TextCache {
            dir: Some(internal_dir.join(CACHE_DIR).join(revision)),
        }
    }

    /// A cache that keeps nothing.
    pub fn none() -> TextCache {
        TextCache { dir: None }
    }

    fn path(&self, sha256: &str) -> Option<PathBuf> {
        // Only a real SHA-256 names a file: a key never leaves the folder.
        let valid = sha256.len() == 64 && sha256.bytes().all(|b| b.is_ascii_hexdigit());
        self.dir
            .as_ref()
            .filter(|_| valid)
            .map(|d| d.join(format!("{}.json", sha256.to_ascii_lowercase())))
    }

    /// Whether the text of the PDF with this SHA-256 is kept.
    pub fn has(&self, sha256: &str) -> bool {
        self.path(sha256).is_some_and(|p| p.is_file())
    }

    /// The kept text of the PDF with this SHA-256, if any and intact.
    pub fn get(&self, sha256: &str) -> Option<DocText> {
        let bytes = std::fs::read(self.path(sha256)?).ok()?;
        let (sum, json) = bytes.split_at_checked(9)?;
        if sum != checksum_line(json).as_slice() {
            return None;
        }
        serde_json::from_slice(json).ok()
    }

    /// Keeps `text` as the text of the PDF with this SHA-256. Best effort: a
    /// cache that cannot be written (a read-only matter folder, a full disk)
    /// only means the text is extracted again next time.
    pub fn put(&self, sha256: &str, text: &DocText) {
        let Some(path) = self.path(sha256) else {
            return;
        };
        let Ok(json) = serde_json::to_vec(text) else {
            return;
        };
        let Some(dir) = path.parent() else {
            return;
        };
        // Written whole under a temporary name, then renamed: a reader sees
        // the old state or the new file, never part of one. No fsync: a file
        // torn by a power loss fails its checksum and is a miss.
        let _ = std::fs::create_dir_all(dir)
            .and_then(|_| tempfile::NamedTempFile::new_in(dir))
            .and_then(|mut tmp| {
                tmp.write_all(&checksum_line(&json))?;
                tmp.write_all(&json)?;
                tmp.persist(&path).map_err(|e| e.error)?;
                Ok(())
            });
    }

    /// The text of `pdf`, whose SHA-256 is `sha256` (checked by the caller
    /// against what was reviewed): kept, or extracted now and kept. With no
    /// key (bytes made just now, such as a padded replacement), extracted.
    pub fn text(&self, sha256: Option<&str>, pdf: &[u8]) -> Result<DocText, PdfError> {
        let Some(sha256) = sha256 else {
            return crate::pdf::text::extract(pdf);
        };
        if let Some(text) = self.get(sha256) {
            return Ok(text);
        }
        let text = crate::pdf::text::extract(pdf)?;
        self.put(sha256, &text);
        Ok(text)
    }
}

/// The first line of an entry: the CRC-32 of the rest, in hex.
fn checksum_line(json: &[u8]) -> [u8; 9] {
    let mut line = [b'\n'; 9];
    let hex = format!("{:08x}", crc32fast::hash(json));
    line[..8].copy_from_slice(hex.as_bytes());
    line
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdf::text::PageText;

    fn sample() -> DocText {
        DocText {
            pages: vec![
                PageText {
                    text: "Nguyễn – 机密\nline two".into(),
                    covered: 3,
                    problems: vec!["a problem".into()],
                },
                PageText::default(),
            ],
        }
    }

    #[test]
    fn a_kept_text_reads_back_exactly_and_a_damaged_one_is_a_miss() {
        let dir = tempfile::tempdir().expect("tempdir");
        let cache = TextCache::new(dir.path());
        let sha = crate::model::sha256_hex(b"some pdf");
        assert_eq!(cache.get(&sha), None);
        assert!(!cache.has(&sha));
        cache.put(&sha, &sample());
        assert!(cache.has(&sha));
        assert_eq!(cache.get(&sha), Some(sample()));
        let path = cache.path(&sha).expect("path");
        let mut bytes = std::fs::read(&path).expect("read");
        let last = bytes.len() - 2;
        bytes[last] ^= 1;
        std::fs::write(&path, &bytes).expect("write");
        assert_eq!(cache.get(&sha), None, "a flipped byte fails the checksum");
        bytes.truncate(40);
        std::fs::write(&path, &bytes).expect("write");
        assert_eq!(cache.get(&sha), None, "a torn file is a miss");
    }

    #[test]
    fn only_a_sha256_names_a_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let cache = TextCache::new(dir.path());
        for key in ["../../etc/passwd", "", &"g".repeat(64), &"a".repeat(63)] {
            cache.put(key, &sample());
            assert_eq!(cache.get(key), None, "{key}");
        }
        assert!(!dir.path().join(CACHE_DIR).exists(), "nothing was written");
        let none = TextCache::none();
        let sha = crate::model::sha256_hex(b"x");
        none.put(&sha, &sample());
        assert_eq!(none.get(&sha), None);
    }
}
