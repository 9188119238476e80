//! Counting the frames (pages) of a TIFF by walking its chain of image file
//! directories, classic or BigTIFF, without decoding any image.

/// Frames in a TIFF, or why the chain of directories cannot be walked.
pub fn frames(bytes: &[u8]) -> Result<u64, String> {
    let little = match bytes.get(..2) {
        Some(b"II") => true,
        Some(b"MM") => false,
        _ => return Err("it does not start with a TIFF byte-order mark (II or MM)".into()),
    };
    let u16_at = |at: usize| -> Option<u64> {
        let b: [u8; 2] = bytes.get(at..at.checked_add(2)?)?.try_into().ok()?;
        Some(u64::from(if little {
            u16::from_le_bytes(b)
        } else {
            u16::from_be_bytes(b)
        }))
    };
    let u32_at = |at: usize| -> Option<u64> {
        let b: [u8; 4] = bytes.get(at..at.checked_add(4)?)?.try_into().ok()?;
        Some(u64::from(if little {
            u32::from_le_bytes(b)
        } else {
            u32::from_be_bytes(b)
        }))
    };
    let u64_at = |at: usize| -> Option<u64> {
        let b: [u8; 8] = bytes.get(at..at.checked_add(8)?)?.try_into().ok()?;
        Some(if little {
            u64::from_le_bytes(b)
        } else {
            u64::from_be_bytes(b)
        })
    };
    let truncated = |what: &str| format!("it ends inside {what}");
    let big = match u16_at(2) {
        Some(42) => false,
        Some(43) => true,
        _ => return Err("its version is neither 42 (TIFF) nor 43 (BigTIFF)".into()),
    };
    let mut next =
        if big { u64_at(8) } else { u32_at(4) }.ok_or_else(|| truncated("its header"))?;
    let mut seen = std::collections::HashSet::new();
    let mut count = 0u64;
    while next != 0 {
        if !seen.insert(next) {
            return Err(format!("its directory chain loops back to offset {next}"));
        }
        let at = usize::try_from(next).map_err(|_| truncated("a directory"))?;
        let entries = if big { u64_at(at) } else { u16_at(at) }
            .ok_or_else(|| format!("directory {} points past the end of the file", count + 1))?;
        let (head, size) = if big { (8u64, 20u64) } else { (2, 12) };
        let link = next
            .checked_add(head)
            .and_then(|v| v.checked_add(entries.checked_mul(size)?))
            .and_then(|v| usize::try_from(v).ok())
            .ok_or_else(|| truncated("a directory"))?;
        next = if big { u64_at(link) } else { u32_at(link) }
            .ok_or_else(|| truncated(&format!("directory {}", count + 1)))?;
        count += 1;
    }
    if count == 0 {
        return Err("it holds no image directory".into());
    }
    Ok(count)
}

/// Whether the bytes start like a TIFF.
pub fn looks_tiff(bytes: &[u8]) -> bool {
    bytes.starts_with(b"II*\0")
        || bytes.starts_with(b"MM\0*")
        || bytes.starts_with(b"II+\0")
        || bytes.starts_with(b"MM\0+")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A classic little-endian TIFF with `n` empty directories chained.
    fn chain(n: u32) -> Vec<u8> {
        let mut out = b"II*\0".to_vec();
        out.extend_from_slice(&8u32.to_le_bytes());
        for k in 0..n {
            let here = 8 + 6 * k;
            out.extend_from_slice(&0u16.to_le_bytes());
            let next = if k + 1 == n { 0 } else { here + 6 };
            out.extend_from_slice(&next.to_le_bytes());
        }
        out
    }

    #[test]
    fn counts_frames_and_refuses_broken_chains() {
        assert_eq!(frames(&chain(1)), Ok(1));
        assert_eq!(frames(&chain(3)), Ok(3));
        let mut looped = chain(2);
        looped[16..20].copy_from_slice(&8u32.to_le_bytes());
        assert!(frames(&looped).unwrap_err().contains("loops"));
        assert!(frames(&chain(3)[..15]).is_err());
        assert!(
            frames(b"II*\0\xff\0\0\0")
                .unwrap_err()
                .contains("past the end")
        );
        assert!(frames(b"%PDF").is_err());
        // A BigTIFF whose first directory is at the last possible offset.
        let mut far = b"II+\0\x08\0\0\0".to_vec();
        far.extend_from_slice(&u64::MAX.to_le_bytes());
        assert!(
            frames(&far).unwrap_err().contains("past the end"),
            "{:?}",
            frames(&far)
        );
    }

    #[test]
    fn reads_the_pillow_fixtures() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/tiff/");
        let page = std::fs::read(format!("{dir}page.tif")).unwrap();
        let three = std::fs::read(format!("{dir}three_pages.tif")).unwrap();
        assert_eq!(frames(&page), Ok(1));
        assert_eq!(frames(&three), Ok(3));
    }
}
