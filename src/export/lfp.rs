//! IPRO LFP: the image cross-reference IPRO-based loaders read beside the
//! OPT. One `IM` record per single-page image, CRLF after every line (as the
//! OPT and DAT), in Bates order:
//!
//! ```text
//! IM,DHS-MPP-000101,D,0,@VOL001;IMAGES\0001;DHS-MPP-000101.tif;2
//! IM,DHS-MPP-000102,,0,@VOL001;IMAGES\0001;DHS-MPP-000102.jpg;4
//! ```
//!
//! Boundary `D` starts a document and empty continues it; offset 0 because
//! every file holds one page; type 2 is TIFF and 4 JPEG (reference/
//! standards.md §2b). Commas and semicolons separate fields and nothing
//! quotes them, so a value holding either is refused.

use super::opt::{OptError, check};

/// One page image's record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LfpPage {
    /// The page's Bates number (the image key).
    pub key: String,
    /// True on a document's first page.
    pub doc_start: bool,
    /// Folder inside the volume, backslash-separated: `IMAGES\0001`.
    pub folder: String,
    /// File name: `DHS-MPP-000101.tif`.
    pub file: String,
    /// IPRO image type: 2 TIFF, 4 JPEG.
    pub image_type: u8,
}

/// Writes the LFP for `volume`'s pages, in the order given.
pub fn write_lfp(volume: &str, pages: &[LfpPage]) -> Result<Vec<u8>, OptError> {
    check_field("VOLUME", volume)?;
    let mut out = String::new();
    for p in pages {
        append_lfp(volume, p, &mut out)?;
    }
    Ok(out.into_bytes())
}

/// Appends one page's record to `out` (a volume streams its LFP).
pub fn append_lfp(volume: &str, p: &LfpPage, out: &mut String) -> Result<(), OptError> {
    check_field("VOLUME", volume)?;
    check_field("KEY", &p.key)?;
    check_field("PATH", &p.folder)?;
    check_field("PATH", &p.file)?;
    out.push_str(&format!(
        "IM,{},{},0,@{volume};{};{};{}\r\n",
        p.key,
        if p.doc_start { "D" } else { "" },
        p.folder,
        p.file,
        p.image_type
    ));
    Ok(())
}

fn check_field(field: &'static str, value: &str) -> Result<(), OptError> {
    check(field, value, false)?;
    if value.contains(';') {
        return Err(OptError::Semicolon {
            field,
            value: value.to_string(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(key: &str, start: bool, file: &str, ty: u8) -> LfpPage {
        LfpPage {
            key: key.into(),
            doc_start: start,
            folder: r"IMAGES\0001".into(),
            file: file.into(),
            image_type: ty,
        }
    }

    #[test]
    fn ipro_im_records() {
        let bytes = write_lfp(
            "VOL001",
            &[
                page("DHS-MPP-000101", true, "DHS-MPP-000101.tif", 2),
                page("DHS-MPP-000102", false, "DHS-MPP-000102.jpg", 4),
            ],
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            "IM,DHS-MPP-000101,D,0,@VOL001;IMAGES\\0001;DHS-MPP-000101.tif;2\r\n\
             IM,DHS-MPP-000102,,0,@VOL001;IMAGES\\0001;DHS-MPP-000102.jpg;4\r\n"
        );
    }

    #[test]
    fn reads_back_with_the_audit_reader() {
        let bytes = write_lfp("VOL001", &[page("A-1", true, "A-1.tif", 2)]).unwrap();
        let read = crate::audit::read::lfp::read(&bytes);
        assert_eq!(read.lines.len(), 1);
        assert_eq!(read.lines[0].path(), r"IMAGES\0001\A-1.tif");
        assert!(read.lines[0].doc_break());
        assert!(read.problems.is_empty());
    }

    #[test]
    fn refuses_separators_in_values() {
        let err = write_lfp("VOL001", &[page("A;1", true, "A.tif", 2)]).unwrap_err();
        assert!(
            matches!(err, OptError::Semicolon { field: "KEY", .. }),
            "{err}"
        );
        let err = write_lfp("VOL001", &[page("A,1", true, "A.tif", 2)]).unwrap_err();
        assert!(matches!(err, OptError::Comma { field: "KEY", .. }), "{err}");
        let err = write_lfp("VOL;1", &[]).unwrap_err();
        assert!(matches!(err, OptError::Semicolon { .. }), "{err}");
    }
}
