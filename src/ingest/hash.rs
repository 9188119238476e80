//! Reading a file once: SHA-256 and MD5 of the same bytes, and the bytes
//! themselves for the readers that parse them.

use crate::model::hex;
use md5::Md5;
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::Path;

/// Files larger than this that are not PDFs are hashed in chunks, not held whole.
const WHOLE_FILE_LIMIT: u64 = 512 * 1024 * 1024;
const CHUNK: usize = 8 * 1024 * 1024;

pub struct Hashed {
    pub sha256: String,
    pub md5: String,
    pub size: u64,
    /// The whole file, or its first chunk when it was too large to hold.
    pub bytes: Vec<u8>,
    pub complete: bool,
}

/// SHA-256 and MD5 of one buffer, on two threads when it is large.
pub fn digest(bytes: &[u8]) -> (String, String) {
    if bytes.len() < 1 << 20 {
        return (hex(&Sha256::digest(bytes)), hex(&Md5::digest(bytes)));
    }
    let (sha, md5) = rayon::join(|| Sha256::digest(bytes), || Md5::digest(bytes));
    (hex(&sha), hex(&md5))
}

/// Reads `path` once and hashes it.
pub fn read_and_hash(path: &Path, expected_size: u64) -> std::io::Result<Hashed> {
    let mut file = std::fs::File::open(path)?;
    if expected_size <= WHOLE_FILE_LIMIT {
        let mut bytes = Vec::with_capacity(expected_size as usize + 1);
        file.read_to_end(&mut bytes)?;
        let (sha256, md5) = digest(&bytes);
        return Ok(Hashed {
            sha256,
            md5,
            size: bytes.len() as u64,
            bytes,
            complete: true,
        });
    }
    let mut head = vec![0u8; 1024];
    let n = read_full(&mut file, &mut head)?;
    head.truncate(n);
    if head.windows(5).any(|w| w == b"%PDF-") {
        // A PDF is parsed whole: read the rest and hash the one buffer.
        file.read_to_end(&mut head)?;
        let (sha256, md5) = digest(&head);
        return Ok(Hashed {
            sha256,
            md5,
            size: head.len() as u64,
            bytes: head,
            complete: true,
        });
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
    Ok(Hashed {
        sha256: hex(&sha.finalize()),
        md5: hex(&md5.finalize()),
        size,
        bytes: head,
        complete: false,
    })
}

fn read_full(file: &mut std::fs::File, buf: &mut [u8]) -> std::io::Result<usize> {
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
}
