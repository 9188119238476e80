//! For the checks' unit tests: a production written into a temporary folder
//! and gathered exactly as `adrec audit` gathers it, so that one check can
//! run alone on a defect planted in an otherwise clean volume.

use super::finding::{Code, Finding};
use super::{Audit, Options, gather};
use std::path::PathBuf;

/// A volume folder `VOL001` under a temporary directory.
pub struct Production {
    dir: tempfile::TempDir,
}

impl Production {
    pub fn empty() -> Production {
        let dir = tempfile::tempdir().expect("temporary folder");
        std::fs::create_dir_all(dir.path().join("VOL001")).expect("volume folder");
        Production { dir }
    }

    pub fn volume(&self) -> PathBuf {
        self.dir.path().join("VOL001")
    }

    /// Writes `bytes` at `rel` inside the volume.
    pub fn file(&self, rel: &str, bytes: impl AsRef<[u8]>) -> &Production {
        let path = self.volume().join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("folder");
        }
        std::fs::write(path, bytes).expect("file");
        self
    }

    /// `DATA/index.csv` from a header line and row lines.
    pub fn index_csv(&self, lines: &[&str]) -> &Production {
        self.file("DATA/index.csv", lines.join("\r\n") + "\r\n")
    }

    /// `DATA/privlog.csv` from a header line and row lines.
    pub fn privlog(&self, lines: &[&str]) -> &Production {
        self.file("DATA/privlog.csv", lines.join("\r\n") + "\r\n")
    }

    /// Writes `bytes` at `rel` inside the volume folder `volume`, beside VOL001.
    pub fn file_in(&self, volume: &str, rel: &str, bytes: impl AsRef<[u8]>) -> &Production {
        let path = self.dir.path().join(volume).join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("folder");
        }
        std::fs::write(path, bytes).expect("file");
        self
    }

    /// The volume folders `volumes` gathered together, after `tweak` sets options.
    pub fn gather_volumes(
        &self,
        volumes: &[&str],
        tweak: impl FnOnce(&mut Options),
    ) -> Result<(Audit, Vec<Finding>), crate::error::Error> {
        let mut opts = Options {
            dirs: volumes.iter().map(|v| self.dir.path().join(v)).collect(),
            ..Options::default()
        };
        tweak(&mut opts);
        let progress = indicatif::ProgressBar::hidden();
        gather(&opts, &progress, std::time::Instant::now(), |_| ()).map(|g| (g.audit, g.findings))
    }

    /// The volume gathered with default options.
    pub fn gather(&self) -> (Audit, Vec<Finding>) {
        self.gather_with(|_| {})
    }

    /// The volume gathered after `tweak` sets options (`--categories`, …).
    pub fn gather_with(&self, tweak: impl FnOnce(&mut Options)) -> (Audit, Vec<Finding>) {
        let mut opts = Options {
            dirs: vec![self.volume()],
            ..Options::default()
        };
        tweak(&mut opts);
        let progress = indicatif::ProgressBar::hidden();
        match gather(&opts, &progress, std::time::Instant::now(), |_| ()) {
            Ok(g) => (g.audit, g.findings),
            Err(e) => panic!("the test production could not be gathered: {e:?}"),
        }
    }
}

/// A real PDF of `pages` Letter pages, each with a line of text, built with lopdf.
pub fn pdf(pages: usize) -> Vec<u8> {
    let contents: Vec<String> = (0..pages)
        .map(|i| format!("BT /F1 12 Tf 72 720 Td (Page {}) Tj ET", i + 1))
        .collect();
    pdf_of(&contents)
}

/// A PDF with one page per content stream (Helvetica is `/F1`).
pub fn pdf_of(contents: &[String]) -> Vec<u8> {
    use lopdf::{Document, Object, Stream, dictionary};
    let pages = contents.len();
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
    });
    let kids: Vec<Object> = contents
        .iter()
        .map(|text| {
            let content = doc.add_object(Stream::new(dictionary! {}, text.clone().into_bytes()));
            doc.add_object(dictionary! {
                "Type" => "Page",
                "Parent" => pages_id,
                "MediaBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
                "Contents" => content,
                "Resources" => dictionary! { "Font" => dictionary! { "F1" => font } },
            })
            .into()
        })
        .collect();
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => kids, "Count" => pages as i64,
        }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let mut out = Vec::new();
    doc.save_to(&mut out).expect("PDF written");
    out
}

/// The findings with `code`.
pub fn with_code(findings: &[Finding], code: Code) -> Vec<&Finding> {
    findings.iter().filter(|f| f.code == code).collect()
}

/// The index header of [`Production::standard`].
pub const HEADER: &str = "BEGBATES,ENDBATES,PGCOUNT,CONTROL_ID,TREATMENT,CATEGORY,IMAGELINK";

impl Production {
    /// A clean volume: a 3-page document, DHS-000001–DHS-000003, and a
    /// 1-page one, DHS-000004, each with its IMAGES PDF, in an index with
    /// links. Tests overwrite a file or the index to plant one defect.
    pub fn standard() -> Production {
        let p = Production::empty();
        p.file("IMAGES/0001/DHS-000001.pdf", pdf(3))
            .file("IMAGES/0001/DHS-000004.pdf", pdf(1))
            .index_csv(&[HEADER, STANDARD_ROWS[0], STANDARD_ROWS[1]]);
        p
    }
}

/// The index rows of [`Production::standard`].
pub const STANDARD_ROWS: [&str; 2] = [
    "DHS-000001,DHS-000003,3,DOC-000001,Produced,1,IMAGES/0001/DHS-000001.pdf",
    "DHS-000004,DHS-000004,1,DOC-000002,Produced,2,IMAGES/0001/DHS-000004.pdf",
];
