//! Reading a file once: SHA-256 and MD5 of the same bytes, and the bytes
//! themselves when a reader parses them. Files no reader parses are streamed
//! through a small buffer, so a large binary costs no memory.

use crate::model::hex;
use md5::Md5;
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::Path;

const CHUNK: usize = 4 * 1024 * 1024;
/// What the type sniffers and the non-parsing readers look at.
const HEAD: usize = 64 * 1024;

pub struct Hashed {
    pub sha256: String,
    pub md5: String,
    pub size: u64,
}

/// SHA-256 and MD5 of one buffer, on two threads when it is large.
pub fn digest(bytes: &[u8]) -> (String, String) {
    if bytes.len() < 1 << 20 {
        return (hex(&Sha256::digest(bytes)), hex(&Md5::digest(bytes)));
    }
    let (sha, md5) = rayon::join(|| Sha256::digest(bytes), || Md5::digest(bytes));
    (hex(&sha), hex(&md5))
}

/// Whether a reader parses the whole file (PDF, Office package, e-mail), judged
/// from its first bytes and name.
fn parsed_whole(head: &[u8], file_name: &str) -> bool {
    head[..head.len().min(1024)]
        .windows(5)
        .any(|w| w == b"%PDF-")
        || head.starts_with(b"PK\x03\x04")
        || head.starts_with(&crate::extract::message::CFB)
        || crate::extract::extension(file_name) == "mbox"
        || crate::extract::mbox::looks_like_mbox(head)
        || crate::extract::extension(file_name) == "eml"
        || crate::extract::email::looks_like_email(&head[..head.len().min(1024)])
}

/// Reads `path` once and hashes it. Returns the whole file when a reader
/// parses it, else its first bytes (enough to tell its type).
pub fn read_and_hash(
    path: &Path,
    expected_size: u64,
    file_name: &str,
) -> std::io::Result<(Hashed, Vec<u8>)> {
    let mut file = crate::files::open_regular(path)?;
    let mut head = vec![0u8; HEAD.min(expected_size as usize + 1).max(1)];
    let n = read_full(&mut file, &mut head)?;
    head.truncate(n);
    if n < head.capacity() || parsed_whole(&head, file_name) {
        let mut bytes = head;
        bytes.reserve(expected_size.saturating_sub(bytes.len() as u64) as usize + 1);
        file.read_to_end(&mut bytes)?;
        let (sha256, md5) = digest(&bytes);
        return Ok((
            Hashed {
                sha256,
                md5,
                size: bytes.len() as u64,
            },
            bytes,
        ));
    }
    let (mut sha, mut md5) = (Sha256::new(), Md5::new());
    sha.update(&head);
    md5.update(&head);
    let mut size = head.len() as u64;
    let mut buf = vec![0u8; CHUNK];
    loop {
        let n = read_full(&mut file, &mut buf)?;
        if n == 0 {
            break;
        }
        let chunk = &buf[..n];
        rayon::join(|| sha.update(chunk), || md5.update(chunk));
        size += n as u64;
    }
    Ok((
        Hashed {
            sha256: hex(&sha.finalize()),
            md5: hex(&md5.finalize()),
            size,
        },
        head,
    ))
}

/// Fills `buf` from `file` unless the file ends first; the number of bytes read.
pub fn read_full(file: &mut std::fs::File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match file.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_digests() {
        let (sha, md5) = digest(b"abc");
        assert_eq!(
            sha,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(md5, "900150983cd24fb0d6963f7d28e17f72");
        let big = vec![7u8; 3 << 20];
        assert_eq!(
            digest(&big),
            (hex(&Sha256::digest(&big)), hex(&Md5::digest(&big)))
        );
    }

    #[test]
    fn streamed_and_whole_reads_hash_alike() {
        let dir = tempfile::tempdir().unwrap();
        let bin = dir.path().join("big.bin");
        let data: Vec<u8> = (0..(9 << 20)).map(|i| (i * 7 % 251) as u8).collect();
        std::fs::write(&bin, &data).unwrap();
        let (h, kept) = read_and_hash(&bin, data.len() as u64, "big.bin").unwrap();
        assert_eq!((h.sha256, h.md5), digest(&data));
        assert_eq!(h.size, data.len() as u64);
        assert_eq!(
            kept.len(),
            HEAD,
            "a file no reader parses keeps only its head"
        );
        let mut pdf = b"%PDF-1.4\n".to_vec();
        pdf.extend_from_slice(&data);
        let p = dir.path().join("x.pdf");
        std::fs::write(&p, &pdf).unwrap();
        let (h, kept) = read_and_hash(&p, pdf.len() as u64, "x.pdf").unwrap();
        assert_eq!((h.sha256, h.md5), digest(&pdf));
        assert_eq!(kept, pdf, "a PDF is kept whole for the parser");
    }
}
