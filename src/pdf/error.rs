//! Why a PDF could not be read or written, by kind, so each caller can decide
//! what it means: a source that cannot be read is a blocker (exit 1) or an
//! ingest problem; a file adrec itself wrote that does not read back is
//! adrec's failure (exit 4). The caller names the file or document; the
//! message says what is wrong with it and, where it helps, what to do.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PdfError {
    /// Not a PDF at all: what the content looks like instead.
    NotPdf(String),
    /// Needs a user password to open.
    Encrypted,
    /// Damaged beyond what the reader repairs (truncated, no catalog, ...).
    Corrupt(String),
    /// One page cannot be read; `page` counts from 1 when known.
    Page {
        page: Option<usize>,
        message: String,
    },
    /// A text the volume's fonts were not prepared for.
    Font(String),
    /// The reader gave up on the file (it panicked inside the library).
    Damaged(String),
    /// A PDF adrec wrote could not be written or does not read back as written.
    Output(String),
}

impl PdfError {
    /// A page the stamper cannot read.
    pub fn page(page: usize) -> PdfError {
        PdfError::Page {
            page: Some(page),
            message: "a page of the PDF cannot be read".into(),
        }
    }

    /// True when the fault is in adrec's own output, not in the source.
    pub fn is_output(&self) -> bool {
        matches!(self, PdfError::Output(_) | PdfError::Font(_))
    }
}

impl fmt::Display for PdfError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PdfError::Encrypted => {
                f.write_str("password-protected PDF: it needs a user password to open")
            }
            PdfError::NotPdf(m)
            | PdfError::Corrupt(m)
            | PdfError::Font(m)
            | PdfError::Damaged(m)
            | PdfError::Output(m)
            | PdfError::Page { message: m, .. } => f.write_str(m),
        }
    }
}

impl std::error::Error for PdfError {}

/// Readers outside `pdf/` that report problems as text keep doing so.
impl From<PdfError> for String {
    fn from(e: PdfError) -> String {
        e.to_string()
    }
}

/// A parser that panicked on untrusted bytes (see [`super::guarded`]).
#[derive(Debug)]
pub struct Damaged(pub String);

impl From<Damaged> for String {
    fn from(d: Damaged) -> String {
        d.0
    }
}

impl From<Damaged> for PdfError {
    fn from(d: Damaged) -> PdfError {
        PdfError::Damaged(d.0)
    }
}
