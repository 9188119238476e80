//! Opticon OPT: the image cross-reference. One ASCII line per Bates page,
//! seven comma-separated fields, CRLF after every line:
//!
//! ```text
//! DHS-MPP-000101,VOL001,VOL001\IMAGES\0001\DHS-MPP-000101.pdf,Y,,,3
//! DHS-MPP-000102,VOL001,VOL001\IMAGES\0001\DHS-MPP-000101.pdf,,,,
//! ```
//!
//! When images are multi-page PDFs, every line of a document names that
//! document's PDF and its k-th line is page k; when they are single-page
//! TIFF/JPEG, each line names its own page's file. The format has no
//! quoting, so a field holding a comma (or anything but printable ASCII) is
//! refused.

/// One document's pages in the OPT.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OptDoc {
    /// The Bates number of each page, in page order.
    pub page_keys: Vec<String>,
    /// Volume name, e.g. `VOL001`.
    pub volume: String,
    /// Backslash path of the document's IMAGES PDF, starting with the volume folder.
    pub image_path: String,
    /// Single-page images: each page's own backslash path, in page order.
    /// Empty when every page is in `image_path`.
    pub page_images: Vec<String>,
}

/// Why an OPT could not be written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OptError {
    #[error("OPT {field} `{value}` contains a comma, which the OPT format cannot carry")]
    Comma { field: &'static str, value: String },
    #[error("OPT {field} `{value}` contains a character outside printable ASCII")]
    NotPrintableAscii { field: &'static str, value: String },
    #[error("OPT {field} is empty")]
    Empty { field: &'static str },
    #[error("document `{image_path}` has no pages; an OPT document needs at least one")]
    NoPages { image_path: String },
    #[error("{field} `{value}` contains a semicolon, which the LFP format cannot carry")]
    Semicolon { field: &'static str, value: String },
    #[error("document `{image_path}` has {pages} page(s) but {images} page image(s)")]
    PageImages {
        image_path: String,
        pages: usize,
        images: usize,
    },
}

/// Writes the OPT for `docs`, in the order given.
pub fn write_opt(docs: &[OptDoc]) -> Result<Vec<u8>, OptError> {
    let mut out = String::new();
    for doc in docs {
        append_opt(doc, &mut out)?;
    }
    Ok(out.into_bytes())
}

/// Appends one document's OPT lines to `out` (a volume streams its OPT a
/// document at a time).
pub fn append_opt(doc: &OptDoc, out: &mut String) -> Result<(), OptError> {
    check("VOLUME", &doc.volume, true)?;
    check("PATH", &doc.image_path, false)?;
    if doc.page_keys.is_empty() {
        return Err(OptError::NoPages {
            image_path: doc.image_path.clone(),
        });
    }
    if !doc.page_images.is_empty() && doc.page_images.len() != doc.page_keys.len() {
        return Err(OptError::PageImages {
            image_path: doc.image_path.clone(),
            pages: doc.page_keys.len(),
            images: doc.page_images.len(),
        });
    }
    for (i, key) in doc.page_keys.iter().enumerate() {
        check("KEY", key, false)?;
        let path = doc.page_images.get(i).unwrap_or(&doc.image_path);
        check("PATH", path, false)?;
        out.push_str(key);
        out.push(',');
        out.push_str(&doc.volume);
        out.push(',');
        out.push_str(path);
        if i == 0 {
            out.push_str(",Y,,,");
            out.push_str(&doc.page_keys.len().to_string());
        } else {
            out.push_str(",,,,");
        }
        out.push_str("\r\n");
    }
    Ok(())
}

pub(crate) fn check(field: &'static str, value: &str, may_be_empty: bool) -> Result<(), OptError> {
    if value.is_empty() && !may_be_empty {
        return Err(OptError::Empty { field });
    }
    if value.contains(',') {
        return Err(OptError::Comma {
            field,
            value: value.to_string(),
        });
    }
    if !value.bytes().all(|b| (0x20..0x7F).contains(&b)) {
        return Err(OptError::NotPrintableAscii {
            field,
            value: value.to_string(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(keys: &[&str], path: &str) -> OptDoc {
        OptDoc {
            page_keys: keys.iter().map(|k| k.to_string()).collect(),
            volume: "VOL001".into(),
            image_path: path.into(),
            page_images: Vec::new(),
        }
    }

    #[test]
    fn single_page_images_each_name_their_own_file() {
        let mut d = doc(&["A-01", "A-02"], r"VOL001\IMAGES\0001\A-01.tif");
        d.page_images = vec![
            r"VOL001\IMAGES\0001\A-01.tif".into(),
            r"VOL001\IMAGES\0001\A-02.jpg".into(),
        ];
        assert_eq!(
            String::from_utf8(write_opt(&[d.clone()]).unwrap()).unwrap(),
            "A-01,VOL001,VOL001\\IMAGES\\0001\\A-01.tif,Y,,,2\r\n\
             A-02,VOL001,VOL001\\IMAGES\\0001\\A-02.jpg,,,,\r\n"
        );
        d.page_images.pop();
        assert!(matches!(
            write_opt(&[d]).unwrap_err(),
            OptError::PageImages {
                pages: 2,
                images: 1,
                ..
            }
        ));
    }

    #[test]
    fn spec_example() {
        let path = r"VOL001\IMAGES\0001\DHS-MPP-000101.pdf";
        let bytes = write_opt(&[doc(&["DHS-MPP-000101", "DHS-MPP-000102"], path)]).unwrap();
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            "DHS-MPP-000101,VOL001,VOL001\\IMAGES\\0001\\DHS-MPP-000101.pdf,Y,,,2\r\n\
             DHS-MPP-000102,VOL001,VOL001\\IMAGES\\0001\\DHS-MPP-000101.pdf,,,,\r\n"
        );
    }

    #[test]
    fn refuses_what_the_format_cannot_carry() {
        let err = write_opt(&[doc(&["A-1"], r"VOL001\IMAGES\0001\A,1.pdf")]).unwrap_err();
        assert!(
            matches!(err, OptError::Comma { field: "PATH", .. }),
            "{err}"
        );
        let err = write_opt(&[doc(&["A,1"], r"VOL001\a.pdf")]).unwrap_err();
        assert!(matches!(err, OptError::Comma { field: "KEY", .. }), "{err}");
        let err = write_opt(&[doc(&["A-1"], "VOL001\\é.pdf")]).unwrap_err();
        assert!(matches!(err, OptError::NotPrintableAscii { .. }), "{err}");
        let err = write_opt(&[doc(&["A-1\r\n"], r"VOL001\a.pdf")]).unwrap_err();
        assert!(matches!(err, OptError::NotPrintableAscii { .. }), "{err}");
        let err = write_opt(&[doc(&[], r"VOL001\a.pdf")]).unwrap_err();
        assert!(matches!(err, OptError::NoPages { .. }), "{err}");
        let err = write_opt(&[doc(&[""], r"VOL001\a.pdf")]).unwrap_err();
        assert!(matches!(err, OptError::Empty { field: "KEY" }), "{err}");
    }

    #[test]
    fn empty_input_is_an_empty_file() {
        assert_eq!(write_opt(&[]).unwrap(), Vec::<u8>::new());
    }
}
